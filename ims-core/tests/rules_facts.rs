//! Facts and stock moves: sales that drive stock negative (NegativeStock,
//! count flags, re-allocation or ReservationShorted), scrap, adjustments,
//! moves carrying a reservation's allocation, reversals.

#![allow(clippy::unwrap_used)] // a test that unwraps wrongly fails, which is the point

mod common;

use common::*;
use serde_json::json;

fn stock(h: &mut H, item: &str, loc: &str, qty: &str) {
    h.ok(json!({"type":"receive","item":item,"location":loc,"qty":qty}));
}

#[test]
fn a_sale_always_posts_even_below_zero() {
    let mut h = H::store();
    stock(&mut h, "SKU", "A", "2");
    stock(&mut h, "SKU", "B", "5");
    let o = h.ok(json!({"type":"sell","item":"SKU","location":"A","qty":"5","reference":"till-7"}));
    assert_eq!(kinds(&o), vec!["move_posted", "negative_stock"]);
    let mv = &of_type(&o, "move_posted")[0];
    assert_eq!(
        (mv["to"].clone(), mv["reason"].clone(), mv["reference"].clone()),
        (json!("@customer"), json!("sale"), json!("till-7"))
    );
    assert_eq!(
        of_type(&o, "negative_stock")[0],
        json!({"type":"negative_stock","item":"SKU","location":"A","on_hand":-3})
    );
    assert_eq!(h.e.count_flags(), vec![("SKU".into(), "A".into())]);
    let a = h.avail("SKU", "A");
    assert_eq!((a.on_hand, a.available), (d("-3"), d("0")));
    // Negative buckets net within a scope; only the total is floored.
    let w = h.avail("SKU", "WH1");
    assert_eq!((w.on_hand, w.sellable, w.available), (d("2"), d("2"), d("2")));
}

#[test]
fn a_late_sale_is_processed_now_and_recorded_when_it_happened() {
    let mut h = H::store();
    stock(&mut h, "SKU", "A", "5");
    h.advance(T0 + 3 * HOUR);
    let o = h.ok(json!({"type":"sell","item":"SKU","location":"A","qty":"1","occurred_at":T0 + HOUR}));
    let env = o.envelope.as_ref().expect("envelope");
    assert_eq!((env.occurred_at, env.processed_at), (T0 + HOUR, T0 + 3 * HOUR));
    assert_eq!(of_type(&o, "move_posted")[0]["occurred_at"], json!(T0 + HOUR));
    assert_eq!(h.e.now(), T0 + 3 * HOUR, "time never goes back");
}

#[test]
fn a_sale_under_a_reservation_reallocates_it() {
    let mut h = H::store();
    stock(&mut h, "SKU", "B", "3");
    stock(&mut h, "SKU", "A", "5");
    h.ok(
        json!({"type":"reserve","reservation":"R","item":"SKU","qty":"3","scope":"WH1","strategy":"location_priority"}),
    );
    assert_eq!(h.allocs("R"), vec![al("B", None, "3")]);
    let o = h.ok(json!({"type":"sell","item":"SKU","location":"B","qty":"2"}));
    assert_eq!(kinds(&o), vec!["move_posted", "deallocated", "allocated"]);
    assert!(of_type(&o, "deallocated").iter().all(|e| e["reason"] == "reallocate"));
    assert_eq!(h.allocs("R"), vec![al("B", None, "1"), al("A", None, "2")]);
    assert!(h.e.count_flags().is_empty());
    assert_eq!(changes(&o), vec![pair("SKU", "A"), pair("SKU", "B")]);
}

#[test]
fn a_sale_below_zero_flags_a_count_and_reallocates() {
    let mut h = H::store();
    stock(&mut h, "SKU", "A", "2");
    h.ok(json!({"type":"reserve","reservation":"R2","item":"SKU","qty":"2","scope":"WH1"}));
    stock(&mut h, "SKU", "B", "5");
    assert_eq!(h.allocs("R2"), vec![al("A", None, "2")]);
    let o = h.ok(json!({"type":"sell","item":"SKU","location":"A","qty":"4"}));
    assert_eq!(kinds(&o), vec!["move_posted", "negative_stock", "deallocated", "allocated"]);
    assert_eq!(h.allocs("R2"), vec![al("B", None, "2")]);
    assert_eq!(h.e.count_flags(), vec![("SKU".into(), "A".into())]);
    assert_eq!(h.free("SKU", "WH1"), "1");
}

