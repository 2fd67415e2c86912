//! The flow's JSON queries (`{"kind": ...}`), answered with decimals at the
//! edge; each has a typed `Engine` method beside its computation.

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::state::State;
use crate::time::Date;

use super::history::{self, Bucket};
use super::scope::ScopeFilter;
use super::valuation;

fn all() -> ScopeFilter {
    ScopeFilter::All
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
    /// An item's standard cost with its history (`null` when none was set).
    ItemCost {
        /// The item.
        item: String,
    },
}

/// JSON `kind` names of [`Qry`].
pub const QUERY_KINDS: &[&str] = &["demand_history", "item_valuation", "inventory_value", "item_cost"];

fn json<T: Serialize>(v: T) -> Result<serde_json::Value, Error> {
    serde_json::to_value(v).map_err(|e| Error::InvalidCommand { reason: e.to_string() })
}

pub(crate) fn query(st: &State, q: &Qry) -> Result<serde_json::Value, Error> {
    match q {
        Qry::DemandHistory { item, scope, bucket, from, to } => {
            json(history::history(st, item, scope, *bucket, *from, *to)?)
        }
        Qry::ItemValuation { item } => json(valuation::item_valuation(st, item)?),
        Qry::InventoryValue { scope } => json(valuation::inventory_value(st, scope)?),
        Qry::ItemCost { item } => {
            let id = st.find_item(item)?;
            json(st.ops.demand.costs.get(&st.cat.item(id).code))
        }
    }
}
