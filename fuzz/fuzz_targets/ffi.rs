//! A script of C ABI calls read from arbitrary bytes (NULLs, lying lengths,
//! forged and stale handles among them); see `fuzz/src/ffi.rs` for the
//! script and what must hold.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../src/ffi.rs"]
mod ffi;

fuzz_target!(|data: &[u8]| ffi::check_ffi(data));
