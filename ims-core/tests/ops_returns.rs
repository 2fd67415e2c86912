//! Returns: RMAs authorised against shipped quantity, received into a
//! returns location and graded A/B/C, with balances and documents checked
//! at every step (the harness also checks verify(), a replica and the
//! envelope round trip after each command).

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::json;

/// The store plus a returns bay RET (staging, not sellable), a quarantine
/// QUA and a host customer location WEB (customer kind); 10 SKU in A; SO-1
/// ships 5 SKU (reserve + commit with the order as reference) at T0.
fn shipped() -> H {
    let mut h = H::store();
    for v in [
        json!({"type":"define_location","location":"RET","kind":"staging","parent":"WH1"}),
        json!({"type":"define_location","location":"QUA","kind":"quarantine","parent":"WH1"}),
        json!({"type":"define_location","location":"WEB","kind":"customer"}),
        json!({"type":"receive","item":"SKU","location":"A","qty":"10"}),
        json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"5","scope":"WH1"}),
        json!({"type":"commit","reservation":"R1","reference":"SO-1","destination":"WEB"}),
    ] {
        h.ok(v);
    }
    h
}

fn returnable(h: &H, order: &str, item: &str) -> (String, String, String) {
    let r = h.e.returnable(order, item).unwrap();
    (r.shipped.to_string(), r.claimed.to_string(), r.returnable.to_string())
}

fn s(v: (&str, &str, &str)) -> (String, String, String) {
    (v.0.into(), v.1.into(), v.2.into())
}

#[test]
fn authorise_receive_grade_close() {
    let mut h = shipped();
    assert_eq!(returnable(&h, "SO-1", "SKU"), s(("5", "0", "5")));
    assert_eq!(h.e.returnable("SO-1", "SKU").unwrap().last_shipped_at, Some(T0));

    h.at(T0 + 2 * DAY);
    let o = h.ok(json!({"type":"authorise_return","rma":"RMA-1","order":"SO-1","lines":[{"item":"SKU","qty":"3"}]}));
    assert_eq!(kinds(&o), ["return_authorised"]);
    assert_eq!(evs(&o)[0]["lines"], json!([{"item":"SKU","qty":3,"customer":"WEB"}]));
    assert_eq!(evs(&o)[0]["window_days"], 30);
    assert_eq!(returnable(&h, "SO-1", "SKU"), s(("5", "3", "2")));
    let v = h.e.rma("RMA-1").unwrap();
    assert_eq!(serde_json::to_value(v.status).unwrap(), "authorised");
    assert_eq!(v.authorised_at, T0 + 2 * DAY);

    // Partial receipt: from the customer location it shipped to.
    let o = h.ok(json!({"type":"receive_return","rma":"RMA-1","location":"RET","lines":[{"item":"SKU","qty":"2"}]}));
    assert_eq!(kinds(&o), ["return_received", "move_posted"]);
    let m = &of_type(&o, "move_posted")[0];
    assert_eq!(
        (m["from"].as_str(), m["to"].as_str(), m["reason"].as_str()),
        (Some("WEB"), Some("RET"), Some("customer_return"))
    );
    assert_eq!(m["reference"], "RMA-1");
    assert_eq!(h.bucket("SKU", "RET", None), ("2".into(), "0".into()));
    // RET is staging: not sellable, so availability is unchanged.
    assert_eq!(h.free("SKU", "WH1"), "5");
    let v = h.e.rma("RMA-1").unwrap();
    assert_eq!(serde_json::to_value(v.status).unwrap(), "received");
    assert_eq!((v.lines[0].received.to_string(), v.lines[0].ungraded.to_string()), ("2".into(), "2".into()));

    // Grade: one A back to bin A, one B to quarantine.
    let o = h.ok(json!({"type":"grade_return","rma":"RMA-1","lines":[
        {"item":"SKU","qty":"1","grade":"a","to":"A","reason":"unopened"},
        {"item":"SKU","qty":"1","grade":"b","to":"QUA","reason":"scuffed box"}]}));
    assert_eq!(kinds(&o), ["return_graded", "move_posted", "return_graded", "move_posted"]);
    for m in of_type(&o, "move_posted") {
        assert_eq!(
            (m["reason"].as_str(), m["reference"].as_str(), m["from"].as_str()),
            (Some("grading"), Some("RMA-1"), Some("RET"))
        );
    }
    assert_eq!(of_type(&o, "return_graded")[1]["reason"], "scuffed box");
    assert_eq!(h.bucket("SKU", "A", None), ("6".into(), "0".into()));
    assert_eq!(h.bucket("SKU", "QUA", None), ("1".into(), "0".into()));
    assert_eq!(h.bucket("SKU", "RET", None), ("0".into(), "0".into()));
    assert_eq!(h.free("SKU", "WH1"), "6");
    let v = h.e.rma("RMA-1").unwrap();
    assert_eq!(serde_json::to_value(v.status).unwrap(), "graded");
    assert!(v.held.is_empty());
    assert_eq!(v.gradings.len(), 2);

    // The rest arrives and is scrapped; then the RMA closes.
    h.ok(json!({"type":"receive_return","rma":"RMA-1","location":"RET","lines":[{"item":"SKU","qty":"1"}]}));
    assert_eq!(serde_json::to_value(h.e.rma("RMA-1").unwrap().status).unwrap(), "received");
    let o = h.ok(
        json!({"type":"grade_return","rma":"RMA-1","lines":[{"item":"SKU","qty":"1","grade":"c","reason":"crushed"}]}),
    );
    assert_eq!(of_type(&o, "move_posted")[0]["to"], "@scrap");
    assert_eq!(h.bucket("SKU", "RET", None), ("0".into(), "0".into()));
    h.ok(json!({"type":"close_return","rma":"RMA-1"}));
    let v = h.e.rma("RMA-1").unwrap();
    assert_eq!(serde_json::to_value(v.status).unwrap(), "closed");
    assert_eq!((v.lines[0].received.to_string(), v.lines[0].graded.to_string()), ("3".into(), "3".into()));
    // A closed RMA claims what it received.
    assert_eq!(returnable(&h, "SO-1", "SKU"), s(("5", "3", "2")));
}

