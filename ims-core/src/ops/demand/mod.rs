//! Operations flow `demand`: what customers asked for and what the stock is
//! worth — demand history, lost demand, analytics, valuation and slotting.
//!
//! * [`history`] — shipped, returned and lost demand per item, bucketed by
//!   day, ISO week or month over a location scope, in one pass over the
//!   move log ([`demand_table`], the planning engine's input);
//! * [`lost`] — the `record_lost_demand` command and its documents;
//! * [`cost`] — the `set_item_cost` command (standard cost, with history);
//! * [`fold`] — FIFO layers and weighted average cost as a fold over the
//!   ledger in posting order; [`valuation`] — its answers by item and
//!   location; `one_cost` — the value shipped of items costed at one
//!   price, which needs no fold;
//! * [`analytics`] — turnover, days of supply, fill rate, stockout days;
//!   [`classes`] — ABC / XYZ; [`aging`] — stock by age;
//!   [`counting`] — the ABC-driven cycle-count due list;
//! * [`slotting`] — fast movers to the bins nearest the start of the walk;
//! * [`scope`] — the location scope these questions take.
//!
//! `docs/engine.md` states every rule these follow.
//!
//! The flow owns two documents: lost-demand records (a refused request
//! changes nothing, so a shop that wants to forecast on demand rather than
//! on sales records what it could not serve) and item costs. Everything
//! else is derived from the ledger on demand and never stored.

pub mod aging;
pub mod analytics;
pub mod classes;
pub mod cost;
pub mod counting;
#[cfg(test)]
mod days_tests;
pub mod fold;
pub mod history;
pub mod lost;
mod one_cost;
pub mod scope;
pub mod slotting;
pub mod valuation;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::event::Event;
use crate::ids::Code;
use crate::ops::{DocMap, OpsEvent};
use crate::state::State;
use crate::time::Millis;

pub use aging::{Aging, ItemAging};
pub use analytics::ItemAnalytics;
pub use classes::{AbcThresholds, Classes, ClassesQuery, ItemClass, XyzThresholds};
pub use cost::{CostEntry, ItemCost, SetItemCost};
pub use counting::{CountDue, CountDueQuery, CountIntervals};
pub use history::{demand_table, Bucket, DemandHistory, DemandPeriod, DemandTable};
pub use lost::{LostDemand, RecordLostDemand};
pub use scope::ScopeFilter;
pub use slotting::{Mover, SlotMove, Slotting};
pub use valuation::{InventoryValue, ItemValuation, ItemValue, LayerView, LocationValue, ScopeLocationValue};

/// The flow's documents.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Docs {
    /// Lost-demand records by their sequential code (`000000000001`, …).
    #[serde(default, skip_serializing_if = "DocMap::is_empty")]
    pub lost: DocMap<LostDemand>,
    /// Item costs (standard cost with its history) by item code.
    #[serde(default, skip_serializing_if = "DocMap::is_empty")]
    pub costs: DocMap<ItemCost>,
}

impl Docs {
    /// No documents.
    pub fn is_empty(&self) -> bool {
        self.lost.is_empty() && self.costs.is_empty()
    }
}

/// The flow's commands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Cmd {
    /// Record demand that could not be served.
    RecordLostDemand(RecordLostDemand),
    /// Set an item's standard cost.
    SetItemCost(SetItemCost),
}

/// JSON `type` names of [`Cmd`].
pub const CMD_TYPES: &[&str] = &["record_lost_demand", "set_item_cost"];

/// The flow's events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Ev {
    /// Lost demand was recorded.
    LostDemandRecorded {
        /// The record's sequential code.
        id: Code,
        /// The record.
        record: LostDemand,
    },
    /// An item's standard cost was set.
    ItemCostSet {
        /// The item.
        item: Code,
        /// The cost document after the change (history included).
        cost: ItemCost,
    },
}

/// JSON `type` names of [`Ev`].
pub const EVENT_TYPES: &[&str] = &["lost_demand_recorded", "item_cost_set"];

/// Emits one of this flow's events.
pub(crate) fn emit(st: &mut State, out: &mut Vec<Event>, ev: Ev) -> Result<(), Error> {
    st.emit(out, Event::Ops(OpsEvent::Demand(ev)))
}

pub(crate) fn run(st: &mut State, cmd: &Cmd, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    match cmd {
        Cmd::RecordLostDemand(c) => lost::record(st, c, at, out),
        Cmd::SetItemCost(c) => cost::set(st, c, at, out),
    }
}

pub(crate) fn apply(st: &mut State, ev: &Ev) -> Result<(), Error> {
    match ev {
        Ev::LostDemandRecorded { id, record } => lost::apply(st, id, record),
        Ev::ItemCostSet { item, cost } => cost::apply(st, item, cost),
    }
}

pub(crate) fn verify(st: &State, errs: &mut Vec<String>) {
    lost::verify(st, errs);
    cost::verify(st, errs);
}

pub(crate) use views::query;
pub use views::{Qry, QUERY_KINDS};

mod views;
