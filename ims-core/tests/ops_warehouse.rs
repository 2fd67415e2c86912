//! The warehouse flow end to end: bins and putaway, cycle counts, transfers
//! between sites. Every step runs through the checking harness (verify,
//! replica, envelope round trip) and the balances, availability and
//! documents are asserted as they change.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::{json, Value};

/// The store plus profiles and bins: SKU is `dry`, 2 l and 1 kg a unit;
/// CAN 1 l. Bins: A (10 units, one item, one lot), B (5 units, mixes),
/// C (8 litres, one item). Default rule: zone WH1 (walk order B, C, A).
fn bins() -> H {
    let mut h = H::store();
    for v in [
        json!({"type":"set_item_profile","item":"SKU","category":"dry","volume_l":"2","weight_kg":"1"}),
        json!({"type":"set_item_profile","item":"CAN","volume_l":"1"}),
        json!({"type":"define_bin","location":"A","max_units":"10","mix_items":false,"mix_lots":false}),
        json!({"type":"define_bin","location":"B","max_units":"5","mix_items":true,"mix_lots":true}),
        json!({"type":"define_bin","location":"C","max_volume_l":"8","mix_items":false,"mix_lots":true}),
        json!({"type":"define_putaway_rule","rule":"ALL","priority":0,"zones":["WH1"]}),
    ] {
        h.ok(v);
    }
    h
}

fn q(h: &H, v: Value) -> Value {
    h.e.ops_query_json(&v.to_string()).unwrap()
}

fn suggest(h: &H, item: &str, lot: Option<&str>, qty: &str) -> Value {
    let mut v = json!({"kind":"suggest_putaway","item":item,"qty":qty,"from":"RCV"});
    if let Some(l) = lot {
        v["lot"] = json!(l);
    }
    q(h, v)
}

/// (location, take) of a suggestion.
fn takes(s: &Value) -> Vec<(String, String)> {
    s["bins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["location"].as_str().unwrap().into(), b["take"].as_str().unwrap().into()))
        .collect()
}

fn skips(s: &Value) -> Vec<(String, String)> {
    s["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["location"].as_str().unwrap().into(), b["why"].as_str().unwrap().into()))
        .collect()
}

fn t(a: &str, b: &str) -> (String, String) {
    (a.into(), b.into())
}

#[test]
fn putaway_fills_bins_in_walk_order_by_units_and_volume_and_splits() {
    let mut h = bins();
    h.ok(json!({"type":"receive","item":"SKU","location":"RCV","qty":"20"}));
    let s = suggest(&h, "SKU", None, "12");
    // B takes 5 (units), C 4 (8 l at 2 l), A the rest of 12.
    assert_eq!(takes(&s), vec![t("B", "5"), t("C", "4"), t("A", "3")]);
    assert_eq!(s["bins"][2]["capacity"], "10");
    assert_eq!(s["unplaced"], "0");
    // The typed API gives the same answer.
    let typed = h.e.suggest_putaway("SKU", None, d("12"), "RCV").unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), s);

    let o = h.ok(json!({"type":"putaway","from":"RCV","item":"SKU","qty":"12"}));
    let moves = of_type(&o, "move_posted");
    assert_eq!(moves.len(), 3);
    assert!(moves.iter().all(|m| m["reason"] == "putaway" && m["from"] == "RCV"));
    assert_eq!(h.bucket("SKU", "B", None).0, "5");
    assert_eq!(h.bucket("SKU", "C", None).0, "4");
    assert_eq!(h.bucket("SKU", "A", None).0, "3");
    assert_eq!(h.bucket("SKU", "RCV", None).0, "8");
    // Putaway makes the stock sellable: RCV is inbound, the bins are not.
    assert_eq!(h.avail("SKU", "S1").sellable.to_string(), "12");

    // Now B and C are full: the next suggestion skips them and says why.
    let s = suggest(&h, "SKU", None, "8");
    assert_eq!(skips(&s), vec![t("B", "full"), t("C", "full")]);
    assert_eq!(takes(&s), vec![t("A", "7")]);
    assert_eq!(s["unplaced"], "1");
    h.err(json!({"type":"putaway","from":"RCV","item":"SKU","qty":"8"}), "PUTAWAY_NO_ROOM");
    h.err(json!({"type":"putaway","from":"RCV","item":"SKU","qty":"1","to":"B"}), "BIN_CAPACITY_EXCEEDED");
    // A named bin with room takes it.
    h.ok(json!({"type":"putaway","from":"RCV","item":"SKU","qty":"7","to":"A"}));
    assert_eq!(h.bucket("SKU", "A", None).0, "10");
    let bin = h.e.bin("A").unwrap().unwrap();
    assert_eq!(bin.contents.len(), 1);
    assert_eq!(bin.contents[0].2.to_string(), "10");

    // Mix rules: C holds SKU and takes no other item; B mixes.
    h.ok(json!({"type":"receive","item":"CAN","location":"RCV","qty":"3"}));
    let e = h.err(json!({"type":"putaway","from":"RCV","item":"CAN","qty":"1","to":"C"}), "BIN_MIXES_ITEMS");
    assert!(format!("{e:?}").contains("SKU"));
    let s = suggest(&h, "CAN", None, "3");
    assert_eq!(skips(&s), vec![t("B", "full"), t("C", "mixes_items"), t("A", "mixes_items")]);
    // Emptying B (a sale) makes room again, found through the bin index.
    h.ok(json!({"type":"sell","item":"SKU","location":"B","qty":"5"}));
    let s = suggest(&h, "CAN", None, "3");
    assert_eq!(takes(&s), vec![t("B", "3")]);
}

