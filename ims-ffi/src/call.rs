//! The one way into the library: every `extern "C"` function runs its body
//! through [`run`], which catches a panic before it can cross into C (a
//! bug: `IMS_INTERNAL`) and turns an error into its status and the
//! thread's last error.

use std::panic::{catch_unwind, AssertUnwindSafe};

use ims_core::Error;

use crate::status::{fail, ims_status, IMS_OK};

/// Runs an entry point's body.
pub(crate) fn run(call: &'static str, f: impl FnOnce() -> Result<(), Error>) -> ims_status {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => IMS_OK,
        Ok(Err(e)) => fail(&e),
        Err(_) => fail(&Error::Internal { call }),
    }
}
