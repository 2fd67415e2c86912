//! Goods receipts (GRNs): receipt moves against purchase-order lines, or
//! unplanned ones, with the order match deciding each line's status.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::order::{self, MAX_LINES};
use super::{unknown, Ev, Inspection, LineQty};
use crate::catalog::{LocationKind, LotStatus};
use crate::command::Receive;
use crate::error::Error;
use crate::event::Event;
use crate::ids::Code;
use crate::ops::OpsEvent;
use crate::qty::Minor;
use crate::state::State;
use crate::time::{Date, Millis};

/// A goods receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoodsReceipt {
    /// Client-chosen code (the moves' reference).
    pub grn: Code,
    /// The supplier.
    pub supplier: Code,
    /// The purchase order, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub po: Option<Code>,
    /// The receiving or inspection location.
    pub location: Code,
    /// Received without an order.
    pub unplanned: bool,
    /// When it was received.
    pub received_at: Millis,
    /// Lines.
    pub lines: Vec<GrnLine>,
}

/// One line of a goods receipt. Quantities are minor units of the item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrnLine {
    /// Line number, from 1.
    pub line: u32,
    /// The purchase-order line it receives against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub po_line: Option<u32>,
    /// The item.
    pub item: Code,
    /// The lot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<Code>,
    /// The expiry date given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry: Option<Date>,
    /// Received.
    pub qty: Minor,
    /// The receipt created the lot and put it on hold pending inspection.
    pub held: bool,
    /// Passed inspection so far.
    pub passed: Minor,
    /// Failed inspection so far.
    pub failed: Minor,
    /// Inspections, in order.
    pub inspections: Vec<Inspection>,
}

impl GrnLine {
    /// Not yet inspected.
    pub fn uninspected(&self) -> Minor {
        self.qty - self.passed - self.failed
    }
}

/// `receive_po`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReceivePo {
    /// Client-chosen GRN code.
    pub grn: String,
    /// The purchase order received against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub po: Option<String>,
    /// The supplier (required without an order; checked with one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier: Option<String>,
    /// A receiving or inspection location.
    pub location: String,
    /// Accept a receipt without an order.
    #[serde(default)]
    pub unplanned: bool,
    /// Put lots this receipt creates on hold pending inspection.
    #[serde(default)]
    pub hold: bool,
    /// Lines.
    pub lines: Vec<GrnLineIn>,
}

/// A line of `receive_po`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GrnLineIn {
    /// The purchase-order line (required with an order).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub po_line: Option<u32>,
    /// The item (required without an order; checked with one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// Lot code (lot-tracked items).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
    /// Lot expiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry: Option<Date>,
    /// Quantity in any unit of the item.
    #[serde(flatten)]
    pub qty: LineQty,
}

