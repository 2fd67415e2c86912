//! The canonical snapshot: a versioned, checksummed binary image of the
//! state, sorted by code so that two engines holding the same facts produce
//! the same bytes whatever order they learned the codes in. Derived data
//! (indexes, reserved totals, queues) is left out and rebuilt on restore.
//! Specified in `docs/binary-format.md`.

use smallvec::SmallVec;

use crate::catalog::{Item, Location, Lot, NO_LOT};
use crate::codec::{self, Reader, Writer, R};
use crate::engine::Engine;
use crate::error::Error;
use crate::ids::{Code, ItemId, LotId};
use crate::ledger::{MoveNotes, MoveRec, Receipt};
use crate::reservation::{Alloc, ResStatus, Reservation};
use crate::state::{KeyRec, State};
use crate::storage::MemoryStorage;
use crate::time::Date;

/// First bytes of every snapshot.
pub const MAGIC: &[u8; 8] = b"IMSSNAP\0";
/// The format version this build writes and reads.
pub const VERSION: u32 = 1;
/// Byte offset of the journal digest in the header (magic, version, now, seq).
pub const JOURNAL_DIGEST_AT: usize = 8 + 4 + 8 + 8;

const S_ITEMS: u8 = 1;
const S_LOCATIONS: u8 = 2;
const S_LOTS: u8 = 3;
const S_BALANCES: u8 = 4;
const S_MOVES: u8 = 5;
const S_RESERVATIONS: u8 = 6;
const S_RECEIPTS: u8 = 7;
const S_KEYS: u8 = 8;
const S_FLAGS: u8 = 9;
const S_OPS: u8 = 10;
/// A sparse move log (a sliced replica's): its floor and each move's id.
const S_MOVE_IDS: u8 = 11;
/// A public projection's opening balances (`edge::public`): the balances
/// its move log starts from. Written even when empty: it marks the state as
/// a public projection.
const S_OPENING: u8 = 12;

fn status_u8(s: ResStatus) -> u8 {
    match s {
        ResStatus::Active => 0,
        ResStatus::Committed => 1,
        ResStatus::Released => 2,
        ResStatus::Expired => 3,
    }
}

fn status_of(b: u8) -> R<ResStatus> {
    Ok(match b {
        0 => ResStatus::Active,
        1 => ResStatus::Committed,
        2 => ResStatus::Released,
        3 => ResStatus::Expired,
        t => return Err(format!("bad reservation status {t}")),
    })
}

/// A balance as written: item, location, lot codes and the quantity.
type BalanceRow<'a> = (&'a str, &'a str, Option<&'a str>, i64);