#[test]
fn closing_early_frees_what_was_not_received() {
    let mut h = shipped();
    h.ok(json!({"type":"authorise_return","rma":"RMA-1","order":"SO-1","lines":[{"item":"SKU","qty":"4"}]}));
    h.ok(json!({"type":"receive_return","rma":"RMA-1","location":"RET","lines":[{"item":"SKU","qty":"1"}]}));
    h.ok(json!({"type":"grade_return","rma":"RMA-1","lines":[{"item":"SKU","qty":"1","grade":"a","to":"B","reason":"ok"}]}));
    assert_eq!(returnable(&h, "SO-1", "SKU"), s(("5", "4", "1")));
    h.ok(json!({"type":"close_return","rma":"RMA-1"}));
    assert_eq!(returnable(&h, "SO-1", "SKU"), s(("5", "1", "4")));
    assert_eq!(h.bucket("SKU", "B", None), ("1".into(), "0".into()));
}

#[test]
fn cancelled_rma_frees_its_quantity() {
    let mut h = shipped();
    h.ok(json!({"type":"authorise_return","rma":"RMA-1","order":"SO-1","lines":[{"item":"SKU","qty":"5"}]}));
    assert_eq!(returnable(&h, "SO-1", "SKU"), s(("5", "5", "0")));
    h.err(
        json!({"type":"authorise_return","rma":"RMA-2","order":"SO-1","lines":[{"item":"SKU","qty":"1"}]}),
        "RETURN_EXCEEDS_SHIPPED",
    );
    let o = h.ok(json!({"type":"cancel_return","rma":"RMA-1"}));
    assert_eq!(kinds(&o), ["return_cancelled"]);
    assert_eq!(returnable(&h, "SO-1", "SKU"), s(("5", "0", "5")));
    h.ok(json!({"type":"authorise_return","rma":"RMA-2","order":"SO-1","lines":[{"item":"SKU","qty":"5"}]}));
}

#[test]
fn shipped_quantity_comes_from_the_ledger() {
    let mut h = shipped();
    // A second shipment of the same order later, and one of another order.
    h.at(T0 + 5 * DAY);
    h.ok(json!({"type":"reserve","reservation":"R2","item":"SKU","qty":"2","scope":"WH1"}));
    let o = h.ok(json!({"type":"commit","reservation":"R2","reference":"SO-1"}));
    let second = of_type(&o, "move_posted")[0]["move_id"].as_u64().unwrap();
    h.ok(json!({"type":"reserve","reservation":"R3","item":"SKU","qty":"1","scope":"WH1"}));
    h.ok(json!({"type":"commit","reservation":"R3","reference":"SO-2"}));
    // An internal move carrying the order reference is not a shipment.
    assert_eq!(returnable(&h, "SO-1", "SKU"), s(("7", "0", "7")));
    assert_eq!(returnable(&h, "SO-2", "SKU"), s(("1", "0", "1")));
    // The window counts from the last shipment of the line.
    assert_eq!(h.e.returnable("SO-1", "SKU").unwrap().last_shipped_at, Some(T0 + 5 * DAY));
    h.at(T0 + 34 * DAY);
    h.ok(json!({"type":"authorise_return","rma":"RMA-1","order":"SO-1","lines":[{"item":"SKU","qty":"1"}]}));
    // A reversed shipment no longer counts.
    h.ok(json!({"type":"reverse","move_id":second}));
    assert_eq!(returnable(&h, "SO-1", "SKU"), s(("5", "1", "4")));
    assert_eq!(h.e.returnable("SO-1", "SKU").unwrap().last_shipped_at, Some(T0));
    h.err(
        json!({"type":"authorise_return","rma":"RMA-2","order":"SO-1","lines":[{"item":"SKU","qty":"1"}]}),
        "RETURN_WINDOW_CLOSED",
    );
}

