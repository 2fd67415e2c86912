//! The ledger: balances per (item, location, lot) and the posted moves that
//! are the only way they change.

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

/// Everything the engine keeps per item besides its catalog entry.
#[derive(Clone, Debug, Default)]
pub struct ItemStock {
    /// Buckets sorted by (location id, lot id); virtual locations included,
    /// so that every item's balances sum to zero (double entry).
    pub buckets: Vec<Bucket>,
    /// Reservations of this item that are still active, in creation order.
    pub active: Vec<ResId>,
    /// Active reservations with open demand, in service order
    /// (priority, need date, id).
    pub demand: std::collections::BTreeSet<(i32, Date, Code)>,
    /// Scheduled receipts of this item (open or closed), by index.
    pub receipts: Vec<u32>,
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

/// A posted move.
#[derive(Clone, Debug, PartialEq, Eq)]
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
    /// Why.
    pub reason: MoveReason,
    /// The reservation carried, if any.
    pub reservation: Option<Code>,
    /// The move mirrored by this one.
    pub reverses: Option<u64>,
    /// Whether a later move mirrors this one.
    pub reversed: bool,
    /// Host reference.
    pub reference: Option<Code>,
    /// When it happened.
    pub occurred_at: Millis,
}

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

/// The posted moves, in chunks shared between forks: a fork copies one
/// pointer per chunk, and the first write to a shared chunk copies that
/// chunk only.
#[derive(Clone, Debug, Default)]
pub struct MoveLog {
    chunks: Vec<std::sync::Arc<Vec<MoveRec>>>,
    len: usize,
}

impl MoveLog {
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
    /// Appends a move.
    pub(crate) fn push(&mut self, m: MoveRec) {
        match self.chunks.last_mut() {
            Some(c) if c.len() < MOVE_CHUNK => std::sync::Arc::make_mut(c).push(m),
            _ => {
                let mut c = Vec::with_capacity(MOVE_CHUNK);
                c.push(m);
                self.chunks.push(std::sync::Arc::new(c));
            }
        }
        self.len += 1;
    }
    /// Removes the last move (undo).
    pub(crate) fn pop(&mut self) {
        if let Some(c) = self.chunks.last_mut() {
            std::sync::Arc::make_mut(c).pop();
            if c.is_empty() {
                self.chunks.pop();
            }
            self.len -= 1;
        }
    }
    /// Marks a move reversed (or not, on undo).
    pub(crate) fn set_reversed(&mut self, ix: usize, v: bool) {
        std::sync::Arc::make_mut(&mut self.chunks[ix / MOVE_CHUNK])[ix % MOVE_CHUNK].reversed = v;
    }
    /// The move at an index (move id − 1).
    #[inline]
    pub fn get(&self, ix: usize) -> Option<&MoveRec> {
        self.chunks.get(ix / MOVE_CHUNK).and_then(|c| c.get(ix % MOVE_CHUNK))
    }
    /// All moves in order.
    pub fn iter(&self) -> impl Iterator<Item = &MoveRec> {
        self.chunks.iter().flat_map(|c| c.iter())
    }
}

impl std::ops::Index<usize> for MoveLog {
    type Output = MoveRec;
    fn index(&self, ix: usize) -> &MoveRec {
        &self.chunks[ix / MOVE_CHUNK][ix % MOVE_CHUNK]
    }
}