pub(super) fn receive(st: &mut State, c: &ReceivePo, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    // ---- form ----
    State::check_code("grn", &c.grn)?;
    State::check_code("location", &c.location)?;
    if let Some(po) = &c.po {
        State::check_code("po", po)?;
    }
    if let Some(s) = &c.supplier {
        State::check_code("supplier", s)?;
    }
    if c.po.is_none() && c.supplier.is_none() {
        return Err(Error::GrnLineReferenceMissing { grn: c.grn.clone(), line: 0, field: "supplier" });
    }
    if c.lines.is_empty() {
        return Err(Error::NoLines { document: c.grn.clone() });
    }
    if c.lines.len() > MAX_LINES {
        return Err(Error::LimitExceeded { what: "goods receipt lines", max: MAX_LINES as u64 });
    }
    for (i, l) in c.lines.iter().enumerate() {
        let n = i as u32 + 1;
        State::check_sign("qty", l.qty.qty, crate::exec::Sign::Positive)?;
        if let Some(lot) = &l.lot {
            State::check_code("lot", lot)?;
        }
        if let Some(it) = &l.item {
            State::check_code("item", it)?;
        }
        if c.po.is_some() && l.po_line.is_none() {
            return Err(Error::GrnLineReferenceMissing { grn: c.grn.clone(), line: n, field: "po_line" });
        }
        if c.po.is_none() && l.item.is_none() {
            return Err(Error::GrnLineReferenceMissing { grn: c.grn.clone(), line: n, field: "item" });
        }
    }
    // ---- references ----
    let po = match &c.po {
        Some(p) => Some(order::find(st, p)?.clone()),
        None => None,
    };
    let supplier = match (&c.supplier, &po) {
        (Some(s), _) => {
            st.ops.procurement.suppliers.get(s).ok_or_else(|| Error::UnknownSupplier { supplier: s.clone() })?
        }
        (None, Some(o)) => {
            st.ops.procurement.suppliers.get(&o.supplier).ok_or_else(|| unknown("supplier", &o.supplier))?
        }
        (None, None) => return Err(Error::UnknownSupplier { supplier: String::new() }),
    }
    .clone();
    let loc = st.find_loc(&c.location)?;
    let mut lines = Vec::with_capacity(c.lines.len());
    for (i, l) in c.lines.iter().enumerate() {
        let pl = match (&po, l.po_line) {
            (Some(o), Some(n)) => {
                Some(o.line(n).ok_or_else(|| Error::UnknownPoLine { po: o.po.to_string(), line: n })?.clone())
            }
            _ => None,
        };
        let item_code = match (&l.item, &pl) {
            (Some(it), _) => it.as_str(),
            (None, Some(p)) => &*p.item,
            (None, None) => "",
        };
        let item = st.find_item(item_code)?;
        let qty = st.to_minor(item, &l.qty.qty_in())?;
        let it = st.cat.item(item);
        let held = c.hold && it.tracked() && l.lot.as_deref().is_some_and(|lot| st.cat.lot_id(item, lot).is_none());
        lines.push(GrnLine {
            line: i as u32 + 1,
            po_line: l.po_line.filter(|_| po.is_some()),
            item: it.code.clone(),
            lot: l.lot.as_deref().map(Into::into),
            expiry: l.expiry,
            qty,
            held,
            passed: 0,
            failed: 0,
            inspections: Vec::new(),
        });
    }
    // ---- state ----
    if st.ops.procurement.receipts.contains(&c.grn) {
        return Err(Error::GrnExists { grn: c.grn.clone() });
    }
    let kind = st.cat.loc(loc).kind;
    if !matches!(kind, LocationKind::Receiving | LocationKind::Inspection) {
        return Err(Error::WrongLocationKind { location: c.location.clone(), kind: kind.name() });
    }
    if let Some(o) = &po {
        match o.status {
            order::PoStatus::Draft => return Err(Error::PoNotConfirmed { po: o.po.to_string() }),
            order::PoStatus::Cancelled => return Err(Error::PoCancelled { po: o.po.to_string() }),
            order::PoStatus::Closed => return Err(Error::PoClosed { po: o.po.to_string() }),
            _ => {}
        }
        if supplier.spec.supplier != o.supplier {
            return Err(Error::PoSupplierMismatch {
                po: o.po.to_string(),
                supplier: supplier.spec.supplier.to_string(),
                expected: o.supplier.to_string(),
            });
        }
        let mut receiving: BTreeMap<u32, Minor> = BTreeMap::new();
        for g in &lines {
            let n = g.po_line.unwrap_or_default();
            let Some(pl) = o.line(n) else { continue };
            if pl.item != g.item {
                return Err(Error::PoLineItemMismatch {
                    po: o.po.to_string(),
                    line: n,
                    item: g.item.to_string(),
                    expected: pl.item.to_string(),
                });
            }
            let r = receiving.entry(n).or_default();
            *r = r.checked_add(g.qty).ok_or(Error::QuantityOverflow)?;
        }
        for (n, q) in &receiving {
            let Some(pl) = o.line(*n) else { continue };
            let max = o.max_receivable(pl);
            if pl.received.saturating_add(*q) > max {
                let item = st.find_item(&pl.item)?;
                let dec = |m: Minor| st.dec(item, m as i128);
                return Err(Error::OverReceipt {
                    po: o.po.to_string(),
                    line: *n,
                    ordered: dec(pl.qty),
                    received: dec(pl.received),
                    receiving: dec(*q),
                    max: dec(max),
                });
            }
        }
    } else if !c.unplanned {
        for g in &lines {
            if !supplier.items.get(&g.item).is_some_and(|t| t.allow_unplanned) {
                return Err(Error::ReceiptWithoutPo {
                    supplier: supplier.spec.supplier.to_string(),
                    item: g.item.to_string(),
                });
            }
        }
    }
    // Events: the document (which updates the order lines), then the core's
    // receipt moves, holds, and what the scheduled receipts still expect.
    // The core's own checks (lot expiry, archived item, overflow) may still
    // refuse a line; the engine then rolls the whole command back.
    let grn = GoodsReceipt {
        grn: c.grn.as_str().into(),
        supplier: supplier.spec.supplier.clone(),
        po: po.as_ref().map(|o| o.po.clone()),
        location: st.cat.loc(loc).code.clone(),
        unplanned: po.is_none(),
        received_at: at,
        lines,
    };
    let location = grn.location.to_string();
    let moves: Vec<(Receive, bool)> = grn
        .lines
        .iter()
        .zip(&c.lines)
        .map(|(g, l)| {
            let r = Receive {
                item: g.item.to_string(),
                location: location.clone(),
                qty: l.qty.qty_in(),
                lot: l.lot.clone(),
                expiry: l.expiry,
                receipt: None,
                reference: Some(c.grn.clone()),
            };
            (r, g.held)
        })
        .collect();
    st.emit(out, Event::Ops(OpsEvent::Procurement(Ev::GoodsReceived(grn))))?;
    for (r, held) in moves {
        st.receive(&r, at, out)?;
        if let (true, Some(lot)) = (held, &r.lot) {
            st.lot_status(&r.item, lot, LotStatus::OnHold, out)?;
        }
    }
    match &c.po {
        Some(p) => order::sync_open(st, p, out),
        None => Ok(()),
    }
}

pub(super) fn apply_received(st: &mut State, g: &GoodsReceipt) -> Result<(), Error> {
    if let Some(po) = &g.po {
        for l in &g.lines {
            if let Some(n) = l.po_line {
                order::apply_received(st, po, n, l.qty)?;
            }
        }
    }
    st.put_doc(|o| &mut o.procurement.receipts, g.grn.clone(), g.clone());
    Ok(())
}
