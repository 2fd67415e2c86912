//! Which catalogue errors each door actually returned while it replayed the
//! scenarios, and the check that every code came back through every door.
//!
//! Each runner writes the names it saw (from its own actual outcomes, not
//! from the expectations) to `target/conformance-codes/<door>.txt`, one per
//! line: `rust` (tests/scenarios.rs), `py` (ims-py/tests/test_conformance.py),
//! `wasm` (ims-wasm/tests/conformance.test.mjs) and `c` (the `door check`
//! tool over the C runner's results). `door codes` then fails if a
//! catalogue code is missing from a door's list and `codes-exempt.json`
//! does not say why a scenario cannot provoke it there.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The doors whose runners record codes.
pub const DOORS: [&str; 4] = ["rust", "py", "wasm", "c"];

/// Adds every error name in an outcome (in the shape of an expectation) to
/// `out`: refusals (`"error"`), the inner error of a refused batch
/// (`data.source.name`), and those inside batch and sync results.
pub fn returned(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("error" | "name", Value::String(s)) if is_code_name(s) => {
                        out.insert(s.clone());
                    }
                    _ => returned(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| returned(x, out)),
        _ => {}
    }
}

fn is_code_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// Where the runners write their lists: `<repo>/target/conformance-codes`.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/conformance-codes")
}

/// Writes a door's list (sorted, one name per line).
pub fn write(door: &str, codes: &BTreeSet<String>) -> std::io::Result<()> {
    std::fs::create_dir_all(dir())?;
    let body: String = codes.iter().map(|c| format!("{c}\n")).collect();
    std::fs::write(dir().join(format!("{door}.txt")), body)
}

/// The exemptions: code → (doors it is exempt in, why).
fn exemptions() -> Result<BTreeMap<String, (Vec<String>, String)>, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("codes-exempt.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = BTreeMap::new();
    for (code, x) in v.as_object().ok_or("codes-exempt.json: want an object")? {
        let doors = x["doors"].as_array().ok_or(format!("{code}: want \"doors\""))?;
        let doors = doors.iter().filter_map(|d| d.as_str().map(str::to_owned)).collect();
        let why = x["why"].as_str().ok_or(format!("{code}: want \"why\""))?.to_owned();
        out.insert(code.clone(), (doors, why));
    }
    Ok(out)
}

/// Checks the recorded lists: every catalogue code returned through every
/// door, or exempt there. Returns a summary table, or what is missing.
pub fn check() -> Result<String, String> {
    let exempt = exemptions()?;
    let names: Vec<&str> = ims_core::catalogue().iter().map(|e| e.name).collect();
    let mut problems = Vec::new();
    for code in exempt.keys() {
        if !names.contains(&code.as_str()) {
            problems.push(format!("codes-exempt.json names {code}, which is not in the catalogue"));
        }
    }
    let mut summary = String::from("door   returned  exempt  of\n");
    for door in DOORS {
        let path = dir().join(format!("{door}.txt"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            problems.push(format!("{door}: no list at {} (did its conformance runner run?)", path.display()));
            continue;
        };
        let got: BTreeSet<&str> = text.lines().collect();
        let mut missing = Vec::new();
        let mut exempted = 0;
        for n in &names {
            if got.contains(n) {
                continue;
            }
            match exempt.get(*n) {
                Some((doors, _)) if doors.iter().any(|d| d == door || d == "all") => exempted += 1,
                _ => missing.push(*n),
            }
        }
        let returned = names.iter().filter(|n| got.contains(*n)).count();
        summary.push_str(&format!("{door:<6} {returned:>8}  {exempted:>6}  {}\n", names.len()));
        if !missing.is_empty() {
            problems.push(format!("{door}: never returned {}", missing.join(", ")));
        }
    }
    if problems.is_empty() {
        Ok(summary)
    } else {
        Err(format!("{summary}\n{}", problems.join("\n")))
    }
}
