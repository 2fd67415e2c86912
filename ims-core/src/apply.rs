//! Applying events to the state. This is the only path from events to state,
//! used alike by execution (which decides the events) and by replay and
//! replicas (which receive them), so both reach the same state.

use std::sync::Arc;

use smallvec::SmallVec;

use crate::catalog::{Item, Location, Lot, NO_LOT};
use crate::command::Scope;
use crate::error::Error;
use crate::event::Event;
use crate::event::Finish;
use crate::ids::{Code, ItemId, LocId, LotId, ResId};
use crate::ledger::{MoveNotes, MoveRec, Receipt};
use crate::reservation::{ResStatus, Reservation, ScopeIds};
use crate::state::State;

fn bad(what: &str, code: &str) -> Error {
    Error::InvalidCommand { reason: format!("event refers to unknown {what} {code:?}") }
}

/// An event whose values cannot come from an engine (a forged or corrupt
/// envelope): refused before it changes anything.
fn unfit(what: impl std::fmt::Display) -> Error {
    Error::InvalidCommand { reason: format!("event does not fit the state: {what}") }
}

impl State {
    pub(crate) fn item_of(&self, code: &str) -> Result<ItemId, Error> {
        self.cat.item_id(code).ok_or_else(|| bad("item", code))
    }
    pub(crate) fn loc_of(&self, code: &str) -> Result<LocId, Error> {
        self.cat.loc_id(code).ok_or_else(|| bad("location", code))
    }
    pub(crate) fn lot_of(&self, item: ItemId, code: Option<&str>) -> Result<LotId, Error> {
        match code {
            None => Ok(NO_LOT),
            Some(c) => self.cat.lot_id(item, c).ok_or_else(|| bad("lot", c)),
        }
    }
    pub(crate) fn res_of(&self, code: &str) -> Result<ResId, Error> {
        self.res_id(code).ok_or_else(|| bad("reservation", code))
    }

    /// `item_of` through the last-resolved cache (pointer identity).
    fn item_c(&mut self, code: &Code) -> Result<ItemId, Error> {
        if let Some((c, id)) = &self.recent.item {
            if Arc::ptr_eq(c, code) {
                return Ok(*id);
            }
        }
        let id = self.item_of(code)?;
        self.recent.item = Some((code.clone(), id));
        Ok(id)
    }

    /// `loc_of` through a two-entry cache (a move names two locations).
    fn loc_c(&mut self, code: &Code) -> Result<LocId, Error> {
        for (c, id) in self.recent.locs.iter().flatten() {
            if Arc::ptr_eq(c, code) {
                return Ok(*id);
            }
        }
        let id = self.loc_of(code)?;
        self.recent.locs.swap(0, 1);
        self.recent.locs[0] = Some((code.clone(), id));
        Ok(id)
    }

    /// `res_of` through the last-resolved cache.
    fn res_c(&mut self, code: &Code) -> Result<ResId, Error> {
        if let Some((c, id)) = &self.recent.res {
            if Arc::ptr_eq(c, code) {
                return Ok(*id);
            }
        }
        let id = self.res_of(code)?;
        self.recent.res = Some((code.clone(), id));
        Ok(id)
    }

    /// Resolves a scope to ids (codes known to exist).
    pub(crate) fn scope_ids(&self, scope: &Scope) -> Result<ScopeIds, Error> {
        Ok(match scope {
            Scope::All => ScopeIds::All,
            Scope::Subtree(c) => ScopeIds::Subtrees(SmallVec::from_elem(self.loc_of(c)?, 1)),
            Scope::List(v) => ScopeIds::Subtrees(v.iter().map(|c| self.loc_of(c)).collect::<Result<_, _>>()?),
        })
    }

