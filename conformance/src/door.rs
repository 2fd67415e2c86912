//! Scenarios for a door whose runner has no JSON parser (the C door,
//! `ims-ffi/tests/c/test_conformance.c`). [`door_steps`] flattens the
//! scenarios into tab-separated lines the runner reads one by one; the
//! runner calls its door for each and prints one line of JSON per step —
//! what the door itself returned, in its own shape — and
//! [`check_door_results`] turns each into the expectation shape and
//! compares it with the file, as the Rust runner does.
//!
//! Steps file, one record per line, fields separated by a tab (JSON is
//! compact, so it holds neither):
//!
//! ```text
//! scenario NAME
//! command JSON
//! batch atomic|independent JSON-ARRAY
//! query JSON
//! replica_command REPLICA JSON
//! replica_query REPLICA JSON
//! start_replica REPLICA SLICE-JSON|- MAX_LEN MAX_AGE_MS     (0: default)
//! sync REPLICA MAX_TAIL LOST                                (0: default; LOST 1 or 0)
//! end
//! ```
//!
//! Results file: `scenario NAME`, then per step one JSON object, then
//! `final {"journal_digest", "state_digest"}`. A step's object has the
//! door's `status` (0 for success) and: on a refusal, `error` (the door's
//! error JSON: `name`, `code`, `data`); after a command or batch,
//! `outcome` (an object, or for an independent batch an array of objects
//! with `ok`) and the `journal_digest`; after a query, `answer`; after
//! `start_replica`, the replica's `seq` and `slice_digest`; after a sync,
//! the decoded `response`, the `report` (null when the response was lost),
//! the replica's `seq`, `pending` and `slice_digest` and the authority's
//! `authority_seq`.

use serde_json::{json, Map, Value};

use crate::{diff, Failure, Scenario, Step};

fn compact(v: &Value) -> String {
    v.to_string()
}

fn line(step: &Step) -> Result<String, String> {
    let s = |v: &Option<Value>| v.as_ref().map(compact);
    Ok(match (&step.replica, s(&step.command), &step.batch, s(&step.query), &step.start_replica, &step.sync) {
        (None, Some(c), None, None, None, None) => format!("command\t{c}"),
        (None, None, Some(b), None, None, None) => {
            format!("batch\t{}\t{}", b.mode, compact(&Value::from(b.commands.clone())))
        }
        (None, None, None, Some(q), None, None) => format!("query\t{q}"),
        (Some(r), Some(c), None, None, None, None) => format!("replica_command\t{r}\t{c}"),
        (Some(r), None, None, Some(q), None, None) => format!("replica_query\t{r}\t{q}"),
        (None, None, None, None, Some(v), None) => {
            let name = v["name"].as_str().ok_or("start_replica without a name")?;
            let slice = v.get("slice").map_or("-".to_owned(), compact);
            let lim = |k: &str| v.get("limits").and_then(|l| l.get(k)).and_then(Value::as_i64).unwrap_or(0);
            format!("start_replica\t{name}\t{slice}\t{}\t{}", lim("max_len"), lim("max_age_ms"))
        }
        (None, None, None, None, None, Some(v)) => {
            let name = v["replica"].as_str().ok_or("sync without a replica")?;
            let lost = v.get("lose").is_some();
            format!("sync\t{name}\t{}\t{}", v.get("max_tail").and_then(Value::as_u64).unwrap_or(0), u8::from(lost))
        }
        _ => return Err("a step of an unknown shape".into()),
    })
}

/// The steps file of some scenarios (see the module docs).
pub fn door_steps(scenarios: &[Scenario]) -> Result<String, Failure> {
    let mut out = String::new();
    for sc in scenarios {
        out.push_str(&format!("scenario\t{}\n", sc.name));
        for (i, st) in sc.steps.iter().enumerate() {
            out.push_str(&line(st).map_err(|m| Failure::new(&sc.name, Some(i), m))?);
            out.push('\n');
        }
        out.push_str("end\n");
    }
    Ok(out)
}

/// A door's error JSON as an expectation: `{"error", "data"?}`.
fn refusal(r: &Value) -> Result<Value, String> {
    let e = &r["error"];
    let name = e["name"].as_str().ok_or("a refusal without an error name")?;
    if r["status"].as_i64() != e["code"].as_i64() {
        return Err(format!("status {} but the error says code {}", r["status"], e["code"]));
    }
    let mut m = Map::new();
    m.insert("error".into(), name.into());
    match e.get("data") {
        Some(Value::Object(d)) if !d.is_empty() && name != "INVALID_COMMAND" => {
            m.insert("data".into(), Value::Object(d.clone()));
        }
        _ => {}
    }
    Ok(Value::Object(m))
}

