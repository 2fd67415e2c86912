//! The ledger: balances per (item, location, lot) and the posted moves that
//! are the only way they change.

use crate::catalog::Catalog;
use crate::event::MoveReason;
use crate::ids::{Code, ItemId, LocId, LotId, ResId};
use crate::qty::Minor;
use crate::time::{Date, Millis};

/// On hand and reserved in one (location, lot) bucket of an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bucket {
    /// Location.
    pub loc: LocId,
    /// Lot ([`crate::catalog::NO_LOT`] for untracked stock).
    pub lot: LotId,
    /// Balance. May be negative after a fact (a sale of unrecorded stock).
    pub on_hand: Minor,
    /// Sum of live allocations on this bucket.
    pub reserved: Minor,
}

impl Bucket {
    /// On hand not held by any reservation (may be negative). Saturates:
    /// the engine never lets a bucket get there, but a restored snapshot
    /// may pair a hugely negative balance with an allocation.
    #[inline]
    pub fn free(&self) -> Minor {
        self.on_hand.saturating_sub(self.reserved)
    }
}

/// Sums over an item's buckets in internal locations, kept as the buckets
/// change, so that a question about a scope holding every internal
/// location (`*`, the site of a one-site shop) reads five numbers instead
/// of the buckets. Only buckets of undated lots count as sellable here: a
/// dated lot's sellability depends on the day and the shelf life asked, so
/// while the item has one in stock (`dated`), such questions read the
/// buckets. Sellability also depends on location and lot flags: when one
/// changes, the sums are taken again (`State::retotal`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// On hand.
    pub on_hand: i128,
    /// Reserved.
    pub reserved: i128,
    /// On hand in sellable buckets of undated lots.
    pub sellable: i128,
    /// Their free stock (on hand less reserved, each bucket's own).
    pub free: i128,
    /// Buckets of dated lots.
    pub dated: u32,
}

impl Totals {
    /// Adds one bucket's part (`sign` 1) or takes it away (−1).
    #[inline]
    pub(crate) fn count(&mut self, cat: &Catalog, b: &Bucket, sign: i8) {
        let l = cat.loc(b.loc);
        if !l.is_internal() {
            return;
        }
        // Adds and subtracts, no multiply by the sign: an `i128` product is
        // a library call in WebAssembly.
        let lot = cat.lot(b.lot);
        // The sellable rule itself; for an undated lot it reads neither
        // the clock nor the shelf life, so none is given.
        let sellable = lot.expiry.is_none() && crate::reservation::bucket_sellable(cat, 0, b.loc, b.lot, || 0);
        let (on, res, free) = (b.on_hand as i128, b.reserved as i128, b.free() as i128);
        if sign > 0 {
            self.on_hand += on;
            self.reserved += res;
            if sellable {
                self.sellable += on;
                self.free += free;
            }
        } else {
            self.on_hand -= on;
            self.reserved -= res;
            if sellable {
                self.sellable -= on;
                self.free -= free;
            }
        }
        if lot.expiry.is_some() {
            self.dated = self.dated.wrapping_add_signed(i32::from(sign));
        }
    }

    /// The sums of `buckets`, taken afresh.
    pub(crate) fn of(cat: &Catalog, buckets: &[Bucket]) -> Totals {
        let mut t = Totals::default();
        for b in buckets {
            t.count(cat, b, 1);
        }
        t
    }
}

