//! The valuation fold: FIFO layers per (item, location) and one weighted
//! average cost per item, computed over the move log **in posting order**.
//!
//! Posting order, not `occurred_at` order, is what makes the answer a pure
//! function of the ledger: a back-dated receipt enters the layers where it
//! was posted (after everything posted before it), so replaying the same
//! journal always gives the same layers, and a late receipt never
//! re-prices sales that were already costed.
//!
//! **Cost of an inbound move** (from a virtual location): the purchase-order
//! line price when the move is a goods receipt against an order (the move's
//! reference is the GRN; its line is the first line of that GRN with the
//! same item, lot and quantity not matched yet); else the item's standard
//! cost in force when the move was posted (`set_item_cost`); else zero,
//! flagged *uncosted*. A reversal is costed from the move it mirrors: the
//! reversal of a sale puts back exactly the layers the sale took (at their
//! age and cost), the reversal of a receipt takes back that receipt's
//! layer first.
//!
//! **FIFO.** Each internal location holds layers in age order (the id of
//! the move that brought the stock into the engine). An outbound move takes
//! the oldest layers at its source; a transfer takes them at the source and
//! adds them at the destination in their age position, so value moves with
//! the stock. Taking more than the layers hold (a fact drove stock
//! negative) owes the shortfall at the last unit cost taken there (else the
//! standard cost, else zero); the next stock to arrive settles what is
//! owed first, and the difference between its cost and the owed cost is
//! reported as `variance`.
//!
//! **WAC** (one average per item over all its internal locations):
//! an inbound move sets `average = (quantity × average + inbound value) /
//! new quantity`, rounded half to even to [`WAC_DP`] decimal places (when
//! the quantity before was zero or less the average becomes the inbound
//! unit cost). The item's value is always `quantity × average`, so values
//! by location add up exactly to the item's value. Outbound moves and
//! transfers leave the average unchanged.
//!
//! Money is kept exact (decimal) and never rounded to a currency's minor
//! unit: the engine keeps no currency table, so that rounding belongs to
//! the host, at its edge.

use std::collections::VecDeque;

use rust_decimal::{Decimal, RoundingStrategy};
use smallvec::SmallVec;

use crate::error::Error;
use crate::event::MoveReason;
use crate::ids::{Code, FxMap, ItemId, LocId};
use crate::ledger::MoveRec;
use crate::qty::Minor;
use crate::state::State;
use crate::time::Millis;

/// Decimal places the weighted average cost is kept to (half to even).
pub const WAC_DP: u32 = 12;

/// A quantity of stock with its age and unit cost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    /// Id of the move that brought the stock into the engine (its age).
    pub origin: u64,
    /// When that move occurred.
    pub received_at: Millis,
    /// Minor units (positive).
    pub qty: Minor,
    /// Cost per base unit.
    pub unit_cost: Decimal,
    /// Whether a cost was known (else the cost is zero).
    pub costed: bool,
}

/// The pieces one move takes or brings: one or two nearly always, so held
/// inline (a heap allocation per move was ≈ 15% of a whole-log fold).
type Pieces = SmallVec<[Piece; 2]>;

/// The FIFO state of one (item, location).
#[derive(Clone, Debug, Default)]
pub struct Queue {
    /// Layers, oldest first.
    pub layers: VecDeque<Piece>,
    /// Stock taken beyond the layers, oldest first: owed.
    pub owed: VecDeque<Piece>,
    /// The last unit cost taken here.
    last: Option<(Decimal, bool)>,
}

/// The weighted average state of one item.
#[derive(Clone, Debug, Default)]
pub struct Wac {
    /// On hand over all internal locations, minor units.
    pub qty: i128,
    /// Average cost per base unit.
    pub average: Decimal,
}

/// What the fold knows of one item.
#[derive(Clone, Debug, Default)]
pub struct ItemFold {
    /// FIFO per internal location.
    pub fifo: FxMap<LocId, Queue>,
    /// The average.
    pub wac: Wac,
    /// The named currency of its costs, once one was seen.
    pub currency: Option<Code>,
    /// Inbound moves that had no cost.
    pub uncosted_moves: u64,
    /// Settling owed stock: (arriving cost − owed cost) × quantity.
    pub variance: Decimal,
}

