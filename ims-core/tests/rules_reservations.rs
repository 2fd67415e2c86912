//! Two-phase reservations: fill all or partial, dated demand served in
//! (priority, need date, id) order, commit (quantity, remainder, substitute
//! buckets, destination), release, extend, amend, TTL expiry.

#![allow(clippy::unwrap_used)] // a test that unwraps wrongly fails, which is the point

mod common;

use common::*;
use serde_json::json;

fn stock(h: &mut H, loc: &str, qty: &str) {
    h.ok(json!({"type":"receive","item":"SKU","location":loc,"qty":qty}));
}

fn reserve(h: &mut H, v: serde_json::Value) {
    let mut v = v;
    v["type"] = json!("reserve");
    if v.get("item").is_none() {
        v["item"] = json!("SKU");
    }
    if v.get("scope").is_none() {
        v["scope"] = json!("WH1");
    }
    h.ok(v);
}

/// A reservation never holds (allocated + committed + open demand) more than
/// it asked for.
fn within_request(h: &H, code: &str) {
    let r = h.res(code);
    assert!(r.allocated + r.committed + r.open_demand <= r.qty, "{code} holds more than requested: {r:?}");
}

#[test]
fn fill_all_refuses_and_partial_takes_what_is_there() {
    let mut h = H::store();
    stock(&mut h, "A", "4");
    h.err(json!({"type":"reserve","reservation":"R","item":"SKU","qty":"10","scope":"WH1"}), "INSUFFICIENT_AVAILABLE");
    let o = h.ok(json!({"type":"reserve","reservation":"R","item":"SKU","qty":"10","scope":"WH1","fill":"partial",
        "need_date":ds(3)}));
    let created = &of_type(&o, "reservation_created")[0];
    assert_eq!((created["open_demand"].clone(), created["need_date"].clone()), (json!(6), json!(ds(3))));
    let r = h.res("R");
    assert_eq!((r.allocated, r.open_demand), (d("4"), d("6")));
    // Supply serves the open demand at once.
    let o = h.ok(json!({"type":"receive","item":"SKU","location":"B","qty":"3"}));
    assert_eq!(kinds(&o), vec!["move_posted", "allocated", "demand_changed"]);
    assert_eq!(of_type(&o, "allocated")[0]["reason"], json!("supply"));
    assert_eq!(of_type(&o, "demand_changed")[0]["open_demand"], json!(3));
    // Commit what is there and keep waiting for the rest.
    h.ok(json!({"type":"commit","reservation":"R","remainder":"keep"}));
    let r = h.res("R");
    assert_eq!((r.status, r.committed, r.allocated, r.open_demand), ("active", d("7"), d("0"), d("3")));
    stock(&mut h, "A", "5");
    assert_eq!(h.res("R").allocated, d("3"));
    assert_eq!(h.free("SKU", "WH1"), "2");
    let o = h.ok(json!({"type":"commit","reservation":"R"}));
    assert_eq!(of_type(&o, "reservation_finished")[0]["finish"], json!("committed"));
    assert_eq!(h.res("R").committed, d("10"));
}

#[test]
fn supply_serves_demand_by_priority_then_need_date_then_id() {
    let mut h = H::store();
    for (id, prio, need) in [("D-b", 0, 5), ("D-a", 0, 5), ("D-c", 1, 1), ("D-d", 0, 2)] {
        reserve(&mut h, json!({"reservation":id,"qty":"2","fill":"partial","priority":prio,"need_date":ds(need)}));
    }
    h.ok(json!({"type":"promise","reservation":"P-z","item":"SKU","qty":"1","scope":"WH1","need_date":ds(9),"priority":-1}));
    let o = h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"6"}));
    let order: Vec<_> = of_type(&o, "allocated").iter().map(|e| (e["reservation"].clone(), e["qty"].clone())).collect();
    assert_eq!(
        order,
        vec![(json!("P-z"), json!(1)), (json!("D-d"), json!(2)), (json!("D-a"), json!(2)), (json!("D-b"), json!(1))]
    );
    assert_eq!(h.res("D-b").open_demand, d("1"));
    assert_eq!(h.res("D-c").open_demand, d("2"));
    for id in ["D-a", "D-b", "D-c", "D-d", "P-z"] {
        within_request(&h, id);
    }
}

#[test]
fn commit_everything_to_the_customer_by_default() {
    let mut h = H::store();
    stock(&mut h, "A", "5");
    reserve(&mut h, json!({"reservation":"R","qty":"3"}));
    let o = h.ok(json!({"type":"commit","reservation":"R"}));
    assert_eq!(kinds(&o), vec!["deallocated", "reservation_committed", "move_posted", "reservation_finished"]);
    let mv = &of_type(&o, "move_posted")[0];
    assert_eq!(
        (mv["from"].clone(), mv["to"].clone(), mv["reason"].clone()),
        (json!("A"), json!("@customer"), json!("commit"))
    );
    assert_eq!(mv["reference"], json!("R"));
    let r = h.res("R");
    assert_eq!((r.status, r.committed, r.allocated), ("committed", d("3"), d("0")));
    let a = h.avail("SKU", "WH1");
    assert_eq!((a.on_hand, a.reserved, a.available), (d("2"), d("0"), d("2")));
    assert_eq!(changes(&o), vec![pair("SKU", "A")]);
}

