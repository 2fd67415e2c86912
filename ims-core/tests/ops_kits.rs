//! Kits: availability as the minimum over components, all-or-nothing
//! reservation of every component, commit and release of all of them, and
//! till sales of kits.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::json;

/// Kit GIFT = 2 SKU + 1 case of CAN (12) + 0.5 kg CHEESE; in bin A: 7 SKU,
/// 30 CAN, 2 kg CHEESE.
fn kitted() -> H {
    let mut h = H::store();
    for v in [
        json!({"type":"define_item","item":"GIFT"}),
        json!({"type":"define_kit","kit":"GIFT","components":[
            {"item":"SKU","qty":"2"},{"item":"CAN","qty":"1","unit":"case"},{"item":"CHEESE","qty":"500","unit":"g"}]}),
        json!({"type":"receive","item":"SKU","location":"A","qty":"7"}),
        json!({"type":"receive","item":"CAN","location":"A","qty":"30"}),
        json!({"type":"receive","item":"CHEESE","location":"A","qty":"2"}),
    ] {
        h.ok(v);
    }
    h
}

fn kits_now(h: &H) -> i64 {
    h.e.kit_availability("GIFT", &sub("WH1"), None).unwrap().available
}

#[test]
fn definition_and_availability() {
    let h = kitted();
    let k = h.e.kit("GIFT").unwrap();
    let comps: Vec<(String, String)> = k.components.iter().map(|c| (c.item.to_string(), c.qty.to_string())).collect();
    assert_eq!(comps, [("SKU".into(), "2".into()), ("CAN".into(), "12".into()), ("CHEESE".into(), "0.5".into())]);
    let a = h.e.kit_availability("GIFT", &sub("WH1"), None).unwrap();
    // SKU 7/2 = 3, CAN 30/12 = 2, CHEESE 2/0.5 = 4.
    let per: Vec<i64> = a.components.iter().map(|c| c.kits).collect();
    assert_eq!(per, [3, 2, 4]);
    assert_eq!(a.available, 2);
    assert_eq!(a.limiting.iter().map(|c| c.to_string()).collect::<Vec<_>>(), ["CAN"]);
    // Another site has none.
    assert_eq!(h.e.kit_availability("GIFT", &sub("S2"), None).unwrap().available, 0);
    let q = h.e.ops_query_json(r#"{"kind":"kit_availability","kit":"GIFT","scope":"WH1"}"#).unwrap();
    assert_eq!(q["available"], 2);
    assert_eq!(q["components"][1]["available"], "30");
}

#[test]
fn time_phased_availability() {
    let mut h = kitted();
    // 24 cans expected on day 3 (+1 inbound day at S1): 4 kits from day 4.
    h.ok(json!({"type":"expect_receipt","receipt":"PO-1","item":"CAN","location":"A","qty":"24","expected":ds(3)}));
    assert_eq!(kits_now(&h), 2);
    let on = |h: &H, n| h.e.kit_availability("GIFT", &sub("WH1"), Some(day(n))).unwrap().available;
    assert_eq!(on(&h, 0), 2);
    assert_eq!(on(&h, 4), 3, "SKU limits to 3 once cans arrive");
    let a = h.e.kit_availability("GIFT", &sub("WH1"), Some(day(4))).unwrap();
    assert_eq!(a.limiting.iter().map(|c| c.to_string()).collect::<Vec<_>>(), ["SKU"]);
}

#[test]
fn reserve_commit_all_components() {
    let mut h = kitted();
    let o = h.ok(json!({"type":"reserve_kit","reservation":"K1","kit":"GIFT","qty":"2","scope":"WH1"}));
    assert_eq!(
        of_type(&o, "reservation_created")
            .iter()
            .map(|e| e["reservation"].as_str().unwrap().to_string())
            .collect::<Vec<_>>(),
        ["K1/SKU", "K1/CAN", "K1/CHEESE"]
    );
    assert_eq!(kinds(&o).last().map(String::as_str), Some("kit_reserved"));
    assert_eq!(h.res("K1/SKU").qty.to_string(), "4");
    assert_eq!(h.res("K1/CAN").qty.to_string(), "24");
    assert_eq!(h.res("K1/CHEESE").qty.to_string(), "1");
    assert_eq!(
        (h.free("SKU", "WH1"), h.free("CAN", "WH1"), h.free("CHEESE", "WH1")),
        ("3".into(), "6".into(), "1".into())
    );
    assert_eq!(kits_now(&h), 0);

    // More kits than reserved: the first component refuses, nothing moves.
    let e = h.err(json!({"type":"commit_kit","reservation":"K1","qty":"3"}), "OVER_COMMIT");
    assert_eq!(e, ims_core::Error::OverCommit { reservation: "K1/SKU".into(), requested: d("6"), allocated: d("4") });
    // One kit ships now, the other later.
    let o = h.ok(json!({"type":"commit_kit","reservation":"K1","qty":"1","remainder":"keep","reference":"SO-9"}));
    let moves = of_type(&o, "move_posted");
    assert_eq!(
        moves.iter().map(|m| (m["item"].as_str().unwrap(), m["qty"].as_i64().unwrap())).collect::<Vec<_>>(),
        [("SKU", 2), ("CAN", 12), ("CHEESE", 500)]
    );
    assert!(moves.iter().all(|m| m["reference"] == "SO-9" && m["to"] == "@customer"));
    assert_eq!(h.bucket("SKU", "A", None), ("5".into(), "2".into()));
    let v = h.e.kit_reservation("K1").unwrap();
    assert_eq!((v.status, v.qty, v.committed), ("active", 2, 1));
    assert_eq!(v.components[1].committed.to_string(), "12");

    h.ok(json!({"type":"commit_kit","reservation":"K1"}));
    let v = h.e.kit_reservation("K1").unwrap();
    assert_eq!((v.status, v.committed), ("committed", 2));
    assert_eq!(h.bucket("SKU", "A", None), ("3".into(), "0".into()));
    assert_eq!(h.bucket("CAN", "A", None), ("6".into(), "0".into()));
    assert_eq!(h.bucket("CHEESE", "A", None), ("1".into(), "0".into()));
    // Finished: a further commit names the first component's state.
    h.err(json!({"type":"commit_kit","reservation":"K1"}), "RESERVATION_ALREADY_COMMITTED");
}

#[test]
fn reserve_is_all_or_nothing() {
    let mut h = kitted();
    h.ok(json!({"type":"reserve","reservation":"CANS","item":"CAN","qty":"20","scope":"WH1"}));
    assert_eq!(kits_now(&h), 0);
    // SKU could be reserved, CAN cannot: nothing is (the harness checks the
    // snapshot is byte-identical).
    let e = h.err(
        json!({"type":"reserve_kit","reservation":"K2","kit":"GIFT","qty":"1","scope":"WH1"}),
        "INSUFFICIENT_AVAILABLE",
    );
    assert_eq!(
        e,
        ims_core::Error::InsufficientAvailable { item: "CAN".into(), requested: d("12"), available: d("10") }
    );
    assert!(h.e.reservation("K2/SKU").is_none());
    h.ok(json!({"type":"release","reservation":"CANS"}));
    h.ok(json!({"type":"reserve_kit","reservation":"K2","kit":"GIFT","qty":"1","scope":"WH1"}));
    // The id is taken, as kit and as component prefix.
    h.err(
        json!({"type":"reserve_kit","reservation":"K2","kit":"GIFT","qty":"1","scope":"WH1"}),
        "RESERVATION_ID_CONFLICT",
    );
    h.err(json!({"type":"reserve_kit","reservation":"K3","kit":"GIFT","qty":"1.5","scope":"WH1"}), "INVALID_QUANTITY");
}

#[test]
fn release_and_expiry() {
    let mut h = kitted();
    h.ok(json!({"type":"reserve_kit","reservation":"K1","kit":"GIFT","qty":"1","scope":"WH1"}));
    assert_eq!(kits_now(&h), 1);
    let o = h.ok(json!({"type":"release_kit","reservation":"K1"}));
    assert_eq!(of_type(&o, "reservation_finished").len(), 3);
    assert_eq!(kits_now(&h), 2);
    assert_eq!(h.e.kit_reservation("K1").unwrap().status, "released");
    h.err(json!({"type":"release_kit","reservation":"K1"}), "RESERVATION_ALREADY_RELEASED");

    h.ok(json!({"type":"reserve_kit","reservation":"K2","kit":"GIFT","qty":"2","scope":"WH1","ttl_ms":15 * MIN}));
    assert_eq!(kits_now(&h), 0);
    h.advance(T0 + 16 * MIN);
    assert_eq!(kits_now(&h), 2);
    assert_eq!(h.e.kit_reservation("K2").unwrap().status, "expired");
    h.err(json!({"type":"commit_kit","reservation":"K2"}), "RESERVATION_EXPIRED");
}

#[test]
fn till_sale_of_kits() {
    let mut h = kitted();
    let o = h.ok(json!({"type":"sell_kit","kit":"GIFT","location":"A","qty":"1","reference":"TILL-1"}));
    assert_eq!(kinds(&o)[0], "kit_sold");
    let moves = of_type(&o, "move_posted");
    assert!(moves.iter().all(|m| m["reason"] == "sale" && m["reference"] == "TILL-1" && m["from"] == "A"));
    assert_eq!(h.bucket("SKU", "A", None), ("5".into(), "0".into()));
    assert_eq!(h.bucket("CAN", "A", None), ("18".into(), "0".into()));
    assert_eq!(h.bucket("CHEESE", "A", None), ("1.5".into(), "0".into()));
    // A fact: it posts even past what is there.
    let o = h.ok(json!({"type":"sell_kit","kit":"GIFT","location":"A","qty":"3"}));
    assert!(kinds(&o).contains(&"negative_stock".to_string()));
    assert_eq!(h.bucket("SKU", "A", None), ("-1".into(), "0".into()));
}

#[test]
fn redefinition_replaces_components() {
    let mut h = kitted();
    h.ok(json!({"type":"define_kit","kit":"GIFT","components":[{"item":"SKU","qty":"1"}]}));
    assert_eq!(kits_now(&h), 7);
    let q = h.e.ops_query_json(r#"{"kind":"kit","kit":"GIFT"}"#).unwrap();
    assert_eq!(q, json!({"kit":"GIFT","components":[{"item":"SKU","qty":"1"}]}));
}
