//! Purchase orders: lines, statuses, and their scheduled receipts.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{unknown, Ev, LineQty};
use crate::error::Error;
use crate::event::Event;
use crate::ids::Code;
use crate::ops::OpsEvent;
use crate::qty::Minor;
use crate::state::State;
use crate::time::{Date, Millis};

/// Most lines one purchase order may have.
pub(super) const MAX_LINES: usize = 1000;

/// Where a purchase order is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoStatus {
    /// Being written: not yet expected.
    Draft,
    /// Sent to the supplier: its lines are scheduled receipts.
    Confirmed,
    /// Some line received something, not every line is done.
    PartiallyReceived,
    /// Every line received within tolerance.
    Received,
    /// Closed: nothing more is expected.
    Closed,
    /// Cancelled before anything was received.
    Cancelled,
}

impl PoStatus {
    /// Stable name.
    pub fn name(self) -> &'static str {
        match self {
            PoStatus::Draft => "draft",
            PoStatus::Confirmed => "confirmed",
            PoStatus::PartiallyReceived => "partially_received",
            PoStatus::Received => "received",
            PoStatus::Closed => "closed",
            PoStatus::Cancelled => "cancelled",
        }
    }
}

/// Where a purchase-order line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineStatus {
    /// Nothing received.
    Open,
    /// Received less than the under-tolerance accepts as complete.
    PartiallyReceived,
    /// Received within tolerance: nothing more is expected.
    Received,
    /// The order was closed before the line was received.
    Closed,
    /// The order was cancelled.
    Cancelled,
}

/// One line of a purchase order. Quantities are minor units of the item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoLine {
    /// Line number, from 1.
    pub line: u32,
    /// The item.
    pub item: Code,
    /// Ordered.
    pub qty: Minor,
    /// Price per base unit.
    pub unit_price: Decimal,
    /// Expected arrival.
    pub expected: Date,
    /// The receiving location it is expected at.
    pub location: Code,
    /// Received, net of returns to vendor that re-order.
    pub received: Minor,
    /// Status.
    pub status: LineStatus,
}

/// A purchase order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseOrder {
    /// Client-chosen code.
    pub po: Code,
    /// The supplier.
    pub supplier: Code,
    /// Currency of the prices (the supplier's).
    pub currency: Code,
    /// Status.
    pub status: PoStatus,
    /// Over-receipt tolerance, percent (the supplier's unless overridden).
    pub tolerance_over_pct: Decimal,
    /// Under-receipt tolerance, percent.
    pub tolerance_under_pct: Decimal,
    /// When it was created.
    pub created_at: Millis,
    /// Lines.
    pub lines: Vec<PoLine>,
}

/// `create_po`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreatePo {
    /// Client-chosen code.
    pub po: String,
    /// The supplier.
    pub supplier: String,
    /// Overrides the supplier's over-receipt tolerance, percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance_over_pct: Option<Decimal>,
    /// Overrides the supplier's under-receipt tolerance, percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance_under_pct: Option<Decimal>,
    /// Lines, numbered from 1 in this order.
    pub lines: Vec<PoLineIn>,
}

/// A line of `create_po`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoLineIn {
    /// The item.
    pub item: String,
    /// Quantity in any unit of the item.
    #[serde(flatten)]
    pub qty: LineQty,
    /// Price per base unit; the supplier's terms when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<Decimal>,
    /// Expected arrival.
    pub expected: Date,
    /// The receiving location.
    pub location: String,
}

/// The scheduled-receipt id of a purchase-order line.
pub(super) fn receipt_id(po: &str, line: u32) -> String {
    format!("{po}/{line}")
}

fn pct_of(qty: Minor, pct: Decimal) -> Decimal {
    Decimal::from(qty) * pct / Decimal::ONE_HUNDRED
}

fn to_minor_sat(d: Decimal) -> Minor {
    i64::try_from(d).unwrap_or(if d < Decimal::ZERO { i64::MIN } else { i64::MAX })
}

