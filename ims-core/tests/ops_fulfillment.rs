//! Fulfillment end to end: sales orders, allocation, pick lists in walk
//! order, short picks, packing, shipping; balances asserted at every step.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::{json, Value};

fn order(h: &H, code: &str) -> Value {
    serde_json::to_value(h.e.sales_order(code).unwrap()).unwrap()
}

/// A line of the order view as (ordered, allocated, backordered, picked, packed, shipped).
fn line(h: &H, o: &str, l: &str) -> [String; 6] {
    let v = order(h, o);
    let x = v["lines"].as_array().unwrap().iter().find(|x| x["line"] == l).unwrap().clone();
    ["ordered", "allocated", "backordered", "picked", "packed", "shipped"].map(|k| x[k].as_str().unwrap().to_string())
}

fn status(h: &H, o: &str) -> String {
    order(h, o)["status"].as_str().unwrap().to_string()
}

/// What the outcome's moves put into a (virtual) location, in minor units.
fn moved(o: &ims_core::Outcome, item: &str, to: &str) -> i64 {
    of_type(o, "move_posted")
        .iter()
        .filter(|m| m["item"] == item && m["to"] == to)
        .map(|m| m["qty"].as_i64().unwrap())
        .sum()
}

/// The pick list's tasks in walk order as (task, bin, item, qty, picked).
fn tasks(h: &H, pl: &str) -> Vec<(u64, String, String, String, String)> {
    let v = serde_json::to_value(h.e.pick_list(pl).unwrap()).unwrap();
    v["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["task"].as_u64().unwrap(),
                t["location"].as_str().unwrap().to_string(),
                t["item"].as_str().unwrap().to_string(),
                t["qty"].as_str().unwrap().to_string(),
                t["picked"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect()
}

fn task(n: u64, bin: &str, item: &str, qty: &str, picked: &str) -> (u64, String, String, String, String) {
    (n, bin.into(), item.into(), qty.into(), picked.into())
}

fn l6(v: [&str; 6]) -> [String; 6] {
    v.map(str::to_string)
}

/// SKU: A 4, B 3, C 5; CAN: C 24; weights SKU 0.5 kg, CAN 0.4 kg; order
/// SO1: line 1 = 10 SKU, line 2 = 1 case of CAN (12).
fn setup() -> H {
    let mut h = H::store();
    for (l, q) in [("A", "4"), ("B", "3"), ("C", "5")] {
        h.ok(json!({"type":"receive","item":"SKU","location":l,"qty":q}));
    }
    h.ok(json!({"type":"receive","item":"CAN","location":"C","qty":"2","unit":"case"}));
    h.ok(json!({"type":"set_item_profile","item":"SKU","weight_kg":"0.5"}));
    h.ok(json!({"type":"set_item_profile","item":"CAN","weight_kg":"0.4"}));
    h.ok(json!({"type":"create_sales_order","order":"SO1","ship_to_zone":"Z2",
        "lines":[{"line":"1","item":"SKU","qty":"10"},{"line":"2","item":"CAN","qty":"1","unit":"case"}],
        "requested_ship_date":ds(0),"scope":"WH1"}));
    h
}

fn carriers(h: &mut H) {
    let band = |zone: &str, max: &str, price: &str, days: u32| json!({"zone":zone,"max_weight_kg":max,"price":price,"transit_days":days});
    h.ok(json!({"type":"define_carrier","carrier":"FAST","services":[
        {"service":"NEXT","rates":[band("Z2","5","20",1), band("Z2","20","30",1)]},
        {"service":"TWO","rates":[band("Z2","20","12.00",2)]}]}));
    h.ok(json!({"type":"define_carrier","carrier":"ECO","services":[
        {"service":"STD","rates":[band("Z1","50","5",1), band("Z2","10","12",2)]},
        {"service":"LIGHT","rates":[band("Z2","5","3",1)]}]}));
    h.ok(json!({"type":"define_carrier","carrier":"SLOW","services":[
        {"service":"GROUND","rates":[band("Z2","30","8",4)]}]}));
    h.ok(json!({"type":"define_carrier","carrier":"AIR","services":[
        {"service":"X","rates":[band("Z1","30","1",1)]}]}));
}

#[test]
fn order_to_shipment_with_a_reallocated_short_pick_and_a_backorder() {
    let mut h = setup();
    assert_eq!(status(&h, "SO1"), "open");
    assert_eq!(line(&h, "SO1", "2"), l6(["12", "0", "0", "0", "0", "0"]));

    // Allocate: one reservation per line, in the order's scope.
    h.ok(json!({"type":"allocate_order","order":"SO1"}));
    assert_eq!(status(&h, "SO1"), "allocated");
    assert_eq!(h.allocs("SO1/1"), vec![al("B", None, "3"), al("C", None, "5"), al("A", None, "2")]);
    assert_eq!(h.allocs("SO1/2"), vec![al("C", None, "12")]);
    assert_eq!(line(&h, "SO1", "1"), l6(["10", "10", "0", "0", "0", "0"]));
    assert_eq!(h.free("SKU", "WH1"), "2");

    // Pick list in walk order: B (1), C (2: CAN before SKU), A (3).
    h.ok(json!({"type":"create_pick_list","pick_list":"PL1","orders":["SO1"],"staging":"STG"}));
    assert_eq!(status(&h, "SO1"), "picking");
    assert_eq!(
        tasks(&h, "PL1"),
        vec![
            task(1, "B", "SKU", "3", "-"),
            task(2, "C", "CAN", "12", "-"),
            task(3, "C", "SKU", "5", "-"),
            task(4, "A", "SKU", "2", "-")
        ]
    );

    h.ok(json!({"type":"confirm_pick","pick_list":"PL1","task":1,"picked":"3"}));
    h.ok(json!({"type":"confirm_pick","pick_list":"PL1","task":2,"picked":"12"}));
    assert_eq!(h.bucket("SKU", "B", None), ("0".into(), "0".into()));
    assert_eq!(h.bucket("SKU", "STG", None), ("3".into(), "3".into()));
    assert_eq!(h.bucket("CAN", "STG", None), ("12".into(), "12".into()));
    assert_eq!(h.bucket("CAN", "C", None), ("12".into(), "0".into()));

    // Short pick at C: 3 of 5. The 2 missing leave C's book, C is flagged
    // for a count, and the 2 are re-allocated from A's free stock: task 5.
    let o = h.ok(json!({"type":"confirm_pick","pick_list":"PL1","task":3,"picked":"3"}));
    let short = of_type(&o, "pick_shorted");
    assert_eq!(short.len(), 1);
    assert_eq!(short[0]["shortfall"], 2);
    assert_eq!(short[0]["written_off"], 2);
    assert_eq!(short[0]["reallocated"], 2);
    assert_eq!(short[0]["backordered"], 0);
    assert_eq!(h.bucket("SKU", "C", None), ("0".into(), "0".into()));
    assert_eq!(h.bucket("SKU", "A", None), ("4".into(), "4".into()));
    assert_eq!(h.bucket("SKU", "STG", None), ("6".into(), "6".into()));
    assert_eq!(moved(&o, "SKU", "@adjustment"), 2);
    assert_eq!(h.e.count_flags(), vec![("SKU".into(), "C".into())]);
    assert_eq!(
        tasks(&h, "PL1"),
        vec![
            task(1, "B", "SKU", "3", "3"),
            task(2, "C", "CAN", "12", "12"),
            task(3, "C", "SKU", "5", "3"),
            task(4, "A", "SKU", "2", "-"),
            task(5, "A", "SKU", "2", "-")
        ]
    );
    assert_eq!(line(&h, "SO1", "1"), l6(["10", "10", "0", "6", "0", "0"]));

    h.ok(json!({"type":"confirm_pick","pick_list":"PL1","task":4,"picked":"2"}));
    assert_eq!(h.bucket("SKU", "A", None), ("2".into(), "2".into()));

    // Second short pick: 1 of 2 at A; nothing is left in the scope, so the
    // missing one is open demand (a backorder).
    let o = h.ok(json!({"type":"confirm_pick","pick_list":"PL1","task":5,"picked":"1"}));
    let short = of_type(&o, "pick_shorted");
    assert_eq!((short[0]["reallocated"].as_i64(), short[0]["backordered"].as_i64()), (Some(0), Some(1)));
    assert_eq!(of_type(&o, "reservation_shorted").len(), 1);
    assert_eq!(h.bucket("SKU", "A", None), ("0".into(), "0".into()));
    assert_eq!(h.bucket("SKU", "STG", None), ("9".into(), "9".into()));
    assert_eq!(h.e.count_flags(), vec![("SKU".into(), "A".into()), ("SKU".into(), "C".into())]);
    assert_eq!(line(&h, "SO1", "1"), l6(["10", "9", "1", "9", "0", "0"]));
    assert_eq!(h.res("SO1/1").open_demand.to_string(), "1");
    assert!(h.e.pick_list("PL1").unwrap().done);

    // Pack: the weight comes from the item profiles (9 × 0.5 + 12 × 0.4).
    h.ok(
        json!({"type":"pack","package":"P1","order":"SO1","contents":[{"line":"1","qty":"9"},{"line":"2","qty":"12"}]}),
    );
    assert_eq!(status(&h, "SO1"), "packed");
    let p1 = h.e.ops_query_json(r#"{"kind":"sales_order","order":"SO1"}"#).unwrap();
    assert_eq!(p1["packages"], json!(["P1"]));
    assert_eq!(line(&h, "SO1", "1"), l6(["10", "9", "1", "9", "9", "0"]));
    // Packing moves nothing: the packed stock waits in staging, still held.
    assert_eq!(h.bucket("SKU", "STG", None), ("9".into(), "9".into()));
    assert_eq!(h.bucket("CAN", "STG", None), ("12".into(), "12".into()));
    assert_eq!(h.bucket("CAN", "C", None), ("12".into(), "0".into()));

    // Carrier: 9.3 kg to Z2, leaving today, promised in two days.
    carriers(&mut h);
    let c = h.e.select_carrier(d("9.3"), "Z2", day(0), day(2)).unwrap();
    let chosen = c.chosen.clone().unwrap();
    assert_eq!((&*chosen.carrier, &*chosen.service, chosen.price, chosen.transit_days), ("ECO", "STD", d("12"), 2));
    let why: Vec<Value> = c.rejected.iter().map(|r| serde_json::to_value(r).unwrap()).collect();
    assert_eq!(
        why,
        vec![
            json!({"carrier":"AIR","service":"X","reason":"no_rate_for_zone"}),
            json!({"carrier":"ECO","service":"LIGHT","reason":"over_weight","max_weight_kg":"5"}),
            json!({"carrier":"FAST","service":"NEXT","reason":"not_cheapest","price":"30","transit_days":1}),
            json!({"carrier":"FAST","service":"TWO","reason":"not_cheapest","price":"12","transit_days":2}),
            json!({"carrier":"SLOW","service":"GROUND","reason":"too_slow","transit_days":4,"delivery_date":ds(4)}),
        ]
    );

    // Ship: the packed quantities go from staging to the customer.
    let o = h.ok(json!({"type":"ship_order","order":"SO1","packages":["P1"]}));
    let mut at_customer = moved(&o, "SKU", "@customer");
    assert!(of_type(&o, "move_posted").iter().all(|m| m["reference"] == "SO1" && m["to"] == "@customer"));
    assert_eq!(status(&h, "SO1"), "partially_shipped");
    assert_eq!(h.bucket("SKU", "STG", None), ("0".into(), "0".into()));
    assert_eq!(h.bucket("CAN", "STG", None), ("0".into(), "0".into()));
    assert_eq!(at_customer, 9);
    assert_eq!(moved(&o, "CAN", "@customer"), 12);
    assert_eq!(line(&h, "SO1", "1"), l6(["10", "0", "1", "9", "9", "9"]));
    assert_eq!(line(&h, "SO1", "2"), l6(["12", "0", "0", "12", "12", "12"]));
    assert_eq!(h.res("SO1/2").status, "committed");
    h.ok(json!({"type":"create_shipment","shipment":"SH1","order":"SO1","packages":["P1"],"carrier":"ECO",
        "service":"STD","tracking":"ECO123"}));
    assert_eq!(h.e.shipment("SH1").unwrap().weight_kg, Some(d("9.3")));

    // New supply fills the backorder; a second pick list ships the rest.
    h.ok(json!({"type":"receive","item":"SKU","location":"B","qty":"1"}));
    assert_eq!(line(&h, "SO1", "1"), l6(["10", "1", "0", "9", "9", "9"]));
    assert_eq!(h.bucket("SKU", "B", None), ("1".into(), "1".into()));
    h.ok(json!({"type":"create_pick_list","pick_list":"PL2","orders":["SO1"],"staging":"STG"}));
    assert_eq!(tasks(&h, "PL2"), vec![task(1, "B", "SKU", "1", "-")]);
    h.ok(json!({"type":"confirm_pick","pick_list":"PL2","task":1,"picked":"1"}));
    h.ok(json!({"type":"pack","package":"P2","order":"SO1","contents":[{"line":"1","qty":"1"}]}));
    assert_eq!(h.e.ops_query_json(r#"{"kind":"sales_order","order":"SO1"}"#).unwrap()["packages"], json!(["P1", "P2"]));
    let o = h.ok(json!({"type":"ship_order","order":"SO1","packages":["P2"]}));
    at_customer += moved(&o, "SKU", "@customer");
    assert_eq!(status(&h, "SO1"), "shipped");
    assert_eq!(at_customer, 10);
    assert_eq!(h.bucket("SKU", "B", None), ("0".into(), "0".into()));
    assert_eq!(line(&h, "SO1", "1"), l6(["10", "0", "0", "10", "10", "10"]));
    assert_eq!(h.res("SO1/1").status, "committed");
    h.ok(json!({"type":"close_order","order":"SO1"}));
    assert_eq!(status(&h, "SO1"), "closed");
    // Everything survives a snapshot.
    let back = ims_core::Engine::restore(&h.e.snapshot()).unwrap();
    assert_eq!(back.sales_order("SO1"), h.e.sales_order("SO1"));
    assert_eq!(back.pick_list("PL1"), h.e.pick_list("PL1"));
}

#[test]
fn a_partial_allocation_is_a_backorder_that_supply_fills() {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"2"}));
    h.ok(json!({"type":"create_sales_order","order":"SO1","lines":[{"line":"1","item":"SKU","qty":"5"}],
        "requested_ship_date":ds(3),"scope":"WH1","channel":"web"}));
    let o = h.ok(json!({"type":"allocate_order","order":"SO1"}));
    let created = &of_type(&o, "reservation_created")[0];
    assert_eq!(
        (&created["channel"], &created["need_date"], &created["fill"]),
        (&json!("web"), &json!(ds(3)), &json!("partial"))
    );
    assert_eq!(status(&h, "SO1"), "partially_allocated");
    assert_eq!(line(&h, "SO1", "1"), l6(["5", "2", "3", "0", "0", "0"]));
    h.ok(json!({"type":"receive","item":"SKU","location":"B","qty":"10"}));
    assert_eq!(line(&h, "SO1", "1"), l6(["5", "5", "0", "0", "0", "0"]));
    assert_eq!(h.bucket("SKU", "B", None), ("10".into(), "3".into()));
    assert_eq!(h.free("SKU", "WH1"), "7");
}

#[test]
fn one_task_per_bin_item_and_lot_serves_several_orders_and_a_short_pick_shorts_the_last_first() {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"MILK","location":"A","qty":"4","lot":"L1"}));
    h.ok(json!({"type":"receive","item":"MILK","location":"A","qty":"4","lot":"L2"}));
    for (o, q) in [("SO1", "3"), ("SO2", "3")] {
        h.ok(json!({"type":"create_sales_order","order":o,"lines":[{"line":"a","item":"MILK","qty":q}],
            "requested_ship_date":ds(0),"scope":"WH1"}));
        h.ok(json!({"type":"allocate_order","order":o}));
    }
    assert_eq!(h.allocs("SO1/a"), vec![al("A", Some("L1"), "3")]);
    assert_eq!(h.allocs("SO2/a"), vec![al("A", Some("L1"), "1"), al("A", Some("L2"), "2")]);
    h.ok(json!({"type":"create_pick_list","pick_list":"PL","orders":["SO1","SO2"],"staging":"STG"}));
    let v = serde_json::to_value(h.e.pick_list("PL").unwrap()).unwrap();
    assert_eq!(v["tasks"][0]["lot"], "L1");
    assert_eq!(v["tasks"][0]["reservations"], json!(["SO1/a", "SO2/a"]));
    assert_eq!(tasks(&h, "PL"), vec![task(1, "A", "MILK", "4", "-"), task(2, "A", "MILK", "2", "-")]);
    // 3 of 4 found: SO1 (first on the task) gets its 3, SO2 is short by 1;
    // lot L2 has 2 free, so SO2 is re-allocated there (task 3).
    let o = h.ok(json!({"type":"confirm_pick","pick_list":"PL","task":1,"picked":"3"}));
    assert_eq!(of_type(&o, "pick_confirmed")[0]["picked"], json!([3, 0]));
    assert_eq!(h.bucket("MILK", "STG", Some("L1")), ("3".into(), "3".into()));
    assert_eq!(h.bucket("MILK", "A", Some("L1")), ("0".into(), "0".into()));
    assert_eq!(h.allocs("SO2/a"), vec![al("A", Some("L2"), "3")]);
    assert_eq!(tasks(&h, "PL")[2], task(3, "A", "MILK", "1", "-"));
    assert_eq!(line(&h, "SO1", "a"), l6(["3", "3", "0", "3", "0", "0"]));
    assert_eq!(line(&h, "SO2", "a"), l6(["3", "3", "0", "0", "0", "0"]));
    assert_eq!(h.e.count_flags(), vec![("MILK".into(), "A".into())]);
}

