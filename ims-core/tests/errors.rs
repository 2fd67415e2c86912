//! Every error of the catalogue, provoked through the public API: each
//! scenario asserts the specific error with its data and that the refused
//! call left the state byte-identical (snapshot, seq, journal digest, time).
//! `every_catalogue_error_is_provoked` runs all scenarios and fails if a
//! catalogue name was not observed.

#![allow(clippy::unwrap_used)] // a test that unwraps wrongly fails, which is the point

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use common::*;
use ims_core::{
    catalogue, BatchMode, Command, CommandBody, Engine, Envelope, Error, MemoryStorage, Scope, SharedEngine, Storage,
    StorageError,
};
use serde_json::json;

/// Defines every scenario as a `#[test]` and lists them in `SCENARIOS`.
macro_rules! scenarios {
    ($($name:ident $body:block)*) => {
        $( #[test] fn $name() $body )*
        pub(crate) const SCENARIOS: &[(&str, fn())] = &[$((stringify!($name), $name as fn())),*];
    };
}

// The operations flows keep their error scenarios in files of their own
// (tests/errors/<flow>.rs, each with its own `scenarios!` block).
#[path = "errors/channels.rs"]
mod channels;
#[path = "errors/demand.rs"]
mod demand;
#[path = "errors/edge.rs"]
mod edge;
#[path = "errors/fulfillment.rs"]
mod fulfillment;
#[path = "errors/planning.rs"]
mod planning;
#[path = "errors/policy.rs"]
mod policy;
#[path = "errors/procurement.rs"]
mod procurement;
#[path = "errors/returns.rs"]
mod returns;
#[path = "errors/warehouse.rs"]
mod warehouse;

/// Every scenario of every file.
fn all_scenarios() -> Vec<(&'static str, fn())> {
    [
        SCENARIOS,
        edge::SCENARIOS,
        procurement::SCENARIOS,
        warehouse::SCENARIOS,
        fulfillment::SCENARIOS,
        returns::SCENARIOS,
        channels::SCENARIOS,
        planning::SCENARIOS,
        policy::SCENARIOS,
        demand::SCENARIOS,
    ]
    .concat()
}

/// SKU: 5 in bin A (move 1).
fn stocked() -> H {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"5"}));
    h
}

/// A storage whose writes fail while `fail` is set.
struct FlakyStorage {
    fail: Arc<AtomicBool>,
    inner: MemoryStorage,
}

impl Storage for FlakyStorage {
    fn append(&mut self, env: &Envelope, bytes: &[u8]) -> Result<(), StorageError> {
        if self.fail.load(Ordering::SeqCst) {
            return Err(StorageError("disk full".into()));
        }
        self.inner.append(env, bytes)
    }
    fn save_snapshot(&mut self, seq: u64, snapshot: &[u8]) -> Result<(), StorageError> {
        if self.fail.load(Ordering::SeqCst) {
            return Err(StorageError("disk full".into()));
        }
        self.inner.save_snapshot(seq, snapshot)
    }
    fn load_snapshot(&self) -> Result<Option<(u64, Vec<u8>)>, StorageError> {
        self.inner.load_snapshot()
    }
    fn read_from(&self, from: u64) -> Result<Vec<Envelope>, StorageError> {
        self.inner.read_from(from)
    }
}

