//! Inspection of received stock and returns to vendor.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{order, unknown, Ev};
use crate::catalog::{LocationKind, LotStatus, NO_LOT};
use crate::command::QtyIn;
use crate::error::Error;
use crate::event::{Event, MoveReason};
use crate::ids::{Code, ItemId, LocId, LotId};
use crate::ops::OpsEvent;
use crate::qty::Minor;
use crate::state::State;
use crate::time::Millis;

/// Where failed stock went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Disposition {
    /// To a quarantine location.
    Quarantine {
        /// The location.
        location: Code,
    },
    /// Back to the supplier, with a return-to-vendor document.
    ReturnToVendor {
        /// The RTV.
        rtv: Code,
    },
}

/// One inspection of a GRN line. Quantities are minor units of the item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspection {
    /// Passed.
    pub pass: Minor,
    /// Failed.
    pub fail: Minor,
    /// Why (required with a fail).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Where passed stock went.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Code>,
    /// Where failed stock went.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disposition: Option<Disposition>,
    /// When.
    pub at: Millis,
}

/// A return to vendor. Quantities are minor units of the item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnToVendor {
    /// Client-chosen code (the move's reference).
    pub rtv: Code,
    /// The supplier.
    pub supplier: Code,
    /// The GRN the stock came in on.
    pub grn: Code,
    /// Its line.
    pub grn_line: u32,
    /// The purchase order, if the receipt had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub po: Option<Code>,
    /// Its line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub po_line: Option<u32>,
    /// The item.
    pub item: Code,
    /// The lot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<Code>,
    /// Returned.
    pub qty: Minor,
    /// Why.
    pub reason: String,
    /// The order line's received quantity went down, so it is open again.
    pub reorder: bool,
    /// When.
    pub at: Millis,
}

fn yes() -> bool {
    true
}

/// `inspect`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inspect {
    /// The GRN.
    pub grn: String,
    /// Its line.
    pub line: u32,
    /// Passed, in `unit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass: Option<Decimal>,
    /// Failed, in `unit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail: Option<Decimal>,
    /// A unit of the item for both quantities; the base unit when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Rounding of an inexact conversion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<crate::qty::Rounding>,
    /// Why (required with a fail).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Where passed stock goes (a staging location).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Failed stock goes to this quarantine location ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quarantine: Option<String>,
    /// ... or back to the supplier with a return-to-vendor document of this code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_to_vendor: Option<String>,
    /// A return re-opens the order line (default); `false` keeps it received.
    #[serde(default = "yes")]
    pub reorder: bool,
}

fn qty(st: &State, item: ItemId, v: Option<Decimal>, c: &Inspect) -> Result<Minor, Error> {
    match v {
        Some(v) if !v.is_zero() => st.to_minor(item, &QtyIn { qty: v, unit: c.unit.clone(), rounding: c.rounding }),
        _ => Ok(0),
    }
}

/// Posts a move whose both sides the caller checked.
#[allow(clippy::too_many_arguments)]
fn post(
    st: &mut State,
    item: ItemId,
    lot: LotId,
    qty: Minor,
    from: LocId,
    to: LocId,
    reason: MoveReason,
    reference: &str,
    at: Millis,
    out: &mut Vec<Event>,
) -> Result<(), Error> {
    st.check_posting(item, lot, qty, from, to)?;
    st.post(item, lot, qty, from, to, reason, None, None, Some(reference), at, out)
}