#[test]
fn till_sales_are_returned_by_receipt_number() {
    let mut h = shipped();
    h.ok(json!({"type":"sell","item":"SKU","location":"A","qty":"2","reference":"TILL-9"}));
    assert_eq!(returnable(&h, "TILL-9", "SKU"), s(("2", "0", "2")));
    h.ok(json!({"type":"authorise_return","rma":"T-1","order":"TILL-9","lines":[{"item":"SKU","qty":"1"}],"window_days":14}));
    let o = h.ok(json!({"type":"receive_return","rma":"T-1","location":"RET","lines":[{"item":"SKU","qty":"1"}]}));
    assert_eq!(of_type(&o, "move_posted")[0]["from"], "@customer");
    assert_eq!(h.e.rma("T-1").unwrap().window_days, 14);
}

#[test]
fn lot_tracked_returns_keep_their_lot() {
    let mut h = shipped();
    h.ok(json!({"type":"receive","item":"MILK","location":"A","qty":"6","lot":"L1"}));
    h.ok(json!({"type":"reserve","reservation":"RM","item":"MILK","qty":"4","scope":"WH1"}));
    h.ok(json!({"type":"commit","reservation":"RM","reference":"SO-7"}));
    h.ok(json!({"type":"authorise_return","rma":"RMA-M","order":"SO-7","lines":[{"item":"MILK","qty":"3"}]}));
    h.err(
        json!({"type":"receive_return","rma":"RMA-M","location":"RET","lines":[{"item":"MILK","qty":"1"}]}),
        "LOT_REQUIRED",
    );
    h.err(
        json!({"type":"receive_return","rma":"RMA-M","location":"RET","lines":[{"item":"MILK","qty":"1","lot":"L9"}]}),
        "UNKNOWN_LOT",
    );
    h.ok(
        json!({"type":"receive_return","rma":"RMA-M","location":"RET","lines":[{"item":"MILK","qty":"3","lot":"L1"}]}),
    );
    assert_eq!(h.bucket("MILK", "RET", Some("L1")), ("3".into(), "0".into()));
    // Lot and location default to the held bucket.
    h.ok(json!({"type":"grade_return","rma":"RMA-M","lines":[
        {"item":"MILK","qty":"2","grade":"a","to":"A","reason":"sealed"},
        {"item":"MILK","qty":"1","grade":"c","reason":"opened"}]}));
    assert_eq!(h.bucket("MILK", "A", Some("L1")), ("4".into(), "0".into()));
    assert_eq!(h.bucket("MILK", "RET", Some("L1")), ("0".into(), "0".into()));
    let v = h.e.rma("RMA-M").unwrap();
    assert_eq!(v.gradings[0].lot.as_deref(), Some("L1"));
    assert_eq!(serde_json::to_value(v.status).unwrap(), "graded");
}

#[test]
fn graded_stock_must_still_be_there() {
    let mut h = shipped();
    h.ok(json!({"type":"authorise_return","rma":"RMA-1","order":"SO-1","lines":[{"item":"SKU","qty":"2"}]}));
    h.ok(json!({"type":"receive_return","rma":"RMA-1","location":"RET","lines":[{"item":"SKU","qty":"2"}]}));
    // Someone carried one unit away before grading.
    h.ok(json!({"type":"move","item":"SKU","from":"RET","to":"B","qty":"1"}));
    let e = h.err(
        json!({"type":"grade_return","rma":"RMA-1","lines":[{"item":"SKU","qty":"2","grade":"c","reason":"x"}]}),
        "INSUFFICIENT_STOCK",
    );
    assert!(matches!(e, ims_core::Error::InsufficientStock { .. }));
    h.ok(json!({"type":"grade_return","rma":"RMA-1","lines":[{"item":"SKU","qty":"1","grade":"c","reason":"x"}]}));
}

#[test]
fn a_restock_serves_open_demand() {
    let mut h = shipped();
    h.ok(json!({"type":"authorise_return","rma":"RMA-1","order":"SO-1","lines":[{"item":"SKU","qty":"1"}]}));
    h.ok(json!({"type":"reserve","reservation":"BIG","item":"SKU","qty":"6","scope":"WH1","fill":"partial"}));
    assert_eq!(h.res("BIG").open_demand.to_string(), "1");
    h.ok(json!({"type":"receive_return","rma":"RMA-1","location":"RET","lines":[{"item":"SKU","qty":"1"}]}));
    assert_eq!(h.res("BIG").open_demand.to_string(), "1", "stock in a returns bay is not sellable");
    h.ok(json!({"type":"grade_return","rma":"RMA-1","lines":[{"item":"SKU","qty":"1","grade":"a","to":"C","reason":"ok"}]}));
    assert_eq!(h.res("BIG").open_demand.to_string(), "0");
    assert_eq!(h.bucket("SKU", "C", None), ("1".into(), "1".into()));
}