scenarios! {
    invalid_command {
        let mut h = stocked();
        let before = h.e.snapshot();
        for bad in [r#"{"type":"reserve""#, r#"{"type":"teleport"}"#, r#"{"type":"receive","item":"SKU"}"#, "[]"] {
            let err = h.e.execute_json(bad).unwrap_err();
            record(&err, "INVALID_COMMAND");
            assert!(matches!(err, Error::InvalidCommand { .. }));
        }
        assert!(h.e.snapshot() == before);
        record(&Envelope::from_bytes(b"garbage").unwrap_err(), "INVALID_COMMAND");
        // A foreign envelope whose second event does not fit the state: the
        // first event (a new location) is rolled back with it.
        let env: Envelope = serde_json::from_value(json!({
            "seq": h.e.seq() + 1, "occurred_at": T0, "processed_at": T0 + HOUR, "events": [
                {"type":"location_defined","location":"NEW","kind":"storage"},
                {"type":"move_posted","move_id":2,"item":"NOPE","qty":1,"from":"@supplier","to":"NEW",
                 "reason":"receipt","occurred_at":T0}]})).unwrap();
        let (seq, digest, now) = (h.e.seq(), h.e.journal_digest(), h.e.now());
        let err = h.e.apply(&env).unwrap_err();
        record(&err, "INVALID_COMMAND");
        assert!(h.e.snapshot() == before);
        assert_eq!((h.e.seq(), h.e.journal_digest(), h.e.now()), (seq, digest, now));
        assert!(h.e.availability("SKU", &sub("NEW")).is_err(), "location NEW was rolled back");
        h.e.verify().unwrap();
    }

    invalid_code {
        let mut h = H::store();
        let long = "x".repeat(129);
        assert_eq!(h.err(json!({"type":"define_item","item":""}), "INVALID_CODE"),
            Error::InvalidCode { field: "item", code: String::new() });
        assert_eq!(h.err(json!({"type":"define_item","item":long}), "INVALID_CODE"),
            Error::InvalidCode { field: "item", code: long.clone() });
        assert_eq!(h.err(json!({"type":"define_location","location":"A\nB","kind":"storage"}), "INVALID_CODE"),
            Error::InvalidCode { field: "location", code: "A\nB".into() });
        assert_eq!(h.err(json!({"type":"define_location","location":"@mine","kind":"storage"}), "INVALID_CODE"),
            Error::InvalidCode { field: "location", code: "@mine".into() });
        let dup = json!({"type":"define_item","item":"W","units":[{"unit":"g","factor":"1"},{"unit":"g","factor":"2"}]});
        assert_eq!(h.err(dup, "INVALID_CODE"), Error::InvalidCode { field: "unit", code: "g".into() });
        let same_as_base = json!({"type":"define_item","item":"W","units":[{"unit":"each","factor":"2"}]});
        assert_eq!(h.err(same_as_base, "INVALID_CODE"), Error::InvalidCode { field: "unit", code: "each".into() });
        let c = h.c(json!({"type":"advance"})).with_key("");
        assert_eq!(expect_err(&mut h.e, &c, "INVALID_CODE"), Error::InvalidCode { field: "client_key", code: String::new() });
        let r = "r".repeat(257);
        let e = h.err(json!({"type":"receive","item":"SKU","location":"A","qty":"1","reference":r}), "INVALID_CODE");
        assert!(matches!(e, Error::InvalidCode { field: "reference", .. }));
    }

    invalid_quantity {
        let mut h = stocked();
        assert_eq!(h.err(json!({"type":"receive","item":"SKU","location":"A","qty":"0"}), "INVALID_QUANTITY"),
            Error::InvalidQuantity { field: "qty", qty: d("0") });
        assert_eq!(h.err(json!({"type":"sell","item":"SKU","location":"A","qty":"-3"}), "INVALID_QUANTITY"),
            Error::InvalidQuantity { field: "qty", qty: d("-3") });
        h.err(json!({"type":"adjust","item":"SKU","location":"A","qty":"0"}), "INVALID_QUANTITY");
        // Rounded away entirely: never a zero quantity.
        let e = h.err(json!({"type":"receive","item":"CHEESE","location":"A","qty":"0.4","unit":"g","rounding":"down"}),
            "INVALID_QUANTITY");
        assert_eq!(e, Error::InvalidQuantity { field: "qty", qty: d("0.4") });
        h.ok(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"2","scope":"WH1"}));
        h.err(json!({"type":"commit","reservation":"R1","qty":"0"}), "INVALID_QUANTITY");
        assert_eq!(h.err(json!({"type":"commit","reservation":"R1","qty":"2","buckets":[{"location":"A","qty":"-2"}]}),
            "INVALID_QUANTITY"), Error::InvalidQuantity { field: "buckets.qty", qty: d("-2") });
        record(&h.e.earliest_date("SKU", &sub("WH1"), d("0"), &opts()).unwrap_err(), "INVALID_QUANTITY");
    }

    quantity_scale_exceeded {
        let mut h = H::store();
        assert_eq!(h.err(json!({"type":"receive","item":"SKU","location":"A","qty":"1.5"}), "QUANTITY_SCALE_EXCEEDED"),
            Error::QuantityScaleExceeded { item: "SKU".into(), qty: d("1.5"), scale: 0 });
        assert_eq!(h.err(json!({"type":"receive","item":"CHEESE","location":"A","qty":"0.0005"}), "QUANTITY_SCALE_EXCEEDED"),
            Error::QuantityScaleExceeded { item: "CHEESE".into(), qty: d("0.0005"), scale: 3 });
        // Trailing zeros are not extra precision.
        h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"2.000"}));
        assert_eq!(h.free("SKU", "A"), "2");
    }

    inexact_unit_conversion {
        let mut h = H::store();
        assert_eq!(h.err(json!({"type":"receive","item":"CAN","location":"A","qty":"0.1","unit":"case"}),
            "INEXACT_UNIT_CONVERSION"), Error::InexactUnitConversion { item: "CAN".into(), unit: "case".into(), qty: d("0.1") });
        assert_eq!(h.err(json!({"type":"receive","item":"CHEESE","location":"A","qty":"0.5","unit":"g"}),
            "INEXACT_UNIT_CONVERSION"), Error::InexactUnitConversion { item: "CHEESE".into(), unit: "g".into(), qty: d("0.5") });
        h.ok(json!({"type":"receive","item":"CAN","location":"A","qty":"2","unit":"case"}));
        h.ok(json!({"type":"reserve","reservation":"R1","item":"CAN","qty":"1","unit":"case","scope":"WH1"}));
        assert_eq!(h.err(json!({"type":"commit","reservation":"R1","qty":"2","unit":"case"}), "OVER_COMMIT"),
            Error::OverCommit { reservation: "R1".into(), requested: d("24"), allocated: d("12") });
        h.err(json!({"type":"commit","reservation":"R1","qty":"0.3","unit":"case"}), "INEXACT_UNIT_CONVERSION");
    }

    quantity_overflow {
        let mut h = H::store();
        h.err(json!({"type":"receive","item":"CHEESE","location":"A","qty":"10000000000000000"}), "QUANTITY_OVERFLOW");
        h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":i64::MAX.to_string()}));
        assert_eq!(h.err(json!({"type":"receive","item":"SKU","location":"A","qty":"1"}), "QUANTITY_OVERFLOW"),
            Error::QuantityOverflow);
        h.err(json!({"type":"adjust","item":"SKU","location":"A","qty":"1"}), "QUANTITY_OVERFLOW");
        h.ok(json!({"type":"receive","item":"SKU","location":"B","qty":"1"}));
        h.err(json!({"type":"move","item":"SKU","from":"B","to":"A","qty":"1"}), "QUANTITY_OVERFLOW");
    }

    invalid_scale {
        let mut h = H::store();
        assert_eq!(h.err(json!({"type":"define_item","item":"W","scale":10}), "INVALID_SCALE"),
            Error::InvalidScale { scale: 10 });
        h.ok(json!({"type":"define_item","item":"W","scale":9}));
    }

    unknown_unit {
        let mut h = stocked();
        assert_eq!(h.err(json!({"type":"receive","item":"SKU","location":"A","qty":"1","unit":"case"}), "UNKNOWN_UNIT"),
            Error::UnknownUnit { item: "SKU".into(), unit: "case".into() });
        h.ok(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"2","scope":"WH1"}));
        assert_eq!(h.err(json!({"type":"commit","reservation":"R1","qty":"1","unit":"pallet"}), "UNKNOWN_UNIT"),
            Error::UnknownUnit { item: "SKU".into(), unit: "pallet".into() });
    }

    invalid_duration {
        let mut h = stocked();
        assert_eq!(h.err(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"1","scope":"WH1","ttl_ms":0}),
            "INVALID_DURATION"), Error::InvalidDuration { field: "ttl_ms", value: 0 });
        assert_eq!(h.err(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"1","scope":"WH1","ttl_ms":i64::MAX}),
            "INVALID_DURATION"), Error::InvalidDuration { field: "ttl_ms", value: i64::MAX });
        h.ok(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"1","scope":"WH1","ttl_ms":MIN}));
        assert_eq!(h.err(json!({"type":"extend","reservation":"R1","ttl_ms":-5}), "INVALID_DURATION"),
            Error::InvalidDuration { field: "ttl_ms", value: -5 });
        h.err(json!({"type":"extend","reservation":"R1","ttl_ms":i64::MAX}), "INVALID_DURATION");
    }

    empty_scope {
        let mut h = stocked();
        assert_eq!(h.err(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"1","scope":[]}), "EMPTY_SCOPE"),
            Error::EmptyScope);
        h.err(json!({"type":"promise","reservation":"P1","item":"SKU","qty":"1","scope":[],"need_date":ds(3)}), "EMPTY_SCOPE");
        record(&h.e.availability("SKU", &Scope::List(vec![])).unwrap_err(), "EMPTY_SCOPE");
    }

    invalid_utc_offset {
        let mut h = H::new();
        assert_eq!(h.err(json!({"type":"define_location","location":"S","kind":"site","utc_offset_minutes":841}),
            "INVALID_UTC_OFFSET"), Error::InvalidUtcOffset { minutes: 841 });
        h.err(json!({"type":"define_location","location":"S","kind":"site","utc_offset_minutes":-841}), "INVALID_UTC_OFFSET");
        h.ok(json!({"type":"define_location","location":"S","kind":"site","utc_offset_minutes":-840}));
    }

    same_location {
        let mut h = stocked();
        assert_eq!(h.err(json!({"type":"move","item":"SKU","from":"A","to":"A","qty":"1"}), "SAME_LOCATION"),
            Error::SameLocation { location: "A".into() });
    }

    unknown_item {
        let mut h = stocked();
        assert_eq!(h.err(json!({"type":"receive","item":"NOPE","location":"A","qty":"1"}), "UNKNOWN_ITEM"),
            Error::UnknownItem { item: "NOPE".into() });
        h.err(json!({"type":"reserve","reservation":"R1","item":"NOPE","qty":"1","scope":"WH1"}), "UNKNOWN_ITEM");
        record(&h.e.availability("NOPE", &sub("WH1")).unwrap_err(), "UNKNOWN_ITEM");
    }

    unknown_location {
        let mut h = stocked();
        assert_eq!(h.err(json!({"type":"receive","item":"SKU","location":"Z","qty":"1"}), "UNKNOWN_LOCATION"),
            Error::UnknownLocation { location: "Z".into() });
        h.err(json!({"type":"define_location","location":"Q","kind":"storage","parent":"Z"}), "UNKNOWN_LOCATION");
        h.err(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"1","scope":["A","Z"]}), "UNKNOWN_LOCATION");
        h.ok(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"1","scope":"WH1"}));
        h.err(json!({"type":"commit","reservation":"R1","destination":"Z"}), "UNKNOWN_LOCATION");
    }

    unknown_lot {
        let mut h = H::store();
        h.ok(json!({"type":"receive","item":"MILK","location":"A","qty":"4","lot":"L1"}));
        assert_eq!(h.err(json!({"type":"set_lot_status","item":"MILK","lot":"L9","status":"on_hold"}), "UNKNOWN_LOT"),
            Error::UnknownLot { item: "MILK".into(), lot: "L9".into() });
        h.err(json!({"type":"move","item":"MILK","from":"A","to":"B","qty":"1","lot":"L9"}), "UNKNOWN_LOT");
        h.err(json!({"type":"scrap","item":"MILK","location":"A","qty":"1","lot":"L9"}), "UNKNOWN_LOT");
        h.err(json!({"type":"adjust","item":"MILK","location":"A","qty":"-1","lot":"L9"}), "UNKNOWN_LOT");
        h.ok(json!({"type":"reserve","reservation":"R1","item":"MILK","qty":"2","scope":"WH1"}));
        h.err(json!({"type":"commit","reservation":"R1","buckets":[{"location":"A","lot":"L9","qty":"2"}]}), "UNKNOWN_LOT");
    }

    unknown_reservation {
        let mut h = stocked();
        assert_eq!(h.err(json!({"type":"release","reservation":"R9"}), "UNKNOWN_RESERVATION"),
            Error::UnknownReservation { reservation: "R9".into() });
        h.err(json!({"type":"commit","reservation":"R9"}), "UNKNOWN_RESERVATION");
        h.err(json!({"type":"extend","reservation":"R9","ttl_ms":MIN}), "UNKNOWN_RESERVATION");
        h.err(json!({"type":"amend","reservation":"R9","qty":"1"}), "UNKNOWN_RESERVATION");
        h.err(json!({"type":"move","item":"SKU","from":"A","to":"B","qty":"1","reservation":"R9"}), "UNKNOWN_RESERVATION");
        assert!(h.e.reservation("R9").is_none());
    }

    unknown_receipt {
        let mut h = stocked();
        assert_eq!(h.err(json!({"type":"cancel_receipt","receipt":"PO9"}), "UNKNOWN_RECEIPT"),
            Error::UnknownReceipt { receipt: "PO9".into() });
        h.err(json!({"type":"receive","item":"SKU","location":"A","qty":"1","receipt":"PO9"}), "UNKNOWN_RECEIPT");
        // A receipt of another item is not this item's receipt.
        h.ok(json!({"type":"expect_receipt","receipt":"PO1","item":"CAN","location":"A","qty":"5","expected":ds(3)}));
        h.err(json!({"type":"receive","item":"SKU","location":"A","qty":"1","receipt":"PO1"}), "UNKNOWN_RECEIPT");
    }

    unknown_move {
        let mut h = stocked();
        assert_eq!(h.err(json!({"type":"reverse","move_id":0}), "UNKNOWN_MOVE"), Error::UnknownMove { move_id: 0 });
        assert_eq!(h.err(json!({"type":"reverse","move_id":2}), "UNKNOWN_MOVE"), Error::UnknownMove { move_id: 2 });
    }

    item_archived {
        let mut h = stocked();
        h.ok(json!({"type":"define_item","item":"SKU","archived":true}));
        assert_eq!(h.err(json!({"type":"receive","item":"SKU","location":"A","qty":"1"}), "ITEM_ARCHIVED"),
            Error::ItemArchived { item: "SKU".into() });
        h.err(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"1","scope":"WH1"}), "ITEM_ARCHIVED");
        h.err(json!({"type":"promise","reservation":"P1","item":"SKU","qty":"1","scope":"WH1","need_date":ds(2)}),
            "ITEM_ARCHIVED");
        h.err(json!({"type":"expect_receipt","receipt":"PO1","item":"SKU","location":"A","qty":"5","expected":ds(3)}),
            "ITEM_ARCHIVED");
        // A fact still posts: the till sold it.
        h.ok(json!({"type":"sell","item":"SKU","location":"A","qty":"1"}));
        assert_eq!(h.avail("SKU", "A").on_hand, d("4"));
    }

    scale_change_with_stock {
        let mut h = H::store();
        h.ok(json!({"type":"define_item","item":"W","scale":2}));
        h.ok(json!({"type":"define_item","item":"W","scale":3}));
        h.ok(json!({"type":"receive","item":"W","location":"A","qty":"1.125"}));
        assert_eq!(h.err(json!({"type":"define_item","item":"W","scale":2}), "SCALE_CHANGE_WITH_STOCK"),
            Error::ScaleChangeWithStock { item: "W".into() });
        assert_eq!(h.avail("W", "A").on_hand, d("1.125"));
    }

    location_redefined {
        let mut h = stocked();
        assert_eq!(h.err(json!({"type":"define_location","location":"A","kind":"quarantine","parent":"WH1"}),
            "LOCATION_REDEFINED"), Error::LocationRedefined { location: "A".into() });
        h.err(json!({"type":"define_location","location":"A","kind":"storage","parent":"S2"}), "LOCATION_REDEFINED");
        h.err(json!({"type":"define_location","location":"A","kind":"storage"}), "LOCATION_REDEFINED");
        // Same parent and kind: a walk-sequence change is allowed.
        h.ok(json!({"type":"define_location","location":"A","kind":"storage","parent":"WH1","walk_seq":9}));
    }

    wrong_location_kind {
        let mut h = stocked();
        assert_eq!(h.err(json!({"type":"receive","item":"SKU","location":"@customer","qty":"1"}), "WRONG_LOCATION_KIND"),
            Error::WrongLocationKind { location: "@customer".into(), kind: "customer" });
        h.err(json!({"type":"move","item":"SKU","from":"A","to":"@scrap","qty":"1"}), "WRONG_LOCATION_KIND");
        h.err(json!({"type":"sell","item":"SKU","location":"@supplier","qty":"1"}), "WRONG_LOCATION_KIND");
        assert_eq!(h.err(json!({"type":"define_location","location":"Q","kind":"storage","parent":"@supplier"}),
            "WRONG_LOCATION_KIND"), Error::WrongLocationKind { location: "@supplier".into(), kind: "supplier" });
        assert_eq!(h.err(json!({"type":"define_location","location":"V","kind":"supplier","parent":"WH1"}),
            "WRONG_LOCATION_KIND"), Error::WrongLocationKind { location: "WH1".into(), kind: "warehouse" });
        h.ok(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"1","scope":"WH1"}));
        h.err(json!({"type":"commit","reservation":"R1","buckets":[{"location":"@supplier","qty":"1"}]}),
            "WRONG_LOCATION_KIND");
    }

    lot_required {
        let mut h = H::store();
        assert_eq!(h.err(json!({"type":"receive","item":"MILK","location":"A","qty":"1"}), "LOT_REQUIRED"),
            Error::LotRequired { item: "MILK".into() });
        h.ok(json!({"type":"receive","item":"MILK","location":"A","qty":"3","lot":"L1"}));
        h.err(json!({"type":"move","item":"MILK","from":"A","to":"B","qty":"1"}), "LOT_REQUIRED");
        h.err(json!({"type":"scrap","item":"MILK","location":"A","qty":"1"}), "LOT_REQUIRED");
        h.err(json!({"type":"adjust","item":"MILK","location":"A","qty":"1"}), "LOT_REQUIRED");
    }

    lot_not_tracked {
        let mut h = stocked();
        assert_eq!(h.err(json!({"type":"receive","item":"SKU","location":"A","qty":"1","lot":"L1"}), "LOT_NOT_TRACKED"),
            Error::LotNotTracked { item: "SKU".into() });
        h.err(json!({"type":"sell","item":"SKU","location":"A","qty":"1","lot":"L1"}), "LOT_NOT_TRACKED");
    }

    lot_expiry_mismatch {
        let mut h = H::store();
        h.ok(json!({"type":"receive","item":"MILK","location":"A","qty":"3","lot":"L1","expiry":ds(5)}));
        assert_eq!(h.err(json!({"type":"receive","item":"MILK","location":"B","qty":"1","lot":"L1","expiry":ds(6)}),
            "LOT_EXPIRY_MISMATCH"), Error::LotExpiryMismatch { item: "MILK".into(), lot: "L1".into() });
        // The same expiry, or none, is the same lot.
        h.ok(json!({"type":"receive","item":"MILK","location":"B","qty":"1","lot":"L1","expiry":ds(5)}));
        h.ok(json!({"type":"receive","item":"MILK","location":"B","qty":"1","lot":"L1"}));
    }

    serial_quantity {
        let mut h = H::store();
        assert_eq!(h.err(json!({"type":"receive","item":"PHONE","location":"A","qty":"2","lot":"SN1"}), "SERIAL_QUANTITY"),
            Error::SerialQuantity { item: "PHONE".into() });
        h.ok(json!({"type":"receive","item":"PHONE","location":"A","qty":"1","lot":"SN1"}));
        h.err(json!({"type":"sell","item":"PHONE","location":"A","qty":"2","lot":"SN1"}), "SERIAL_QUANTITY");
    }

    move_already_reversed {
        let mut h = stocked();
        h.ok(json!({"type":"reverse","move_id":1}));
        assert_eq!(h.err(json!({"type":"reverse","move_id":1}), "MOVE_ALREADY_REVERSED"),
            Error::MoveAlreadyReversed { move_id: 1 });
        // A reversal is not reversed in turn.
        assert_eq!(h.err(json!({"type":"reverse","move_id":2}), "MOVE_ALREADY_REVERSED"),
            Error::MoveAlreadyReversed { move_id: 2 });
    }

    tracking_change_with_stock {
        let mut h = stocked();
        assert_eq!(h.err(json!({"type":"define_item","item":"SKU","tracking":"lot"}), "TRACKING_CHANGE_WITH_STOCK"),
            Error::TrackingChangeWithStock { item: "SKU".into() });
        h.ok(json!({"type":"define_item","item":"CAN","tracking":"lot"}));
    }

    receipt_id_conflict {
        let mut h = H::store();
        h.ok(json!({"type":"expect_receipt","receipt":"PO1","item":"SKU","location":"A","qty":"5","expected":ds(3)}));
        assert_eq!(h.err(json!({"type":"expect_receipt","receipt":"PO1","item":"CAN","location":"A","qty":"5",
            "expected":ds(4)}), "RECEIPT_ID_CONFLICT"), Error::ReceiptIdConflict { receipt: "PO1".into() });
    }

    below_committed {
        let mut h = H::store();
        h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"10"}));
        h.ok(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"10","scope":"WH1"}));
        h.ok(json!({"type":"commit","reservation":"R1","qty":"4","remainder":"keep"}));
        assert_eq!(h.err(json!({"type":"amend","reservation":"R1","qty":"3"}), "BELOW_COMMITTED"),
            Error::BelowCommitted { reservation: "R1".into(), committed: d("4") });
        h.ok(json!({"type":"amend","reservation":"R1","qty":"5"}));
    }

    insufficient_stock {
        let mut h = stocked();
        h.ok(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"2","scope":"WH1"}));
        assert_eq!(h.err(json!({"type":"move","item":"SKU","from":"A","to":"B","qty":"4"}), "INSUFFICIENT_STOCK"),
            Error::InsufficientStock { item: "SKU".into(), location: "A".into(), lot: None, requested: d("4"), available: d("3") });
        assert_eq!(h.err(json!({"type":"move","item":"SKU","from":"A","to":"B","qty":"3","reservation":"R1"}),
            "INSUFFICIENT_STOCK"),
            Error::InsufficientStock { item: "SKU".into(), location: "A".into(), lot: None, requested: d("3"), available: d("2") });
        h.err(json!({"type":"move","item":"SKU","from":"B","to":"A","qty":"1"}), "INSUFFICIENT_STOCK");
        // A picker's bucket beyond the reservation's own plus free stock.
        assert_eq!(h.err(json!({"type":"commit","reservation":"R1","qty":"2","buckets":[{"location":"B","qty":"2"}]}),
            "INSUFFICIENT_STOCK"),
            Error::InsufficientStock { item: "SKU".into(), location: "B".into(), lot: None, requested: d("2"), available: d("0") });
    }

    insufficient_available {
        let mut h = stocked();
        let e = h.err(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"6","scope":"WH1"}), "INSUFFICIENT_AVAILABLE");
        assert_eq!(e, Error::InsufficientAvailable { item: "SKU".into(), requested: d("6"), available: d("5") });
        h.ok(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"4","scope":"WH1"}));
        assert_eq!(h.err(json!({"type":"amend","reservation":"R1","qty":"7"}), "INSUFFICIENT_AVAILABLE"),
            Error::InsufficientAvailable { item: "SKU".into(), requested: d("3"), available: d("1") });
        // Stock of another site is outside the scope.
        h.ok(json!({"type":"receive","item":"SKU","location":"X","qty":"9"}));
        h.err(json!({"type":"reserve","reservation":"R2","item":"SKU","qty":"2","scope":"S1"}), "INSUFFICIENT_AVAILABLE");
    }

    reservation_id_conflict {
        let mut h = stocked();
        h.ok(json!({"type":"receive","item":"CAN","location":"A","qty":"5"}));
        h.ok(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"1","scope":"WH1"}));
        assert_eq!(h.err(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"1","scope":"WH1"}),
            "RESERVATION_ID_CONFLICT"), Error::ReservationIdConflict { reservation: "R1".into() });
        h.err(json!({"type":"promise","reservation":"R1","item":"CAN","qty":"1","scope":"WH1","need_date":ds(2)}),
            "RESERVATION_ID_CONFLICT");
        h.err(json!({"type":"move","item":"CAN","from":"A","to":"B","qty":"1","reservation":"R1"}), "RESERVATION_ID_CONFLICT");
        h.ok(json!({"type":"release","reservation":"R1"}));
        h.err(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"1","scope":"WH1"}), "RESERVATION_ID_CONFLICT");
    }

    reservation_already_committed {
        let mut h = stocked();
        h.ok(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"2","scope":"WH1"}));
        h.ok(json!({"type":"commit","reservation":"R1"}));
        let want = Error::ReservationAlreadyCommitted { reservation: "R1".into() };
        assert_eq!(h.err(json!({"type":"commit","reservation":"R1"}), "RESERVATION_ALREADY_COMMITTED"), want);
        assert_eq!(h.err(json!({"type":"release","reservation":"R1"}), "RESERVATION_ALREADY_COMMITTED"), want);
        h.err(json!({"type":"extend","reservation":"R1","ttl_ms":MIN}), "RESERVATION_ALREADY_COMMITTED");
        h.err(json!({"type":"amend","reservation":"R1","qty":"3"}), "RESERVATION_ALREADY_COMMITTED");
    }

    reservation_already_released {
        let mut h = stocked();
        h.ok(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"2","scope":"WH1"}));
        h.ok(json!({"type":"release","reservation":"R1"}));
        let want = Error::ReservationAlreadyReleased { reservation: "R1".into() };
        assert_eq!(h.err(json!({"type":"release","reservation":"R1"}), "RESERVATION_ALREADY_RELEASED"), want);
        assert_eq!(h.err(json!({"type":"commit","reservation":"R1"}), "RESERVATION_ALREADY_RELEASED"), want);
    }

    reservation_expired {
        let mut h = stocked();
        h.ok(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"2","scope":"WH1","ttl_ms":MIN}));
        // Without an explicit advance: the command itself expires R1 first, is
        // refused, and the expiry is rolled back with it.
        let c = h.c(json!({"type":"commit","reservation":"R1","occurred_at":T0 + 2 * MIN}));
        assert_eq!(expect_err(&mut h.e, &c, "RESERVATION_EXPIRED"), Error::ReservationExpired { reservation: "R1".into() });
        assert_eq!(h.res("R1").status, "active");
        h.advance(T0 + 2 * MIN);
        assert_eq!(h.res("R1").status, "expired");
        h.err(json!({"type":"release","reservation":"R1"}), "RESERVATION_EXPIRED");
        h.err(json!({"type":"extend","reservation":"R1","ttl_ms":MIN}), "RESERVATION_EXPIRED");
    }

    over_commit {
        let mut h = stocked();
        h.ok(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"3","scope":"WH1"}));
        assert_eq!(h.err(json!({"type":"commit","reservation":"R1","qty":"4"}), "OVER_COMMIT"),
            Error::OverCommit { reservation: "R1".into(), requested: d("4"), allocated: d("3") });
        // A promise with nothing allocated yet has nothing to commit.
        h.ok(json!({"type":"promise","reservation":"P1","item":"SKU","qty":"2","scope":"WH1","need_date":ds(2)}));
        assert_eq!(h.err(json!({"type":"commit","reservation":"P1"}), "OVER_COMMIT"),
            Error::OverCommit { reservation: "P1".into(), requested: d("0"), allocated: d("0") });
    }

    commit_buckets_mismatch {
        let mut h = stocked();
        h.ok(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"3","scope":"WH1"}));
        assert_eq!(h.err(json!({"type":"commit","reservation":"R1","qty":"3","buckets":[{"location":"A","qty":"2"}]}),
            "COMMIT_BUCKETS_MISMATCH"),
            Error::CommitBucketsMismatch { reservation: "R1".into(), qty: d("3"), buckets: d("2") });
    }

    exists_with_different_command {
        let mut h = stocked();
        let c = h.c(json!({"type":"receive","item":"SKU","location":"A","qty":"5"})).with_key("k1");
        h.run(&c);
        let other = h.c(json!({"type":"receive","item":"SKU","location":"A","qty":"6"})).with_key("k1");
        assert_eq!(expect_err(&mut h.e, &other, "EXISTS_WITH_DIFFERENT_COMMAND"),
            Error::ExistsWithDifferentCommand { key: "k1".into() });
        // Two commands of one atomic batch under one key.
        let a = h.c(json!({"type":"receive","item":"SKU","location":"B","qty":"1"})).with_key("k2");
        let b = h.c(json!({"type":"receive","item":"SKU","location":"B","qty":"2"})).with_key("k2");
        let inner = expect_batch_err(&mut h.e, &[a, b], 1, "EXISTS_WITH_DIFFERENT_COMMAND");
        assert_eq!(inner, Error::ExistsWithDifferentCommand { key: "k2".into() });
    }

    envelope_out_of_order {
        let mut a = stocked();
        let o = a.ok(json!({"type":"receive","item":"SKU","location":"B","qty":"1"}));
        let env = o.envelope.expect("envelope");
        let mut b = Engine::new();
        let before = b.snapshot();
        let err = b.apply(&env).unwrap_err();
        record(&err, "ENVELOPE_OUT_OF_ORDER");
        assert_eq!(err, Error::EnvelopeOutOfOrder { expected: 1, got: env.seq });
        assert!(b.snapshot() == before);
        // Applying the same envelope twice.
        let first = a.e.storage().read_from(1).unwrap();
        b.apply(&first[0]).unwrap();
        let before = b.snapshot();
        record(&b.apply(&first[0]).unwrap_err(), "ENVELOPE_OUT_OF_ORDER");
        assert!(b.snapshot() == before);
    }

    batch_refused {
        let mut h = stocked();
        let cmds = [
            h.c(json!({"type":"receive","item":"SKU","location":"B","qty":"5"})),
            h.c(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"11","scope":"WH1"})),
        ];
        let inner = expect_batch_err(&mut h.e, &cmds, 1, "INSUFFICIENT_AVAILABLE");
        assert_eq!(inner, Error::InsufficientAvailable { item: "SKU".into(), requested: d("11"), available: d("10") });
        let first_fails = [h.c(json!({"type":"release","reservation":"R9"})), cmds[0].clone()];
        expect_batch_err(&mut h.e, &first_fails, 0, "UNKNOWN_RESERVATION");
    }

    invalid_snapshot {
        let h = stocked();
        let snap = h.e.snapshot();
        for bad in [&b""[..], b"garbage", &snap[..snap.len() - 1], &snap[1..]] {
            record(&Engine::restore(bad).unwrap_err(), "INVALID_SNAPSHOT");
        }
        let mut flipped = snap.clone();
        flipped[20] ^= 1;
        let e = Engine::restore(&flipped).unwrap_err();
        record(&e, "INVALID_SNAPSHOT");
        // A well-checksummed image of another version.
        let mut body = snap[..snap.len() - 32].to_vec();
        body[8] = body[8].wrapping_add(1);
        let sum = *blake3::hash(&body).as_bytes();
        body.extend_from_slice(&sum);
        let Error::InvalidSnapshot { reason } = Engine::restore(&body).unwrap_err() else { panic!("not INVALID_SNAPSHOT") };
        assert!(reason.contains("version"), "{reason}");
        assert_eq!(Engine::restore(&snap).unwrap().snapshot(), snap);
        // Well-checksummed images whose items are not in strict code order
        // (the restore relies on that order): a duplicate, then a swap.
        let mut h = stocked();
        h.e.execute(&cmd(json!({"type":"define_item","item":"SKV"}))).unwrap();
        let snap = h.e.snapshot();
        for (from, to) in [(&b"SKV"[..], &b"SKU"[..]), (b"SKU", b"SKW")] {
            let mut body = snap[..snap.len() - 32].to_vec();
            let at = body.windows(3).position(|w| w == from).expect("the code is in the items section");
            body[at..at + 3].copy_from_slice(to);
            let sum = *blake3::hash(&body).as_bytes();
            body.extend_from_slice(&sum);
            let Error::InvalidSnapshot { reason } = Engine::restore(&body).unwrap_err() else { panic!("not INVALID_SNAPSHOT") };
            assert!(reason.contains("out of order or duplicated"), "{reason}");
        }
    }

    storage {
        let fail = Arc::new(AtomicBool::new(false));
        let mut e = Engine::with_storage(Box::new(FlakyStorage { fail: fail.clone(), inner: MemoryStorage::default() }));
        for v in [json!({"type":"define_location","location":"A","kind":"storage"}), json!({"type":"define_item","item":"SKU"})] {
            e.execute(&cmd(v)).unwrap();
        }
        fail.store(true, Ordering::SeqCst);
        let c = cmd(json!({"type":"receive","item":"SKU","location":"A","qty":"3","occurred_at":T0})).with_key("k1");
        assert_eq!(expect_err(&mut e, &c, "STORAGE"), Error::Storage { reason: "disk full".into() });
        assert_eq!(e.storage().read_from(1).unwrap().len(), 2);
        let batch = [c.clone()];
        let before = e.snapshot();
        record(&e.execute_batch(&batch, BatchMode::Atomic).unwrap_err(), "STORAGE");
        record(&e.checkpoint().unwrap_err(), "STORAGE");
        assert!(e.snapshot() == before);
        // Retryable: the key was not remembered, the same command now runs.
        fail.store(false, Ordering::SeqCst);
        let o = e.execute(&c).unwrap();
        assert!(!o.exists);
        assert_eq!(o.seq, 3);
        assert_eq!(e.storage().read_from(3).unwrap().len(), 1);
        e.verify().unwrap();
    }

    engine_poisoned {
        let shared = SharedEngine::new(Engine::new());
        shared.with(|e| e.execute(&cmd(json!({"type":"define_item","item":"SKU"})))).unwrap();
        assert!(!shared.is_poisoned());
        let err = shared.with(|_| -> Result<(), Error> { panic!("a bug past the point of no failure") }).unwrap_err();
        record(&err, "ENGINE_POISONED");
        assert!(shared.is_poisoned());
        let clone = shared.clone();
        record(&clone.with(|e| Ok(e.seq())).unwrap_err(), "ENGINE_POISONED");
    }

    limit_exceeded {
        let mut h = stocked();
        let many: Vec<String> = (0..1025).map(|i| format!("L{i}")).collect();
        assert_eq!(h.err(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"1","scope":many}), "LIMIT_EXCEEDED"),
            Error::LimitExceeded { what: "scope locations", max: 1024 });
        let units: Vec<_> = (0..33).map(|i| json!({"unit":format!("u{i}"),"factor":"2"})).collect();
        assert_eq!(h.err(json!({"type":"define_item","item":"W","units":units}), "LIMIT_EXCEEDED"),
            Error::LimitExceeded { what: "units per item", max: 32 });
        h.ok(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"1","scope":"WH1"}));
        let buckets: Vec<_> = (0..257).map(|_| json!({"location":"A","qty":"1"})).collect();
        assert_eq!(h.err(json!({"type":"commit","reservation":"R1","qty":"257","buckets":buckets}), "LIMIT_EXCEEDED"),
            Error::LimitExceeded { what: "commit buckets", max: 256 });
        let before = h.e.snapshot();
        let batch = vec![Command::new(T0, CommandBody::Advance); 100_001];
        let err = h.e.execute_batch(&batch, BatchMode::Independent).unwrap_err();
        record(&err, "LIMIT_EXCEEDED");
        assert_eq!(err, Error::LimitExceeded { what: "commands per batch", max: 100_000 });
        assert!(h.e.snapshot() == before);
        // A look-ahead beyond 100 years is refused, not shortened.
        let far = ims_core::AtpOptions { horizon_days: 36_601, ..opts() };
        let err = h.e.atp("SKU", &sub("WH1"), None, &far, false).unwrap_err();
        record(&err, "LIMIT_EXCEEDED");
        assert_eq!(err, Error::LimitExceeded { what: "ATP horizon days", max: 36_600 });
        assert!(h.e.atp_timeline("SKU", &sub("WH1"), &far).is_err());
        assert!(h.e.earliest_date("SKU", &sub("WH1"), d("1"), &far).is_err());
        let ok = ims_core::AtpOptions { horizon_days: 36_600, ..opts() };
        assert!(h.e.atp("SKU", &sub("WH1"), None, &ok, false).is_ok());
    }
}

