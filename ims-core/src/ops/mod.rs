//! Operations: the documents of a retailer's or distributor's flow —
//! procurement, receiving and inspection, putaway, fulfillment, logistics,
//! returns, cycle counts, transfers, scanning, kits and channels, the item
//! profiles (category, weight, volume) several of them read, and demand
//! (history, lost demand, costs, valuation and analytics).
//!
//! Each flow is a module with the same shape, registered once in `flows!`
//! below:
//!
//! * `Docs` — its documents ([`DocMap`]s keyed by client-chosen codes);
//! * `Cmd` / `CMD_TYPES` — its commands (JSON `type` names);
//! * `Ev` / `EVENT_TYPES` — its events, one per document transition;
//! * `run(st, cmd, at, out)` — validate, then emit (flow events and the
//!   core's own events, e.g. `MovePosted`, through `State::emit`);
//! * `apply(st, ev)` — the only path from a flow event to its documents;
//! * `verify(st, errs)` — recompute what the documents derive;
//! * `Qry` / `QUERY_KINDS` / `query(st, q, a)` — read-only questions in
//!   JSON form (`{"kind": ...}`), their typed results made into the
//!   caller's [`crate::Answer`] (decimals at the edge); the typed
//!   Rust API of the flow sits beside them as `impl Engine` methods.
//!
//! Flow events travel in the envelope's binary encoding as tag 18, a flow
//! byte and the event's JSON text; flow documents are snapshot section 10
//! (docs/binary-format.md). Both are canonical: documents are kept sorted by
//! code and serde writes fields in declaration order.

pub mod docs;

pub mod channels;
pub mod demand;
pub mod fulfillment;
pub mod kits;
pub mod logistics;
#[cfg(feature = "planning")]
pub mod planning;
pub mod procurement;
pub mod profiles;
pub mod returns;
pub mod scanning;
pub mod warehouse;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};

pub use docs::DocMap;

use crate::error::Error;
use crate::event::Event;
use crate::state::State;
use crate::time::Millis;

/// Finds the `type` of a JSON object, for dispatch to the flow that owns it.
pub(crate) fn type_of(v: &serde_json::Value) -> Option<&str> {
    v.get("type").and_then(|t| t.as_str())
}

/// The JSON keys under which commands carry decimals (quantities, money,
/// percentages, sizes), the core's `qty` among them. Dates and codes never
/// use them. Doors whose hosts have integers and decimals apart (Python)
/// send an integer under one of these keys as a decimal string.
pub const DECIMAL_KEYS: &[&str] = &[
    "S",
    "all_but",
    "counted",
    "cycle_service_level",
    "demand_per_day",
    "fail",
    "fill_rate",
    "lead_time_mean_days",
    "lead_time_sd_days",
    "max",
    "max_units",
    "max_volume_l",
    "max_weight_kg",
    "min",
    "min_order_qty",
    "order_multiple",
    "order_qty",
    "order_up_to",
    "pack_size",
    "pass",
    "picked",
    "price",
    "qty",
    "quota",
    "reorder_point",
    "s",
    "tolerance_over_pct",
    "tolerance_pct",
    "tolerance_under_pct",
    "tolerance_units",
    "unit_cost",
    "unit_price",
    "volume_l",
    "weight_kg",
];

/// The JSON keys under which query answers carry decimals besides
/// [`DECIMAL_KEYS`] (on hand, values, shares, ...): every field of a
/// `Decimal` in an answer is named by one of the two lists (a unit test
/// reads the crate's sources to keep it so). Doors whose hosts have a
/// decimal type (Python) turn decimal strings under them into it. A
/// decimal inside a tuple has no key of its own: see
/// [`TUPLE_DECIMAL_KEYS`].
pub const ANSWER_DECIMAL_KEYS: &[&str] = &[
    "a",
    "allocated",
    "asked",
    "atp",
    "authorised",
    "available",
    "average",
    "average_cost",
    "average_daily_demand",
    "average_inventory_value",
    "average_on_hand",
    "b",
    "backordered",
    "backorders",
    "book",
    "buckets",
    "capacity",
    "claimed",
    "committed",
    "cost_of_goods_shipped",
    "cv",
    "days_of_supply",
    "demand",
    "demand_sd_per_day",
    "expected",
    "failed",
    "fenced",
    "fifo_in",
    "fifo_out",
    "fifo_value",
    "graded",
    "granted",
    "lead_time_days",
    "level",
    "lost",
    "max_receivable",
    "on_hand",
    "on_order",
    "open",
    "open_demand",
    "ordered",
    "packed",
    "passed",
    "per_kit",
    "position",
    "projected",
    "projected_demand",
    "protection_mean",
    "received",
    "reserved",
    "returnable",
    "returned",
    "rule_qty",
    "safety_stock",
    "scope_available",
    "sellable",
    "served_at_once",
    "share",
    "shipped",
    "shorted",
    "shortfall",
    "size",
    "take",
    "total",
    "total_value",
    "trigger_level",
    "turnover",
    "ungraded",
    "uninspected",
    "unit_turnover",
    "unplaced",
    "value",
    "variance",
    "wac_value",
    "wanted",
    "withheld",
    "x",
    "y",
    "z",
];

