//! JSON across the boundary: plain JS objects out, JSON text or plain
//! objects in. Going through JSON text keeps the one serde model of the
//! core (no second mapping to maintain) and keeps decimals as strings.

use ims_core::Error;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};

/// The longest JSON text any call accepts (64 MiB): a larger input is
/// refused before it is parsed.
pub(crate) const MAX_JSON: usize = 64 << 20;

/// The largest integer a JS number holds exactly (2^53 - 1).
const MAX_SAFE: u64 = (1 << 53) - 1;

/// Integers a JS number would round become strings: stock is never lossy.
pub(crate) fn exact(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Number(n) => {
            let safe = n.as_u64().map(|u| u <= MAX_SAFE).or_else(|| n.as_i64().map(|i| i.unsigned_abs() <= MAX_SAFE));
            if safe == Some(false) {
                *v = Value::String(n.to_string());
            }
        }
        Value::Array(a) => a.iter_mut().for_each(exact),
        Value::Object(m) => m.values_mut().for_each(exact),
        _ => {}
    }
}

/// A serde value as a plain JS value. Quantities in answers are decimal
/// strings already; an integer beyond 2^53 (an event's minor units, a
/// counter) becomes a string rather than a rounded number.
pub(crate) fn to_js(v: &serde_json::Value) -> JsValue {
    let mut v = v.clone();
    exact(&mut v);
    to_js_exact(v)
}

/// [`to_js`] of a value the caller owns (no copy).
pub(crate) fn to_js_owned(mut v: serde_json::Value) -> JsValue {
    exact(&mut v);
    to_js_exact(v)
}

fn to_js_exact(v: serde_json::Value) -> JsValue {
    js_sys::JSON::parse(&v.to_string()).unwrap_or(JsValue::NULL)
}

/// Any serialisable value as a plain JS value.
pub(crate) fn value_to_js<T: serde::Serialize>(v: &T) -> JsValue {
    to_js_owned(serde_json::to_value(v).unwrap_or(serde_json::Value::Null))
}

fn invalid(reason: impl Into<String>) -> Error {
    Error::InvalidCommand { reason: reason.into() }
}

/// `v` as JSON text: a string is taken as JSON text already, anything
/// else goes through `JSON.stringify` (which refuses BigInt and cycles).
pub(crate) fn text(v: &JsValue, what: &str) -> Result<String, Error> {
    let s = match v.as_string() {
        Some(s) => s,
        None if v.is_undefined() => return Err(invalid(format!("{what}: missing"))),
        None => js_sys::JSON::stringify(v)
            .map_err(|_| invalid(format!("{what}: not JSON-serialisable")))?
            .as_string()
            .ok_or_else(|| invalid(format!("{what}: not JSON-serialisable")))?,
    };
    if s.len() > MAX_JSON {
        return Err(Error::LimitExceeded { what: "JSON input bytes", max: MAX_JSON as u64 });
    }
    Ok(s)
}

/// `v` (JSON text or a plain object) decoded as `T`.
pub(crate) fn parse<T: DeserializeOwned>(v: &JsValue, what: &str) -> Result<T, Error> {
    let s = text(v, what)?;
    serde_json::from_str(&s).map_err(|e| invalid(format!("{what}: {e}")))
}

/// An optional options object: `undefined` / `null` give the default.
pub(crate) fn options<T: DeserializeOwned + Default>(v: &JsValue, what: &str) -> Result<T, Error> {
    if v.is_undefined() || v.is_null() {
        return Ok(T::default());
    }
    if !v.is_object() {
        return Err(invalid(format!("{what}: expected an object")));
    }
    parse(v, what)
}

/// `v` as bytes: a `Uint8Array` (the only byte form accepted, so a string
/// or a plain array passed by mistake is a clear error, not garbage).
pub(crate) fn bytes(v: &JsValue, what: &str) -> Result<Vec<u8>, Error> {
    if !v.is_instance_of::<js_sys::Uint8Array>() {
        return Err(invalid(format!("{what}: expected a Uint8Array")));
    }
    Ok(js_sys::Uint8Array::from(v.clone()).to_vec())
}

/// `v` as a string argument (a SKU, a name, a quantity).
pub(crate) fn string(v: &JsValue, what: &str) -> Result<String, Error> {
    v.as_string().ok_or_else(|| invalid(format!("{what}: expected a string")))
}
