//! The flow's JSON queries (`{"kind": ...}`), answered with decimals at the
//! edge; each has a typed `Engine` method beside its computation.

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::state::State;
use crate::time::Date;

use super::classes::ClassesQuery;
use super::counting::CountDueQuery;
use super::history::{self, Bucket};
use super::scope::ScopeFilter;
use super::{aging, analytics, classes, counting, slotting, valuation};

use super::scope::all;

fn edges() -> Vec<u32> {
    aging::DEFAULT_AGE_EDGES.to_vec()
}

/// The flow's read-only questions (JSON `kind`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Qry {
    /// An item's shipped, returned and lost demand per period.
    DemandHistory {
        /// The item.
        item: String,
        /// Locations covered (all when absent).
        #[serde(default = "all")]
        scope: ScopeFilter,
        /// Period length.
        bucket: Bucket,
        /// First day covered (its period is the first).
        from: Date,
        /// Last day covered (its period is the last).
        to: Date,
    },
    /// An item's FIFO layers, weighted average cost and value by location.
    ItemValuation {
        /// The item.
        item: String,
    },
    /// The value of the stock in a scope, FIFO and WAC.
    InventoryValue {
        /// Locations covered (all when absent).
        #[serde(default = "all")]
        scope: ScopeFilter,
    },
    /// An item's turnover, days of supply, fill rate and stockout days.
    ItemAnalytics {
        /// The item.
        item: String,
        /// Locations covered (all when absent).
        #[serde(default = "all")]
        scope: ScopeFilter,
        /// First day.
        from: Date,
        /// Last day.
        to: Date,
    },
    /// ABC and XYZ classes of every item.
    Classes(ClassesQuery),
    /// Stock by age bucket.
    StockAging {
        /// Locations covered (all when absent).
        #[serde(default = "all")]
        scope: ScopeFilter,
        /// Inclusive upper bounds in days (30, 60, 90 when absent).
        #[serde(default = "edges")]
        edges: Vec<u32>,
        /// The day to age at (each location's today when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        as_of: Option<Date>,
    },
    /// (item, location) pairs due for a cycle count by ABC class.
    CountDue(CountDueQuery),
    /// Moves bringing the fastest movers to the bins nearest the walk's start.
    Slotting {
        /// Locations covered (all when absent).
        #[serde(default = "all")]
        scope: ScopeFilter,
        /// First day of the pick count.
        from: Date,
        /// Last day of the pick count.
        to: Date,
        /// At most this many items (all with picks when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<u32>,
    },
    /// An item's standard cost with its history (`null` when none was set).
    ItemCost {
        /// The item.
        item: String,
    },
}

/// JSON `kind` names of [`Qry`].
pub const QUERY_KINDS: &[&str] = &[
    "demand_history",
    "item_valuation",
    "inventory_value",
    "item_analytics",
    "classes",
    "stock_aging",
    "count_due",
    "slotting",
    "item_cost",
];

pub(crate) fn query<A: crate::Answer>(st: &State, q: &Qry, a: A) -> Result<A::Out, Error> {
    match q {
        Qry::DemandHistory { item, scope, bucket, from, to } => {
            a.answer(&history::history(st, item, scope, *bucket, *from, *to)?)
        }
        Qry::ItemValuation { item } => a.answer(&valuation::item_valuation(st, item)?),
        Qry::InventoryValue { scope } => a.answer(&valuation::inventory_value(st, scope)?),
        Qry::ItemAnalytics { item, scope, from, to } => {
            a.answer(&analytics::item_analytics(st, item, scope, *from, *to)?)
        }
        Qry::Classes(q) => a.answer(&classes::classes(st, q)?),
        Qry::StockAging { scope, edges, as_of } => a.answer(&aging::aging(st, scope, edges, *as_of)?),
        Qry::CountDue(q) => a.answer(&counting::count_due(st, q)?),
        Qry::Slotting { scope, from, to, limit } => a.answer(&slotting::slotting(st, scope, *from, *to, *limit)?),
        Qry::ItemCost { item } => {
            let id = st.find_item(item)?;
            a.answer(&st.ops.demand.costs.get(&st.cat.item(id).code))
        }
    }
}