/// Whether an answer's field `key` holds a decimal (a key of either list).
pub fn is_answer_decimal_key(key: &str) -> bool {
    DECIMAL_KEYS.contains(&key) || ANSWER_DECIMAL_KEYS.contains(&key)
}

/// The JSON keys of answers' lists of tuples whose last element is a
/// decimal (a reservation's `allocations`: `[location, lot, qty]`; a bin's
/// `contents`: `[item, lot, on hand]`). Lists of objects under the same
/// keys are not tuples.
pub const TUPLE_DECIMAL_KEYS: &[&str] = &["allocations", "contents"];

/// Normalises every decimal under a [`DECIMAL_KEYS`] key (`1.50` → `1.5`).
fn normalize_decimals(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if let (true, Value::String(s)) = (DECIMAL_KEYS.contains(&k.as_str()), &mut *x) {
                    if let Ok(d) = s.parse::<rust_decimal::Decimal>() {
                        *s = d.normalize().to_string();
                    }
                }
                normalize_decimals(x);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(normalize_decimals),
        _ => {}
    }
}

impl OpsCommand {
    /// The same command with every decimal normalised, so that commands
    /// equal by value hash alike (the idempotency check).
    pub fn normalized(&self) -> OpsCommand {
        let Ok(mut v) = serde_json::to_value(self) else { return self.clone() };
        normalize_decimals(&mut v);
        OpsCommand::from_value(v).unwrap_or_else(|_| self.clone())
    }
}

/// The planning flow's command `type` names. Known to every build, so that a
/// build without the `planning` feature (the browser's storefront) can say
/// why it refuses them instead of calling them unknown.
pub const PLANNING_CMD_TYPES: &[&str] =
    &["set_policy", "derive_policy", "remove_policy", "create_plan", "accept_proposal", "discard_plan"];

/// The planning flow's query `kind` names (see [`PLANNING_CMD_TYPES`]).
pub const PLANNING_QUERY_KINDS: &[&str] = &["policy", "inventory_position", "plan", "saved_plan", "simulate_policies"];

/// The reason a command `type` (or, with `what = "query kind"`, a query
/// `kind`) that no part of this build owns is refused.
pub(crate) fn unknown_name(what: &str, name: &str) -> String {
    let planning = if what == "query kind" { PLANNING_QUERY_KINDS } else { PLANNING_CMD_TYPES };
    if !cfg!(feature = "planning") && planning.contains(&name) {
        format!("{what} `{name}` belongs to the planning flow, which this build leaves out (feature `planning`)")
    } else {
        format!("unknown {what} `{name}`")
    }
}

/// Whether a JSON object's `type` belongs to an operations flow.
pub(crate) fn owned_type(v: &serde_json::Value, owns: fn(&str) -> bool) -> bool {
    type_of(v).is_some_and(owns)
}

