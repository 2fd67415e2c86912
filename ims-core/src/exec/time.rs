//! Time passing: reservations expire in (expiry, id) order; lots that pass
//! their expiry date give up their allocations.

use crate::error::Error;
use crate::event::{AllocReason, Event, Finish};
use crate::ids::LocId;
use crate::state::State;
use crate::time::{Date, Millis};

impl State {
    /// Moves `now` forward to `t` and emits what time passing causes.
    pub(crate) fn advance(&mut self, t: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
        if t <= self.now {
            return Ok(());
        }
        self.now = t;
        while let Some((at, code)) = self.expiries.first().cloned() {
            if at > t {
                break;
            }
            let Some(rid) = self.res_id(&code) else {
                self.expiry_remove((at, code));
                continue;
            };
            self.finish(rid, Finish::Expired, AllocReason::Expire, out)?;
            let item = self.res[rid.ix()].item;
            self.serve_demand(item, out)?;
        }
        while let Some((at, item_code, lot_code)) = self.lot_expiries.first().cloned() {
            if at > t {
                break;
            }
            self.lot_expiry_remove((at, item_code.clone(), lot_code.clone()));
            let Some(item) = self.cat.item_id(&item_code) else { continue };
            let Some(lot) = self.cat.lot_id(item, &lot_code) else { continue };
            let Some(expiry) = self.cat.lot(lot).expiry else { continue };
            let mut locs: Vec<LocId> = self.stock[item.ix()]
                .buckets
                .iter()
                .filter(|b| b.lot == lot && b.reserved > 0)
                .map(|b| b.loc)
                .collect();
            locs.sort_by(|a, b| self.cat.loc(*a).code.cmp(&self.cat.loc(*b).code));
            for loc in locs {
                let site = self.cat.loc(loc).site_offset_min;
                let expired_at = expiry.plus(1).start_ms(site);
                if Date::at(t, site) > expiry {
                    self.settle_bucket(item, loc, lot, out)?;
                } else if expired_at > t {
                    self.lot_expiry_insert((expired_at, item_code.clone(), lot_code.clone()));
                }
                // Otherwise the lot expires on the last representable date:
                // it never expires, and re-queuing it would loop forever.
            }
        }
        Ok(())
    }
}
