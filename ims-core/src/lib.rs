//! # ims-core
//!
//! The pure inventory engine of **ims**: items, locations and lots;
//! double-entry stock moves; two-phase reservations with expiry;
//! available-to-promise now and by date. No IO, no clock, no randomness:
//! commands in, events out, made durable through the [`Storage`] port.
//!
//! ```
//! use ims_core::{Engine, Scope};
//!
//! let mut engine = Engine::new();
//! for json in [
//!     r#"{"type":"define_item","item":"MILK-1L","scale":0}"#,
//!     r#"{"type":"define_location","location":"STORE-1","kind":"site"}"#,
//!     r#"{"type":"receive","item":"MILK-1L","location":"STORE-1","qty":"24"}"#,
//! ] {
//!     engine.execute_json(json).unwrap();
//! }
//! // A web cart holds 2 for 15 minutes (time is always an input, in ms UTC),
//! // then the order commits them.
//! engine.execute_json(r#"{"type":"reserve","occurred_at":1764300000000,"reservation":"cart-7",
//!     "item":"MILK-1L","qty":"2","scope":"STORE-1","ttl_ms":900000}"#).unwrap();
//! let scope = Scope::Subtree("STORE-1".into());
//! assert_eq!(engine.availability("MILK-1L", &scope).unwrap().available.to_string(), "22");
//! engine.execute_json(r#"{"type":"commit","reservation":"cart-7"}"#).unwrap();
//! assert_eq!(engine.availability("MILK-1L", &scope).unwrap().on_hand.to_string(), "22");
//! engine.verify().unwrap();
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod answer;
mod apply;
mod atp_flow;
pub mod availability;
mod bin_items;
pub mod catalog;
pub mod codec;
pub mod command;
mod demand_days;
pub mod edge;
pub mod engine;
pub mod error;
pub mod event;
mod exec;
#[cfg(feature = "planning")]
pub mod forecast;
pub mod ids;
pub mod ledger;
pub mod ops;
#[cfg(feature = "planning")]
pub mod policy;
pub mod qty;
pub mod query;
pub mod query_json;
pub mod reservation;
pub mod shared;
#[cfg(feature = "planning")]
pub mod simulate;
pub mod snapshot;
pub mod state;
pub mod storage;
#[cfg(test)]
mod test_rng;
pub mod time;
mod verify;

pub use answer::{Answer, JsonAnswer};
pub use availability::{
    AtpAnswer, AtpOptions, AtpPoint, Availability, BucketsMinor, CartLine, Contribution, ContributionKind,
    MAX_ATP_HORIZON_DAYS,
};
pub use command::{BatchMode, Command, CommandBody, Fill, QtyIn, Remainder, Scope, StockFact, Strategy};
pub use edge::{Replica, Slice, SyncRequest, SyncResponse};
pub use engine::{command_hash, hex, Change, Engine, Envelope, Outcome, MAX_BATCH};
pub use error::{catalogue, Error, ErrorInfo};
pub use event::Event;
pub use query::{BalanceView, ItemKey, ReservationView};
pub use query_json::{CoreQuery, Query};
pub use shared::{Shared, SharedEngine};
pub use storage::{MemoryStorage, NullStorage, Storage, StorageError};
pub use time::{Date, Millis};

/// The README's Rust quick start, compiled and run as a doctest so it stays true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeQuickStart;