#[test]
fn a_pick_of_nothing_backorders_the_whole_task() {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"2"}));
    h.ok(json!({"type":"create_sales_order","order":"SO1","lines":[{"line":"1","item":"SKU","qty":"2"}],
        "requested_ship_date":ds(0),"scope":"WH1"}));
    h.ok(json!({"type":"allocate_order","order":"SO1"}));
    h.ok(json!({"type":"create_pick_list","pick_list":"PL","orders":["SO1"],"staging":"STG"}));
    let o = h.ok(json!({"type":"confirm_pick","pick_list":"PL","task":1,"picked":"0"}));
    assert_eq!(of_type(&o, "pick_shorted")[0]["backordered"], 2);
    assert!(of_type(&o, "move_posted").iter().all(|m| m["to"] == "@adjustment"));
    assert_eq!(h.bucket("SKU", "A", None), ("0".into(), "0".into()));
    assert_eq!(line(&h, "SO1", "1"), l6(["2", "0", "2", "0", "0", "0"]));
    // Nothing picked: nothing to pack.
    let e =
        h.e.execute_json(
            &json!({"type":"pack","occurred_at":T0,"package":"P","order":"SO1","contents":[{"line":"1","qty":"1"}]})
                .to_string(),
        )
        .unwrap_err();
    assert_eq!(e.name(), "OVER_PACK");
}

