//! Operations flow `procurement`: suppliers and their item terms, purchase
//! orders, goods receipts (GRNs), inspection and returns to vendor (RTVs).
//!
//! A purchase order goes draft → confirmed → partially_received → received
//! → closed, or → cancelled. Confirming it registers one core scheduled
//! receipt per line (`<po>/<line>`), so open quantities feed `incoming` and
//! the time-phased ATP; every receipt or return against a line re-states
//! what is still open. Receipts post the core's receipt moves; inspection
//! moves stock on to staging, quarantine or back to the supplier.

mod inspection;
mod order;
mod receipt;
mod supplier;
mod verify;
mod views;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::event::Event;
use crate::ops::DocMap;
use crate::state::State;
use crate::time::Millis;

pub use inspection::{Disposition, Inspection, ReturnToVendor};
// For the planning flow (accepting a buy plan creates purchase orders).
#[cfg(feature = "planning")]
pub(crate) use order::{create as create_po, line_rules};
pub use order::{CreatePo, LineStatus, PoLine, PoLineIn, PoStatus, PurchaseOrder};
pub use receipt::{GoodsReceipt, GrnLine};
pub use supplier::{Supplier, SupplierSpec, Terms};
pub use views::{GrnLineView, GrnView, OpenPoLine, PoLineView, PoView, RtvView, SupplierView, TermsView};

/// The flow's documents.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Docs {
    /// Suppliers with their item terms.
    #[serde(default)]
    pub suppliers: DocMap<Supplier>,
    /// Purchase orders.
    #[serde(default)]
    pub orders: DocMap<PurchaseOrder>,
    /// Goods receipts.
    #[serde(default)]
    pub receipts: DocMap<GoodsReceipt>,
    /// Returns to vendor.
    #[serde(default)]
    pub returns: DocMap<ReturnToVendor>,
}

impl Docs {
    /// No documents.
    pub fn is_empty(&self) -> bool {
        self.suppliers.is_empty() && self.orders.is_empty() && self.receipts.is_empty() && self.returns.is_empty()
    }
}

/// A quantity as a command gives it: a decimal in a unit of the item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LineQty {
    /// The amount.
    pub qty: Decimal,
    /// A unit of the item; its base unit when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Rounding of an inexact conversion; refused when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<crate::qty::Rounding>,
}

impl LineQty {
    fn qty_in(&self) -> crate::command::QtyIn {
        crate::command::QtyIn { qty: self.qty, unit: self.unit.clone(), rounding: self.rounding }
    }
}

/// The flow's commands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Cmd {
    /// Create or update a supplier (its item terms are kept).
    DefineSupplier(SupplierSpec),
    /// Set a supplier's terms for one item.
    SetSupplierItem(supplier::SetSupplierItem),
    /// Create a purchase order in draft.
    CreatePo(order::CreatePo),
    /// Confirm a draft purchase order: its lines become scheduled receipts.
    ConfirmPo {
        /// The order.
        po: String,
    },
    /// Cancel an order that received nothing.
    CancelPo {
        /// The order.
        po: String,
    },
    /// Close an order: what is still open is no longer expected.
    ClosePo {
        /// The order.
        po: String,
    },
    /// Post a goods receipt (GRN), against an order or unplanned.
    ReceivePo(receipt::ReceivePo),
    /// Record an inspection of a GRN line: pass to staging, fail to
    /// quarantine or back to the supplier.
    Inspect(inspection::Inspect),
}

/// JSON `type` names of [`Cmd`].
pub const CMD_TYPES: &[&str] = &[
    "define_supplier",
    "set_supplier_item",
    "create_po",
    "confirm_po",
    "cancel_po",
    "close_po",
    "receive_po",
    "inspect",
];

/// The flow's events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Ev {
    /// A supplier was created or changed.
    SupplierDefined(SupplierSpec),
    /// A supplier's terms for an item were set.
    SupplierItemSet {
        /// The supplier.
        supplier: crate::ids::Code,
        /// The terms.
        terms: Terms,
    },
    /// A purchase order was created (draft).
    PoCreated(PurchaseOrder),
    /// A purchase order was confirmed.
    PoConfirmed {
        /// The order.
        po: crate::ids::Code,
    },
    /// A purchase order was cancelled.
    PoCancelled {
        /// The order.
        po: crate::ids::Code,
    },
    /// A purchase order was closed.
    PoClosed {
        /// The order.
        po: crate::ids::Code,
    },
    /// A goods receipt was posted (its moves follow as `MovePosted`).
    GoodsReceived(GoodsReceipt),
    /// A GRN line was inspected.
    Inspected {
        /// The GRN.
        grn: crate::ids::Code,
        /// Its line number.
        line: u32,
        /// What was found and done.
        inspection: Inspection,
    },
    /// Stock went back to the supplier.
    RtvRaised(ReturnToVendor),
}