/// How one move changed the value of its two sides.
#[derive(Clone, Copy, Debug, Default)]
pub struct MoveValue {
    /// FIFO value the source lost (internal source; zero otherwise).
    pub fifo_out: Decimal,
    /// FIFO value the destination gained (internal destination).
    pub fifo_in: Decimal,
}

pub(super) fn value_of(unit_cost: Decimal, qty: Minor, scale: u8) -> Result<Decimal, Error> {
    unit_cost.checked_mul(Decimal::new(qty, scale as u32)).ok_or(Error::QuantityOverflow)
}

fn base_units(qty: i128, scale: u8) -> Result<Decimal, Error> {
    Decimal::try_from_i128_with_scale(qty, scale as u32).map_err(|_| Error::QuantityOverflow)
}

impl Queue {
    /// Value of the layers less what is owed.
    pub fn value(&self, scale: u8) -> Result<Decimal, Error> {
        let mut v = Decimal::ZERO;
        for p in &self.layers {
            v = v.checked_add(value_of(p.unit_cost, p.qty, scale)?).ok_or(Error::QuantityOverflow)?;
        }
        for p in &self.owed {
            v = v.checked_sub(value_of(p.unit_cost, p.qty, scale)?).ok_or(Error::QuantityOverflow)?;
        }
        Ok(v)
    }
    /// On hand: layers less owed.
    pub fn qty(&self) -> i128 {
        self.layers.iter().map(|p| p.qty as i128).sum::<i128>() - self.owed.iter().map(|p| p.qty as i128).sum::<i128>()
    }

    /// Takes `qty`: first from the layers named in `prefer` (a reversal
    /// taking back what its original brought), then oldest first; beyond
    /// the layers, owes the rest at `short_cost`'s fallback.
    fn take(
        &mut self,
        mut qty: Minor,
        prefer: &[Piece],
        short: impl FnOnce() -> (Decimal, bool),
        m: (u64, Millis),
    ) -> Pieces {
        let mut out = Pieces::new();
        for want in prefer {
            if let Some(i) = self.layers.iter().position(|p| p.origin == want.origin) {
                let k = qty.min(want.qty).min(self.layers[i].qty);
                if k > 0 {
                    out.push(Piece { qty: k, ..self.layers[i].clone() });
                    self.layers[i].qty -= k;
                    qty -= k;
                    if self.layers[i].qty == 0 {
                        self.layers.remove(i);
                    }
                }
            }
        }
        while qty > 0 {
            let Some(front) = self.layers.front_mut() else { break };
            let k = qty.min(front.qty);
            out.push(Piece { qty: k, ..front.clone() });
            front.qty -= k;
            qty -= k;
            if front.qty == 0 {
                self.layers.pop_front();
            }
        }
        if let Some(p) = out.last() {
            self.last = Some((p.unit_cost, p.costed));
        }
        if qty > 0 {
            let (unit_cost, costed) = self.last.unwrap_or_else(short);
            let p = Piece { origin: m.0, received_at: m.1, qty, unit_cost, costed };
            self.owed.push_back(p.clone());
            out.push(p);
        }
        out
    }

    /// Puts pieces in: each settles what is owed first (the difference of
    /// costs goes to `variance`), the rest becomes a layer in age order.
    /// Returns the value the location gained.
    fn put(&mut self, mut pieces: Pieces, scale: u8, variance: &mut Decimal) -> Result<Decimal, Error> {
        // A reversal bringing back stock its original owed settles that
        // debt with the very piece it owed: no variance.
        if pieces.len() > 1 && !self.owed.is_empty() {
            pieces.sort_by_key(|p| !self.owed.iter().any(|o| o.origin == p.origin && o.unit_cost == p.unit_cost));
        }
        let mut gained = Decimal::ZERO;
        for mut p in pieces {
            while p.qty > 0 {
                let Some(o) = self.owed.front_mut() else { break };
                let k = p.qty.min(o.qty);
                gained += value_of(o.unit_cost, k, scale)?;
                *variance += value_of(p.unit_cost - o.unit_cost, k, scale)?;
                o.qty -= k;
                p.qty -= k;
                if o.qty == 0 {
                    self.owed.pop_front();
                }
            }
            if p.qty > 0 {
                gained += value_of(p.unit_cost, p.qty, scale)?;
                // Stock arriving from outside is the newest: its place is
                // the back, found without a search.
                let at = match self.layers.back() {
                    Some(l) if l.origin > p.origin => self.layers.partition_point(|l| l.origin <= p.origin),
                    _ => self.layers.len(),
                };
                match self.layers.get_mut(at.wrapping_sub(1)) {
                    Some(l) if l.origin == p.origin && l.unit_cost == p.unit_cost && l.costed == p.costed => {
                        l.qty = l.qty.checked_add(p.qty).ok_or(Error::QuantityOverflow)?;
                    }
                    _ => self.layers.insert(at, p),
                }
            }
        }
        Ok(gained)
    }
}