#[test]
fn rules_go_from_item_to_category_to_lot_status_to_default_then_priority_then_code() {
    let mut h = H::store();
    for v in [
        json!({"type":"set_item_profile","item":"SKU","category":"dry"}),
        json!({"type":"define_bin","location":"A","mix_items":true,"mix_lots":true}),
        json!({"type":"define_bin","location":"B","mix_items":true,"mix_lots":true}),
        json!({"type":"define_bin","location":"C","max_units":"1","mix_items":true,"mix_lots":true}),
        json!({"type":"define_bin","location":"X","max_units":"1","mix_items":true,"mix_lots":false}),
        json!({"type":"define_putaway_rule","rule":"D2","priority":1,"zones":["B"]}),
        json!({"type":"define_putaway_rule","rule":"D1","priority":1,"zones":["X"]}),
        json!({"type":"define_putaway_rule","rule":"D0","priority":5,"zones":["A"]}),
        json!({"type":"define_putaway_rule","rule":"CAT","priority":9,"category":"dry","zones":["A"]}),
        json!({"type":"define_putaway_rule","rule":"IT","priority":9,"item":"SKU","zones":["C"]}),
        json!({"type":"define_putaway_rule","rule":"HOLD","priority":0,"lot_status":"on_hold","zones":["C"]}),
    ] {
        h.ok(v);
    }
    h.ok(json!({"type":"receive","item":"SKU","location":"RCV","qty":"10"}));
    // SKU: item rule (C), category rule (A), then defaults D1 (X) and D2 (B)
    // by code at equal priority, then D0; A is offered once only.
    let s = q(&h, json!({"kind":"suggest_putaway","item":"SKU","qty":"10","from":"RCV"}));
    assert_eq!(takes(&s), vec![t("C", "1"), t("A", "9")]);
    let s = q(&h, json!({"kind":"suggest_putaway","item":"CAN","qty":"3","from":"RCV"}));
    assert_eq!(takes(&s), vec![t("X", "1"), t("B", "2")]);
    // A held lot of MILK goes by the lot-status rule first.
    h.ok(json!({"type":"receive","item":"MILK","location":"RCV","qty":"4","lot":"L1"}));
    h.ok(json!({"type":"set_lot_status","item":"MILK","lot":"L1","status":"on_hold"}));
    let s = q(&h, json!({"kind":"suggest_putaway","item":"MILK","lot":"L1","qty":"4","from":"RCV"}));
    assert_eq!(takes(&s), vec![t("C", "1"), t("X", "1"), t("B", "2")]);
    h.ok(json!({"type":"set_lot_status","item":"MILK","lot":"L1","status":"available"}));
    h.ok(json!({"type":"putaway","from":"RCV","item":"MILK","lot":"L1","qty":"1","to":"X"}));
    // X may not mix lots: another lot is refused, and skipped in suggestions.
    h.ok(json!({"type":"receive","item":"MILK","location":"RCV","qty":"2","lot":"L2"}));
    h.err(json!({"type":"putaway","from":"RCV","item":"MILK","lot":"L2","qty":"1","to":"X"}), "BIN_MIXES_LOTS");
    let s = q(&h, json!({"kind":"suggest_putaway","item":"MILK","lot":"L2","qty":"2","from":"RCV"}));
    assert_eq!(skips(&s), vec![t("X", "mixes_lots")]);
    assert_eq!(takes(&s), vec![t("B", "2")]);
    // A rule may not name two matches.
    h.err(
        json!({"type":"define_putaway_rule","rule":"BAD","item":"SKU","category":"dry","zones":["A"]}),
        "PUTAWAY_RULE_AMBIGUOUS",
    );
}