macro_rules! flows {
    ($( $id:literal $field:ident => $Variant:ident ),* $(,)?) => {
        /// Every operations document, per flow.
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct Ops {
            $(
                #[doc = concat!("The ", stringify!($field), " flow's documents.")]
                pub $field: $field::Docs,
            )*
        }

        /// A command of one of the operations flows.
        #[derive(Clone, Debug, PartialEq, Serialize)]
        #[serde(untagged)]
        pub enum OpsCommand {
            $(
                #[doc = concat!("A ", stringify!($field), " command.")]
                $Variant($field::Cmd),
            )*
        }

        /// An event of one of the operations flows.
        #[derive(Clone, Debug, PartialEq, Eq, Serialize)]
        #[serde(untagged)]
        pub enum OpsEvent {
            $(
                #[doc = concat!("A ", stringify!($field), " event.")]
                $Variant($field::Ev),
            )*
        }

        impl OpsCommand {
            /// Whether some flow owns this command `type`.
            pub fn owns(ty: &str) -> bool {
                false $( || $field::CMD_TYPES.contains(&ty) )*
            }
            /// Every flow's command `type` names, flow by flow (for doors
            /// that offer one method per command).
            pub fn types() -> Vec<&'static str> {
                let mut v = Vec::new();
                $( v.extend_from_slice($field::CMD_TYPES); )*
                v
            }
            /// The command's JSON `type`.
            pub fn type_name(&self) -> &'static str {
                let v = serde_json::to_value(self).unwrap_or_default();
                let ty = type_of(&v).unwrap_or_default();
                let names: &[&'static str] = match self { $( OpsCommand::$Variant(_) => $field::CMD_TYPES, )* };
                names.iter().find(|n| **n == ty).copied().unwrap_or("ops")
            }
            fn from_value(v: serde_json::Value) -> Result<OpsCommand, String> {
                let ty = type_of(&v).ok_or("missing field `type`")?.to_owned();
                $(
                    if $field::CMD_TYPES.contains(&ty.as_str()) {
                        return serde_json::from_value(v).map(OpsCommand::$Variant).map_err(|e| e.to_string());
                    }
                )*
                Err(unknown_name("command type", &ty))
            }
        }

        /// A read-only question to one of the operations flows.
        #[derive(Clone, Debug, PartialEq, Serialize)]
        #[serde(untagged)]
        pub enum OpsQuery {
            $(
                #[doc = concat!("A ", stringify!($field), " query.")]
                $Variant($field::Qry),
            )*
        }

        impl OpsQuery {
            /// Whether some flow owns this query `kind`.
            pub fn owns(kind: &str) -> bool {
                false $( || $field::QUERY_KINDS.contains(&kind) )*
            }
            /// Every flow's query `kind` names, flow by flow.
            pub fn kinds() -> Vec<&'static str> {
                let mut v = Vec::new();
                $( v.extend_from_slice($field::QUERY_KINDS); )*
                v
            }
            /// Decodes a query from its JSON form.
            pub fn from_value(v: serde_json::Value) -> Result<OpsQuery, String> {
                let kind = v.get("kind").and_then(|t| t.as_str()).ok_or("missing field `kind`")?.to_owned();
                $(
                    if $field::QUERY_KINDS.contains(&kind.as_str()) {
                        return serde_json::from_value(v).map(OpsQuery::$Variant).map_err(|e| e.to_string());
                    }
                )*
                Err(format!("unknown query kind `{kind}`"))
            }
        }

        impl crate::engine::Engine {
            /// Answers an operations query in the serde form of its typed
            /// result.
            pub fn ops_query(&self, q: &OpsQuery) -> Result<serde_json::Value, Error> {
                self.ops_query_with(q, crate::answer::JsonAnswer)
            }
            /// Answers an operations query, its typed result made into
            /// `a`'s form.
            pub fn ops_query_with<A: crate::answer::Answer>(&self, q: &OpsQuery, a: A) -> Result<A::Out, Error> {
                match q { $( OpsQuery::$Variant(q) => $field::query(&self.st, q, a), )* }
            }
            /// [`Self::ops_query`] from JSON text.
            pub fn ops_query_json(&self, json: &str) -> Result<serde_json::Value, Error> {
                let v: serde_json::Value =
                    serde_json::from_str(json).map_err(|e| Error::InvalidCommand { reason: e.to_string() })?;
                let q = OpsQuery::from_value(v).map_err(|reason| Error::InvalidCommand { reason })?;
                self.ops_query(&q)
            }
        }

        impl OpsEvent {
            /// The flow byte of the binary encoding.
            pub(crate) fn flow(&self) -> u8 {
                match self { $( OpsEvent::$Variant(_) => $id, )* }
            }
            /// Decodes an event of flow `flow` from its JSON text.
            pub(crate) fn from_flow_json(flow: u8, json: &str) -> Result<OpsEvent, String> {
                match flow {
                    $( $id => serde_json::from_str(json).map(OpsEvent::$Variant).map_err(|e| e.to_string()), )*
                    f => Err(format!("unknown operations flow {f}")),
                }
            }
            /// Whether some flow owns this event `type`.
            pub fn owns(ty: &str) -> bool {
                false $( || $field::EVENT_TYPES.contains(&ty) )*
            }
            fn from_value(v: serde_json::Value) -> Result<OpsEvent, String> {
                let ty = type_of(&v).ok_or("missing field `type`")?.to_owned();
                $(
                    if $field::EVENT_TYPES.contains(&ty.as_str()) {
                        return serde_json::from_value(v).map(OpsEvent::$Variant).map_err(|e| e.to_string());
                    }
                )*
                Err(format!("unknown event type `{ty}`"))
            }
        }

        impl Ops {
            /// Each non-empty flow's documents as (flow byte, JSON text), in
            /// flow order: snapshot section 10.
            pub(crate) fn encode_flows(&self) -> Vec<(u8, String)> {
                let mut v = Vec::new();
                $(
                    if !self.$field.is_empty() {
                        // Documents hold only strings, integers, decimals
                        // and sorted maps: serialising cannot fail.
                        v.push(($id, serde_json::to_string(&self.$field).unwrap_or_default()));
                    }
                )*
                v
            }
            /// Restores one flow's documents from snapshot section 10.
            pub(crate) fn decode_flow(&mut self, flow: u8, json: &str) -> Result<(), String> {
                match flow {
                    $( $id => self.$field = serde_json::from_str(json).map_err(|e| e.to_string())?, )*
                    f => return Err(format!("unknown operations flow {f}")),
                }
                Ok(())
            }
        }

        impl State {
            pub(crate) fn run_ops(&mut self, cmd: &OpsCommand, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
                match cmd { $( OpsCommand::$Variant(c) => $field::run(self, c, at, out), )* }
            }
            pub(crate) fn apply_ops(&mut self, ev: &OpsEvent) -> Result<(), Error> {
                match ev { $( OpsEvent::$Variant(e) => $field::apply(self, e), )* }
            }
            pub(crate) fn verify_ops(&self, errs: &mut Vec<String>) {
                $( $field::verify(self, errs); )*
            }
        }

        #[cfg(test)]
        mod registry_tests {
            /// Every listed type name is one the flow's serde enum knows,
            /// and no name is claimed twice.
            #[test]
            fn type_lists_match_the_enums() {
                let mut seen = std::collections::BTreeSet::new();
                $(
                    for ty in super::$field::CMD_TYPES {
                        assert!(seen.insert(format!("cmd {ty}")), "{ty} listed twice");
                        let e = serde_json::from_str::<super::$field::Cmd>(&format!(r#"{{"type":"{ty}"}}"#));
                        if let Err(e) = e {
                            assert!(!e.to_string().contains("unknown variant"), "{ty}: {e}");
                        }
                    }
                    for k in super::$field::QUERY_KINDS {
                        assert!(seen.insert(format!("query {k}")), "{k} listed twice");
                        let e = serde_json::from_str::<super::$field::Qry>(&format!(r#"{{"kind":"{k}"}}"#));
                        if let Err(e) = e {
                            assert!(!e.to_string().contains("unknown variant"), "{k}: {e}");
                        }
                    }
                    for ty in super::$field::EVENT_TYPES {
                        assert!(seen.insert(format!("ev {ty}")), "{ty} listed twice");
                        let e = serde_json::from_str::<super::$field::Ev>(&format!(r#"{{"type":"{ty}"}}"#));
                        if let Err(e) = e {
                            assert!(!e.to_string().contains("unknown variant"), "{ty}: {e}");
                        }
                    }
                )*
            }
        }
    };
}

// The flow list, twice: with the planning flow (feature `planning`, the
// default) and without it (the browser's storefront build). A flow's byte
// is its identity in journals and snapshots: never renumber.
#[cfg(feature = "planning")]
flows! {
    1 procurement => Procurement,
    2 warehouse => Warehouse,
    3 fulfillment => Fulfillment,
    4 logistics => Logistics,
    5 returns => Returns,
    6 scanning => Scanning,
    7 kits => Kits,
    8 channels => Channels,
    9 profiles => Profiles,
    10 demand => Demand,
    11 planning => Planning,
}

#[cfg(not(feature = "planning"))]
flows! {
    1 procurement => Procurement,
    2 warehouse => Warehouse,
    3 fulfillment => Fulfillment,
    4 logistics => Logistics,
    5 returns => Returns,
    6 scanning => Scanning,
    7 kits => Kits,
    8 channels => Channels,
    9 profiles => Profiles,
    10 demand => Demand,
}

impl<'de> Deserialize<'de> for OpsCommand {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        OpsCommand::from_value(serde_json::Value::deserialize(d)?).map_err(D::Error::custom)
    }
}

impl<'de> Deserialize<'de> for OpsEvent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        OpsEvent::from_value(serde_json::Value::deserialize(d)?).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use crate::command::Command;

    /// Every `pub` field of a `Decimal` (alone, optional or in a list) in
    /// the crate's sources is named in `DECIMAL_KEYS` or
    /// `ANSWER_DECIMAL_KEYS`, and every list of tuples ending in one in
    /// `TUPLE_DECIMAL_KEYS`, so that the doors that turn decimal strings
    /// into their host's decimal type know every one (a field added without
    /// its key reached Python as a string).
    #[test]
    fn every_decimal_field_has_a_decimal_key() {
        fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).expect("the crate's sources") {
                let p = e.expect("a directory entry").path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    let text = std::fs::read_to_string(&p).expect("a source file");
                    for (n, line) in text.lines().enumerate() {
                        let l = line.trim_start();
                        let Some(rest) = l.strip_prefix("pub ").or_else(|| l.strip_prefix("pub(crate) ")) else {
                            continue;
                        };
                        let Some((name, ty)) = rest.split_once(": ") else { continue };
                        let is_field = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                        if is_field && ty.starts_with("Vec<(") && ty.contains("Decimal)>") {
                            if !super::TUPLE_DECIMAL_KEYS.contains(&name) {
                                out.push(format!("{}:{}: {name} (tuples)", p.display(), n + 1));
                            }
                            continue;
                        }
                        let ty = ty.trim_start_matches("Option<").trim_start_matches("Vec<");
                        if is_field && (ty.starts_with("Decimal,") || ty.starts_with("Decimal>")) {
                            let known =
                                super::DECIMAL_KEYS.contains(&name) || super::ANSWER_DECIMAL_KEYS.contains(&name);
                            if !known {
                                out.push(format!("{}:{}: {name}", p.display(), n + 1));
                            }
                        }
                    }
                }
            }
        }
        let mut missing = Vec::new();
        walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut missing);
        assert!(missing.is_empty(), "decimal fields without a decimal key: {missing:#?}");
    }

    #[test]
    fn an_unknown_command_type_is_named_in_the_error() {
        let e = serde_json::from_str::<Command>(r#"{"type":"no_such_thing","occurred_at":5}"#).unwrap_err();
        assert!(e.to_string().contains("no_such_thing"), "{e}");
    }

    #[test]
    fn core_commands_still_parse_with_their_own_errors() {
        let c: Command = serde_json::from_str(r#"{"type":"advance","occurred_at":5}"#).unwrap();
        assert_eq!(c.occurred_at, 5);
        let e = serde_json::from_str::<Command>(r#"{"type":"receive","item":"A"}"#).unwrap_err();
        assert!(e.to_string().contains("missing field"), "{e}");
    }

    #[test]
    fn operations_commands_hash_alike_when_equal_by_value_but_codes_stay_as_written() {
        let c = |j: &str| serde_json::from_str::<Command>(j).unwrap();
        let a = c(
            r#"{"type":"receive_po","grn":"G","po":"P","location":"R","lines":[{"po_line":1,"qty":"4","lot":"1.50"}]}"#,
        );
        let b = c(
            r#"{"type":"receive_po","grn":"G","po":"P","location":"R","lines":[{"po_line":1,"qty":"4.00","lot":"1.50"}]}"#,
        );
        let other = c(
            r#"{"type":"receive_po","grn":"G","po":"P","location":"R","lines":[{"po_line":1,"qty":"4","lot":"1.5"}]}"#,
        );
        assert_eq!(crate::command_hash(&a), crate::command_hash(&b));
        assert_ne!(crate::command_hash(&a), crate::command_hash(&other), "a lot code is not a decimal");
    }
}
