//! The catalog (DESIGN §2): items, the location tree and lots, with their
//! codes interned to dense ids in the order the engine learned them.

mod code_index;
mod item;
mod location;
mod lot;

pub(crate) use code_index::CodeIndex;
pub use item::{Item, Tracking};
pub use location::{Location, LocationKind, BUILTIN_LOCATIONS};
pub use lot::{Lot, LotStatus, NO_LOT, UNKNOWN_LOT_CODE};

use crate::ids::{Code, FxMap, ItemId, LocId, LotId};

/// Items, locations and lots with their code indexes.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub(crate) items: Vec<std::sync::Arc<Item>>,
    pub(crate) item_ix: CodeIndex<ItemId>,
    pub(crate) locs: Vec<Location>,
    pub(crate) loc_ix: CodeIndex<LocId>,
    /// Index 0 is the "no lot" sentinel of untracked stock.
    pub(crate) lots: Vec<Lot>,
    pub(crate) lot_ix: FxMap<(ItemId, Code), LotId>,
    /// Locations in pre-order (walk order): a subtree is the run
    /// `by_pre[pre..end]`. Derived by `reindex_tree`.
    pub(crate) by_pre: Vec<LocId>,
    /// Replaced by every change to `items` (see [`ItemsVersion`]).
    pub(crate) items_version: ItemsVersion,
    /// Internal locations among `by_pre[..k]`, for k = 0..=len: a subtree
    /// holds every internal location when its run holds them all. Derived
    /// by `reindex_tree`.
    pub(crate) internal_before: Vec<u32>,
}

/// A version of an engine's item definitions: a holder of item ids (a
/// door's resolved cart) keeps the version its ids were taken under, and
/// while the engine still has that very version (`Engine::items_unchanged`,
/// one pointer comparison) every id names the definition it named then —
/// no per-id check, no read of the items' records. A version is shared
/// only by clones of an unchanged catalogue and by holders; a change to
/// the items (a definition added or replaced, or undone) while anyone
/// else holds the version makes a new one, so an equal version means
/// equal definitions, even across engines.
#[derive(Clone, Debug, Default)]
pub struct ItemsVersion(std::sync::Arc<()>);

impl ItemsVersion {
    /// Whether `self` and `other` are the same version.
    pub fn same(&self, other: &ItemsVersion) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
    /// Called on every change to the items. Held by no one else, the
    /// version can be kept (no one can compare with it, and later holders
    /// see the changed items); else a new one (each `Arc` allocation is a
    /// distinct pointer). Loading a catalogue allocates nothing here.
    pub(crate) fn renew(&mut self) {
        if std::sync::Arc::get_mut(&mut self.0).is_none() {
            self.0 = std::sync::Arc::new(());
        }
    }
}

impl Catalog {
    /// A catalog holding only the built-in virtual locations.
    pub(crate) fn new() -> Catalog {
        let mut c = Catalog { lots: vec![Lot::sentinel()], ..Catalog::default() };
        for (code, kind) in BUILTIN_LOCATIONS {
            let id = LocId(c.locs.len() as u32);
            let code: Code = (*code).into();
            c.loc_ix.insert(&code, id);
            c.locs.push(Location::new(code, None, *kind, None, 0, None, 0));
        }
        c.reindex_tree();
        c
    }

    /// The locations of a subtree in walk order (the root first).
    pub fn subtree(&self, root: LocId) -> &[LocId] {
        let l = &self.locs[root.ix()];
        self.by_pre.get(l.pre as usize..l.end as usize).unwrap_or(&[])
    }