impl PurchaseOrder {
    /// The most a line may receive in total (rounded down).
    pub fn max_receivable(&self, l: &PoLine) -> Minor {
        to_minor_sat(pct_of(l.qty, Decimal::ONE_HUNDRED + self.tolerance_over_pct).floor())
    }
    /// What a line must receive to be complete (rounded up).
    pub fn min_complete(&self, l: &PoLine) -> Minor {
        to_minor_sat(pct_of(l.qty, Decimal::ONE_HUNDRED - self.tolerance_under_pct).ceil()).max(1)
    }
    /// A line's status from its received quantity, unless the order ended.
    pub fn line_status(&self, l: &PoLine) -> LineStatus {
        match self.status {
            PoStatus::Cancelled => LineStatus::Cancelled,
            _ if l.received >= self.min_complete(l) => LineStatus::Received,
            PoStatus::Closed => LineStatus::Closed,
            _ if l.received > 0 => LineStatus::PartiallyReceived,
            _ => LineStatus::Open,
        }
    }
    /// The order's status from its lines, unless it is a draft or ended.
    pub fn derived_status(&self) -> PoStatus {
        match self.status {
            PoStatus::Draft | PoStatus::Closed | PoStatus::Cancelled => self.status,
            _ if self.lines.iter().all(|l| self.line_status(l) == LineStatus::Received) => PoStatus::Received,
            _ if self.lines.iter().any(|l| l.received > 0) => PoStatus::PartiallyReceived,
            _ => PoStatus::Confirmed,
        }
    }
    /// What a line still expects (0 once received, closed or cancelled).
    pub fn open(&self, l: &PoLine) -> Minor {
        match self.line_status(l) {
            LineStatus::Open | LineStatus::PartiallyReceived => (l.qty - l.received).max(0),
            _ => 0,
        }
    }
    /// Re-derives line and order statuses.
    pub(super) fn refresh(&mut self) {
        self.status = self.derived_status();
        let st: Vec<LineStatus> = self.lines.iter().map(|l| self.line_status(l)).collect();
        for (l, s) in self.lines.iter_mut().zip(st) {
            l.status = s;
        }
    }
    /// A line by number.
    pub fn line(&self, n: u32) -> Option<&PoLine> {
        n.checked_sub(1).and_then(|i| self.lines.get(i as usize))
    }
}

/// The order, or `UNKNOWN_PURCHASE_ORDER`.
pub(super) fn find<'a>(st: &'a State, po: &str) -> Result<&'a PurchaseOrder, Error> {
    State::check_code("po", po)?;
    st.ops.procurement.orders.get(po).ok_or_else(|| Error::UnknownPurchaseOrder { po: po.into() })
}

fn emit(st: &mut State, out: &mut Vec<Event>, ev: Ev) -> Result<(), Error> {
    st.emit(out, Event::Ops(OpsEvent::Procurement(ev)))
}

/// Emits `ReceiptOpenChanged` for every line of an order whose scheduled
/// receipt no longer says what the line expects.
pub(super) fn sync_open(st: &mut State, po: &str, out: &mut Vec<Event>) -> Result<(), Error> {
    let Some(o) = st.ops.procurement.orders.get(po) else { return Ok(()) };
    let mut changes = Vec::new();
    for l in &o.lines {
        let id = receipt_id(po, l.line);
        if let Some(ix) = st.receipt_index(&id) {
            let r = &st.receipts[ix as usize];
            let open = o.open(l);
            if r.open != open {
                changes.push((r.code.clone(), open));
            }
        }
    }
    for (receipt, open) in changes {
        st.emit(out, Event::ReceiptOpenChanged { receipt, open })?;
    }
    Ok(())
}

