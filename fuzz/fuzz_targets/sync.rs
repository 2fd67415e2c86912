//! Arbitrary bytes as a sync response to a replica and as a sync request to
//! an authority; see `ims_fuzz::check_sync` for what must hold.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ims_fuzz::check_sync(data));
