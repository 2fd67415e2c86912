//! For scenario authors: fills in a scenario's expectations from the engine
//! and rewrites the file in the canonical layout.
//!
//! ```text
//! cargo run -p ims-conformance --bin freeze -- [--all] [--check] FILE...
//! ```
//!
//! A missing `expect` is filled in; one that agrees with the engine on every
//! key it names is completed; one that disagrees is kept and reported
//! (`--all` replaces it). `--check` writes nothing and fails when a file
//! would change. Every frozen value must then be checked by hand against
//! DESIGN.md before it is committed: freezing records what the engine does,
//! not what it should do.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut all = false;
    let mut check = false;
    let mut files = Vec::new();
    for a in std::env::args().skip(1) {
        match a.as_str() {
            "--all" => all = true,
            "--check" => check = true,
            "-h" | "--help" => {
                eprintln!("usage: freeze [--all] [--check] FILE...");
                return ExitCode::SUCCESS;
            }
            f => files.push(f.to_owned()),
        }
    }
    if files.is_empty() {
        eprintln!("usage: freeze [--all] [--check] FILE...");
        return ExitCode::from(2);
    }
    let mut bad = false;
    for f in &files {
        match freeze_file(f, all, check) {
            Ok(msg) => println!("{f}: {msg}"),
            Err(e) => {
                eprintln!("{f}: {e}");
                bad = true;
            }
        }
    }
    if bad {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn freeze_file(path: &str, all: bool, check: bool) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let sc = ims_conformance::parse_scenario(&text).map_err(|e| e.to_string())?;
    let (frozen, disagreements) = ims_conformance::freeze(&sc, all).map_err(|e| e.to_string())?;
    for d in &disagreements {
        eprintln!("{path}: {} {d}", if all { "replaced" } else { "kept, disagrees with the engine:" });
    }
    let value = serde_json::to_value(&frozen).map_err(|e| e.to_string())?;
    let out = ims_conformance::to_canonical_json(&value);
    if out == text {
        return Ok("unchanged".into());
    }
    if check {
        return Err("would change (run freeze and review the diff)".into());
    }
    std::fs::write(path, out).map_err(|e| e.to_string())?;
    Ok(format!("written ({} disagreement(s))", disagreements.len()))
}
