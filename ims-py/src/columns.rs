//! Columnar in and out, without a Python object per row.
//!
//! `ims/frames.py` turns any DataFrame / Arrow table / numpy array into raw
//! little-endian buffers (one copy of the column, no per-row objects):
//!
//! * `("str", offsets, data)`: Arrow `large_string` (i64 offsets, UTF-8);
//! * `("i64", values)`;
//! * `("dec", values, scale)`: Arrow `decimal128` (i128 per value);
//! * `("f64", values)`: for the planning functions only.
//!
//! Answers go back the same way and become Arrow arrays by
//! `pyarrow.Array.from_buffers`. Commands are built typed (no JSON per row)
//! and run with the GIL released.

use std::collections::BTreeMap;

use ims_core::command::{Receive, Reserve, StockFact};
use ims_core::engine::MAX_BATCH;
use ims_core::ids::ItemId;
use ims_core::policy::safety_stock::{self, ProtectionParams};
use ims_core::{Answer, BatchMode, Command, CommandBody, Date, Error, QtyIn, Scope};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use rust_decimal::Decimal;

use crate::engine::PyEngine;
use crate::errors::to_pyerr;
use crate::export::Columns;

/// One column as handed over from Python.
pub(crate) enum Col<'a> {
    Str { offsets: &'a [u8], data: &'a [u8] },
    I64(&'a [u8]),
    Dec { values: &'a [u8], scale: u32 },
    F64(&'a [u8]),
}

fn bad(column: &str, why: impl std::fmt::Display) -> Error {
    Error::InvalidCommand { reason: format!("column {column}: {why}") }
}

/// A column's parts as Python handed them over, kept alive while the
/// [`Frame`] borrows their bytes.
pub(crate) struct Parts<'py> {
    name: String,
    kind: String,
    bufs: Vec<Bound<'py, PyAny>>,
    scale: u32,
}

/// The parts of every column of a `{name: (kind, buffers...)}` dict.
pub(crate) fn parts_of<'py>(columns: &Bound<'py, PyDict>) -> PyResult<Vec<Parts<'py>>> {
    let py = columns.py();
    let mut v = Vec::new();
    for (k, x) in columns.iter() {
        let name: String = k.extract()?;
        let t = x.cast::<pyo3::types::PyTuple>().map_err(|_| to_pyerr(py, &bad(&name, "not a column")))?;
        let kind: String = t.get_item(0)?.extract()?;
        let mut bufs = Vec::new();
        let mut scale = 0;
        for (i, item) in t.iter().enumerate().skip(1) {
            if kind == "dec" && i == 2 {
                scale = item.extract()?;
            } else {
                bufs.push(item);
            }
        }
        v.push(Parts { name, kind, bufs, scale });
    }
    Ok(v)
}

impl<'a> Col<'a> {
    fn from_parts(py: Python<'_>, p: &'a Parts<'_>) -> PyResult<Col<'a>> {
        let name = &p.name;
        let buf = |i: usize| -> PyResult<&'a [u8]> {
            let b = p.bufs.get(i).ok_or_else(|| to_pyerr(py, &bad(name, "missing buffer")))?;
            let b = b.cast::<PyBytes>().map_err(|_| to_pyerr(py, &bad(name, "buffer is not bytes")))?;
            Ok(b.as_bytes())
        };
        Ok(match p.kind.as_str() {
            "str" => Col::Str { offsets: buf(0)?, data: buf(1)? },
            "i64" => Col::I64(buf(0)?),
            "dec" => Col::Dec { values: buf(0)?, scale: p.scale },
            "f64" => Col::F64(buf(0)?),
            other => return Err(to_pyerr(py, &bad(name, format!("unknown column kind {other:?}")))),
        })
    }

    fn len(&self) -> usize {
        match self {
            Col::Str { offsets, .. } => (offsets.len() / 8).saturating_sub(1),
            Col::I64(v) | Col::F64(v) => v.len() / 8,
            Col::Dec { values, .. } => values.len() / 16,
        }
    }
}

