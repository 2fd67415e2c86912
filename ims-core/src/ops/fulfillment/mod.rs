//! Operations flow `fulfillment`: sales orders, their allocation (one core
//! reservation per line), pick lists in walk order with short picks, packing
//! into packages, and shipping (the reservations' commit to the customer).
//!
//! Order states: `open` → `allocated` | `partially_allocated` → `picking` →
//! `packed` → `shipped` | `partially_shipped` → `closed`, or `cancelled`.
//! A line's reservation is `<order>/<line>`; what it cannot place is open
//! demand (a backorder) that new supply fills by the core's own rules.

mod doc;
mod order;
mod pack;
mod pick;
mod view;

pub use doc::*;
pub use view::*;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::command::{QtyIn, Scope};
use crate::error::Error;
use crate::event::Event;
use crate::ids::Code;
use crate::ops::DocMap;
use crate::qty::Minor;
use crate::state::State;
use crate::time::{Date, Millis};

/// The flow's documents.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Docs {
    /// Sales orders by code.
    #[serde(default, skip_serializing_if = "DocMap::is_empty")]
    pub orders: DocMap<SalesOrder>,
    /// Pick lists by code.
    #[serde(default, skip_serializing_if = "DocMap::is_empty")]
    pub pick_lists: DocMap<PickList>,
    /// Packages by code.
    #[serde(default, skip_serializing_if = "DocMap::is_empty")]
    pub packages: DocMap<Package>,
}

impl Docs {
    /// No documents.
    pub fn is_empty(&self) -> bool {
        self.orders.is_empty() && self.pick_lists.is_empty() && self.packages.is_empty()
    }
}

/// One line of a new sales order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LineIn {
    /// Line code, unique in the order.
    pub line: String,
    /// The item.
    pub item: String,
    /// Quantity, in any unit of the item.
    #[serde(flatten)]
    pub qty: QtyIn,
}

/// One line of a package being packed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContentIn {
    /// The order line.
    pub line: String,
    /// Quantity in the item's base unit.
    pub qty: Decimal,
}

/// The flow's commands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Cmd {
    /// Record a sales order (status `open`).
    CreateSalesOrder {
        /// Client-chosen code.
        order: String,
        /// The customer location stock ships to (`@customer` when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        customer: Option<String>,
        /// The lines.
        lines: Vec<LineIn>,
        /// When the customer wants it shipped (the reservations' need date).
        requested_ship_date: Date,
        /// Where stock is taken from.
        scope: Scope,
        /// Sales channel of the reservations.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        channel: Option<String>,
        /// Destination zone for carrier rating.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ship_to_zone: Option<String>,
    },
    /// Reserve every line (partial fill: the rest is a backorder).
    AllocateOrder {
        /// The order.
        order: String,
    },
    /// Group the orders' allocated stock into pick tasks in walk order.
    CreatePickList {
        /// Client-chosen code.
        pick_list: String,
        /// The orders to pick.
        orders: Vec<String>,
        /// The staging location picked stock goes to.
        staging: String,
    },
    /// Confirm a pick task; less than asked is a short pick.
    ConfirmPick {
        /// The pick list.
        pick_list: String,
        /// The task number.
        task: u32,
        /// Quantity found and picked, base unit.
        picked: Decimal,
    },
    /// Pack picked quantities into a package.
    Pack {
        /// Client-chosen code.
        package: String,
        /// The order.
        order: String,
        /// Lines and quantities.
        contents: Vec<ContentIn>,
        /// Weight; computed from the item profiles when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        weight_kg: Option<Decimal>,
    },
    /// Ship packages: commit their quantities to the customer.
    ShipOrder {
        /// The order.
        order: String,
        /// The packages shipped.
        packages: Vec<String>,
    },
    /// Cancel an order that shipped nothing; releases its reservations.
    CancelOrder {
        /// The order.
        order: String,
    },
    /// Close a shipped order; releases what it still holds (backorders).
    CloseOrder {
        /// The order.
        order: String,
    },
}

/// JSON `type` names of [`Cmd`].
pub const CMD_TYPES: &[&str] = &[
    "create_sales_order",
    "allocate_order",
    "create_pick_list",
    "confirm_pick",
    "pack",
    "ship_order",
    "cancel_order",
    "close_order",
];

