//! Read-only views of the flow's documents, quantities as decimals of the
//! item's base unit, and the typed `Engine` API.

use rust_decimal::Decimal;
use serde::Serialize;

use super::{Disposition, GoodsReceipt, LineStatus, PoStatus, PurchaseOrder, ReturnToVendor};
use crate::error::Error;
use crate::ids::Code;
use crate::qty::Minor;
use crate::state::State;
use crate::time::{Date, Millis};

/// A supplier with its item terms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SupplierView {
    /// Code.
    pub supplier: Code,
    /// Currency.
    pub currency: Code,
    /// Mean lead time, days.
    pub lead_time_mean_days: Decimal,
    /// Standard deviation of the lead time, days.
    pub lead_time_sd_days: Decimal,
    /// Default minimum order quantity per line, base unit.
    pub min_order_qty: Option<Decimal>,
    /// Default order multiple per line, base unit.
    pub order_multiple: Option<Decimal>,
    /// Over-receipt tolerance, percent.
    pub tolerance_over_pct: Decimal,
    /// Under-receipt tolerance, percent.
    pub tolerance_under_pct: Decimal,
    /// Terms per item, by item code.
    pub items: Vec<TermsView>,
}

/// A supplier's terms for an item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TermsView {
    /// The item.
    pub item: Code,
    /// Price per base unit.
    pub unit_price: Decimal,
    /// Pack size, base unit.
    pub pack_size: Option<Decimal>,
    /// Minimum order quantity, base unit.
    pub min_order_qty: Option<Decimal>,
    /// Order multiple, base unit.
    pub order_multiple: Option<Decimal>,
    /// Preferred supplier of the item.
    pub preferred: bool,
    /// Receipts without an order accepted.
    pub allow_unplanned: bool,
}

/// A purchase order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PoView {
    /// Code.
    pub po: Code,
    /// Supplier.
    pub supplier: Code,
    /// Currency.
    pub currency: Code,
    /// Status.
    pub status: PoStatus,
    /// Over-receipt tolerance, percent.
    pub tolerance_over_pct: Decimal,
    /// Under-receipt tolerance, percent.
    pub tolerance_under_pct: Decimal,
    /// Created at.
    pub created_at: Millis,
    /// Sum of ordered × price.
    pub total: Decimal,
    /// Lines.
    pub lines: Vec<PoLineView>,
}

/// A purchase-order line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PoLineView {
    /// Line number.
    pub line: u32,
    /// Item.
    pub item: Code,
    /// Status.
    pub status: LineStatus,
    /// Ordered, base unit.
    pub ordered: Decimal,
    /// Received (net of returns that re-order), base unit.
    pub received: Decimal,
    /// Still expected, base unit.
    pub open: Decimal,
    /// The most the line may receive in total, base unit.
    pub max_receivable: Decimal,
    /// Price per base unit.
    pub unit_price: Decimal,
    /// Expected date.
    pub expected: Date,
    /// Receiving location.
    pub location: Code,
    /// Its scheduled-receipt id (once confirmed).
    pub receipt: Option<String>,
}

/// A goods receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GrnView {
    /// Code.
    pub grn: Code,
    /// Supplier.
    pub supplier: Code,
    /// Purchase order.
    pub po: Option<Code>,
    /// Where it was received.
    pub location: Code,
    /// Without an order.
    pub unplanned: bool,
    /// When.
    pub received_at: Millis,
    /// Lines.
    pub lines: Vec<GrnLineView>,
}

/// A goods-receipt line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GrnLineView {
    /// Line number.
    pub line: u32,
    /// Purchase-order line.
    pub po_line: Option<u32>,
    /// Item.
    pub item: Code,
    /// Lot.
    pub lot: Option<Code>,
    /// Expiry given.
    pub expiry: Option<Date>,
    /// Received, base unit.
    pub qty: Decimal,
    /// Passed inspection, base unit.
    pub passed: Decimal,
    /// Failed inspection, base unit.
    pub failed: Decimal,
    /// Not yet inspected, base unit.
    pub uninspected: Decimal,
    /// The lot was put on hold pending inspection.
    pub held: bool,
    /// Inspections.
    pub inspections: Vec<InspectionView>,
}