/// Writes a section: tag, count, records; an empty section is left out.
fn section<T>(out: &mut Vec<u8>, tag: u8, items: &[T], mut put: impl FnMut(&mut Writer<'_>, &T)) {
    if items.is_empty() {
        return;
    }
    let mut w = Writer(out);
    w.u8(tag);
    w.count(items.len());
    for it in items {
        put(&mut w, it);
    }
}

impl State {
    /// The canonical snapshot bytes.
    pub fn encode_snapshot(&self) -> Vec<u8> {
        self.encode_snapshot_of(&|_| true, false)
    }

    /// The snapshot of the items `keep` accepts, for a sliced replica
    /// (`sliced`): their catalog entries, lots, balances, moves (with
    /// their ids: the log becomes sparse), reservations, receipts and count
    /// flags; every location and every client key; no operations documents.
    pub(crate) fn encode_snapshot_of(&self, keep: &dyn Fn(ItemId) -> bool, sliced: bool) -> Vec<u8> {
        self.encode_cut(keep, sliced, false)
    }

    /// The public projection of the items `keep` accepts (`edge::public`):
    /// as a sliced snapshot, but with internal locations only and no
    /// virtual side (a public engine keeps no balance at a virtual
    /// location), no moves (the balances become the opening balances,
    /// section 12), active reservations only, client keys replaced by their
    /// public tokens, and count flags at internal locations only.
    pub(crate) fn encode_public_of(&self, keep: &dyn Fn(ItemId) -> bool) -> Vec<u8> {
        self.encode_cut(keep, true, true)
    }

    fn encode_cut(&self, keep: &dyn Fn(ItemId) -> bool, sliced: bool, public: bool) -> Vec<u8> {
        let cat = &self.cat;
        let mut out = Vec::with_capacity(64 + self.moves.len() * 80 + cat.items.len() * 480);
        out.extend_from_slice(MAGIC);
        {
            let mut w = Writer(&mut out);
            w.u32(VERSION);
            w.i64(self.now);
            w.u64(self.seq);
            w.bytes32(&self.journal_digest);
        }
        let mut items: Vec<&Item> =
            cat.items.iter().enumerate().filter(|(i, _)| keep(ItemId(*i as u32))).map(|(_, i)| &**i).collect();
        items.sort_by(|a, b| a.code.cmp(&b.code));
        section(&mut out, S_ITEMS, &items, |w, it| codec::put_item_spec(w, &it.spec));

        let mut locs: Vec<&Location> =
            cat.locs.iter().filter(|l| !l.is_builtin() && (!public || l.is_internal())).collect();
        locs.sort_by(|a, b| a.code.cmp(&b.code));
        section(&mut out, S_LOCATIONS, &locs, |w, l| {
            let spec = crate::command::LocationSpec {
                location: l.code.to_string(),
                parent: l.parent.map(|p| cat.loc(p).code.to_string()),
                kind: l.kind,
                sellable: l.sellable_spec,
                walk_seq: l.walk_seq,
                utc_offset_minutes: l.utc_offset_min,
                inbound_days: l.inbound_days,
            };
            codec::put_loc_spec(w, &spec);
        });

        let mut lots: Vec<&Lot> = cat.lots.iter().skip(1).filter(|l| keep(l.item)).collect();
        lots.sort_by(|a, b| (&cat.item(a.item).code, &a.code).cmp(&(&cat.item(b.item).code, &b.code)));
        section(&mut out, S_LOTS, &lots, |w, l| {
            w.str(&cat.item(l.item).code);
            w.str(&l.code);
            w.opt_date(l.expiry);
            w.i32(l.received.0);
            w.u8(codec::status_u8(l.status));
        });

        // Items in code order, each item's few buckets sorted on their own:
        // the same order as one global sort, at a fraction of its cost.
        let mut by_code: Vec<usize> = (0..cat.items.len()).filter(|i| keep(ItemId(*i as u32))).collect();
        by_code.sort_by(|a, b| cat.items[*a].code.cmp(&cat.items[*b].code));
        let mut bals: Vec<BalanceRow<'_>> = Vec::new();
        for i in by_code {
            let ic = &*cat.items[i].code;
            let start = bals.len();
            let internal_only = |b: &&crate::ledger::Bucket| !public || cat.loc(b.loc).is_internal();
            for b in self.stock[i].buckets.iter().filter(|b| b.on_hand != 0).filter(internal_only) {
                let lot = (b.lot != crate::catalog::NO_LOT).then(|| &*cat.lot(b.lot).code);
                bals.push((ic, &*cat.loc(b.loc).code, lot, b.on_hand));
            }
            bals[start..].sort_unstable();
        }
        section(&mut out, S_BALANCES, &bals, |w, b| {
            w.str(b.0);
            w.str(b.1);
            w.opt_str(b.2);
            w.i64(b.3);
        });

        let mut move_ids: Vec<u64> = Vec::new();
        let moves: Vec<(&MoveRec, &MoveNotes)> = if public {
            Vec::new()
        } else {
            let all = self.moves.iter().enumerate().map(|(ix, m)| (ix, m, self.moves.notes(ix)));
            if sliced || self.moves.is_sparse() {
                let kept: Vec<_> = all.filter(|(_, m, _)| keep(m.item)).collect();
                move_ids = kept.iter().map(|(ix, _, _)| self.moves.id_at(*ix)).collect();
                kept.into_iter().map(|(_, m, n)| (m, n)).collect()
            } else {
                all.map(|(_, m, n)| (m, n)).collect()
            }
        };
        section(&mut out, S_MOVES, &moves, |w, (m, notes)| {
            w.str(&cat.item(m.item).code);
            w.opt_str(cat.lot_code(m.lot).as_deref());
            w.i64(m.qty);
            w.str(&cat.loc(m.from).code);
            w.str(&cat.loc(m.to).code);
            w.u8(codec::reason_u8(m.reason));
            w.opt_str(notes.reservation.as_deref());
            w.opt_i64(notes.reverses.map(|v| v as i64));
            w.bool(m.reversed);
            w.opt_str(notes.reference.as_deref());
            w.i64(m.occurred_at);
        });

        let mut res: Vec<&Reservation> = self
            .res
            .iter()
            .map(|r| &**r)
            .filter(|r| keep(r.item) && (!public || r.status == ResStatus::Active))
            .collect();
        res.sort_by(|a, b| a.code.cmp(&b.code));
        section(&mut out, S_RESERVATIONS, &res, |w, r| {
            w.str(&r.code);
            w.str(&cat.item(r.item).code);
            w.i64(r.qty);
            match public {
                true => codec::put_scope(w, &public_scope(cat, &r.scope_spec)),
                false => codec::put_scope(w, &r.scope_spec),
            }
            w.opt_str(r.channel.as_deref());
            w.opt_i64(r.expires_at);
            w.u8(codec::strategy_u8(r.strategy));
            w.u32(r.min_shelf_life_days);
            w.u8(codec::fill_u8(r.fill));
            w.i32(r.need_date.0);
            w.i32(r.priority);
            w.i64(r.committed);
            w.i64(r.open_demand);
            w.i64(r.shorted);
            w.u8(status_u8(r.status));
            // Allocation order is state: a commit consumes in this order.
            w.count(r.allocs.len());
            for a in &r.allocs {
                w.str(&cat.loc(a.loc).code);
                w.opt_str(cat.lot_code(a.lot).as_deref());
                w.i64(a.qty);
            }
        });

        let mut rcpts: Vec<&Receipt> = self.receipts.iter().filter(|r| keep(r.item)).collect();
        rcpts.sort_by(|a, b| a.code.cmp(&b.code));
        section(&mut out, S_RECEIPTS, &rcpts, |w, r| {
            w.str(&r.code);
            w.str(&cat.item(r.item).code);
            w.str(&cat.loc(r.loc).code);
            w.i64(r.qty);
            w.i64(r.open);
            w.i32(r.expected.0);
        });

        let put_key = |w: &mut Writer<'_>, (k, r): &(&str, KeyRec)| {
            w.str(k);
            w.bytes32(&r.hash);
            w.u64(r.seq);
        };
        if public {
            // Each key as its public token (`state::public_key_token`); a
            // public state's tokens stay as they are.
            let mut tokens: Vec<(String, KeyRec)> = self
                .keys
                .iter()
                .map(|(k, r)| match self.is_public() && crate::state::is_public_token(k) {
                    true => (k.to_string(), *r),
                    false => {
                        let (t, hash) = crate::state::public_key_token(k, &r.hash);
                        (t, KeyRec { hash, seq: r.seq })
                    }
                })
                .collect();
            tokens.sort_by(|a, b| a.0.cmp(&b.0));
            let keys: Vec<(&str, KeyRec)> = tokens.iter().map(|(t, r)| (t.as_str(), *r)).collect();
            section(&mut out, S_KEYS, &keys, put_key);
        } else {
            let mut keys: Vec<(&str, KeyRec)> = self.keys.iter().map(|(k, r)| (&**k, *r)).collect();
            keys.sort_by(|a, b| a.0.cmp(b.0));
            section(&mut out, S_KEYS, &keys, put_key);
        }

        let flags: Vec<&(Code, Code)> = self
            .count_flags
            .iter()
            .filter(|(i, _)| cat.item_id(i).is_some_and(keep))
            .filter(|(_, l)| !public || cat.loc_id(l).is_some_and(|l| cat.loc(l).is_internal()))
            .collect();
        section(&mut out, S_FLAGS, &flags, |w, (i, l)| {
            w.str(i);
            w.str(l);
        });

        if !sliced {
            let flows = self.ops.encode_flows();
            section(&mut out, S_OPS, &flows, |w, (flow, json)| {
                w.u8(*flow);
                w.str(json);
            });
        }

        if sliced || self.moves.is_sparse() {
            // Written even when empty: it is what makes the log sparse. A
            // public cut keeps no move: the next one the authority posts
            // is its floor.
            let floor = match public {
                true => self.moves.next_id(),
                false => self.moves.floor().unwrap_or_else(|| self.moves.next_id()),
            };
            let mut w = Writer(&mut out);
            w.u8(S_MOVE_IDS);
            w.count(move_ids.len());
            w.u64(floor);
            for id in &move_ids {
                w.u64(*id);
            }
        }

        // Written even when empty: it marks a public projection.
        let opening: Option<Vec<BalanceRow<'_>>> = match (public, &self.opening) {
            (true, _) => Some(bals),
            (false, Some(o)) => {
                let mut v: Vec<_> = o
                    .iter()
                    .filter(|((i, _, _), _)| keep(*i))
                    .map(|((i, l, lot), q)| {
                        let lot = (*lot != crate::catalog::NO_LOT).then(|| &*cat.lot(*lot).code);
                        (&*cat.item(*i).code, &*cat.loc(*l).code, lot, *q)
                    })
                    .collect();
                v.sort_unstable();
                Some(v)
            }
            (false, None) => None,
        };
        if let Some(rows) = opening {
            let mut w = Writer(&mut out);
            w.u8(S_OPENING);
            w.count(rows.len());
            for (item, loc, lot, q) in rows {
                w.str(item);
                w.str(loc);
                w.opt_str(lot);
                w.i64(q);
            }
        }

        let sum = blake3::hash(&out);
        out.extend_from_slice(sum.as_bytes());
        out
    }

    /// Rebuilds a state from canonical snapshot bytes.
    pub fn decode_snapshot(bytes: &[u8]) -> Result<State, Error> {
        decode(bytes).map_err(|reason| Error::InvalidSnapshot { reason })
    }
}

