//! Valuation: FIFO layers and weighted average cost as a fold over the
//! ledger in posting order, on a hand-computed sequence with a purchase
//! order price, a standard cost, a transfer, a back-dated receipt and a
//! reversal; value by location adds up to the total; the WAC rounding rule.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use ims_core::ops::demand::ScopeFilter;
use serde_json::{json, Value};

fn q(h: &H, v: Value) -> Value {
    h.e.ops_query_json(&v.to_string()).unwrap()
}

fn val(h: &H) -> Value {
    q(h, json!({"kind":"item_valuation","item":"SKU"}))
}

/// (location, origin move, qty, unit cost) of each layer.
fn layers(v: &Value) -> Vec<(String, u64, String, String)> {
    v["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["location"].as_str().unwrap().into(),
                l["origin_move"].as_u64().unwrap(),
                l["qty"].as_str().unwrap().into(),
                l["unit_cost"].as_str().unwrap().into(),
            )
        })
        .collect()
}

fn l(loc: &str, origin: u64, qty: &str, cost: &str) -> (String, u64, String, String) {
    (loc.into(), origin, qty.into(), cost.into())
}

/// Moves: 1 receipt of PO-1 (10 @ 3.00) at RCV; 2 receive 10 at A at the
/// standard cost 5; 3 transfer 6 RCV → A; 4 sale of 8 at A; 5 a receipt
/// of 4 at A back-dated before move 1, at the new standard cost 6;
/// 6 sale of 9 at A.
fn sequence() -> H {
    let mut h = H::store();
    for v in [
        json!({"type":"define_supplier","supplier":"ACME","currency":"EUR","lead_time_mean_days":"4"}),
        json!({"type":"set_supplier_item","supplier":"ACME","item":"SKU","unit_price":"3.00","preferred":true}),
        json!({"type":"create_po","po":"PO-1","supplier":"ACME",
               "lines":[{"item":"SKU","qty":"10","expected":ds(3),"location":"RCV"}]}),
        json!({"type":"confirm_po","po":"PO-1"}),
    ] {
        h.ok(v);
    }
    h.at(T0 + HOUR);
    h.ok(json!({"type":"receive_po","grn":"GRN-1","po":"PO-1","location":"RCV","lines":[{"po_line":1,"qty":"10"}]}));
    h.ok(json!({"type":"set_item_cost","item":"SKU","unit_cost":"5","currency":"EUR"}));
    h.at(T0 + 2 * HOUR).ok(json!({"type":"receive","item":"SKU","location":"A","qty":"10"}));
    h.ok(json!({"type":"move","item":"SKU","from":"RCV","to":"A","qty":"6"}));
    h.at(T0 + 3 * HOUR).ok(json!({"type":"sell","item":"SKU","location":"A","qty":"8"}));
    h.ok(json!({"type":"set_item_cost","item":"SKU","unit_cost":"6"}));
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"4","occurred_at":T0}));
    h.at(T0 + 4 * HOUR).ok(json!({"type":"sell","item":"SKU","location":"A","qty":"9"}));
    h
}

#[test]
fn fifo_and_wac_follow_the_hand_computed_sequence() {
    let h = sequence();
    let v = val(&h);
    // FIFO. RCV keeps 4 of the PO layer. A: the transfer brought 6 @3
    // (age: move 1) ahead of its own 10 @5; the first sale took 6 @3 and
    // 2 @5; the back-dated receipt was posted fifth, so it queues after
    // move 2 (posting order, not occurred_at); the second sale took 8 @5
    // and 1 @6.
    assert_eq!(layers(&v), vec![l("A", 5, "3", "6"), l("RCV", 1, "4", "3")]);
    assert_eq!(v["on_hand"], "7");
    assert_eq!(v["fifo_value"], "30");
    // WAC: 10 @3, +10 @5 → 4; sale of 8 keeps 4; +4 @6 on 12 → 72/16 =
    // 4.5; sale of 9 keeps 4.5: 7 × 4.5.
    assert_eq!(v["average_cost"], "4.5");
    assert_eq!(v["wac_value"], "31.5");
    assert_eq!(v["currency"], "EUR");
    assert_eq!(v["uncosted_moves"], 0);
    // By location: FIFO 18 + 12, WAC 13.5 + 18.
    let locs: Vec<(String, String, String, String)> = v["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            let s = |k: &str| x[k].as_str().unwrap().to_string();
            (s("location"), s("on_hand"), s("fifo_value"), s("wac_value"))
        })
        .collect();
    let t = |a: &str, b: &str, c: &str, d: &str| (a.to_string(), b.to_string(), c.to_string(), d.to_string());
    assert_eq!(locs, vec![t("A", "3", "18", "13.5"), t("RCV", "4", "12", "18")]);
    // The whole stock, and S1 alone (everything is in S1), add up.
    for scope in [ScopeFilter::All, ScopeFilter::Subtree("S1".into())] {
        let iv = h.e.inventory_value(&scope).unwrap();
        assert_eq!(iv.fifo_value.to_string(), "30");
        assert_eq!(iv.wac_value.to_string(), "31.5");
        let sum: rust_decimal::Decimal = iv.locations.iter().map(|x| x.fifo_value).sum();
        assert_eq!(sum.to_string(), "30");
    }
    // A alone.
    let iv = h.e.inventory_value(&ScopeFilter::Location("A".into())).unwrap();
    assert_eq!((iv.fifo_value.to_string(), iv.wac_value.to_string()), ("18".into(), "13.5".into()));
    // The typed API is the JSON answer.
    assert_eq!(serde_json::to_value(h.e.item_valuation("SKU").unwrap()).unwrap(), v);
}

