//! The demand flow: demand history (shipped, returned, lost) bucketed by
//! day, ISO week and month over a scope, with hand-computed figures; lost
//! demand records; reversals left out; rollback and snapshots.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use ims_core::ops::demand::{Bucket, ScopeFilter};
use serde_json::{json, Value};

fn q(h: &H, v: Value) -> Value {
    h.e.ops_query_json(&v.to_string()).unwrap()
}

/// T0 is Saturday 2026-11-28. SKU sales at S1 (bins A, B): 3 on day 0
/// (Sat), 2 on day 1 (Sun), 5 on day 2 (Mon 11-30) plus 4 more that are
/// reversed; 7 at S2/X on day 9 (Mon 12-07). Lost: 6 at A on day 2, 2 at
/// X on day 9.
fn sales() -> H {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"100"}));
    h.ok(json!({"type":"receive","item":"SKU","location":"B","qty":"50"}));
    h.ok(json!({"type":"receive","item":"SKU","location":"X","qty":"50"}));
    h.at(T0 + 10 * HOUR).ok(json!({"type":"sell","item":"SKU","location":"A","qty":"3"}));
    h.at(T0 + DAY + HOUR).ok(json!({"type":"sell","item":"SKU","location":"B","qty":"2"}));
    h.at(T0 + 2 * DAY + HOUR).ok(json!({"type":"sell","item":"SKU","location":"A","qty":"5"}));
    let o = h.ok(json!({"type":"sell","item":"SKU","location":"A","qty":"4"}));
    let id = of_type(&o, "move_posted")[0]["move_id"].as_u64().unwrap();
    h.ok(json!({"type":"reverse","move_id":id}));
    h.ok(json!({"type":"record_lost_demand","item":"SKU","location":"A","qty":"6","reason":"out_of_stock"}));
    h.at(T0 + 9 * DAY + HOUR).ok(json!({"type":"sell","item":"SKU","location":"X","qty":"7"}));
    h.ok(json!({"type":"record_lost_demand","item":"SKU","location":"X","qty":"2"}));
    h
}

fn col(v: &Value, name: &str) -> Vec<String> {
    v["periods"].as_array().unwrap().iter().map(|p| p[name].as_str().unwrap().to_string()).collect()
}

fn starts(v: &Value) -> Vec<String> {
    v["periods"].as_array().unwrap().iter().map(|p| p["start"].as_str().unwrap().to_string()).collect()
}

fn hist(h: &H, scope: Value, bucket: &str, from: i32, to: i32) -> Value {
    q(h, json!({"kind":"demand_history","item":"SKU","scope":scope,"bucket":bucket,"from":ds(from),"to":ds(to)}))
}

#[test]
fn daily_history_is_zero_filled_and_leaves_reversed_sales_out() {
    let h = sales();
    let v = hist(&h, json!("S1"), "day", 0, 3);
    assert_eq!(starts(&v), vec!["2026-11-28", "2026-11-29", "2026-11-30", "2026-12-01"]);
    assert_eq!(col(&v, "shipped"), vec!["3", "2", "5", "0"], "the reversed 4 and its reversal are no demand");
    assert_eq!(col(&v, "lost"), vec!["0", "0", "6", "0"]);
    assert_eq!(col(&v, "returned"), vec!["0", "0", "0", "0"]);
    // One location alone: B's sale only.
    let v = hist(&h, json!({"location":"B"}), "day", 0, 3);
    assert_eq!(col(&v, "shipped"), vec!["0", "2", "0", "0"]);
}

#[test]
fn weekly_history_runs_monday_to_sunday_and_monthly_by_calendar_month() {
    let h = sales();
    // Weeks of Mon 11-23 (holds Sat 28, Sun 29), Mon 11-30, Mon 12-07.
    let v = hist(&h, json!("S1"), "week", 0, 9);
    assert_eq!(starts(&v), vec!["2026-11-23", "2026-11-30", "2026-12-07"]);
    assert_eq!(col(&v, "shipped"), vec!["5", "5", "0"]);
    let v = hist(&h, json!("*"), "week", 0, 9);
    assert_eq!(col(&v, "shipped"), vec!["5", "5", "7"]);
    assert_eq!(col(&v, "lost"), vec!["0", "6", "2"]);
    // Monday 11-30 is still November.
    let v = hist(&h, json!("*"), "month", 0, 9);
    assert_eq!(starts(&v), vec!["2026-11-01", "2026-12-01"]);
    assert_eq!(col(&v, "shipped"), vec!["10", "7"]);
    assert_eq!(col(&v, "lost"), vec!["6", "2"]);
    // The typed API agrees.
    let typed = h.e.demand_history("SKU", &ScopeFilter::All, Bucket::Month, day(0), day(9)).unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), v);
}

#[test]
fn the_demand_table_holds_every_item_in_one_pass() {
    let mut h = sales();
    h.ok(json!({"type":"receive","item":"CAN","location":"A","qty":"10"}));
    h.at(T0 + 3 * DAY).ok(json!({"type":"sell","item":"CAN","location":"A","qty":"1","unit":"case"}));
    let st = h.e.state();
    let t =
        ims_core::ops::demand::demand_table(st, &ScopeFilter::Subtree("S1".into()), Bucket::Day, day(0), 4).unwrap();
    let sku = st.cat.item_id("SKU").unwrap();
    let can = st.cat.item_id("CAN").unwrap();
    let milk = st.cat.item_id("MILK").unwrap();
    assert_eq!(t.shipped(sku).unwrap(), &[3, 2, 5, 0]);
    assert_eq!(t.lost(sku).unwrap(), &[0, 0, 6, 0]);
    assert_eq!(t.shipped(can).unwrap(), &[0, 0, 0, 12]);
    assert_eq!(t.shipped(milk).unwrap(), &[0, 0, 0, 0], "zero-filled");
    assert_eq!(t.items().collect::<Vec<_>>(), vec![sku, can]);
    assert_eq!(t.period_start(3), day(3));
    assert_eq!(t.start(), day(0));
}

#[test]
fn lost_demand_is_a_document_rolled_back_with_a_batch_and_kept_in_snapshots() {
    let mut h = sales();
    let bad = |h: &H, v: Value| h.c(v);
    let cmds = vec![
        bad(&h, json!({"type":"record_lost_demand","item":"SKU","location":"A","qty":"1"})),
        bad(&h, json!({"type":"record_lost_demand","item":"NOPE","location":"A","qty":"1"})),
    ];
    expect_batch_err(&mut h.e, &cmds, 1, "UNKNOWN_ITEM");
    h.err(json!({"type":"record_lost_demand","item":"SKU","location":"A","qty":"0"}), "INVALID_QUANTITY");
    h.err(json!({"type":"record_lost_demand","item":"SKU","location":"@customer","qty":"1"}), "WRONG_LOCATION_KIND");
    let back = ims_core::Engine::restore(&h.e.snapshot()).unwrap();
    assert_eq!(
        serde_json::to_value(back.demand_history("SKU", &ScopeFilter::All, Bucket::Day, day(2), day(2)).unwrap())
            .unwrap()["periods"][0]["lost"],
        "6"
    );
    assert_eq!(back.snapshot(), h.e.snapshot());
}
