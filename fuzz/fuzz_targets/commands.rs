//! Newline-separated JSON commands (a line starting with `[` is an atomic
//! batch) on a fresh engine; see `ims_fuzz::check_commands` for what must hold.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ims_fuzz::check_commands(data));