#[test]
fn a_loss_nothing_can_replace_shorts_the_reservation() {
    let mut h = H::store();
    stock(&mut h, "SKU", "A", "3");
    h.ok(json!({"type":"reserve","reservation":"R","item":"SKU","qty":"3","scope":"WH1"}));
    let o = h.ok(json!({"type":"sell","item":"SKU","location":"A","qty":"2"}));
    assert_eq!(kinds(&o), vec!["move_posted", "deallocated", "reservation_shorted"]);
    assert_eq!(of_type(&o, "reservation_shorted")[0]["shortfall"], json!(2));
    let r = h.res("R");
    assert_eq!((r.status, r.allocated, r.shorted), ("active", d("1"), d("2")));
    let a = h.avail("SKU", "WH1");
    assert_eq!((a.on_hand, a.reserved, a.available), (d("1"), d("1"), d("0")));
    // The rest of the reservation still commits.
    h.ok(json!({"type":"commit","reservation":"R"}));
    assert_eq!(h.res("R").committed, d("1"));
}

#[test]
fn a_partial_fill_order_waits_for_what_a_loss_took_and_new_supply_refills_it() {
    let mut h = H::store();
    stock(&mut h, "SKU", "A", "3");
    h.ok(json!({"type":"reserve","reservation":"ORD","item":"SKU","qty":"3","scope":"WH1","fill":"partial"}));
    let o = h.ok(json!({"type":"sell","item":"SKU","location":"A","qty":"2"}));
    assert_eq!(kinds(&o), vec!["move_posted", "deallocated", "reservation_shorted", "demand_changed"]);
    let r = h.res("ORD");
    assert_eq!((r.allocated, r.shorted, r.open_demand), (d("1"), d("2"), d("2")));
    // New supply serves the open demand first.
    let o = h.ok(json!({"type":"receive","item":"SKU","location":"B","qty":"5"}));
    assert!(kinds(&o).contains(&"allocated".to_string()));
    let r = h.res("ORD");
    assert_eq!((r.allocated, r.open_demand), (d("3"), d("0")));
    assert_eq!(h.free("SKU", "WH1"), "3");
}

#[test]
fn an_unlotted_sale_of_a_tracked_item_takes_first_expiry_first() {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"MILK","location":"A","qty":"2","lot":"L5","expiry":ds(5)}));
    h.ok(json!({"type":"receive","item":"MILK","location":"A","qty":"2","lot":"L3","expiry":ds(3)}));
    let o = h.ok(json!({"type":"sell","item":"MILK","location":"A","qty":"5"}));
    let moves: Vec<_> = of_type(&o, "move_posted").iter().map(|m| (m["lot"].clone(), m["qty"].clone())).collect();
    assert_eq!(moves, vec![(json!("L3"), json!(2)), (json!("L5"), json!(2)), (json!("?"), json!(1))]);
    assert_eq!(of_type(&o, "lot_created")[0]["lot"], json!("?"));
    assert_eq!(of_type(&o, "negative_stock")[0]["lot"], json!("?"));
    assert_eq!(h.bucket("MILK", "A", Some("?")), ("-1".into(), "0".into()));
    assert_eq!(h.e.count_flags(), vec![("MILK".into(), "A".into())]);
    // A sale naming a lot the engine does not know records it.
    let o = h.ok(json!({"type":"sell","item":"MILK","location":"A","qty":"1","lot":"LX"}));
    assert_eq!(kinds(&o), vec!["lot_created", "move_posted", "negative_stock"]);
    assert_eq!(h.bucket("MILK", "A", Some("LX")), ("-1".into(), "0".into()));
}

#[test]
fn scrap_and_negative_adjustments_are_losses_too() {
    let mut h = H::store();
    stock(&mut h, "SKU", "B", "2");
    stock(&mut h, "SKU", "A", "2");
    h.ok(json!({"type":"reserve","reservation":"R","item":"SKU","qty":"2","scope":"WH1"}));
    assert_eq!(h.allocs("R"), vec![al("B", None, "2")]);
    let o = h.ok(json!({"type":"scrap","item":"SKU","location":"B","qty":"1","reference":"broken"}));
    assert_eq!(of_type(&o, "move_posted")[0]["to"], json!("@scrap"));
    assert_eq!(h.allocs("R"), vec![al("B", None, "1"), al("A", None, "1")]);
    let o = h.ok(json!({"type":"adjust","item":"SKU","location":"B","qty":"-3"}));
    // B's -2 nets with A's free unit within the scope: nothing is left to
    // re-allocate, so the reservation is shorted.
    assert_eq!(kinds(&o), vec!["move_posted", "negative_stock", "deallocated", "reservation_shorted"]);
    assert_eq!(of_type(&o, "move_posted")[0]["to"], json!("@adjustment"));
    assert_eq!(h.allocs("R"), vec![al("A", None, "1")]);
    assert_eq!(h.res("R").shorted, d("1"));
    assert_eq!(h.free("SKU", "WH1"), "0");
    assert_eq!(h.bucket("SKU", "B", None), ("-2".into(), "0".into()));
}