    /// Makes time passing re-check a lot when it expires at the site of a
    /// bucket that now carries an allocation. The first check of a lot runs
    /// at the earliest instant it is expired anywhere (UTC+14); without
    /// this, an allocation made later at a site further west would outlive
    /// its lot. Extra entries are harmless: a check of a sound bucket emits
    /// nothing.
    pub(crate) fn watch_lot_expiry(&mut self, item: ItemId, loc: LocId, lot: LotId) {
        if lot == NO_LOT {
            return;
        }
        let Some(e) = self.cat.lot(lot).expiry else { return };
        let at = e.plus(1).start_ms(self.cat.loc(loc).utc_offset_min());
        let k = (at, self.cat.item(item).code.clone(), self.cat.lot(lot).code.clone());
        self.lot_expiry_insert(k);
    }

    /// Applies one event. Fails only on an event that does not fit the state
    /// (a corrupt or foreign envelope); the caller rolls back.
    pub(crate) fn apply(&mut self, ev: &Event) -> Result<(), Error> {
        match ev {
            Event::ItemDefined(spec) => {
                if spec.scale > crate::qty::MAX_SCALE {
                    return Err(Error::InvalidScale { scale: spec.scale });
                }
                let item = Item::from_spec(spec.clone());
                match self.cat.item_id(&spec.item) {
                    Some(id) => self.replace_item(id, item),
                    None => {
                        self.push_item(item);
                    }
                }
            }
            Event::LocationDefined(spec) => {
                let parent = spec.parent.as_deref().map(|p| self.loc_of(p)).transpose()?;
                let loc = Location::new(
                    spec.location.as_str().into(),
                    parent,
                    spec.kind,
                    spec.sellable,
                    spec.walk_seq,
                    spec.utc_offset_minutes,
                    spec.inbound_days,
                );
                match self.cat.loc_id(&spec.location) {
                    Some(id) => self.replace_loc(id, loc),
                    None => {
                        self.push_loc(loc);
                    }
                }
            }
            Event::LotCreated { item, lot, expiry, received } => {
                let item = self.item_c(item)?;
                if self.cat.lot_id(item, lot).is_some() {
                    return Err(unfit(format_args!("lot {lot} exists")));
                }
                self.push_lot(Lot {
                    item,
                    code: lot.clone(),
                    expiry: *expiry,
                    received: *received,
                    status: Default::default(),
                });
                if let Some(e) = expiry {
                    // The earliest instant the lot is expired at any site
                    // (UTC+14); each bucket is re-checked at its own site then.
                    let item_code = self.cat.item(item).code.clone();
                    self.lot_expiry_insert((e.plus(1).start_ms(840), item_code, lot.clone()));
                }
            }
            Event::LotStatusChanged { item, lot, status } => {
                let item = self.item_c(item)?;
                let lot = self.lot_of(item, Some(lot))?;
                self.set_lot_status(lot, *status);
                let locs: Vec<LocId> =
                    self.stock[item.ix()].buckets.iter().filter(|b| b.lot == lot).map(|b| b.loc).collect();
                self.touched.extend(locs.into_iter().map(|l| (item, l)));
            }
            Event::MovePosted {
                move_id,
                item,
                lot,
                qty,
                from,
                to,
                reason,
                reservation,
                reverses,
                reference,
                occurred_at,
            } => {
                // A dense log takes exactly the next id; a sliced replica's
                // sparse log skips the ids of other items' moves.
                let next = self.moves.next_id();
                let in_sequence = if self.moves.is_sparse() { *move_id >= next } else { *move_id == next };
                if !in_sequence || *qty <= 0 {
                    return Err(Error::InvalidCommand {
                        reason: format!("move {move_id} out of sequence or not positive"),
                    });
                }
                let item_id = self.item_c(item)?;
                let lot_id = self.lot_of(item_id, lot.as_deref())?;
                let (f, t) = (self.loc_c(from)?, self.loc_c(to)?);
                let carried = match reservation {
                    Some(r) => {
                        let rid = self.res_c(r)?;
                        let held = &self.res[rid.ix()];
                        if held.status != ResStatus::Active || held.alloc_on(f, lot_id) < *qty {
                            return Err(unfit(format_args!("move {move_id} carries more than {r} holds")));
                        }
                        let r = self.res_mut(rid);
                        r.add_alloc(f, lot_id, -qty);
                        if self.cat.loc(t).is_internal() {
                            self.res_mut(rid).add_alloc(t, lot_id, *qty);
                            self.watch_lot_expiry(item_id, t, lot_id);
                        }
                        *qty
                    }
                    None => 0,
                };
                let keeps = if self.cat.loc(t).is_internal() { carried } else { 0 };
                self.bucket_delta(item_id, f, lot_id, -qty, -carried)?;
                self.bucket_delta(item_id, t, lot_id, *qty, keeps)?;
                if let Some(orig) = reverses {
                    let Some(ix) = self.moves.index_of(*orig) else { return Err(bad("move", &orig.to_string())) };
                    self.mark_reversed(ix);
                }
                self.push_move(
                    *move_id,
                    MoveRec {
                        item: item_id,
                        lot: lot_id,
                        qty: *qty,
                        from: f,
                        to: t,
                        occurred_at: *occurred_at,
                        reason: *reason,
                        reversed: false,
                        notes: 0,
                    },
                    MoveNotes { reservation: reservation.clone(), reverses: *reverses, reference: reference.clone() },
                );
            }
            Event::NegativeStock { item, location, .. } => {
                self.flag_insert((item.clone(), location.clone()));
            }
            Event::ReservationCreated {
                reservation,
                item,
                qty,
                scope,
                channel,
                expires_at,
                strategy,
                min_shelf_life_days,
                fill,
                need_date,
                priority,
                open_demand,
            } => {
                let item_id = self.item_c(item)?;
                let scope_ids = self.scope_ids(scope)?;
                if self.res_id(reservation).is_some() || *qty <= 0 || *open_demand < 0 || *open_demand > *qty {
                    return Err(unfit(format_args!("reservation {reservation} exists or has bad quantities")));
                }
                let id = self.push_res(Reservation {
                    code: reservation.clone(),
                    item: item_id,
                    qty: *qty,
                    scope: scope_ids,
                    scope_spec: std::sync::Arc::new(scope.clone()),
                    channel: channel.clone(),
                    expires_at: *expires_at,
                    strategy: *strategy,
                    min_shelf_life_days: *min_shelf_life_days,
                    fill: *fill,
                    need_date: *need_date,
                    priority: *priority,
                    allocs: SmallVec::new(),
                    committed: 0,
                    open_demand: *open_demand,
                    shorted: 0,
                    status: ResStatus::Active,
                });
                self.active_add(item_id, id);
                if let Some(e) = expires_at {
                    self.expiry_insert((*e, reservation.clone()));
                }
                if *open_demand > 0 {
                    self.demand_insert(item_id, (*priority, *need_date, reservation.clone()));
                }
            }
            Event::Allocated { reservation, location, lot, qty, .. }
            | Event::Deallocated { reservation, location, lot, qty, .. } => {
                let q = if matches!(ev, Event::Allocated { .. }) { *qty } else { -*qty };
                let rid = self.res_c(reservation)?;
                let item = self.res[rid.ix()].item;
                let loc = self.loc_c(location)?;
                let lot = self.lot_of(item, lot.as_deref())?;
                let r = &self.res[rid.ix()];
                if *qty <= 0 || r.status != ResStatus::Active || r.alloc_on(loc, lot) + q < 0 {
                    return Err(unfit(format_args!("allocation change of {reservation}")));
                }
                self.res_mut(rid).add_alloc(loc, lot, q);
                self.bucket_delta(item, loc, lot, 0, q)?;
                if q > 0 {
                    self.watch_lot_expiry(item, loc, lot);
                }
            }
            Event::DemandChanged { reservation, open_demand } => {
                let rid = self.res_c(reservation)?;
                let r = &self.res[rid.ix()];
                if *open_demand < 0 || r.status != ResStatus::Active {
                    return Err(unfit(format_args!("demand of {reservation}")));
                }
                let key = (r.priority, r.need_date, r.code.clone());
                let item = r.item;
                self.res_mut(rid).open_demand = *open_demand;
                if *open_demand > 0 {
                    self.demand_insert(item, key);
                } else {
                    self.demand_remove(item, key);
                }
            }
            Event::ReservationShorted { reservation, shortfall } => {
                let rid = self.res_c(reservation)?;
                if *shortfall <= 0 {
                    return Err(unfit(format_args!("shortfall of {reservation}")));
                }
                let v = self.res[rid.ix()].shorted.checked_add(*shortfall).ok_or(Error::QuantityOverflow)?;
                self.res_mut(rid).shorted = v;
            }
            Event::ReservationAmended { reservation, qty } => {
                let rid = self.res_c(reservation)?;
                if *qty <= 0 || self.res[rid.ix()].status != ResStatus::Active {
                    return Err(unfit(format_args!("amendment of {reservation}")));
                }
                self.res_mut(rid).qty = *qty;
            }
            Event::ReservationCommitted { reservation, qty } => {
                let rid = self.res_c(reservation)?;
                if *qty <= 0 || self.res[rid.ix()].status != ResStatus::Active {
                    return Err(unfit(format_args!("commit of {reservation}")));
                }
                let v = self.res[rid.ix()].committed.checked_add(*qty).ok_or(Error::QuantityOverflow)?;
                self.res_mut(rid).committed = v;
            }
            Event::ReservationExtended { reservation, expires_at } => {
                let rid = self.res_c(reservation)?;
                if self.res[rid.ix()].status != ResStatus::Active {
                    return Err(unfit(format_args!("extension of {reservation}")));
                }
                if let Some(old) = self.res[rid.ix()].expires_at {
                    self.expiry_remove((old, reservation.clone()));
                }
                self.res_mut(rid).expires_at = Some(*expires_at);
                self.expiry_insert((*expires_at, reservation.clone()));
            }
            Event::ReservationFinished { reservation, finish } => {
                let rid = self.res_c(reservation)?;
                let r = &self.res[rid.ix()];
                if r.status != ResStatus::Active || !r.allocs.is_empty() {
                    return Err(unfit(format_args!("finish of {reservation}")));
                }
                let (item, exp, key) = (r.item, r.expires_at, (r.priority, r.need_date, r.code.clone()));
                if let Some(e) = exp {
                    self.expiry_remove((e, reservation.clone()));
                }
                self.demand_remove(item, key);
                self.active_remove(item, rid);
                let r = self.res_mut(rid);
                r.open_demand = 0;
                r.status = match finish {
                    Finish::Committed => ResStatus::Committed,
                    Finish::Released => ResStatus::Released,
                    Finish::Expired => ResStatus::Expired,
                };
            }
            Event::ReceiptExpected { receipt, item, location, qty, expected } => {
                let item_id = self.item_c(item)?;
                let loc = self.loc_c(location)?;
                if *qty <= 0 || self.receipt_index(receipt).is_some() {
                    return Err(unfit(format_args!("receipt {receipt}")));
                }
                self.push_receipt(Receipt {
                    code: receipt.clone(),
                    item: item_id,
                    loc,
                    qty: *qty,
                    open: *qty,
                    expected: *expected,
                });
                self.touched.push((item_id, loc));
            }
            Event::ReceiptOpenChanged { receipt, open } => {
                let ix = self.receipt_index(receipt).ok_or_else(|| bad("receipt", receipt))?;
                if *open < 0 || *open > self.receipts[ix as usize].qty {
                    return Err(unfit(format_args!("open quantity of {receipt}")));
                }
                let (item, loc) = (self.receipts[ix as usize].item, self.receipts[ix as usize].loc);
                self.set_receipt_open(ix, *open);
                self.touched.push((item, loc));
            }
            Event::Ops(e) => self.apply_ops(e)?,
        }
        Ok(())
    }
}