#[test]
fn commit_part_and_keep_the_rest_for_a_later_shipment() {
    let mut h = H::store();
    stock(&mut h, "B", "2");
    stock(&mut h, "A", "4");
    reserve(&mut h, json!({"reservation":"R","qty":"5"}));
    assert_eq!(h.allocs("R"), vec![al("B", None, "2"), al("A", None, "3")]);
    let o = h.ok(json!({"type":"commit","reservation":"R","qty":"3","remainder":"keep"}));
    let moves: Vec<_> = of_type(&o, "move_posted").iter().map(|m| (m["from"].clone(), m["qty"].clone())).collect();
    assert_eq!(moves, vec![(json!("B"), json!(2)), (json!("A"), json!(1))]);
    assert_eq!(h.allocs("R"), vec![al("A", None, "2")]);
    assert_eq!(h.res("R").status, "active");
    let o = h.ok(json!({"type":"commit","reservation":"R","remainder":"keep"}));
    assert_eq!(of_type(&o, "reservation_finished")[0]["finish"], json!("committed"), "nothing left: finished");
    assert_eq!(h.res("R").committed, d("5"));
    assert_eq!(h.avail("SKU", "WH1").on_hand, d("1"));
}

#[test]
fn commit_part_and_release_the_rest() {
    let mut h = H::store();
    stock(&mut h, "A", "5");
    reserve(&mut h, json!({"reservation":"R","qty":"4"}));
    let o = h.ok(json!({"type":"commit","reservation":"R","qty":"1"}));
    let deallocs: Vec<_> = of_type(&o, "deallocated").iter().map(|e| (e["reason"].clone(), e["qty"].clone())).collect();
    assert_eq!(deallocs, vec![(json!("commit"), json!(1)), (json!("release"), json!(3))]);
    let r = h.res("R");
    assert_eq!((r.status, r.committed, r.allocated), ("committed", d("1"), d("0")));
    assert_eq!(h.free("SKU", "WH1"), "4");
}

#[test]
fn a_picker_may_substitute_another_bucket() {
    let mut h = H::store();
    stock(&mut h, "B", "2");
    stock(&mut h, "C", "3");
    reserve(&mut h, json!({"reservation":"R","qty":"2","strategy":"location_priority"}));
    assert_eq!(h.allocs("R"), vec![al("B", None, "2")]);
    let o = h.ok(json!({"type":"commit","reservation":"R","buckets":[{"location":"C","qty":"2"}]}));
    let got: Vec<_> = evs(&o)
        .iter()
        .filter(|e| e["type"] == "allocated" || e["type"] == "deallocated")
        .map(|e| (e["type"].clone(), e["location"].clone(), e["reason"].clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (json!("deallocated"), json!("B"), json!("substitute")),
            (json!("allocated"), json!("C"), json!("substitute")),
            (json!("deallocated"), json!("C"), json!("commit")),
        ]
    );
    assert_eq!(of_type(&o, "move_posted")[0]["from"], json!("C"));
    assert_eq!(h.bucket("SKU", "B", None), ("2".into(), "0".into()));
    assert_eq!(h.bucket("SKU", "C", None), ("1".into(), "0".into()));
}

#[test]
fn a_picker_may_substitute_a_lot() {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"MILK","location":"A","qty":"2","lot":"L1","expiry":ds(3)}));
    h.ok(json!({"type":"receive","item":"MILK","location":"A","qty":"2","lot":"L2","expiry":ds(6)}));
    reserve(&mut h, json!({"reservation":"R","item":"MILK","qty":"2"}));
    assert_eq!(h.allocs("R"), vec![al("A", Some("L1"), "2")]);
    // With keep: nothing is left to hold, so the reservation is finished.
    h.ok(json!({"type":"commit","reservation":"R","remainder":"keep","buckets":[{"location":"A","lot":"L2","qty":"1"},
        {"location":"A","lot":"L1","qty":"1"}]}));
    within_request(&h, "R");
    assert_eq!((h.res("R").status, h.res("R").allocated), ("committed", d("0")));
    assert_eq!(h.bucket("MILK", "A", Some("L1")), ("1".into(), "0".into()));
    assert_eq!(h.bucket("MILK", "A", Some("L2")), ("1".into(), "0".into()));
}