pub(crate) fn i64_at(b: &[u8], i: usize) -> i64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[i * 8..i * 8 + 8]);
    i64::from_le_bytes(a)
}

pub(crate) fn f64_at(b: &[u8], i: usize) -> f64 {
    f64::from_bits(i64_at(b, i) as u64)
}

/// The columns of one call, by name, with their common length.
pub(crate) struct Frame<'a> {
    cols: BTreeMap<String, Col<'a>>,
    pub len: usize,
}

impl<'a> Frame<'a> {
    pub(crate) fn from_parts(py: Python<'_>, parts: &'a [Parts<'_>]) -> PyResult<Frame<'a>> {
        let mut cols = BTreeMap::new();
        let mut len = None;
        for p in parts {
            let name = &p.name;
            let c = Col::from_parts(py, p)?;
            let n = c.len();
            if *len.get_or_insert(n) != n {
                return Err(to_pyerr(py, &bad(name, "length differs from the other columns")));
            }
            if let Col::Str { offsets, data } = &c {
                check_offsets(name, offsets, data).map_err(|e| to_pyerr(py, &e))?;
            }
            cols.insert(name.clone(), c);
        }
        Ok(Frame { cols, len: len.unwrap_or(0) })
    }

    fn has(&self, name: &str) -> bool {
        self.cols.contains_key(name)
    }

    /// The column named `name`.
    pub(crate) fn col(&self, name: &str) -> Option<&Col<'a>> {
        self.cols.get(name)
    }

    /// The name of the first column (in name order) that starts with
    /// `prefix`, if any.
    pub(crate) fn first_with_prefix(&self, prefix: &str) -> Option<&str> {
        use std::ops::Bound;
        self.cols
            .range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
            .next()
            .map(|(k, _)| k.as_str())
            .filter(|k| k.starts_with(prefix))
    }

    fn str_at(&self, name: &str, i: usize) -> Result<Option<&'a str>, Error> {
        match self.cols.get(name) {
            None => Ok(None),
            Some(Col::Str { offsets, data }) => {
                let (a, b) = (i64_at(offsets, i) as usize, i64_at(offsets, i + 1) as usize);
                std::str::from_utf8(&data[a..b]).map(Some).map_err(|_| bad(name, format!("row {i} is not UTF-8")))
            }
            Some(_) => Err(bad(name, "want strings")),
        }
    }

    fn req_str(&self, name: &str, i: usize) -> Result<&'a str, Error> {
        self.str_at(name, i)?.ok_or_else(|| bad(name, "missing"))
    }

    fn int_at(&self, name: &str, i: usize) -> Result<Option<i64>, Error> {
        match self.cols.get(name) {
            None => Ok(None),
            Some(Col::I64(v)) => Ok(Some(i64_at(v, i))),
            Some(_) => Err(bad(name, "want integers")),
        }
    }

    fn f64_col(&self, name: &str) -> Result<&'a [u8], Error> {
        match self.cols.get(name) {
            Some(Col::F64(v)) => Ok(v),
            Some(_) => Err(bad(name, "want floats")),
            None => Err(bad(name, "missing")),
        }
    }

    fn qty_at(&self, name: &str, i: usize) -> Result<Decimal, Error> {
        match self.cols.get(name) {
            None => Err(bad(name, "missing")),
            Some(Col::I64(v)) => Ok(Decimal::from(i64_at(v, i))),
            Some(Col::Dec { values, scale }) => {
                let mut a = [0u8; 16];
                a.copy_from_slice(&values[i * 16..i * 16 + 16]);
                Decimal::try_from_i128_with_scale(i128::from_le_bytes(a), *scale)
                    .map_err(|_| bad(name, format!("row {i} does not fit a decimal")))
            }
            Some(Col::Str { .. }) => {
                let s = self.req_str(name, i)?;
                s.trim().parse::<Decimal>().map_err(|_| bad(name, format!("row {i}: {s:?} is not a decimal")))
            }
            Some(Col::F64(_)) => {
                Err(Error::InexactNumber { field: name.to_owned(), value: "a float column".to_owned() })
            }
        }
    }
}