#[test]
fn picked_stock_carried_out_of_staging_is_not_picked_again() {
    // Found by the crash simulation (seed 1014): a picked line's stock moved
    // from staging back to a bin, naming the line's reservation, keeps its
    // allocation; a new pick list tasked it again and its confirmation
    // counted the line as picked beyond its quantity (verify: "shipped ≤
    // packed ≤ picked ≤ ordered broken").
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"2"}));
    h.ok(json!({"type":"create_sales_order","order":"SO1","lines":[{"line":"1","item":"SKU","qty":"2"}],
        "requested_ship_date":ds(0),"scope":"WH1"}));
    h.ok(json!({"type":"allocate_order","order":"SO1"}));
    h.ok(json!({"type":"create_pick_list","pick_list":"PL1","orders":["SO1"],"staging":"STG"}));
    h.ok(json!({"type":"confirm_pick","pick_list":"PL1","task":1,"picked":"2"}));
    h.ok(json!({"type":"move","item":"SKU","from":"STG","to":"A","qty":"2","reservation":"SO1/1"}));
    assert_eq!(h.bucket("SKU", "A", None), ("2".into(), "2".into()));
    h.err(json!({"type":"create_pick_list","pick_list":"PL2","orders":["SO1"],"staging":"STG"}), "NOTHING_TO_PICK");
    assert_eq!(line(&h, "SO1", "1"), l6(["2", "2", "0", "2", "0", "0"]));
}

