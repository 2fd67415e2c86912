//! Slices: the part of the authority's state a replica answers for (some
//! items, some location subtrees), and a digest over exactly that part, so a
//! replica and its authority can be compared without comparing everything.

use serde::{Deserialize, Serialize};

use crate::codec::{self, Writer};
use crate::command::Scope;
use crate::engine::Engine;
use crate::error::Error;
use crate::ids::{ItemId, LocId};
use crate::reservation::ResStatus;
use crate::state::State;

/// The part of the state a replica answers for. An empty list means "all":
/// `Slice::default()` is the whole engine.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slice {
    /// Item codes; every item when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
    /// Roots of location subtrees; every location when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<String>,
}

/// A slice resolved against one state's catalog. Codes the catalog does not
/// hold (yet) are left out: a slice may name an item defined later.
pub(crate) struct SliceIds {
    items: Option<Vec<ItemId>>,
    roots: Option<Vec<LocId>>,
}

impl Slice {
    /// The whole engine.
    pub fn all() -> Slice {
        Slice::default()
    }

    /// Whether the slice is the whole engine.
    pub fn is_all(&self) -> bool {
        self.items.is_empty() && self.locations.is_empty()
    }

    /// Whether the slice holds only some items: then a replica keeps only
    /// their state (a sliced snapshot, a filtered tail).
    pub fn cuts_items(&self) -> bool {
        !self.items.is_empty()
    }

    /// Checks the codes' form and the list sizes (the same limit as a scope).
    pub(crate) fn check(&self) -> Result<(), Error> {
        if self.locations.len() > 1024 {
            return Err(Error::LimitExceeded { what: "slice locations", max: 1024 });
        }
        if self.items.len() > crate::engine::MAX_BATCH {
            return Err(Error::LimitExceeded { what: "slice items", max: crate::engine::MAX_BATCH as u64 });
        }
        for c in &self.items {
            State::check_code("item", c)?;
        }
        for c in &self.locations {
            State::check_code("location", c)?;
        }
        Ok(())
    }

    pub(crate) fn resolve(&self, st: &State) -> SliceIds {
        let items = (!self.items.is_empty()).then(|| {
            let mut v: Vec<ItemId> = self.items.iter().filter_map(|c| st.cat.item_id(c)).collect();
            v.sort_unstable_by(|a, b| st.cat.item(*a).code.cmp(&st.cat.item(*b).code));
            v.dedup();
            v
        });
        let roots =
            (!self.locations.is_empty()).then(|| self.locations.iter().filter_map(|c| st.cat.loc_id(c)).collect());
        SliceIds { items, roots }
    }
}

impl Slice {
    /// The slice's location roots resolved, items left unresolved (all).
    pub(crate) fn resolve_locations(&self, st: &State) -> SliceIds {
        let roots =
            (!self.locations.is_empty()).then(|| self.locations.iter().filter_map(|c| st.cat.loc_id(c)).collect());
        SliceIds { items: None, roots }
    }
}

impl SliceIds {
    pub(crate) fn has_item(&self, item: ItemId) -> bool {
        self.items.as_ref().is_none_or(|v| v.contains(&item))
    }

    /// Whether an internal location lies in the slice (virtual locations —
    /// suppliers, customers, adjustments — never do).
    pub(crate) fn has_loc(&self, st: &State, loc: LocId) -> bool {
        st.cat.loc(loc).is_internal()
            && self.roots.as_ref().is_none_or(|r| r.iter().any(|root| st.cat.in_subtree(loc, *root)))
    }

    /// Whether every location a scope may draw on lies in the slice.
    pub(crate) fn covers_scope(&self, st: &State, scope: &Scope) -> bool {
        let Some(roots) = &self.roots else { return true };
        let within = |c: &str| st.cat.loc_id(c).is_some_and(|l| roots.iter().any(|r| st.cat.in_subtree(l, *r)));
        match scope {
            Scope::All => false,
            Scope::Subtree(c) => within(c),
            Scope::List(v) => v.iter().all(|c| within(c)),
        }
    }

    fn items_in_order(&self, st: &State) -> Vec<ItemId> {
        match &self.items {
            Some(v) => v.clone(),
            None => {
                let mut v: Vec<ItemId> = (0..st.cat.item_count()).map(|i| ItemId(i as u32)).collect();
                v.sort_unstable_by(|a, b| st.cat.item(*a).code.cmp(&st.cat.item(*b).code));
                v
            }
        }
    }
}

impl Engine {
    /// The snapshot a replica of `slice` starts from. A slice of some items
    /// gets only their state — catalog entries, lots, balances, moves (with
    /// their ids), reservations, receipts, count flags — plus every location
    /// and every client key, and no operations documents; a slice of
    /// locations only gets the whole snapshot (a location slice bounds what
    /// a replica may change, not what it holds).
    pub fn slice_snapshot(&self, slice: &Slice) -> Result<Vec<u8>, Error> {
        slice.check()?;
        if !slice.cuts_items() {
            return Ok(self.snapshot());
        }
        let items: hashbrown::HashSet<&str> = slice.items.iter().map(String::as_str).collect();
        let keep = |i: ItemId| items.contains(&*self.st.cat.item(i).code);
        Ok(self.st.encode_snapshot_of(&keep, true))
    }

