//! Keeping allocations true to the stock: re-allocating after a loss, and
//! serving open demand when supply arrives.

use crate::error::Error;
use crate::event::{AllocReason, Event};
use crate::ids::{Code, ItemId, LocId, LotId, ResId};
use crate::qty::Minor;
use crate::reservation::{self, ResStatus, SellableRule};
use crate::state::State;

impl State {
    /// The sellability rule for a reservation's allocations.
    pub(crate) fn rule_for(&self, r: ResId) -> SellableRule {
        let res = &self.res[r.ix()];
        let item_min = self.cat.item(res.item).spec.min_remaining_shelf_life_days;
        SellableRule { now: self.now, min_days: item_min.max(res.min_shelf_life_days) }
    }

    /// After a loss on a bucket (a fact, a hold, an expiry, an unsellable
    /// location), moves allocations the bucket can no longer carry elsewhere
    /// in each reservation's scope, by its own strategy; what cannot be
    /// placed shorts the reservation. Reservations lose in descending id
    /// order, so the outcome never depends on interning order.
    pub(crate) fn settle_bucket(
        &mut self,
        item: ItemId,
        loc: LocId,
        lot: LotId,
        out: &mut Vec<Event>,
    ) -> Result<(), Error> {
        let Some(b) = self.stock[item.ix()].get(loc, lot).copied() else { return Ok(()) };
        if b.reserved <= 0 {
            return Ok(());
        }
        let l = self.cat.loc(loc);
        let today = crate::time::Date::at(self.now, l.site_offset_min);
        // Expired or held stock keeps no allocation; below-shelf-life stock
        // already allocated may still ship, so only hard expiry counts here.
        // Unsellable locations may hold allocations: a picker carries
        // reserved stock to staging or into transit.
        let usable = self.cat.lot(lot).sellable_on(today, 0);
        let mut excess = if usable { b.reserved - b.on_hand.max(0) } else { b.reserved };
        if excess <= 0 {
            return Ok(());
        }
        let mut holders: Vec<(Code, ResId)> = self.stock[item.ix()]
            .active
            .iter()
            .filter(|r| self.res[r.ix()].alloc_on(loc, lot) > 0)
            .map(|r| (self.res[r.ix()].code.clone(), *r))
            .collect();
        holders.sort_by(|a, b| b.0.cmp(&a.0));
        let loc_code = l.code.clone();
        let lot_code = self.cat.lot_code(lot);
        for (code, rid) in holders {
            if excess <= 0 {
                break;
            }
            let take = excess.min(self.res[rid.ix()].alloc_on(loc, lot));
            excess -= take;
            self.emit(
                out,
                Event::Deallocated {
                    reservation: code.clone(),
                    location: loc_code.clone(),
                    lot: lot_code.clone(),
                    qty: take,
                    reason: AllocReason::Reallocate,
                },
            )?;
            let rest = self.allocate(rid, take, Some((loc, lot)), AllocReason::Reallocate, out)?;
            if rest > 0 {
                self.emit(out, Event::ReservationShorted { reservation: code.clone(), shortfall: rest })?;
                // A reservation that accepts partial fills (an order) waits
                // for the lost quantity as open demand; new supply refills
                // it. An all-or-nothing hold (a cart) just stays short.
                let r = &self.res[rid.ix()];
                if r.fill == crate::command::Fill::Partial {
                    let open = r.open_demand.saturating_add(rest);
                    self.emit(out, Event::DemandChanged { reservation: code, open_demand: open })?;
                }
            }
        }
        Ok(())
    }

    /// Allocates up to `qty` to a reservation from its scope; returns what
    /// could not be placed.
    pub(crate) fn allocate(
        &mut self,
        rid: ResId,
        qty: Minor,
        exclude: Option<(LocId, LotId)>,
        reason: AllocReason,
        out: &mut Vec<Event>,
    ) -> Result<Minor, Error> {
        let rule = self.rule_for(rid);
        let r = &self.res[rid.ix()];
        let item = r.item;
        let cands = reservation::candidates(&self.cat, &self.stock[item.ix()], &r.scope, &rule, r.strategy, exclude);
        let cap = self.reservable(item, &r.scope, &rule, r.channel.as_deref()).min(Minor::MAX as i128) as Minor;
        let (allocs, _) = reservation::plan(&cands, qty.min(cap), r.strategy);
        let code = r.code.clone();
        let mut placed = 0;
        for a in allocs {
            placed += a.qty;
            self.emit(
                out,
                Event::Allocated {
                    reservation: code.clone(),
                    location: self.cat.loc(a.loc).code.clone(),
                    lot: self.cat.lot_code(a.lot),
                    qty: a.qty,
                    reason,
                },
            )?;
        }
        Ok(qty - placed)
    }

    /// Serves open demand of an item from what is available now, in
    /// (priority, need date, id) order.
    pub(crate) fn serve_demand(&mut self, item: ItemId, out: &mut Vec<Event>) -> Result<(), Error> {
        if self.stock[item.ix()].demand.is_empty() {
            return Ok(());
        }
        let queue: Vec<Code> = self.stock[item.ix()].demand.iter().map(|k| k.2.clone()).collect();
        for code in queue {
            let Some(rid) = self.res_id(&code) else { continue };
            let r = &self.res[rid.ix()];
            if r.status != ResStatus::Active || r.open_demand <= 0 {
                continue;
            }
            let open = r.open_demand;
            let rest = self.allocate(rid, open, None, AllocReason::Supply, out)?;
            if rest != open {
                self.emit(out, Event::DemandChanged { reservation: code, open_demand: rest })?;
            }
        }
        Ok(())
    }
}