#[test]
fn cancel_releases_bins_and_staging_and_close_drops_the_backorder() {
    let mut h = setup();
    h.ok(json!({"type":"allocate_order","order":"SO1"}));
    h.ok(json!({"type":"create_pick_list","pick_list":"PL1","orders":["SO1"],"staging":"STG"}));
    h.ok(json!({"type":"confirm_pick","pick_list":"PL1","task":1,"picked":"3"}));
    assert_eq!(h.bucket("SKU", "STG", None), ("3".into(), "3".into()));
    h.ok(json!({"type":"cancel_order","order":"SO1"}));
    assert_eq!(status(&h, "SO1"), "cancelled");
    assert_eq!(h.bucket("SKU", "STG", None), ("3".into(), "0".into()));
    assert_eq!(h.bucket("SKU", "C", None), ("5".into(), "0".into()));
    assert_eq!(h.bucket("CAN", "C", None), ("24".into(), "0".into()));
    assert_eq!(h.res("SO1/1").status, "released");
    assert_eq!(line(&h, "SO1", "1"), l6(["10", "0", "0", "3", "0", "0"]));

    // Close: a partially shipped order gives up its backorder.
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"1"}));
    h.ok(json!({"type":"create_sales_order","order":"SO2","lines":[{"line":"1","item":"SKU","qty":"3"}],
        "requested_ship_date":ds(0),"scope":"WH1"}));
    h.ok(json!({"type":"allocate_order","order":"SO2"}));
    h.ok(json!({"type":"create_pick_list","pick_list":"PL","orders":["SO2"],"staging":"STG"}));
    h.ok(json!({"type":"confirm_pick","pick_list":"PL","task":1,"picked":"1"}));
    h.ok(json!({"type":"pack","package":"P","order":"SO2","contents":[{"line":"1","qty":"1"}]}));
    h.ok(json!({"type":"ship_order","order":"SO2","packages":["P"]}));
    assert_eq!(status(&h, "SO2"), "partially_shipped");
    assert_eq!(line(&h, "SO2", "1"), l6(["3", "0", "2", "1", "1", "1"]));
    h.ok(json!({"type":"close_order","order":"SO2"}));
    assert_eq!(status(&h, "SO2"), "closed");
    assert_eq!(line(&h, "SO2", "1"), l6(["3", "0", "0", "1", "1", "1"]));
    // New supply no longer goes to it.
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"5"}));
    assert_eq!(h.bucket("SKU", "A", None), ("5".into(), "0".into()));
}

