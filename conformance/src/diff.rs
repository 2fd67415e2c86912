//! Comparing an expectation with what the engine gave: every key the
//! expectation names must match exactly (JSON equality); keys it leaves out
//! are not checked. Differences are listed path by path.

use serde_json::Value;

/// The most difference lines reported for one step.
const MAX_LINES: usize = 24;

fn outcome_kind(v: &Value) -> &'static str {
    let has = |k: &str| v.get(k).is_some();
    if has("error") {
        "error"
    } else if has("ok") {
        "ok"
    } else if has("results") {
        "results"
    } else if has("result") {
        "result"
    } else {
        "unknown"
    }
}

fn summary(v: &Value) -> String {
    match outcome_kind(v) {
        "error" => format!("error {}", v["error"]),
        "ok" => format!("ok (seq {}, {} event(s))", v["seq"], v["events"].as_array().map_or(0, Vec::len)),
        k => k.to_owned(),
    }
}

/// The differences between an expectation and an actual outcome (empty when
/// they agree).
pub(crate) fn expectation(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    check(expected, actual, "", &mut out);
    if out.len() > MAX_LINES {
        let n = out.len() - MAX_LINES;
        out.truncate(MAX_LINES);
        out.push(format!("... and {n} more"));
    }
    out
}

fn check(expected: &Value, actual: &Value, prefix: &str, out: &mut Vec<String>) {
    let Some(exp) = expected.as_object() else {
        out.push(format!("{prefix}expect must be an object, got {expected}"));
        return;
    };
    let (ek, ak) = (outcome_kind(expected), outcome_kind(actual));
    if ek != ak {
        out.push(format!("{prefix}expected {}, got {}", summary(expected), summary(actual)));
        return;
    }
    for (k, ev) in exp {
        let path = format!("{prefix}{k}");
        match (k.as_str(), actual.get(k)) {
            (_, None) => out.push(format!("{path}: expected {}, actual has none", short(ev))),
            ("results", Some(av)) => {
                let (Some(e), Some(a)) = (ev.as_array(), av.as_array()) else {
                    out.push(format!("{path}: expected and actual must be arrays"));
                    continue;
                };
                if e.len() != a.len() {
                    out.push(format!("{path}: expected {} results, got {}", e.len(), a.len()));
                }
                for (i, (e, a)) in e.iter().zip(a).enumerate() {
                    check(e, a, &format!("{path}[{i}]."), out);
                }
            }
            (_, Some(av)) => deep(ev, av, &path, out),
        }
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 160 {
        let cut: String = s.chars().take(157).collect();
        format!("{cut}...")
    } else {
        s
    }
}

/// Exact JSON equality, reported path by path.
fn deep(e: &Value, a: &Value, path: &str, out: &mut Vec<String>) {
    if e == a {
        return;
    }
    match (e, a) {
        (Value::Object(em), Value::Object(am)) => {
            for (k, ev) in em {
                match am.get(k) {
                    Some(av) => deep(ev, av, &format!("{path}.{k}"), out),
                    None => out.push(format!("{path}.{k}: expected {}, actual has none", short(ev))),
                }
            }
            for (k, av) in am {
                if !em.contains_key(k) {
                    out.push(format!("{path}.{k}: not expected, actual has {}", short(av)));
                }
            }
        }
        (Value::Array(ea), Value::Array(aa)) => {
            for (i, (ev, av)) in ea.iter().zip(aa).enumerate() {
                deep(ev, av, &format!("{path}[{i}]"), out);
            }
            if ea.len() != aa.len() {
                out.push(format!("{path}: expected {} element(s), got {}", ea.len(), aa.len()));
                for (i, v) in aa.iter().enumerate().skip(ea.len()) {
                    out.push(format!("{path}[{i}]: not expected: {}", short(v)));
                }
                for (i, v) in ea.iter().enumerate().skip(aa.len()) {
                    out.push(format!("{path}[{i}]: missing: {}", short(v)));
                }
            }
        }
        _ => out.push(format!("{path}: expected {}, got {}", short(e), short(a))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_named_keys_are_checked_but_exactly() {
        let actual = json!({"ok": true, "seq": 3, "events": [{"type": "x", "qty": 5}], "changes": []});
        assert!(expectation(&json!({"ok": true, "seq": 3}), &actual).is_empty());
        let d = expectation(&json!({"ok": true, "events": [{"type": "x", "qty": 4}]}), &actual);
        assert_eq!(d, vec!["events[0].qty: expected 4, got 5"]);
        let d = expectation(&json!({"ok": true, "events": []}), &actual);
        assert_eq!(d[0], "events: expected 0 element(s), got 1");
    }

    #[test]
    fn error_against_success_is_one_line() {
        let d = expectation(&json!({"error": "UNKNOWN_ITEM"}), &json!({"ok": true, "seq": 1, "events": []}));
        assert_eq!(d, vec![r#"expected error "UNKNOWN_ITEM", got ok (seq 1, 0 event(s))"#]);
        let d = expectation(&json!({"error": "A"}), &json!({"error": "B"}));
        assert_eq!(d, vec![r#"error: expected "A", got "B""#]);
    }

    #[test]
    fn batch_results_compare_element_wise() {
        let actual = json!({"results": [{"ok": true, "seq": 1}, {"error": "X"}]});
        assert!(expectation(&json!({"results": [{"ok": true}, {"error": "X"}]}), &actual).is_empty());
        let d = expectation(&json!({"results": [{"ok": true}]}), &actual);
        assert_eq!(d, vec!["results: expected 1 results, got 2"]);
    }
}
