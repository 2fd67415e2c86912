//! The engine's working state and the only primitives that mutate it. Every
//! primitive records its inverse in an undo log, so a refused command or a
//! failed atomic batch rolls back to a byte-identical state.

use std::collections::BTreeSet;

use crate::catalog::{Catalog, Item, Location, Lot};
use crate::ids::{Code, FxMap, ItemId, LocId, LotId, ResId};
use std::sync::Arc;

use crate::ledger::{Bucket, ItemStock, MoveLog, MoveNotes, MoveRec, Receipt};
use crate::qty::Minor;
use crate::reservation::Reservation;
use crate::time::{Date, Millis};

/// What a client key remembers: the command's hash and the envelope it made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyRec {
    /// Hash of the command without its timestamps.
    pub hash: [u8; 32],
    /// The envelope that executed it.
    pub seq: u64,
}

/// The public token of a client key (`edge::public`): `~` and 32 hex
/// digits, with a 32-byte hash in place of the command hash. Both derive
/// from the key *and* the command hash with BLAKE3 in its key-derivation
/// mode, so whoever holds the key and the command (the replica that queued
/// it) can recognise its own command in a public journal, and nobody else
/// learns the key or the command's hash.
pub(crate) fn public_key_token(key: &str, command_hash: &[u8; 32]) -> (String, [u8; 32]) {
    let mut h = blake3::Hasher::new_derive_key("ims-core 2026 public projection client key v1");
    h.update(&(key.len() as u64).to_le_bytes());
    h.update(key.as_bytes());
    h.update(command_hash);
    let t = *h.finalize().as_bytes();
    let mut s = String::with_capacity(33);
    s.push('~');
    for b in &t[..16] {
        s.push_str(&format!("{b:02x}"));
    }
    (s, t)
}

