//! Query answers as columns: a list of JSON records (plan lines, analytics
//! rows, availability, forecasts) turned into Arrow-ready buffers in Rust,
//! so a DataFrame of a million rows costs no Python object per row.
//!
//! Nested objects flatten into dotted names (`why.on_hand`); arrays and
//! anything else mixed become JSON text. A column's type is the narrowest
//! that holds every value: bool, i64, f64, decimal (decimal strings under a
//! quantity or money key, as decimal128 at the largest scale seen) or
//! string; missing values are nulls.

use std::collections::BTreeMap;

use ims_core::ops::DECIMAL_KEYS;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyTuple};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::convert::ANSWER_DECIMAL_KEYS;

/// Flattens one record into (dotted name, value) pairs, in key order.
fn flatten<'a>(prefix: &str, v: &'a Value, out: &mut Vec<(String, &'a Value)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let name = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                match x {
                    Value::Object(_) => flatten(&name, x, out),
                    _ => out.push((name, x)),
                }
            }
        }
        other => out.push((prefix.to_owned(), other)),
    }
}

fn is_decimal_key(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    DECIMAL_KEYS.contains(&last) || ANSWER_DECIMAL_KEYS.contains(&last)
}

enum Kind {
    Bool,
    I64,
    F64,
    Dec(u32),
    Str,
}

fn kind_of(name: &str, vals: &[Option<&Value>]) -> Kind {
    let present = || vals.iter().flatten();
    if present().all(|v| v.is_boolean()) {
        return Kind::Bool;
    }
    if present().all(|v| v.is_i64()) {
        return Kind::I64;
    }
    if present().all(|v| v.is_number()) {
        return Kind::F64;
    }
    if is_decimal_key(name) {
        let mut scale = 0;
        for v in present() {
            match v.as_str().and_then(|s| s.parse::<Decimal>().ok()) {
                Some(d) => scale = scale.max(d.scale()),
                None => return Kind::Str,
            }
        }
        return Kind::Dec(scale);
    }
    Kind::Str
}

/// `[(name, kind, values, validity, extra)]` per column: kind "bool" / "i64"
/// (8 bytes), "f64" (8 bytes), "dec" (16 bytes, extra = scale) or "str"
/// (values = i64 offsets, extra = the UTF-8 data); validity one byte per row.
pub(crate) fn columns<'py>(py: Python<'py>, rows: &[Value]) -> PyResult<Bound<'py, PyList>> {
    let mut cols: BTreeMap<String, (usize, Vec<Option<&Value>>)> = BTreeMap::new();
    let mut order = 0;
    for (i, r) in rows.iter().enumerate() {
        let mut flat = Vec::new();
        flatten("", r, &mut flat);
        for (name, v) in flat {
            let e = cols.entry(name).or_insert_with(|| {
                order += 1;
                (order, vec![None; rows.len()])
            });
            e.1[i] = (!v.is_null()).then_some(v);
        }
    }
    let mut named: Vec<_> = cols.into_iter().collect();
    named.sort_by_key(|(_, (o, _))| *o);
    let out = PyList::empty(py);
    for (name, (_, vals)) in named {
        let validity: Vec<u8> = vals.iter().map(|v| v.is_some() as u8).collect();
        let (kind, values, extra): (&str, Vec<u8>, Option<Vec<u8>>) = match kind_of(&name, &vals) {
            Kind::Bool => {
                ("bool", vals.iter().map(|v| v.and_then(Value::as_bool).unwrap_or(false) as u8).collect(), None)
            }
            Kind::I64 => {
                ("i64", vals.iter().flat_map(|v| v.and_then(Value::as_i64).unwrap_or(0).to_le_bytes()).collect(), None)
            }
            Kind::F64 => (
                "f64",
                vals.iter().flat_map(|v| v.and_then(Value::as_f64).unwrap_or(0.0).to_le_bytes()).collect(),
                None,
            ),
            Kind::Dec(scale) => {
                let bytes = vals
                    .iter()
                    .flat_map(|v| {
                        let mut d =
                            v.and_then(|x| x.as_str()).and_then(|s| s.parse::<Decimal>().ok()).unwrap_or_default();
                        d.rescale(scale);
                        d.mantissa().to_le_bytes()
                    })
                    .collect();
                ("dec", bytes, Some(vec![scale as u8]))
            }
            Kind::Str => {
                let mut offsets = 0i64.to_le_bytes().to_vec();
                let mut data = Vec::new();
                for v in &vals {
                    match v {
                        Some(Value::String(s)) => data.extend_from_slice(s.as_bytes()),
                        Some(other) => data.extend_from_slice(other.to_string().as_bytes()),
                        None => {}
                    }
                    offsets.extend_from_slice(&(data.len() as i64).to_le_bytes());
                }
                ("str", offsets, Some(data))
            }
        };
        let t = PyTuple::new(
            py,
            [
                name.into_pyobject(py)?.into_any(),
                kind.into_pyobject(py)?.into_any(),
                PyBytes::new(py, &values).into_any(),
                PyBytes::new(py, &validity).into_any(),
                PyBytes::new(py, extra.as_deref().unwrap_or_default()).into_any(),
            ],
        )?;
        out.append(t)?;
    }
    Ok(out)
}

/// The rows of an answer: a list as such; under `path`, the elements of
/// nested lists, each with the scalar fields of the elements it came from
/// as `parent.field` (`["proposals", "lines"]` gives one row per plan line
/// with `proposal.id`, `proposal.supplier`, ...). The answer's own top-level
/// fields are left out (they are the same on every row).
pub(crate) fn explode(v: &Value, path: &[String]) -> Vec<Value> {
    explode_from(v, path, "")
}

fn explode_from(v: &Value, path: &[String], from: &str) -> Vec<Value> {
    let items: Vec<&Value> = match v {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    let Some((head, rest)) = path.split_first() else {
        return items.into_iter().cloned().collect();
    };
    let parent = from.strip_suffix('s').unwrap_or(from);
    let mut rows = Vec::new();
    for item in items {
        let Some(children) = item.get(head) else { continue };
        for mut row in explode_from(children, rest, head) {
            if let (false, Value::Object(m), Value::Object(p)) = (parent.is_empty(), &mut row, item) {
                for (k, x) in p {
                    if k != head && !x.is_array() {
                        m.insert(format!("{parent}.{k}"), x.clone());
                    }
                }
            }
            rows.push(row);
        }
    }
    rows
}
