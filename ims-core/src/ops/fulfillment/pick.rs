//! Pick lists: the orders' allocated stock grouped by bin in walk order, and
//! pick confirmation with short picks.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::catalog::{LocationKind, NO_LOT};
use crate::command::QtyIn;
use crate::error::Error;
use crate::event::{AllocReason, Event, MoveReason};
use crate::ids::{Code, LocId, LotId};
use crate::qty::Minor;
use crate::reservation::ResStatus;
use crate::state::State;
use crate::time::Millis;

use super::order::{emit, find};
use super::{line_reservation, Ev, OrderStatus, PickTask, Serve};

/// (walk sequence, bin code, lot code, item code): the walk order of tasks.
type WalkKey = (u32, Code, Option<Code>, Code);

/// What unconfirmed tasks of every pick list already ask of an order line,
/// on one bucket (`Some((location, lot))`) or on all: stock a second pick
/// list must not ask for again.
fn tasked(st: &State, order: &str, line: &str, bucket: Option<(&str, Option<&str>)>) -> Minor {
    let mut q = 0;
    let d = &st.ops.fulfillment;
    let lists = d.orders.get(order).map_or(&[][..], |o| &o.pick_lists[..]);
    for pl in lists.iter().filter_map(|c| d.pick_lists.get(c)) {
        let open = pl.tasks.iter().filter(|t| t.picked.is_none());
        for t in open.filter(|t| bucket.is_none_or(|(loc, lot)| &*t.location == loc && t.lot.as_deref() == lot)) {
            q += t.serves.iter().filter(|s| &*s.order == order && &*s.line == line).map(|s| s.qty).sum::<Minor>();
        }
    }
    q
}

/// Turns grouped serves into tasks numbered from `first`, in walk order.
fn tasks_of(groups: BTreeMap<WalkKey, Vec<Serve>>, first: u32) -> Vec<PickTask> {
    groups
        .into_iter()
        .enumerate()
        .map(|(i, ((_, location, lot, item), serves))| PickTask {
            task: first + i as u32,
            location,
            item,
            lot,
            qty: serves.iter().map(|s| s.qty).sum(),
            serves,
            picked: None,
        })
        .collect()
}

fn walk_key(st: &State, loc: LocId, lot: LotId, item: Code) -> WalkKey {
    let l = st.cat.loc(loc);
    (l.walk_seq, l.code.clone(), st.cat.lot_code(lot), item)
}

pub(super) fn create(
    st: &mut State,
    pick_list: &str,
    orders: &[String],
    staging: &str,
    out: &mut Vec<Event>,
) -> Result<(), Error> {
    State::check_code("pick_list", pick_list)?;
    if orders.is_empty() {
        return Err(Error::EmptyFulfillmentList { field: "orders" });
    }
    for (i, o) in orders.iter().enumerate() {
        State::check_code("order", o)?;
        if orders[..i].contains(o) {
            return Err(Error::DuplicateEntry { field: "orders", code: o.clone() });
        }
    }
    for o in orders {
        find(st, o)?;
    }
    let stg = st.find_loc(staging)?;
    let l = st.cat.loc(stg);
    if l.kind != LocationKind::Staging {
        return Err(Error::WrongLocationKind { location: staging.into(), kind: l.kind.name() });
    }
    if st.ops.fulfillment.pick_lists.contains(pick_list) {
        return Err(Error::PickListIdConflict { pick_list: pick_list.into() });
    }
    let mut groups: BTreeMap<WalkKey, Vec<Serve>> = BTreeMap::new();
    for code in orders {
        let o = find(st, code)?;
        use OrderStatus::*;
        if !matches!(o.status, Allocated | PartiallyAllocated | Picking | Packed | PartiallyShipped) {
            return Err(Error::OrderNotPickable { order: code.clone(), status: o.status.name() });
        }
        for l in &o.lines {
            let Some(rid) = st.res_id(&line_reservation(code, &l.line)) else { continue };
            let r = &st.res[rid.ix()];
            if r.status != ResStatus::Active {
                continue;
            }
            // Never more than the line still needs: stock already picked
            // and carried out of staging again (a move naming the
            // reservation) keeps its allocation but is not picked twice.
            let mut needed = l.qty - l.picked - tasked(st, code, &l.line, None);
            for a in &r.allocs {
                if st.cat.loc(a.loc).kind == LocationKind::Staging || needed <= 0 {
                    continue;
                }
                let lot = st.cat.lot_code(a.lot);
                let here = a.qty - tasked(st, code, &l.line, Some((&st.cat.loc(a.loc).code, lot.as_deref())));
                let q = here.min(needed);
                needed -= q.max(0);
                if q > 0 {
                    let serve = Serve { order: code.as_str().into(), line: l.line.clone(), qty: q };
                    groups.entry(walk_key(st, a.loc, a.lot, l.item.clone())).or_default().push(serve);
                }
            }
        }
    }
    if groups.is_empty() {
        return Err(Error::NothingToPick { pick_list: pick_list.into() });
    }
    let ev = Ev::PickListCreated {
        pick_list: pick_list.into(),
        staging: st.cat.loc(stg).code.clone(),
        orders: orders.iter().map(|o| o.as_str().into()).collect(),
        tasks: tasks_of(groups, 1),
    };
    emit(st, out, ev)
}