fn check_offsets(name: &str, offsets: &[u8], data: &[u8]) -> Result<(), Error> {
    if !offsets.len().is_multiple_of(8) || offsets.len() < 8 {
        return Err(bad(name, "malformed offsets"));
    }
    let n = offsets.len() / 8;
    let mut prev = 0i64;
    for i in 0..n {
        let o = i64_at(offsets, i);
        if o < prev || o as usize > data.len() {
            return Err(bad(name, "offsets out of range"));
        }
        prev = o;
    }
    Ok(())
}

fn date_of(name: &str, s: Option<&str>) -> Result<Option<Date>, Error> {
    s.map(|s| serde_json::from_value(serde_json::Value::String(s.to_owned())).map_err(|e| bad(name, e))).transpose()
}

/// Builds one command per row; a bad row refuses the call before anything
/// runs.
fn build(f: &Frame<'_>, kind: &str, occurred_at: i64, ttl_ms: Option<i64>) -> Result<Vec<Command>, Error> {
    let mut cmds = Vec::with_capacity(f.len);
    for i in 0..f.len {
        let at = f.int_at("occurred_at", i)?.unwrap_or(occurred_at);
        let body = match kind {
            "stock" => CommandBody::Receive(Receive {
                item: f.req_str("item", i)?.to_owned(),
                location: f.req_str("location", i)?.to_owned(),
                qty: QtyIn::base(f.qty_at("qty", i)?),
                lot: f.str_at("lot", i)?.map(str::to_owned),
                expiry: date_of("expiry", f.str_at("expiry", i)?)?,
                receipt: None,
                reference: f.str_at("reference", i)?.map(str::to_owned),
            }),
            "reserve" => CommandBody::Reserve(Reserve {
                reservation: f.req_str("reservation", i)?.to_owned(),
                item: f.req_str("item", i)?.to_owned(),
                qty: QtyIn::base(f.qty_at("qty", i)?),
                scope: match f.req_str("scope", i)? {
                    "*" => Scope::All,
                    s => Scope::Subtree(s.to_owned()),
                },
                channel: f.str_at("channel", i)?.map(str::to_owned),
                ttl_ms: f.int_at("ttl_ms", i)?.or(ttl_ms),
                strategy: Default::default(),
                min_shelf_life_days: 0,
                fill: Default::default(),
                need_date: None,
                priority: 0,
            }),
            "moves" => {
                let fact = || -> Result<StockFact, Error> {
                    Ok(StockFact {
                        item: f.req_str("item", i)?.to_owned(),
                        location: f.req_str("location", i)?.to_owned(),
                        qty: QtyIn::base(f.qty_at("qty", i)?),
                        lot: f.str_at("lot", i)?.map(str::to_owned),
                        reference: f.str_at("reference", i)?.map(str::to_owned),
                    })
                };
                match f.req_str("type", i)? {
                    "sell" => CommandBody::Sell(fact()?),
                    "adjust" => CommandBody::Adjust(fact()?),
                    "scrap" => CommandBody::Scrap(fact()?),
                    "receive" => {
                        let s = fact()?;
                        CommandBody::Receive(Receive {
                            item: s.item,
                            location: s.location,
                            qty: s.qty,
                            lot: s.lot,
                            expiry: date_of("expiry", f.str_at("expiry", i)?)?,
                            receipt: None,
                            reference: s.reference,
                        })
                    }
                    t => return Err(bad("type", format!("row {i}: {t:?}: want receive, sell, adjust or scrap"))),
                }
            }
            other => return Err(bad("kind", other)),
        };
        cmds.push(Command::new(at, body));
    }
    Ok(cmds)
}

