//! Python values ⇄ the engine's JSON values, exactly.
//!
//! Into the engine: `int` stays an integer except under a decimal key
//! (`ims_core::ops::DECIMAL_KEYS`), where it becomes a decimal string;
//! `decimal.Decimal` and `str` are strings; a `float` anywhere, or a NaN or
//! infinite `Decimal`, is `INEXACT_NUMBER` (pyo3 would otherwise take
//! `1.1` as 1.100000000000000088…); an aware `datetime` is ms since the
//! epoch, a naive one `NAIVE_DATETIME`; a `date` is `YYYY-MM-DD`; a
//! `timedelta` is ms; an `enum.Enum` is its value.
//!
//! Out of the engine: decimal strings under a decimal key become
//! `decimal.Decimal`; everything else keeps its JSON type.

use ims_core::ops::{is_answer_decimal_key, DECIMAL_KEYS, TUPLE_DECIMAL_KEYS};
use ims_core::Error;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

/// Python's own types this module tests against, imported once.
pub(crate) struct PyTypes {
    pub decimal: Py<PyAny>,
    pub datetime: Py<PyAny>,
    pub date: Py<PyAny>,
    pub timedelta: Py<PyAny>,
    pub enum_: Py<PyAny>,
    pub epoch: Py<PyAny>,
}

static TYPES: PyOnceLock<PyTypes> = PyOnceLock::new();

pub(crate) fn types(py: Python<'_>) -> PyResult<&PyTypes> {
    TYPES.get_or_try_init(py, || {
        let dt = py.import("datetime")?;
        let utc = dt.getattr("timezone")?.getattr("utc")?;
        let epoch = dt.getattr("datetime")?.call1((1970, 1, 1, 0, 0, 0, 0, utc))?;
        Ok(PyTypes {
            decimal: py.import("decimal")?.getattr("Decimal")?.unbind(),
            datetime: dt.getattr("datetime")?.unbind(),
            date: dt.getattr("date")?.unbind(),
            timedelta: dt.getattr("timedelta")?.unbind(),
            enum_: py.import("enum")?.getattr("Enum")?.unbind(),
            epoch: epoch.unbind(),
        })
    })
}

/// Why a Python value cannot go in: an engine error (so the door raises the
/// catalogue's exception) or a Python error raised while looking at it.
pub(crate) enum Refusal {
    Engine(Error),
    Python(PyErr),
}

impl From<PyErr> for Refusal {
    fn from(e: PyErr) -> Self {
        Refusal::Python(e)
    }
}

impl From<Error> for Refusal {
    fn from(e: Error) -> Self {
        Refusal::Engine(e)
    }
}

/// Deepest nesting accepted: a command is a few levels deep; a hostile
/// value must not exhaust the stack.
const MAX_DEPTH: usize = 32;

fn invalid(field: &str, what: String) -> Refusal {
    Refusal::Engine(Error::InvalidCommand { reason: if field.is_empty() { what } else { format!("{field}: {what}") } })
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Milliseconds since the epoch of an aware `datetime`, or of a `timedelta`.
fn millis_of_delta(d: &Bound<'_, PyAny>) -> PyResult<i64> {
    let days: i64 = d.getattr("days")?.extract()?;
    let secs: i64 = d.getattr("seconds")?.extract()?;
    let micros: i64 = d.getattr("microseconds")?.extract()?;
    // Python normalises seconds and microseconds to be non-negative, so
    // flooring the microseconds floors the whole.
    Ok(days * 86_400_000 + secs * 1000 + micros.div_euclid(1000))
}

/// An aware `datetime` as ms since the epoch; `NAIVE_DATETIME` otherwise.
pub(crate) fn datetime_millis(v: &Bound<'_, PyAny>, field: &str) -> Result<i64, Refusal> {
    let t = types(v.py())?;
    if v.getattr("utcoffset")?.call0()?.is_none() {
        return Err(Error::NaiveDatetime { field: field.to_owned() }.into());
    }
    let delta = v.call_method1("__sub__", (t.epoch.bind(v.py()),))?;
    Ok(millis_of_delta(&delta)?)
}

/// Whether a `float` may go in: never into the engine; always into the
/// planning functions, whose parameters are real numbers by nature.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Floats {
    /// Commands: no float anywhere.
    Refuse,
    /// Queries: real-number parameters (a simulation's demand mean) take
    /// floats; quantities (decimal keys) still refuse them.
    OutsideDecimalKeys,
    /// Planning functions: every parameter is a real number, and integers
    /// stay integers whatever their name.
    Allow,
}