pub(crate) fn create(st: &mut State, c: &CreatePo, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    State::check_code("po", &c.po)?;
    State::check_code("supplier", &c.supplier)?;
    if c.lines.is_empty() {
        return Err(Error::NoLines { document: c.po.clone() });
    }
    if c.lines.len() > MAX_LINES {
        return Err(Error::LimitExceeded { what: "purchase order lines", max: MAX_LINES as u64 });
    }
    if let Some(v) = c.tolerance_over_pct {
        super::supplier::check_pct("tolerance_over_pct", v, 1000)?;
    }
    if let Some(v) = c.tolerance_under_pct {
        super::supplier::check_pct("tolerance_under_pct", v, 100)?;
    }
    for (i, l) in c.lines.iter().enumerate() {
        State::check_code("receipt", &receipt_id(&c.po, i as u32 + 1))?;
        State::check_code("item", &l.item)?;
        State::check_code("location", &l.location)?;
        State::check_sign("qty", l.qty.qty, crate::exec::Sign::Positive)?;
        if let Some(p) = l.unit_price.filter(|p| *p < Decimal::ZERO) {
            return Err(Error::InvalidSupplierTerm { field: "unit_price", value: p });
        }
    }
    let sup = st.ops.procurement.suppliers.get(&c.supplier);
    let sup = sup.ok_or_else(|| Error::UnknownSupplier { supplier: c.supplier.clone() })?.clone();
    let mut lines = Vec::with_capacity(c.lines.len());
    for (i, l) in c.lines.iter().enumerate() {
        let item = st.find_item(&l.item)?;
        let loc = st.find_loc(&l.location)?;
        let qty = st.to_minor(item, &l.qty.qty_in())?;
        let code = st.cat.item(item).code.clone();
        let price = match (l.unit_price, sup.items.get(&code)) {
            (Some(p), _) => p,
            (None, Some(t)) => t.unit_price,
            (None, None) => {
                return Err(Error::UnknownSupplierItem { supplier: c.supplier.clone(), item: l.item.clone() })
            }
        };
        lines.push(PoLine {
            line: i as u32 + 1,
            item: code,
            qty,
            unit_price: price.normalize(),
            expected: l.expected,
            location: st.cat.loc(loc).code.clone(),
            received: 0,
            status: LineStatus::Open,
        });
    }
    if st.ops.procurement.orders.contains(&c.po) {
        return Err(Error::PoExists { po: c.po.clone() });
    }
    for l in &c.lines {
        st.find_internal(&l.location)?;
        st.check_active_item(st.find_item(&l.item)?)?;
    }
    let po = PurchaseOrder {
        po: c.po.as_str().into(),
        supplier: sup.spec.supplier.clone(),
        currency: sup.spec.currency.clone(),
        status: PoStatus::Draft,
        tolerance_over_pct: c.tolerance_over_pct.unwrap_or(sup.spec.tolerance_over_pct).normalize(),
        tolerance_under_pct: c.tolerance_under_pct.unwrap_or(sup.spec.tolerance_under_pct).normalize(),
        created_at: at,
        lines,
    };
    emit(st, out, Ev::PoCreated(po))
}

/// The state error of an order that is closed or cancelled.
fn ended(o: &PurchaseOrder) -> Result<(), Error> {
    match o.status {
        PoStatus::Cancelled => Err(Error::PoCancelled { po: o.po.to_string() }),
        PoStatus::Closed => Err(Error::PoClosed { po: o.po.to_string() }),
        _ => Ok(()),
    }
}

/// The minimum order quantity and order multiple of a line, base unit.
fn order_rules(st: &State, o: &PurchaseOrder, l: &PoLine) -> (Option<Decimal>, Option<Decimal>) {
    let Some(sup) = st.ops.procurement.suppliers.get(&o.supplier) else { return (None, None) };
    let Some(item) = st.cat.item_id(&l.item) else { return (None, None) };
    line_rules(st, sup, item)
}

/// The minimum order quantity and order multiple of a supplier's lines
/// for an item, base unit: the item's terms first (an order multiple, else
/// its pack size), else the supplier's own. Planning rounds proposals by
/// the same rules the order check enforces.
pub(crate) fn line_rules(
    st: &State,
    sup: &super::supplier::Supplier,
    item: crate::ids::ItemId,
) -> (Option<Decimal>, Option<Decimal>) {
    let dec = |m: Minor| st.dec(item, m as i128);
    let t = sup.items.get(st.cat.item(item).code.as_ref());
    let min = t.and_then(|t| t.min_order_qty).map(dec).or(sup.spec.min_order_qty);
    let mult = t.and_then(|t| t.order_multiple.or(t.pack_size)).map(dec).or(sup.spec.order_multiple);
    (min, mult)
}