fn count(h: &H, task: &str) -> Value {
    q(h, json!({"kind":"count_task","task":task}))
}

#[test]
fn a_count_compares_against_the_snapshot_plus_later_moves_and_auto_approves_within_tolerance() {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"10"}));
    h.ok(json!({"type":"receive","item":"SKU","location":"B","qty":"5"}));
    h.ok(json!({"type":"issue_count","task":"T1","location":"WH1","blind":true,"tolerance_units":"1"}));
    let v = count(&h, "T1");
    assert_eq!(v["state"], "issued");
    assert_eq!(v["issue_move"], 2);
    // Blind: the lines are listed, their quantities are not.
    assert_eq!(v["lines"].as_array().unwrap().len(), 2);
    assert!(v["lines"].as_array().unwrap().iter().all(|l| l["expected"].is_null()));
    // Stock moves after the issue.
    h.ok(json!({"type":"sell","item":"SKU","location":"A","qty":"2"}));
    h.ok(json!({"type":"receive","item":"SKU","location":"B","qty":"3"}));
    // A: book 8, counted 8. B: book 8, counted 7: within 1 unit.
    let o = h.ok(json!({"type":"enter_count","task":"T1","lines":[
        {"item":"SKU","location":"A","counted":"8"},
        {"item":"SKU","location":"B","counted":"7"}]}));
    assert_eq!(kinds(&o), vec!["count_entered", "move_posted", "count_approved"]);
    let m = &of_type(&o, "move_posted")[0];
    assert_eq!((m["from"].as_str(), m["to"].as_str(), m["qty"].as_i64()), (Some("B"), Some("@adjustment"), Some(1)));
    assert_eq!((m["reason"].as_str(), m["reference"].as_str()), (Some("count"), Some("T1")));
    assert_eq!(of_type(&o, "count_approved")[0]["auto"], true);
    assert_eq!(h.bucket("SKU", "A", None).0, "8");
    assert_eq!(h.bucket("SKU", "B", None).0, "7");
    let v = count(&h, "T1");
    assert_eq!(v["state"], "approved");
    assert_eq!(v["lines"][1]["expected"], "5");
    assert_eq!(v["lines"][1]["book"], "8");
    assert_eq!(v["lines"][1]["variance"], "-1");
    h.err(
        json!({"type":"enter_count","task":"T1","lines":[{"item":"SKU","location":"A","counted":"8"}]}),
        "COUNT_ALREADY_APPROVED",
    );
}

