//! Error scenarios of this operations flow (see tests/errors.rs).

#[allow(unused_imports)]
use super::*;

scenarios! {}