#[test]
fn a_positive_adjustment_is_supply() {
    let mut h = H::store();
    h.ok(json!({"type":"reserve","reservation":"R","item":"SKU","qty":"2","scope":"WH1","fill":"partial"}));
    let o = h.ok(json!({"type":"adjust","item":"SKU","location":"A","qty":"3","reference":"found"}));
    assert_eq!(kinds(&o), vec!["move_posted", "allocated", "demand_changed"]);
    assert_eq!(of_type(&o, "move_posted")[0]["from"], json!("@adjustment"));
    assert_eq!(h.free("SKU", "WH1"), "1");
}

#[test]
fn a_move_carries_a_reservations_allocation() {
    let mut h = H::store();
    stock(&mut h, "SKU", "A", "5");
    h.ok(json!({"type":"reserve","reservation":"R","item":"SKU","qty":"3","scope":"WH1"}));
    // Only free stock moves without naming the reservation.
    h.err(json!({"type":"move","item":"SKU","from":"A","to":"C","qty":"3"}), "INSUFFICIENT_STOCK");
    let o = h.ok(json!({"type":"move","item":"SKU","from":"A","to":"C","qty":"1","reservation":"R"}));
    assert_eq!(kinds(&o), vec!["move_posted"]);
    assert_eq!(of_type(&o, "move_posted")[0]["reservation"], json!("R"));
    assert_eq!(changes(&o), vec![pair("SKU", "A"), pair("SKU", "C")]);
    assert_eq!(h.allocs("R"), vec![al("A", None, "2"), al("C", None, "1")]);
    h.ok(json!({"type":"move","item":"SKU","from":"A","to":"C","qty":"2","reservation":"R"}));
    assert_eq!(h.allocs("R"), vec![al("C", None, "3")]);
    assert_eq!(h.bucket("SKU", "A", None), ("2".into(), "0".into()));
    assert_eq!(h.bucket("SKU", "C", None), ("3".into(), "3".into()));
    h.ok(json!({"type":"move","item":"SKU","from":"A","to":"B","qty":"2"}));
    let a = h.avail("SKU", "WH1");
    assert_eq!((a.on_hand, a.reserved, a.available), (d("5"), d("3"), d("2")));
    // The committed stock leaves from where the allocation went.
    let o = h.ok(json!({"type":"commit","reservation":"R"}));
    assert_eq!(of_type(&o, "move_posted")[0]["from"], json!("C"));
}

#[test]
fn a_move_of_a_lot_needs_its_lot() {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"MILK","location":"A","qty":"4","lot":"L1","expiry":ds(4)}));
    h.ok(json!({"type":"move","item":"MILK","from":"A","to":"B","qty":"3","lot":"L1"}));
    assert_eq!(h.bucket("MILK", "B", Some("L1")), ("3".into(), "0".into()));
    assert_eq!(h.bucket("MILK", "A", Some("L1")), ("1".into(), "0".into()));
}

#[test]
fn reverse_posts_the_mirror_of_a_move() {
    let mut h = H::store();
    stock(&mut h, "SKU", "A", "5"); // move 1
    h.ok(json!({"type":"move","item":"SKU","from":"A","to":"B","qty":"2"})); // move 2
    let o = h.ok(json!({"type":"reverse","move_id":2}));
    let mv = &of_type(&o, "move_posted")[0];
    assert_eq!(mv["move_id"], json!(3));
    assert_eq!((mv["from"].clone(), mv["to"].clone(), mv["qty"].clone()), (json!("B"), json!("A"), json!(2)));
    assert_eq!((mv["reason"].clone(), mv["reverses"].clone()), (json!("reversal"), json!(2)));
    assert_eq!(h.bucket("SKU", "A", None), ("5".into(), "0".into()));
    assert_eq!(h.bucket("SKU", "B", None), ("0".into(), "0".into()));
}

#[test]
fn reversing_a_receipt_is_a_fact_that_may_go_negative() {
    let mut h = H::store();
    stock(&mut h, "SKU", "A", "5"); // move 1
    h.ok(json!({"type":"sell","item":"SKU","location":"A","qty":"3"}));
    let o = h.ok(json!({"type":"reverse","move_id":1}));
    assert_eq!(kinds(&o), vec!["move_posted", "negative_stock"]);
    assert_eq!(of_type(&o, "move_posted")[0]["to"], json!("@supplier"));
    assert_eq!(h.avail("SKU", "A").on_hand, d("-3"));
}

