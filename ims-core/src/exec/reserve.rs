//! Reservation commands: reserve, commit, release, extend, amend, promise.

use rust_decimal::Decimal;

use crate::command::{Amend, Commit, Fill, Promise, Remainder, Reserve, Strategy};
use crate::error::Error;
use crate::event::{AllocReason, Event, Finish, MoveReason};
use crate::ids::{LocId, LotId, ResId};
use crate::qty::{Minor, UnitFactor};
use crate::reservation::{self, ResStatus, SellableRule};
use crate::state::State;
use crate::time::Date;

impl State {
    /// A reservation that is still active, or the error for its state.
    pub(crate) fn active_reservation(&self, code: &str) -> Result<ResId, Error> {
        Self::check_code("reservation", code)?;
        let rid = self.res_id(code).ok_or_else(|| Error::UnknownReservation { reservation: code.into() })?;
        let reservation = code.to_string();
        match self.res[rid.ix()].status {
            ResStatus::Active => Ok(rid),
            ResStatus::Committed => Err(Error::ReservationAlreadyCommitted { reservation }),
            ResStatus::Released => Err(Error::ReservationAlreadyReleased { reservation }),
            ResStatus::Expired => Err(Error::ReservationExpired { reservation }),
        }
    }

    pub(crate) fn reserve(&mut self, c: &Reserve, out: &mut Vec<Event>) -> Result<(), Error> {
        Self::check_code("reservation", &c.reservation)?;
        Self::check_sign("qty", c.qty.qty, super::Sign::Positive)?;
        if let Some(t) = c.ttl_ms {
            if t <= 0 {
                return Err(Error::InvalidDuration { field: "ttl_ms", value: t });
            }
        }
        if let Some(ch) = &c.channel {
            Self::check_code("channel", ch)?;
        }
        let item = self.find_item(&c.item)?;
        let scope = self.find_scope(&c.scope)?;
        let qty = self.to_minor(item, &c.qty)?;
        if self.res_id(&c.reservation).is_some() {
            return Err(Error::ReservationIdConflict { reservation: c.reservation.clone() });
        }
        self.check_active_item(item)?;
        // A channel may require more remaining shelf life than the request.
        let min_shelf_life_days = c.min_shelf_life_days.max(self.channel_shelf_days(c.channel.as_deref()));
        let rule = SellableRule {
            now: self.now,
            min_days: self.cat.item(item).spec.min_remaining_shelf_life_days.max(min_shelf_life_days),
        };
        let avail = self.reservable(item, &scope, &rule, c.channel.as_deref());
        if c.fill == Fill::All && (qty as i128) > avail {
            return Err(Error::InsufficientAvailable {
                item: c.item.clone(),
                requested: self.dec(item, qty as i128),
                available: self.dec(item, avail),
            });
        }
        let expires_at = match c.ttl_ms {
            Some(t) => Some(self.now.checked_add(t).ok_or(Error::InvalidDuration { field: "ttl_ms", value: t })?),
            None => None,
        };
        // Point of no failure.
        let cands = reservation::candidates(&self.cat, &self.stock[item.ix()], &scope, &rule, c.strategy, None);
        let target = qty.min(avail.min(Minor::MAX as i128) as Minor);
        let (allocs, _) = reservation::plan(&cands, target, c.strategy);
        let placed: Minor = allocs.iter().map(|a| a.qty).sum();
        let code: crate::ids::Code = c.reservation.as_str().into();
        let ev = Event::ReservationCreated {
            reservation: code.clone(),
            item: self.cat.item(item).code.clone(),
            qty,
            scope: c.scope.clone(),
            channel: c.channel.as_deref().map(Into::into),
            expires_at,
            strategy: c.strategy,
            min_shelf_life_days,
            fill: c.fill,
            need_date: c.need_date.unwrap_or_else(|| self.today_at(scope.anchor())),
            priority: c.priority,
            open_demand: qty - placed,
        };
        self.emit(out, ev)?;
        for a in allocs {
            let ev = Event::Allocated {
                reservation: code.clone(),
                location: self.cat.loc(a.loc).code.clone(),
                lot: self.cat.lot_code(a.lot),
                qty: a.qty,
                reason: AllocReason::Reserve,
            };
            self.emit(out, ev)?;
        }
        Ok(())
    }

