//! Error scenarios of the demand flow (see tests/errors.rs).

use super::*;

/// A query that must fail with `name`; queries never change the state.
fn query_err(h: &H, v: serde_json::Value, name: &str) -> Error {
    let before = h.e.snapshot();
    let err = h.e.ops_query_json(&v.to_string()).unwrap_err();
    record(&err, name);
    assert!(h.e.snapshot() == before);
    err
}

scenarios! {
    invalid_unit_cost {
        let mut h = H::store();
        let e = h.err(json!({"type":"set_item_cost","item":"SKU","unit_cost":"-0.01"}), "INVALID_UNIT_COST");
        assert_eq!(e, Error::InvalidUnitCost { item: "SKU".into(), unit_cost: d("-0.01") });
        // Zero is a cost (a free sample), even spelled "-0".
        h.ok(json!({"type":"set_item_cost","item":"SKU","unit_cost":"-0"}));
    }
    invalid_period {
        let h = H::store();
        let e = query_err(
            &h,
            json!({"kind":"demand_history","item":"SKU","bucket":"day","from":ds(3),"to":ds(2)}),
            "INVALID_PERIOD",
        );
        assert_eq!(e, Error::InvalidPeriod { from: ds(3), to: ds(2) });
    }
}