#[test]
fn a_reversed_sale_puts_back_the_layers_it_took_and_a_reversed_receipt_takes_its_own() {
    let mut h = sequence();
    h.ok(json!({"type":"reverse","move_id":6}));
    let v = val(&h);
    assert_eq!(layers(&v), vec![l("A", 2, "8", "5"), l("A", 5, "4", "6"), l("RCV", 1, "4", "3")]);
    assert_eq!(v["fifo_value"], "76");
    // WAC: 9 come back at the 4.5 they left at.
    assert_eq!(v["average_cost"], "4.5");
    assert_eq!(v["wac_value"], "72");
    // Reversing the back-dated receipt takes its own layer (not the
    // oldest), and the average leaves at its cost: (16 × 4.5 − 4 × 6) / 12.
    h.ok(json!({"type":"reverse","move_id":5}));
    let v = val(&h);
    assert_eq!(layers(&v), vec![l("A", 2, "8", "5"), l("RCV", 1, "4", "3")]);
    assert_eq!(v["average_cost"], "4");
    assert_eq!(v["wac_value"], "48");
}

#[test]
fn the_average_is_kept_to_twelve_places_half_to_even_and_uncosted_stock_is_flagged() {
    let mut h = H::store();
    // 1 @2, then 2 uncosted (zero): 2/3 → 0.666666666667.
    h.ok(json!({"type":"receive","item":"CAN","location":"A","qty":"2"}));
    h.ok(json!({"type":"set_item_cost","item":"CAN","unit_cost":"2"}));
    h.ok(json!({"type":"receive","item":"CAN","location":"A","qty":"1"}));
    let v = q(&h, json!({"kind":"item_valuation","item":"CAN"}));
    assert_eq!(v["average_cost"], "0.666666666667");
    assert_eq!(v["wac_value"], "2.000000000001", "value is quantity × the rounded average");
    assert_eq!(v["fifo_value"], "2");
    assert_eq!(v["uncosted_moves"], 1);
    assert_eq!(v["layers"][0]["uncosted"], true);
    assert!(v["layers"][1].get("uncosted").is_none());
    let iv = h.e.inventory_value(&ScopeFilter::All).unwrap();
    assert_eq!(iv.uncosted_items.iter().map(|c| c.to_string()).collect::<Vec<_>>(), vec!["CAN"]);
}

#[test]
fn selling_beyond_the_layers_owes_stock_that_the_next_receipt_settles() {
    let mut h = H::store();
    h.ok(json!({"type":"set_item_cost","item":"SKU","unit_cost":"2"}));
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"3"}));
    h.ok(json!({"type":"sell","item":"SKU","location":"A","qty":"5"}));
    let v = val(&h);
    // 3 @2 taken, 2 owed at the last cost taken (2).
    assert_eq!(v["on_hand"], "-2");
    assert_eq!(v["fifo_value"], "-4");
    h.ok(json!({"type":"set_item_cost","item":"SKU","unit_cost":"3"}));
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"5"}));
    let v = val(&h);
    // 2 of the 5 settle what was owed; 3 @3 remain; 2 × (3 − 2) variance.
    assert_eq!(layers(&v), vec![l("A", 3, "3", "3")]);
    assert_eq!(v["fifo_value"], "9");
    assert_eq!(v["variance"], "2");
    assert_eq!(v["average_cost"], "3", "from zero or below, the average is the arriving cost");
}

#[test]
fn reversing_a_sale_that_went_negative_restores_the_layers_without_variance() {
    let mut h = H::store();
    h.ok(json!({"type":"set_item_cost","item":"SKU","unit_cost":"2"}));
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"3"}));
    h.ok(json!({"type":"set_item_cost","item":"SKU","unit_cost":"5"}));
    // Takes the 3 @2 and owes 2 at the last cost taken (2).
    h.ok(json!({"type":"sell","item":"SKU","location":"A","qty":"5"}));
    h.ok(json!({"type":"reverse","move_id":2}));
    let v = val(&h);
    assert_eq!(layers(&v), vec![l("A", 1, "3", "2")]);
    assert_eq!((v["fifo_value"].clone(), v["variance"].clone()), (json!("6"), json!("0")));
    assert_eq!((v["average_cost"].clone(), v["wac_value"].clone()), (json!("2"), json!("6")));
}