    pub(crate) fn promise(&mut self, c: &Promise, out: &mut Vec<Event>) -> Result<(), Error> {
        Self::check_code("reservation", &c.reservation)?;
        Self::check_sign("qty", c.qty.qty, super::Sign::Positive)?;
        if let Some(ch) = &c.channel {
            Self::check_code("channel", ch)?;
        }
        let item = self.find_item(&c.item)?;
        self.find_scope(&c.scope)?;
        let qty = self.to_minor(item, &c.qty)?;
        if self.res_id(&c.reservation).is_some() {
            return Err(Error::ReservationIdConflict { reservation: c.reservation.clone() });
        }
        self.check_active_item(item)?;
        let ev = Event::ReservationCreated {
            reservation: c.reservation.as_str().into(),
            item: self.cat.item(item).code.clone(),
            qty,
            scope: c.scope.clone(),
            channel: c.channel.as_deref().map(Into::into),
            expires_at: None,
            strategy: Strategy::Fefo,
            min_shelf_life_days: 0,
            fill: Fill::Partial,
            need_date: c.need_date,
            priority: c.priority,
            open_demand: qty,
        };
        self.emit(out, ev)
    }

    /// Converts a commit quantity given in the commit's unit.
    fn commit_minor(&self, rid: ResId, v: Decimal, unit: Option<&str>) -> Result<Minor, Error> {
        let it = self.cat.item(self.res[rid.ix()].item);
        let factor: UnitFactor = Self::unit_factor(it, unit)?;
        let q = crate::command::QtyIn { qty: v, unit: unit.map(Into::into), rounding: None };
        Self::convert(it, v, factor, &q)
    }

    pub(crate) fn commit(&mut self, c: &Commit, at: i64, out: &mut Vec<Event>) -> Result<(), Error> {
        if let Some(q) = c.qty {
            Self::check_sign("qty", q, super::Sign::Positive)?;
        }
        for b in c.buckets.iter().flatten() {
            Self::check_sign("buckets.qty", b.qty, super::Sign::Positive)?;
            Self::check_code("location", &b.location)?;
        }
        if c.buckets.as_ref().is_some_and(|b| b.len() > 256) {
            return Err(Error::LimitExceeded { what: "commit buckets", max: 256 });
        }
        Self::check_reference(c.reference.as_deref())?;
        let rid = self.active_reservation(&c.reservation)?;
        let r = &self.res[rid.ix()];
        let item = r.item;
        let dest = match &c.destination {
            Some(d) => self.find_loc(d)?,
            None => self.cat.loc_id("@customer").unwrap_or(LocId(0)),
        };
        let allocated = r.allocated();
        let qty = match c.qty {
            Some(q) => self.commit_minor(rid, q, c.unit.as_deref())?,
            None => allocated,
        };
        if qty > allocated || qty == 0 {
            return Err(Error::OverCommit {
                reservation: c.reservation.clone(),
                requested: self.dec(item, qty as i128),
                allocated: self.dec(item, allocated as i128),
            });
        }
        // Which buckets to take: the picker's, or the allocations in order.
        let picks: Vec<(LocId, LotId, Minor)> = match &c.buckets {
            Some(bs) => {
                let mut v = Vec::with_capacity(bs.len());
                let mut sum: i128 = 0;
                for b in bs {
                    let loc = self.find_internal(&b.location)?;
                    let lot = match &b.lot {
                        None => crate::catalog::NO_LOT,
                        Some(l) => self.cat.lot_id(item, l).ok_or_else(|| Error::UnknownLot {
                            item: self.cat.item(item).code.to_string(),
                            lot: l.clone(),
                        })?,
                    };
                    let q = self.commit_minor(rid, b.qty, c.unit.as_deref())?;
                    sum += q as i128;
                    // A bucket named twice is one pick of the sum: checked
                    // and consumed once.
                    match v.iter_mut().find(|p: &&mut (LocId, LotId, Minor)| p.0 == loc && p.1 == lot) {
                        Some(p) => p.2 = p.2.checked_add(q).ok_or(Error::QuantityOverflow)?,
                        None => v.push((loc, lot, q)),
                    }
                }
                if sum != qty as i128 {
                    return Err(Error::CommitBucketsMismatch {
                        reservation: c.reservation.clone(),
                        qty: self.dec(item, qty as i128),
                        buckets: self.dec(item, sum),
                    });
                }
                self.check_picks(rid, &v)?;
                v
            }
            None => {
                let mut rest = qty;
                let mut v = Vec::new();
                for a in &r.allocs {
                    if rest == 0 {
                        break;
                    }
                    let q = a.qty.min(rest);
                    v.push((a.loc, a.lot, q));
                    rest -= q;
                }
                v
            }
        };
        // The destination (a virtual one too: it carries the item's whole
        // history) must hold the sum of the picks of each lot.
        let mut into: Vec<(LotId, Minor)> = Vec::with_capacity(picks.len());
        for (_, lot, q) in &picks {
            let i = match into.iter().position(|x| x.0 == *lot) {
                Some(i) => i,
                None => {
                    into.push((*lot, self.stock[item.ix()].get(dest, *lot).map_or(0, |b| b.on_hand)));
                    into.len() - 1
                }
            };
            into[i].1 = into[i].1.checked_add(*q).ok_or(Error::QuantityOverflow)?;
        }
        // Point of no failure.
        let code = self.res[rid.ix()].code.clone();
        let reference: crate::ids::Code = c.reference.as_deref().map_or_else(|| code.clone(), Into::into);
        self.swap_for_substitutes(rid, &picks, out)?;
        for (loc, lot, q) in &picks {
            let ev = Event::Deallocated {
                reservation: code.clone(),
                location: self.cat.loc(*loc).code.clone(),
                lot: self.cat.lot_code(*lot),
                qty: *q,
                reason: AllocReason::Commit,
            };
            self.emit(out, ev)?;
        }
        self.emit(out, Event::ReservationCommitted { reservation: code.clone(), qty })?;
        for (loc, lot, q) in picks {
            let ev = Event::MovePosted {
                move_id: self.moves.next_id(),
                item: self.cat.item(item).code.clone(),
                lot: self.cat.lot_code(lot),
                qty: q,
                from: self.cat.loc(loc).code.clone(),
                to: self.cat.loc(dest).code.clone(),
                reason: MoveReason::Commit,
                reservation: None,
                reverses: None,
                reference: Some(reference.clone()),
                occurred_at: at,
            };
            self.emit(out, ev)?;
        }
        let r = &self.res[rid.ix()];
        let done = r.allocs.is_empty() && r.open_demand == 0;
        if c.remainder == Remainder::Release || done {
            self.finish(rid, Finish::Committed, AllocReason::Release, out)?;
            self.serve_demand(item, out)?;
        }
        Ok(())
    }