#[test]
fn a_substitute_with_keep_never_leaves_the_reservation_holding_more_than_asked() {
    let mut h = H::store();
    stock(&mut h, "B", "1");
    stock(&mut h, "A", "5");
    reserve(&mut h, json!({"reservation":"R","qty":"6","strategy":"location_priority"}));
    assert_eq!(h.allocs("R"), vec![al("B", None, "1"), al("A", None, "5")]);
    stock(&mut h, "C", "2");
    // Ship 3: one from A (allocated) and two substitutes from C.
    h.ok(json!({"type":"commit","reservation":"R","qty":"3","remainder":"keep",
        "buckets":[{"location":"A","qty":"1"},{"location":"C","qty":"2"}]}));
    let r = h.res("R");
    assert_eq!(r.committed, d("3"));
    assert_eq!(r.allocated, d("3"), "6 asked, 3 shipped: 3 still held, got {:?}", r.allocations);
    within_request(&h, "R");
}

#[test]
fn a_bucket_named_twice_is_checked_as_one() {
    let mut h = H::store();
    stock(&mut h, "B", "2");
    stock(&mut h, "A", "4");
    reserve(&mut h, json!({"reservation":"R","qty":"6"}));
    assert_eq!(h.allocs("R"), vec![al("B", None, "2"), al("A", None, "4")]);
    // 2 + 3 from A, which holds 4: a request may not drive A negative.
    h.err(json!({"type":"commit","reservation":"R","qty":"5","buckets":[{"location":"A","qty":"2"},{"location":"A","qty":"3"}]}),
        "INSUFFICIENT_STOCK");
    // 1 + 2 from A is 3 from A.
    h.ok(json!({"type":"commit","reservation":"R","qty":"3","remainder":"keep",
        "buckets":[{"location":"A","qty":"1"},{"location":"A","qty":"2"}]}));
    assert_eq!(h.allocs("R"), vec![al("B", None, "2"), al("A", None, "1")]);
    assert_eq!(h.bucket("SKU", "A", None), ("1".into(), "1".into()));
}

#[test]
fn commit_to_an_internal_destination_moves_the_stock_there() {
    let mut h = H::store();
    stock(&mut h, "A", "5");
    reserve(&mut h, json!({"reservation":"R","qty":"3"}));
    let o = h.ok(json!({"type":"commit","reservation":"R","destination":"STG"}));
    assert_eq!(changes(&o), vec![pair("SKU", "A"), pair("SKU", "STG")]);
    assert_eq!(h.bucket("SKU", "STG", None), ("3".into(), "0".into()));
    // Still on hand in the warehouse, but staging is not sellable.
    let a = h.avail("SKU", "WH1");
    assert_eq!((a.on_hand, a.sellable, a.reserved, a.available), (d("5"), d("2"), d("0"), d("2")));
}

#[test]
fn release_gives_the_stock_back_and_serves_waiting_demand() {
    let mut h = H::store();
    stock(&mut h, "A", "5");
    reserve(&mut h, json!({"reservation":"R1","qty":"5"}));
    reserve(&mut h, json!({"reservation":"R2","qty":"3","fill":"partial"}));
    assert_eq!(h.res("R2").open_demand, d("3"));
    let o = h.ok(json!({"type":"release","reservation":"R1"}));
    assert_eq!(kinds(&o), vec!["deallocated", "reservation_finished", "allocated", "demand_changed"]);
    assert_eq!(of_type(&o, "reservation_finished")[0]["finish"], json!("released"));
    assert_eq!(h.res("R1").status, "released");
    assert_eq!((h.res("R2").allocated, h.res("R2").open_demand), (d("3"), d("0")));
    assert_eq!(h.free("SKU", "WH1"), "2");
}

#[test]
fn extend_pushes_the_expiry_from_now() {
    let mut h = H::store();
    stock(&mut h, "A", "5");
    reserve(&mut h, json!({"reservation":"R","qty":"2","ttl_ms":10 * MIN}));
    assert_eq!(h.res("R").expires_at, Some(T0 + 10 * MIN));
    h.at(T0 + 5 * MIN);
    let o = h.ok(json!({"type":"extend","reservation":"R","ttl_ms":10 * MIN}));
    assert_eq!(of_type(&o, "reservation_extended")[0]["expires_at"], json!(T0 + 15 * MIN));
    h.advance(T0 + 12 * MIN);
    assert_eq!(h.res("R").status, "active");
    // expires_at <= now: the boundary instant expires it.
    let o = h.advance(T0 + 15 * MIN);
    assert_eq!(kinds(&o), vec!["deallocated", "reservation_finished"]);
    assert_eq!(h.res("R").status, "expired");
    assert_eq!(h.free("SKU", "WH1"), "5");
    // A reservation without a TTL may be given one.
    reserve(&mut h, json!({"reservation":"N","qty":"1"}));
    h.ok(json!({"type":"extend","reservation":"N","ttl_ms":MIN}));
    h.advance(T0 + 16 * MIN);
    assert_eq!(h.res("N").status, "expired");
}

