//! Logistics: carrier rate tables, carrier selection and shipment tracking.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::{json, Value};

fn band(zone: &str, max: &str, price: &str, days: u32) -> Value {
    json!({"zone":zone,"max_weight_kg":max,"price":price,"transit_days":days})
}

fn chosen(h: &H, w: &str, zone: &str, promised: i32) -> Option<(String, String)> {
    h.e.select_carrier(d(w), zone, day(0), day(promised))
        .unwrap()
        .chosen
        .map(|q| (q.carrier.to_string(), q.service.to_string()))
}

fn cs(c: &str, s: &str) -> Option<(String, String)> {
    Some((c.into(), s.into()))
}

#[test]
fn the_cheapest_service_that_meets_the_date_wins_and_ties_are_broken_by_transit_then_codes() {
    let mut h = H::new();
    h.ok(json!({"type":"define_carrier","carrier":"B","services":[
        {"service":"S2","rates":[band("Z","1","5",3), band("Z","10","9",3)]},
        {"service":"S1","rates":[band("Z","10","9",3)]}]}));
    h.ok(json!({"type":"define_carrier","carrier":"A","services":[
        {"service":"Q","rates":[band("Z","10","9",2), band("Y","10","1",9)]}]}));
    // Light: B/S2's first band (5) is cheapest.
    assert_eq!(chosen(&h, "1", "Z", 5), cs("B", "S2"));
    // Band edges are inclusive: 1 kg is still the first band.
    assert_eq!(h.e.select_carrier(d("1.0"), "Z", day(0), day(5)).unwrap().chosen.unwrap().price, d("5"));
    // 9 everywhere: A/Q is faster (2 days) than B's services (3).
    assert_eq!(chosen(&h, "2", "Z", 5), cs("A", "Q"));
    // Without A (too slow is impossible here, so use zone Y to remove it
    // from Z's race): B/S1 and B/S2 tie on price and days, S1 wins by code.
    h.ok(json!({"type":"define_carrier","carrier":"A","services":[{"service":"Q","rates":[band("Y","10","1",9)]}]}));
    assert_eq!(chosen(&h, "2", "Z", 5), cs("B", "S1"));
    // Carrier code breaks a tie before service code.
    h.ok(json!({"type":"define_carrier","carrier":"A","services":[{"service":"Z9","rates":[band("Z","10","9",3)]}]}));
    assert_eq!(chosen(&h, "2", "Z", 5), cs("A", "Z9"));
    // Nothing meets the date: no choice, every service rejected and why.
    let c = h.e.select_carrier(d("2"), "Z", day(0), day(2)).unwrap();
    assert_eq!(c.chosen, None);
    let why: Vec<Value> = c.rejected.iter().map(|r| serde_json::to_value(r).unwrap()).collect();
    let slow = json!({"reason":"too_slow","transit_days":3,"delivery_date":ds(3)});
    let mut expect = Vec::new();
    for (c, s) in [("A", "Z9"), ("B", "S1"), ("B", "S2")] {
        let mut v = json!({"carrier":c,"service":s});
        v.as_object_mut().unwrap().extend(slow.as_object().unwrap().clone());
        expect.push(v);
    }
    assert_eq!(why, expect);
    // Over every band; a zone nobody serves.
    let c = h.e.select_carrier(d("10.5"), "Z", day(0), day(9)).unwrap();
    assert_eq!(c.chosen, None);
    assert_eq!(
        serde_json::to_value(&c.rejected[2]).unwrap(),
        json!({"carrier":"B","service":"S2","reason":"over_weight","max_weight_kg":"10"})
    );
    let c = h.e.select_carrier(d("1"), "Q", day(0), day(9)).unwrap();
    assert!(c.rejected.iter().all(|r| serde_json::to_value(r).unwrap()["reason"] == "no_rate_for_zone"));
    assert_eq!(c.rejected.len(), 3);
    // The JSON query gives the same answer.
    let q =
        h.e.ops_query_json(
            &json!({"kind":"select_carrier","weight_kg":"2","zone":"Z","ship_date":ds(0),
        "promised_date":ds(5)})
            .to_string(),
        )
        .unwrap();
    assert_eq!(q["chosen"], json!({"carrier":"A","service":"Z9","price":"9","transit_days":3,"delivery_date":ds(3)}));
    assert_eq!(q["rejected"].as_array().unwrap().len(), 2);
    // Rates are kept sorted and normalised.
    let carrier = h.e.ops_query_json(r#"{"kind":"carrier","carrier":"B"}"#).unwrap();
    assert_eq!(carrier["services"][0]["service"], "S1");
    assert_eq!(carrier["services"][1]["rates"][0]["max_weight_kg"], "1");
}

/// A shipped order SO1 (package P1) and carrier C/S.
fn shipped() -> H {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"2"}));
    h.ok(json!({"type":"create_sales_order","order":"SO1","lines":[{"line":"1","item":"SKU","qty":"2"}],
        "requested_ship_date":ds(0),"scope":"WH1"}));
    h.ok(json!({"type":"allocate_order","order":"SO1"}));
    h.ok(json!({"type":"create_pick_list","pick_list":"PL","orders":["SO1"],"staging":"STG"}));
    h.ok(json!({"type":"confirm_pick","pick_list":"PL","task":1,"picked":"2"}));
    h.ok(json!({"type":"pack","package":"P1","order":"SO1","contents":[{"line":"1","qty":"2"}],"weight_kg":"3"}));
    h.ok(json!({"type":"ship_order","order":"SO1","packages":["P1"]}));
    h.ok(json!({"type":"define_carrier","carrier":"C","services":[{"service":"S","rates":[band("Z","5","4",1)]}]}));
    h
}

