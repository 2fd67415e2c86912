//! Query answers as columns: the rows of an answer (plan lines, analytics
//! rows, availability, forecasts) written into Arrow-ready buffers in Rust
//! straight from the typed result's serde calls ([`Columns`], an
//! [`ims_core::Answer`]), so a DataFrame of a million rows costs no Python
//! object and no JSON value per row.
//!
//! The rows: see [`Columns`]. Each row reads as its JSON object would:
//! nested objects flatten into dotted names (`why.on_hand`); lists become
//! JSON text. A column's type is the narrowest that holds every value:
//! bool, i64, f64, decimal (decimal strings under a quantity or money key,
//! as decimal128 at the largest scale seen) or string; missing values and
//! nulls are nulls. Columns come in the order their names first appear,
//! a row's names in the order of its JSON object's keys (sorted, a nested
//! object's at its key).

use std::collections::HashMap;

use ims_core::{Answer, Error};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyTuple};
use rust_decimal::Decimal;
use serde::ser::{self, Serialize, SerializeMap};
use serde_json::Value;

/// Implements serde compound traits whose calls all go to one method per
/// element (`element(v)`) or keyed field (`field(key, v)`) and one at the
/// end (`finish()`): serde asks the same of a list, a tuple and their
/// struct and variant forms.
macro_rules! compound {
    ($ty:ty: $($tr:ident::$call:ident),+ => elements) => {$(
        impl serde::ser::$tr for $ty {
            type Ok = ();
            type Error = SerError;
            fn $call<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerError> {
                self.element(v)
            }
            fn end(self) -> Result<(), SerError> {
                self.finish()
            }
        }
    )+};
    ($ty:ty: $($tr:ident::$call:ident),+ => fields) => {$(
        impl serde::ser::$tr for $ty {
            type Ok = ();
            type Error = SerError;
            fn $call<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), SerError> {
                self.field(key, v)
            }
            fn end(self) -> Result<(), SerError> {
                self.finish()
            }
        }
    )+};
}

mod ser_impls;
#[cfg(test)]
mod tests;

/// One value of a column, as the serde calls gave it.
#[derive(Clone, Copy, Debug)]
enum Cell {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    /// Text in the column's buffer: a string, or (`json`) a list's JSON.
    Text {
        start: usize,
        end: usize,
        json: bool,
    },
}

struct Column {
    name: String,
    /// The name's keys, each as the row's JSON object holds it (a parent's
    /// field `proposal.id` is one key): the order of a row's names.
    keys: Vec<String>,
    /// The row that named it first.
    first_row: usize,
    cells: Vec<Cell>,
    text: String,
}

/// The rows of one answer, column by column.
#[derive(Default)]
pub(crate) struct Table {
    cols: Vec<Column>,
    index: HashMap<String, usize>,
    rows: usize,
    /// Whether each row is a JSON object (only those take their parents'
    /// fields).
    object_rows: Vec<bool>,
    /// Where the next cell goes: its row, its dotted name and, per key of
    /// the name, the name's length before it and where its text starts.
    row: usize,
    name: String,
    marks: Vec<(usize, usize)>,
    /// The column tried first for the next cell: rows nearly always have
    /// the same fields in the same order.
    next: usize,
}

/// An answer's rows: a list answer's elements; under `path`, the elements
/// of nested lists, each with the scalar fields of the elements it came
/// from as `parent.field` (`["proposals", "lines"]` gives one row per plan
/// line with `proposal.id`, `proposal.supplier`, ...). The answer's own
/// top-level fields are left out (they are the same on every row).
pub(crate) struct Columns<'p> {
    pub path: &'p [String],
}

impl Answer for Columns<'_> {
    type Out = Table;
    fn answer<T: Serialize + ?Sized>(self, v: &T) -> Result<Table, Error> {
        let mut t = Table::default();
        v.serialize(Nav { t: &mut t, path: self.path, from: "", unpacked: false })
            .map_err(|e| Error::InvalidCommand { reason: e.0 })?;
        Ok(t)
    }
}

/// A value the columns cannot hold (an integer past 64 bits, a map key
/// that is not a string or number).
#[derive(Debug)]
pub(crate) struct SerError(String);

impl std::fmt::Display for SerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SerError {}

impl ser::Error for SerError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        SerError(msg.to_string())
    }
}

/// `v` as a JSON value (the forms kept whole: lists in rows, parents'
/// fields).
fn to_json<T: Serialize + ?Sized>(v: &T) -> Result<Value, SerError> {
    serde_json::to_value(v).map_err(|e| SerError(e.to_string()))
}

