//! Sales orders: create, allocate (one core reservation per line), cancel,
//! close.

use crate::catalog::LocationKind;
use crate::command::{Fill, QtyIn, Reserve, Scope, Strategy};
use crate::error::Error;
use crate::event::Event;
use crate::ids::Code;
use crate::ops::OpsEvent;
use crate::reservation::ResStatus;
use crate::state::State;
use crate::time::Date;

use super::{line_reservation, Ev, LineIn, OrderLine, OrderStatus, SalesOrder};

/// A `create_sales_order` command, borrowed.
pub(super) struct NewOrder<'a> {
    pub order: &'a str,
    pub customer: Option<&'a str>,
    pub lines: &'a [LineIn],
    pub requested_ship_date: Date,
    pub scope: &'a Scope,
    pub channel: Option<&'a str>,
    pub ship_to_zone: Option<&'a str>,
}

/// The order, or `UNKNOWN_SALES_ORDER`.
pub(super) fn find<'a>(st: &'a State, order: &str) -> Result<&'a SalesOrder, Error> {
    State::check_code("order", order)?;
    st.ops.fulfillment.orders.get(order).ok_or_else(|| Error::UnknownSalesOrder { order: order.into() })
}

pub(super) fn emit(st: &mut State, out: &mut Vec<Event>, ev: Ev) -> Result<(), Error> {
    st.emit(out, Event::Ops(OpsEvent::Fulfillment(ev)))
}

pub(super) fn create(st: &mut State, c: &NewOrder, out: &mut Vec<Event>) -> Result<(), Error> {
    // Form.
    State::check_code("order", c.order)?;
    if c.lines.is_empty() {
        return Err(Error::EmptyFulfillmentList { field: "lines" });
    }
    if c.lines.len() > 1024 {
        return Err(Error::LimitExceeded { what: "order lines", max: 1024 });
    }
    for (i, l) in c.lines.iter().enumerate() {
        State::check_code("line", &l.line)?;
        State::check_code("reservation", &line_reservation(c.order, &l.line))?;
        State::check_sign("qty", l.qty.qty, crate::exec::Sign::Positive)?;
        if c.lines[..i].iter().any(|o| o.line == l.line) {
            return Err(Error::DuplicateOrderLine { order: c.order.into(), line: l.line.clone() });
        }
    }
    for (f, v) in [("channel", c.channel), ("ship_to_zone", c.ship_to_zone)] {
        if let Some(v) = v {
            State::check_code(f, v)?;
        }
    }
    // References.
    let customer = match c.customer {
        Some(code) => {
            let id = st.find_loc(code)?;
            let l = st.cat.loc(id);
            if l.kind != LocationKind::Customer {
                return Err(Error::WrongLocationKind { location: code.into(), kind: l.kind.name() });
            }
            l.code.clone()
        }
        None => "@customer".into(),
    };
    st.find_scope(c.scope)?;
    let mut lines = Vec::with_capacity(c.lines.len());
    for l in c.lines {
        let item = st.find_item(&l.item)?;
        let qty = st.to_minor(item, &l.qty)?;
        lines.push(OrderLine {
            line: l.line.as_str().into(),
            item: st.cat.item(item).code.clone(),
            qty,
            picked: 0,
            packed: 0,
            shipped: 0,
        });
    }
    // State.
    if st.ops.fulfillment.orders.contains(c.order) {
        return Err(Error::SalesOrderIdConflict { order: c.order.into() });
    }
    for l in &lines {
        if let Some(item) = st.cat.item_id(&l.item) {
            st.check_active_item(item)?;
        }
    }
    lines.sort_by(|a, b| a.line.cmp(&b.line));
    let doc = SalesOrder {
        customer,
        scope: c.scope.clone(),
        channel: c.channel.map(Into::into),
        ship_to_zone: c.ship_to_zone.map(Into::into),
        requested_ship_date: c.requested_ship_date,
        status: OrderStatus::Open,
        lines,
        packages: Vec::new(),
        pick_lists: Vec::new(),
    };
    emit(st, out, Ev::SalesOrderCreated { order: c.order.into(), doc })
}

pub(super) fn allocate(st: &mut State, order: &str, out: &mut Vec<Event>) -> Result<(), Error> {
    let o = find(st, order)?;
    if o.status != OrderStatus::Open {
        return Err(Error::OrderNotAllocatable { order: order.into(), status: o.status.name() });
    }
    for l in &o.lines {
        let id = line_reservation(order, &l.line);
        if st.res_id(&id).is_some() {
            return Err(Error::ReservationIdConflict { reservation: id });
        }
    }
    let o = o.clone();
    // Point of no failure: each reserve is a partial fill in the order's
    // scope, so it cannot be refused for want of stock.
    let mut backordered = false;
    for l in &o.lines {
        let Some(item) = st.cat.item_id(&l.item) else { continue };
        let r = Reserve {
            reservation: line_reservation(order, &l.line),
            item: l.item.to_string(),
            qty: QtyIn::base(st.dec(item, l.qty as i128)),
            scope: o.scope.clone(),
            channel: o.channel.as_deref().map(Into::into),
            ttl_ms: None,
            strategy: Strategy::default(),
            min_shelf_life_days: 0,
            fill: Fill::Partial,
            need_date: Some(o.requested_ship_date),
            priority: 0,
        };
        st.reserve(&r, out)?;
        backordered |= st.res_id(&r.reservation).is_some_and(|rid| st.res[rid.ix()].open_demand > 0);
    }
    let status = if backordered { OrderStatus::PartiallyAllocated } else { OrderStatus::Allocated };
    emit(st, out, Ev::OrderAllocated { order: order.into(), status })
}

/// Releases every line reservation still active.
fn release_all(st: &mut State, order: &str, o: &SalesOrder, out: &mut Vec<Event>) -> Result<(), Error> {
    for l in &o.lines {
        let id = line_reservation(order, &l.line);
        if st.res_id(&id).is_some_and(|rid| st.res[rid.ix()].status == ResStatus::Active) {
            st.release(&id, out)?;
        }
    }
    Ok(())
}

pub(super) fn cancel(st: &mut State, order: &str, out: &mut Vec<Event>) -> Result<(), Error> {
    let o = find(st, order)?;
    use OrderStatus::*;
    if !matches!(o.status, Open | Allocated | PartiallyAllocated | Picking | Packed) {
        return Err(Error::OrderNotCancellable { order: order.into(), status: o.status.name() });
    }
    let o = o.clone();
    release_all(st, order, &o, out)?;
    let order: Code = order.into();
    emit(st, out, Ev::OrderCancelled { order })
}

pub(super) fn close(st: &mut State, order: &str, out: &mut Vec<Event>) -> Result<(), Error> {
    let o = find(st, order)?;
    if !matches!(o.status, OrderStatus::Shipped | OrderStatus::PartiallyShipped) {
        return Err(Error::OrderNotClosable { order: order.into(), status: o.status.name() });
    }
    let o = o.clone();
    release_all(st, order, &o, out)?;
    emit(st, out, Ev::OrderClosed { order: order.into() })
}