/// Errors only a door can give (the core takes JSON and Rust values, which
/// hold no float quantity, naive time, NULL pointer or bad UTF-8, and has
/// no handle to close or free): the Python door's tests provoke the first
/// three (ims-py/tests/test_bad_input.py, test_durable.py), the C door's the
/// rest (ims-ffi/tests/c/test_errors.c); `INTERNAL` only a bug can.
const RAISED_BY_DOORS: &[&str] = &[
    "INEXACT_NUMBER",
    "NAIVE_DATETIME",
    "ENGINE_CLOSED",
    "NULL_ARGUMENT",
    "INVALID_UTF8",
    "INVALID_HANDLE",
    "INTERNAL",
];

/// Writes a scenario's traced steps (every command run through its first
/// harness, with the errors asserted) as a conformance scenario without the
/// rest of its expectations: `freeze` fills them in, and keeps as a
/// disagreement any step whose error does not come back (a step the trace
/// missed). The exported files are `conformance/scenarios/errors_*.json`.
fn export_scenario(dir: &std::path::Path, name: &str, steps: Vec<(u64, serde_json::Value)>) {
    let Some(first) = steps.first().map(|s| s.0) else { return };
    let steps: Vec<serde_json::Value> = steps.into_iter().filter(|s| s.0 == first).map(|s| s.1).collect();
    if !steps.iter().any(|s| s.get("expect").is_some()) {
        return;
    }
    let file = format!("errors_{name}");
    let v = json!({
        "name": file,
        "description": format!(
            "The `{name}` scenario of ims-core/tests/errors (exported by IMS_EXPORT_SCENARIOS): every refusal \
             here was asserted there by hand, with its data, against DESIGN.md; the successes set the stage."
        ),
        "steps": steps,
    });
    std::fs::write(dir.join(format!("{file}.json")), serde_json::to_string_pretty(&v).unwrap() + "\n").unwrap();
}