#[test]
fn reversing_a_commit_brings_the_stock_back_as_supply() {
    let mut h = H::store();
    stock(&mut h, "SKU", "A", "3"); // move 1
    h.ok(json!({"type":"reserve","reservation":"R","item":"SKU","qty":"3","scope":"WH1"}));
    h.ok(json!({"type":"commit","reservation":"R"})); // move 2
    h.ok(json!({"type":"reserve","reservation":"W","item":"SKU","qty":"2","scope":"WH1","fill":"partial"}));
    let o = h.ok(json!({"type":"reverse","move_id":2}));
    assert_eq!(kinds(&o), vec!["move_posted", "allocated", "demand_changed"]);
    assert_eq!(h.allocs("W"), vec![al("A", None, "2")]);
    assert_eq!(h.res("R").status, "committed", "the reservation stays finished");
}

#[test]
fn reversing_a_carrying_move_leaves_the_allocation_to_follow_the_stock() {
    let mut h = H::store();
    stock(&mut h, "SKU", "A", "3"); // move 1
    h.ok(json!({"type":"reserve","reservation":"R","item":"SKU","qty":"3","scope":"WH1"}));
    h.ok(json!({"type":"move","item":"SKU","from":"A","to":"C","qty":"3","reservation":"R"})); // move 2
    h.ok(json!({"type":"reverse","move_id":2}));
    assert_eq!(h.allocs("R"), vec![al("A", None, "3")]);
    assert_eq!(h.bucket("SKU", "C", None), ("0".into(), "0".into()));
    assert!(h.e.count_flags().is_empty());
}

#[test]
fn a_till_return_mirrors_a_sale_and_serves_open_demand() {
    let mut h = H::store();
    stock(&mut h, "SKU", "A", "1");
    h.ok(json!({"type":"sell","item":"SKU","location":"A","qty":"1","reference":"RCPT-1"}));
    // A backorder waits for the next unit in WH1.
    h.ok(json!({"type":"reserve","reservation":"BO","item":"SKU","qty":"1","scope":"WH1","fill":"partial"}));
    assert_eq!(h.res("BO").open_demand, d("1"));
    let o = h.ok(json!({"type":"return_sale","item":"SKU","location":"A","qty":"1","reference":"RCPT-1"}));
    let mv = &of_type(&o, "move_posted")[0];
    assert_eq!(
        (mv["from"].clone(), mv["to"].clone(), mv["reason"].clone(), mv["reference"].clone()),
        (json!("@customer"), json!("A"), json!("customer_return"), json!("RCPT-1"))
    );
    assert!(kinds(&o).contains(&"allocated".to_string()), "the returned unit serves the backorder");
    assert_eq!(h.res("BO").open_demand, d("0"));
    assert_eq!(h.avail("SKU", "A").on_hand, d("1"));
    // A return is a fact like a sale: quantities must be positive and exact.
    h.err(json!({"type":"return_sale","item":"SKU","location":"A","qty":"0"}), "INVALID_QUANTITY");
    h.err(json!({"type":"return_sale","item":"SKU","location":"A","qty":"0.5"}), "QUANTITY_SCALE_EXCEEDED");
    h.err(json!({"type":"return_sale","item":"NOPE","location":"A","qty":"1"}), "UNKNOWN_ITEM");
}

#[test]
fn a_till_return_keeps_its_lot_and_its_serial() {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"MILK","location":"A","qty":"2","lot":"L5","expiry":ds(5)}));
    h.ok(json!({"type":"sell","item":"MILK","location":"A","qty":"2","lot":"L5"}));
    h.ok(json!({"type":"return_sale","item":"MILK","location":"A","qty":"1","lot":"L5"}));
    assert_eq!(h.bucket("MILK", "A", Some("L5")), ("1".into(), "0".into()));
    // Without a lot, a tracked item's return lands in the unknown lot.
    let o = h.ok(json!({"type":"return_sale","item":"MILK","location":"A","qty":"1"}));
    assert_eq!(of_type(&o, "move_posted")[0]["lot"], json!("?"));
    // A lot the till never saw is recorded.
    let o = h.ok(json!({"type":"return_sale","item":"MILK","location":"A","qty":"1","lot":"LNEW"}));
    assert_eq!(kinds(&o)[..2], ["lot_created", "move_posted"]);
    // A serial item comes back one unit at a time.
    h.err(json!({"type":"return_sale","item":"PHONE","location":"A","qty":"2","lot":"SN1"}), "SERIAL_QUANTITY");
    h.ok(json!({"type":"return_sale","item":"PHONE","location":"A","qty":"1","lot":"SN1"}));
    assert_eq!(h.bucket("PHONE", "A", Some("SN1")).0, "1");
}