/// Loads rows as commands in atomic chunks of up to `MAX_BATCH` rows: a
/// refused row refuses its chunk (`BATCH_REFUSED` with the row's index in
/// the whole frame); chunks before it stay applied. Returns the rows run.
#[pyfunction]
#[pyo3(signature = (engine, kind, columns, occurred_at=0))]
fn load_rows(
    py: Python<'_>,
    engine: &PyEngine,
    kind: &str,
    columns: Bound<'_, PyDict>,
    occurred_at: i64,
) -> PyResult<usize> {
    let parts = parts_of(&columns)?;
    let frame = Frame::from_parts(py, &parts)?;
    let cmds = py.detach(|| build(&frame, kind, occurred_at, None)).map_err(|e| to_pyerr(py, &e))?;
    let n = cmds.len();
    engine.run(py, move |e| {
        for (c, chunk) in cmds.chunks(MAX_BATCH).enumerate() {
            if let Err(err) = e.execute_batch(chunk, BatchMode::Atomic) {
                return Err(match err {
                    Error::BatchRefused { index, source } => {
                        Error::BatchRefused { index: (c * MAX_BATCH) as u32 + index, source }
                    }
                    other => other,
                });
            }
        }
        Ok(())
    })?;
    Ok(n)
}

/// Reservations from columns, each its own command (like an independent
/// batch): per row the seq (0 when refused) and the error code (0 when
/// accepted), as u64 / u16 little-endian buffers.
#[pyfunction]
#[pyo3(signature = (engine, columns, occurred_at=0, ttl_ms=None))]
fn reserve_rows<'py>(
    py: Python<'py>,
    engine: &PyEngine,
    columns: Bound<'py, PyDict>,
    occurred_at: i64,
    ttl_ms: Option<i64>,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
    let parts = parts_of(&columns)?;
    let frame = Frame::from_parts(py, &parts)?;
    let cmds = py.detach(|| build(&frame, "reserve", occurred_at, ttl_ms)).map_err(|e| to_pyerr(py, &e))?;
    let (seqs, codes) = engine.run(py, move |e| {
        let mut seqs = Vec::with_capacity(cmds.len() * 8);
        let mut codes = Vec::with_capacity(cmds.len() * 2);
        for c in &cmds {
            let (s, code) = match e.execute(c) {
                Ok(o) => (o.seq, 0u16),
                Err(err) => (0, err.code()),
            };
            seqs.extend_from_slice(&s.to_le_bytes());
            codes.extend_from_slice(&code.to_le_bytes());
        }
        Ok((seqs, codes))
    })?;
    Ok((PyBytes::new(py, &seqs), PyBytes::new(py, &codes)))
}

/// Strings as Arrow large_string buffers (offsets, data).
#[derive(Default)]
struct StrOut {
    offsets: Vec<u8>,
    data: Vec<u8>,
    nulls: Vec<u8>,
}

impl StrOut {
    fn new() -> StrOut {
        StrOut { offsets: 0i64.to_le_bytes().to_vec(), data: Vec::new(), nulls: Vec::new() }
    }
    fn push(&mut self, s: Option<&str>) {
        self.nulls.push(s.is_some() as u8);
        self.data.extend_from_slice(s.unwrap_or("").as_bytes());
        self.offsets.extend_from_slice(&(self.data.len() as i64).to_le_bytes());
    }
    fn into_py<'py>(self, py: Python<'py>) -> (Bound<'py, PyBytes>, Bound<'py, PyBytes>, Bound<'py, PyBytes>) {
        (PyBytes::new(py, &self.offsets), PyBytes::new(py, &self.data), PyBytes::new(py, &self.nulls))
    }
}

type StrCol<'py> = (Bound<'py, PyBytes>, Bound<'py, PyBytes>, Bound<'py, PyBytes>);

