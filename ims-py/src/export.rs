//! Query answers as columns: a list of JSON records (plan lines, analytics
//! rows, availability, forecasts) turned into Arrow-ready buffers in Rust,
//! so a DataFrame of a million rows costs no Python object per row.
//!
//! Nested objects flatten into dotted names (`why.on_hand`); arrays and
//! anything else mixed become JSON text. A column's type is the narrowest
//! that holds every value: bool, i64, f64, decimal (decimal strings under a
//! quantity or money key, as decimal128 at the largest scale seen) or
//! string; missing values are nulls.

use std::borrow::Cow;
use std::collections::HashMap;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyTuple};
use rust_decimal::Decimal;
use serde_json::Value;

/// Flattens one record into (dotted name, value) pairs, in key order; a
/// top-level name is borrowed from the record (no string per field).
fn flatten<'a>(prefix: &str, v: &'a Value, out: &mut Vec<(Cow<'a, str>, &'a Value)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let name =
                    if prefix.is_empty() { Cow::Borrowed(k.as_str()) } else { Cow::Owned(format!("{prefix}.{k}")) };
                match x {
                    Value::Object(_) => flatten(&name, x, out),
                    _ => out.push((name, x)),
                }
            }
        }
        other => out.push((Cow::Owned(prefix.to_owned()), other)),
    }
}

fn is_decimal_key(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    ims_core::ops::is_answer_decimal_key(last)
}

enum Kind {
    Bool,
    I64,
    F64,
    /// The largest scale, and every value parsed (zero where missing).
    Dec(u32, Vec<Decimal>),
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
        let mut parsed = Vec::with_capacity(vals.len());
        for v in vals {
            let d = match v {
                None => Decimal::ZERO,
                Some(v) => match v.as_str().and_then(|s| s.parse::<Decimal>().ok()) {
                    Some(d) => d,
                    None => return Kind::Str,
                },
            };
            scale = scale.max(d.scale());
            parsed.push(d);
        }
        return Kind::Dec(scale, parsed);
    }
    Kind::Str
}

/// `[(name, kind, values, validity, extra)]` per column: kind "bool" / "i64"
/// (8 bytes), "f64" (8 bytes), "dec" (16 bytes, extra = scale) or "str"
/// (values = i64 offsets, extra = the UTF-8 data); validity one byte per row.
/// Columns come in the order their names first appear.
pub(crate) fn columns<'py>(py: Python<'py>, rows: &[&Value]) -> PyResult<Bound<'py, PyList>> {
    let mut names: Vec<Cow<'_, str>> = Vec::new();
    let mut cols: Vec<Vec<Option<&Value>>> = Vec::new();
    let mut index: HashMap<Cow<'_, str>, usize> = HashMap::new();
    let mut flat = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        flatten("", r, &mut flat);
        for (j, (name, v)) in flat.drain(..).enumerate() {
            // Rows nearly always have the same fields in the same order:
            // the column at the field's position is tried first.
            let c = match names.get(j) {
                Some(n) if *n == name => j,
                _ => match index.get(&name) {
                    Some(c) => *c,
                    None => {
                        index.insert(name.clone(), names.len());
                        names.push(name);
                        cols.push(vec![None; rows.len()]);
                        names.len() - 1
                    }
                },
            };
            cols[c][i] = (!v.is_null()).then_some(v);
        }
    }
    let out = PyList::empty(py);
    for (name, vals) in names.into_iter().zip(cols) {
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
            Kind::Dec(scale, parsed) => {
                let bytes = parsed
                    .into_iter()
                    .flat_map(|mut d| {
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
///
/// A row that gains no parent's fields is the answer's own (borrowed).
pub(crate) fn explode<'a>(v: &'a Value, path: &[String]) -> Vec<Cow<'a, Value>> {
    explode_from(v, path, "")
}

fn explode_from<'a>(v: &'a Value, path: &[String], from: &str) -> Vec<Cow<'a, Value>> {
    let items: Vec<&Value> = match v {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    let Some((head, rest)) = path.split_first() else {
        return items.into_iter().map(Cow::Borrowed).collect();
    };
    let parent = from.strip_suffix('s').unwrap_or(from);
    let mut rows = Vec::new();
    for item in items {
        let Some(children) = item.get(head) else { continue };
        for mut row in explode_from(children, rest, head) {
            if let (false, true, Value::Object(p)) = (parent.is_empty(), row.is_object(), item) {
                if let Value::Object(m) = row.to_mut() {
                    for (k, x) in p {
                        if k != head && !x.is_array() {
                            m.insert(format!("{parent}.{k}"), x.clone());
                        }
                    }
                }
            }
            rows.push(row);
        }
    }
    rows
}