/// An inspection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InspectionView {
    /// Passed, base unit.
    pub pass: Decimal,
    /// Failed, base unit.
    pub fail: Decimal,
    /// Why.
    pub reason: Option<String>,
    /// Where passed stock went.
    pub to: Option<Code>,
    /// Where failed stock went.
    pub disposition: Option<Disposition>,
    /// When.
    pub at: Millis,
}

/// A return to vendor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RtvView {
    /// Code.
    pub rtv: Code,
    /// Supplier.
    pub supplier: Code,
    /// GRN.
    pub grn: Code,
    /// GRN line.
    pub grn_line: u32,
    /// Purchase order.
    pub po: Option<Code>,
    /// Purchase-order line.
    pub po_line: Option<u32>,
    /// Item.
    pub item: Code,
    /// Lot.
    pub lot: Option<Code>,
    /// Returned, base unit.
    pub qty: Decimal,
    /// Why.
    pub reason: String,
    /// The order line was re-opened.
    pub reorder: bool,
    /// When.
    pub at: Millis,
}

/// An open purchase-order line of an item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OpenPoLine {
    /// Order.
    pub po: Code,
    /// Line.
    pub line: u32,
    /// Supplier.
    pub supplier: Code,
    /// Order status.
    pub status: PoStatus,
    /// Expected date.
    pub expected: Date,
    /// Receiving location.
    pub location: Code,
    /// Ordered, base unit.
    pub ordered: Decimal,
    /// Received, base unit.
    pub received: Decimal,
    /// Still expected, base unit.
    pub open: Decimal,
}

fn dec_of<'a>(st: &'a State, item: &str) -> impl Fn(Minor) -> Decimal + 'a {
    let id = st.cat.item_id(item);
    move |m| id.map_or(Decimal::from(m), |i| st.dec(i, m as i128))
}

pub(super) fn supplier(st: &State, code: &str) -> Option<SupplierView> {
    let s = st.ops.procurement.suppliers.get(code)?;
    let p = &s.spec;
    let items = s
        .items
        .values()
        .map(|t| {
            let d = dec_of(st, &t.item);
            TermsView {
                item: t.item.clone(),
                unit_price: t.unit_price,
                pack_size: t.pack_size.map(&d),
                min_order_qty: t.min_order_qty.map(&d),
                order_multiple: t.order_multiple.map(&d),
                preferred: t.preferred,
                allow_unplanned: t.allow_unplanned,
            }
        })
        .collect();
    Some(SupplierView {
        supplier: p.supplier.clone(),
        currency: p.currency.clone(),
        lead_time_mean_days: p.lead_time_mean_days,
        lead_time_sd_days: p.lead_time_sd_days,
        min_order_qty: p.min_order_qty,
        order_multiple: p.order_multiple,
        tolerance_over_pct: p.tolerance_over_pct,
        tolerance_under_pct: p.tolerance_under_pct,
        items,
    })
}

fn po_view(st: &State, o: &PurchaseOrder) -> PoView {
    let mut total = Decimal::ZERO;
    let lines = o
        .lines
        .iter()
        .map(|l| {
            let d = dec_of(st, &l.item);
            let ordered = d(l.qty);
            total = total.saturating_add(ordered.saturating_mul(l.unit_price));
            PoLineView {
                line: l.line,
                item: l.item.clone(),
                status: l.status,
                ordered,
                received: d(l.received),
                open: d(o.open(l)),
                max_receivable: d(o.max_receivable(l)),
                unit_price: l.unit_price,
                expected: l.expected,
                location: l.location.clone(),
                receipt: Some(super::order::receipt_id(&o.po, l.line))
                    .filter(|r| o.status != PoStatus::Draft && st.receipt_index(r).is_some()),
            }
        })
        .collect();
    PoView {
        po: o.po.clone(),
        supplier: o.supplier.clone(),
        currency: o.currency.clone(),
        status: o.status,
        tolerance_over_pct: o.tolerance_over_pct,
        tolerance_under_pct: o.tolerance_under_pct,
        created_at: o.created_at,
        total: total.normalize(),
        lines,
    }
}