fn decode(bytes: &[u8]) -> R<State> {
    if bytes.len() < MAGIC.len() + 4 + 8 + 8 + 32 + 32 {
        return Err("too short".into());
    }
    let (body, sum) = bytes.split_at(bytes.len() - 32);
    if blake3::hash(body).as_bytes() != sum {
        return Err("checksum mismatch".into());
    }
    if &body[..8] != MAGIC {
        return Err("not an ims snapshot (bad magic)".into());
    }
    let mut r = Reader::new(&body[8..]);
    let version = r.u32()?;
    if version != VERSION {
        return Err(format!("format version {version}; this build reads {VERSION}"));
    }
    let mut st = State::new();
    st.now = r.i64()?;
    st.seq = r.u64()?;
    st.journal_digest = r.bytes32()?;
    let mut last_tag = 0u8;
    // Rows come sorted or in runs (a balance section is grouped by item, a
    // receipt's moves share their locations): remembering the last lookup
    // skips most hash probes.
    let mut items = LastHit::<ItemId> { last: None, order: Vec::new() };
    let mut locs = LastHit::<crate::ids::LocId> { last: None, order: Vec::new() };
    let mut pending_locs = Vec::new();
    while r.remaining() > 0 {
        let tag = r.u8()?;
        if tag <= last_tag {
            return Err(format!("section {tag} out of order"));
        }
        last_tag = tag;
        let n = r.count(4)?;
        match tag {
            S_ITEMS => {
                st.reserve_items(n);
                items.order.reserve(n);
                for _ in 0..n {
                    // Written in code order: an item that does not follow
                    // the last is a duplicate (or the bytes are not ours).
                    let code = r.clone().str_ref()?;
                    if items.order.last().is_some_and(|last| *last >= code) {
                        return Err(format!("item {code} out of order or duplicated"));
                    }
                    items.order.push(code);
                    st.push_item(Item::from_spec(codec::get_item_spec(&mut r)?));
                }
            }
            S_LOCATIONS => {
                for _ in 0..n {
                    pending_locs.push(codec::get_loc_spec(&mut r)?);
                }
                add_locations(&mut st, pending_locs.split_off(0))?;
            }
            S_LOTS => {
                for _ in 0..n {
                    let item = find_item(&st, r.str_ref()?)?;
                    let code = r.code()?;
                    let expiry = r.opt_date()?;
                    let received = Date(r.i32()?);
                    let status = codec::status_of(r.u8()?)?;
                    if st.cat.lot_id(item, &code).is_some() {
                        return Err(format!("duplicate lot {code}"));
                    }
                    st.push_lot(Lot { item, code, expiry, received, status });
                }
            }
            S_BALANCES => {
                for _ in 0..n {
                    let item = items.get(&st, r.str_ref()?)?;
                    let loc = locs.get(&st, r.str_ref()?)?;
                    let lot = find_lot(&st, item, r.opt_str_ref()?)?;
                    let q = r.i64()?;
                    if q == 0 {
                        return Err("zero balance".into());
                    }
                    // Direct insert: a restore needs no undo log.
                    let s = std::sync::Arc::make_mut(&mut st.stock[item.ix()]);
                    match s.find(loc, lot) {
                        Ok(_) => return Err("duplicate balance".into()),
                        Err(i) => s.buckets.insert(i, crate::ledger::Bucket { loc, lot, on_hand: q, reserved: 0 }),
                    }
                }
            }
            S_MOVES => {
                for _ in 0..n {
                    let item = items.get(&st, r.str_ref()?)?;
                    let lot = find_lot(&st, item, r.opt_str_ref()?)?;
                    let qty = r.i64()?;
                    // As posting refuses it: the demand days and the
                    // classes' sums rely on it.
                    if qty <= 0 {
                        return Err(format!("move quantity {qty} not positive"));
                    }
                    let from = locs.get(&st, r.str_ref()?)?;
                    let to = locs.get(&st, r.str_ref()?)?;
                    let reason = codec::reason_of(r.u8()?)?;
                    let (reservation, reverses) = (r.opt_code()?, r.opt_i64()?.map(|v| v as u64));
                    let reversed = r.bool()?;
                    let notes = MoveNotes { reservation, reverses, reference: r.opt_code()? };
                    let m = MoveRec { item, lot, qty, from, to, occurred_at: r.i64()?, reason, reversed, notes: 0 };
                    st.moves.push(m, notes);
                }
            }
            S_RESERVATIONS => {
                for _ in 0..n {
                    read_reservation(&mut st, &mut r)?;
                }
            }
            S_RECEIPTS => {
                for _ in 0..n {
                    let code = r.code()?;
                    let item = find_item(&st, r.str_ref()?)?;
                    let loc = find_loc(&st, r.str_ref()?)?;
                    let (qty, open, expected) = (r.i64()?, r.i64()?, Date(r.i32()?));
                    if st.receipt_index(&code).is_some() {
                        return Err(format!("duplicate receipt {code}"));
                    }
                    st.push_receipt(Receipt { code, item, loc, qty, open, expected });
                }
            }
            S_KEYS => {
                for _ in 0..n {
                    let k: Code = r.string()?.into();
                    let hash = r.bytes32()?;
                    let seq = r.u64()?;
                    st.keys.insert(k, KeyRec { hash, seq });
                }
            }
            S_FLAGS => {
                for _ in 0..n {
                    st.count_flags.insert((r.code()?, r.code()?));
                }
            }
            S_OPS => {
                for _ in 0..n {
                    let flow = r.u8()?;
                    st.ops.decode_flow(flow, r.str_ref()?)?;
                }
            }
            S_MOVE_IDS => {
                let floor = r.u64()?;
                let mut ids = Vec::with_capacity(n);
                for _ in 0..n {
                    ids.push(r.u64()?);
                }
                st.moves.make_sparse(ids, floor)?;
            }
            S_OPENING => {
                let mut rows = Vec::with_capacity(n);
                for _ in 0..n {
                    let item = items.get(&st, r.str_ref()?)?;
                    let loc = locs.get(&st, r.str_ref()?)?;
                    let lot = find_lot(&st, item, r.opt_str_ref()?)?;
                    let q = r.i64()?;
                    if q == 0 {
                        return Err("zero opening balance".into());
                    }
                    rows.push(((item, loc, lot), q));
                }
                // Sorted by ids (nearly so already: items in code order),
                // then built in bulk rather than inserted row by row.
                rows.sort_unstable_by_key(|(k, _)| *k);
                if rows.windows(2).any(|w| w[0].0 == w[1].0) {
                    return Err("duplicate opening balance".into());
                }
                st.opening = Some(std::sync::Arc::new(rows.into_iter().collect()));
            }
            t => return Err(format!("unknown section {t}")),
        }
    }
    if st.opening.is_some() {
        strip_virtual_side(&mut st);
    }
    // Derived: lot expiry queue.
    for l in st.cat.lots.iter().skip(1) {
        if let Some(e) = l.expiry {
            st.lot_expiries.insert((e.plus(1).start_ms(840), st.cat.item(l.item).code.clone(), l.code.clone()));
        }
    }
    let allocated: Vec<_> = st
        .res
        .iter()
        .filter(|r| r.status == ResStatus::Active)
        .flat_map(|r| r.allocs.iter().map(move |a| (r.item, a.loc, a.lot)))
        .collect();
    for (item, loc, lot) in allocated {
        st.watch_lot_expiry(item, loc, lot);
    }
    st.rebuild_bin_items();
    st.rebuild_days();
    st.retotal_all();
    st.settle();
    st.touched.clear();
    Ok(st)
}

