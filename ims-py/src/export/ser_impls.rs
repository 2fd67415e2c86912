//! The serde `Serializer` side of [`super::Nav`] (walking an answer to its
//! rows) and [`super::Field`] (writing a row's values), each call read as
//! `serde_json::to_value` would read it: a newtype variant is the object
//! `{variant: value}`, a unit variant its name, a non-finite float null.

use serde::ser::{self, Serialize, SerializeMap};
use serde_json::Value;

use super::{to_json, Cell, Field, FieldList, FieldObject, Nav, NavObject, NavSeq, SerError};

/// A 128-bit integer as JSON holds it: within 64 bits, or refused.
fn wide(v: i128) -> Result<Cell, SerError> {
    if let Ok(x) = i64::try_from(v) {
        Ok(Cell::I64(x))
    } else if let Ok(x) = u64::try_from(v) {
        Ok(Cell::U64(x))
    } else {
        Err(SerError(format!("{v} does not fit 64 bits")))
    }
}

fn float(x: f64) -> Cell {
    if x.is_finite() {
        Cell::F64(x)
    } else {
        Cell::Null
    }
}

impl Field<'_> {
    fn put(self, c: Cell) -> Result<(), SerError> {
        self.t.put(c);
        Ok(())
    }
    /// The row is an object when its top value is one.
    fn object(&mut self) {
        if self.depth == 0 {
            let r = self.t.row;
            self.t.object_rows[r] = true;
        }
    }
}

impl<'t> ser::Serializer for Field<'t> {
    type Ok = ();
    type Error = SerError;
    type SerializeSeq = FieldList<'t>;
    type SerializeTuple = FieldList<'t>;
    type SerializeTupleStruct = FieldList<'t>;
    type SerializeTupleVariant = FieldList<'t>;
    type SerializeMap = FieldObject<'t>;
    type SerializeStruct = FieldObject<'t>;
    type SerializeStructVariant = FieldObject<'t>;