pub(super) fn confirm(
    st: &mut State,
    pick_list: &str,
    task: u32,
    picked: Decimal,
    at: Millis,
    out: &mut Vec<Event>,
) -> Result<(), Error> {
    State::check_code("pick_list", pick_list)?;
    if picked.is_sign_negative() {
        return Err(Error::InvalidQuantity { field: "picked", qty: picked });
    }
    let pl = st
        .ops
        .fulfillment
        .pick_lists
        .get(pick_list)
        .ok_or_else(|| Error::UnknownPickList { pick_list: pick_list.into() })?;
    let t = pl
        .tasks
        .iter()
        .find(|t| t.task == task)
        .ok_or_else(|| Error::UnknownPickTask { pick_list: pick_list.into(), task })?
        .clone();
    let staging = pl.staging.clone();
    let next_task = pl.tasks.iter().map(|t| t.task).max().unwrap_or(0) + 1;
    let item = st.find_item(&t.item)?;
    let bin = st.find_loc(&t.location)?;
    let stg = st.find_loc(&staging)?;
    let lot = match &t.lot {
        Some(l) => {
            st.cat.lot_id(item, l).ok_or_else(|| Error::UnknownLot { item: t.item.to_string(), lot: l.to_string() })?
        }
        None => NO_LOT,
    };
    let picked_minor = if picked.is_zero() { 0 } else { st.to_minor(item, &QtyIn::base(picked))? };
    if t.picked.is_some() {
        return Err(Error::PickTaskAlreadyConfirmed { pick_list: pick_list.into(), task });
    }
    if picked_minor > t.qty {
        return Err(Error::OverPick { pick_list: pick_list.into(), task, qty: st.dec(item, t.qty as i128), picked });
    }
    let mut rids = Vec::with_capacity(t.serves.len());
    for s in &t.serves {
        let code = line_reservation(&s.order, &s.line);
        let rid = st.res_id(&code).filter(|r| {
            let r = &st.res[r.ix()];
            r.status == ResStatus::Active && r.alloc_on(bin, lot) >= s.qty
        });
        let stale = || Error::PickTaskStale { pick_list: pick_list.into(), task, reservation: code.clone() };
        rids.push(rid.ok_or_else(stale)?);
    }
    // A line is never picked beyond its quantity (a task made stale by
    // stock carried back out of staging is refused, not over-counted).
    let mut rest = picked_minor;
    for s in &t.serves {
        let q = rest.min(s.qty);
        rest -= q;
        let line = st.ops.fulfillment.orders.get(&s.order).and_then(|o| o.lines.iter().find(|l| l.line == s.line));
        if line.is_none_or(|l| l.picked.saturating_add(q) > l.qty) {
            let code = line_reservation(&s.order, &s.line);
            return Err(Error::PickTaskStale { pick_list: pick_list.into(), task, reservation: code });
        }
    }
    let on_hand = st.stock[item.ix()].get(bin, lot).map_or(0, |b| b.on_hand);
    if picked_minor > on_hand {
        return Err(Error::InsufficientStock {
            item: t.item.to_string(),
            location: t.location.to_string(),
            lot: t.lot.as_deref().map(Into::into),
            requested: picked,
            available: st.dec(item, on_hand.max(0) as i128),
        });
    }
    // What the book loses: the shortfall, as far as the bin still holds it
    // after the pick.
    let written_off = (t.qty - picked_minor).min((on_hand - picked_minor).max(0));
    if written_off > 0 {
        let adj = st.cat.loc_id("@adjustment").unwrap_or(bin);
        st.check_posting(item, lot, written_off, bin, adj)?;
    }
    // Point of no failure. The pick goes to the lines in the task's order.
    let mut rest = picked_minor;
    let split: Vec<Minor> = t
        .serves
        .iter()
        .map(|s| {
            let q = rest.min(s.qty);
            rest -= q;
            q
        })
        .collect();
    for (rid, q) in rids.iter().zip(&split) {
        if *q > 0 {
            let res = Some(st.res[rid.ix()].code.clone());
            st.post(item, lot, *q, bin, stg, MoveReason::Pick, res, None, Some(pick_list), at, out)?;
        }
    }
    if picked_minor > 0 {
        // Staging carries the allocation unless the lot went bad meanwhile.
        st.settle_bucket(item, stg, lot, out)?;
    }
    // The shortfall: the book says the bin holds it, the picker did not
    // find it. The lines give it up on the bin, the bin's book loses it (a
    // loss like a count's, so other holders of the bin are re-allocated by
    // the core's rules), and each line places it again elsewhere in the
    // order's scope; what cannot be placed is open demand, a backorder. The
    // bin is flagged for a count, which settles its true balance.
    let mut groups: BTreeMap<WalkKey, Vec<Serve>> = BTreeMap::new();
    let (mut reallocated, mut backordered) = (0, 0);
    for ((s, rid), q) in t.serves.iter().zip(&rids).zip(&split) {
        if s.qty > *q {
            let ev = Event::Deallocated {
                reservation: st.res[rid.ix()].code.clone(),
                location: t.location.clone(),
                lot: t.lot.clone(),
                qty: s.qty - q,
                reason: AllocReason::Reallocate,
            };
            st.emit(out, ev)?;
        }
    }
    if written_off > 0 {
        let adj = st.cat.loc_id("@adjustment").unwrap_or(bin);
        st.post(item, lot, written_off, bin, adj, MoveReason::Adjustment, None, None, Some(pick_list), at, out)?;
        st.after_loss(item, bin, lot, out)?;
    }
    for ((s, rid), q) in t.serves.iter().zip(&rids).zip(&split) {
        let short = s.qty - q;
        if short == 0 {
            continue;
        }
        let code = st.res[rid.ix()].code.clone();
        let from = out.len();
        let rest = st.allocate(*rid, short, Some((bin, lot)), AllocReason::Reallocate, out)?;
        for ev in &out[from..] {
            if let Event::Allocated { location, lot: l, qty, .. } = ev {
                let loc = st.cat.loc_id(location).unwrap_or(bin);
                let lot_id = l.as_deref().and_then(|c| st.cat.lot_id(item, c)).unwrap_or(NO_LOT);
                let serve = Serve { order: s.order.clone(), line: s.line.clone(), qty: *qty };
                groups.entry(walk_key(st, loc, lot_id, t.item.clone())).or_default().push(serve);
            }
        }
        reallocated += short - rest;
        backordered += rest;
        if rest > 0 {
            st.emit(out, Event::ReservationShorted { reservation: code.clone(), shortfall: rest })?;
            let open = st.res[rid.ix()].open_demand.saturating_add(rest);
            st.emit(out, Event::DemandChanged { reservation: code, open_demand: open })?;
        }
    }
    let pick_list: Code = pick_list.into();
    if !groups.is_empty() {
        let tasks = tasks_of(groups, next_task);
        emit(st, out, Ev::PickTasksAdded { pick_list: pick_list.clone(), tasks })?;
    }
    emit(st, out, Ev::PickConfirmed { pick_list: pick_list.clone(), task, picked: split })?;
    let shortfall = t.qty - picked_minor;
    if shortfall > 0 {
        let ev = Ev::PickShorted {
            pick_list,
            task,
            item: t.item.clone(),
            location: t.location.clone(),
            lot: t.lot.clone(),
            shortfall,
            written_off,
            reallocated,
            backordered,
        };
        emit(st, out, ev)?;
    }
    Ok(())
}
