//! The canonical layout of scenario files, so that freezing gives small,
//! readable diffs: two-space indentation; keys in a fixed reading order
//! (below), the rest alphabetical; commands and events (objects with a
//! `type`) and anything short on one line.

use serde_json::{Map, Value};

/// Keys that come first, in this order; every other key follows, sorted.
const KEY_ORDER: &[&str] = &[
    "name",
    "description",
    "note",
    "command",
    "batch",
    "query",
    "start_replica",
    "sync",
    "replica",
    "mode",
    "commands",
    "expect",
    "type",
    "kind",
    "ok",
    "error",
    "data",
    "seq",
    "exists",
    "events",
    "changes",
    "results",
    "result",
    "steps",
    "journal_digest",
    "state_digest",
    "expect_final",
];

/// Widest line kept on one line (indentation included).
const WIDTH: usize = 110;

fn ordered(m: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut v: Vec<_> = m.iter().collect();
    v.sort_by_key(|(k, _)| (KEY_ORDER.iter().position(|o| o == k).unwrap_or(KEY_ORDER.len()), k.as_str()));
    v
}

fn string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// One line: `{"type": "x", "qty": 5}`.
fn compact(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            out.push('{');
            for (i, (k, v)) in ordered(m).into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&string(k));
                out.push_str(": ");
                compact(v, out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                compact(v, out);
            }
            out.push(']');
        }
        Value::String(s) => out.push_str(&string(s)),
        v => out.push_str(&v.to_string()),
    }
}

fn pretty(v: &Value, indent: usize, out: &mut String) {
    let mut one = String::new();
    compact(v, &mut one);
    let keep = match v {
        Value::Object(m) => m.contains_key("type") || indent + one.len() <= WIDTH,
        Value::Array(a) => a.is_empty() || indent + one.len() <= WIDTH,
        _ => true,
    };
    if keep {
        out.push_str(&one);
        return;
    }
    let pad = " ".repeat(indent + 2);
    match v {
        Value::Object(m) => {
            out.push_str("{\n");
            let items = ordered(m);
            let n = items.len();
            for (i, (k, v)) in items.into_iter().enumerate() {
                out.push_str(&pad);
                out.push_str(&string(k));
                out.push_str(": ");
                pretty(v, indent + 2, out);
                out.push_str(if i + 1 < n { ",\n" } else { "\n" });
            }
            out.push_str(&" ".repeat(indent));
            out.push('}');
        }
        Value::Array(a) => {
            out.push_str("[\n");
            for (i, v) in a.iter().enumerate() {
                out.push_str(&pad);
                pretty(v, indent + 2, out);
                out.push_str(if i + 1 < a.len() { ",\n" } else { "\n" });
            }
            out.push_str(&" ".repeat(indent));
            out.push(']');
        }
        _ => unreachable!("scalars are always kept on one line"),
    }
}

/// A JSON value in the canonical layout of scenario files, ending in a newline.
pub fn to_canonical_json(v: &Value) -> String {
    let mut out = String::new();
    pretty(v, 0, &mut out);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn layout_is_stable_and_round_trips() {
        let v = json!({"steps": [{"command": {"qty": "2", "type": "receive", "item": "A"}}], "name": "n"});
        let s = to_canonical_json(&v);
        assert_eq!(
            s,
            "{\"name\": \"n\", \"steps\": [{\"command\": {\"type\": \"receive\", \"item\": \"A\", \"qty\": \"2\"}}]}\n"
        );
        assert_eq!(serde_json::from_str::<Value>(&s).expect("JSON"), v);
        let long = json!({"a": "x".repeat(200), "b": [1, 2]});
        let s = to_canonical_json(&long);
        assert!(s.starts_with("{\n  \"a\": "), "{s}");
        assert_eq!(serde_json::from_str::<Value>(&s).expect("JSON"), long);
    }
}