#[test]
fn beyond_tolerance_a_count_waits_for_approval_and_a_rejected_count_is_recounted() {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"10"}));
    h.ok(json!({"type":"issue_count","task":"T2","item":"SKU","blind":false,"tolerance_pct":"10"}));
    assert_eq!(count(&h, "T2")["lines"][0]["expected"], "10");
    // 2 of 10 is 20 %: beyond 10 %.
    let o = h.ok(json!({"type":"enter_count","task":"T2","lines":[{"item":"SKU","location":"A","counted":"8"}]}));
    assert_eq!(kinds(&o), vec!["count_entered", "count_pending_approval"]);
    assert_eq!(h.bucket("SKU", "A", None).0, "10", "nothing posted before approval");
    assert_eq!(count(&h, "T2")["state"], "pending_approval");
    h.err(
        json!({"type":"enter_count","task":"T2","lines":[{"item":"SKU","location":"A","counted":"9"}]}),
        "COUNT_ALREADY_ENTERED",
    );
    h.ok(json!({"type":"reject_count","task":"T2"}));
    assert_eq!(count(&h, "T2")["state"], "rejected");
    // The recount: 9 of 10 is within 10 %.
    let o = h.ok(json!({"type":"enter_count","task":"T2","lines":[{"item":"SKU","location":"A","counted":"9"}]}));
    assert_eq!(kinds(&o), vec!["count_entered", "move_posted", "count_approved"]);
    assert_eq!(h.bucket("SKU", "A", None).0, "9");
    assert_eq!(of_type(&o, "move_posted")[0]["to"], "@adjustment");

    // Found stock in a bin that held none is a line outside the snapshot.
    h.ok(json!({"type":"issue_count","task":"T3","location":"C"}));
    assert_eq!(count(&h, "T3")["lines"].as_array().unwrap().len(), 0);
    h.ok(json!({"type":"enter_count","task":"T3","lines":[{"item":"CAN","location":"C","counted":"4"}]}));
    let o = h.ok(json!({"type":"approve_count","task":"T3"}));
    assert_eq!(of_type(&o, "count_approved")[0]["auto"], false);
    assert_eq!(h.bucket("CAN", "C", None).0, "4");
    assert_eq!(count(&h, "T3")["lines"][0]["expected"], "0");
    h.err(json!({"type":"approve_count","task":"T3"}), "COUNT_ALREADY_APPROVED");
    h.ok(json!({"type":"issue_count","task":"T4","location":"A"}));
    h.ok(json!({"type":"cancel_count","task":"T4"}));
    h.err(
        json!({"type":"enter_count","task":"T4","lines":[{"item":"SKU","location":"A","counted":"1"}]}),
        "COUNT_CANCELLED",
    );
}

#[test]
fn counting_a_reserved_bucket_short_reallocates_and_clears_the_count_flag() {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"6"}));
    h.ok(json!({"type":"receive","item":"SKU","location":"B","qty":"7"}));
    h.ok(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"5","scope":"A"}));
    h.ok(json!({"type":"reserve","reservation":"R2","item":"SKU","qty":"4","scope":"WH1"}));
    assert_eq!(h.allocs("R1"), vec![al("A", None, "5")]);
    // A till sale of unrecorded stock in C flags a count.
    h.ok(json!({"type":"sell","item":"SKU","location":"C","qty":"2"}));
    assert_eq!(h.e.count_flags().len(), 1);
    h.ok(json!({"type":"issue_count","task":"T","location":"WH1"}));
    h.ok(json!({"type":"enter_count","task":"T","lines":[
        {"item":"SKU","location":"A","counted":"2"},
        {"item":"SKU","location":"C","counted":"0"}]}));
    let v = count(&h, "T");
    assert_eq!((v["lines"][2]["location"].as_str(), v["lines"][2]["expected"].as_str()), (Some("C"), Some("-2")));
    assert_eq!(v["lines"][2]["variance"], "2");
    assert!(v["lines"][1]["counted"].is_null(), "B was not counted");
    let o = h.ok(json!({"type":"approve_count","task":"T"}));
    assert!(kinds(&o).contains(&"reservation_shorted".to_string()) || kinds(&o).contains(&"deallocated".to_string()));
    assert_eq!(h.bucket("SKU", "A", None), ("2".into(), "2".into()));
    assert_eq!(h.bucket("SKU", "C", None).0, "0");
    // R1 is scoped to A: it keeps 2 and is short 3.
    assert_eq!(h.allocs("R1"), vec![al("A", None, "2")]);
    assert_eq!(h.res("R1").shorted.to_string(), "3");
    assert!(h.e.count_flags().is_empty(), "the count cleared the flag");
    assert_eq!(h.free("SKU", "WH1"), "3");
}

fn transfer(h: &H, code: &str) -> Value {
    q(h, json!({"kind":"transfer","transfer":code}))
}