/// A public engine keeps no balance at a virtual location (`edge::public`,
/// "What is private"). Public snapshots written before that rule carried
/// the virtual side collapsed into `@adjustment`, as a balance and an
/// opening balance: dropped here, so they restore as today's do.
fn strip_virtual_side(st: &mut State) {
    let cat = &st.cat;
    for s in st.stock.iter_mut() {
        if s.buckets.iter().any(|b| !cat.loc(b.loc).is_internal()) {
            std::sync::Arc::make_mut(s).buckets.retain(|b| cat.loc(b.loc).is_internal());
        }
    }
    if let Some(o) = st.opening.as_mut() {
        if o.keys().any(|(_, l, _)| !cat.loc(*l).is_internal()) {
            std::sync::Arc::make_mut(o).retain(|(_, l, _), _| cat.loc(*l).is_internal());
        }
    }
}

/// A location's code in a public projection: an internal or built-in
/// location's own, any other virtual location's (whose code may name a
/// supplier or a customer) the built-in location of its kind. Virtual
/// locations never enter a sum, so a scope or a move means the same.
pub(crate) fn public_location(cat: &crate::catalog::Catalog, code: &Code) -> Code {
    let Some(l) = cat.loc_id(code) else { return code.clone() };
    let loc = cat.loc(l);
    if loc.is_internal() || loc.is_builtin() {
        return code.clone();
    }
    crate::catalog::BUILTIN_LOCATIONS
        .iter()
        .find(|(_, k)| *k == loc.kind)
        .map_or_else(|| code.clone(), |(c, _)| Code::from(*c))
}