#[test]
fn every_catalogue_error_is_provoked() {
    let mut seen = std::collections::BTreeSet::new();
    let scenarios = all_scenarios();
    let export = std::env::var_os("IMS_EXPORT_SCENARIOS").map(std::path::PathBuf::from);
    take_trace();
    for (name, run) in &scenarios {
        clear_observed();
        run();
        let steps = take_trace();
        if let Some(dir) = &export {
            export_scenario(dir, name, steps);
        }
        let got = observed();
        let own = name.to_ascii_uppercase();
        assert!(got.contains(own.as_str()), "scenario {name} did not provoke {own}: {got:?}");
        seen.extend(got);
    }
    let missing: Vec<_> =
        catalogue().iter().map(|e| e.name).filter(|n| !seen.contains(n) && !RAISED_BY_DOORS.contains(n)).collect();
    assert!(missing.is_empty(), "catalogue errors no test provokes: {missing:?}");
    // Each scenario is named after the error it is about.
    for info in catalogue().iter().filter(|e| !RAISED_BY_DOORS.contains(&e.name)) {
        let fn_name = info.name.to_ascii_lowercase();
        assert!(scenarios.iter().any(|(n, _)| *n == fn_name), "no scenario named {fn_name}");
    }
}

#[test]
fn precedence_form_then_references_then_item_form_then_state() {
    let mut h = stocked();
    h.ok(json!({"type":"define_item","item":"OLD","archived":true}));
    // Sign before references.
    h.err(json!({"type":"receive","item":"NOPE","location":"Z","qty":"0"}), "INVALID_QUANTITY");
    // Item before location.
    h.err(json!({"type":"receive","item":"NOPE","location":"Z","qty":"1"}), "UNKNOWN_ITEM");
    // References before the item's own form (unit, scale).
    h.err(json!({"type":"receive","item":"SKU","location":"Z","qty":"1.5","unit":"case"}), "UNKNOWN_LOCATION");
    h.err(json!({"type":"receive","item":"SKU","location":"A","qty":"1.5","unit":"case"}), "UNKNOWN_UNIT");
    // The item's form before state.
    h.err(json!({"type":"receive","item":"OLD","location":"A","qty":"1.5"}), "QUANTITY_SCALE_EXCEEDED");
    h.err(json!({"type":"receive","item":"OLD","location":"A","qty":"1"}), "ITEM_ARCHIVED");
    // Reservation id conflict before stock.
    h.ok(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"1","scope":"WH1"}));
    h.err(
        json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"99","scope":"WH1"}),
        "RESERVATION_ID_CONFLICT",
    );
    // Duration before references.
    h.err(
        json!({"type":"reserve","reservation":"R2","item":"NOPE","qty":"1","scope":"WH1","ttl_ms":0}),
        "INVALID_DURATION",
    );
}