/// A map key as serde_json writes it as an object's key: a one-entry map
/// made into a JSON value, its key taken back.
fn key_text<K: Serialize + ?Sized>(k: &K) -> Result<String, SerError> {
    struct One<'k, K: ?Sized>(&'k K);
    impl<K: Serialize + ?Sized> Serialize for One<'_, K> {
        fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut m = s.serialize_map(Some(1))?;
            m.serialize_entry(self.0, &())?;
            m.end()
        }
    }
    match to_json(&One(k))? {
        Value::Object(m) => Ok(m.into_iter().next().map(|(k, _)| k).unwrap_or_default()),
        _ => Err(SerError("a map key".into())),
    }
}

impl Table {
    fn begin_row(&mut self) {
        self.row = self.rows;
        self.rows += 1;
        self.object_rows.push(false);
        self.name.clear();
        self.marks.clear();
        self.next = 0;
    }

    /// Continues the dotted name with `key` (after a dot unless the name
    /// is still empty, as a JSON object's keys flatten).
    fn push_key(&mut self, key: &str) {
        let before = self.name.len();
        if before > 0 {
            self.name.push('.');
        }
        self.marks.push((before, self.name.len()));
        self.name.push_str(key);
    }

    fn pop_key(&mut self) {
        if let Some((before, _)) = self.marks.pop() {
            self.name.truncate(before);
        }
    }

    /// The current name's keys.
    fn keys(&self) -> Vec<String> {
        if self.marks.is_empty() {
            return vec![self.name.clone()];
        }
        let ends = self.marks.iter().skip(1).map(|m| m.0).chain([self.name.len()]);
        self.marks.iter().zip(ends).map(|(m, end)| self.name[m.1..end].to_owned()).collect()
    }

    /// The column of the current name, made when new, with a cell for the
    /// current row.
    fn slot(&mut self) -> usize {
        let c = if self.cols.get(self.next).is_some_and(|c| c.name == self.name) {
            self.next
        } else if let Some(&c) = self.index.get(self.name.as_str()) {
            c
        } else {
            self.index.insert(self.name.clone(), self.cols.len());
            self.cols.push(Column {
                name: self.name.clone(),
                keys: self.keys(),
                first_row: self.row,
                cells: Vec::new(),
                text: String::new(),
            });
            self.cols.len() - 1
        };
        self.next = c + 1;
        // A parent's field is written into its rows after them, so a
        // column can gain a row before the one that made it.
        if self.row < self.cols[c].first_row {
            let keys = self.keys();
            let col = &mut self.cols[c];
            col.first_row = self.row;
            col.keys = keys;
        }
        let col = &mut self.cols[c];
        if col.cells.len() <= self.row {
            col.cells.resize(self.row + 1, Cell::Null);
        }
        c
    }

    fn put(&mut self, cell: Cell) {
        let c = self.slot();
        self.cols[c].cells[self.row] = cell;
    }

    fn put_text(&mut self, s: &str, json: bool) {
        let c = self.slot();
        let col = &mut self.cols[c];
        let start = col.text.len();
        col.text.push_str(s);
        col.cells[self.row] = Cell::Text { start, end: col.text.len(), json };
    }

    /// Writes a parent's field `name` (a JSON value, flattened) into every
    /// object row of `rows`.
    fn put_parent_field(&mut self, rows: std::ops::Range<usize>, name: &str, v: &Value) -> Result<(), SerError> {
        for r in rows {
            if !self.object_rows[r] {
                continue;
            }
            self.row = r;
            self.name.clear();
            self.marks.clear();
            self.push_key(name);
            v.serialize(Field { t: self, depth: 1 })?;
        }
        Ok(())
    }

    /// Each column, in order: its name, kind, values, validity (one byte
    /// per row) and extra buffer (see [`Self::into_py`]).
    pub(crate) fn encoded(mut self) -> Vec<Encoded> {
        self.cols.sort_by(|a, b| (a.first_row, &a.keys).cmp(&(b.first_row, &b.keys)));
        let rows = self.rows;
        self.cols
            .into_iter()
            .map(|mut col| {
                col.cells.resize(rows, Cell::Null);
                let (kind, values, extra) = encode(&col);
                let validity = col.cells.iter().map(|c| !matches!(c, Cell::Null) as u8).collect();
                Encoded { name: col.name, kind, values, validity, extra: extra.unwrap_or_default() }
            })
            .collect()
    }