    /// Each pick must be covered by the reservation's allocation on that
    /// bucket or by free stock there (a picker's substitute).
    fn check_picks(&self, rid: ResId, picks: &[(LocId, LotId, Minor)]) -> Result<(), Error> {
        let r = &self.res[rid.ix()];
        for (loc, lot, q) in picks {
            let own = r.alloc_on(*loc, *lot);
            let b = self.stock[r.item.ix()].get(*loc, *lot).copied();
            let free = b.map_or(0, |b| b.free().max(0));
            if *q > own + free {
                return Err(Error::InsufficientStock {
                    item: self.cat.item(r.item).code.to_string(),
                    location: self.cat.loc(*loc).code.to_string(),
                    lot: self.cat.lot_code(*lot).map(|c| c.to_string()),
                    requested: self.dec(r.item, *q as i128),
                    available: self.dec(r.item, (own + free) as i128),
                });
            }
        }
        Ok(())
    }

    /// Moves allocation onto substitute buckets, taking it from the
    /// reservation's unpicked buckets, last allocated first.
    fn swap_for_substitutes(
        &mut self,
        rid: ResId,
        picks: &[(LocId, LotId, Minor)],
        out: &mut Vec<Event>,
    ) -> Result<(), Error> {
        for (loc, lot, q) in picks {
            let r = &self.res[rid.ix()];
            let own = r.alloc_on(*loc, *lot);
            if own >= *q {
                continue;
            }
            let mut need = q - own;
            let code = r.code.clone();
            // Donors: what the reservation holds beyond the picks (all of an
            // unpicked bucket, the unpicked part of a picked one), last
            // allocated first. The picks sum to at most the allocation, so
            // the donors always cover the substitutes.
            let donors: Vec<_> = r
                .allocs
                .iter()
                .rev()
                .filter_map(|a| {
                    let picked = picks.iter().find(|p| p.0 == a.loc && p.1 == a.lot).map_or(0, |p| p.2);
                    (a.qty > picked).then_some((*a, a.qty - picked))
                })
                .collect();
            for (d, spare) in donors {
                if need == 0 {
                    break;
                }
                let take = spare.min(need);
                need -= take;
                let ev = Event::Deallocated {
                    reservation: code.clone(),
                    location: self.cat.loc(d.loc).code.clone(),
                    lot: self.cat.lot_code(d.lot),
                    qty: take,
                    reason: AllocReason::Substitute,
                };
                self.emit(out, ev)?;
            }
            let ev = Event::Allocated {
                reservation: code,
                location: self.cat.loc(*loc).code.clone(),
                lot: self.cat.lot_code(*lot),
                qty: q - own,
                reason: AllocReason::Substitute,
            };
            self.emit(out, ev)?;
        }
        Ok(())
    }

