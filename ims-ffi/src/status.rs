//! `ims_status`, and the last error of each thread. Every call returns a
//! status: `IMS_OK` (0) or the code of the core's error catalogue
//! (`docs/errors.md`, constants in `codes.rs`). The message and the
//! error's data wait in a per-thread slot until the next failing call on
//! the same thread.

use std::cell::RefCell;
use std::ffi::CString;
use std::os::raw::c_char;

use ims_core::{catalogue, Error};
use serde_json::{json, Value};

use crate::codes::NAMES;

/// What every call returns: `IMS_OK` (0) or an error code of the catalogue
/// (`IMS_UNKNOWN_ITEM`, ...). Codes are stable across versions.
pub type ims_status = i32;

/// Success.
pub const IMS_OK: ims_status = 0;

struct Last {
    message: CString,
    json: CString,
}

thread_local! {
    static LAST: RefCell<Last> = RefCell::new(Last { message: CString::default(), json: c_string("{}") });
}

/// A C string of `s`, with any NUL inside replaced (a message quoting the
/// caller's input may hold one).
fn c_string(s: &str) -> CString {
    CString::new(s.replace('\0', "\\0")).unwrap_or_default()
}

/// The error's JSON form for C: code, name, message, retryable, and its
/// fields as `data`.
pub(crate) fn error_value(e: &Error) -> Value {
    let mut data = serde_json::to_value(e).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut data {
        m.remove("name");
    }
    json!({ "code": e.code(), "name": e.name(), "message": e.to_string(), "retryable": e.retryable(), "data": data })
}

/// Records `e` as this thread's last error; its status.
pub(crate) fn fail(e: &Error) -> ims_status {
    LAST.with(|l| {
        if let Ok(mut l) = l.try_borrow_mut() {
            l.message = c_string(&e.to_string());
            l.json = c_string(&error_value(e).to_string());
        }
    });
    ims_status::from(e.code())
}

/// The message of the last call on this thread that did not return
/// `IMS_OK` ("" when there was none). Owned by the library: valid until the
/// next failing call on this thread; never NULL; do not free it.
#[no_mangle]
pub extern "C" fn ims_last_error_message() -> *const c_char {
    LAST.with(|l| l.try_borrow().map_or(c"".as_ptr(), |l| l.message.as_ptr()))
}

/// The last error of this thread as JSON: `{"code", "name", "message",
/// "retryable", "data": {its fields}}` (`{}` when there was none). Owned by
/// the library, as `ims_last_error_message`.
#[no_mangle]
pub extern "C" fn ims_last_error_json() -> *const c_char {
    LAST.with(|l| l.try_borrow().map_or(c"{}".as_ptr(), |l| l.json.as_ptr()))
}

/// The stable name of a status (`"INSUFFICIENT_AVAILABLE"`, `"OK"`), or
/// `"UNKNOWN_STATUS"`. A static string: never NULL, never freed.
#[no_mangle]
pub extern "C" fn ims_status_name(status: ims_status) -> *const c_char {
    if status == IMS_OK {
        return c"OK".as_ptr();
    }
    NAMES.iter().find(|(c, _)| *c == status).map_or(c"UNKNOWN_STATUS".as_ptr(), |(_, n)| n.as_ptr())
}

/// Whether retrying the same call unchanged may succeed (a storage
/// failure); false for `IMS_OK` and every refusal of the input.
#[no_mangle]
pub extern "C" fn ims_status_retryable(status: ims_status) -> bool {
    catalogue().iter().any(|e| ims_status::from(e.code) == status && e.retryable)
}