impl Wac {
    /// The average after `qty` minor units arrive at `unit_cost`.
    fn arrive(&mut self, qty: Minor, unit_cost: Decimal, scale: u8) -> Result<(), Error> {
        let after = self.qty.checked_add(qty as i128).ok_or(Error::QuantityOverflow)?;
        if self.qty > 0 && after > 0 {
            self.reaverage(value_of(unit_cost, qty, scale)?, after, scale)?;
        } else {
            self.average = unit_cost;
        }
        self.qty = after;
        Ok(())
    }
    /// `qty` minor units leave; a reversed receipt leaves at its own cost.
    fn leave(&mut self, qty: Minor, at_cost: Option<Decimal>, scale: u8) -> Result<(), Error> {
        let after = self.qty - qty as i128;
        if let (Some(c), true) = (at_cost, after > 0 && self.qty > 0) {
            self.reaverage(-value_of(c, qty, scale)?, after, scale)?;
        }
        self.qty = after;
        Ok(())
    }
    /// `average = (qty × average + delta) / after`, rounded by the rule.
    fn reaverage(&mut self, delta: Decimal, after: i128, scale: u8) -> Result<(), Error> {
        let total = base_units(self.qty, scale)?
            .checked_mul(self.average)
            .and_then(|v| v.checked_add(delta))
            .ok_or(Error::QuantityOverflow)?;
        let avg = total.checked_div(base_units(after, scale)?).ok_or(Error::QuantityOverflow)?;
        self.average = avg.round_dp_with_strategy(WAC_DP, RoundingStrategy::MidpointNearestEven);
        Ok(())
    }
    /// `quantity × average`.
    pub fn value(&self, scale: u8) -> Result<Decimal, Error> {
        base_units(self.qty, scale)?.checked_mul(self.average).ok_or(Error::QuantityOverflow)
    }
}

/// What the fold remembers of a move that a later move reverses.
#[derive(Clone, Debug)]
struct Memo {
    pieces: Pieces,
    wac_unit: Decimal,
}

/// The valuation of every item (or one), with an observer per move.
pub struct Fold<'a> {
    st: &'a State,
    /// Per item.
    pub items: FxMap<ItemId, ItemFold>,
    memos: FxMap<u64, Memo>,
    grn_used: FxMap<Code, Vec<bool>>,
    /// Each item's standard costs, by item id: looked up once, not by code
    /// (a string search of the cost map) for every move.
    costs: Vec<Option<&'a super::cost::ItemCost>>,
}

