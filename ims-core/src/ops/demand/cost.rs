//! Item standard costs: `set_item_cost`. The document keeps every cost an
//! item was given with the position in the move log from which it applies,
//! so the valuation fold — which runs in posting order — costs each move
//! with the standard cost in force when that move was posted, and a later
//! change of cost never rewrites the past.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::event::Event;
use crate::ids::Code;
use crate::state::State;
use crate::time::Millis;

use super::{emit, Ev};

/// Most cost changes one item keeps (older ones still apply to the moves
/// they covered, so none is dropped: past this the command is refused).
pub const MAX_COST_ENTRIES: usize = 4096;

/// One standard cost and where it starts to apply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostEntry {
    /// Cost per base unit.
    pub unit_cost: Decimal,
    /// Currency; absent means "the item's currency, whatever it is".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Code>,
    /// Applies to moves at this index of the move log (move id − 1) and
    /// later: the log's length when the cost was set.
    pub from_move: u64,
    /// When it was set.
    pub set_at: Millis,
}

/// An item's standard cost with its history, oldest first (never empty).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemCost {
    /// Every cost set, oldest first.
    pub entries: Vec<CostEntry>,
}

impl ItemCost {
    /// The cost in force now.
    pub fn current(&self) -> Option<&CostEntry> {
        self.entries.last()
    }
    /// The cost in force for the move at log index `ix`.
    pub fn at_move(&self, ix: u64) -> Option<&CostEntry> {
        let n = self.entries.partition_point(|e| e.from_move <= ix);
        n.checked_sub(1).and_then(|i| self.entries.get(i))
    }
}

/// `set_item_cost`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetItemCost {
    /// The item.
    pub item: String,
    /// Cost per base unit, zero or more.
    pub unit_cost: Decimal,
    /// Currency code (e.g. `EUR`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

pub(super) fn set(st: &mut State, c: &SetItemCost, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    if let Some(cur) = &c.currency {
        State::check_code("currency", cur)?;
    }
    if c.unit_cost.is_sign_negative() && !c.unit_cost.is_zero() {
        return Err(Error::InvalidUnitCost { item: c.item.clone(), unit_cost: c.unit_cost });
    }
    let item = st.find_item(&c.item)?;
    let code = st.cat.item(item).code.clone();
    let mut cost = st.ops.demand.costs.get(&code).cloned().unwrap_or(ItemCost { entries: Vec::new() });
    if cost.entries.len() >= MAX_COST_ENTRIES {
        return Err(Error::LimitExceeded { what: "cost changes per item", max: MAX_COST_ENTRIES as u64 });
    }
    let entry = CostEntry {
        // `-0` is zero: keep one spelling so equal costs encode alike.
        unit_cost: if c.unit_cost.is_zero() { Decimal::ZERO } else { c.unit_cost.normalize() },
        currency: c.currency.as_deref().map(Into::into),
        from_move: st.moves.len() as u64,
        set_at: at,
    };
    // Two changes between the same moves: the later one is all that ever
    // applies, so it replaces the earlier.
    if cost.entries.last().is_some_and(|e| e.from_move == entry.from_move) {
        cost.entries.pop();
    }
    cost.entries.push(entry);
    emit(st, out, Ev::ItemCostSet { item: code, cost })
}

pub(super) fn apply(st: &mut State, item: &Code, cost: &ItemCost) -> Result<(), Error> {
    st.item_of(item)?;
    st.put_doc(|o| &mut o.demand.costs, item.clone(), cost.clone());
    Ok(())
}

pub(super) fn verify(st: &State, errs: &mut Vec<String>) {
    for (code, c) in st.ops.demand.costs.iter() {
        if st.cat.item_id(code).is_none() {
            errs.push(format!("cost of unknown item {code}"));
        }
        if c.entries.is_empty() {
            errs.push(format!("cost of {code} has no entry"));
        }
        if c.entries.windows(2).any(|w| w[0].from_move >= w[1].from_move) {
            errs.push(format!("cost entries of {code} are not in posting order"));
        }
        if c.entries.iter().any(|e| e.from_move > st.moves.len() as u64 || e.unit_cost.is_sign_negative()) {
            errs.push(format!("cost of {code} applies beyond the move log or is negative"));
        }
    }
}
