//! Replays kept fuzz inputs as ordinary tests: every crash input under
//! `fuzz/regressions/<target>/` and every seed under `fuzz/seeds/<target>/`
//! goes through the target's property function. Included as a module by
//! the `fuzz_regressions` tests of ims-core and ims-ffi, so the walk over
//! the directories is written once.

use std::path::{Path, PathBuf};

/// The input files of one kind (`regressions` or `seeds`) of one target,
/// sorted; hidden files (such as `.gitkeep`) are not inputs.
fn inputs(fuzz_dir: &Path, kind: &str, target: &str) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(fuzz_dir.join(kind).join(target)) else { return Vec::new() };
    let mut v: Vec<PathBuf> = rd
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    v.sort();
    v
}

/// Runs `check` on every kept input of `target`, reporting each failing
/// file by name; returns how many inputs ran (a target without any is a
/// mistake the caller asserts against).
pub fn replay(fuzz_dir: &Path, target: &str, check: fn(&[u8])) -> usize {
    let files: Vec<PathBuf> = ["regressions", "seeds"].iter().flat_map(|k| inputs(fuzz_dir, k, target)).collect();
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