#[test]
fn a_transfer_ships_into_transit_shows_incoming_at_the_destination_and_is_received_in_parts() {
    let mut h = H::store();
    h.ok(json!({"type":"define_location","location":"TR","kind":"transit"}));
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"10"}));
    h.ok(json!({"type":"receive","item":"MILK","location":"A","qty":"5","lot":"L1"}));
    h.ok(json!({"type":"create_transfer","transfer":"TF","from":"A","to":"X","transit":"TR",
        "expected_arrival": ds(3), "lines":[{"item":"SKU","qty":"6"},{"item":"MILK","lot":"L1","qty":"5"}]}));
    let v = transfer(&h, "TF");
    assert_eq!(v["state"], "draft");
    assert_eq!(v["lines"][0]["receipt"], "TF/1");
    assert_eq!(h.free("SKU", "S1"), "10", "a draft holds nothing");

    let o = h.ok(json!({"type":"ship_transfer","transfer":"TF"}));
    assert_eq!(
        kinds(&o),
        vec!["move_posted", "receipt_expected", "move_posted", "receipt_expected", "transfer_shipped"]
    );
    assert!(of_type(&o, "move_posted").iter().all(|m| m["reason"] == "transit" && m["reference"] == "TF"));
    assert_eq!(h.bucket("SKU", "A", None).0, "4");
    assert_eq!(h.bucket("SKU", "TR", None).0, "6");
    assert_eq!(h.free("SKU", "S1"), "4");
    // Transit stock is never sellable; the destination sees it incoming.
    assert_eq!(h.avail("SKU", "TR").sellable.to_string(), "0");
    assert_eq!(h.free("SKU", "S2"), "0");
    let atp = |h: &H, n: i32| h.e.atp("SKU", &sub("S2"), Some(day(n)), &opts(), false).unwrap().qty.to_string();
    assert_eq!(atp(&h, 2), "0");
    assert_eq!(atp(&h, 3), "6");
    assert_eq!(transfer(&h, "TF")["state"], "shipped");
    h.err(json!({"type":"cancel_transfer","transfer":"TF"}), "TRANSFER_ALREADY_SHIPPED");

    let o = h.ok(json!({"type":"receive_transfer","transfer":"TF","lines":[{"line":1,"qty":"2"}]}));
    assert_eq!(kinds(&o), vec!["move_posted", "receipt_open_changed", "transfer_received"]);
    assert_eq!(h.bucket("SKU", "X", None).0, "2");
    assert_eq!(h.bucket("SKU", "TR", None).0, "4");
    assert_eq!(h.free("SKU", "S2"), "2");
    assert_eq!(atp(&h, 3), "6", "2 on hand and 4 still incoming");
    let v = transfer(&h, "TF");
    assert_eq!(v["state"], "partially_received");
    assert_eq!(v["lines"][0]["open"], "4");
    h.err(json!({"type":"receive_transfer","transfer":"TF","lines":[{"line":1,"qty":"5"}]}), "TRANSFER_OVER_RECEIPT");

    // The rest, every line.
    h.ok(json!({"type":"receive_transfer","transfer":"TF"}));
    assert_eq!(h.bucket("SKU", "X", None).0, "6");
    assert_eq!(h.bucket("MILK", "X", Some("L1")).0, "5");
    assert_eq!(h.bucket("SKU", "TR", None).0, "0");
    assert_eq!(transfer(&h, "TF")["state"], "received");
    assert_eq!(atp(&h, 3), "6");
    h.err(json!({"type":"receive_transfer","transfer":"TF"}), "TRANSFER_ALREADY_RECEIVED");
}

#[test]
fn a_transfer_receipt_serves_open_demand_at_the_destination() {
    let mut h = H::store();
    h.ok(json!({"type":"define_location","location":"TR","kind":"transit"}));
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"3"}));
    h.ok(json!({"type":"reserve","reservation":"W","item":"SKU","qty":"3","scope":"S2","fill":"partial"}));
    assert_eq!(h.res("W").open_demand.to_string(), "3");
    h.ok(json!({"type":"create_transfer","transfer":"TF","from":"A","to":"X","transit":"TR",
        "expected_arrival": ds(1), "lines":[{"item":"SKU","qty":"3"}]}));
    h.ok(json!({"type":"ship_transfer","transfer":"TF"}));
    let o = h.ok(json!({"type":"receive_transfer","transfer":"TF"}));
    assert!(kinds(&o).contains(&"allocated".to_string()));
    assert_eq!(h.allocs("W"), vec![al("X", None, "3")]);
}

#[test]
fn the_bin_index_survives_restore_and_rolls_back_with_a_refused_batch() {
    let mut h = bins();
    h.ok(json!({"type":"receive","item":"SKU","location":"RCV","qty":"6"}));
    h.ok(json!({"type":"putaway","from":"RCV","item":"SKU","qty":"5","to":"A"}));
    // An atomic batch that empties A and then fails leaves A holding SKU.
    let cmds = vec![
        h.c(json!({"type":"sell","item":"SKU","location":"A","qty":"5"})),
        h.c(json!({"type":"putaway","from":"RCV","item":"CAN","qty":"1","to":"A"})),
    ];
    // (inside the batch A is empty, so CAN fails only for want of stock)
    expect_batch_err(&mut h.e, &cmds, 1, "INSUFFICIENT_STOCK");
    let before = suggest(&h, "CAN", None, "20");
    assert_eq!(skips(&before), vec![t("A", "mixes_items")]);
    let back = ims_core::Engine::restore(&h.e.snapshot()).unwrap();
    back.verify().unwrap();
    let again =
        back.ops_query_json(&json!({"kind":"suggest_putaway","item":"CAN","qty":"20","from":"RCV"}).to_string());
    assert_eq!(again.unwrap(), before);
}

