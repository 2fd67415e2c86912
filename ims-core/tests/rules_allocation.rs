//! Lots and removal strategies: FEFO (lots without expiry last), FIFO, LIFO,
//! location priority, single-location-first; remaining shelf life; lot
//! expiry and holds re-allocating reservations.

#![allow(clippy::unwrap_used)] // a test that unwraps wrongly fails, which is the point

mod common;

use common::*;
use ims_core::Engine;
use serde_json::json;

/// RICE: lot-tracked without shelf life (so a lot may have no expiry).
fn rice() -> H {
    let mut h = H::store();
    h.ok(json!({"type":"define_item","item":"RICE","tracking":"lot"}));
    h
}

fn recv(h: &mut H, item: &str, loc: &str, qty: &str, lot: Option<&str>, expiry: Option<i32>) {
    let mut v = json!({"type":"receive","item":item,"location":loc,"qty":qty});
    if let Some(l) = lot {
        v["lot"] = json!(l);
    }
    if let Some(e) = expiry {
        v["expiry"] = json!(ds(e));
    }
    h.ok(v);
}

fn reserve(h: &mut H, id: &str, item: &str, qty: &str, strategy: &str) {
    h.ok(json!({"type":"reserve","reservation":id,"item":item,"qty":qty,"scope":"WH1","strategy":strategy}));
}

#[test]
fn receipt_creates_lots_with_default_expiry_from_shelf_life() {
    let mut h = H::store();
    h.at(T0 + 2 * DAY);
    let o = h.ok(json!({"type":"receive","item":"MILK","location":"A","qty":"3","lot":"L1"}));
    let lot = &of_type(&o, "lot_created")[0];
    assert_eq!(lot["received"], json!(ds(2)));
    assert_eq!(lot["expiry"], json!(ds(12)));
    // An explicit expiry wins; a second receipt of the lot reuses it.
    let o = h.ok(json!({"type":"receive","item":"MILK","location":"A","qty":"1","lot":"L2","expiry":ds(4)}));
    assert_eq!(of_type(&o, "lot_created")[0]["expiry"], json!(ds(4)));
    let o = h.ok(json!({"type":"receive","item":"MILK","location":"B","qty":"1","lot":"L2"}));
    assert!(of_type(&o, "lot_created").is_empty());
    assert_eq!(h.bucket("MILK", "B", Some("L2")), ("1".into(), "0".into()));
}

#[test]
fn fefo_takes_first_expiry_first_and_lots_without_expiry_last() {
    let mut h = rice();
    recv(&mut h, "RICE", "B", "4", Some("N1"), None);
    recv(&mut h, "RICE", "A", "4", Some("E5"), Some(5));
    recv(&mut h, "RICE", "C", "4", Some("E3"), Some(3));
    reserve(&mut h, "R", "RICE", "10", "fefo");
    assert_eq!(h.allocs("R"), vec![al("C", Some("E3"), "4"), al("A", Some("E5"), "4"), al("B", Some("N1"), "2")]);
}

#[test]
fn fefo_breaks_ties_by_walk_sequence() {
    let mut h = H::store();
    // The same lot in three bins: walk order B (1), C (2), A (3).
    for loc in ["A", "B", "C"] {
        recv(&mut h, "MILK", loc, "2", Some("L1"), Some(5));
    }
    reserve(&mut h, "R", "MILK", "5", "fefo");
    assert_eq!(h.allocs("R"), vec![al("B", Some("L1"), "2"), al("C", Some("L1"), "2"), al("A", Some("L1"), "1")]);
}

#[test]
fn fifo_and_lifo_follow_the_received_date() {
    let mut h = rice();
    recv(&mut h, "RICE", "A", "4", Some("OLD"), None);
    h.at(T0 + DAY);
    recv(&mut h, "RICE", "B", "4", Some("MID"), None);
    h.at(T0 + 2 * DAY);
    recv(&mut h, "RICE", "C", "4", Some("NEW"), None);
    reserve(&mut h, "F", "RICE", "6", "fifo");
    assert_eq!(h.allocs("F"), vec![al("A", Some("OLD"), "4"), al("B", Some("MID"), "2")]);
    h.ok(json!({"type":"release","reservation":"F"}));
    reserve(&mut h, "L", "RICE", "6", "lifo");
    assert_eq!(h.allocs("L"), vec![al("C", Some("NEW"), "4"), al("B", Some("MID"), "2")]);
}

