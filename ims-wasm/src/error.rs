//! Errors as JavaScript values. The package's entry module defines
//! `ImsError extends Error` (and a subclass per catalogue name) and
//! registers a factory here, so every method throws an instance of those
//! classes directly. Without a factory (the raw module used alone) an
//! error is a plain `Error` with the same `code`, `name` and `data`.

use std::cell::RefCell;

use ims_core::{catalogue, Error};
use wasm_bindgen::prelude::*;

thread_local! {
    static FACTORY: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// Registers `factory(code, name, message, retryable, dataJson)`, which
/// returns the error object to throw. Called once by the package's entry.
#[wasm_bindgen(js_name = setErrorFactory)]
pub fn set_error_factory(factory: js_sys::Function) {
    FACTORY.with(|f| *f.borrow_mut() = Some(factory));
}

/// The error catalogue: `[{code, name, retryable, description}]`, for the
/// entry module to build its error classes from.
#[wasm_bindgen(js_name = errorCatalogue)]
pub fn error_catalogue() -> JsValue {
    let v: Vec<serde_json::Value> = catalogue()
        .iter()
        .map(|e| {
            serde_json::json!({
                "code": e.code, "name": e.name, "retryable": e.retryable, "description": e.description
            })
        })
        .collect();
    crate::json::to_js(&serde_json::Value::Array(v))
}

/// The JS error for a core error.
pub(crate) fn to_js(e: &Error) -> JsValue {
    let mut data = serde_json::to_value(e).unwrap_or(serde_json::Value::Null);
    if let serde_json::Value::Object(m) = &mut data {
        m.remove("name");
    }
    // `data` reaches JS through JSON.parse: an integer beyond 2^53 (an
    // i64::MAX TTL named in an INVALID_DURATION) goes as its exact digits.
    crate::json::exact(&mut data);
    let (code, name, message) = (e.code(), e.name(), e.to_string());
    let made = FACTORY.with(|f| {
        let f = f.borrow();
        let f = f.as_ref()?;
        let args = js_sys::Array::of5(
            &JsValue::from(code),
            &JsValue::from_str(name),
            &JsValue::from_str(&message),
            &JsValue::from_bool(e.retryable()),
            &JsValue::from_str(&data.to_string()),
        );
        f.apply(&JsValue::NULL, &args).ok()
    });
    made.unwrap_or_else(|| {
        let err = js_sys::Error::new(&message);
        err.set_name(name);
        let _ = js_sys::Reflect::set(&err, &"code".into(), &JsValue::from(code));
        let _ = js_sys::Reflect::set(&err, &"data".into(), &crate::json::to_js(&data));
        err.into()
    })
}

/// `Result` of the core, thrown as a JS error.
pub(crate) fn js<T>(r: Result<T, Error>) -> Result<T, JsValue> {
    r.map_err(|e| to_js(&e))
}