    /// `[(name, kind, values, validity, extra)]` per column: kind "bool" /
    /// "i64" (8 bytes), "f64" (8 bytes), "dec" (16 bytes, extra = scale) or
    /// "str" (values = i64 offsets, extra = the UTF-8 data); validity one
    /// byte per row.
    pub(crate) fn into_py(self, py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
        let out = PyList::empty(py);
        for c in self.encoded() {
            let t = PyTuple::new(
                py,
                [
                    c.name.into_pyobject(py)?.into_any(),
                    c.kind.into_pyobject(py)?.into_any(),
                    PyBytes::new(py, &c.values).into_any(),
                    PyBytes::new(py, &c.validity).into_any(),
                    PyBytes::new(py, &c.extra).into_any(),
                ],
            )?;
            out.append(t)?;
        }
        Ok(out)
    }
}

/// One column's buffers.
#[derive(Debug, PartialEq)]
pub(crate) struct Encoded {
    pub name: String,
    pub kind: &'static str,
    pub values: Vec<u8>,
    pub validity: Vec<u8>,
    pub extra: Vec<u8>,
}

fn is_decimal_key(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    ims_core::ops::is_answer_decimal_key(last)
}

fn text<'c>(col: &'c Column, c: &Cell) -> Option<&'c str> {
    match *c {
        Cell::Text { start, end, json: false } => col.text.get(start..end),
        _ => None,
    }
}

/// The narrowest kind holding every value of the column, and its buffers.
fn encode(col: &Column) -> (&'static str, Vec<u8>, Option<Vec<u8>>) {
    let present = || col.cells.iter().filter(|c| !matches!(c, Cell::Null));
    let as_i64 = |c: &Cell| match *c {
        Cell::I64(x) => Some(x),
        Cell::U64(x) => i64::try_from(x).ok(),
        _ => None,
    };
    let as_f64 = |c: &Cell| match *c {
        Cell::I64(x) => Some(x as f64),
        Cell::U64(x) => Some(x as f64),
        Cell::F64(x) => Some(x),
        _ => None,
    };
    if present().all(|c| matches!(c, Cell::Bool(_))) {
        let v = col.cells.iter().map(|c| matches!(c, Cell::Bool(true)) as u8).collect();
        return ("bool", v, None);
    }
    if present().all(|c| as_i64(c).is_some()) {
        return ("i64", col.cells.iter().flat_map(|c| as_i64(c).unwrap_or(0).to_le_bytes()).collect(), None);
    }
    if present().all(|c| as_f64(c).is_some()) {
        return ("f64", col.cells.iter().flat_map(|c| as_f64(c).unwrap_or(0.0).to_le_bytes()).collect(), None);
    }
    if is_decimal_key(&col.name) {
        if let Some(decimals) = parse_decimals(col) {
            let scale = decimals.iter().map(Decimal::scale).max().unwrap_or(0);
            let bytes = decimals
                .into_iter()
                .flat_map(|mut d| {
                    d.rescale(scale);
                    d.mantissa().to_le_bytes()
                })
                .collect();
            return ("dec", bytes, Some(vec![scale as u8]));
        }
    }
    let mut offsets = Vec::with_capacity((col.cells.len() + 1) * 8);
    offsets.extend_from_slice(&0i64.to_le_bytes());
    let mut data = String::with_capacity(col.text.len());
    for c in &col.cells {
        match *c {
            Cell::Null => {}
            Cell::Text { start, end, .. } => data.push_str(&col.text[start..end]),
            Cell::Bool(b) => data.push_str(if b { "true" } else { "false" }),
            Cell::I64(x) => data.push_str(&x.to_string()),
            Cell::U64(x) => data.push_str(&x.to_string()),
            Cell::F64(x) => data.push_str(&Value::from(x).to_string()),
        }
        offsets.extend_from_slice(&(data.len() as i64).to_le_bytes());
    }
    ("str", offsets, Some(data.into_bytes()))
}

/// Every value as a decimal (zero where missing), or `None` when one is
/// not a decimal string.
fn parse_decimals(col: &Column) -> Option<Vec<Decimal>> {
    col.cells
        .iter()
        .map(|c| match c {
            Cell::Null => Some(Decimal::ZERO),
            c => text(col, c)?.parse::<Decimal>().ok(),
        })
        .collect()
}

