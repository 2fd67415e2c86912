//! The C door of ims: a small, stable C ABI over the engine for tills and
//! other hosts from another decade. `include/ims.h` is generated from
//! these sources by cbindgen (`tests/generated.rs` keeps it current), and
//! `docs/ffi.md` is the guide.
//!
//! Every entry point is an `extern "C"` function that returns an
//! `ims_status` and writes its results through out-parameters. Its body
//! runs inside `call::run`, so no panic crosses into C. Handles are
//! registry entries (`registry.rs`), never addresses the caller could make
//! us dereference. The only global state is those registries and the
//! per-thread last error.

#![allow(non_camel_case_types)] // C names: ims_engine, ims_status, ...

mod args;
mod call;
mod codes;
mod edge;
mod engine;
mod json;
mod out;
mod qty;
mod registry;
mod sale;
mod status;
mod stock;

pub use args::{ims_str, IMS_MAX_INPUT};
pub use codes::*;
pub use edge::*;
pub use engine::*;
pub use json::{ims_execute_batch_json, ims_execute_json, ims_query_json, IMS_BATCH_ATOMIC, IMS_BATCH_INDEPENDENT};
pub use out::{ims_bytes_free, ims_string_free};
pub use qty::*;
pub use sale::*;
pub use status::*;
pub use stock::*;

/// The library's version (`"0.1.0"`): a static string, never freed.
#[no_mangle]
pub extern "C" fn ims_version() -> *const std::os::raw::c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}
