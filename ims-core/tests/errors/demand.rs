//! Error scenarios of the demand flow (see tests/errors.rs).

use super::*;

/// A query that must fail with `name`; queries never change the state.
fn query_err(h: &H, v: serde_json::Value, name: &str) -> Error {
    trace(h.id, json!({ "query": v, "expect": { "error": name } }));
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
    invalid_class_thresholds {
        let h = H::store();
        for (abc, xyz, classes) in [
            (json!({"a":"0.9","b":"0.8"}), json!({"x":"0.5","y":"1"}), "abc"),
            (json!({"a":"0","b":"0.8"}), json!({"x":"0.5","y":"1"}), "abc"),
            (json!({"a":"0.8","b":"1.5"}), json!({"x":"0.5","y":"1"}), "abc"),
            (json!({"a":"0.8","b":"0.95"}), json!({"x":"2","y":"1"}), "xyz"),
            (json!({"a":"0.8","b":"0.95"}), json!({"x":"-0.1","y":"1"}), "xyz"),
        ] {
            let e = query_err(
                &h,
                json!({"kind":"classes","from":ds(0),"to":ds(6),"abc":abc,"xyz":xyz}),
                "INVALID_CLASS_THRESHOLDS",
            );
            assert!(matches!(e, Error::InvalidClassThresholds { classes: c, .. } if c == classes), "{e:?}");
        }
        let e = query_err(
            &h,
            json!({"kind":"count_due","from":ds(0),"to":ds(6),"days":{"a":0,"b":90,"c":365}}),
            "INVALID_CLASS_THRESHOLDS",
        );
        assert!(matches!(e, Error::InvalidClassThresholds { classes: "count", .. }));
    }
    invalid_age_buckets {
        let h = H::store();
        for edges in [json!([]), json!([60, 30]), json!([30, 30])] {
            query_err(&h, json!({"kind":"stock_aging","edges":edges}), "INVALID_AGE_BUCKETS");
        }
        let many: Vec<u32> = (1..=65).collect();
        query_err(&h, json!({"kind":"stock_aging","edges":many}), "LIMIT_EXCEEDED");
    }
    mixed_currencies {
        let mut h = H::store();
        h.ok(json!({"type":"set_item_cost","item":"SKU","unit_cost":"2","currency":"USD"}));
        h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"1"}));
        h.ok(json!({"type":"set_item_cost","item":"SKU","unit_cost":"2","currency":"EUR"}));
        h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"1"}));
        let e = query_err(&h, json!({"kind":"item_valuation","item":"SKU"}), "MIXED_CURRENCIES");
        assert_eq!(e, Error::MixedCurrencies { item: "SKU".into(), currency: "USD".into(), other: "EUR".into() });
        // Two items in two currencies: each alone is fine, the scope is not.
        let mut h = H::store();
        h.ok(json!({"type":"set_item_cost","item":"SKU","unit_cost":"2","currency":"USD"}));
        h.ok(json!({"type":"set_item_cost","item":"CAN","unit_cost":"2","currency":"EUR"}));
        h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"1"}));
        h.ok(json!({"type":"receive","item":"CAN","location":"A","qty":"1"}));
        h.e.item_valuation("CAN").unwrap();
        let e = query_err(&h, json!({"kind":"inventory_value","scope":"*"}), "MIXED_CURRENCIES");
        assert_eq!(e, Error::MixedCurrencies { item: "SKU".into(), currency: "EUR".into(), other: "USD".into() });
    }
}
