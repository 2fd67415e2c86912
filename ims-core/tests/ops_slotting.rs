//! Slotting suggestions: fast movers by pick frequency into the bins
//! nearest the start of the walk, within bin capacity and mix rules,
//! leaving reserved stock alone.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use ims_core::ops::demand::ScopeFilter;
use serde_json::{json, Value};

/// Walk order B, C, A. Bins: B 5 units (mixes items), C 10 units (one
/// item), A unlimited. SKU 20 and CAN 10 in A; orders pick SKU three times
/// and CAN once (1 each, from A to staging) on day 0.
fn picked() -> H {
    let mut h = H::store();
    for v in [
        json!({"type":"define_bin","location":"B","max_units":"5","mix_items":true,"mix_lots":true}),
        json!({"type":"define_bin","location":"C","max_units":"10","mix_items":false,"mix_lots":true}),
        json!({"type":"define_bin","location":"A","mix_items":true,"mix_lots":true}),
        json!({"type":"receive","item":"SKU","location":"A","qty":"20"}),
        json!({"type":"receive","item":"CAN","location":"A","qty":"10"}),
    ] {
        h.ok(v);
    }
    for (n, item) in [(1, "SKU"), (2, "SKU"), (3, "CAN"), (4, "SKU")] {
        let (so, pl) = (format!("SO{n}"), format!("PL{n}"));
        h.ok(json!({"type":"create_sales_order","order":so,"ship_to_zone":"Z1",
            "lines":[{"line":"1","item":item,"qty":"1"}],"requested_ship_date":ds(0),"scope":"WH1"}));
        h.ok(json!({"type":"allocate_order","order":so}));
        h.ok(json!({"type":"create_pick_list","pick_list":pl,"orders":[so],"staging":"STG"}));
        h.ok(json!({"type":"confirm_pick","pick_list":pl,"task":1,"picked":"1"}));
    }
    h
}

fn moves(v: &Value) -> Vec<String> {
    v["moves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{} {}>{} {}",
                m["item"].as_str().unwrap(),
                m["from"].as_str().unwrap(),
                m["to"].as_str().unwrap(),
                m["qty"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn the_fastest_mover_claims_the_nearest_room_and_the_rest_respects_capacity_and_mix_rules() {
    let h = picked();
    let v = h.e.ops_query_json(&json!({"kind":"slotting","scope":"WH1","from":ds(0),"to":ds(0)}).to_string()).unwrap();
    assert_eq!(v["movers"], json!([{"item":"SKU","picks":3},{"item":"CAN","picks":1}]));
    // SKU (17 left in A): B takes 5 (its unit limit), C 10; 2 stay in A.
    // CAN then finds B full and C holding another item: no move.
    assert_eq!(moves(&v), vec!["SKU A>B 5", "SKU A>C 10"]);
    let typed = h.e.slotting(&ScopeFilter::Subtree("WH1".into()), day(0), day(0), None).unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), v);
}

#[test]
fn reserved_stock_stays_and_the_period_and_limit_choose_the_movers() {
    let mut h = picked();
    // 5 of A's SKU are held: 12 free to move.
    h.ok(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"5","scope":"A"}));
    let s = h.e.slotting(&ScopeFilter::All, day(0), day(0), None).unwrap();
    let got: Vec<String> = s.moves.iter().map(|m| format!("{}>{} {}", m.from, m.to, m.qty)).collect();
    assert_eq!(got, vec!["A>B 5", "A>C 7"]);
    // A limit keeps the fastest movers only; no picks on days 1 and 2.
    let one = h.e.slotting(&ScopeFilter::All, day(0), day(0), Some(1)).unwrap();
    assert_eq!(one.movers.iter().map(|m| m.item.to_string()).collect::<Vec<_>>(), vec!["SKU"]);
    assert!(h.e.slotting(&ScopeFilter::All, day(0), day(0), Some(0)).unwrap().moves.is_empty());
    let later = h.e.slotting(&ScopeFilter::All, day(1), day(2), None).unwrap();
    assert!(later.movers.is_empty() && later.moves.is_empty());
    // Carrying the moves out in order is accepted by the engine.
    for m in &s.moves {
        h.ok(json!({"type":"move","item":m.item.to_string(),"from":m.from.to_string(),"to":m.to.to_string(),"qty":m.qty.to_string()}));
    }
    assert_eq!(h.bucket("SKU", "B", None).0, "5");
    assert_eq!(h.bucket("SKU", "C", None).0, "7");
}
