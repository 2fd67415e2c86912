//! Every read-only question in one JSON form, for the doors that speak JSON
//! (Python, JavaScript, C, the conformance runners): the core queries of
//! [`crate::query`] by `kind`, and every operations flow's queries
//! ([`OpsQuery`]). Answers are the serde forms of the typed results.

use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;

use crate::answer::{Answer, JsonAnswer};
use crate::availability::{AtpOptions, CartLine};
use crate::command::Scope;
use crate::engine::Engine;
use crate::error::Error;
use crate::ops::OpsQuery;
use crate::time::Date;

/// A core query, by `kind` (the operations flows' kinds are [`OpsQuery`]).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum CoreQuery {
    /// [`Engine::availability`].
    Availability {
        /// The item.
        item: String,
        /// Where.
        scope: Scope,
    },
    /// [`Engine::atp`].
    Atp {
        /// The item.
        item: String,
        /// Where.
        scope: Scope,
        /// The date (today when absent).
        #[serde(default)]
        date: Option<Date>,
        /// ATP options.
        #[serde(default)]
        options: Option<AtpOptions>,
        /// Whether to list the contributions.
        #[serde(default)]
        explain: bool,
    },
    /// [`Engine::atp_timeline`].
    AtpTimeline {
        /// The item.
        item: String,
        /// Where.
        scope: Scope,
        /// ATP options.
        #[serde(default)]
        options: Option<AtpOptions>,
    },
    /// [`Engine::earliest_date`].
    EarliestDate {
        /// The item.
        item: String,
        /// Where.
        scope: Scope,
        /// How much, in the base unit.
        qty: Decimal,
        /// ATP options.
        #[serde(default)]
        options: Option<AtpOptions>,
    },
    /// [`Engine::ship_complete_date`].
    ShipComplete {
        /// The cart.
        lines: Vec<CartLine>,
        /// ATP options.
        #[serde(default)]
        options: Option<AtpOptions>,
    },
    /// [`Engine::reservation`].
    Reservation {
        /// Its id.
        reservation: String,
    },
    /// [`Engine::balances`].
    Balances {
        /// The item.
        item: String,
    },
    /// [`Engine::count_flags`].
    CountFlags {},
}

/// The `kind` names of [`CoreQuery`].
pub const CORE_QUERY_KINDS: &[&str] = &[
    "availability",
    "atp",
    "atp_timeline",
    "earliest_date",
    "ship_complete",
    "reservation",
    "balances",
    "count_flags",
];

/// Any query: a core one or an operations flow's.
#[derive(Clone, Debug, PartialEq)]
pub enum Query {
    /// A core query.
    Core(CoreQuery),
    /// An operations query.
    Ops(OpsQuery),
}

impl Query {
    /// Decodes a query from its JSON form; the text says what is wrong.
    pub fn from_value(v: Value) -> Result<Query, String> {
        match v.get("kind").and_then(Value::as_str) {
            Some(k) if OpsQuery::owns(k) => return OpsQuery::from_value(v).map(Query::Ops),
            Some(k) if !CORE_QUERY_KINDS.contains(&k) => return Err(crate::ops::unknown_name("query kind", k)),
            _ => {}
        }
        serde_json::from_value(v).map(Query::Core).map_err(|e| e.to_string())
    }

    /// Every query `kind`, core first.
    pub fn kinds() -> Vec<&'static str> {
        let mut v = CORE_QUERY_KINDS.to_vec();
        v.extend(OpsQuery::kinds());
        v
    }
}

impl Engine {
    /// Answers any query, in the serde form of its typed result.
    pub fn query(&self, q: &Query) -> Result<Value, Error> {
        self.query_with(q, JsonAnswer)
    }

    /// Answers any query, its typed result made into `a`'s form.
    pub fn query_with<A: Answer>(&self, q: &Query, a: A) -> Result<A::Out, Error> {
        let q = match q {
            Query::Ops(q) => return self.ops_query_with(q, a),
            Query::Core(q) => q,
        };
        let opts = |o: &Option<AtpOptions>| o.unwrap_or_default();
        match q {
            CoreQuery::Availability { item, scope } => a.answer(&self.availability(item, scope)?),
            CoreQuery::Atp { item, scope, date, options, explain } => {
                a.answer(&self.atp(item, scope, *date, &opts(options), *explain)?)
            }
            CoreQuery::AtpTimeline { item, scope, options } => {
                a.answer(&self.atp_timeline(item, scope, &opts(options))?)
            }
            CoreQuery::EarliestDate { item, scope, qty, options } => {
                a.answer(&self.earliest_date(item, scope, *qty, &opts(options))?)
            }
            CoreQuery::ShipComplete { lines, options } => a.answer(&self.ship_complete_date(lines, &opts(options))?),
            CoreQuery::Reservation { reservation } => a.answer(&self.reservation(reservation)),
            CoreQuery::Balances { item } => a.answer(&self.balances(item)?),
            CoreQuery::CountFlags {} => a.answer(&self.count_flags()),
        }
    }

    /// [`Self::query`] from a JSON value; a query that does not decode is
    /// `INVALID_COMMAND`.
    pub fn query_value(&self, v: Value) -> Result<Value, Error> {
        let q = Query::from_value(v).map_err(|reason| Error::InvalidCommand { reason })?;
        self.query(&q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_decodes_to_its_own_query() {
        for k in Query::kinds() {
            let e = Query::from_value(serde_json::json!({ "kind": k })).err().unwrap_or_default();
            assert!(!e.contains("unknown variant") && !e.contains("unknown query kind"), "{k}: {e}");
        }
        let e = Query::from_value(serde_json::json!({ "kind": "nope" })).unwrap_err();
        assert_eq!(e, "unknown query kind `nope`");
    }

    #[test]
    fn core_and_ops_queries_answer_in_json() {
        let mut e = Engine::new();
        e.execute_json(r#"{"type":"define_item","item":"A","scale":0}"#).unwrap();
        e.execute_json(r#"{"type":"define_location","location":"S","kind":"site"}"#).unwrap();
        e.execute_json(r#"{"type":"receive","item":"A","location":"S","qty":"4"}"#).unwrap();
        let a = e.query_value(serde_json::json!({"kind": "availability", "item": "A", "scope": "S"})).unwrap();
        assert_eq!(a["available"], "4");
        let err = e.query_value(serde_json::json!({"kind": "balances", "item": "B"})).unwrap_err();
        assert_eq!(err.name(), "UNKNOWN_ITEM");
        let err = e.query_value(serde_json::json!({"kind": "balances"})).unwrap_err();
        assert_eq!(err.name(), "INVALID_COMMAND");
        assert!(e.query_value(serde_json::json!({"kind": "item_profile", "item": "A"})).is_ok());
    }
}