    fn serialize_bool(self, v: bool) -> Result<(), SerError> {
        self.put(Cell::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<(), SerError> {
        self.put(Cell::I64(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<(), SerError> {
        self.put(Cell::I64(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<(), SerError> {
        self.put(Cell::I64(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<(), SerError> {
        self.put(Cell::I64(v))
    }
    fn serialize_i128(self, v: i128) -> Result<(), SerError> {
        let c = wide(v)?;
        self.put(c)
    }
    fn serialize_u8(self, v: u8) -> Result<(), SerError> {
        self.put(Cell::U64(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<(), SerError> {
        self.put(Cell::U64(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<(), SerError> {
        self.put(Cell::U64(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<(), SerError> {
        self.put(Cell::U64(v))
    }
    fn serialize_u128(self, v: u128) -> Result<(), SerError> {
        let c = i128::try_from(v).map_err(|_| SerError(format!("{v} does not fit 64 bits"))).and_then(wide)?;
        self.put(c)
    }
    fn serialize_f32(self, v: f32) -> Result<(), SerError> {
        self.put(float(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Result<(), SerError> {
        self.put(float(v))
    }
    fn serialize_char(self, v: char) -> Result<(), SerError> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), SerError> {
        self.t.put_text(v, false);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), SerError> {
        self.t.put_text(&to_json(v)?.to_string(), true);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), SerError> {
        self.put(Cell::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), SerError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), SerError> {
        self.put(Cell::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), SerError> {
        self.put(Cell::Null)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), SerError> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Result<(), SerError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), SerError> {
        self.object();
        let mut o = FieldObject { t: self.t, depth: self.depth, variant: false };
        o.field(variant, v)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<FieldList<'t>, SerError> {
        Ok(FieldList { t: self.t, items: Vec::with_capacity(len.unwrap_or(0)), variant: None })
    }
    fn serialize_tuple(self, len: usize) -> Result<FieldList<'t>, SerError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<FieldList<'t>, SerError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        mut self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<FieldList<'t>, SerError> {
        self.object();
        Ok(FieldList { t: self.t, items: Vec::with_capacity(len), variant: Some(variant) })
    }
    fn serialize_map(mut self, _: Option<usize>) -> Result<FieldObject<'t>, SerError> {
        self.object();
        Ok(FieldObject { t: self.t, depth: self.depth, variant: false })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<FieldObject<'t>, SerError> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        mut self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<FieldObject<'t>, SerError> {
        self.object();
        self.t.push_key(variant);
        Ok(FieldObject { t: self.t, depth: self.depth + 1, variant: true })
    }
}

impl<'t, 'p> Nav<'t, 'p> {
    /// At the path's end a value that is not a list to unpack is one row.
    fn into_row(self) -> Field<'t> {
        self.t.begin_row();
        Field { t: self.t, depth: 0 }
    }
    fn object(self) -> NavObject<'t, 'p> {
        let parent = self.from.strip_suffix('s').unwrap_or(self.from);
        NavObject { t: self.t, path: self.path, parent, key: None, fields: Vec::new(), rows: 0..0 }
    }
    /// A variant with content is the object `{variant: content}`.
    fn variant(self, variant: &'static str, content: Value) -> Result<(), SerError> {
        let mut m = serde_json::Map::new();
        m.insert(variant.to_owned(), content);
        Value::Object(m).serialize(self)
    }
}

/// Forwards a scalar to the row it is (at the path's end), or ignores it
/// (there is nothing to walk into).
macro_rules! nav_scalars {
    ($($method:ident($($v:ident: $t:ty),*);)*) => {$(
        fn $method(self $(, $v: $t)*) -> Result<(), SerError> {
            if self.path.is_empty() {
                self.into_row().$method($($v),*)
            } else {
                Ok(())
            }
        }
    )*};
}

impl<'t, 'p> ser::Serializer for Nav<'t, 'p> {
    type Ok = ();
    type Error = SerError;
    type SerializeSeq = NavSeq<'t, 'p>;
    type SerializeTuple = NavSeq<'t, 'p>;
    type SerializeTupleStruct = NavSeq<'t, 'p>;
    type SerializeTupleVariant = Collect<'t, 'p>;
    type SerializeMap = NavOrRow<'t, 'p>;
    type SerializeStruct = NavOrRow<'t, 'p>;
    type SerializeStructVariant = Collect<'t, 'p>;

    nav_scalars! {
        serialize_bool(v: bool);
        serialize_i8(v: i8);
        serialize_i16(v: i16);
        serialize_i32(v: i32);
        serialize_i64(v: i64);
        serialize_i128(v: i128);
        serialize_u8(v: u8);
        serialize_u16(v: u16);
        serialize_u32(v: u32);
        serialize_u64(v: u64);
        serialize_u128(v: u128);
        serialize_f32(v: f32);
        serialize_f64(v: f64);
        serialize_char(v: char);
        serialize_str(v: &str);
        serialize_bytes(v: &[u8]);
        serialize_none();
        serialize_unit();
    }

    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), SerError> {
        v.serialize(self)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), SerError> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), SerError> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Result<(), SerError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), SerError> {
        let content = to_json(v)?;
        self.variant(variant, content)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<NavSeq<'t, 'p>, SerError> {
        // A list's elements are the items (or rows); a list that is itself
        // an element (only ever walked with a path left) holds no field to
        // walk into.
        Ok(NavSeq { t: self.t, path: self.path, from: self.from, skip: self.unpacked })
    }
    fn serialize_tuple(self, len: usize) -> Result<NavSeq<'t, 'p>, SerError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<NavSeq<'t, 'p>, SerError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Collect<'t, 'p>, SerError> {
        Ok(Collect { target: self, variant, tuple: true, items: Vec::new(), fields: serde_json::Map::new() })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<NavOrRow<'t, 'p>, SerError> {
        if self.path.is_empty() {
            let mut f = self.into_row();
            f.object();
            return Ok(NavOrRow::Row(FieldObject { t: f.t, depth: 0, variant: false }));
        }
        Ok(NavOrRow::Nav(self.object()))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<NavOrRow<'t, 'p>, SerError> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Collect<'t, 'p>, SerError> {
        Ok(Collect { target: self, variant, tuple: false, items: Vec::new(), fields: serde_json::Map::new() })
    }
}

/// An object met while walking: an item on the way, or (at the path's
/// end) a row.
pub(super) enum NavOrRow<'t, 'p> {
    Nav(NavObject<'t, 'p>),
    Row(FieldObject<'t>),
}

impl NavOrRow<'_, '_> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), SerError> {
        match self {
            NavOrRow::Nav(o) => o.field(key, v),
            NavOrRow::Row(o) => o.field(key, v),
        }
    }
    fn finish(self) -> Result<(), SerError> {
        match self {
            NavOrRow::Nav(o) => o.finish(),
            NavOrRow::Row(o) => o.finish(),
        }
    }
}

compound!(NavOrRow<'_, '_>: SerializeStruct::serialize_field => fields);

impl SerializeMap for NavOrRow<'_, '_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), SerError> {
        match self {
            NavOrRow::Nav(o) => o.serialize_key(k),
            NavOrRow::Row(o) => o.serialize_key(k),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerError> {
        match self {
            NavOrRow::Nav(o) => o.serialize_value(v),
            NavOrRow::Row(o) => o.serialize_value(v),
        }
    }
    fn end(self) -> Result<(), SerError> {
        self.finish()
    }
}

/// A tuple or struct variant met while walking, gathered as its JSON
/// object `{variant: content}` and walked as that (rare in answers).
pub(super) struct Collect<'t, 'p> {
    target: Nav<'t, 'p>,
    variant: &'static str,
    /// A tuple variant (its content a list), else a struct variant.
    tuple: bool,
    items: Vec<Value>,
    fields: serde_json::Map<String, Value>,
}

impl Collect<'_, '_> {
    fn element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerError> {
        self.items.push(to_json(v)?);
        Ok(())
    }
    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), SerError> {
        self.fields.insert(key.to_owned(), to_json(v)?);
        Ok(())
    }
    fn finish(self) -> Result<(), SerError> {
        let content = if self.tuple { Value::Array(self.items) } else { Value::Object(self.fields) };
        self.target.variant(self.variant, content)
    }
}

compound!(Collect<'_, '_>: SerializeTupleVariant::serialize_field => elements);
compound!(Collect<'_, '_>: SerializeStructVariant::serialize_field => fields);