/// A scope in a public projection: its virtual locations as
/// [`public_location`] names them.
pub(crate) fn public_scope(cat: &crate::catalog::Catalog, scope: &crate::command::Scope) -> crate::command::Scope {
    use crate::command::Scope;
    let name = |c: &String| public_location(cat, &Code::from(c.as_str())).to_string();
    match scope {
        Scope::All => Scope::All,
        Scope::Subtree(c) => Scope::Subtree(name(c)),
        Scope::List(v) => Scope::List(v.iter().map(name).collect()),
    }
}

/// The last code looked up and its id.
struct LastHit<'a, T> {
    last: Option<(&'a str, T)>,
    /// The codes by id, as read from the snapshot, when ids follow the
    /// code order the later sections are written in (items; locations are
    /// numbered parents first). Read here, in the snapshot's own bytes, a
    /// code is compared without reading the item's record.
    order: Vec<&'a str>,
}

trait Lookup: Copy {
    fn find(st: &State, c: &str) -> R<Self>;
    fn ix(self) -> usize;
    fn at(ix: usize) -> Self;
}

impl Lookup for ItemId {
    fn find(st: &State, c: &str) -> R<Self> {
        find_item(st, c)
    }
    fn ix(self) -> usize {
        ItemId::ix(self)
    }
    fn at(ix: usize) -> Self {
        ItemId(ix as u32)
    }
}