fn with(mut v: Value, extra: &[(&str, Value)]) -> Value {
    if let Value::Object(m) = &mut v {
        for (k, x) in extra {
            m.insert((*k).into(), x.clone());
        }
    }
    v
}

/// One door result in the expectation shape of its step.
fn expectation_of(step: &Step, r: &Value) -> Result<Value, String> {
    if r["status"].as_i64() != Some(0) {
        return refusal(r);
    }
    let ok = ("ok", Value::Bool(true));
    let digest = ("journal_digest", r["journal_digest"].clone());
    if step.query.is_some() {
        return Ok(json!({ "result": r["answer"] }));
    }
    if step.replica.is_some() {
        return Ok(with(r["outcome"].clone(), &[ok]));
    }
    if step.start_replica.is_some() {
        return Ok(json!({ "ok": true, "seq": r["seq"], "slice_digest": r["slice_digest"] }));
    }
    if step.sync.is_some() {
        let resp = &r["response"];
        let answer = json!({
            "results": resp["results"], "conflicts": resp["conflicts"], "head_seq": resp["head_seq"],
            "tail": resp["tail"], "snapshot_required": resp["snapshot_required"],
        });
        if r["report"].is_null() {
            return Ok(json!({ "ok": true, "answer": answer, "lost": true }));
        }
        let level = r["pending"].as_u64() == Some(0) && r["seq"] == r["authority_seq"];
        return Ok(json!({
            "ok": true, "answer": answer, "report": r["report"], "level": level,
            "seq": r["seq"], "slice_digest": r["slice_digest"],
        }));
    }
    match &r["outcome"] {
        Value::Array(results) => {
            let v: Result<Vec<Value>, String> = results
                .iter()
                .map(|x| match x["ok"].as_bool() {
                    Some(true) => Ok(with(x.clone(), &[ok.clone(), digest.clone()])),
                    _ => refusal(&json!({ "status": x["error"]["code"], "error": x["error"] })),
                })
                .collect();
            Ok(json!({ "results": v? }))
        }
        o => Ok(with(o.clone(), &[ok, digest])),
    }
}

/// Checks a door's results file against the scenarios (see the module
/// docs): every step's expectation and the final digests. Returns how many
/// scenarios passed, or every failure found.
pub fn check_door_results(scenarios: &[Scenario], results: &str) -> Result<usize, Vec<Failure>> {
    let mut lines = results.lines();
    let mut fails = Vec::new();
    let mut returned = std::collections::BTreeSet::new();
    for sc in scenarios {
        let fail = |step, m: String| Failure::new(&sc.name, step, m);
        if lines.next() != Some(&format!("scenario\t{}", sc.name)) {
            fails.push(fail(None, "the results do not start this scenario where expected".into()));
            return Err(fails);
        }
        for (i, st) in sc.steps.iter().enumerate() {
            let r: Value = match lines.next().map(serde_json::from_str) {
                Some(Ok(v)) => v,
                Some(Err(e)) => {
                    fails.push(fail(Some(i), format!("the door printed a line that is not JSON: {e}")));
                    return Err(fails);
                }
                None => {
                    fails.push(fail(Some(i), "the results end early".into()));
                    return Err(fails);
                }
            };
            let (Some(exp), Ok(act)) = (&st.expect, expectation_of(st, &r)) else {
                fails.push(fail(Some(i), format!("no expectation, or a result of the wrong shape: {r}")));
                continue;
            };
            crate::codes::returned(&act, &mut returned);
            let d = diff::expectation(exp, &act);
            if !d.is_empty() {
                fails.push(fail(Some(i), format!("expected and actual differ:\n  {}\nactual: {act}", d.join("\n  "))));
            }
        }
        let fin: Value = lines
            .next()
            .and_then(|l| l.strip_prefix("final\t"))
            .and_then(|l| serde_json::from_str(l).ok())
            .unwrap_or_default();
        match &sc.expect_final {
            Some(f)
                if fin["journal_digest"] == f.journal_digest.as_str()
                    && fin["state_digest"] == f.state_digest.as_str() => {}
            _ => fails.push(fail(None, format!("final digests differ: {fin}"))),
        }
    }
    if let Err(e) = crate::codes::write("c", &returned) {
        fails.push(Failure::new("?", None, format!("writing the returned codes: {e}")));
    }
    if fails.is_empty() {
        Ok(scenarios.len())
    } else {
        Err(fails)
    }
}
