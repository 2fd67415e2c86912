//! Items costed at one price: the value shipped without the FIFO fold.
//!
//! When every piece of stock an item ever held was costed at the same
//! unit cost, FIFO takes only pieces at that cost, so the FIFO value of
//! any quantity that leaves is `cost × quantity`: the answer of the
//! valuation fold, reached without its queues. That holds for an item
//! ([`OneCost::value`] says `Some`) when, over the whole log:
//!
//! * its cost document's last entry applies from before its first move
//!   (so that one cost applied to every move, to arrivals and to stock
//!   owed, and none was uncosted);
//! * none of its moves is a goods receipt whose reference names a receipt
//!   document (the fold may price those from the purchase order);
//! * `cost × Σ |quantity of every move in the log|` is exact in a
//!   `Decimal` (mantissa under 2⁹⁶, scale at most 28): a bound on every
//!   sum the fold forms for the item, so none could round or overflow, its
//!   answer is the same decimal, scale included, as `cost × shipped`, and
//!   it would refuse nothing for the item.
//!
//! Standard costing (one cost per item, set when the item is created) is
//! what many shops run, and for them the classes' value shipped becomes a
//! sum of quantities. Every other item goes through the fold.

use rust_decimal::Decimal;

use crate::event::MoveReason;
use crate::ledger::MoveRec;
use crate::state::State;

/// The one-cost state of every item, fed each move of the log in order.
///
/// The pass this rides on reads every move record of a long log, so what
/// it touches per move is kept small: the per-item quantities are a dense
/// array of their own, the exactness bound is one sum over all items
/// (conservative: an item's moves are part of it; the log keeps it), and
/// an item's cost is looked at only for the moves before the latest cost
/// took effect and for receipts naming a document.
pub(crate) struct OneCost {
    /// Per item: its last cost and the log index it applies from, while
    /// the item may still qualify.
    cost: Vec<Option<(Decimal, u64)>>,
    /// Per item: Σ quantity of the shipments the caller counts (minor
    /// units, saturating; a saturated sum is past the bound anyway).
    counted: Vec<u64>,
    /// The largest `from_move` of any candidate: moves from here on cannot
    /// precede a candidate's cost.
    max_from: u64,
    /// Σ |quantity| of every move ([`crate::ledger::MoveLog::moved`]).
    moved: u128,
}

impl OneCost {
    /// Every item with a cost is a candidate, at its last cost.
    pub(crate) fn new(st: &State) -> OneCost {
        let n = st.cat.item_count();
        let (mut cost, mut max_from) = (vec![None; n], 0);
        for (code, c) in st.ops.demand.costs.iter() {
            if let (Some(e), Some(id)) = (c.entries.last(), st.cat.item_id(code)) {
                cost[id.ix()] = Some((e.unit_cost, e.from_move));
                max_from = max_from.max(e.from_move);
            }
        }
        OneCost { cost, counted: vec![0; n], max_from, moved: st.moves.moved() }
    }

    /// Sees the move at log index `ix`.
    #[inline(always)]
    pub(crate) fn see(&mut self, st: &State, ix: usize, m: &MoveRec) {
        if (ix as u64) < self.max_from || (m.has_notes() && m.reason == MoveReason::Receipt) {
            self.check_cost(st, ix, m);
        }
    }

    /// Sees, of the whole log, the moves [`OneCost::see`] would check —
    /// those before the latest cost took effect and the receipts with
    /// notes — for a caller that does not pass over the log.
    pub(crate) fn see_log(&mut self, st: &State) {
        let before = usize::try_from(self.max_from).map_or(st.moves.len(), |f| f.min(st.moves.len()));
        for ix in 0..before {
            self.check_cost(st, ix, &st.moves[ix]);
        }
        st.moves.each_noted_receipt(before, |ix, m| self.check_cost(st, ix, m));
    }

    /// Adds a shipment the caller counts to its item's value.
    #[inline(always)]
    pub(crate) fn count(&mut self, m: &MoveRec) {
        if let Some(q) = self.counted.get_mut(m.item.ix()) {
            *q = q.saturating_add(m.qty.unsigned_abs());
        }
    }

    /// Sets what item `ix` shipped in the caller's count, when the caller
    /// has its sums from elsewhere (minor units, saturating).
    pub(crate) fn set_counted(&mut self, ix: usize, qty: u64) {
        if let Some(q) = self.counted.get_mut(ix) {
            *q = qty;
        }
    }

    /// Whether the move leaves its item's one cost standing: it must not
    /// precede the cost, nor be a receipt the fold may price from its
    /// purchase order. Rare past the log's first moves, so out of line.
    #[inline(never)]
    fn check_cost(&mut self, st: &State, ix: usize, m: &MoveRec) {
        let po_priced = m.reason == MoveReason::Receipt
            && st.moves.notes(ix).reference.as_ref().is_some_and(|g| st.ops.procurement.receipts.get(g).is_some());
        if let Some(c) = self.cost.get_mut(m.item.ix()) {
            if po_priced || c.is_some_and(|(_, from)| (ix as u64) < from) {
                *c = None;
            }
        }
    }

    /// The FIFO value of the counted shipments of item `ix` (scale
    /// `scale`), or `None` when the item needs the fold.
    pub(crate) fn value(&self, ix: usize, scale: u8) -> Option<Decimal> {
        let (cost, _) = (*self.cost.get(ix)?)?;
        let exact = cost.scale() + scale as u32 <= 28
            && i64::try_from(self.moved).is_ok()
            && cost.mantissa().unsigned_abs().checked_mul(self.moved).is_some_and(|p| p < 1u128 << 96);
        if !exact {
            return None;
        }
        match self.counted[ix] {
            // The fold's sum starts at zero (scale 0) and adds nothing.
            0 => Some(Decimal::ZERO),
            q => super::fold::value_of(cost, q as i64, scale).ok(),
        }
    }
}