/// A Python value as the engine's JSON; `key` is the key it sits under.
pub(crate) fn to_value(v: &Bound<'_, PyAny>, path: &str, key: &str, depth: usize) -> Result<Value, Refusal> {
    to_value_with(v, path, key, depth, Floats::Refuse)
}

/// [`to_value`] with a choice about floats.
pub(crate) fn to_value_with(
    v: &Bound<'_, PyAny>,
    path: &str,
    key: &str,
    depth: usize,
    floats: Floats,
) -> Result<Value, Refusal> {
    if depth > MAX_DEPTH {
        return Err(Error::LimitExceeded { what: "nesting depth", max: MAX_DEPTH as u64 }.into());
    }
    let py = v.py();
    if v.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = v.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    let decimal_key = floats != Floats::Allow && DECIMAL_KEYS.contains(&key);
    if let Ok(s) = v.cast::<PyString>() {
        let s = s.to_cow()?.into_owned();
        return if decimal_key { exact_decimal(path, s) } else { Ok(Value::String(s)) };
    }
    if v.cast::<PyInt>().is_ok() {
        if decimal_key {
            return Ok(Value::String(v.str()?.to_cow()?.into_owned()));
        }
        if let Ok(i) = v.extract::<i64>() {
            return Ok(Value::Number(i.into()));
        }
        if let Ok(u) = v.extract::<u64>() {
            return Ok(Value::Number(u.into()));
        }
        return Err(Error::LimitExceeded { what: "integer beyond 64 bits", max: u64::MAX }.into());
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        if floats == Floats::Allow || (floats == Floats::OutsideDecimalKeys && !decimal_key) {
            if let Some(n) = Number::from_f64(f.value()) {
                return Ok(Value::Number(n));
            }
        }
        return Err(Error::InexactNumber { field: path.to_owned(), value: v.repr()?.to_cow()?.into_owned() }.into());
    }
    let t = types(py)?;
    if v.is_instance(t.decimal.bind(py))? {
        if !v.call_method0("is_finite")?.is_truthy()? {
            return Err(Error::InexactNumber { field: path.to_owned(), value: v.str()?.to_cow()?.into_owned() }.into());
        }
        // Fixed-point text: `Decimal("1E+2")` is "100", which the engine's
        // decimal parser reads.
        let s = v.call_method1("__format__", ("f",))?.str()?.to_cow()?.into_owned();
        if floats != Floats::Refuse && !decimal_key {
            // A real-number parameter given as a decimal: its nearest f64.
            if let Some(n) = s.parse::<f64>().ok().and_then(Number::from_f64) {
                return Ok(Value::Number(n));
            }
        }
        return exact_decimal(path, s);
    }
    // datetime is a subclass of date: test it first.
    if v.is_instance(t.datetime.bind(py))? {
        return Ok(Value::Number(datetime_millis(v, path)?.into()));
    }
    if v.is_instance(t.date.bind(py))? {
        return Ok(Value::String(v.call_method0("isoformat")?.str()?.to_cow()?.into_owned()));
    }
    if v.is_instance(t.timedelta.bind(py))? {
        return Ok(Value::Number(millis_of_delta(v)?.into()));
    }
    if v.is_instance(t.enum_.bind(py))? {
        return to_value_with(&v.getattr("value")?, path, key, depth + 1, floats);
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let mut m = Map::new();
        for (k, x) in d.iter() {
            let Ok(k) = k.cast::<PyString>() else {
                return Err(invalid(path, format!("a key must be a string, got {}", k.get_type().name()?)));
            };
            let k = k.to_cow()?;
            let k: &str = &k;
            m.insert(k.to_owned(), to_value_with(&x, &join(path, k), k, depth + 1, floats)?);
        }
        return Ok(Value::Object(m));
    }
    if v.cast::<PyList>().is_ok() || v.cast::<PyTuple>().is_ok() {
        let mut a = Vec::new();
        for (i, x) in v.try_iter()?.enumerate() {
            a.push(to_value_with(&x?, &format!("{path}[{i}]"), key, depth + 1, floats)?);
        }
        return Ok(Value::Array(a));
    }
    Err(invalid(path, format!("unsupported type {}", v.get_type().name()?)))
}