    /// A digest of the slice's state: its items, the locations in its
    /// subtrees, the balances of those items there (on hand and reserved),
    /// the reservations of those items with their allocations inside the
    /// slice, the scheduled receipts into it and its count flags. Two engines
    /// that agree on all of that have the same digest, whatever else they
    /// hold: a replica is compared with its authority this way.
    pub fn slice_digest(&self, slice: &Slice) -> Result<[u8; 32], Error> {
        slice.check()?;
        Ok(slice_digest_of(&self.st, slice))
    }
}

pub(crate) fn slice_digest_of(st: &State, slice: &Slice) -> [u8; 32] {
    let ids = slice.resolve(st);
    let cat = &st.cat;
    let mut buf = Vec::with_capacity(4096);
    let mut h = blake3::Hasher::new();
    let flush = |buf: &mut Vec<u8>, h: &mut blake3::Hasher| {
        h.update(buf);
        buf.clear();
    };
    buf.extend_from_slice(b"IMSSLICE1");

    let mut locs: Vec<LocId> = (0..cat.locs.len() as u32).map(LocId).filter(|l| ids.has_loc(st, *l)).collect();
    locs.sort_unstable_by(|a, b| cat.loc(*a).code.cmp(&cat.loc(*b).code));
    {
        let mut w = Writer(&mut buf);
        w.count(locs.len());
        for l in &locs {
            let loc = cat.loc(*l);
            w.str(&loc.code);
            w.opt_str(loc.parent.map(|p| cat.loc(p).code.clone()).as_deref());
            w.str(loc.kind.name());
            w.u8(u8::from(loc.sellable));
        }
    }
    for item in ids.items_in_order(st) {
        let it = cat.item(item);
        {
            let mut w = Writer(&mut buf);
            w.u8(1);
            codec::put_item_spec(&mut w, &it.spec);
        }
        let stock = &st.stock[item.ix()];
        let mut bals: Vec<(&str, Option<&str>, i64, i64)> = stock
            .buckets
            .iter()
            .filter(|b| ids.has_loc(st, b.loc) && (b.on_hand != 0 || b.reserved != 0))
            .map(|b| {
                let lot = (b.lot != crate::catalog::NO_LOT).then(|| &*cat.lot(b.lot).code);
                (&*cat.loc(b.loc).code, lot, b.on_hand, b.reserved)
            })
            .collect();
        bals.sort_unstable();
        let mut w = Writer(&mut buf);
        w.count(bals.len());
        for (loc, lot, on, res) in bals {
            w.str(loc);
            w.opt_str(lot);
            w.i64(on);
            w.i64(res);
        }
        let mut live: Vec<_> = stock.active.iter().map(|r| &*st.res[r.ix()]).collect();
        live.sort_unstable_by(|a, b| a.code.cmp(&b.code));
        w.count(live.len());
        for r in live {
            w.str(&r.code);
            w.i64(r.qty);
            w.i64(r.committed);
            w.i64(r.open_demand);
            w.i64(r.shorted);
            w.i64(r.expires_at.unwrap_or(i64::MIN));
            w.u8(u8::from(r.status == ResStatus::Active));
            let mut allocs: Vec<(&str, Option<&str>, i64)> = r
                .allocs
                .iter()
                .filter(|a| ids.has_loc(st, a.loc))
                .map(|a| {
                    let lot = (a.lot != crate::catalog::NO_LOT).then(|| &*cat.lot(a.lot).code);
                    (&*cat.loc(a.loc).code, lot, a.qty)
                })
                .collect();
            allocs.sort_unstable();
            w.count(allocs.len());
            for (loc, lot, q) in allocs {
                w.str(loc);
                w.opt_str(lot);
                w.i64(q);
            }
        }
        let mut receipts: Vec<_> = stock
            .receipts
            .iter()
            .map(|ix| &st.receipts[*ix as usize])
            .filter(|r| r.open > 0 && ids.has_loc(st, r.loc))
            .collect();
        receipts.sort_unstable_by(|a, b| a.code.cmp(&b.code));
        w.count(receipts.len());
        for r in receipts {
            w.str(&r.code);
            w.str(&cat.loc(r.loc).code);
            w.i64(r.open);
            w.i64(i64::from(r.expected.0));
        }
        flush(&mut buf, &mut h);
    }
    let flags: Vec<_> = st
        .count_flags
        .iter()
        .filter(|(i, l)| {
            cat.item_id(i).is_some_and(|i| ids.has_item(i)) && cat.loc_id(l).is_some_and(|l| ids.has_loc(st, l))
        })
        .collect();
    let mut w = Writer(&mut buf);
    w.u8(2);
    w.count(flags.len());
    for (i, l) in flags {
        w.str(i);
        w.str(l);
    }
    flush(&mut buf, &mut h);
    *h.finalize().as_bytes()
}