pub(super) fn purchase_order(st: &State, code: &str) -> Option<PoView> {
    st.ops.procurement.orders.get(code).map(|o| po_view(st, o))
}

fn grn_view(st: &State, g: &GoodsReceipt) -> GrnView {
    let lines = g
        .lines
        .iter()
        .map(|l| {
            let d = dec_of(st, &l.item);
            GrnLineView {
                line: l.line,
                po_line: l.po_line,
                item: l.item.clone(),
                lot: l.lot.clone(),
                expiry: l.expiry,
                qty: d(l.qty),
                passed: d(l.passed),
                failed: d(l.failed),
                uninspected: d(l.uninspected()),
                held: l.held,
                inspections: l
                    .inspections
                    .iter()
                    .map(|i| InspectionView {
                        pass: d(i.pass),
                        fail: d(i.fail),
                        reason: i.reason.clone(),
                        to: i.to.clone(),
                        disposition: i.disposition.clone(),
                        at: i.at,
                    })
                    .collect(),
            }
        })
        .collect();
    GrnView {
        grn: g.grn.clone(),
        supplier: g.supplier.clone(),
        po: g.po.clone(),
        location: g.location.clone(),
        unplanned: g.unplanned,
        received_at: g.received_at,
        lines,
    }
}

pub(super) fn goods_receipt(st: &State, code: &str) -> Option<GrnView> {
    st.ops.procurement.receipts.get(code).map(|g| grn_view(st, g))
}

fn rtv_view(st: &State, r: &ReturnToVendor) -> RtvView {
    let d = dec_of(st, &r.item);
    RtvView {
        rtv: r.rtv.clone(),
        supplier: r.supplier.clone(),
        grn: r.grn.clone(),
        grn_line: r.grn_line,
        po: r.po.clone(),
        po_line: r.po_line,
        item: r.item.clone(),
        lot: r.lot.clone(),
        qty: d(r.qty),
        reason: r.reason.clone(),
        reorder: r.reorder,
        at: r.at,
    }
}

pub(super) fn return_to_vendor(st: &State, code: &str) -> Option<RtvView> {
    st.ops.procurement.returns.get(code).map(|r| rtv_view(st, r))
}

pub(super) fn open_purchase_orders(st: &State, item: &str) -> Result<Vec<OpenPoLine>, Error> {
    let id = st.find_item(item)?;
    let code = st.cat.item(id).code.clone();
    let d = |m: Minor| st.dec(id, m as i128);
    let mut v: Vec<OpenPoLine> = Vec::new();
    for (_, o) in st.ops.procurement.orders.iter() {
        if !matches!(o.status, PoStatus::Confirmed | PoStatus::PartiallyReceived | PoStatus::Received) {
            continue;
        }
        for l in o.lines.iter().filter(|l| l.item == code && o.open(l) > 0) {
            v.push(OpenPoLine {
                po: o.po.clone(),
                line: l.line,
                supplier: o.supplier.clone(),
                status: o.status,
                expected: l.expected,
                location: l.location.clone(),
                ordered: d(l.qty),
                received: d(l.received),
                open: d(o.open(l)),
            });
        }
    }
    v.sort_by(|a, b| (a.expected, &a.po, a.line).cmp(&(b.expected, &b.po, b.line)));
    Ok(v)
}

impl crate::engine::Engine {
    /// A supplier with its item terms.
    pub fn supplier(&self, code: &str) -> Option<SupplierView> {
        supplier(&self.st, code)
    }
    /// A purchase order with its lines (ordered / received / open).
    pub fn purchase_order(&self, code: &str) -> Option<PoView> {
        purchase_order(&self.st, code)
    }
    /// A goods receipt with its lines and inspections.
    pub fn goods_receipt(&self, code: &str) -> Option<GrnView> {
        goods_receipt(&self.st, code)
    }
    /// A return to vendor.
    pub fn return_to_vendor(&self, code: &str) -> Option<RtvView> {
        return_to_vendor(&self.st, code)
    }
    /// The open purchase-order lines of an item, by expected date.
    pub fn open_purchase_orders(&self, item: &str) -> Result<Vec<OpenPoLine>, Error> {
        open_purchase_orders(&self.st, item)
    }
}
