//! The fulfillment documents, and the only code that changes them (`apply`).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::command::Scope;
use crate::error::Error;
use crate::ids::Code;
use crate::qty::Minor;
use crate::state::State;
use crate::time::Date;

use super::Ev;

/// Where a sales order stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Recorded, nothing reserved.
    Open,
    /// Every line reserved in full.
    Allocated,
    /// Some line is (partly) backordered.
    PartiallyAllocated,
    /// On a pick list.
    Picking,
    /// Something is packed.
    Packed,
    /// Some packages shipped; lines remain.
    PartiallyShipped,
    /// Every line shipped in full.
    Shipped,
    /// Finished; what it still held was released.
    Closed,
    /// Cancelled; its reservations were released.
    Cancelled,
}

impl OrderStatus {
    /// The JSON name.
    pub fn name(self) -> &'static str {
        match self {
            OrderStatus::Open => "open",
            OrderStatus::Allocated => "allocated",
            OrderStatus::PartiallyAllocated => "partially_allocated",
            OrderStatus::Picking => "picking",
            OrderStatus::Packed => "packed",
            OrderStatus::PartiallyShipped => "partially_shipped",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Closed => "closed",
            OrderStatus::Cancelled => "cancelled",
        }
    }
}

/// One line of a sales order; quantities in the item's minor units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    /// Line code.
    pub line: Code,
    /// The item.
    pub item: Code,
    /// Ordered.
    pub qty: Minor,
    /// Picked into staging.
    pub picked: Minor,
    /// Packed into packages.
    pub packed: Minor,
    /// Shipped to the customer.
    pub shipped: Minor,
}

/// A sales order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesOrder {
    /// Customer location the stock ships to.
    pub customer: Code,
    /// Where stock is taken from.
    pub scope: Scope,
    /// Sales channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Code>,
    /// Destination zone for carrier rating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_to_zone: Option<Code>,
    /// Requested ship date.
    pub requested_ship_date: Date,
    /// Status.
    pub status: OrderStatus,
    /// Lines in line-code order.
    pub lines: Vec<OrderLine>,
    /// Its packages in packing order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<Code>,
    /// The pick lists holding tasks for this order, in creation order, so
    /// that what is already tasked is found without a scan of every list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pick_lists: Vec<Code>,
}

impl SalesOrder {
    /// A line by code.
    pub fn line(&self, line: &str) -> Option<&OrderLine> {
        self.lines.binary_search_by(|l| (*l.line).cmp(line)).ok().map(|i| &self.lines[i])
    }
    fn line_mut(&mut self, line: &str) -> Option<&mut OrderLine> {
        self.lines.binary_search_by(|l| (*l.line).cmp(line)).ok().map(|i| &mut self.lines[i])
    }
}

/// The reservation id of an order line.
pub fn line_reservation(order: &str, line: &str) -> String {
    format!("{order}/{line}")
}

/// What one pick task takes for one order line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Serve {
    /// The order.
    pub order: Code,
    /// The line.
    pub line: Code,
    /// Quantity.
    pub qty: Minor,
}

/// One pick: an item (and lot) from one bin, for the lines it serves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickTask {
    /// Number in the list (walk order at creation; later tasks follow).
    pub task: u32,
    /// The bin.
    pub location: Code,
    /// The item.
    pub item: Code,
    /// The lot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<Code>,
    /// Quantity to pick (the sum of `serves`).
    pub qty: Minor,
    /// The lines served, in order then line order.
    pub serves: Vec<Serve>,
    /// Picked, once confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picked: Option<Minor>,
}

/// A pick list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickList {
    /// Where picked stock goes.
    pub staging: Code,
    /// Its orders.
    pub orders: Vec<Code>,
    /// Its tasks by number.
    pub tasks: Vec<PickTask>,
}

/// One line of a package.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageLine {
    /// The order line.
    pub line: Code,
    /// The item.
    pub item: Code,
    /// Quantity.
    pub qty: Minor,
}

/// A package of one order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    /// The order.
    pub order: Code,
    /// What it holds.
    pub contents: Vec<PackageLine>,
    /// Weight (given, or from the item profiles; absent when unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_kg: Option<Decimal>,
    /// Whether it has shipped.
    #[serde(default)]
    pub shipped: bool,
}

fn unknown(what: &str, code: &str) -> Error {
    Error::InvalidCommand { reason: format!("event names unknown {what} {code}") }
}

fn set_status(st: &mut State, order: &Code, status: OrderStatus) -> Result<(), Error> {
    st.edit_doc(|o| &mut o.fulfillment.orders, order, |d| d.status = status).ok_or_else(|| unknown("order", order))
}