/// The flow's events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Ev {
    /// A sales order was recorded.
    SalesOrderCreated {
        /// The code.
        order: Code,
        /// The document as created.
        doc: SalesOrder,
    },
    /// An order's lines were reserved.
    OrderAllocated {
        /// The order.
        order: Code,
        /// `allocated`, or `partially_allocated` when some line is backordered.
        status: OrderStatus,
    },
    /// A pick list was made.
    PickListCreated {
        /// The code.
        pick_list: Code,
        /// Where picked stock goes.
        staging: Code,
        /// Its orders.
        orders: Vec<Code>,
        /// Its tasks in walk order.
        tasks: Vec<PickTask>,
    },
    /// Tasks added to a pick list for stock re-allocated after a short pick.
    PickTasksAdded {
        /// The pick list.
        pick_list: Code,
        /// The new tasks.
        tasks: Vec<PickTask>,
    },
    /// A task was confirmed.
    PickConfirmed {
        /// The pick list.
        pick_list: Code,
        /// The task.
        task: u32,
        /// Picked per served line, in the task's order.
        picked: Vec<Minor>,
    },
    /// A task was picked short: the bin is flagged for a count.
    PickShorted {
        /// The pick list.
        pick_list: Code,
        /// The task.
        task: u32,
        /// The item.
        item: Code,
        /// The bin.
        location: Code,
        /// The lot.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lot: Option<Code>,
        /// Asked minus picked.
        shortfall: Minor,
        /// Taken off the bin's book (to `@adjustment`).
        written_off: Minor,
        /// Of which re-allocated elsewhere.
        reallocated: Minor,
        /// Of which now open demand (backorder).
        backordered: Minor,
    },
    /// A package was packed.
    Packed {
        /// The code.
        package: Code,
        /// The document.
        doc: Package,
    },
    /// Packages were shipped.
    OrderShipped {
        /// The order.
        order: Code,
        /// The packages.
        packages: Vec<Code>,
        /// `shipped` when every line shipped in full, else `partially_shipped`.
        status: OrderStatus,
    },
    /// An order was cancelled.
    OrderCancelled {
        /// The order.
        order: Code,
    },
    /// An order was closed.
    OrderClosed {
        /// The order.
        order: Code,
    },
}

/// JSON `type` names of [`Ev`].
pub const EVENT_TYPES: &[&str] = &[
    "sales_order_created",
    "order_allocated",
    "pick_list_created",
    "pick_tasks_added",
    "pick_confirmed",
    "pick_shorted",
    "packed",
    "order_shipped",
    "order_cancelled",
    "order_closed",
];

pub(crate) fn run(st: &mut State, cmd: &Cmd, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    match cmd {
        Cmd::CreateSalesOrder { order, customer, lines, requested_ship_date, scope, channel, ship_to_zone } => {
            let c = order::NewOrder {
                order,
                customer: customer.as_deref(),
                lines,
                requested_ship_date: *requested_ship_date,
                scope,
                channel: channel.as_deref(),
                ship_to_zone: ship_to_zone.as_deref(),
            };
            order::create(st, &c, out)
        }
        Cmd::AllocateOrder { order } => order::allocate(st, order, out),
        Cmd::CreatePickList { pick_list, orders, staging } => pick::create(st, pick_list, orders, staging, out),
        Cmd::ConfirmPick { pick_list, task, picked } => pick::confirm(st, pick_list, *task, *picked, at, out),
        Cmd::Pack { package, order, contents, weight_kg } => pack::pack(st, package, order, contents, *weight_kg, out),
        Cmd::ShipOrder { order, packages } => pack::ship(st, order, packages, at, out),
        Cmd::CancelOrder { order } => order::cancel(st, order, out),
        Cmd::CloseOrder { order } => order::close(st, order, out),
    }
}

pub(crate) fn apply(st: &mut State, ev: &Ev) -> Result<(), Error> {
    doc::apply(st, ev)
}

pub(crate) fn verify(st: &State, errs: &mut Vec<String>) {
    doc::verify(st, errs)
}

/// The flow's read-only questions (JSON `kind`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Qry {
    /// A sales order with per-line quantities (`null` when unknown).
    SalesOrder {
        /// The order.
        order: String,
    },
    /// A pick list's tasks in walk order (`null` when unknown).
    PickList {
        /// The pick list.
        pick_list: String,
    },
}

/// JSON `kind` names of [`Qry`].
pub const QUERY_KINDS: &[&str] = &["sales_order", "pick_list"];

pub(crate) fn query<A: crate::Answer>(st: &State, q: &Qry, a: A) -> Result<A::Out, Error> {
    match q {
        Qry::SalesOrder { order } => a.answer(&view::order_view(st, order)),
        Qry::PickList { pick_list } => a.answer(&view::pick_list_view(st, pick_list)),
    }
}
