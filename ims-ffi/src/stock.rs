//! What a till asks before it sells: how much of an item there is at a
//! location (or everywhere), and which item a scanned barcode is.

use std::os::raw::c_char;

use ims_core::ops::scanning::BarcodeView;
use ims_core::{Engine, Error};

use crate::args::{ims_str, Out};
use crate::call::run;
use crate::engine::{ims_engine, with};
use crate::out::put_string;
use crate::qty::ims_qty;
use crate::status::ims_status;

/// An item's stock in a scope now, each in the item's smallest unit.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ims_stock {
    /// On hand in internal locations (negative buckets net).
    pub on_hand: ims_qty,
    /// On hand that may be sold now (sellable locations, lots not expired
    /// or held).
    pub sellable: ims_qty,
    /// Held by live reservations.
    pub reserved: ims_qty,
    /// Available to promise now: sellable less reserved, never below 0.
    pub available: ims_qty,
}

/// The stock of `item` in `scope` — a location code (with everything below
/// it) or `"*"` for every internal location — into `*out`. The till's hot
/// lookup: no allocation. `IMS_UNKNOWN_ITEM` / `IMS_UNKNOWN_LOCATION` for
/// codes the engine does not know.
#[no_mangle]
pub extern "C" fn ims_stock_lookup(
    engine: *mut ims_engine,
    item: ims_str,
    scope: ims_str,
    out: *mut ims_stock,
) -> ims_status {
    run("ims_stock_lookup", || {
        let (item, scope) = (item.text("item")?, scope.text("scope")?);
        let out = Out::new(out, "out")?;
        out.put(with(engine, |e| stock_of(e, item, scope))?);
        Ok(())
    })
}

/// The lookup on an engine (an authority, or a replica's local view).
pub(crate) fn stock_of(e: &Engine, item: &str, scope: &str) -> Result<ims_stock, Error> {
    let (m, scale) = e.stock_minor(item, scope)?;
    Ok(ims_stock {
        on_hand: ims_qty::from_minor(m.on_hand, scale)?,
        sellable: ims_qty::from_minor(m.sellable, scale)?,
        reserved: ims_qty::from_minor(m.reserved, scale)?,
        available: ims_qty::from_minor(m.available, scale)?,
    })
}

/// What a scanned barcode (GTIN-8, -12, -13 or -14) stands for: the item's
/// code into `*item`, and the unit scanned into `*unit` — NULL for the
/// item's base unit (free both with `ims_string_free`). Sell it with
/// `ims_sale.unit` set to that unit. `IMS_UNKNOWN_BARCODE`,
/// `IMS_INVALID_BARCODE` or `IMS_BARCODE_CHECK_DIGIT` otherwise.
#[no_mangle]
pub extern "C" fn ims_resolve_barcode(
    engine: *mut ims_engine,
    barcode: ims_str,
    item: *mut *mut c_char,
    unit: *mut *mut c_char,
) -> ims_status {
    run("ims_resolve_barcode", || {
        let barcode = barcode.text("barcode")?;
        let (item, unit) = (Out::new(item, "item")?, Out::new(unit, "unit")?);
        let v = with(engine, |e| e.resolve_barcode(barcode))?;
        put_barcode(&v, item, unit)
    })
}

/// Hands out a resolved barcode's item and unit (the unit first: if that
/// fails, nothing is handed out).
pub(crate) fn put_barcode(v: &BarcodeView, item: Out<*mut c_char>, unit: Out<*mut c_char>) -> Result<(), Error> {
    let mut u = std::ptr::null_mut();
    if let Some(name) = &v.unit {
        put_string(name, Out::new(&mut u, "unit")?, None)?;
    }
    if let Err(e) = put_string(&v.item, item, None) {
        crate::out::ims_string_free(u);
        return Err(e);
    }
    unit.put(u);
    Ok(())
}