fn track(h: &H, s: &str) -> Vec<(String, i64)> {
    h.e.shipment(s).unwrap().history.iter().map(|t| (t.status.name().to_string(), t.at)).collect()
}

#[test]
fn a_shipment_is_tracked_through_an_exception_to_delivery() {
    let mut h = shipped();
    h.ok(json!({"type":"create_shipment","shipment":"SH1","order":"SO1","packages":["P1"],"carrier":"C","service":"S",
        "tracking":"TRK-1"}));
    let s = h.e.shipment("SH1").unwrap();
    assert_eq!((s.status.name(), s.weight_kg, &*s.tracking), ("created", Some(d("3")), "TRK-1"));
    h.at(T0 + HOUR).ok(json!({"type":"pick_up_shipment","shipment":"SH1"}));
    h.at(T0 + 2 * HOUR).ok(json!({"type":"mark_shipment_in_transit","shipment":"SH1"}));
    let o = h.at(T0 + 3 * HOUR).ok(json!({"type":"report_shipment_exception","shipment":"SH1","reason":"address"}));
    assert_eq!(of_type(&o, "shipment_exception")[0]["reason"], "address");
    h.at(T0 + 4 * HOUR).ok(json!({"type":"mark_shipment_in_transit","shipment":"SH1"}));
    h.at(T0 + 5 * HOUR).ok(json!({"type":"deliver_shipment","shipment":"SH1"}));
    assert_eq!(
        track(&h, "SH1"),
        vec![
            ("created".into(), T0),
            ("picked_up".into(), T0 + HOUR),
            ("in_transit".into(), T0 + 2 * HOUR),
            ("exception".into(), T0 + 3 * HOUR),
            ("in_transit".into(), T0 + 4 * HOUR),
            ("delivered".into(), T0 + 5 * HOUR),
        ]
    );
    // Delivered is final.
    h.err(
        json!({"type":"report_shipment_exception","shipment":"SH1","reason":"late"}),
        "SHIPMENT_EXCEPTION_NOT_ALLOWED",
    );
    h.err(json!({"type":"mark_shipment_in_transit","shipment":"SH1"}), "SHIPMENT_CANNOT_GO_IN_TRANSIT");
    h.err(json!({"type":"deliver_shipment","shipment":"SH1"}), "SHIPMENT_NOT_DELIVERABLE");
    let q = h.e.ops_query_json(r#"{"kind":"shipment","shipment":"SH1"}"#).unwrap();
    assert_eq!(q["status"], "delivered");
    // It survives snapshot and restore.
    let back = ims_core::Engine::restore(&h.e.snapshot()).unwrap();
    assert_eq!(back.shipment("SH1"), h.e.shipment("SH1"));
}

#[test]
fn an_exception_can_be_delivered_directly_and_redefining_a_carrier_keeps_its_shipments() {
    let mut h = shipped();
    h.ok(
        json!({"type":"create_shipment","shipment":"SH1","packages":["P1"],"carrier":"C","service":"S","tracking":"T"}),
    );
    h.ok(json!({"type":"pick_up_shipment","shipment":"SH1"}));
    h.ok(json!({"type":"report_shipment_exception","shipment":"SH1","reason":"customs"}));
    h.ok(json!({"type":"deliver_shipment","shipment":"SH1"}));
    assert_eq!(h.e.shipment("SH1").unwrap().status.name(), "delivered");
    h.ok(json!({"type":"define_carrier","carrier":"C","services":[{"service":"T","rates":[band("Z","5","4",1)]}]}));
    assert!(h.e.carrier("C").unwrap().service("S").is_none());
    assert_eq!(&*h.e.shipment("SH1").unwrap().service, "S");
}

#[test]
fn a_refused_carrier_definition_changes_nothing_in_an_atomic_batch() {
    let mut h = H::new();
    let good = cmd(
        json!({"type":"define_carrier","occurred_at":T0,"carrier":"C","services":[{"service":"S","rates":[band("Z","5","4",1)]}]}),
    );
    let bad = cmd(
        json!({"type":"define_carrier","occurred_at":T0,"carrier":"D","services":[{"service":"S","rates":[band("Z","5","-4",1)]}]}),
    );
    expect_batch_err(&mut h.e, &[good, bad], 1, "INVALID_RATE_TABLE");
    assert!(h.e.carrier("C").is_none());
}