/// Everything the engine keeps per item besides its catalog entry.
#[derive(Clone, Debug, Default)]
pub struct ItemStock {
    /// The buckets' sums (see [`Totals`]).
    pub totals: Totals,
    /// Buckets sorted by (location id, lot id); virtual locations included,
    /// so that every item's balances sum to zero (double entry). Most
    /// items of a shop hold stock in one place, so two buckets (that place
    /// and where the stock came from) are kept inline: a question about
    /// such an item reads no second allocation.
    pub buckets: smallvec::SmallVec<[Bucket; 2]>,
    /// Reservations of this item that are still active, in creation order.
    pub active: Vec<ResId>,
    /// Active reservations with open demand, in service order
    /// (priority, need date, id).
    pub demand: std::collections::BTreeSet<(i32, Date, Code)>,
    /// Scheduled receipts of this item (open or closed), by index.
    pub receipts: Vec<u32>,
    /// Derived: shipped and returned per local day (see
    /// `crate::demand_days`).
    pub(crate) days: Vec<crate::demand_days::DayDemand>,
}

impl ItemStock {
    /// Position of a bucket, or where it would be inserted.
    #[inline]
    pub fn find(&self, loc: LocId, lot: LotId) -> Result<usize, usize> {
        self.buckets.binary_search_by(|b| (b.loc, b.lot).cmp(&(loc, lot)))
    }
    /// A bucket by key.
    #[inline]
    pub fn get(&self, loc: LocId, lot: LotId) -> Option<&Bucket> {
        self.find(loc, lot).ok().map(|i| &self.buckets[i])
    }
}

/// A posted move, as the log keeps it: the fields every pass over the log
/// reads, in 40 bytes. The codes a move may carry (a reservation, a host
/// reference) and the move it mirrors are rare on most moves and read by few
/// questions, so they live beside the record in its chunk of the log
/// ([`MoveNotes`], found through [`MoveLog::notes`]): a pass over millions
/// of moves streams half the bytes it would with them inline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MoveRec {
    /// Item.
    pub item: ItemId,
    /// Lot.
    pub lot: LotId,
    /// Quantity (positive).
    pub qty: Minor,
    /// Source.
    pub from: LocId,
    /// Destination.
    pub to: LocId,
    /// When it happened.
    pub occurred_at: Millis,
    /// Why.
    pub reason: MoveReason,
    /// Whether a later move mirrors this one.
    pub reversed: bool,
    /// 1 + the position of the move's notes in its chunk; 0: it has none.
    /// Set by the log when the move is appended.
    pub(crate) notes: u16,
}

impl MoveRec {
    /// Whether the move carries a reservation, a reference or mirrors
    /// another move (its [`MoveNotes`] are not empty).
    #[inline]
    pub fn has_notes(&self) -> bool {
        self.notes != 0
    }
}

/// What a posted move may carry besides its quantities; empty on most.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MoveNotes {
    /// The reservation carried, if any.
    pub reservation: Option<Code>,
    /// The move mirrored by this one.
    pub reverses: Option<u64>,
    /// Host reference.
    pub reference: Option<Code>,
}

impl MoveNotes {
    /// Whether there is nothing to keep.
    pub fn is_empty(&self) -> bool {
        self.reservation.is_none() && self.reverses.is_none() && self.reference.is_none()
    }
}

/// The notes of a move that has none.
static NO_NOTES: MoveNotes = MoveNotes { reservation: None, reverses: None, reference: None };

/// A scheduled receipt: incoming supply on a date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// Id.
    pub code: Code,
    /// Item.
    pub item: ItemId,
    /// Destination.
    pub loc: LocId,
    /// Ordered.
    pub qty: Minor,
    /// Still expected.
    pub open: Minor,
    /// Expected arrival.
    pub expected: Date,
}

/// Moves per chunk of the move log.
const MOVE_CHUNK: usize = 4096;
// A move's notes are found by a 16-bit position in its chunk.
const _: () = assert!(MOVE_CHUNK <= u16::MAX as usize);

/// The posted moves, in chunks shared between forks: a fork copies one
/// pointer per chunk, and the first write to a shared chunk copies that
/// chunk only.
///
/// An engine's log is *dense*: move id n is at position n − 1. A replica
/// that holds a slice of the items holds only their moves: its log is
/// *sparse*, with each move's id beside it and `floor`, the id the
/// authority would give next when the slice was cut.
#[derive(Clone, Debug, Default)]
pub struct MoveLog {
    chunks: Vec<std::sync::Arc<Chunk>>,
    len: usize,
    /// Ids by position, for a sparse log (`None`: dense).
    ids: Option<SparseIds>,
}

