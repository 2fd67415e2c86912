//! Analytics of the demand flow on hand-computed examples: turnover, days
//! of supply, fill rate and stockout days; ABC / XYZ classes; stock aging;
//! the ABC-driven count due list.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use ims_core::ops::demand::{
    AbcThresholds, Bucket, ClassesQuery, CountDueQuery, CountIntervals, ScopeFilter, XyzThresholds,
};
use ims_core::Date;
use serde_json::{json, Value};

fn q(h: &H, v: Value) -> Value {
    h.e.ops_query_json(&v.to_string()).unwrap()
}

/// SKU at S1: cost 2; day 0 receive 10 at A; day 1 sell 4; day 2 sell 6
/// (empty) and 5 lost; cost 3; day 3 receive 10 at RCV (not sellable);
/// day 4 move them to A; day 5 sell 2.
fn season() -> H {
    let mut h = H::store();
    h.ok(json!({"type":"set_item_cost","item":"SKU","unit_cost":"2"}));
    h.at(T0 + HOUR).ok(json!({"type":"receive","item":"SKU","location":"A","qty":"10"}));
    h.at(T0 + DAY + HOUR).ok(json!({"type":"sell","item":"SKU","location":"A","qty":"4"}));
    h.at(T0 + 2 * DAY + HOUR).ok(json!({"type":"sell","item":"SKU","location":"A","qty":"6"}));
    h.ok(json!({"type":"record_lost_demand","item":"SKU","location":"A","qty":"5"}));
    h.ok(json!({"type":"set_item_cost","item":"SKU","unit_cost":"3"}));
    h.at(T0 + 3 * DAY + HOUR).ok(json!({"type":"receive","item":"SKU","location":"RCV","qty":"10"}));
    h.at(T0 + 4 * DAY + HOUR).ok(json!({"type":"move","item":"SKU","from":"RCV","to":"A","qty":"10"}));
    h.at(T0 + 5 * DAY + HOUR).ok(json!({"type":"sell","item":"SKU","location":"A","qty":"2"}));
    h
}

#[test]
fn turnover_days_of_supply_fill_rate_and_stockout_days() {
    let h = season();
    let v = q(&h, json!({"kind":"item_analytics","item":"SKU","scope":"S1","from":ds(0),"to":ds(5)}));
    assert_eq!(v["days"], 6);
    assert_eq!(v["shipped"], "12");
    assert_eq!(v["lost"], "5");
    // 12 / 17 = 0.70588235…
    assert_eq!(v["fill_rate"], "0.705882");
    // Sellable at day end: 10, 6, 0, 0 (the 10 wait in receiving), 10, 8.
    assert_eq!(v["stockout_days"], 2);
    // FIFO value at day end: 20, 12, 0, 30, 30, 24 → 116 / 6.
    assert_eq!(v["average_inventory_value"], "19.333333");
    // Cost of goods shipped: 10 @2 + 2 @3 = 26; 26 / (116 / 6) = 1.3448275…
    assert_eq!(v["cost_of_goods_shipped"], "26");
    assert_eq!(v["turnover"], "1.344828");
    // On hand at day end: 10, 6, 0, 10, 10, 8 → 44 / 6; 12 / (44 / 6).
    assert_eq!(v["average_on_hand"], "7.333333");
    assert_eq!(v["unit_turnover"], "1.636364");
    // 8 on hand, 12 / 6 = 2 a day → 4 days.
    assert_eq!(v["on_hand"], "8");
    assert_eq!(v["average_daily_demand"], "2");
    assert_eq!(v["days_of_supply"], "4");
    let typed = h.e.item_analytics("SKU", &ScopeFilter::Subtree("S1".into()), day(0), day(5)).unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), v);
    // Nothing at S2: no ratios, every day a stockout.
    let v = q(&h, json!({"kind":"item_analytics","item":"SKU","scope":"S2","from":ds(0),"to":ds(5)}));
    assert_eq!(
        (v["fill_rate"].clone(), v["turnover"].clone(), v["days_of_supply"].clone()),
        (Value::Null, Value::Null, Value::Null)
    );
    assert_eq!(v["stockout_days"], 6);
}