/// JSON `type` names of [`Ev`].
pub const EVENT_TYPES: &[&str] = &[
    "supplier_defined",
    "supplier_item_set",
    "po_created",
    "po_confirmed",
    "po_cancelled",
    "po_closed",
    "goods_received",
    "inspected",
    "rtv_raised",
];

pub(crate) fn run(st: &mut State, cmd: &Cmd, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    match cmd {
        Cmd::DefineSupplier(c) => supplier::define(st, c, out),
        Cmd::SetSupplierItem(c) => supplier::set_item(st, c, out),
        Cmd::CreatePo(c) => order::create(st, c, at, out),
        Cmd::ConfirmPo { po } => order::confirm(st, po, out),
        Cmd::CancelPo { po } => order::cancel(st, po, out),
        Cmd::ClosePo { po } => order::close(st, po, out),
        Cmd::ReceivePo(c) => receipt::receive(st, c, at, out),
        Cmd::Inspect(c) => inspection::inspect(st, c, at, out),
    }
}

pub(crate) fn apply(st: &mut State, ev: &Ev) -> Result<(), Error> {
    match ev {
        Ev::SupplierDefined(s) => supplier::apply_defined(st, s),
        Ev::SupplierItemSet { supplier, terms } => supplier::apply_item(st, supplier, terms),
        Ev::PoCreated(po) => order::apply_created(st, po),
        Ev::PoConfirmed { po } => order::apply_status(st, po, PoStatus::Confirmed),
        Ev::PoCancelled { po } => order::apply_status(st, po, PoStatus::Cancelled),
        Ev::PoClosed { po } => order::apply_status(st, po, PoStatus::Closed),
        Ev::GoodsReceived(g) => receipt::apply_received(st, g),
        Ev::Inspected { grn, line, inspection } => inspection::apply_inspected(st, grn, *line, inspection),
        Ev::RtvRaised(r) => inspection::apply_rtv(st, r),
    }
}

pub(crate) fn verify(st: &State, errs: &mut Vec<String>) {
    verify::verify(st, errs)
}

/// The flow's read-only questions (JSON `kind`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Qry {
    /// A supplier with its terms, or `null`.
    Supplier {
        /// The supplier.
        supplier: String,
    },
    /// A purchase order with its lines, or `null`.
    PurchaseOrder {
        /// The order.
        po: String,
    },
    /// A goods receipt with its lines, or `null`.
    GoodsReceipt {
        /// The GRN.
        grn: String,
    },
    /// A return to vendor, or `null`.
    ReturnToVendor {
        /// The RTV.
        rtv: String,
    },
    /// The open purchase-order lines of an item, by expected date.
    OpenPurchaseOrders {
        /// The item.
        item: String,
    },
}

/// JSON `kind` names of [`Qry`].
pub const QUERY_KINDS: &[&str] =
    &["supplier", "purchase_order", "goods_receipt", "return_to_vendor", "open_purchase_orders"];

pub(crate) fn query<A: crate::Answer>(st: &State, q: &Qry, a: A) -> Result<A::Out, Error> {
    match q {
        Qry::Supplier { supplier } => a.answer(&views::supplier(st, supplier)),
        Qry::PurchaseOrder { po } => a.answer(&views::purchase_order(st, po)),
        Qry::GoodsReceipt { grn } => a.answer(&views::goods_receipt(st, grn)),
        Qry::ReturnToVendor { rtv } => a.answer(&views::return_to_vendor(st, rtv)),
        Qry::OpenPurchaseOrders { item } => a.answer(&views::open_purchase_orders(st, item)?),
    }
}

/// `Error::InvalidCommand` for an event naming an unknown document.
fn unknown(what: &str, code: &str) -> Error {
    Error::InvalidCommand { reason: format!("event names unknown {what} {code}") }
}