#[test]
fn location_priority_follows_the_walk() {
    let mut h = H::store();
    recv(&mut h, "SKU", "A", "5", None, None);
    recv(&mut h, "SKU", "B", "2", None, None);
    recv(&mut h, "SKU", "C", "3", None, None);
    reserve(&mut h, "R", "SKU", "6", "location_priority");
    assert_eq!(h.allocs("R"), vec![al("B", None, "2"), al("C", None, "3"), al("A", None, "1")]);
}

#[test]
fn location_priority_takes_first_expiry_within_a_location() {
    let mut h = H::store();
    recv(&mut h, "MILK", "A", "2", Some("L9"), Some(9));
    recv(&mut h, "MILK", "A", "2", Some("L2"), Some(2));
    recv(&mut h, "MILK", "B", "1", Some("L7"), Some(7));
    reserve(&mut h, "R", "MILK", "4", "location_priority");
    assert_eq!(h.allocs("R"), vec![al("B", Some("L7"), "1"), al("A", Some("L2"), "2"), al("A", Some("L9"), "1")]);
}

#[test]
fn single_location_first_prefers_one_location_that_fills_it() {
    let mut h = H::store();
    recv(&mut h, "SKU", "A", "5", None, None);
    recv(&mut h, "SKU", "B", "2", None, None);
    recv(&mut h, "SKU", "C", "3", None, None);
    reserve(&mut h, "S3", "SKU", "3", "single_location_first");
    assert_eq!(h.allocs("S3"), vec![al("C", None, "3")]);
    h.ok(json!({"type":"release","reservation":"S3"}));
    reserve(&mut h, "S4", "SKU", "4", "single_location_first");
    assert_eq!(h.allocs("S4"), vec![al("A", None, "4")]);
    h.ok(json!({"type":"release","reservation":"S4"}));
    // No single location can: location priority.
    reserve(&mut h, "S9", "SKU", "9", "single_location_first");
    assert_eq!(h.allocs("S9"), vec![al("B", None, "2"), al("C", None, "3"), al("A", None, "4")]);
}

#[test]
fn ties_never_depend_on_the_order_codes_were_learned() {
    let run = |order: [&str; 2]| {
        let mut h = H::new();
        h.ok(json!({"type":"define_location","location":"W","kind":"warehouse"}));
        for loc in order {
            h.ok(json!({"type":"define_location","location":loc,"kind":"storage","parent":"W"}));
        }
        h.ok(json!({"type":"define_item","item":"SKU"}));
        for loc in order {
            h.ok(json!({"type":"receive","item":"SKU","location":loc,"qty":"2"}));
        }
        h.ok(json!({"type":"reserve","reservation":"R","item":"SKU","qty":"3","scope":"W"}));
        h.allocs("R")
    };
    let a = run(["Y1", "Z1"]);
    assert_eq!(a, vec![al("Y1", None, "2"), al("Z1", None, "1")]);
    assert_eq!(run(["Z1", "Y1"]), a);
}

#[test]
fn scope_limits_the_buckets() {
    let mut h = H::store();
    recv(&mut h, "SKU", "B", "5", None, None);
    recv(&mut h, "SKU", "X", "5", None, None);
    h.ok(json!({"type":"reserve","reservation":"R","item":"SKU","qty":"7","scope":["A","X"],"fill":"partial"}));
    assert_eq!(h.allocs("R"), vec![al("X", None, "5")]);
    assert_eq!(h.res("R").open_demand, d("2"));
    assert_eq!(h.free("SKU", "WH1"), "5");
    // "*" is every internal location.
    h.ok(json!({"type":"reserve","reservation":"R2","item":"SKU","qty":"5","scope":"*"}));
    assert_eq!(h.allocs("R2"), vec![al("B", None, "5")]);
}