/// Four weeks from Monday 11-30 (day 2) to Sunday 12-27 (day 29).
/// SKU (cost 10) sells 5 a week; CAN (cost 1) 10 in weeks 1 and 3;
/// CHEESE (cost 4 a kg) 8 kg in week 4.
fn weeks() -> H {
    let mut h = H::store();
    for (item, cost, loc, qty) in [("SKU", "10", "A", "25"), ("CAN", "1", "B", "25"), ("CHEESE", "4", "C", "10")] {
        h.ok(json!({"type":"set_item_cost","item":item,"unit_cost":cost}));
        h.ok(json!({"type":"receive","item":item,"location":loc,"qty":qty}));
    }
    for (d, item, loc, qty) in [
        (3, "SKU", "A", "5"),
        (3, "CAN", "B", "10"),
        (10, "SKU", "A", "5"),
        (17, "SKU", "A", "5"),
        (17, "CAN", "B", "10"),
        (24, "SKU", "A", "5"),
        (24, "CHEESE", "C", "8"),
    ] {
        h.at(T0 + d as i64 * DAY + HOUR).ok(json!({"type":"sell","item":item,"location":loc,"qty":qty}));
    }
    h
}

fn class_rows(v: &Value) -> Vec<(String, String, String, String, Value)> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap().to_string();
            (s("item"), s("value"), s("abc"), s("xyz"), r["cv"].clone())
        })
        .collect()
}

#[test]
fn abc_by_value_share_and_xyz_by_variation_of_weekly_demand() {
    let h = weeks();
    let v = q(&h, json!({"kind":"classes","scope":"*","from":ds(2),"to":ds(29)}));
    assert_eq!(v["total_value"], "252");
    // Ranked by value: SKU 200 (before it 0 % → A), CHEESE 32 (before it
    // 200/252 = 79.4 % < 80 % → A), CAN 20 (before it 92.1 % < 95 % → B).
    // Weekly demand: SKU 5,5,5,5 (CV 0, X); CAN 10,0,10,0 (CV exactly 1,
    // Y); CHEESE 0,0,0,8 (CV √12 / 2 = 1.732…, Z); no demand: C and Z.
    let s = |x: &str| json!(x);
    assert_eq!(
        class_rows(&v),
        vec![
            ("CAN".into(), "20".into(), "B".into(), "Y".into(), s("1")),
            ("CHEESE".into(), "32".into(), "A".into(), "Z".into(), s("1.732051")),
            ("MILK".into(), "0".into(), "C".into(), "Z".into(), Value::Null),
            ("PHONE".into(), "0".into(), "C".into(), "Z".into(), Value::Null),
            ("SKU".into(), "200".into(), "A".into(), "X".into(), s("0")),
        ]
    );
    assert_eq!(v["items"][4]["share"], "0.793651");
    // Other thresholds: A only up to 70 % before; X up to CV 1.
    let abc = AbcThresholds { a: d("0.7"), b: d("0.8") };
    let xyz = XyzThresholds { x: d("1"), y: d("2") };
    let q = ClassesQuery { scope: ScopeFilter::All, from: day(2), to: day(29), bucket: Bucket::Week, abc, xyz };
    let c = h.e.classes(&q).unwrap();
    let got: Vec<(String, char, char)> = c.items.iter().map(|i| (i.item.to_string(), i.abc, i.xyz)).collect();
    assert_eq!(got[0], ("CAN".into(), 'C', 'X'));
    assert_eq!(got[1], ("CHEESE".into(), 'B', 'Y'));
    assert_eq!(got[4], ("SKU".into(), 'A', 'X'));
}