/// Up to [`MOVE_CHUNK`] moves and the notes of those that have any.
#[derive(Clone, Debug, Default)]
struct Chunk {
    moves: Vec<MoveRec>,
    notes: Vec<MoveNotes>,
    /// Σ |quantity| of the moves (see [`MoveLog::moved`]).
    moved: u128,
    /// How many of the moves are receipts with notes (see
    /// [`MoveLog::each_noted_receipt`]).
    noted_receipts: u32,
}

/// The ids of a sparse log.
#[derive(Clone, Debug, Default)]
struct SparseIds {
    ids: Vec<u64>,
    floor: u64,
}

impl MoveLog {
    /// Whether the log holds only some items' moves (a sliced replica).
    pub fn is_sparse(&self) -> bool {
        self.ids.is_some()
    }
    /// The id the next move gets.
    pub fn next_id(&self) -> u64 {
        match &self.ids {
            None => self.len as u64 + 1,
            Some(s) => s.ids.last().map_or(s.floor, |l| (l + 1).max(s.floor)),
        }
    }
    /// The id of the move at a position.
    pub fn id_at(&self, ix: usize) -> u64 {
        match &self.ids {
            None => ix as u64 + 1,
            Some(s) => s.ids.get(ix).copied().unwrap_or(0),
        }
    }
    /// The position of a move id, if the log holds it.
    pub fn index_of(&self, id: u64) -> Option<usize> {
        match &self.ids {
            None => id.checked_sub(1).map(|v| v as usize).filter(|i| *i < self.len),
            Some(s) => s.ids.binary_search(&id).ok(),
        }
    }
    /// The sparse log's floor (`None` for a dense log).
    pub fn floor(&self) -> Option<u64> {
        self.ids.as_ref().map(|s| s.floor)
    }
    /// Turns a dense log read from a snapshot into a sparse one with these
    /// ids (one per move, increasing from 1).
    pub(crate) fn make_sparse(&mut self, ids: Vec<u64>, floor: u64) -> Result<(), String> {
        if ids.len() != self.len {
            return Err(format!("{} move ids for {} moves", ids.len(), self.len));
        }
        if ids.first().is_some_and(|f| *f == 0) || ids.windows(2).any(|w| w[0] >= w[1]) {
            return Err("move ids not increasing from 1".into());
        }
        self.ids = Some(SparseIds { ids, floor });
        Ok(())
    }
    /// Appends a move under its id (ids only increase; a dense log takes
    /// exactly `next_id()`, which the callers check).
    pub(crate) fn push_id(&mut self, id: u64, m: MoveRec, notes: MoveNotes) {
        if let Some(s) = &mut self.ids {
            s.ids.push(id);
        }
        self.push(m, notes);
    }
    /// Number of moves.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }
    /// Whether no move was posted.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// Appends a move with its notes.
    pub(crate) fn push(&mut self, mut m: MoveRec, notes: MoveNotes) {
        let c = match self.chunks.last_mut() {
            Some(c) if c.moves.len() < MOVE_CHUNK => std::sync::Arc::make_mut(c),
            _ => {
                self.chunks
                    .push(std::sync::Arc::new(Chunk { moves: Vec::with_capacity(MOVE_CHUNK), ..Chunk::default() }));
                std::sync::Arc::make_mut(self.chunks.last_mut().expect("just pushed"))
            }
        };
        m.notes = 0;
        if !notes.is_empty() {
            c.notes.push(notes);
            // At most MOVE_CHUNK notes per chunk, so the position fits.
            m.notes = c.notes.len() as u16;
        }
        c.moved += u128::from(m.qty.unsigned_abs());
        c.noted_receipts += u32::from(is_noted_receipt(&m));
        c.moves.push(m);
        self.len += 1;
    }
    /// Removes the last move (undo).
    pub(crate) fn pop(&mut self) {
        if let Some(s) = &mut self.ids {
            s.ids.pop();
        }
        if let Some(c) = self.chunks.last_mut() {
            let c = std::sync::Arc::make_mut(c);
            if let Some(m) = c.moves.pop() {
                c.moved -= u128::from(m.qty.unsigned_abs());
                c.noted_receipts -= u32::from(is_noted_receipt(&m));
                if m.notes != 0 {
                    c.notes.pop();
                }
            }
            if c.moves.is_empty() {
                self.chunks.pop();
            }
            self.len -= 1;
        }
    }
    /// Marks a move reversed (or not, on undo).
    pub(crate) fn set_reversed(&mut self, ix: usize, v: bool) {
        std::sync::Arc::make_mut(&mut self.chunks[ix / MOVE_CHUNK]).moves[ix % MOVE_CHUNK].reversed = v;
    }
    /// The move at an index (move id − 1).
    #[inline]
    pub fn get(&self, ix: usize) -> Option<&MoveRec> {
        self.chunks.get(ix / MOVE_CHUNK).and_then(|c| c.moves.get(ix % MOVE_CHUNK))
    }
    /// The notes of the move at an index: its reservation, reference and
    /// the move it mirrors (empty for a move without, or past the end).
    #[inline]
    pub fn notes(&self, ix: usize) -> &MoveNotes {
        let Some(c) = self.chunks.get(ix / MOVE_CHUNK) else { return &NO_NOTES };
        match c.moves.get(ix % MOVE_CHUNK) {
            Some(m) if m.notes != 0 => &c.notes[usize::from(m.notes) - 1],
            _ => &NO_NOTES,
        }
    }
    /// Σ |quantity| over every move of the log, kept as moves come and
    /// go: a bound the classes' one-cost values need (see
    /// `ops::demand::one_cost`), which would otherwise cost them a sum in
    /// their pass over the log.
    pub fn moved(&self) -> u128 {
        self.chunks.iter().map(|c| c.moved).sum()
    }
    /// Calls `f` with each receipt that carries notes (a reference, most
    /// often), with its index, from index `from` on, in order: what the
    /// classes' one-cost check must see when it does not pass over the
    /// whole log. A chunk without one is skipped by its count.
    pub(crate) fn each_noted_receipt(&self, from: usize, mut f: impl FnMut(usize, &MoveRec)) {
        for (k, c) in self.chunks.iter().enumerate().skip(from / MOVE_CHUNK) {
            if c.noted_receipts == 0 {
                continue;
            }
            for (i, m) in c.moves.iter().enumerate() {
                let ix = k * MOVE_CHUNK + i;
                if ix >= from && is_noted_receipt(m) {
                    f(ix, m);
                }
            }
        }
    }
    /// Checks that each chunk's notes are those of its moves, in order,
    /// and none is empty (an empty one is kept as none), and that its
    /// quantity sum is its moves'.
    pub(crate) fn check_chunks(&self) -> Result<(), String> {
        for (k, c) in self.chunks.iter().enumerate() {
            let moved: u128 = c.moves.iter().map(|m| u128::from(m.qty.unsigned_abs())).sum();
            if moved != c.moved {
                return Err(format!("move chunk {k}: quantities sum to {moved}, kept as {}", c.moved));
            }
            let noted = c.moves.iter().filter(|m| is_noted_receipt(m)).count();
            if noted != c.noted_receipts as usize {
                return Err(format!("move chunk {k}: {noted} receipts with notes, kept as {}", c.noted_receipts));
            }
            let mut next = 1u16;
            for (i, m) in c.moves.iter().enumerate() {
                if m.notes == 0 {
                    continue;
                }
                if m.notes != next || c.notes[usize::from(m.notes) - 1].is_empty() {
                    return Err(format!("move at {}: notes {} out of place", k * MOVE_CHUNK + i, m.notes));
                }
                next += 1;
            }
            if usize::from(next) != c.notes.len() + 1 {
                return Err(format!("move chunk {k}: {} notes for {} moves with notes", c.notes.len(), next - 1));
            }
        }
        Ok(())
    }
    /// All moves in order.
    pub fn iter(&self) -> impl Iterator<Item = &MoveRec> {
        self.chunks.iter().flat_map(|c| c.moves.iter())
    }
    /// All moves in order, as the slices they are kept in: a loop over
    /// every move of a long log runs tighter over slices than through the
    /// flattening iterator.
    pub fn slices(&self) -> impl Iterator<Item = &[MoveRec]> {
        self.chunks.iter().map(|c| &c.moves[..])
    }
}