#[test]
fn remaining_shelf_life_limits_what_is_sellable() {
    let mut h = H::store();
    h.ok(json!({"type":"define_item","item":"FRESH","tracking":"lot","min_remaining_shelf_life_days":3}));
    recv(&mut h, "FRESH", "A", "4", Some("F2"), Some(2));
    recv(&mut h, "FRESH", "A", "4", Some("F5"), Some(5));
    let a = h.avail("FRESH", "WH1");
    assert_eq!((a.on_hand, a.sellable, a.available), (d("8"), d("4"), d("4")));
    let e = h.err(
        json!({"type":"reserve","reservation":"R","item":"FRESH","qty":"5","scope":"WH1"}),
        "INSUFFICIENT_AVAILABLE",
    );
    assert_eq!(e.to_string(), "FRESH: requested 5, available 4");
    // A request may ask for more life than the item's minimum.
    h.err(
        json!({"type":"reserve","reservation":"R","item":"FRESH","qty":"1","scope":"WH1","min_shelf_life_days":6}),
        "INSUFFICIENT_AVAILABLE",
    );
    h.ok(json!({"type":"reserve","reservation":"R","item":"FRESH","qty":"4","scope":"WH1","min_shelf_life_days":5}));
    assert_eq!(h.allocs("R"), vec![al("A", Some("F5"), "4")]);
}

#[test]
fn a_lot_is_usable_through_its_expiry_day() {
    let mut h = H::store();
    recv(&mut h, "MILK", "A", "3", Some("L0"), Some(0));
    assert_eq!(h.free("MILK", "WH1"), "3");
    h.advance(T0 + DAY);
    let a = h.avail("MILK", "WH1");
    assert_eq!((a.on_hand, a.sellable, a.available), (d("3"), d("0"), d("0")));
}

#[test]
fn lot_expiry_reallocates_at_the_site_day_boundary() {
    let mut h = H::store();
    recv(&mut h, "MILK", "B", "3", Some("L1"), Some(1));
    recv(&mut h, "MILK", "A", "3", Some("L4"), Some(4));
    reserve(&mut h, "R", "MILK", "3", "fefo");
    assert_eq!(h.allocs("R"), vec![al("B", Some("L1"), "3")]);
    // Still day 1 at the site (UTC): nothing moves yet.
    h.advance(T0 + DAY + 12 * HOUR);
    assert_eq!(h.allocs("R"), vec![al("B", Some("L1"), "3")]);
    let o = h.advance(T0 + 2 * DAY);
    assert_eq!(kinds(&o), vec!["deallocated", "allocated"]);
    assert_eq!(of_type(&o, "deallocated")[0]["reason"], json!("reallocate"));
    assert_eq!(h.allocs("R"), vec![al("A", Some("L4"), "3")]);
    assert_eq!(changes(&o), vec![pair("MILK", "A"), pair("MILK", "B")]);
}

#[test]
fn lot_expiry_without_other_stock_shorts_the_reservation() {
    let mut h = H::store();
    recv(&mut h, "MILK", "B", "3", Some("L1"), Some(1));
    reserve(&mut h, "R", "MILK", "2", "fefo");
    let o = h.advance(T0 + 2 * DAY);
    let short = of_type(&o, "reservation_shorted");
    assert_eq!(short, vec![json!({"type":"reservation_shorted","reservation":"R","shortfall":2})]);
    let r = h.res("R");
    assert_eq!((r.status, r.allocated, r.shorted), ("active", d("0"), d("2")));
    assert_eq!(h.bucket("MILK", "B", Some("L1")), ("3".into(), "0".into()));
}

#[test]
fn expiry_at_a_site_east_of_utc_comes_earlier() {
    let mut h = H::new();
    h.ok(json!({"type":"define_location","location":"SYD","kind":"site","utc_offset_minutes":600}));
    h.ok(json!({"type":"define_location","location":"SYD/A","kind":"storage","parent":"SYD"}));
    h.ok(json!({"type":"define_item","item":"MILK","tracking":"lot"}));
    h.ok(json!({"type":"receive","item":"MILK","location":"SYD/A","qty":"2","lot":"L0","expiry":ds(0)}));
    h.ok(json!({"type":"reserve","reservation":"R","item":"MILK","qty":"2","scope":"SYD"}));
    // 15:00 UTC on day 0 is 01:00 on day 1 in Sydney: the lot has expired there.
    let o = h.advance(T0 + 15 * HOUR);
    assert_eq!(of_type(&o, "reservation_shorted").len(), 1);
    assert_eq!(h.free("MILK", "SYD"), "0");
}