#[test]
fn a_refused_command_does_not_move_time_or_expire_anything() {
    let mut h = stocked();
    h.ok(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"2","scope":"WH1","ttl_ms":MIN}));
    let before = h.e.snapshot();
    h.err(json!({"type":"receive","item":"NOPE","location":"A","qty":"1","occurred_at":T0 + DAY}), "UNKNOWN_ITEM");
    assert!(h.e.snapshot() == before);
    assert_eq!(h.e.now(), T0);
    assert_eq!(h.res("R1").status, "active");
    assert_eq!(h.free("SKU", "WH1"), "3");
}

#[test]
fn retryable_refusal_under_a_key_can_be_retried() {
    let mut h = stocked();
    let c = h.c(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"8","scope":"WH1"})).with_key("cart-1");
    let err = expect_err(&mut h.e, &c, "INSUFFICIENT_AVAILABLE");
    assert!(err.retryable());
    h.ok(json!({"type":"receive","item":"SKU","location":"B","qty":"3"}));
    let o = h.run(&c);
    assert!(!o.exists);
    assert_eq!(h.res("R1").allocated, d("8"));
    let again = h.e.execute(&c).unwrap();
    assert!(again.exists && again.envelope.is_none());
    assert_eq!(again.seq, o.seq);
}

#[test]
fn overflow_on_the_virtual_side_is_refused_not_wrapped() {
    // @supplier gives up what every receipt brings: its balance must not
    // wrap (or panic) any more than an internal one.
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":i64::MAX.to_string()}));
    h.ok(json!({"type":"receive","item":"SKU","location":"B","qty":"1"}));
    h.err(json!({"type":"receive","item":"SKU","location":"C","qty":"1"}), "QUANTITY_OVERFLOW");
    // @customer gains what every sale takes.
    let mut h = H::store();
    h.ok(json!({"type":"sell","item":"SKU","location":"A","qty":i64::MAX.to_string()}));
    h.err(json!({"type":"sell","item":"SKU","location":"B","qty":"1"}), "QUANTITY_OVERFLOW");
}
