//! Arbitrary bytes as a snapshot (as given, and with a valid checksum
//! appended so the decoder is reached) and as an envelope; see
//! `ims_fuzz::check_decoding` for what must hold.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ims_fuzz::check_decoding(data));