#[test]
fn rma_queries_in_json() {
    let mut h = shipped();
    h.ok(json!({"type":"authorise_return","rma":"RMA-1","order":"SO-1","lines":[{"item":"SKU","qty":"2"}]}));
    let v = h.e.ops_query_json(r#"{"kind":"rma","rma":"RMA-1"}"#).unwrap();
    assert_eq!(v["status"], "authorised");
    assert_eq!(v["lines"][0]["authorised"], "2");
    let r = h.e.ops_query_json(r#"{"kind":"returnable","order":"SO-1","item":"SKU"}"#).unwrap();
    assert_eq!((r["shipped"].as_str(), r["returnable"].as_str()), (Some("5"), Some("3")));
}

#[test]
fn serials_return_one_by_one() {
    let mut h = shipped();
    h.ok(json!({"type":"receive","item":"PHONE","location":"A","qty":"1","lot":"SN-1"}));
    h.ok(json!({"type":"receive","item":"PHONE","location":"A","qty":"1","lot":"SN-2"}));
    h.ok(json!({"type":"sell","item":"PHONE","location":"A","qty":"1","lot":"SN-1","reference":"TILL-3"}));
    h.ok(json!({"type":"sell","item":"PHONE","location":"A","qty":"1","lot":"SN-2","reference":"TILL-3"}));
    h.ok(json!({"type":"authorise_return","rma":"P-1","order":"TILL-3","lines":[{"item":"PHONE","qty":"2"}]}));
    h.err(
        json!({"type":"receive_return","rma":"P-1","location":"RET","lines":[{"item":"PHONE","qty":"2","lot":"SN-1"}]}),
        "SERIAL_QUANTITY",
    );
    h.ok(json!({"type":"receive_return","rma":"P-1","location":"RET","lines":[
        {"item":"PHONE","qty":"1","lot":"SN-1"},{"item":"PHONE","qty":"1","lot":"SN-2"}]}));
    // Grading picks the serial named, else the first held one.
    h.ok(json!({"type":"grade_return","rma":"P-1","lines":[{"item":"PHONE","qty":"1","grade":"b","to":"QUA","lot":"SN-2","reason":"cracked"}]}));
    assert_eq!(h.bucket("PHONE", "QUA", Some("SN-2")), ("1".into(), "0".into()));
    h.ok(json!({"type":"grade_return","rma":"P-1","lines":[{"item":"PHONE","qty":"1","grade":"a","to":"A","reason":"sealed"}]}));
    assert_eq!(h.bucket("PHONE", "A", Some("SN-1")), ("1".into(), "0".into()));
    h.ok(json!({"type":"close_return","rma":"P-1"}));
}

#[test]
fn grading_into_the_returns_bucket_itself_is_refused() {
    let mut h = shipped();
    h.ok(json!({"type":"authorise_return","rma":"RMA-1","order":"SO-1","lines":[{"item":"SKU","qty":"1"}]}));
    // Received straight into a sellable bin.
    h.ok(json!({"type":"receive_return","rma":"RMA-1","location":"B","lines":[{"item":"SKU","qty":"1"}]}));
    assert_eq!(h.free("SKU", "WH1"), "6");
    h.err(json!({"type":"grade_return","rma":"RMA-1","lines":[{"item":"SKU","qty":"1","grade":"a","to":"B","reason":"ok"}]}),
        "SAME_LOCATION");
    h.ok(json!({"type":"grade_return","rma":"RMA-1","lines":[{"item":"SKU","qty":"1","grade":"a","to":"A","reason":"ok"}]}));
    assert_eq!(h.bucket("SKU", "A", None), ("6".into(), "0".into()));
}

#[test]
fn a_return_taken_at_the_till_is_no_longer_returnable() {
    let mut h = shipped();
    h.ok(json!({"type":"sell","item":"SKU","location":"A","qty":"3","reference":"TILL-9"}));
    h.ok(json!({"type":"return_sale","item":"SKU","location":"A","qty":"2","reference":"TILL-9"}));
    assert_eq!(returnable(&h, "TILL-9", "SKU"), s(("1", "0", "1")));
    h.err(
        json!({"type":"authorise_return","rma":"T-2","order":"TILL-9","lines":[{"item":"SKU","qty":"2"}]}),
        "RETURN_EXCEEDS_SHIPPED",
    );
}
