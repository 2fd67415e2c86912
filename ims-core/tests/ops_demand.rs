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

#[test]
fn commits_count_as_shipped_and_customer_returns_have_their_own_column() {
    let mut h = H::store();
    for v in [
        json!({"type":"define_location","location":"RET","kind":"staging","parent":"WH1"}),
        json!({"type":"define_location","location":"WEB","kind":"customer"}),
        json!({"type":"receive","item":"SKU","location":"A","qty":"10"}),
        json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"5","scope":"WH1"}),
        json!({"type":"commit","reservation":"R1","reference":"SO-1","destination":"WEB"}),
    ] {
        h.ok(v);
    }
    h.at(T0 + DAY);
    h.ok(json!({"type":"authorise_return","rma":"RMA-1","order":"SO-1","lines":[{"item":"SKU","qty":"3"}]}));
    h.ok(json!({"type":"receive_return","rma":"RMA-1","location":"RET","lines":[{"item":"SKU","qty":"2"}]}));
    let v = hist(&h, json!("WH1"), "day", 0, 1);
    assert_eq!(col(&v, "shipped"), vec!["5", "0"], "the return does not net the shipment");
    assert_eq!(col(&v, "returned"), vec!["0", "2"]);
    // A returns location outside the scope sees no return.
    let v = hist(&h, json!({"location":"A"}), "day", 0, 1);
    assert_eq!(
        (col(&v, "shipped"), col(&v, "returned")),
        (vec!["5".to_string(), "0".into()], vec!["0".to_string(), "0".into()])
    );
}

#[test]
fn item_costs_keep_their_history_and_survive_a_snapshot() {
    let mut h = H::store();
    h.ok(json!({"type":"set_item_cost","item":"SKU","unit_cost":"2.50","currency":"EUR"}));
    h.ok(json!({"type":"set_item_cost","item":"SKU","unit_cost":"3"}));
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"1"}));
    h.ok(json!({"type":"set_item_cost","item":"SKU","unit_cost":"4"}));
    let v = q(&h, json!({"kind":"item_cost","item":"SKU"}));
    // Two changes before any move: only the later one ever applies.
    let entries = v["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!((entries[0]["unit_cost"].clone(), entries[0]["from_move"].clone()), (json!("3"), json!(0)));
    assert_eq!((entries[1]["unit_cost"].clone(), entries[1]["from_move"].clone()), (json!("4"), json!(1)));
    h.err(json!({"type":"set_item_cost","item":"NOPE","unit_cost":"1"}), "UNKNOWN_ITEM");
    h.err(json!({"type":"set_item_cost","item":"SKU","unit_cost":"1","currency":""}), "INVALID_CODE");
    let back = ims_core::Engine::restore(&h.e.snapshot()).unwrap();
    assert_eq!(back.ops_query_json(&json!({"kind":"item_cost","item":"SKU"}).to_string()).unwrap(), v);
    assert_eq!(q(&h, json!({"kind":"item_cost","item":"CAN"})), Value::Null);
    // The receipt was costed at 3, the cost in force when it was posted.
    assert_eq!(q(&h, json!({"kind":"item_valuation","item":"SKU"}))["fifo_value"], "3");
}

#[test]
fn a_move_counts_on_its_day_at_the_site_of_the_location() {
    let mut h = H::store();
    h.ok(json!({"type":"define_location","location":"S3","kind":"site","utc_offset_minutes":120}));
    h.ok(json!({"type":"define_location","location":"Z","kind":"storage","parent":"S3"}));
    h.ok(json!({"type":"receive","item":"SKU","location":"Z","qty":"5"}));
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"5"}));
    // 23:00 UTC on day 0 is 01:00 on day 1 at S3, still day 0 at S1.
    h.at(T0 + 23 * HOUR);
    h.ok(json!({"type":"sell","item":"SKU","location":"Z","qty":"1"}));
    h.ok(json!({"type":"sell","item":"SKU","location":"A","qty":"2"}));
    h.ok(json!({"type":"record_lost_demand","item":"SKU","location":"Z","qty":"4"}));
    let v = hist(&h, json!("*"), "day", 0, 1);
    assert_eq!(col(&v, "shipped"), vec!["2", "1"]);
    assert_eq!(col(&v, "lost"), vec!["0", "4"]);
    // A back-dated sale lands on the day it occurred.
    h.ok(json!({"type":"sell","item":"SKU","location":"A","qty":"1","occurred_at":T0 - DAY}));
    let v = hist(&h, json!("S1"), "day", -1, 0);
    assert_eq!(col(&v, "shipped"), vec!["1", "2"]);
}

/// Posting refuses a move of no quantity, and so does a restore: a
/// snapshot whose move says 0 (checksum and all) is `INVALID_SNAPSHOT`.
#[test]
fn a_snapshot_with_a_move_of_no_quantity_is_refused() {
    let mut h = H::store();
    h.ok(json!({"type":"sell","item":"SKU","location":"A","qty":"987654321"}));
    let snap = h.e.snapshot();
    assert!(ims_core::Engine::restore(&snap).is_ok());
    // The move's quantity is the last place those eight bytes stand: the
    // balances come before the moves.
    let pattern = 987_654_321i64.to_le_bytes();
    let at = snap.windows(8).rposition(|w| w == pattern).unwrap();
    for bad in [0i64, -987_654_321] {
        let mut body = snap[..snap.len() - 32].to_vec();
        body[at..at + 8].copy_from_slice(&bad.to_le_bytes());
        let sum = *blake3::hash(&body).as_bytes();
        body.extend_from_slice(&sum);
        match ims_core::Engine::restore(&body) {
            Err(ims_core::error::Error::InvalidSnapshot { reason }) => {
                assert!(reason.contains("not positive"), "{reason}")
            }
            other => panic!("restored a move of {bad}: {:?}", other.map(|_| ())),
        }
    }
}
