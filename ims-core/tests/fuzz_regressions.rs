//! Replays the fuzz inputs as ordinary tests: every crash input kept under
//! `fuzz/regressions/<target>/` and every seed under `fuzz/seeds/<target>/`,
//! through the very property functions the fuzz targets call (the file
//! `fuzz/src/lib.rs` is included here as a module), so a fixed crash stays
//! fixed without nightly or libFuzzer. The C door's target is replayed by
//! `ims-ffi/tests/fuzz_regressions.rs`.

#[path = "../../fuzz/src/lib.rs"]
mod checks;

#[path = "../../fuzz/src/replay.rs"]
mod replay;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) -> usize {
    replay::replay(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz"), target, check)
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