    /// Gives back everything a reservation still holds and finishes it.
    pub(crate) fn finish(
        &mut self,
        rid: ResId,
        how: Finish,
        reason: AllocReason,
        out: &mut Vec<Event>,
    ) -> Result<(), Error> {
        let r = &self.res[rid.ix()];
        let code = r.code.clone();
        let allocs = r.allocs.clone();
        for a in allocs {
            let ev = Event::Deallocated {
                reservation: code.clone(),
                location: self.cat.loc(a.loc).code.clone(),
                lot: self.cat.lot_code(a.lot),
                qty: a.qty,
                reason,
            };
            self.emit(out, ev)?;
        }
        self.emit(out, Event::ReservationFinished { reservation: code, finish: how })
    }

    pub(crate) fn release(&mut self, code: &str, out: &mut Vec<Event>) -> Result<(), Error> {
        let rid = self.active_reservation(code)?;
        let item = self.res[rid.ix()].item;
        self.finish(rid, Finish::Released, AllocReason::Release, out)?;
        self.serve_demand(item, out)
    }

    pub(crate) fn extend(&mut self, code: &str, ttl_ms: i64, out: &mut Vec<Event>) -> Result<(), Error> {
        if ttl_ms <= 0 {
            return Err(Error::InvalidDuration { field: "ttl_ms", value: ttl_ms });
        }
        let rid = self.active_reservation(code)?;
        let expires_at =
            self.now.checked_add(ttl_ms).ok_or(Error::InvalidDuration { field: "ttl_ms", value: ttl_ms })?;
        let reservation = self.res[rid.ix()].code.clone();
        self.emit(out, Event::ReservationExtended { reservation, expires_at })
    }

    /// Sets a reservation's total. Going up allocates more (by its fill
    /// rule); going down drops open demand first, then the newest allocations.
    pub(crate) fn amend(&mut self, c: &Amend, out: &mut Vec<Event>) -> Result<(), Error> {
        Self::check_sign("qty", c.qty.qty, super::Sign::Positive)?;
        let rid = self.active_reservation(&c.reservation)?;
        let item = self.res[rid.ix()].item;
        let qty = self.to_minor(item, &c.qty)?;
        let r = &self.res[rid.ix()];
        if qty < r.committed {
            return Err(Error::BelowCommitted {
                reservation: c.reservation.clone(),
                committed: self.dec(item, r.committed as i128),
            });
        }
        let held = r.allocated() + r.open_demand + r.committed;
        let code = r.code.clone();
        let rule = self.rule_for(rid);
        if qty > held {
            let more = qty - held;
            let avail = self.reservable(item, &r.scope, &rule, r.channel.as_deref());
            if r.fill == Fill::All && more as i128 > avail {
                return Err(Error::InsufficientAvailable {
                    item: self.cat.item(item).code.to_string(),
                    requested: self.dec(item, more as i128),
                    available: self.dec(item, avail),
                });
            }
            let open = r.open_demand;
            self.emit(out, Event::ReservationAmended { reservation: code.clone(), qty })?;
            let rest = self.allocate(rid, more, None, AllocReason::Reserve, out)?;
            if rest > 0 {
                self.emit(out, Event::DemandChanged { reservation: code, open_demand: open + rest })?;
            }
            return Ok(());
        }
        self.emit(out, Event::ReservationAmended { reservation: code.clone(), qty })?;
        let mut cut = held - qty;
        let open = self.res[rid.ix()].open_demand;
        if open > 0 && cut > 0 {
            let drop = open.min(cut);
            cut -= drop;
            self.emit(out, Event::DemandChanged { reservation: code.clone(), open_demand: open - drop })?;
        }
        let allocs: Vec<_> = self.res[rid.ix()].allocs.iter().rev().copied().collect();
        for a in allocs {
            if cut == 0 {
                break;
            }
            let take = a.qty.min(cut);
            cut -= take;
            let ev = Event::Deallocated {
                reservation: code.clone(),
                location: self.cat.loc(a.loc).code.clone(),
                lot: self.cat.lot_code(a.lot),
                qty: take,
                reason: AllocReason::Release,
            };
            self.emit(out, ev)?;
        }
        self.serve_demand(item, out)
    }

    /// Today's date for demand defaults (UTC when the scope has no anchor).
    #[allow(dead_code)]
    pub(crate) fn today_utc(&self) -> Date {
        Date::at(self.now, 0)
    }
}