pub(super) fn inspect(st: &mut State, c: &Inspect, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    // ---- form ----
    State::check_code("grn", &c.grn)?;
    for (field, v) in [("pass", c.pass), ("fail", c.fail)] {
        if let Some(v) = v.filter(|v| *v < Decimal::ZERO) {
            return Err(Error::InvalidQuantity { field, qty: v });
        }
    }
    let (pass_in, fail_in) = (c.pass.unwrap_or_default(), c.fail.unwrap_or_default());
    if pass_in.is_zero() && fail_in.is_zero() {
        return Err(Error::InvalidQuantity { field: "pass", qty: pass_in });
    }
    let missing = |field| Error::InspectionFieldMissing { grn: c.grn.clone(), line: c.line, field };
    if !pass_in.is_zero() && c.to.is_none() {
        return Err(missing("to"));
    }
    if !fail_in.is_zero() {
        if c.reason.is_none() {
            return Err(missing("reason"));
        }
        match (&c.quarantine, &c.return_to_vendor) {
            (None, None) => return Err(missing("quarantine")),
            (Some(_), Some(_)) => return Err(missing("quarantine|return_to_vendor")),
            _ => {}
        }
    }
    State::check_reference(c.reason.as_deref())?;
    for (field, v) in [("location", &c.to), ("location", &c.quarantine), ("rtv", &c.return_to_vendor)] {
        if let Some(v) = v {
            State::check_code(field, v)?;
        }
    }
    // ---- references ----
    let grn = st.ops.procurement.receipts.get(&c.grn);
    let grn = grn.ok_or_else(|| Error::UnknownGoodsReceipt { grn: c.grn.clone() })?.clone();
    let line = c.line.checked_sub(1).and_then(|i| grn.lines.get(i as usize));
    let line = line.ok_or_else(|| Error::UnknownGrnLine { grn: c.grn.clone(), line: c.line })?.clone();
    let item = st.find_item(&line.item)?;
    let pass = qty(st, item, c.pass, c)?;
    let fail = qty(st, item, c.fail, c)?;
    let to = c.to.as_deref().filter(|_| pass > 0).map(|t| st.find_loc(t)).transpose()?;
    let quarantine = c.quarantine.as_deref().filter(|_| fail > 0).map(|q| st.find_loc(q)).transpose()?;
    let from = st.find_loc(&grn.location)?;
    let lot = match &line.lot {
        Some(l) => st
            .cat
            .lot_id(item, l)
            .ok_or_else(|| Error::UnknownLot { item: line.item.to_string(), lot: l.to_string() })?,
        None => NO_LOT,
    };
    // ---- state ----
    if st.cat.loc(from).kind != LocationKind::Inspection {
        return Err(Error::NotInInspection { grn: c.grn.clone(), line: c.line, location: grn.location.to_string() });
    }
    if let Some(t) = to {
        let l = st.cat.loc(t);
        if !l.is_internal() {
            return Err(Error::WrongLocationKind { location: l.code.to_string(), kind: l.kind.name() });
        }
        if t == from {
            return Err(Error::SameLocation { location: grn.location.to_string() });
        }
    }
    if let Some(q) = quarantine {
        let l = st.cat.loc(q);
        if l.kind != LocationKind::Quarantine {
            return Err(Error::WrongLocationKind { location: l.code.to_string(), kind: l.kind.name() });
        }
    }
    let rtv = c.return_to_vendor.as_deref().filter(|_| fail > 0);
    if let Some(r) = rtv {
        if st.ops.procurement.returns.contains(r) {
            return Err(Error::RtvExists { rtv: r.into() });
        }
    }
    let total = pass.checked_add(fail).ok_or(Error::QuantityOverflow)?;
    let dec = |m: Minor| st.dec(item, m as i128);
    if total > line.uninspected() {
        return Err(Error::InspectExceedsUninspected {
            grn: c.grn.clone(),
            line: c.line,
            requested: dec(total),
            uninspected: dec(line.uninspected()),
        });
    }
    let free = st.stock[item.ix()].get(from, lot).map_or(0, |b| b.free());
    if total > free {
        return Err(Error::InsufficientStock {
            item: line.item.to_string(),
            location: grn.location.to_string(),
            lot: line.lot.as_deref().map(Into::into),
            requested: dec(total),
            available: dec(free.max(0)),
        });
    }
    // Receipts come from the built-in supplier location; returns go back there.
    let supplier_loc = st.find_loc("@supplier")?;
    // ---- point of no failure ----
    let disposition = match (quarantine, rtv) {
        (Some(q), _) => Some(Disposition::Quarantine { location: st.cat.loc(q).code.clone() }),
        (None, Some(r)) => Some(Disposition::ReturnToVendor { rtv: r.into() }),
        _ => None,
    };
    let inspection = Inspection {
        pass,
        fail,
        reason: c.reason.clone(),
        to: to.map(|t| st.cat.loc(t).code.clone()),
        disposition,
        at,
    };
    let ev = Ev::Inspected { grn: grn.grn.clone(), line: c.line, inspection };
    st.emit(out, Event::Ops(OpsEvent::Procurement(ev)))?;
    if let Some(t) = to {
        post(st, item, lot, pass, from, t, MoveReason::Inspection, &c.grn, at, out)?;
        if line.held && st.cat.lot(lot).status == LotStatus::OnHold {
            let lc = st.cat.lot(lot).code.to_string();
            st.lot_status(&line.item, &lc, LotStatus::Available, out)?;
        }
    }
    if let Some(q) = quarantine {
        post(st, item, lot, fail, from, q, MoveReason::Inspection, &c.grn, at, out)?;
    }
    if let Some(r) = rtv {
        post(st, item, lot, fail, from, supplier_loc, MoveReason::ReturnToVendor, r, at, out)?;
        let doc = ReturnToVendor {
            rtv: r.into(),
            supplier: grn.supplier.clone(),
            grn: grn.grn.clone(),
            grn_line: c.line,
            po: grn.po.clone(),
            po_line: line.po_line,
            item: line.item.clone(),
            lot: line.lot.clone(),
            qty: fail,
            reason: c.reason.clone().unwrap_or_default(),
            reorder: c.reorder && line.po_line.is_some(),
            at,
        };
        st.emit(out, Event::Ops(OpsEvent::Procurement(Ev::RtvRaised(doc))))?;
        if let Some(po) = &grn.po {
            order::sync_open(st, po, out)?;
        }
    }
    Ok(())
}

pub(super) fn apply_inspected(st: &mut State, grn: &str, line: u32, i: &Inspection) -> Result<(), Error> {
    let ok = st.edit_doc(
        |o| &mut o.procurement.receipts,
        grn,
        |g| {
            let Some(l) = line.checked_sub(1).and_then(|ix| g.lines.get_mut(ix as usize)) else { return false };
            l.passed = l.passed.saturating_add(i.pass);
            l.failed = l.failed.saturating_add(i.fail);
            l.inspections.push(i.clone());
            true
        },
    );
    match ok {
        Some(true) => Ok(()),
        _ => Err(unknown("goods receipt line", &format!("{grn}/{line}"))),
    }
}

pub(super) fn apply_rtv(st: &mut State, r: &ReturnToVendor) -> Result<(), Error> {
    if let (true, Some(po), Some(n)) = (r.reorder, &r.po, r.po_line) {
        order::apply_received(st, po, n, -r.qty)?;
    }
    st.put_doc(|o| &mut o.procurement.returns, r.rtv.clone(), r.clone());
    Ok(())
}