    /// Item id by code.
    #[inline]
    pub fn item_id(&self, code: &str) -> Option<ItemId> {
        self.item_ix.get(code)
    }
    /// Location id by code.
    #[inline]
    pub fn loc_id(&self, code: &str) -> Option<LocId> {
        self.loc_ix.get(code)
    }
    /// Lot id by item and code.
    #[inline]
    pub fn lot_id(&self, item: ItemId, code: &str) -> Option<LotId> {
        self.lot_ix.get(&LotKey(item, code)).copied()
    }
    /// The item.
    #[inline]
    pub fn item(&self, id: ItemId) -> &Item {
        &self.items[id.ix()]
    }
    /// The location.
    #[inline]
    pub fn loc(&self, id: LocId) -> &Location {
        &self.locs[id.ix()]
    }
    /// The lot.
    #[inline]
    pub fn lot(&self, id: LotId) -> &Lot {
        &self.lots[id.ix()]
    }
    /// The lot's code as events carry it (`None` for untracked stock).
    pub fn lot_code(&self, id: LotId) -> Option<Code> {
        (id != NO_LOT).then(|| self.lots[id.ix()].code.clone())
    }
    /// Number of items.
    pub fn item_count(&self) -> usize {
        self.items.len()
    }

    /// Whether `loc` lies in the subtree rooted at `root` (itself included).
    #[inline]
    pub fn in_subtree(&self, loc: LocId, root: LocId) -> bool {
        let r = &self.locs[root.ix()];
        let p = self.locs[loc.ix()].pre;
        p >= r.pre && p < r.end
    }

    /// Recomputes pre-order ranks, subtree ends and each location's site
    /// data. Locations are few and change rarely, so a full pass is fine.
    pub(crate) fn reindex_tree(&mut self) {
        let n = self.locs.len();
        let mut children: Vec<Vec<LocId>> = vec![Vec::new(); n];
        let mut roots = Vec::new();
        for (i, l) in self.locs.iter().enumerate() {
            match l.parent {
                Some(p) => children[p.ix()].push(LocId(i as u32)),
                None => roots.push(LocId(i as u32)),
            }
        }
        // Deterministic: by walk sequence, then code.
        let key = |locs: &[Location], id: &LocId| {
            let l = &locs[id.ix()];
            (l.walk_seq, l.code.clone())
        };
        roots.sort_by_key(|id| key(&self.locs, id));
        for c in &mut children {
            c.sort_by_key(|id| key(&self.locs, id));
        }
        let mut rank = 0u32;
        self.by_pre.clear();
        // Iterative DFS: (node, inherited site offset, inherited inbound days, entering?)
        let mut stack: Vec<(LocId, i32, u32, bool)> = roots.iter().rev().map(|r| (*r, 0, 0, true)).collect();
        while let Some((id, off, inbound, entering)) = stack.pop() {
            if !entering {
                self.locs[id.ix()].end = rank;
                continue;
            }
            let l = &mut self.locs[id.ix()];
            l.pre = rank;
            rank += 1;
            self.by_pre.push(id);
            let (off, inbound) = if l.kind == LocationKind::Site {
                (l.utc_offset_min.unwrap_or(0), l.inbound_days)
            } else {
                (l.utc_offset_min.unwrap_or(off), inbound.max(l.inbound_days))
            };
            l.site_offset_min = off;
            l.site_inbound_days = inbound;
            stack.push((id, off, inbound, false));
            for c in children[id.ix()].iter().rev() {
                stack.push((*c, off, inbound, true));
            }
        }
        let mut n = 0;
        self.internal_before = std::iter::once(0)
            .chain(self.by_pre.iter().map(|id| {
                n += u32::from(self.locs[id.ix()].is_internal());
                n
            }))
            .collect();
    }

    /// Whether the subtree of `root` holds every internal location.
    #[inline]
    pub fn covers_internal(&self, root: LocId) -> bool {
        let l = &self.locs[root.ix()];
        let count = |k: u32| self.internal_before.get(k as usize).copied().unwrap_or(0);
        count(l.end) - count(l.pre) == self.internal_before.last().copied().unwrap_or(0)
    }
}

/// A borrowed `(ItemId, &str)` key that hashes exactly like the owned
/// `(ItemId, Code)` key, so lot lookups need no allocation.
#[derive(Hash)]
struct LotKey<'a>(ItemId, &'a str);

impl hashbrown::Equivalent<(ItemId, Code)> for LotKey<'_> {
    #[inline]
    fn equivalent(&self, key: &(ItemId, Code)) -> bool {
        self.0 == key.0 && self.1 == &*key.1
    }
}