#[test]
fn a_thousand_bins_are_walked_zone_by_zone_in_walk_order() {
    let mut e = ims_core::Engine::new();
    let mut run = |v: Value| {
        let mut v = v;
        v["occurred_at"] = json!(T0);
        e.execute(&cmd(v)).unwrap();
    };
    run(json!({"type":"define_location","location":"DC","kind":"site"}));
    run(json!({"type":"define_location","location":"IN","kind":"receiving","parent":"DC"}));
    run(json!({"type":"define_item","item":"NEW"}));
    run(json!({"type":"define_item","item":"OLD"}));
    for z in 0..10 {
        // Zones walked in reverse code order.
        run(json!({"type":"define_location","location":format!("Z{z}"),"kind":"zone","parent":"DC","walk_seq":10 - z}));
        for b in 0..100 {
            let code = format!("Z{z}-{b:03}");
            // Bins walked in reverse code order too.
            run(
                json!({"type":"define_location","location":code,"kind":"storage","parent":format!("Z{z}"),"walk_seq":100 - b}),
            );
            run(json!({"type":"define_bin","location":code,"max_units":"1","mix_items":false,"mix_lots":false}));
            if b % 2 == 0 {
                run(json!({"type":"receive","item":"OLD","location":code,"qty":"1"}));
            }
        }
    }
    run(json!({"type":"define_putaway_rule","rule":"R","zones":["Z3","Z0"]}));
    run(json!({"type":"receive","item":"NEW","location":"IN","qty":"60"}));
    let s = e.suggest_putaway("NEW", None, d("60"), "IN").unwrap();
    // Z3 walks 099, 098, ...: the odd bins take one each (50), then Z0.
    let want: Vec<String> = (0..100)
        .rev()
        .filter(|b| b % 2 == 1)
        .map(|b| format!("Z3-{b:03}"))
        .chain((0..100).rev().filter(|b| b % 2 == 1).take(10).map(|b| format!("Z0-{b:03}")))
        .collect();
    let got: Vec<String> = s.bins.iter().map(|o| o.location.to_string()).collect();
    assert_eq!(got, want);
    // The even bins hold OLD: all 50 of Z3, and the 9 of Z0 walked before
    // the 60th unit was placed (the walk stops there).
    assert_eq!(s.skipped.len(), 50 + 9);
    assert_eq!(s.unplaced.to_string(), "0");
    e.verify().unwrap();
}