#[test]
fn a_hold_reallocates_greatest_id_first_then_shorts() {
    let mut h = H::store();
    recv(&mut h, "MILK", "B", "3", Some("L1"), Some(3));
    recv(&mut h, "MILK", "A", "2", Some("L2"), Some(6));
    reserve(&mut h, "R1", "MILK", "2", "fefo");
    reserve(&mut h, "R2", "MILK", "1", "fefo");
    let o = h.ok(json!({"type":"set_lot_status","item":"MILK","lot":"L1","status":"on_hold"}));
    let got: Vec<_> = evs(&o)
        .iter()
        .skip(1)
        .map(|e| (e["type"].as_str().unwrap().to_string(), e["reservation"].as_str().unwrap().to_string()))
        .collect();
    let want = [
        ("deallocated", "R2"),
        ("allocated", "R2"),
        ("deallocated", "R1"),
        ("allocated", "R1"),
        ("reservation_shorted", "R1"),
    ];
    assert_eq!(got, want.map(|(a, b)| pair(a, b)).to_vec());
    assert_eq!(h.allocs("R2"), vec![al("A", Some("L2"), "1")]);
    assert_eq!(h.allocs("R1"), vec![al("A", Some("L2"), "1")]);
    assert_eq!(h.res("R1").shorted, d("1"));
    let a = h.avail("MILK", "WH1");
    assert_eq!((a.on_hand, a.sellable, a.reserved, a.available), (d("5"), d("2"), d("2"), d("0")));
    // Lifting the hold frees the lot again; a shortfall is not open demand.
    h.ok(json!({"type":"set_lot_status","item":"MILK","lot":"L1","status":"available"}));
    assert_eq!(h.free("MILK", "WH1"), "3");
    assert_eq!(h.res("R1").allocated, d("1"));
}

#[test]
fn a_rejected_lot_is_never_allocated() {
    let mut h = H::store();
    recv(&mut h, "MILK", "A", "3", Some("L1"), Some(3));
    recv(&mut h, "MILK", "A", "3", Some("L2"), Some(6));
    h.ok(json!({"type":"set_lot_status","item":"MILK","lot":"L1","status":"rejected"}));
    reserve(&mut h, "R", "MILK", "3", "fefo");
    assert_eq!(h.allocs("R"), vec![al("A", Some("L2"), "3")]);
    h.err(json!({"type":"reserve","reservation":"R2","item":"MILK","qty":"1","scope":"WH1"}), "INSUFFICIENT_AVAILABLE");
    // Setting the status it already has is a no-op.
    let o = h.ok(json!({"type":"set_lot_status","item":"MILK","lot":"L1","status":"rejected"}));
    assert!(o.events().is_empty());
}

#[test]
fn making_a_location_unsellable_keeps_its_allocations() {
    let mut h = H::store();
    recv(&mut h, "SKU", "B", "2", None, None);
    recv(&mut h, "SKU", "A", "5", None, None);
    reserve(&mut h, "R", "SKU", "2", "location_priority");
    assert_eq!(h.allocs("R"), vec![al("B", None, "2")]);
    h.ok(
        json!({"type":"define_location","location":"B","kind":"storage","parent":"WH1","walk_seq":1,"sellable":false}),
    );
    // The flag is policy, not a loss: the held stock stays held (a picker
    // may have carried it there), and only the sellable stock is free.
    assert_eq!(h.allocs("R"), vec![al("B", None, "2")]);
    assert_eq!(h.free("SKU", "WH1"), "5");
}

#[test]
fn the_same_commands_give_the_same_digests() {
    let build = || {
        let mut h = rice();
        recv(&mut h, "RICE", "B", "4", Some("N1"), None);
        recv(&mut h, "RICE", "C", "4", Some("E3"), Some(3));
        reserve(&mut h, "R", "RICE", "6", "fefo");
        h.e
    };
    let (a, b): (Engine, Engine) = (build(), build());
    assert_eq!(a.journal_digest(), b.journal_digest());
    assert_eq!(a.state_digest(), b.state_digest());
}