pub(super) fn confirm(st: &mut State, po: &str, out: &mut Vec<Event>) -> Result<(), Error> {
    let o = find(st, po)?;
    ended(o)?;
    if o.status != PoStatus::Draft {
        return Err(Error::PoNotDraft { po: po.into(), status: o.status.name() });
    }
    let mut expected = Vec::with_capacity(o.lines.len());
    for l in &o.lines {
        let item = st.find_item(&l.item)?;
        st.check_active_item(item)?;
        let qty = st.dec(item, l.qty as i128);
        let (min, mult) = order_rules(st, o, l);
        if let Some(min) = min.filter(|m| qty < *m) {
            return Err(Error::BelowMinOrderQty { po: po.into(), line: l.line, qty, min });
        }
        if let Some(multiple) = mult.filter(|m| !(qty % *m).is_zero()) {
            return Err(Error::NotOrderMultiple { po: po.into(), line: l.line, qty, multiple });
        }
        let receipt = receipt_id(po, l.line);
        if st.receipt_index(&receipt).is_some() {
            return Err(Error::ReceiptIdConflict { receipt });
        }
        expected.push(Event::ReceiptExpected {
            receipt: receipt.into(),
            item: l.item.clone(),
            location: l.location.clone(),
            qty: l.qty,
            expected: l.expected,
        });
    }
    let code = o.po.clone();
    // Point of no failure.
    emit(st, out, Ev::PoConfirmed { po: code })?;
    for ev in expected {
        st.emit(out, ev)?;
    }
    Ok(())
}

pub(super) fn cancel(st: &mut State, po: &str, out: &mut Vec<Event>) -> Result<(), Error> {
    let o = find(st, po)?;
    ended(o)?;
    if let Some(l) = o.lines.iter().find(|l| l.received > 0) {
        let item = st.find_item(&l.item)?;
        return Err(Error::PoHasReceipts { po: po.into(), line: l.line, received: st.dec(item, l.received as i128) });
    }
    let code = o.po.clone();
    emit(st, out, Ev::PoCancelled { po: code })?;
    sync_open(st, po, out)
}

pub(super) fn close(st: &mut State, po: &str, out: &mut Vec<Event>) -> Result<(), Error> {
    let o = find(st, po)?;
    ended(o)?;
    if o.status == PoStatus::Draft {
        return Err(Error::PoNotConfirmed { po: po.into() });
    }
    let code = o.po.clone();
    emit(st, out, Ev::PoClosed { po: code })?;
    sync_open(st, po, out)
}

pub(super) fn apply_created(st: &mut State, po: &PurchaseOrder) -> Result<(), Error> {
    if st.ops.procurement.suppliers.get(&po.supplier).is_none() {
        return Err(unknown("supplier", &po.supplier));
    }
    st.put_doc(|o| &mut o.procurement.orders, po.po.clone(), po.clone());
    Ok(())
}

pub(super) fn apply_status(st: &mut State, po: &str, status: PoStatus) -> Result<(), Error> {
    st.edit_doc(
        |o| &mut o.procurement.orders,
        po,
        |o| {
            o.status = status;
            o.refresh();
        },
    )
    .ok_or_else(|| unknown("purchase order", po))
}

/// Adds `delta` to a line's received quantity (apply of a receipt or a
/// return that re-orders) and re-derives the statuses.
pub(super) fn apply_received(st: &mut State, po: &str, line: u32, delta: Minor) -> Result<(), Error> {
    let ok = st.edit_doc(
        |o| &mut o.procurement.orders,
        po,
        |o| {
            let Some(l) = line.checked_sub(1).and_then(|i| o.lines.get_mut(i as usize)) else { return false };
            l.received = l.received.saturating_add(delta);
            o.refresh();
            true
        },
    );
    match ok {
        Some(true) => Ok(()),
        _ => Err(unknown("purchase order line", &receipt_id(po, line))),
    }
}