/// A seeded random walk over the flow's commands mixed with core facts and
/// requests: every accepted step passes the harness checks (verify on both
/// engines, replica snapshot equality, envelope round trip) and every
/// refused one leaves the snapshot byte-identical.
#[test]
fn random_warehouse_commands_keep_every_invariant() {
    let mut h = bins();
    h.ok(json!({"type":"define_location","location":"TR","kind":"transit"}));
    h.ok(json!({"type":"define_bin","location":"X","max_units":"6","mix_items":true,"mix_lots":false}));
    h.ok(json!({"type":"define_putaway_rule","rule":"MILK","item":"MILK","zones":["X","WH1"]}));
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: u64| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let items = ["SKU", "CAN", "MILK"];
    let locs = ["A", "B", "C", "RCV", "X", "STG"];
    let (mut accepted, mut refused) = (0, 0);
    let mut seen = std::collections::BTreeMap::<String, u32>::new();
    for i in 0..600 {
        let item = items[next(3) as usize];
        let lot = if item == "MILK" { json!(format!("L{}", next(2))) } else { Value::Null };
        let loc = locs[next(6) as usize];
        let qty = (next(6) + 1).to_string();
        // Fresh document codes as the walk goes on, a few live at a time.
        let task = format!("T{}", (i / 25) * 3 + next(3));
        let tf = format!("F{}", (i / 60) * 2 + next(2));
        let near = locs[next(4) as usize];
        let small = (next(2) + 1).to_string();
        let mut v = match next(16) {
            0 | 1 => json!({"type":"receive","item":item,"location":"RCV","qty":qty,"lot":lot}),
            2 => json!({"type":"putaway","from":"RCV","item":item,"qty":qty,"lot":lot}),
            3 => json!({"type":"putaway","from":"RCV","item":item,"qty":qty,"lot":lot,"to":loc}),
            4 => json!({"type":"sell","item":item,"location":loc,"qty":qty,"lot":lot}),
            5 => {
                json!({"type":"reserve","reservation":format!("R{i}"),"item":item,"qty":qty,"scope":"WH1","fill":"partial"})
            }
            6 => json!({"type":"issue_count","task":task,"location":"WH1","blind":next(2) == 0,"tolerance_units":"1"}),
            7 | 8 => {
                json!({"type":"enter_count","task":task,"lines":[{"item":item,"location":near,"lot":lot,"counted":next(5).to_string()}]})
            }
            9 | 15 => {
                let ty = ["approve_count", "reject_count", "reject_count", "cancel_count"][next(4) as usize];
                json!({"type":ty,"task":task})
            }
            10 => {
                json!({"type":"create_transfer","transfer":tf,"from":"RCV","to":"X","transit":"TR","expected_arrival":ds(2),
                        "lines":[{"item":item,"lot":lot,"qty":small}]})
            }
            11 | 12 => {
                let ty = ["ship_transfer", "ship_transfer", "ship_transfer", "cancel_transfer"][next(4) as usize];
                json!({"type":ty,"transfer":tf})
            }
            _ => json!({"type":"receive_transfer","transfer":tf}),
        };
        if v["lot"].is_null() {
            if let Some(o) = v.as_object_mut() {
                o.remove("lot");
            }
        }
        if let Some(lines) = v["lines"].as_array_mut() {
            for l in lines {
                if l["lot"].is_null() {
                    l.as_object_mut().unwrap().remove("lot");
                }
            }
        }
        h.clock += MIN;
        let c = h.c(v);
        let before = h.e.snapshot();
        match h.e.execute(&c) {
            Ok(o) => {
                h.check(&o);
                for k in kinds(&o) {
                    *seen.entry(k).or_insert(0) += 1;
                }
                accepted += 1;
            }
            Err(_) => {
                assert!(h.e.snapshot() == before, "refused step {i} changed the state");
                refused += 1;
            }
        }
    }
    assert!(accepted > 100 && refused > 50, "{accepted} accepted, {refused} refused");
    // Every transition of the flow happened at least once.
    for k in ["count_approved", "count_pending_approval", "count_rejected", "transfer_shipped", "transfer_received"] {
        assert!(seen.get(k).is_some_and(|n| *n > 0), "no {k} in {seen:?}");
    }
    assert!(seen["move_posted"] > 100);
    let back = ims_core::Engine::restore(&h.e.snapshot()).unwrap();
    back.verify().unwrap();
    assert!(back.snapshot() == h.e.snapshot());
}

/// A mix-rule refusal names the smallest conflicting item code, so an engine
/// and its restored copy (which learned the codes in another order) refuse
/// alike.
#[test]
fn a_mix_refusal_names_the_same_item_after_a_restore() {
    let mut h = H::store();
    h.ok(json!({"type":"define_item","item":"ZED"}));
    h.ok(json!({"type":"define_bin","location":"A","max_units":"100","mix_items":true,"mix_lots":true}));
    h.ok(json!({"type":"receive","item":"ZED","location":"A","qty":"1"}));
    h.ok(json!({"type":"receive","item":"CAN","location":"A","qty":"1"}));
    h.ok(json!({"type":"define_bin","location":"A","max_units":"100","mix_items":false,"mix_lots":true}));
    h.ok(json!({"type":"receive","item":"SKU","location":"RCV","qty":"3"}));
    let put = json!({"type":"putaway","from":"RCV","item":"SKU","qty":"3","to":"A"});
    let live = h.err(put.clone(), "BIN_MIXES_ITEMS");
    let mut back = ims_core::Engine::restore(&h.e.snapshot()).unwrap();
    let restored = back.execute(&h.c(put)).unwrap_err();
    assert_eq!(live, restored);
    assert!(live.to_string().contains("holds CAN"), "{live}");
}