impl<'a> Fold<'a> {
    /// Runs the fold over the whole log (for `only` one item when given),
    /// calling `seen` with each move and how it changed the FIFO values.
    pub fn run(st: &'a State, only: Option<ItemId>, seen: impl FnMut(&MoveRec, &MoveValue)) -> Result<Fold<'a>, Error> {
        Self::run_items(st, only.map_or(Items::All, Items::One), seen)
    }

    /// [`Fold::run`] over the items `items` covers (the others get no
    /// entry and their moves are not shown): items share no valuation
    /// state, so each covered item's answers are those of the whole fold.
    pub(crate) fn run_items(
        st: &'a State,
        items: Items<'_>,
        mut seen: impl FnMut(&MoveRec, &MoveValue),
    ) -> Result<Fold<'a>, Error> {
        let mut costs = vec![None; st.cat.item_count()];
        for (code, c) in st.ops.demand.costs.iter() {
            if let Some(id) = st.cat.item_id(code) {
                costs[id.ix()] = Some(c);
            }
        }
        let fresh =
            |costs| Fold { st, items: FxMap::default(), memos: FxMap::default(), grn_used: FxMap::default(), costs };
        let mut f = fresh(costs.clone());
        // Items share no valuation state (FIFO queues, averages, memos of
        // reversals and the GRN lines a receipt matches are all the
        // item's), so the whole fold runs item by item, each item's moves
        // in log order: its queues stay in cache for all its moves, where
        // the log order touched a cold queue on nearly every move (≈ 3
        // dependent cache misses a move on 10M moves over 200k queues).
        // Observers see each item's moves in log order; across items the
        // order is by item id.
        let order = match items {
            Items::One(_) => None,
            _ => moves_by_item(st, items),
        };
        let Some(order) = order else {
            for (ix, m) in st.moves.iter().enumerate() {
                if items.has(m.item) {
                    let v = f.step(ix as u64, m)?;
                    seen(m, &v);
                }
            }
            return Ok(f);
        };
        // In item order the move records themselves are read out of log
        // order: a cache miss each. A short loop touches a chunk's records
        // first — independent loads, so their misses overlap — before the
        // fold steps through them.
        for chunk in order.chunks(32) {
            let warm = chunk.iter().fold(0i64, |w, ix| {
                let m = &st.moves[*ix as usize];
                // Fields at both ends of the record (it may span cache lines).
                w ^ m.occurred_at ^ i64::from(m.item.0) ^ i64::from(m.notes)
            });
            std::hint::black_box(warm);
            for &ix in chunk {
                let m = &st.moves[ix as usize];
                match f.step(u64::from(ix), m) {
                    Ok(v) => seen(m, &v),
                    Err(e) => {
                        // The refusal is the log order's first: refusals
                        // depend on an item's own moves only, so the log
                        // order refuses too; run it to find which.
                        let mut again = fresh(costs);
                        for (ix, m) in st.moves.iter().enumerate() {
                            if items.has(m.item) {
                                again.step(ix as u64, m)?;
                            }
                        }
                        return Err(e);
                    }
                }
            }
        }
        Ok(f)
    }

    /// The unit cost of an inbound move from a virtual location.
    fn inbound_cost(&mut self, ix: u64, m: &MoveRec) -> (Decimal, bool, Option<Code>) {
        let st = self.st;
        let item = &st.cat.item(m.item).code;
        if let (MoveReason::Receipt, Some(grn)) = (m.reason, &st.moves.notes(ix as usize).reference) {
            if let Some(g) = st.ops.procurement.receipts.get(grn) {
                let used = self.grn_used.entry(grn.clone()).or_insert_with(|| vec![false; g.lines.len()]);
                let lot = st.cat.lot_code(m.lot);
                let hit = g.lines.iter().enumerate().position(|(i, l)| {
                    !used[i] && &l.item == item && l.lot == lot && l.qty == m.qty && l.po_line.is_some()
                });
                if let Some(i) = hit {
                    used[i] = true;
                    let po = g.po.as_deref().and_then(|p| st.ops.procurement.orders.get(p));
                    if let Some((o, pl)) = po.and_then(|o| Some((o, o.line(g.lines[i].po_line?)?))) {
                        return (pl.unit_price, true, Some(o.currency.clone()));
                    }
                }
            }
        }
        match self.costs[m.item.ix()].and_then(|c| c.at_move(ix)) {
            Some(e) => (e.unit_cost, true, e.currency.clone()),
            None => (Decimal::ZERO, false, None),
        }
    }

    /// The standard cost in force (for owed stock without a last cost).
    fn standard(cost: Option<&super::cost::ItemCost>, ix: u64) -> (Decimal, bool) {
        match cost.and_then(|c| c.at_move(ix)) {
            Some(e) => (e.unit_cost, true),
            None => (Decimal::ZERO, false),
        }
    }