/// A receipt that carries notes (see [`MoveLog::each_noted_receipt`]).
#[inline]
fn is_noted_receipt(m: &MoveRec) -> bool {
    m.has_notes() && m.reason == MoveReason::Receipt
}

impl std::ops::Index<usize> for MoveLog {
    type Output = MoveRec;
    fn index(&self, ix: usize) -> &MoveRec {
        &self.chunks[ix / MOVE_CHUNK].moves[ix % MOVE_CHUNK]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mv(n: i64, notes: Option<&str>) -> (MoveRec, MoveNotes) {
        let m = MoveRec {
            item: ItemId(1),
            lot: LotId(0),
            qty: n,
            from: LocId(0),
            to: LocId(1),
            occurred_at: n,
            reason: MoveReason::Sale,
            reversed: false,
            notes: 0,
        };
        (m, MoveNotes { reference: notes.map(Code::from), ..MoveNotes::default() })
    }

    #[test]
    fn a_move_record_is_forty_bytes() {
        // Every pass over the log streams these; the notes stay beside them.
        assert_eq!(std::mem::size_of::<MoveRec>(), 40);
    }

    #[test]
    fn each_move_finds_its_own_notes_across_chunks_undo_and_forks() {
        let mut log = MoveLog::default();
        let n = MOVE_CHUNK * 2 + 10;
        let note = |i: usize| (i % 3 == 0).then(|| format!("r{i}"));
        for i in 0..n {
            let (m, notes) = mv(i as i64 + 1, note(i).as_deref());
            log.push(m, notes);
        }
        let fork = log.clone();
        // Undo the last moves (with and without notes) and append others.
        for _ in 0..7 {
            log.pop();
        }
        for i in n - 7..n {
            let (m, notes) = mv(-(i as i64), (i % 2 == 0).then_some("again"));
            log.push(m, notes);
        }
        log.check_chunks().unwrap();
        fork.check_chunks().unwrap();
        let sum = |l: &MoveLog| l.iter().map(|m| u128::from(m.qty.unsigned_abs())).sum::<u128>();
        assert_eq!(log.moved(), sum(&log), "the quantity sum follows undo");
        assert_eq!(fork.moved(), sum(&fork));
        assert_ne!(log.moved(), fork.moved());
        for i in 0..n {
            assert_eq!(fork.notes(i).reference.as_deref(), note(i).as_deref(), "fork at {i}");
            assert_eq!(fork[i].has_notes(), note(i).is_some());
            let want = if i < n - 7 { note(i) } else { (i % 2 == 0).then(|| "again".to_string()) };
            assert_eq!(log.notes(i).reference.as_deref(), want.as_deref(), "log at {i}");
        }
        assert!(log.notes(n).is_empty(), "past the end");
        // Empty notes take no place.
        let (m, _) = mv(1, None);
        log.push(m, MoveNotes::default());
        assert!(!log[n].has_notes());
        log.check_chunks().unwrap();
    }
}