#[test]
fn package_weight_is_given_computed_or_unknown() {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"CHEESE","location":"A","qty":"2"}));
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"2"}));
    h.ok(json!({"type":"set_item_profile","item":"CHEESE","weight_kg":"1"}));
    h.ok(json!({"type":"create_sales_order","order":"SO1","requested_ship_date":ds(0),"scope":"WH1",
        "lines":[{"line":"c","item":"CHEESE","qty":"500","unit":"g"},{"line":"s","item":"SKU","qty":"2"}]}));
    h.ok(json!({"type":"allocate_order","order":"SO1"}));
    h.ok(json!({"type":"create_pick_list","pick_list":"PL","orders":["SO1"],"staging":"STG"}));
    h.ok(json!({"type":"confirm_pick","pick_list":"PL","task":1,"picked":"0.5"}));
    h.ok(json!({"type":"confirm_pick","pick_list":"PL","task":2,"picked":"2"}));
    assert_eq!(line(&h, "SO1", "c"), l6(["0.5", "0.5", "0", "0.5", "0", "0"]));
    h.ok(json!({"type":"pack","package":"P1","order":"SO1","contents":[{"line":"c","qty":"0.25"}]}));
    h.ok(json!({"type":"pack","package":"P2","order":"SO1","contents":[{"line":"c","qty":"0.25"},{"line":"s","qty":"1"}]}));
    h.ok(json!({"type":"pack","package":"P3","order":"SO1","contents":[{"line":"s","qty":"1"}],"weight_kg":"1.50"}));
    assert_eq!(h.e.ops_query_json(r#"{"kind":"shipment","shipment":"none"}"#).unwrap(), Value::Null);
    h.ok(json!({"type":"define_carrier","carrier":"C","services":[{"service":"S",
        "rates":[{"zone":"Z","max_weight_kg":"10","price":"1","transit_days":1}]}]}));
    for (s, p) in [("SH1", "P1"), ("SH2", "P2"), ("SH3", "P3")] {
        h.ok(json!({"type":"create_shipment","shipment":s,"packages":[p],"carrier":"C","service":"S","tracking":s}));
    }
    assert_eq!(h.e.shipment("SH1").unwrap().weight_kg, Some(d("0.25")));
    assert_eq!(h.e.shipment("SH2").unwrap().weight_kg, None, "SKU has no weight");
    assert_eq!(h.e.shipment("SH3").unwrap().weight_kg, Some(d("1.5")));
}