#[test]
fn expiry_runs_in_expiry_then_id_order() {
    let mut h = H::store();
    stock(&mut h, "A", "9");
    for (id, ttl) in [("R-b", 10), ("R-a", 10), ("R-c", 5)] {
        reserve(&mut h, json!({"reservation":id,"qty":"2","ttl_ms":ttl * MIN}));
    }
    reserve(&mut h, json!({"reservation":"W","qty":"4","fill":"partial"}));
    assert_eq!(h.res("W").open_demand, d("1"));
    // A later command first expires what is due, then runs.
    h.at(T0 + 20 * MIN);
    let o = h.ok(json!({"type":"receive","item":"SKU","location":"B","qty":"1"}));
    let finished: Vec<_> = of_type(&o, "reservation_finished").iter().map(|e| e["reservation"].clone()).collect();
    assert_eq!(finished, vec![json!("R-c"), json!("R-a"), json!("R-b")]);
    assert_eq!(kinds(&o).last().map(String::as_str), Some("move_posted"), "expiry first, then the receipt");
    // The first expiry freed stock for the waiting demand.
    let k = kinds(&o);
    assert_eq!(&k[..4], ["deallocated", "reservation_finished", "allocated", "demand_changed"]);
    assert_eq!((h.res("W").allocated, h.res("W").open_demand), (d("4"), d("0")));
    assert_eq!(h.free("SKU", "WH1"), "6");
}

#[test]
fn amend_up_allocates_more_or_refuses() {
    let mut h = H::store();
    stock(&mut h, "A", "5");
    reserve(&mut h, json!({"reservation":"R","qty":"2"}));
    let o = h.ok(json!({"type":"amend","reservation":"R","qty":"4"}));
    assert_eq!(kinds(&o), vec!["reservation_amended", "allocated"]);
    assert_eq!((h.res("R").qty, h.res("R").allocated), (d("4"), d("4")));
    h.err(json!({"type":"amend","reservation":"R","qty":"6"}), "INSUFFICIENT_AVAILABLE");
    // A partial reservation takes what is there and waits for the rest.
    reserve(&mut h, json!({"reservation":"P","qty":"1","fill":"partial"}));
    let o = h.ok(json!({"type":"amend","reservation":"P","qty":"3"}));
    assert_eq!(kinds(&o), vec!["reservation_amended", "demand_changed"]);
    assert_eq!((h.res("P").allocated, h.res("P").open_demand), (d("1"), d("2")));
    within_request(&h, "P");
}

#[test]
fn amend_down_drops_open_demand_first_then_the_newest_allocation() {
    let mut h = H::store();
    stock(&mut h, "B", "2");
    stock(&mut h, "A", "3");
    reserve(&mut h, json!({"reservation":"R","qty":"7","fill":"partial"}));
    assert_eq!(h.allocs("R"), vec![al("B", None, "2"), al("A", None, "3")]);
    reserve(&mut h, json!({"reservation":"W","qty":"1","fill":"partial"}));
    let o = h.ok(json!({"type":"amend","reservation":"R","qty":"4"}));
    let k = kinds(&o);
    assert_eq!(k, vec!["reservation_amended", "demand_changed", "deallocated", "allocated", "demand_changed"]);
    let ev = evs(&o);
    assert_eq!((ev[1]["reservation"].clone(), ev[1]["open_demand"].clone()), (json!("R"), json!(0)));
    assert_eq!((ev[2]["location"].clone(), ev[2]["qty"].clone()), (json!("A"), json!(1)));
    // The freed unit served W's demand.
    assert_eq!(ev[3]["reservation"], json!("W"));
    assert_eq!(h.allocs("R"), vec![al("B", None, "2"), al("A", None, "2")]);
    let r = h.res("R");
    assert_eq!((r.qty, r.open_demand), (d("4"), d("0")));
    assert_eq!(h.res("W").allocated, d("1"));
}

#[test]
fn a_promise_is_demand_until_supply_arrives() {
    let mut h = H::store();
    let o = h.ok(json!({"type":"promise","reservation":"P","item":"SKU","qty":"4","scope":"WH1","need_date":ds(7)}));
    assert_eq!(of_type(&o, "reservation_created")[0]["open_demand"], json!(4));
    assert!(o.changes.is_empty(), "nothing allocated, nothing changed now");
    stock(&mut h, "A", "6");
    let r = h.res("P");
    assert_eq!((r.allocated, r.open_demand), (d("4"), d("0")));
    assert_eq!(h.free("SKU", "WH1"), "2");
    h.ok(json!({"type":"commit","reservation":"P"}));
    assert_eq!(h.res("P").status, "committed");
}