/// Every balance in internal locations: item, location, lot (strings with
/// a validity byte per row) and on_hand, reserved as i64 minor units with
/// the item's scale (u8 per row).
#[pyfunction]
#[allow(clippy::type_complexity)]
fn balance_rows<'py>(
    py: Python<'py>,
    engine: &PyEngine,
) -> PyResult<(StrCol<'py>, StrCol<'py>, StrCol<'py>, Bound<'py, PyBytes>, Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
    let (items, locs, lots, on_hand, reserved, scales) = engine.run(py, |e| {
        let (mut items, mut locs, mut lots) = (StrOut::new(), StrOut::new(), StrOut::new());
        let (mut on_hand, mut reserved, mut scales) = (Vec::new(), Vec::new(), Vec::new());
        let cat = &e.state().cat;
        for i in 0..cat.item_count() {
            let item = cat.item(ItemId(i as u32));
            for b in e.balances(&item.code)? {
                items.push(Some(&item.code));
                locs.push(Some(&b.location));
                lots.push(b.lot.as_deref());
                let scale = item.scale() as u32;
                let minor = |d: Decimal| {
                    let mut d = d;
                    d.rescale(scale);
                    d.mantissa() as i64
                };
                on_hand.extend_from_slice(&minor(b.on_hand).to_le_bytes());
                reserved.extend_from_slice(&minor(b.reserved).to_le_bytes());
                scales.push(scale as u8);
            }
        }
        Ok((items, locs, lots, on_hand, reserved, scales))
    })?;
    Ok((
        items.into_py(py),
        locs.into_py(py),
        lots.into_py(py),
        PyBytes::new(py, &on_hand),
        PyBytes::new(py, &reserved),
        PyBytes::new(py, &scales),
    ))
}

/// Safety stock and reorder level per row (`kind` "type1": `level` is the
/// cycle service level; "type2": the fill rate, with `order_quantity`):
/// z, safety_stock, reorder_level as f64 buffers. A bad row refuses the
/// call, naming it.
#[pyfunction]
#[pyo3(signature = (kind, columns, level))]
fn safety_stock_rows<'py>(
    py: Python<'py>,
    kind: &str,
    columns: Bound<'py, PyDict>,
    level: f64,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
    let parts = parts_of(&columns)?;
    let frame = Frame::from_parts(py, &parts)?;
    let kind = kind.to_owned();
    let r = py.detach(|| -> Result<_, Error> {
        let col = |n: &str| frame.f64_col(n);
        let (mu, sd, lt) = (col("demand_mean")?, col("demand_sd")?, col("lead_time_mean")?);
        let lt_sd = if frame.has("lead_time_sd") { Some(col("lead_time_sd")?) } else { None };
        let review = if frame.has("review_period") { Some(col("review_period")?) } else { None };
        let q = if kind == "type2" { Some(col("order_quantity")?) } else { None };
        let (mut z, mut ss, mut rl) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..frame.len {
            let p = ProtectionParams {
                demand_mean: f64_at(mu, i),
                demand_sd: f64_at(sd, i),
                lead_time_mean: f64_at(lt, i),
                lead_time_sd: lt_sd.map_or(0.0, |c| f64_at(c, i)),
                review_period: review.map_or(0.0, |c| f64_at(c, i)),
            };
            let s = match &q {
                Some(q) => safety_stock::type2(&p, level, f64_at(q, i)),
                None => safety_stock::type1(&p, level),
            }
            .map_err(|e| bad("row", format!("{i}: {e}")))?;
            z.extend_from_slice(&s.z.to_le_bytes());
            ss.extend_from_slice(&s.safety_stock.to_le_bytes());
            rl.extend_from_slice(&s.reorder_level.to_le_bytes());
        }
        Ok((z, ss, rl))
    });
    let (z, ss, rl) = r.map_err(|e| to_pyerr(py, &e))?;
    Ok((PyBytes::new(py, &z), PyBytes::new(py, &ss), PyBytes::new(py, &rl)))
}

/// Runs a query and answers its rows (see [`crate::export::Columns`]) as
/// columns (see [`crate::export::Table::into_py`]).
#[pyfunction]
#[pyo3(signature = (engine, query, path=Vec::new()))]
fn query_columns<'py>(
    py: Python<'py>,
    engine: &PyEngine,
    query: &Bound<'py, PyAny>,
    path: Vec<String>,
) -> PyResult<Bound<'py, pyo3::types::PyList>> {
    let v = crate::engine::query_arg(query).map_err(|r| crate::errors::refusal_to_pyerr(py, r))?;
    let q = ims_core::Query::from_value(v).map_err(|reason| to_pyerr(py, &Error::InvalidCommand { reason }))?;
    let table = engine.run(py, |e| e.query_with(&q, Columns { path: &path }))?;
    table.into_py(py)
}

