//! Replays every scenario file under `conformance/scenarios/` and checks
//! every expectation. Never freezes: a file without expectations fails.

use std::path::PathBuf;

fn scenario_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_scenario_passes() {
    let files = scenario_files();
    assert!(files.len() >= 8, "expected at least 8 scenarios, found {}", files.len());
    let mut failures = Vec::new();
    let mut codes = std::collections::BTreeSet::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("readable scenario");
        match ims_conformance::run_scenario(&text) {
            Ok(r) => {
                let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
                assert_eq!(r.name, stem, "a scenario's name is its file stem");
                println!("ok  {} ({} steps, {} envelopes)", r.name, r.steps, r.envelopes);
                codes.extend(r.codes);
            }
            Err(e) => failures.push(format!("{}:\n{e}", f.display())),
        }
    }
    assert!(failures.is_empty(), "{} scenario(s) failed:\n\n{}", failures.len(), failures.join("\n\n"));
    // What this door returned, for `door codes` (scripts/test-all).
    ims_conformance::codes::write("rust", &codes).expect("write the returned codes");
}

#[test]
fn files_are_in_canonical_layout() {
    for f in scenario_files() {
        let text = std::fs::read_to_string(&f).expect("readable scenario");
        let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        let sc = ims_conformance::parse_scenario(&text).expect("a scenario");
        let canon = ims_conformance::to_canonical_json(&serde_json::to_value(&sc).expect("serialisable"));
        assert_eq!(serde_json::from_str::<serde_json::Value>(&canon).expect("JSON"), v, "{}", f.display());
        assert_eq!(text, canon, "{} is not in the canonical layout: run the freeze tool on it", f.display());
    }
}

#[test]
fn a_wrong_expectation_is_reported_with_a_diff() {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/receive_reserve_commit.json");
    let text = std::fs::read_to_string(file).expect("readable scenario");
    let mut sc = ims_conformance::parse_scenario(&text).expect("a scenario");
    let step = sc.steps.iter_mut().find(|s| s.command.is_some()).expect("a command step");
    let exp = step.expect.as_mut().expect("frozen");
    exp["seq"] = serde_json::json!(9999);
    let json = serde_json::to_string(&sc).expect("serialisable");
    let err = ims_conformance::run_scenario(&json).expect_err("must fail");
    assert!(err.message.contains("seq: expected 9999"), "{err}");
    assert!(err.message.contains("actual:"), "{err}");
}

#[test]
fn an_unfrozen_scenario_fails() {
    let json = r#"{"name": "x", "description": "", "steps": [{"command": {"type": "define_item", "item": "A"}}]}"#;
    let err = ims_conformance::run_scenario(json).expect_err("must fail");
    assert!(err.message.contains("no \"expect\""), "{err}");
}
