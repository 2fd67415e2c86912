//! Conformance for doors without a JSON parser (the C door):
//!
//! ```text
//! cargo run -p ims-conformance --bin door -- steps SCENARIO...           > steps.tsv
//! (the door's runner reads steps.tsv and writes results.tsv)
//! cargo run -p ims-conformance --bin door -- check RESULTS SCENARIO...
//! cargo run -p ims-conformance --bin door -- codes    # every code through every door?
//! ```
//!
//! `check` also records the codes the door returned (`src/codes.rs`);
//! `codes` checks the lists every door's runner wrote.
//!
//! The formats are in `conformance/src/door.rs`.

use std::process::ExitCode;

use ims_conformance::{check_door_results, door_steps, parse_scenario, Scenario};

fn load(files: &[String]) -> Result<Vec<Scenario>, String> {
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).map_err(|e| format!("{f}: {e}"))?;
            parse_scenario(&text).map_err(|e| format!("{f}: {e}"))
        })
        .collect()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.split_first() {
        Some((cmd, files)) if cmd == "steps" => {
            load(files).and_then(|sc| door_steps(&sc).map_err(|e| e.to_string())).map(|s| print!("{s}"))
        }
        Some((cmd, rest)) if cmd == "check" && !rest.is_empty() => {
            let results = std::fs::read_to_string(&rest[0]).map_err(|e| format!("{}: {e}", rest[0]));
            results.and_then(|r| {
                let sc = load(&rest[1..])?;
                match check_door_results(&sc, &r) {
                    Ok(n) => {
                        println!("door conformance: {n} scenarios, every step and digest as the Rust runner's");
                        Ok(())
                    }
                    Err(fails) => Err(fails.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")),
                }
            })
        }
        Some((cmd, rest)) if cmd == "codes" && rest.is_empty() => ims_conformance::codes::check().map(|t| {
            println!(
                "every catalogue code returned through every door (or exempt, conformance/codes-exempt.json):\n{t}"
            )
        }),
        _ => Err("usage: door steps SCENARIO... | door check RESULTS SCENARIO... | door codes".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