#[test]
fn count_due_follows_the_abc_class_and_the_last_approved_count() {
    let mut h = weeks();
    // SKU at A counted on day 29 (A: due 30 days later); CAN at B on day
    // 30 (B: 90 days); CHEESE at C never.
    h.at(T0 + 29 * DAY + 2 * HOUR);
    h.ok(json!({"type":"issue_count","task":"T1","location":"A"}));
    h.ok(json!({"type":"enter_count","task":"T1","lines":[{"item":"SKU","location":"A","counted":"5"}]}));
    h.at(T0 + 30 * DAY);
    h.ok(json!({"type":"issue_count","task":"T2","location":"B"}));
    h.ok(json!({"type":"enter_count","task":"T2","lines":[{"item":"CAN","location":"B","counted":"5"}]}));
    let due = |as_of: i32| -> Vec<(String, String, String, Value, Value)> {
        let v = q(&h, json!({"kind":"count_due","scope":"*","from":ds(2),"to":ds(29),"as_of":ds(as_of)}));
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let s = |k: &str| r[k].as_str().unwrap().to_string();
                (s("item"), s("location"), s("class"), r["last_counted"].clone(), r["due_on"].clone())
            })
            .collect()
    };
    assert_eq!(due(58), vec![("CHEESE".into(), "C".into(), "A".into(), Value::Null, Value::Null)]);
    let sku = ("SKU".into(), "A".into(), "A".into(), json!(ds(29)), json!(ds(59)));
    assert_eq!(due(59), vec![("CHEESE".into(), "C".into(), "A".into(), Value::Null, Value::Null), sku.clone()]);
    // CAN falls due after 90 days; with 10-day B intervals much sooner.
    assert_eq!(due(120).len(), 3);
    let days = CountIntervals { a: 30, b: 10, c: 365 };
    let q = CountDueQuery {
        scope: ScopeFilter::All,
        from: day(2),
        to: day(29),
        abc: AbcThresholds::default(),
        days,
        as_of: Some(day(40)),
    };
    let list = h.e.count_due(&q).unwrap();
    let got: Vec<String> = list.iter().map(|c| format!("{}@{}", c.item, c.location)).collect();
    assert_eq!(got, vec!["CHEESE@C", "CAN@B"]);
}

#[test]
fn stock_ages_by_lot_received_date_and_by_fifo_layer() {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"MILK","location":"A","qty":"5","lot":"L1"}));
    h.ok(json!({"type":"receive","item":"SKU","location":"B","qty":"4"}));
    h.at(T0 + 50 * DAY).ok(json!({"type":"receive","item":"MILK","location":"A","qty":"3","lot":"L2"}));
    h.at(T0 + 70 * DAY).ok(json!({"type":"receive","item":"SKU","location":"B","qty":"6"}));
    // FIFO: the sale takes the 4 of day 0 and 1 of day 70.
    h.at(T0 + 80 * DAY).ok(json!({"type":"sell","item":"SKU","location":"B","qty":"5"}));
    let v = q(&h, json!({"kind":"stock_aging","scope":"S1","as_of":ds(100)}));
    assert_eq!(v["labels"], json!(["0-30", "31-60", "61-90", "91+"]));
    // MILK: L1 is 100 days old, L2 50. SKU: 5 left of day 70 (30 days).
    assert_eq!(v["items"][0]["item"], "MILK");
    assert_eq!(v["items"][0]["buckets"], json!(["0", "3", "0", "5"]));
    assert_eq!(v["items"][1]["item"], "SKU");
    assert_eq!(v["items"][1]["buckets"], json!(["5", "0", "0", "0"]));
    assert_eq!(v["items"][1]["total"], "5");
    let a = h.e.stock_aging(&ScopeFilter::All, &[29], Some(day(100))).unwrap();
    assert_eq!(a.labels, vec!["0-29", "30+"]);
    assert_eq!(a.items[1].buckets.iter().map(|d| d.to_string()).collect::<Vec<_>>(), vec!["0", "5"]);
}

/// Drives `steps` random commands over `items` (item, bin, unit step):
/// receipts at the bin or through RCV, sales (which may take more than the
/// layers hold: a sale is a fact, the stock is owed until a receipt
/// settles it), reversals of sales and, when `reprice` names items, new
/// standard costs for them.
fn churn(h: &mut H, items: &[(&str, &str, &str)], steps: i64, reprice: &[&str], seed: u64) {
    let mut x: u64 = seed;
    let mut next = |m: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % m
    };
    let mut sold: Vec<u64> = Vec::new();
    for step in 0..steps {
        h.at(T0 + step * 3 * HOUR);
        let (item, bin, unit) = items[next(items.len() as u64) as usize];
        let qty = (next(9) + 1).to_string();
        let qty = if unit == "1" { qty } else { format!("{qty}.5") };
        match next(10) {
            0 if reprice.contains(&item) => {
                let cost = format!("{}.{}", next(20) + 1, next(100));
                h.ok(json!({"type":"set_item_cost","item":item,"unit_cost":cost}));
            }
            0..=3 => {
                h.ok(json!({"type":"receive","item":item,"location":bin,"qty":qty}));
            }
            4 => {
                h.ok(json!({"type":"receive","item":item,"location":"RCV","qty":qty}));
                h.ok(json!({"type":"move","item":item,"from":"RCV","to":bin,"qty":qty}));
            }
            5 if !sold.is_empty() => {
                let id = sold.swap_remove(next(sold.len() as u64) as usize);
                h.ok(json!({"type":"reverse","move_id":id}));
            }
            _ => {
                let o = h.ok(json!({"type":"sell","item":item,"location":bin,"qty":qty}));
                sold.extend(o.events().iter().filter_map(|e| match e {
                    ims_core::Event::MovePosted { move_id, .. } => Some(move_id),
                    _ => None,
                }));
            }
        }
    }
}

