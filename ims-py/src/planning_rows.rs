//! A planning function called once per row of a table, in one call
//! (`ims.frames.policy_frame`): a data team's 10,000 items in, 10,000
//! answers out, without a Python dict, a JSON value or a name lookup per
//! row (those cost ≈ 4–5 µs a call through `planning_call`, more than most
//! closed forms themselves).
//!
//! The function's arguments are read from the row by serde: [`RowDe`] is a
//! `Deserializer` over one row of the [`Frame`]'s columns, where a column
//! named like a parameter gives its value and columns named `param.field`
//! give the fields of a struct parameter (`params.holding_cost` for
//! `policy.rq.eoq_ss`). Columns no parameter names are ignored (an item
//! code carried through). The answer goes through [`Sink`], a `Serializer`
//! that appends each (nested) field of a flat result to a column
//! (`reorder_point`, ...; `value` for a number). Functions with list or
//! distribution parameters, or text in their results, are refused.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use serde::de::value::Error as DeError;
use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor};
use serde::ser::{self, Impossible, Serialize, Serializer};

use ims_core::Error;

use crate::columns::{f64_at, i64_at, parts_of, Col, Frame};
use crate::errors::to_pyerr;

/// One row of a frame, as a function's arguments (or, under `prefix`, as
/// a struct argument's fields).
pub(crate) struct RowDe<'f, 'a> {
    frame: &'f Frame<'a>,
    row: usize,
    prefix: &'f str,
}

