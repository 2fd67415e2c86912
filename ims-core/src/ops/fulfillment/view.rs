//! Read-only views of sales orders and pick lists, with decimals.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::ids::Code;
use crate::reservation::ResStatus;
use crate::state::State;
use crate::time::Date;

use super::{line_reservation, OrderStatus};

/// One line of a sales order view (base-unit decimals).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OrderLineView {
    /// Line code.
    pub line: Code,
    /// The item.
    pub item: Code,
    /// Ordered.
    pub ordered: Decimal,
    /// Held by the line's reservation now (in bins or picked into staging).
    pub allocated: Decimal,
    /// Open demand of the line's reservation: the backorder.
    pub backordered: Decimal,
    /// Picked into staging.
    pub picked: Decimal,
    /// Packed.
    pub packed: Decimal,
    /// Shipped.
    pub shipped: Decimal,
}

/// A sales order as the `sales_order` query shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SalesOrderView {
    /// The code.
    pub order: Code,
    /// Status.
    pub status: OrderStatus,
    /// Customer location.
    pub customer: Code,
    /// Requested ship date.
    pub requested_ship_date: Date,
    /// Destination zone.
    pub ship_to_zone: Option<Code>,
    /// Lines in line-code order.
    pub lines: Vec<OrderLineView>,
    /// Packages in packing order.
    pub packages: Vec<Code>,
}

/// One task of a pick list view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PickTaskView {
    /// Task number (what `confirm_pick` names).
    pub task: u32,
    /// The bin.
    pub location: Code,
    /// The bin's walk sequence.
    pub walk_seq: u32,
    /// The item.
    pub item: Code,
    /// The lot.
    pub lot: Option<Code>,
    /// To pick.
    pub qty: Decimal,
    /// Picked, once confirmed.
    pub picked: Option<Decimal>,
    /// The order lines served, as `order/line` reservation ids.
    pub reservations: Vec<String>,
}

/// A pick list as the `pick_list` query shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PickListView {
    /// The code.
    pub pick_list: Code,
    /// Staging location.
    pub staging: Code,
    /// Orders.
    pub orders: Vec<Code>,
    /// Whether every task is confirmed.
    pub done: bool,
    /// Tasks in walk order (bin walk sequence, bin code, lot, item).
    pub tasks: Vec<PickTaskView>,
}

pub(super) fn order_view(st: &State, code: &str) -> Option<SalesOrderView> {
    let (code, o) = st.ops.fulfillment.orders.0.get_key_value(code)?;
    let lines = o
        .lines
        .iter()
        .map(|l| {
            let item = st.cat.item_id(&l.item);
            let dec = |q: i64| item.map_or(Decimal::from(q), |i| st.dec(i, q as i128));
            let (allocated, open) = st
                .res_id(&line_reservation(code, &l.line))
                .map(|r| &st.res[r.ix()])
                .filter(|r| r.status == ResStatus::Active)
                .map_or((0, 0), |r| (r.allocated(), r.open_demand));
            OrderLineView {
                line: l.line.clone(),
                item: l.item.clone(),
                ordered: dec(l.qty),
                allocated: dec(allocated),
                backordered: dec(open),
                picked: dec(l.picked),
                packed: dec(l.packed),
                shipped: dec(l.shipped),
            }
        })
        .collect();
    Some(SalesOrderView {
        order: code.clone(),
        status: o.status,
        customer: o.customer.clone(),
        requested_ship_date: o.requested_ship_date,
        ship_to_zone: o.ship_to_zone.clone(),
        lines,
        packages: o.packages.clone(),
    })
}

pub(super) fn pick_list_view(st: &State, code: &str) -> Option<PickListView> {
    let (code, pl) = st.ops.fulfillment.pick_lists.0.get_key_value(code)?;
    let mut tasks: Vec<PickTaskView> = pl
        .tasks
        .iter()
        .map(|t| {
            let item = st.cat.item_id(&t.item);
            let dec = |q: i64| item.map_or(Decimal::from(q), |i| st.dec(i, q as i128));
            PickTaskView {
                task: t.task,
                location: t.location.clone(),
                walk_seq: st.cat.loc_id(&t.location).map_or(0, |l| st.cat.loc(l).walk_seq),
                item: t.item.clone(),
                lot: t.lot.clone(),
                qty: dec(t.qty),
                picked: t.picked.map(dec),
                reservations: t.serves.iter().map(|s| line_reservation(&s.order, &s.line)).collect(),
            }
        })
        .collect();
    tasks.sort_by(|a, b| {
        (a.walk_seq, &a.location, &a.lot, &a.item, a.task).cmp(&(b.walk_seq, &b.location, &b.lot, &b.item, b.task))
    });
    Some(PickListView {
        pick_list: code.clone(),
        staging: pl.staging.clone(),
        orders: pl.orders.clone(),
        done: pl.tasks.iter().all(|t| t.picked.is_some()),
        tasks,
    })
}

impl crate::engine::Engine {
    /// A sales order with per-line quantities.
    pub fn sales_order(&self, order: &str) -> Option<SalesOrderView> {
        order_view(&self.st, order)
    }
    /// A pick list's tasks in walk order.
    pub fn pick_list(&self, pick_list: &str) -> Option<PickListView> {
        pick_list_view(&self.st, pick_list)
    }
}