/// The classes of days `from`–`to` over every location, in weeks, with
/// default thresholds.
fn classes_of(h: &H, from: Date, to: Date) -> ims_core::ops::demand::Classes {
    let (abc, xyz) = (AbcThresholds::default(), XyzThresholds::default());
    h.e.classes(&ClassesQuery { scope: ScopeFilter::All, from, to, bucket: Bucket::Week, abc, xyz }).unwrap()
}

/// The classes of days 0–60: the weeks begin before and end after them.
fn classes_60(h: &H) -> ims_core::ops::demand::Classes {
    classes_of(h, day(0), day(60))
}

/// Whole weeks around days 0–60, Monday to Sunday: the value shipped of an
/// item costed at one price then comes from the demand table's rows.
fn whole_weeks() -> (Date, Date) {
    let from = Bucket::Week.align(day(0));
    assert_ne!(from, day(0), "day 0 is not a Monday, so days 0–60 are not whole weeks");
    (from, from.plus(10 * 7 - 1))
}

/// Each item's value shipped in `classes` of days 0–60 is the cost of
/// goods shipped its own one-item fold (in log order) gives.
fn assert_value_shipped_is_each_items_fold(h: &H, c: &ims_core::ops::demand::Classes, items: &[&str]) {
    assert_value_shipped_between(h, c, items, (day(0), day(60)));
}

fn assert_value_shipped_between(h: &H, c: &ims_core::ops::demand::Classes, items: &[&str], (from, to): (Date, Date)) {
    for item in items {
        let alone = h.e.item_analytics(item, &ScopeFilter::All, from, to).unwrap();
        let row = c.items.iter().find(|r| &*r.item == *item).unwrap();
        assert_eq!(row.value, alone.cost_of_goods_shipped, "{item}: value shipped from {from} to {to}");
    }
}

/// The whole-catalogue fold runs item by item (each item's queues stay in
/// cache); the one-item fold runs in log order. On a log that interleaves
/// three items over four locations — cost changes, transfers, sales
/// beyond the layers, reversals — both give every item the same value
/// shipped and the same stock value.
#[test]
fn the_whole_fold_item_by_item_equals_each_items_fold_in_log_order() {
    let mut h = H::store();
    let items = [("SKU", "A", "1"), ("CAN", "B", "1"), ("CHEESE", "C", "0.5")];
    churn(&mut h, &items, 400, &["SKU", "CAN", "CHEESE"], 0x2545_f491_4f6c_dd1d);
    let classes = classes_60(&h);
    assert_value_shipped_is_each_items_fold(&h, &classes, &["SKU", "CAN", "CHEESE"]);
    let whole = h.e.inventory_value(&ScopeFilter::All).unwrap();
    for (item, _, _) in items {
        let v = h.e.item_valuation(item).unwrap();
        let w = whole.items.iter().find(|r| &*r.item == item).map(|r| r.fifo_value).unwrap_or_default();
        assert_eq!(w, v.fifo_value, "{item}: FIFO value");
    }
}