/// Walks the answer down `path` to its rows.
struct Nav<'t, 'p> {
    t: &'t mut Table,
    path: &'p [String],
    /// The list the value came from (`proposals`), its elements' parent
    /// name without the `s`; empty at the answer itself.
    from: &'p str,
    /// Whether the value is already a list's element (a list in a list is
    /// not walked into).
    unpacked: bool,
}

/// Writes one value of a row at the table's current name, flattening
/// objects.
struct Field<'t> {
    t: &'t mut Table,
    /// 0: the row itself.
    depth: usize,
}

/// A list of items (while walking) or of rows (at the path's end).
struct NavSeq<'t, 'p> {
    t: &'t mut Table,
    path: &'p [String],
    from: &'p str,
    /// A list in a list while walking: nothing to walk into.
    skip: bool,
}

impl NavSeq<'_, '_> {
    fn element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerError> {
        if self.skip {
            return Ok(());
        }
        if self.path.is_empty() {
            self.t.begin_row();
            v.serialize(Field { t: self.t, depth: 0 })
        } else {
            v.serialize(Nav { t: self.t, path: self.path, from: self.from, unpacked: true })
        }
    }
    fn finish(self) -> Result<(), SerError> {
        Ok(())
    }
}

compound!(NavSeq<'_, '_>: SerializeSeq::serialize_element, SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field => elements);

/// An object on the way to the rows: its `path[0]` field is walked, its
/// other fields (when it is a list's element) kept for the rows below.
struct NavObject<'t, 'p> {
    t: &'t mut Table,
    path: &'p [String],
    parent: &'p str,
    key: Option<String>,
    fields: Vec<(String, Value)>,
    rows: std::ops::Range<usize>,
}

impl NavObject<'_, '_> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, v: &T) -> Result<(), SerError> {
        let (head, rest) = (&self.path[0], &self.path[1..]);
        if key == head.as_str() {
            let start = self.t.rows;
            v.serialize(Nav { t: self.t, path: rest, from: head.as_str(), unpacked: false })?;
            self.rows = start..self.t.rows;
        } else if !self.parent.is_empty() {
            let v = to_json(v)?;
            if !v.is_array() {
                self.fields.push((format!("{}.{key}", self.parent), v));
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<(), SerError> {
        for (name, v) in &self.fields {
            self.t.put_parent_field(self.rows.clone(), name, v)?;
        }
        Ok(())
    }
}

compound!(NavObject<'_, '_>: SerializeStruct::serialize_field => fields);

impl SerializeMap for NavObject<'_, '_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), SerError> {
        self.key = Some(key_text(k)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerError> {
        let key = self.key.take().unwrap_or_default();
        self.field(&key, v)
    }
    fn end(self) -> Result<(), SerError> {
        self.finish()
    }
}

/// An object of a row: each field written under its key.
struct FieldObject<'t> {
    t: &'t mut Table,
    depth: usize,
    /// The variant's key the object sits under, popped at the end.
    variant: bool,
}

impl FieldObject<'_> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, v: &T) -> Result<(), SerError> {
        self.t.push_key(key);
        let r = v.serialize(Field { t: self.t, depth: self.depth + 1 });
        self.t.pop_key();
        r
    }
    fn finish(self) -> Result<(), SerError> {
        if self.variant {
            self.t.pop_key();
        }
        Ok(())
    }
}

compound!(FieldObject<'_>: SerializeStruct::serialize_field, SerializeStructVariant::serialize_field => fields);

impl SerializeMap for FieldObject<'_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), SerError> {
        let key = key_text(k)?;
        self.t.push_key(&key);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerError> {
        let r = v.serialize(Field { t: self.t, depth: self.depth + 1 });
        self.t.pop_key();
        r
    }
    fn end(self) -> Result<(), SerError> {
        self.finish()
    }
}

/// A list inside a row: kept as its JSON text.
struct FieldList<'t> {
    t: &'t mut Table,
    items: Vec<Value>,
    /// A tuple variant's name: the list sits under that key.
    variant: Option<&'static str>,
}

impl FieldList<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerError> {
        self.items.push(to_json(v)?);
        Ok(())
    }
    fn finish(self) -> Result<(), SerError> {
        if let Some(v) = self.variant {
            self.t.push_key(v);
        }
        let json = Value::Array(self.items).to_string();
        self.t.put_text(&json, true);
        if self.variant.is_some() {
            self.t.pop_key();
        }
        Ok(())
    }
}

compound!(FieldList<'_>: SerializeSeq::serialize_element, SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field, SerializeTupleVariant::serialize_field => elements);