/// One row of [`availability_columns`]: the item's code beside its
/// availability's fields.
#[derive(serde::Serialize)]
struct ItemAvailability<A> {
    item: String,
    #[serde(flatten)]
    availability: A,
}

/// Availability of each item (every item when `items` is None) in a
/// scope, as columns.
#[pyfunction]
#[pyo3(signature = (engine, items, scope))]
fn availability_columns<'py>(
    py: Python<'py>,
    engine: &PyEngine,
    items: Option<Vec<String>>,
    scope: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, pyo3::types::PyList>> {
    let scope = crate::convert::to_value(scope, "scope", "scope", 0)
        .and_then(|v| serde_json::from_value::<Scope>(v).map_err(|e| bad("scope", e).into()))
        .map_err(|r| crate::errors::refusal_to_pyerr(py, r))?;
    let table = engine.run(py, |e| {
        let cat = &e.state().cat;
        let codes: Vec<String> = match items {
            Some(v) => v,
            None => (0..cat.item_count()).map(|i| cat.item(ItemId(i as u32)).code.to_string()).collect(),
        };
        let mut rows = Vec::with_capacity(codes.len());
        for item in codes {
            let availability = e.availability(&item, &scope)?;
            rows.push(ItemAvailability { item, availability });
        }
        Columns { path: &[] }.answer(&rows)
    })?;
    table.into_py(py)
}

/// Forecasts of many series at once: `values` holds the series end to end
/// (f64), `starts` where each begins (i64, plus the end); `method` a
/// forecast method's JSON form, or None for the automatic choice per
/// series. Per series `h` values (f64, end to end) and the method names
/// (one `str` column: offsets and data).
#[pyfunction]
#[pyo3(signature = (values, starts, h, method=None))]
fn forecast_columns<'py>(
    py: Python<'py>,
    values: &[u8],
    starts: &[u8],
    h: usize,
    method: Option<&str>,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
    let fixed: Option<ims_core::forecast::Method> =
        method.map(serde_json::from_str).transpose().map_err(|e| to_pyerr(py, &bad("method", e)))?;
    let r = py.detach(|| -> Result<_, Error> {
        let n = starts.len() / 8;
        let y: Vec<f64> = (0..values.len() / 8).map(|i| f64_at(values, i)).collect();
        let mut out = Vec::with_capacity(n.saturating_sub(1) * h * 8);
        let mut names = StrOut::new();
        let mut buf = vec![0.0; h];
        for s in 0..n.saturating_sub(1) {
            let (a, b) = (i64_at(starts, s) as usize, i64_at(starts, s + 1) as usize);
            let series = y.get(a..b).ok_or_else(|| bad("starts", "out of range"))?;
            let m = match fixed {
                Some(m) => m,
                None => ims_core::forecast::auto(series).map_err(|e| bad("series", format!("{s}: {e}")))?,
            };
            ims_core::forecast::forecast_into(&m, series, &mut buf).map_err(|e| bad("series", format!("{s}: {e}")))?;
            out.extend(buf.iter().flat_map(|x| x.to_le_bytes()));
            names.push(Some(m.name()));
        }
        Ok((out, names))
    });
    let (out, names) = r.map_err(|e| to_pyerr(py, &e))?;
    let (offsets, data, _) = names.into_py(py);
    Ok((PyBytes::new(py, &out), offsets, data))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(query_columns, m)?)?;
    m.add_function(wrap_pyfunction!(availability_columns, m)?)?;
    m.add_function(wrap_pyfunction!(forecast_columns, m)?)?;
    m.add_function(wrap_pyfunction!(load_rows, m)?)?;
    m.add_function(wrap_pyfunction!(reserve_rows, m)?)?;
    m.add_function(wrap_pyfunction!(balance_rows, m)?)?;
    m.add_function(wrap_pyfunction!(safety_stock_rows, m)?)?;
    Ok(())
}
