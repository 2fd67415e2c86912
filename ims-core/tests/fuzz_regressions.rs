//! Replays the fuzz inputs as ordinary tests: every crash input kept under
//! `fuzz/regressions/<target>/` and every seed under `fuzz/seeds/<target>/`,
//! through the very property functions the fuzz targets call (the file
//! `fuzz/src/lib.rs` is included here as a module), so a fixed crash stays
//! fixed without nightly or libFuzzer.

#[path = "../../fuzz/src/lib.rs"]
mod checks;

use std::path::{Path, PathBuf};

fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz").join(kind).join(target);
    let Ok(rd) = std::fs::read_dir(&dir) else { return Vec::new() };
    let mut v: Vec<PathBuf> = rd
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    v.sort();
    v
}

/// Runs `check` on every input, reporting each failing file by name.
fn replay(target: &str, check: fn(&[u8])) -> usize {
    let files: Vec<PathBuf> = ["regressions", "seeds"].iter().flat_map(|k| inputs(k, target)).collect();
    let mut failed = Vec::new();
    for f in &files {
        let data = std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            failed.push(f.display().to_string());
        }
    }
    assert!(failed.is_empty(), "{target}: these inputs fail (see the panics above):\n{}", failed.join("\n"));
    files.len()
}

#[test]
fn commands_inputs_replay() {
    let n = replay("commands", checks::check_commands);
    assert!(n > 0, "no seeds or regressions found for the commands target");
}

#[test]
fn snapshot_inputs_replay() {
    let n = replay("snapshot", checks::check_decoding);
    assert!(n > 0, "no seeds or regressions found for the snapshot target");
}

#[test]
fn sync_inputs_replay() {
    let n = replay("sync", checks::check_sync);
    assert!(n > 0, "no seeds or regressions found for the sync target");
}

#[test]
fn an_engine_snapshot_passes_and_garbage_is_refused() {
    // The properties hold on the simplest inputs too.
    checks::check_commands(b"");
    checks::check_commands(b"{\"type\":\"define_item\",\"item\":\"A\"}\nnot json\n[]\n");
    checks::check_decoding(b"");
    checks::check_decoding(&ims_core::Engine::new().snapshot());
    assert!(ims_core::Engine::restore(b"IMSSNAP\0garbage").is_err());
}