    fn step(&mut self, ix: u64, m: &MoveRec) -> Result<MoveValue, Error> {
        let st = self.st;
        let scale = st.cat.item(m.item).scale();
        let (from_in, to_in) = (st.cat.loc(m.from).is_internal(), st.cat.loc(m.to).is_internal());
        let id = ix + 1;
        let cost = self.costs[m.item.ix()];
        let short = || Self::standard(cost, ix);
        // A reversal is costed from its original.
        let reverses = if m.has_notes() { self.st.moves.notes(ix as usize).reverses } else { None };
        let memo = reverses.and_then(|r| self.memos.get(&r).cloned());
        let named = if from_in || !to_in {
            None
        } else if let Some(mm) = &memo {
            Some((mm.pieces.clone(), mm.wac_unit))
        } else {
            let (c, costed, cur) = self.inbound_cost(ix, m);
            self.note_currency(m.item, cur)?;
            let f = self.items.entry(m.item).or_default();
            if !costed {
                f.uncosted_moves += 1;
            }
            let p = Piece { origin: id, received_at: m.occurred_at, qty: m.qty, unit_cost: c, costed };
            Some((smallvec::smallvec![p], c))
        };
        let f = self.items.entry(m.item).or_default();
        let mut v = MoveValue::default();
        let mut memo_out = Memo { pieces: Pieces::new(), wac_unit: f.wac.average };
        match (from_in, to_in) {
            (true, _) => {
                let prefer = memo.as_ref().map_or(&[][..], |mm| &mm.pieces[..]);
                let taken = f.fifo.entry(m.from).or_default().take(m.qty, prefer, short, (id, m.occurred_at));
                for p in &taken {
                    v.fifo_out += value_of(p.unit_cost, p.qty, scale)?;
                }
                if to_in {
                    v.fifo_in = f.fifo.entry(m.to).or_default().put(taken.clone(), scale, &mut f.variance)?;
                } else {
                    // A reversed receipt leaves the average at its own cost.
                    f.wac.leave(m.qty, memo.as_ref().map(|mm| mm.wac_unit), scale)?;
                }
                memo_out.pieces = taken;
            }
            (false, true) => {
                let (pieces, unit) = named.unwrap_or_default();
                f.wac.arrive(m.qty, unit, scale)?;
                memo_out.wac_unit = unit;
                if m.reversed {
                    memo_out.pieces = pieces.clone();
                }
                v.fifo_in = f.fifo.entry(m.to).or_default().put(pieces, scale, &mut f.variance)?;
            }
            (false, false) => {}
        }
        if m.reversed {
            self.memos.insert(id, memo_out);
        }
        Ok(v)
    }

    fn note_currency(&mut self, item: ItemId, cur: Option<Code>) -> Result<(), Error> {
        let Some(cur) = cur else { return Ok(()) };
        let f = self.items.entry(item).or_default();
        match &f.currency {
            Some(have) if *have != cur => Err(Error::MixedCurrencies {
                item: self.st.cat.item(item).code.to_string(),
                currency: have.to_string(),
                other: cur.to_string(),
            }),
            Some(_) => Ok(()),
            None => {
                f.currency = Some(cur);
                Ok(())
            }
        }
    }
}

/// Which items a fold covers.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Items<'k> {
    /// Every item.
    All,
    /// One item (its moves folded in log order).
    One(ItemId),
    /// The items marked `true`, by id.
    Marked(&'k [bool]),
}

impl Items<'_> {
    #[inline]
    fn has(self, id: ItemId) -> bool {
        match self {
            Items::All => true,
            Items::One(o) => o == id,
            Items::Marked(k) => k.get(id.ix()).copied().unwrap_or(false),
        }
    }
}

/// The move log's indexes of the covered items' moves grouped by item
/// (item ids ascending), each item's in log order: a counting sort, two
/// passes over the log. `None` for a log too long for `u32` indexes (the
/// fold then runs in log order).
fn moves_by_item(st: &State, items: Items<'_>) -> Option<Vec<u32>> {
    u32::try_from(st.moves.len()).ok()?;
    let mut start = vec![0u32; st.cat.item_count() + 1];
    for m in st.moves.iter() {
        if items.has(m.item) {
            start[m.item.ix() + 1] += 1;
        }
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    let mut order = vec![0u32; start.last().copied().unwrap_or(0) as usize];
    for (ix, m) in st.moves.iter().enumerate() {
        if items.has(m.item) {
            let at = &mut start[m.item.ix()];
            order[*at as usize] = ix as u32;
            *at += 1;
        }
    }
    Some(order)
}
