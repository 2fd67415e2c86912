//! `verify()`: recompute every derived total from source records and report
//! any difference. Tests call it after every step; it must never disagree
//! with the engine.

use std::collections::BTreeMap;

use crate::engine::Engine;
use crate::ids::{ItemId, LocId, LotId};
use crate::reservation::ResStatus;
use crate::state::State;

impl State {
    /// Every inconsistency found, as readable lines (empty when sound).
    pub fn verify(&self) -> Vec<String> {
        let mut errs = Vec::new();
        let cat = &self.cat;
        // Balances from moves.
        let mut from_moves: BTreeMap<(ItemId, LocId, LotId), i128> = BTreeMap::new();
        // A public projection's moves start from its opening balances, and
        // it keeps no virtual side (`edge::public`): its internal balances
        // are checked, conservation over all locations is not.
        let public = self.opening.is_some();
        let kept = |l: LocId| !public || cat.loc(l).is_internal();
        for (k, q) in self.opening.iter().flat_map(|o| o.iter()) {
            *from_moves.entry(*k).or_default() += i128::from(*q);
        }
        for m in self.moves.iter() {
            if kept(m.from) {
                *from_moves.entry((m.item, m.from, m.lot)).or_default() -= m.qty as i128;
            }
            if kept(m.to) {
                *from_moves.entry((m.item, m.to, m.lot)).or_default() += m.qty as i128;
            }
        }
        for (i, s) in self.stock.iter().enumerate() {
            if s.totals != crate::ledger::Totals::of(cat, &s.buckets) {
                errs.push(format!("item {} totals differ from its buckets", cat.items[i].code));
            }
        }
        // The days are unused once a sum overflowed, until recomputed.
        if !self.days_overflowed {
            let (days, overflowed) = crate::demand_days::of_log(cat, &self.moves, self.stock.len());
            if overflowed {
                errs.push("demand days overflow on a recount but were not marked".into());
            }
            for (i, (s, d)) in self.stock.iter().zip(&days).enumerate() {
                if s.days != *d {
                    errs.push(format!("item {} demand days differ from its moves", cat.items[i].code));
                }
            }
        }
        // The item index gives each item its own id, and no more.
        for (i, it) in cat.items.iter().enumerate() {
            if cat.item_id(&it.code) != Some(ItemId(i as u32)) {
                errs.push(format!("item {} index mismatch", it.code));
            }
        }
        if cat.item_ix.len() != cat.items.len() {
            errs.push(format!("item index holds {} codes for {} items", cat.item_ix.len(), cat.items.len()));
        }
        let mut reserved: BTreeMap<(ItemId, LocId, LotId), i128> = BTreeMap::new();
        for (i, r) in self.res.iter().enumerate() {
            let active = r.status == ResStatus::Active;
            if !active && (!r.allocs.is_empty() || r.open_demand != 0) {
                errs.push(format!("finished reservation {} still holds stock or demand", r.code));
            }
            if r.allocs.iter().any(|a| a.qty <= 0) {
                errs.push(format!("reservation {} has a non-positive allocation", r.code));
            }
            for a in &r.allocs {
                *reserved.entry((r.item, a.loc, a.lot)).or_default() += a.qty as i128;
            }
            let listed = self.stock[r.item.ix()].active.iter().any(|x| x.ix() == i);
            if listed != active {
                errs.push(format!("reservation {} active list mismatch", r.code));
            }
            let in_expiry = r.expires_at.is_some_and(|e| self.expiries.contains(&(e, r.code.clone())));
            if active && r.expires_at.is_some() != in_expiry {
                errs.push(format!("reservation {} expiry index mismatch", r.code));
            }
            let in_demand = self.stock[r.item.ix()].demand.contains(&(r.priority, r.need_date, r.code.clone()));
            if in_demand != (active && r.open_demand > 0) {
                errs.push(format!("reservation {} demand index mismatch", r.code));
            }
            if self.res_id(&r.code).map(|x| x.ix()) != Some(i) {
                errs.push(format!("reservation {} index mismatch", r.code));
            }
        }
        if self.expiries.len() > self.res.len() {
            errs.push("expiry index holds unknown reservations".into());
        }
        for (i, s) in self.stock.iter().enumerate() {
            let item = ItemId(i as u32);
            let mut total: i128 = 0;
            for w in s.buckets.windows(2) {
                if (w[0].loc, w[0].lot) >= (w[1].loc, w[1].lot) {
                    errs.push(format!("item {} buckets not sorted", cat.item(item).code));
                }
            }
            for b in &s.buckets {
                total += b.on_hand as i128;
                let k = (item, b.loc, b.lot);
                let mv = from_moves.remove(&k).unwrap_or(0);
                if mv != b.on_hand as i128 {
                    errs.push(format!(
                        "{} at {}: balance {} but moves sum to {mv}",
                        cat.item(item).code,
                        cat.loc(b.loc).code,
                        b.on_hand
                    ));
                }
                let rs = reserved.remove(&k).unwrap_or(0);
                if rs != b.reserved as i128 {
                    errs.push(format!(
                        "{} at {}: reserved {} but allocations sum to {rs}",
                        cat.item(item).code,
                        cat.loc(b.loc).code,
                        b.reserved
                    ));
                }
                if b.on_hand == 0 && b.reserved == 0 {
                    errs.push(format!("{} at {}: empty bucket kept", cat.item(item).code, cat.loc(b.loc).code));
                }
                if !kept(b.loc) {
                    errs.push(format!(
                        "{} at {}: a public engine holds a virtual balance",
                        cat.item(item).code,
                        cat.loc(b.loc).code
                    ));
                }
                if b.lot.ix() >= cat.lots.len() || (b.lot.0 != 0 && cat.lot(b.lot).item != item) {
                    errs.push(format!("{}: bucket lot of another item", cat.item(item).code));
                }
            }
            if total != 0 && !public {
                errs.push(format!("item {} does not conserve: sum over locations is {total}", cat.item(item).code));
            }
            for ix in &s.receipts {
                let r = &self.receipts[*ix as usize];
                if r.open < 0 || r.open > r.qty || r.item != item {
                    errs.push(format!("receipt {} inconsistent", r.code));
                }
            }
        }
        for ((item, loc, _), q) in from_moves.into_iter().filter(|(_, q)| *q != 0) {
            errs.push(format!("{} at {}: moves sum to {q} but no balance", cat.item(item).code, cat.loc(loc).code));
        }
        for ((item, loc, _), q) in reserved {
            errs.push(format!("{} at {}: {q} allocated without a bucket", cat.item(item).code, cat.loc(loc).code));
        }
        if let Err(e) = self.moves.check_chunks() {
            errs.push(e);
        }
        for (ix, m) in self.moves.iter().enumerate() {
            if m.qty <= 0 {
                errs.push(format!("move {} quantity {} not positive", self.moves.id_at(ix), m.qty));
            }
            if !m.has_notes() {
                continue;
            }
            if let Some(o) = self.moves.notes(ix).reverses {
                let ok = self.moves.index_of(o).is_some_and(|oi| oi < ix && self.moves[oi].reversed);
                if !ok {
                    errs.push(format!("move {} reverses {o} inconsistently", self.moves.id_at(ix)));
                }
            }
        }
        self.verify_ops(&mut errs);
        if !self.undo.is_empty() {
            errs.push("undo log not empty between commands".into());
        }
        errs
    }
}

impl Engine {
    /// Recomputes every derived total from source records; `Err` lists the
    /// differences.
    pub fn verify(&self) -> Result<(), Vec<String>> {
        let errs = self.st.verify();
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs)
        }
    }
}