impl Lookup for crate::ids::LocId {
    fn find(st: &State, c: &str) -> R<Self> {
        find_loc(st, c)
    }
    fn ix(self) -> usize {
        crate::ids::LocId::ix(self)
    }
    fn at(ix: usize) -> Self {
        crate::ids::LocId(ix as u32)
    }
}

impl<'a, T: Lookup> LastHit<'a, T> {
    fn get(&mut self, st: &State, c: &'a str) -> R<T> {
        if let Some((code, id)) = self.last {
            if code == c {
                return Ok(id);
            }
            // Items are numbered in the code order the sections are
            // written in, so a new item is nearly always the next id: one
            // comparison instead of hashing the code and probing the index
            // (≈ a third of a public snapshot's restore, in the browser).
            if self.order.get(id.ix() + 1) == Some(&c) {
                let next = T::at(id.ix() + 1);
                self.last = Some((c, next));
                return Ok(next);
            }
        }
        let id = T::find(st, c)?;
        self.last = Some((c, id));
        Ok(id)
    }
}

fn find_item(st: &State, c: &str) -> R<ItemId> {
    st.cat.item_id(c).ok_or_else(|| format!("unknown item {c}"))
}
fn find_loc(st: &State, c: &str) -> R<crate::ids::LocId> {
    st.cat.loc_id(c).ok_or_else(|| format!("unknown location {c}"))
}
fn find_lot(st: &State, item: ItemId, c: Option<&str>) -> R<LotId> {
    match c {
        None => Ok(NO_LOT),
        Some(c) => st.cat.lot_id(item, c).ok_or_else(|| format!("unknown lot {c}")),
    }
}

