//! Replays the `ffi` fuzz target's kept inputs (`fuzz/regressions/ffi/`
//! and `fuzz/seeds/ffi/`) through the same property the target checks
//! (`fuzz/src/ffi.rs`, included here as a module), as an ordinary
//! `cargo test` that needs neither nightly nor libFuzzer.

#![allow(clippy::unwrap_used)]

#[path = "../../fuzz/src/ffi.rs"]
mod ffi;
#[path = "../../fuzz/src/replay.rs"]
mod replay;

use std::path::Path;

#[test]
fn ffi_inputs_replay() {
    let n = replay::replay(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz"), "ffi", ffi::check_ffi);
    assert!(n > 0, "no seeds or regressions found for the ffi target");
}

#[test]
fn the_property_holds_on_trivial_scripts() {
    // An empty script, and scripts of each single opcode with no arguments.
    ffi::check_ffi(b"");
    for op in 0..=255u8 {
        ffi::check_ffi(&[op]);
    }
}