pub(super) fn apply(st: &mut State, ev: &Ev) -> Result<(), Error> {
    match ev {
        Ev::SalesOrderCreated { order, doc } => st.put_doc(|o| &mut o.fulfillment.orders, order.clone(), doc.clone()),
        Ev::OrderAllocated { order, status } => set_status(st, order, *status)?,
        Ev::PickListCreated { pick_list, staging, orders, tasks } => {
            for o in orders {
                st.edit_doc(
                    |x| &mut x.fulfillment.orders,
                    o,
                    |d| {
                        d.status = OrderStatus::Picking;
                        d.pick_lists.push(pick_list.clone());
                    },
                )
                .ok_or_else(|| unknown("order", o))?;
            }
            let doc = PickList { staging: staging.clone(), orders: orders.clone(), tasks: tasks.clone() };
            st.put_doc(|o| &mut o.fulfillment.pick_lists, pick_list.clone(), doc);
        }
        Ev::PickTasksAdded { pick_list, tasks } => {
            st.edit_doc(|o| &mut o.fulfillment.pick_lists, pick_list, |d| d.tasks.extend(tasks.iter().cloned()))
                .ok_or_else(|| unknown("pick list", pick_list))?;
        }
        Ev::PickConfirmed { pick_list, task, picked } => {
            let pl = st.ops.fulfillment.pick_lists.get(pick_list).ok_or_else(|| unknown("pick list", pick_list))?;
            let t = pl.tasks.iter().find(|t| t.task == *task).ok_or_else(|| unknown("pick task", pick_list))?;
            let serves = t.serves.clone();
            for (s, q) in serves.iter().zip(picked) {
                st.edit_doc(
                    |o| &mut o.fulfillment.orders,
                    &s.order,
                    |d| {
                        if let Some(l) = d.line_mut(&s.line) {
                            l.picked += q;
                        }
                    },
                )
                .ok_or_else(|| unknown("order", &s.order))?;
            }
            let total: Minor = picked.iter().sum();
            st.edit_doc(
                |o| &mut o.fulfillment.pick_lists,
                pick_list,
                |d| {
                    if let Some(t) = d.tasks.iter_mut().find(|t| t.task == *task) {
                        t.picked = Some(total);
                    }
                },
            );
        }
        Ev::PickShorted { item, location, .. } => st.flag_insert((item.clone(), location.clone())),
        Ev::Packed { package, doc } => {
            st.edit_doc(
                |o| &mut o.fulfillment.orders,
                &doc.order,
                |d| {
                    for c in &doc.contents {
                        if let Some(l) = d.line_mut(&c.line) {
                            l.packed += c.qty;
                        }
                    }
                    d.packages.push(package.clone());
                    d.status = OrderStatus::Packed;
                },
            )
            .ok_or_else(|| unknown("order", &doc.order))?;
            st.put_doc(|o| &mut o.fulfillment.packages, package.clone(), doc.clone());
        }
        Ev::OrderShipped { order, packages, status } => {
            let mut lines: Vec<(Code, Minor)> = Vec::new();
            for p in packages {
                let pkg = st
                    .edit_doc(
                        |o| &mut o.fulfillment.packages,
                        p,
                        |d| {
                            d.shipped = true;
                            d.contents.clone()
                        },
                    )
                    .ok_or_else(|| unknown("package", p))?;
                lines.extend(pkg.into_iter().map(|c| (c.line, c.qty)));
            }
            st.edit_doc(
                |o| &mut o.fulfillment.orders,
                order,
                |d| {
                    for (line, q) in &lines {
                        if let Some(l) = d.line_mut(line) {
                            l.shipped += q;
                        }
                    }
                    d.status = *status;
                },
            )
            .ok_or_else(|| unknown("order", order))?;
        }
        Ev::OrderCancelled { order } => set_status(st, order, OrderStatus::Cancelled)?,
        Ev::OrderClosed { order } => set_status(st, order, OrderStatus::Closed)?,
    }
    Ok(())
}

/// Recomputes each line's picked, packed and shipped quantities from the
/// pick lists and packages.
pub(super) fn verify(st: &State, errs: &mut Vec<String>) {
    let f = &st.ops.fulfillment;
    for (code, o) in f.orders.iter() {
        for l in &o.lines {
            let mut picked = 0;
            for (_, pl) in f.pick_lists.iter() {
                for t in &pl.tasks {
                    let Some(p) = t.picked else { continue };
                    // A confirmed task's pick is spread over its serves in order.
                    let mut rest = p;
                    for s in &t.serves {
                        let q = rest.min(s.qty);
                        rest -= q;
                        if s.order == *code && s.line == l.line {
                            picked += q;
                        }
                    }
                }
            }
            let (mut packed, mut shipped) = (0, 0);
            for p in &o.packages {
                let Some(pkg) = f.packages.get(p) else {
                    errs.push(format!("order {code}: unknown package {p}"));
                    continue;
                };
                let q: Minor = pkg.contents.iter().filter(|c| c.line == l.line).map(|c| c.qty).sum();
                packed += q;
                if pkg.shipped {
                    shipped += q;
                }
            }
            if (picked, packed, shipped) != (l.picked, l.packed, l.shipped) {
                errs.push(format!(
                    "order {code} line {}: picked/packed/shipped {}/{}/{} recorded, {picked}/{packed}/{shipped} recomputed",
                    l.line, l.picked, l.packed, l.shipped
                ));
            }
            if !(l.shipped <= l.packed && l.packed <= l.picked && l.picked <= l.qty) {
                errs.push(format!("order {code} line {}: shipped ≤ packed ≤ picked ≤ ordered broken", l.line));
            }
        }
    }
    for (code, pl) in f.pick_lists.iter() {
        for t in &pl.tasks {
            if t.serves.iter().map(|s| s.qty).sum::<Minor>() != t.qty {
                errs.push(format!("pick list {code} task {}: serves do not sum to its quantity", t.task));
            }
        }
    }
}