/// Adds locations parents-first (the section is sorted by code, not depth).
fn add_locations(st: &mut State, mut specs: Vec<crate::command::LocationSpec>) -> R<()> {
    while !specs.is_empty() {
        let before = specs.len();
        let mut rest = Vec::new();
        for s in specs {
            if st.cat.loc_id(&s.location).is_some() {
                return Err(format!("duplicate location {}", s.location));
            }
            let parent = match &s.parent {
                None => None,
                Some(p) => match st.cat.loc_id(p) {
                    Some(id) => Some(id),
                    None => {
                        rest.push(s);
                        continue;
                    }
                },
            };
            let loc = Location::new(
                s.location.as_str().into(),
                parent,
                s.kind,
                s.sellable,
                s.walk_seq,
                s.utc_offset_minutes,
                s.inbound_days,
            );
            let id = crate::ids::LocId(st.cat.locs.len() as u32);
            st.cat.loc_ix.insert(&loc.code, id);
            st.cat.locs.push(loc);
        }
        if rest.len() == before {
            return Err("location tree has a cycle or a missing parent".into());
        }
        specs = rest;
    }
    st.cat.reindex_tree();
    Ok(())
}

fn read_reservation(st: &mut State, r: &mut Reader<'_>) -> R<()> {
    let code = r.code()?;
    let item = find_item(st, r.str_ref()?)?;
    let qty = r.i64()?;
    let scope_spec = codec::get_scope(r)?;
    let scope = st.scope_ids(&scope_spec).map_err(|e| e.to_string())?;
    let channel = r.opt_code()?;
    let expires_at = r.opt_i64()?;
    let strategy = codec::strategy_of(r.u8()?)?;
    let min_shelf_life_days = r.u32()?;
    let fill = codec::fill_of(r.u8()?)?;
    let need_date = Date(r.i32()?);
    let priority = r.i32()?;
    let committed = r.i64()?;
    let open_demand = r.i64()?;
    let shorted = r.i64()?;
    let status = status_of(r.u8()?)?;
    let n = r.count(13)?;
    let mut allocs: SmallVec<[Alloc; 2]> = SmallVec::new();
    for _ in 0..n {
        let loc = find_loc(st, r.str_ref()?)?;
        let lot = find_lot(st, item, r.opt_str_ref()?)?;
        let q = r.i64()?;
        if q <= 0 {
            return Err("non-positive allocation".into());
        }
        allocs.push(Alloc { loc, lot, qty: q });
    }
    if st.res_id(&code).is_some() {
        return Err(format!("duplicate reservation {code}"));
    }
    for a in &allocs {
        // The reserved total of a bucket is a sum over reservations: it must
        // fit 64 bits like every quantity the engine keeps.
        let reserved = st.stock[item.ix()].get(a.loc, a.lot).map_or(0, |b| b.reserved);
        if reserved.checked_add(a.qty).is_none() {
            return Err("reserved quantity overflows".into());
        }
        st.bucket_delta(item, a.loc, a.lot, 0, a.qty).map_err(|e| e.to_string())?;
    }
    let rid = st.push_res(Reservation {
        code: code.clone(),
        item,
        qty,
        scope,
        scope_spec: std::sync::Arc::new(scope_spec),
        channel,
        expires_at,
        strategy,
        min_shelf_life_days,
        fill,
        need_date,
        priority,
        allocs,
        committed,
        open_demand,
        shorted,
        status,
    });
    if status == ResStatus::Active {
        std::sync::Arc::make_mut(&mut st.stock[item.ix()]).active.push(rid);
        if let Some(e) = expires_at {
            st.expiries.insert((e, code.clone()));
        }
        if open_demand > 0 {
            std::sync::Arc::make_mut(&mut st.stock[item.ix()]).demand.insert((priority, need_date, code));
        }
    }
    Ok(())
}

impl Engine {
    /// The canonical snapshot of the whole state.
    pub fn snapshot(&self) -> Vec<u8> {
        self.st.encode_snapshot()
    }

    /// An engine restored from a snapshot, on a fresh [`MemoryStorage`].
    /// Arbitrary bytes give an `INVALID_SNAPSHOT` error, never a panic.
    pub fn restore(bytes: &[u8]) -> Result<Engine, Error> {
        let st = State::decode_snapshot(bytes)?;
        Ok(Engine::from_state(st, Box::new(MemoryStorage::default())))
    }
}