impl<'de> Deserializer<'de> for RowDe<'_, '_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, DeError> {
        Err(de::Error::custom("a per-row call takes numbers and structs of numbers only"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, DeError> {
        v.visit_map(Fields { de: self, fields: fields.iter(), next: None })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

/// What the next key's value comes from.
enum Next<'f, 'a> {
    Cell(&'f Col<'a>),
    Nested(&'f str),
}

/// The fields of a struct that the row has columns for, in declaration
/// order; the others are left to serde (a default, or "missing field").
struct Fields<'f, 'a> {
    de: RowDe<'f, 'a>,
    fields: std::slice::Iter<'static, &'static str>,
    next: Option<Next<'f, 'a>>,
}

impl<'de> MapAccess<'de> for Fields<'_, '_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        let (frame, prefix) = (self.de.frame, self.de.prefix);
        for f in self.fields.by_ref() {
            let name = if prefix.is_empty() { std::borrow::Cow::Borrowed(*f) } else { format!("{prefix}{f}").into() };
            let next = match frame.col(&name) {
                Some(c) => Some(Next::Cell(c)),
                None => {
                    let nested = format!("{name}.");
                    frame.first_with_prefix(&nested).map(|k| Next::Nested(&k[..nested.len()]))
                }
            };
            if next.is_some() {
                self.next = next;
                return seed.deserialize(IntoDeserializer::<DeError>::into_deserializer(*f)).map(Some);
            }
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let (frame, row) = (self.de.frame, self.de.row);
        match self.next.take() {
            Some(Next::Cell(col)) => seed.deserialize(Cell { col, row }),
            Some(Next::Nested(prefix)) => seed.deserialize(RowDe { frame, row, prefix }),
            None => Err(de::Error::custom("a value without its key")),
        }
    }
}

/// One cell: a float or an integer.
struct Cell<'f, 'a> {
    col: &'f Col<'a>,
    row: usize,
}

impl<'de> Deserializer<'de> for Cell<'_, '_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        match self.col {
            Col::F64(b) => v.visit_f64(f64_at(b, self.row)),
            Col::I64(b) => v.visit_i64(i64_at(b, self.row)),
            _ => Err(de::Error::custom("want a column of numbers")),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        v.visit_some(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// The values of one result column.
pub(crate) enum Values {
    F64(Vec<f64>),
    I64(Vec<i64>),
    Bool(Vec<bool>),
}

/// One result column: its values (a placeholder where absent) and which
/// rows have one.
pub(crate) struct OutCol {
    pub name: String,
    pub values: Option<Values>,
    pub valid: Vec<bool>,
}

/// Collects results row by row into columns.
#[derive(Default)]
pub(crate) struct Sink {
    pub cols: Vec<OutCol>,
    row: usize,
    path: String,
}

impl Sink {
    /// Appends one result as the next row.
    pub(crate) fn put<T: Serialize>(&mut self, v: &T) -> Result<(), Error> {
        self.path.clear();
        v.serialize(&mut *self).map_err(|e| Error::InvalidCommand { reason: format!("a per-row result: {e}") })?;
        self.row += 1;
        Ok(())
    }

    /// Pads every column to `n` rows (a field absent from the last rows).
    pub(crate) fn finish(&mut self, n: usize) {
        for c in &mut self.cols {
            pad(c, n);
        }
    }

    fn push(&mut self, v: Option<Scalar>) -> Result<(), DeError> {
        let name = if self.path.is_empty() { "value" } else { self.path.as_str() };
        let ix = match self.cols.iter().position(|c| c.name == name) {
            Some(i) => i,
            None => {
                self.cols.push(OutCol { name: name.to_owned(), values: None, valid: Vec::new() });
                self.cols.len() - 1
            }
        };
        let row = self.row;
        let c = &mut self.cols[ix];
        pad(c, row);
        if c.valid.len() > row {
            return Err(ser::Error::custom(format!("{} given twice", c.name)));
        }
        let n = c.valid.len();
        match (v, &mut c.values) {
            (None, Some(vals)) => push_default(vals),
            (None, None) => {}
            (Some(s), vals @ None) => {
                *vals = Some(match s {
                    Scalar::F(_) => Values::F64(vec![0.0; n]),
                    Scalar::I(_) => Values::I64(vec![0; n]),
                    Scalar::B(_) => Values::Bool(vec![false; n]),
                });
                push_scalar(vals.as_mut().expect("just set"), s, &c.name)?;
            }
            (Some(s), Some(vals)) => push_scalar(vals, s, &c.name)?,
        }
        c.valid.push(v.is_some());
        Ok(())
    }
}

#[derive(Clone, Copy)]
enum Scalar {
    F(f64),
    I(i64),
    B(bool),
}

fn pad(c: &mut OutCol, n: usize) {
    while c.valid.len() < n {
        if let Some(v) = &mut c.values {
            push_default(v);
        }
        c.valid.push(false);
    }
}

fn push_default(v: &mut Values) {
    match v {
        Values::F64(x) => x.push(0.0),
        Values::I64(x) => x.push(0),
        Values::Bool(x) => x.push(false),
    }
}

fn push_scalar(v: &mut Values, s: Scalar, name: &str) -> Result<(), DeError> {
    match (v, s) {
        (Values::F64(x), Scalar::F(f)) => x.push(f),
        (Values::F64(x), Scalar::I(i)) => x.push(i as f64),
        (Values::I64(x), Scalar::I(i)) => x.push(i),
        (Values::Bool(x), Scalar::B(b)) => x.push(b),
        _ => return Err(ser::Error::custom(format!("{name}: values of different types"))),
    }
    Ok(())
}

macro_rules! unsupported {
    ($($f:ident($($t:ty),*);)*) => {
        $(fn $f(self, $(_: $t),*) -> Result<(), DeError> {
            Err(ser::Error::custom("not a flat record of numbers"))
        })*
    };
}

impl Serializer for &mut Sink {
    type Ok = ();
    type Error = DeError;
    type SerializeSeq = Impossible<(), DeError>;
    type SerializeTuple = Impossible<(), DeError>;
    type SerializeTupleStruct = Impossible<(), DeError>;
    type SerializeTupleVariant = Impossible<(), DeError>;
    type SerializeMap = Impossible<(), DeError>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), DeError>;

    fn serialize_bool(self, v: bool) -> Result<(), DeError> {
        self.push(Some(Scalar::B(v)))
    }
    fn serialize_i8(self, v: i8) -> Result<(), DeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), DeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), DeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), DeError> {
        self.push(Some(Scalar::I(v)))
    }
    fn serialize_u8(self, v: u8) -> Result<(), DeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), DeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), DeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), DeError> {
        let v = i64::try_from(v).map_err(|_| ser::Error::custom("an integer beyond 64 bits"))?;
        self.serialize_i64(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), DeError> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), DeError> {
        self.push(Some(Scalar::F(v)))
    }
    fn serialize_none(self) -> Result<(), DeError> {
        self.push(None)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<(), DeError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), DeError> {
        self.push(None)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, v: &T) -> Result<(), DeError> {
        v.serialize(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, DeError> {
        Ok(self)
    }
    unsupported! {
        serialize_char(char);
        serialize_str(&str);
        serialize_bytes(&[u8]);
        serialize_unit_struct(&'static str);
        serialize_unit_variant(&'static str, u32, &'static str);
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), DeError> {
        Err(ser::Error::custom("not a flat record of numbers"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, DeError> {
        Err(ser::Error::custom("not a flat record of numbers (a list)"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, DeError> {
        Err(ser::Error::custom("not a flat record of numbers (a tuple)"))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, DeError> {
        Err(ser::Error::custom("not a flat record of numbers (a tuple)"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, DeError> {
        Err(ser::Error::custom("not a flat record of numbers"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, DeError> {
        Err(ser::Error::custom("not a flat record of numbers (a map)"))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, DeError> {
        Err(ser::Error::custom("not a flat record of numbers"))
    }
}

impl ser::SerializeStruct for &mut Sink {
    type Ok = ();
    type Error = DeError;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, v: &T) -> Result<(), DeError> {
        let len = self.path.len();
        if len > 0 {
            self.path.push('.');
        }
        self.path.push_str(key);
        let r = v.serialize(&mut **self);
        self.path.truncate(len);
        r
    }

    fn end(self) -> Result<(), DeError> {
        Ok(())
    }
}

/// A planning function's per-row form: arguments from a row, the result
/// into the sink.
pub(crate) type RowFn = fn(RowDe<'_, '_>, &mut Sink) -> Result<(), Error>;

/// The arguments of `function` from a row, as serde reads them; a bad row
/// is `INVALID_COMMAND` naming the function and the reason.
pub(crate) fn args<'de, T: serde::Deserialize<'de>>(function: &str, d: RowDe<'_, '_>) -> Result<T, Error> {
    T::deserialize(d).map_err(|e| Error::InvalidCommand { reason: format!("{function}: {e}") })
}

/// An Arrow validity (or boolean) bitmap, least significant bit first.
fn bitmap(bits: impl ExactSizeIterator<Item = bool>) -> Vec<u8> {
    let mut out = vec![0u8; bits.len().div_ceil(8)];
    for (i, b) in bits.enumerate() {
        if b {
            out[i / 8] |= 1 << (i % 8);
        }
    }
    out
}

/// One result column for Python: name, Arrow type ("f64", "i64", "bool"),
/// the values buffer, and the validity bitmap with the null count (None
/// when every row has a value).
type OutColumn<'py> = (String, &'static str, Bound<'py, PyBytes>, Option<(Bound<'py, PyBytes>, usize)>);

/// Calls the planning function `function` once per row of `columns`
/// (`{name: (kind, buffers...)}`, "f64" and "i64" columns) with the GIL
/// released; its results as Arrow-ready columns. A row the function (or
/// its argument parsing) refuses refuses the call: `BATCH_REFUSED` with
/// the row's index and the reason.
#[pyfunction]
#[pyo3(signature = (function, columns))]
pub(crate) fn planning_rows<'py>(
    py: Python<'py>,
    function: &str,
    columns: Bound<'py, PyDict>,
) -> PyResult<Vec<OutColumn<'py>>> {
    let Some(f) = crate::planning::row_fn(function) else {
        let reason = format!("no planning function {function:?}");
        return Err(to_pyerr(py, &Error::InvalidCommand { reason }));
    };
    let parts = parts_of(&columns)?;
    let frame = Frame::from_parts(py, &parts)?;
    let sink = py.detach(|| -> Result<Sink, Error> {
        let mut sink = Sink::default();
        for row in 0..frame.len {
            f(RowDe { frame: &frame, row, prefix: "" }, &mut sink)
                .map_err(|e| Error::BatchRefused { index: row as u32, source: Box::new(e) })?;
        }
        sink.finish(frame.len);
        Ok(sink)
    });
    let sink = sink.map_err(|e| to_pyerr(py, &e))?;
    let mut out = Vec::with_capacity(sink.cols.len());
    for c in sink.cols {
        let nulls = c.valid.iter().filter(|v| !**v).count();
        let validity = (nulls > 0).then(|| (PyBytes::new(py, &bitmap(c.valid.iter().copied())), nulls));
        let (kind, data): (&'static str, Vec<u8>) = match c.values {
            Some(Values::F64(v)) => ("f64", v.iter().flat_map(|x| x.to_le_bytes()).collect()),
            Some(Values::I64(v)) => ("i64", v.iter().flat_map(|x| x.to_le_bytes()).collect()),
            Some(Values::Bool(v)) => ("bool", bitmap(v.into_iter())),
            None => ("f64", vec![0; c.valid.len() * 8]),
        };
        out.push((c.name, kind, PyBytes::new(py, &data), validity));
    }
    Ok(out)
}