/// `classes` values the shipments of an item costed at one price, from
/// before its first move, as cost × quantity without the fold; every
/// other item still goes through it. Both give each item its own fold's
/// answer: SKU (a cost of 18 places), CHEESE (a scale of 3) and PIN
/// (repriced before its first move: its last cost is its one) qualify;
/// CAN was received before its cost was set, BOLT is repriced, NUT is
/// also received on a purchase order at another price than its standard
/// cost — none of these three qualifies, and a one-cost answer for any of
/// them would differ from its fold.
#[test]
fn items_costed_at_one_price_are_valued_as_their_fold_values_them() {
    let mut h = H::store();
    for item in ["BOLT", "NUT", "PIN"] {
        h.ok(json!({"type":"define_item","item":item}));
    }
    h.ok(json!({"type":"set_item_cost","item":"SKU","unit_cost":"0.123456789012345678"}));
    h.ok(json!({"type":"set_item_cost","item":"CHEESE","unit_cost":"4.25"}));
    h.ok(json!({"type":"set_item_cost","item":"PIN","unit_cost":"9"}));
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"1"}));
    h.ok(json!({"type":"set_item_cost","item":"PIN","unit_cost":"0.7"}));
    h.ok(json!({"type":"receive","item":"CAN","location":"B","qty":"7"}));
    h.ok(json!({"type":"set_item_cost","item":"CAN","unit_cost":"1.5"}));
    h.ok(json!({"type":"set_item_cost","item":"BOLT","unit_cost":"2"}));
    h.ok(json!({"type":"set_item_cost","item":"NUT","unit_cost":"3"}));
    for v in [
        json!({"type":"define_supplier","supplier":"ACME","currency":"EUR","lead_time_mean_days":"4"}),
        json!({"type":"set_supplier_item","supplier":"ACME","item":"NUT","unit_price":"0.5","preferred":true}),
        json!({"type":"create_po","po":"PO-1","supplier":"ACME",
               "lines":[{"item":"NUT","qty":"10","expected":ds(3),"location":"RCV"}]}),
        json!({"type":"confirm_po","po":"PO-1"}),
        json!({"type":"receive_po","grn":"GRN-1","po":"PO-1","location":"RCV","lines":[{"po_line":1,"qty":"10"}]}),
        json!({"type":"move","item":"NUT","from":"RCV","to":"A","qty":"10"}),
    ] {
        h.ok(v);
    }
    let items = [
        ("SKU", "A", "1"),
        ("CAN", "B", "1"),
        ("CHEESE", "C", "0.5"),
        ("BOLT", "C", "1"),
        ("NUT", "A", "1"),
        ("PIN", "B", "1"),
    ];
    churn(&mut h, &items, 600, &["BOLT"], 0x9e37_79b9_7f4a_7c15);
    let all = ["SKU", "CHEESE", "PIN", "CAN", "BOLT", "NUT"];
    let c = classes_60(&h);
    assert_value_shipped_is_each_items_fold(&h, &c, &all);
    let total: rust_decimal::Decimal = c.items.iter().map(|r| r.value).sum();
    assert_eq!(c.total_value, total);
    // Every item shipped in the period, so no comparison is of zeros.
    assert!(c.items.iter().filter(|r| r.value > rust_decimal::Decimal::ZERO).count() == 6, "{c:?}");
    // Over whole weeks the one-cost items' quantities come from the demand
    // table instead of the pass: the same answers.
    let (from, to) = whole_weeks();
    let weeks = classes_of(&h, from, to);
    assert_value_shipped_between(&h, &weeks, &all, (from, to));
    assert_ne!(weeks.total_value, c.total_value, "the weeks hold shipments days 0–60 do not");
}

/// A value shipped past what a decimal holds is refused as before, though
/// the item is costed at one price: the one-cost answer is taken only
/// where it is exact, and the fold refuses.
#[test]
fn classes_past_a_decimals_range_are_refused() {
    let mut h = H::store();
    h.ok(json!({"type":"set_item_cost","item":"SKU","unit_cost":"100000000000000000000000000"}));
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"1000"}));
    h.ok(json!({"type":"sell","item":"SKU","location":"A","qty":"1000"}));
    let (abc, xyz) = (AbcThresholds::default(), XyzThresholds::default());
    let q = ClassesQuery { scope: ScopeFilter::All, from: day(0), to: day(60), bucket: Bucket::Week, abc, xyz };
    assert_eq!(h.e.classes(&q).unwrap_err().name(), "QUANTITY_OVERFLOW");
}

/// A fold refused on two items names the one the log reaches first, as
/// the log-order fold did, though the whole fold runs item by item (SKU,
/// defined first, is folded first).
#[test]
fn a_refused_fold_names_the_first_refusal_in_log_order() {
    let mut h = H::store();
    for (item, cur) in [("CAN", "EUR"), ("SKU", "EUR"), ("CAN", "USD"), ("SKU", "USD")] {
        h.ok(json!({"type":"set_item_cost","item":item,"unit_cost":"2","currency":cur}));
        h.ok(json!({"type":"receive","item":item,"location":"A","qty":"5"}));
    }
    let err = h.e.inventory_value(&ScopeFilter::All).unwrap_err();
    assert_eq!(err.name(), "MIXED_CURRENCIES");
    assert!(err.to_string().contains("CAN"), "{err}");
}