/// A decimal's text, refused when the engine's decimals cannot hold it
/// exactly (more than 28 significant digits would otherwise be rounded by
/// the decoder). Text that is no number at all is left to the decoder.
fn exact_decimal(path: &str, s: String) -> Result<Value, Refusal> {
    let t = s.trim();
    if t.parse::<rust_decimal::Decimal>().is_ok() && rust_decimal::Decimal::from_str_exact(t).is_err() {
        return Err(Error::InexactNumber { field: path.to_owned(), value: s }.into());
    }
    Ok(Value::String(s))
}

/// Refuses decimals under decimal keys that the engine would round (JSON
/// text handed over as such).
pub(crate) fn check_exact(v: &Value, path: &str, key: &str) -> Result<(), Refusal> {
    match v {
        Value::String(s) if DECIMAL_KEYS.contains(&key) => exact_decimal(path, s.clone()).map(|_| ()),
        Value::Object(m) => m.iter().try_for_each(|(k, x)| check_exact(x, &join(path, k), k)),
        Value::Array(a) => a.iter().try_for_each(|x| check_exact(x, path, key)),
        _ => Ok(()),
    }
}

/// The engine's JSON as Python values (decimals under decimal keys as
/// `decimal.Decimal`).
pub(crate) fn to_py<'py>(py: Python<'py>, v: &Value, key: &str) -> PyResult<Bound<'py, PyAny>> {
    to_py_with(py, v, key, false)
}

/// A query's answer as Python values: [`to_py`], and the answers' own
/// decimal fields (on hand, available, ...) as `decimal.Decimal` too.
pub(crate) fn answer_to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    to_py_with(py, v, "", true)
}

fn to_py_with<'py>(py: Python<'py>, v: &Value, key: &str, answer: bool) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => number(py, n)?,
        Value::String(s)
            if (DECIMAL_KEYS.contains(&key) || (answer && is_answer_decimal_key(key))) && looks_decimal(s) =>
        {
            decimal(py, s)?
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(a) => {
            let tuples = answer && TUPLE_DECIMAL_KEYS.contains(&key);
            let l = PyList::empty(py);
            for x in a {
                match x {
                    // `[code, lot, "2.5"]`: the codes stay text whatever
                    // they look like, the last element is a decimal.
                    Value::Array(t) if tuples => {
                        let row = PyList::empty(py);
                        for (i, y) in t.iter().enumerate() {
                            match y {
                                Value::String(s) if i + 1 == t.len() && looks_decimal(s) => {
                                    row.append(decimal(py, s)?)?
                                }
                                _ => row.append(to_py_with(py, y, "", answer)?)?,
                            }
                        }
                        l.append(row)?;
                    }
                    _ => l.append(to_py_with(py, x, key, answer)?)?,
                }
            }
            l.into_any()
        }
        Value::Object(m) => {
            let d = PyDict::new(py);
            for (k, x) in m {
                d.set_item(k, to_py_with(py, x, k, answer)?)?;
            }
            d.into_any()
        }
    })
}

fn number<'py>(py: Python<'py>, n: &Number) -> PyResult<Bound<'py, PyAny>> {
    if let Some(i) = n.as_i64() {
        Ok(i.into_pyobject(py)?.into_any())
    } else if let Some(u) = n.as_u64() {
        Ok(u.into_pyobject(py)?.into_any())
    } else {
        // Planning answers (costs, probabilities) are floats by nature.
        Ok(PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any())
    }
}

/// A decimal string as a `decimal.Decimal`.
fn decimal<'py>(py: Python<'py>, s: &str) -> PyResult<Bound<'py, PyAny>> {
    types(py)?.decimal.bind(py).call1((s,))
}

/// A decimal as the core writes one: `-?digits(.digits)?` (a date such as
/// `2026-01-31` under a decimal key of another answer is not one).
fn looks_decimal(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    let all = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    all(int) && all(frac)
}
