//! The error catalogue: every refusal the engine can give, each with a stable
//! numeric code and a stable SCREAMING_SNAKE name that are never reused.
//!
//! **Precedence.** A command is checked in the order of this catalogue's
//! groups: form (codes, quantities, units) first, then references (unknown
//! item, location, lot, reservation), then state (archived, stock,
//! reservation status, idempotency). Only the first applicable error is
//! returned. Codes are grouped by hundreds so groups can grow.

use rust_decimal::Decimal;
use serde::Serialize;

// The enum's variants are written in one file per group of codes; each
// group's macro appends its variants and passes them on, and the last
// hands them all to `error_enum!`. (An enum cannot be spread over files
// otherwise, and nested enums would change every `Error::Variant` the
// doors match on.)
#[macro_use]
mod form;
#[macro_use]
mod references;
#[macro_use]
mod state;
#[macro_use]
mod batches;
#[macro_use]
mod planning;
#[macro_use]
mod host;
#[macro_use]
mod procurement;
#[macro_use]
mod warehouse;
#[macro_use]
mod fulfillment;
#[macro_use]
mod returns;
#[macro_use]
mod demand;

macro_rules! error_enum {
    ( ; $($variants:tt)*) => {
        /// Every error the engine returns. `code()`, `name()` and `retryable()` are
        /// stable across versions; the data says what a caller needs to act.
        #[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize)]
        #[serde(tag = "name", rename_all = "SCREAMING_SNAKE_CASE")]
        #[non_exhaustive]
        pub enum Error {
            $($variants)*
        }
    };
}

form_variants!(
    reference_variants,
    state_variants,
    batch_variants,
    planning_variants,
    host_variants,
    procurement_variants,
    warehouse_variants,
    fulfillment_variants,
    returns_variants,
    demand_variants,
    error_enum ;
);

mod catalogue;

pub use catalogue::{catalogue, ErrorInfo};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_ordered() {
        for w in catalogue().windows(2) {
            assert!(w[0].code < w[1].code, "{} then {}", w[0].name, w[1].name);
        }
        let mut names: Vec<_> = catalogue().iter().map(|e| e.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), catalogue().len());
    }

    #[test]
    fn serialised_name_matches_catalogue() {
        let e = Error::UnknownItem { item: "X".into() };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["name"], e.name());
        assert_eq!(e.code(), 200);
        assert!(Error::Storage { reason: String::new() }.retryable());
    }
}