/// Whether a key has the form of a public token (what a public state holds).
pub(crate) fn is_public_token(key: &str) -> bool {
    key.len() == 33 && key.starts_with('~') && key[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Opening balances per (item, location, lot) bucket.
pub(crate) type Opening = std::collections::BTreeMap<(ItemId, LocId, LotId), Minor>;

/// One inverse operation.
#[derive(Clone, Debug)]
pub(crate) enum Undo {
    Bucket { item: ItemId, loc: LocId, lot: LotId, d_on: Minor, d_res: Minor },
    ItemPush,
    ItemReplace(ItemId, Arc<Item>),
    LocPush,
    LocReplace(LocId, Box<Location>),
    LotPush,
    LotStatus(LotId, crate::catalog::LotStatus),
    MovePush,
    MoveReversed(usize),
    ResPush,
    ResReplace(ResId, Arc<Reservation>),
    ActiveAdd(ItemId),
    ActiveRemove(ItemId, usize, ResId),
    DemandInsert(ItemId, (i32, Date, Code)),
    DemandRemove(ItemId, (i32, Date, Code)),
    ExpiryInsert((Millis, Code)),
    ExpiryRemove((Millis, Code)),
    LotExpiryInsert((Millis, Code, Code)),
    LotExpiryRemove((Millis, Code, Code)),
    ReceiptPush,
    ReceiptOpen(u32, Minor),
    KeyInsert(Code),
    FlagInsert((Code, Code)),
    FlagRemove((Code, Code)),
    Doc(crate::ops::docs::DocUndo),
}

/// Where a transaction began.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mark {
    undo_len: usize,
    now: Millis,
    seq: u64,
    digest: [u8; 32],
    days_overflowed: bool,
}

/// The whole state of an engine.
#[derive(Clone, Debug)]
pub struct State {
    /// Engine time: only moves forward.
    pub now: Millis,
    /// Seq of the last envelope applied.
    pub seq: u64,
    /// Hash chain over all envelopes.
    pub journal_digest: [u8; 32],
    /// Items, locations, lots.
    pub cat: Catalog,
    /// Per item: buckets, active reservations, demand, receipts.
    pub stock: Vec<Arc<ItemStock>>,
    /// Posted moves; move id n is at index n - 1.
    pub moves: MoveLog,
    /// Reservations, finished ones included (so a late call gets its
    /// specific error).
    pub res: Vec<Arc<Reservation>>,
    pub(crate) res_ix: FxMap<Code, ResId>,
    /// Active reservations that expire, in (expiry, id) order.
    pub expiries: BTreeSet<(Millis, Code)>,
    /// Lots to re-check at an instant (their expiry at some site).
    pub lot_expiries: BTreeSet<(Millis, Code, Code)>,
    /// Scheduled receipts.
    pub receipts: Vec<Receipt>,
    pub(crate) receipt_ix: FxMap<Code, u32>,
    /// Client keys seen.
    pub keys: FxMap<Code, KeyRec>,
    /// (item, location) pairs that a fact drove negative: a count is due.
    pub count_flags: BTreeSet<(Code, Code)>,
    /// Operations documents (purchase orders, sales orders, ...).
    pub ops: crate::ops::Ops,
    /// A public projection's opening balances (`edge::public`): the
    /// balances at the cut, which its move log (only the moves since) does
    /// not account for. `None` for every other state.
    pub(crate) opening: Option<Arc<Opening>>,
    /// Derived: the items with a bucket in each storage-kind location,
    /// sorted. Putaway reads a bin's contents from here instead of scanning
    /// every item; kept by `bucket_delta` and its undo, rebuilt on restore.
    pub(crate) bin_items: crate::bin_items::BinItems,
    /// A day's demand sum in some item's `days` left `i64` since they were
    /// last recomputed: the demand questions pass over the log instead
    /// (see `crate::demand_days`).
    pub(crate) days_overflowed: bool,
    pub(crate) undo: Vec<Undo>,
    /// (item, location) pairs touched by the command being executed.
    pub(crate) touched: Vec<(ItemId, LocId)>,
    /// The codes `apply` resolved last. Execution hands `apply` events that
    /// share the catalog's own `Arc`s, so most lookups are a pointer
    /// comparison. Cleared on rollback (ids may be popped).
    pub(crate) recent: Recent,
}

/// Last-resolved codes, checked by pointer identity.
#[derive(Clone, Debug, Default)]
pub(crate) struct Recent {
    pub item: Option<(Code, ItemId)>,
    pub locs: [Option<(Code, LocId)>; 2],
    pub res: Option<(Code, ResId)>,
}

impl Default for State {
    fn default() -> Self {
        State::new()
    }
}

impl State {
    /// An empty state.
    pub fn new() -> State {
        State {
            now: 0,
            seq: 0,
            journal_digest: [0; 32],
            cat: Catalog::new(),
            stock: Vec::new(),
            moves: MoveLog::default(),
            res: Vec::new(),
            res_ix: FxMap::default(),
            expiries: BTreeSet::new(),
            lot_expiries: BTreeSet::new(),
            receipts: Vec::new(),
            receipt_ix: FxMap::default(),
            keys: FxMap::default(),
            count_flags: BTreeSet::new(),
            ops: crate::ops::Ops::default(),
            opening: None,
            bin_items: crate::bin_items::BinItems::default(),
            days_overflowed: false,
            undo: Vec::new(),
            touched: Vec::new(),
            recent: Recent::default(),
        }
    }

    // ---- transactions ----

    pub(crate) fn begin(&self) -> Mark {
        Mark {
            undo_len: self.undo.len(),
            now: self.now,
            seq: self.seq,
            digest: self.journal_digest,
            days_overflowed: self.days_overflowed,
        }
    }

    /// Makes everything since the outermost mark permanent.
    pub(crate) fn settle(&mut self) {
        self.undo.clear();
    }

    pub(crate) fn rollback(&mut self, m: Mark) {
        self.recent = Recent::default();
        let mut tree_changed = false;
        // Once a location's old definition is back with another kind or
        // offset, the items' days (counted under the new one since) are
        // wrong for it: they are recomputed at the end instead of kept
        // move by move. So are they when the undone commands overflowed a
        // day's sum: the recount takes the flag back.
        let mut days_stale = self.days_overflowed && !m.days_overflowed;
        while self.undo.len() > m.undo_len {
            let Some(u) = self.undo.pop() else { break };
            match u {
                Undo::Bucket { item, loc, lot, d_on, d_res } => {
                    // The delta may have emptied (and so removed) the bucket:
                    // undoing it must bring the bucket back.
                    let s = Arc::make_mut(&mut self.stock[item.ix()]);
                    let (i, created) = match s.find(loc, lot) {
                        Ok(i) => (i, false),
                        Err(i) => {
                            s.buckets.insert(i, Bucket { loc, lot, on_hand: 0, reserved: 0 });
                            (i, true)
                        }
                    };
                    // A bucket counts in the totals while it exists.
                    if !created {
                        s.totals.count(&self.cat, &s.buckets[i], -1);
                    }
                    s.buckets[i].on_hand -= d_on;
                    s.buckets[i].reserved -= d_res;
                    let removed = s.buckets[i].on_hand == 0 && s.buckets[i].reserved == 0;
                    if !removed {
                        s.totals.count(&self.cat, &s.buckets[i], 1);
                    }
                    if removed {
                        s.buckets.remove(i);
                    }
                    if created != removed {
                        self.sync_bin_item(item, loc);
                    }
                }
                Undo::ItemPush => {
                    self.cat.items_version.renew();
                    if let Some(it) = self.cat.items.pop() {
                        self.cat.item_ix.remove(&it.code);
                    }
                    self.stock.pop();
                }
                Undo::ItemReplace(id, old) => {
                    self.cat.items_version.renew();
                    self.cat.items[id.ix()] = old;
                }
                Undo::LocPush => {
                    if let Some(l) = self.cat.locs.pop() {
                        self.cat.loc_ix.remove(&l.code);
                    }
                    tree_changed = true;
                }
                Undo::LocReplace(id, old) => {
                    if days_stale {
                        self.cat.locs[id.ix()] = *old;
                    } else {
                        // The tree at once, so that the moves undone next
                        // are taken from the days they were counted on.
                        let keys = crate::demand_days::location_keys(&self.cat, |_| true);
                        self.cat.locs[id.ix()] = *old;
                        self.cat.reindex_tree();
                        days_stale = crate::demand_days::location_keys(&self.cat, |_| true) != keys;
                    }
                    tree_changed = true;
                }
                Undo::LotPush => {
                    if let Some(l) = self.cat.lots.pop() {
                        self.cat.lot_ix.remove(&(l.item, l.code));
                    }
                }
                Undo::LotStatus(id, s) => {
                    self.cat.lots[id.ix()].status = s;
                    self.retotal(self.cat.lots[id.ix()].item);
                }
                Undo::MovePush => {
                    let last = self.moves.len().checked_sub(1).map(|i| self.moves[i]);
                    if let (Some(m), false) = (last, days_stale) {
                        self.count_days(&m, false);
                    }
                    self.moves.pop();
                }
                Undo::MoveReversed(i) => {
                    self.moves.set_reversed(i, false);
                    if !days_stale {
                        let m = self.moves[i];
                        self.count_days(&m, true);
                    }
                }
                Undo::ResPush => {
                    if let Some(r) = self.res.pop() {
                        self.res_ix.remove(&r.code);
                    }
                }
                Undo::ResReplace(id, old) => self.res[id.ix()] = old,
                Undo::ActiveAdd(item) => {
                    Arc::make_mut(&mut self.stock[item.ix()]).active.pop();
                }
                Undo::ActiveRemove(item, pos, id) => Arc::make_mut(&mut self.stock[item.ix()]).active.insert(pos, id),
                Undo::DemandInsert(item, k) => {
                    Arc::make_mut(&mut self.stock[item.ix()]).demand.remove(&k);
                }
                Undo::DemandRemove(item, k) => {
                    Arc::make_mut(&mut self.stock[item.ix()]).demand.insert(k);
                }
                Undo::ExpiryInsert(k) => {
                    self.expiries.remove(&k);
                }
                Undo::ExpiryRemove(k) => {
                    self.expiries.insert(k);
                }
                Undo::LotExpiryInsert(k) => {
                    self.lot_expiries.remove(&k);
                }
                Undo::LotExpiryRemove(k) => {
                    self.lot_expiries.insert(k);
                }
                Undo::ReceiptPush => {
                    if let Some(r) = self.receipts.pop() {
                        self.receipt_ix.remove(&r.code);
                        Arc::make_mut(&mut self.stock[r.item.ix()]).receipts.pop();
                    }
                }
                Undo::ReceiptOpen(i, old) => self.receipts[i as usize].open = old,
                Undo::KeyInsert(k) => {
                    self.keys.remove(&k);
                }
                Undo::FlagInsert(k) => {
                    self.count_flags.remove(&k);
                }
                Undo::FlagRemove(k) => {
                    self.count_flags.insert(k);
                }
                Undo::Doc(u) => u.run(&mut self.ops),
            }
        }
        if tree_changed {
            self.cat.reindex_tree();
            self.retotal_all();
        }
        if days_stale {
            self.rebuild_days();
        }
        self.now = m.now;
        self.seq = m.seq;
        self.journal_digest = m.digest;
    }

    // ---- primitives ----

    /// Changes a bucket's on-hand and reserved by the given deltas.
    /// Execution checks its quantities before the point of no failure; the
    /// check here guards replayed envelopes and snapshots from elsewhere,
    /// whose arithmetic must never wrap.
    pub(crate) fn bucket_delta(
        &mut self,
        item: ItemId,
        loc: LocId,
        lot: LotId,
        d_on: Minor,
        d_res: Minor,
    ) -> Result<(), crate::Error> {
        // A public engine keeps no virtual side (`edge::public`).
        if self.opening.is_some() && !self.cat.loc(loc).is_internal() {
            return Ok(());
        }
        let s = Arc::make_mut(&mut self.stock[item.ix()]);
        let (i, created) = match s.find(loc, lot) {
            Ok(i) => (i, false),
            Err(i) => {
                s.buckets.insert(i, Bucket { loc, lot, on_hand: 0, reserved: 0 });
                (i, true)
            }
        };
        let b = &mut s.buckets[i];
        let (Some(on), Some(res)) = (b.on_hand.checked_add(d_on), b.reserved.checked_add(d_res)) else {
            if b.on_hand == 0 && b.reserved == 0 {
                s.buckets.remove(i);
            }
            return Err(crate::Error::QuantityOverflow);
        };
        // A bucket counts in the totals while it exists.
        if !created {
            s.totals.count(&self.cat, b, -1);
        }
        b.on_hand = on;
        b.reserved = res;
        let removed = b.on_hand == 0 && b.reserved == 0;
        if !removed {
            s.totals.count(&self.cat, b, 1);
        }
        if removed {
            s.buckets.remove(i);
        }
        if created != removed {
            self.sync_bin_item(item, loc);
        }
        self.undo.push(Undo::Bucket { item, loc, lot, d_on, d_res });
        self.touched.push((item, loc));
        Ok(())
    }

    /// Room for `n` more items (a restore knows how many come).
    pub(crate) fn reserve_items(&mut self, n: usize) {
        self.cat.items.reserve(n);
        self.cat.item_ix.reserve(n);
        self.stock.reserve(n);
    }

    pub(crate) fn push_item(&mut self, item: Item) -> ItemId {
        let id = ItemId(self.cat.items.len() as u32);
        self.cat.item_ix.insert(&item.code, id);
        self.cat.items.push(Arc::new(item));
        self.cat.items_version.renew();
        self.stock.push(Arc::new(ItemStock::default()));
        self.undo.push(Undo::ItemPush);
        id
    }

    pub(crate) fn replace_item(&mut self, id: ItemId, item: Item) {
        let old = std::mem::replace(&mut self.cat.items[id.ix()], Arc::new(item));
        self.cat.items_version.renew();
        self.undo.push(Undo::ItemReplace(id, old));
    }

    pub(crate) fn push_loc(&mut self, loc: Location) -> LocId {
        let id = LocId(self.cat.locs.len() as u32);
        self.cat.loc_ix.insert(&loc.code, id);
        self.cat.locs.push(loc);
        self.cat.reindex_tree();
        self.undo.push(Undo::LocPush);
        // A new location holds no stock: no item's totals change.
        id
    }

    pub(crate) fn replace_loc(&mut self, id: LocId, loc: Location) {
        let keys = crate::demand_days::location_keys(&self.cat, |_| true);
        let old = std::mem::replace(&mut self.cat.locs[id.ix()], loc);
        self.cat.reindex_tree();
        // Its kind or sellable flag may have changed.
        self.retotal_all();
        // So may its kind or its site's offset, which date and class the
        // moves in the items' days.
        if crate::demand_days::location_keys(&self.cat, |_| true) != keys {
            self.rebuild_days();
        }
        self.undo.push(Undo::LocReplace(id, Box::new(old)));
    }

    /// Takes an item's [`crate::ledger::Totals`] afresh (after a flag
    /// they depend on changed); an unchanged item's record is not copied.
    pub(crate) fn retotal(&mut self, item: ItemId) {
        let t = crate::ledger::Totals::of(&self.cat, &self.stock[item.ix()].buckets);
        if self.stock[item.ix()].totals != t {
            Arc::make_mut(&mut self.stock[item.ix()]).totals = t;
        }
    }

    /// [`State::retotal`] for every item (a location changed, a restore).
    pub(crate) fn retotal_all(&mut self) {
        for i in 0..self.stock.len() {
            self.retotal(ItemId(i as u32));
        }
    }

    pub(crate) fn push_lot(&mut self, lot: Lot) -> LotId {
        let id = LotId(self.cat.lots.len() as u32);
        self.cat.lot_ix.insert((lot.item, lot.code.clone()), id);
        self.cat.lots.push(lot);
        self.undo.push(Undo::LotPush);
        id
    }

    pub(crate) fn set_lot_status(&mut self, id: LotId, s: crate::catalog::LotStatus) {
        let old = std::mem::replace(&mut self.cat.lots[id.ix()].status, s);
        self.retotal(self.cat.lots[id.ix()].item);
        self.undo.push(Undo::LotStatus(id, old));
    }

    pub(crate) fn push_move(&mut self, id: u64, m: MoveRec, notes: MoveNotes) {
        self.count_days(&m, true);
        self.moves.push_id(id, m, notes);
        self.undo.push(Undo::MovePush);
    }

    pub(crate) fn mark_reversed(&mut self, ix: usize) {
        let m = self.moves[ix];
        // Already marked (a replayed event may say so twice): nothing
        // changes, and nothing is to undo.
        if m.reversed {
            return;
        }
        // A reversed move is no demand: it leaves its day.
        self.count_days(&m, false);
        self.moves.set_reversed(ix, true);
        self.undo.push(Undo::MoveReversed(ix));
    }

    /// Adds a move to (or takes it from) its item's days, when it is a
    /// shipment or a return (`crate::demand_days`).
    fn count_days(&mut self, m: &MoveRec, add: bool) {
        let Some((day, flow)) = crate::demand_days::effect(&self.cat, m) else { return };
        let qty = if add { Some(m.qty) } else { m.qty.checked_neg() };
        let ok = match (qty, self.stock.get_mut(m.item.ix())) {
            (Some(q), Some(s)) => crate::demand_days::add(&mut Arc::make_mut(s).days, day, flow, q),
            _ => false,
        };
        self.days_overflowed |= !ok;
    }

    /// Recomputes every item's days from the log (a restore, a location
    /// redefined); an item whose days are unchanged is not copied.
    pub(crate) fn rebuild_days(&mut self) {
        let (all, overflowed) = crate::demand_days::of_log(&self.cat, &self.moves, self.stock.len());
        for (s, days) in self.stock.iter_mut().zip(all) {
            if s.days != days {
                Arc::make_mut(s).days = days;
            }
        }
        self.days_overflowed = overflowed;
    }

    pub(crate) fn push_res(&mut self, r: Reservation) -> ResId {
        let id = ResId(self.res.len() as u32);
        self.res_ix.insert(r.code.clone(), id);
        self.res.push(Arc::new(r));
        self.undo.push(Undo::ResPush);
        id
    }

    /// A reservation to change; its old value goes to the undo log.
    pub(crate) fn res_mut(&mut self, id: ResId) -> &mut Reservation {
        let old = Arc::clone(&self.res[id.ix()]);
        self.undo.push(Undo::ResReplace(id, old));
        Arc::make_mut(&mut self.res[id.ix()])
    }

    pub(crate) fn active_add(&mut self, item: ItemId, id: ResId) {
        Arc::make_mut(&mut self.stock[item.ix()]).active.push(id);
        self.undo.push(Undo::ActiveAdd(item));
    }

    pub(crate) fn active_remove(&mut self, item: ItemId, id: ResId) {
        let a = &mut Arc::make_mut(&mut self.stock[item.ix()]).active;
        if let Some(pos) = a.iter().position(|x| *x == id) {
            a.remove(pos);
            self.undo.push(Undo::ActiveRemove(item, pos, id));
        }
    }

    pub(crate) fn demand_insert(&mut self, item: ItemId, k: (i32, Date, Code)) {
        if Arc::make_mut(&mut self.stock[item.ix()]).demand.insert(k.clone()) {
            self.undo.push(Undo::DemandInsert(item, k));
        }
    }

    pub(crate) fn demand_remove(&mut self, item: ItemId, k: (i32, Date, Code)) {
        if self.stock[item.ix()].demand.contains(&k) && Arc::make_mut(&mut self.stock[item.ix()]).demand.remove(&k) {
            self.undo.push(Undo::DemandRemove(item, k));
        }
    }

    pub(crate) fn expiry_insert(&mut self, k: (Millis, Code)) {
        if self.expiries.insert(k.clone()) {
            self.undo.push(Undo::ExpiryInsert(k));
        }
    }

    pub(crate) fn expiry_remove(&mut self, k: (Millis, Code)) {
        if self.expiries.remove(&k) {
            self.undo.push(Undo::ExpiryRemove(k));
        }
    }

    pub(crate) fn lot_expiry_insert(&mut self, k: (Millis, Code, Code)) {
        if self.lot_expiries.insert(k.clone()) {
            self.undo.push(Undo::LotExpiryInsert(k));
        }
    }

    pub(crate) fn lot_expiry_remove(&mut self, k: (Millis, Code, Code)) {
        if self.lot_expiries.remove(&k) {
            self.undo.push(Undo::LotExpiryRemove(k));
        }
    }

    pub(crate) fn push_receipt(&mut self, r: Receipt) {
        let ix = self.receipts.len() as u32;
        self.receipt_ix.insert(r.code.clone(), ix);
        Arc::make_mut(&mut self.stock[r.item.ix()]).receipts.push(ix);
        self.receipts.push(r);
        self.undo.push(Undo::ReceiptPush);
    }

    pub(crate) fn set_receipt_open(&mut self, ix: u32, open: Minor) {
        let old = std::mem::replace(&mut self.receipts[ix as usize].open, open);
        self.undo.push(Undo::ReceiptOpen(ix, old));
    }

    pub(crate) fn key_insert(&mut self, key: Code, rec: KeyRec) {
        self.keys.insert(key.clone(), rec);
        self.undo.push(Undo::KeyInsert(key));
    }

    pub(crate) fn flag_insert(&mut self, k: (Code, Code)) {
        if self.count_flags.insert(k.clone()) {
            self.undo.push(Undo::FlagInsert(k));
        }
    }

    /// Removes a count flag (a count settled the pair); rollback restores it.
    pub(crate) fn flag_remove(&mut self, k: &(Code, Code)) {
        if let Some(k) = self.count_flags.take(k) {
            self.undo.push(Undo::FlagRemove(k));
        }
    }

    /// Brings `bin_items` in line with whether `item` has any bucket at
    /// `loc` (called when a bucket appears or disappears). Buckets are
    /// sorted by (location, lot), so one binary search answers.
    fn sync_bin_item(&mut self, item: ItemId, loc: LocId) {
        if self.cat.loc(loc).kind != crate::catalog::LocationKind::Storage {
            return;
        }
        let s = &self.stock[item.ix()];
        let i = s.find(loc, crate::catalog::NO_LOT).unwrap_or_else(|i| i);
        let present = s.buckets.get(i).is_some_and(|b| b.loc == loc);
        self.bin_items.set(loc, item, present);
    }

    /// Rebuilds `bin_items` from the buckets (after a restore).
    pub(crate) fn rebuild_bin_items(&mut self) {
        self.bin_items.clear();
        for (ix, s) in self.stock.iter().enumerate() {
            let item = ItemId(ix as u32);
            for b in &s.buckets {
                if self.cat.loc(b.loc).kind == crate::catalog::LocationKind::Storage {
                    self.bin_items.set(b.loc, item, true);
                }
            }
        }
    }

    /// Whether this state is a public projection of an authority's
    /// (`Engine::public_snapshot`): it holds opening balances instead of
    /// the move history, and client keys as public tokens.
    pub fn is_public(&self) -> bool {
        self.opening.is_some()
    }

    /// Reservation id by code.
    #[inline]
    pub fn res_id(&self, code: &str) -> Option<ResId> {
        self.res_ix.get(code).copied()
    }

    /// Receipt index by code.
    #[inline]
    pub fn receipt_index(&self, code: &str) -> Option<u32> {
        self.receipt_ix.get(code).copied()
    }
}
