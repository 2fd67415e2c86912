//! One long scenario through every operations flow (issue 3): purchase
//! order → receipt (scanned case barcode) → inspection → putaway →
//! reservation (a channel's sales order) → pick (with a short pick that is
//! re-allocated from another bin) → pack → carrier choice → ship → return →
//! grading (A restock, B quarantine, C scrap) → cycle counts (one within
//! tolerance, one waiting for approval). Every step runs through the
//! harness (verify, replica by envelope, envelope round trip) and the
//! buckets that should have changed are asserted exactly.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::{json, Value};

/// A bucket as (on hand, reserved) strings.
fn b(on: &str, res: &str) -> (String, String) {
    (on.into(), res.into())
}

fn q(h: &H, v: Value) -> Value {
    h.e.ops_query_json(&v.to_string()).unwrap()
}

/// Available (free, sellable) CAN in WH1 now.
fn free(h: &H) -> String {
    h.free("CAN", "WH1")
}

/// What `channel` may reserve of CAN in WH1 now.
fn chan(h: &H, channel: Option<&str>) -> String {
    h.e.channel_availability("CAN", &sub("WH1"), channel).unwrap().available.to_string()
}

/// ATP of CAN in WH1 on day `n`.
fn atp(h: &H, n: i32) -> String {
    h.e.atp("CAN", &sub("WH1"), Some(day(n)), &opts(), false).unwrap().qty.to_string()
}

/// The sales order line as (ordered, allocated, backordered, picked, packed, shipped).
fn so_line(h: &H) -> [String; 6] {
    let v = q(h, json!({"kind":"sales_order","order":"SO1"}));
    let l = &v["lines"][0];
    ["ordered", "allocated", "backordered", "picked", "packed", "shipped"].map(|k| l[k].as_str().unwrap().to_string())
}

fn l6(v: [&str; 6]) -> [String; 6] {
    v.map(str::to_string)
}

fn so_status(h: &H) -> String {
    q(h, json!({"kind":"sales_order","order":"SO1"}))["status"].as_str().unwrap().to_string()
}

/// The store plus: inspection INS, quarantine QUA, returns bay RET; bins
/// B (10 units), C (20 units, one item), A (40 units, one item) with a
/// putaway rule over WH1 (walk order B, C, A); CAN's profile (0.4 kg);
/// supplier ACME with terms for CAN; the case barcode of CAN; carriers ECO
/// and FAST; channel `web` with a standing quota of 10 CAN in WH1.
fn setup() -> H {
    let mut h = H::store();
    let band = |zone: &str, max: &str, price: &str, days: u32| json!({"zone":zone,"max_weight_kg":max,"price":price,"transit_days":days});
    for v in [
        json!({"type":"define_location","location":"INS","kind":"inspection","parent":"WH1"}),
        json!({"type":"define_location","location":"QUA","kind":"quarantine","parent":"WH1"}),
        json!({"type":"define_location","location":"RET","kind":"staging","parent":"WH1"}),
        json!({"type":"set_item_profile","item":"CAN","category":"tins","volume_l":"0.5","weight_kg":"0.4"}),
        json!({"type":"define_bin","location":"B","max_units":"10","mix_items":true,"mix_lots":true}),
        json!({"type":"define_bin","location":"C","max_units":"20","mix_items":false,"mix_lots":true}),
        json!({"type":"define_bin","location":"A","max_units":"40","mix_items":false,"mix_lots":true}),
        json!({"type":"define_putaway_rule","rule":"ALL","priority":0,"zones":["WH1"]}),
        json!({"type":"define_supplier","supplier":"ACME","currency":"EUR","lead_time_mean_days":"2",
            "tolerance_over_pct":"10","tolerance_under_pct":"5"}),
        json!({"type":"set_supplier_item","supplier":"ACME","item":"CAN","unit_price":"0.50","pack_size":"12",
            "preferred":true}),
        json!({"type":"assign_barcode","barcode":"14006381333938","item":"CAN","unit":"case"}),
        json!({"type":"define_carrier","carrier":"ECO","services":[
            {"service":"STD","rates":[band("Z2","10","7",2)]},
            {"service":"LIGHT","rates":[band("Z2","5","3",1)]}]}),
        json!({"type":"define_carrier","carrier":"FAST","services":[
            {"service":"NEXT","rates":[band("Z2","20","15",1)]}]}),
        json!({"type":"define_channel","channel":"web","priority":0}),
        json!({"type":"define_channel_pool","pool":"P-web","channel":"web","item":"CAN","scope":"WH1","quota":"10"}),
    ] {
        h.ok(v);
    }
    h
}

#[test]
fn purchase_to_cycle_count_end_to_end() {
    let mut h = setup();
    let mut checks = 0usize;
    macro_rules! eq {
        ($a:expr, $b:expr $(, $m:expr)?) => {{
            assert_eq!($a, $b $(, $m)?);
            checks += 1;
        }};
    }

    // ── 1. Purchase order: 5 cases (60 cans) expected on day 2 into INS.
    h.ok(json!({"type":"create_po","po":"PO1","supplier":"ACME","lines":[
        {"item":"CAN","qty":"5","unit":"case","expected":ds(2),"location":"INS"}]}));
    let po = q(&h, json!({"kind":"purchase_order","po":"PO1"}));
    eq!(po["status"], "draft");
    eq!(po["lines"][0]["ordered"], "60");
    eq!(po["total"], "30", "60 × 0.50 from the terms");
    eq!(atp(&h, 10), "0", "a draft is no supply");
    h.ok(json!({"type":"confirm_po","po":"PO1"}));
    eq!(q(&h, json!({"kind":"purchase_order","po":"PO1"}))["status"], "confirmed");
    // The open 60 are incoming on day 2; S1 has one inbound day, so they
    // are promisable from day 3.
    eq!(atp(&h, 2), "0");
    eq!(atp(&h, 3), "60");
    eq!(h.e.open_purchase_orders("CAN").unwrap()[0].open, d("60"));
    eq!(free(&h), "0", "nothing on hand yet");
    eq!(h.e.balances("CAN").unwrap().len(), 0);

    // ── 2. Day 2: the case barcode is scanned at the dock; 5 cases received.
    h.at(T0 + 2 * DAY + 9 * HOUR);
    let scan = h.e.resolve_barcode("14006381333938").unwrap();
    eq!((scan.item.as_ref(), scan.unit.as_deref()), ("CAN", Some("case")));
    h.ok(json!({"type":"receive_po","grn":"GRN1","po":"PO1","location":"INS","lines":[
        {"po_line":1,"qty":"5","unit":scan.unit.clone().unwrap()}]}));
    eq!(h.bucket("CAN", "INS", None), b("60", "0"));
    let po = q(&h, json!({"kind":"purchase_order","po":"PO1"}));
    eq!(po["status"], "received");
    eq!((po["lines"][0]["received"].as_str(), po["lines"][0]["open"].as_str()), (Some("60"), Some("0")));
    eq!(h.e.open_purchase_orders("CAN").unwrap().len(), 0);
    // Inspection stock is not sellable: nothing is free yet, but the
    // receipt is now on hand (ATP on day 3 stays 60: the supply moved from
    // incoming to on hand).
    eq!(free(&h), "0");
    eq!(h.avail("CAN", "WH1").on_hand, d("60"));

    // ── 3. Inspection: 58 pass to staging, 2 dented go to quarantine.
    h.ok(json!({"type":"inspect","grn":"GRN1","line":1,"pass":"58","to":"STG"}));
    h.ok(json!({"type":"inspect","grn":"GRN1","line":1,"fail":"2","reason":"dented","quarantine":"QUA"}));
    eq!(h.bucket("CAN", "INS", None), b("0", "0"));
    eq!(h.bucket("CAN", "STG", None), b("58", "0"));
    eq!(h.bucket("CAN", "QUA", None), b("2", "0"));
    let g = h.e.goods_receipt("GRN1").unwrap();
    eq!((g.lines[0].passed, g.lines[0].failed, g.lines[0].uninspected), (d("58"), d("2"), d("0")));

    // ── 4. Putaway of the 58 from staging: walk order B (10), C (20), A (28).
    let s = q(&h, json!({"kind":"suggest_putaway","item":"CAN","qty":"58","from":"STG"}));
    let takes: Vec<(String, String)> = s["bins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["location"].as_str().unwrap().into(), x["take"].as_str().unwrap().into()))
        .collect();
    eq!(takes, vec![b("B", "10"), b("C", "20"), b("A", "28")]);
    h.ok(json!({"type":"putaway","from":"STG","item":"CAN","qty":"58"}));
    eq!(h.bucket("CAN", "STG", None), b("0", "0"));
    eq!(h.bucket("CAN", "B", None), b("10", "0"));
    eq!(h.bucket("CAN", "C", None), b("20", "0"));
    eq!(h.bucket("CAN", "A", None), b("28", "0"));
    eq!(free(&h), "58");
    // web's standing quota of 10 is fenced from the others.
    eq!(chan(&h, None), "48");
    eq!(chan(&h, Some("web")), "58");

    // ── 5. Reservation: web order SO1 for 15 cans, allocated in walk order.
    h.ok(json!({"type":"create_sales_order","order":"SO1","channel":"web","ship_to_zone":"Z2",
        "lines":[{"line":"1","item":"CAN","qty":"15"}],"requested_ship_date":ds(3),"scope":"WH1"}));
    h.ok(json!({"type":"allocate_order","order":"SO1"}));
    eq!(so_status(&h), "allocated");
    eq!(h.allocs("SO1/1"), vec![al("B", None, "10"), al("C", None, "5")]);
    eq!(h.bucket("CAN", "B", None), b("10", "10"));
    eq!(h.bucket("CAN", "C", None), b("20", "5"));
    eq!(h.avail("CAN", "WH1").reserved, d("15"));
    eq!(free(&h), "43");
    // web drew its pool first: the 15 used up its quota, nothing is fenced
    // any more, so everyone sees the 43 free.
    eq!(chan(&h, None), "43");
    eq!(chan(&h, Some("web")), "43");

    // ── 6. Pick list in walk order: B then C.
    h.ok(json!({"type":"create_pick_list","pick_list":"PL1","orders":["SO1"],"staging":"STG"}));
    eq!(so_status(&h), "picking");
    h.ok(json!({"type":"confirm_pick","pick_list":"PL1","task":1,"picked":"10"}));
    eq!(h.bucket("CAN", "B", None), b("0", "0"));
    eq!(h.bucket("CAN", "STG", None), b("10", "10"));
    // Short pick at C: 3 of 5. The 2 missing leave C's book (20 - 3 - 2 =
    // 15), C is flagged for a count and the 2 are re-allocated from the
    // next bin with free stock that is not C: A.
    let o = h.ok(json!({"type":"confirm_pick","pick_list":"PL1","task":2,"picked":"3"}));
    let short = of_type(&o, "pick_shorted");
    eq!((short[0]["written_off"].as_i64(), short[0]["reallocated"].as_i64()), (Some(2), Some(2)));
    eq!(h.bucket("CAN", "C", None), b("15", "0"));
    eq!(h.bucket("CAN", "A", None), b("28", "2"));
    eq!(h.bucket("CAN", "STG", None), b("13", "13"));
    eq!(h.e.count_flags(), vec![("CAN".into(), "C".into())]);
    let pl = serde_json::to_value(h.e.pick_list("PL1").unwrap()).unwrap();
    eq!(pl["tasks"][2]["location"], "A");
    eq!(pl["tasks"][2]["qty"], "2");
    h.ok(json!({"type":"confirm_pick","pick_list":"PL1","task":3,"picked":"2"}));
    eq!(h.bucket("CAN", "A", None), b("26", "0"));
    eq!(h.bucket("CAN", "STG", None), b("15", "15"));
    eq!(so_line(&h), l6(["15", "15", "0", "15", "0", "0"]));
    // Sellable is A 26 + C 15 = 41: the 15 picked sit reserved in staging,
    // which is not sellable (2 were written off at C).
    eq!(free(&h), "41");

    // ── 7. Pack: 15 × 0.4 kg = 6 kg.
    h.ok(json!({"type":"pack","package":"P1","order":"SO1","contents":[{"line":"1","qty":"15"}]}));
    eq!(so_status(&h), "packed");
    eq!(so_line(&h), l6(["15", "15", "0", "15", "15", "0"]));

    // ── 8. Carrier: 6 kg to Z2 leaving day 2, promised by day 3. LIGHT is
    // over weight, ECO STD (7, 2 days) would deliver on day 4: too slow;
    // FAST NEXT (15, 1 day) is the only one that meets the date.
    let c = h.e.select_carrier(d("6"), "Z2", day(2), day(3)).unwrap();
    let chosen = c.chosen.clone().unwrap();
    eq!((&*chosen.carrier, &*chosen.service, chosen.price), ("FAST", "NEXT", d("15")));
    let why: Vec<String> =
        c.rejected.iter().map(|r| serde_json::to_value(r).unwrap()["reason"].as_str().unwrap().to_string()).collect();
    eq!(why, vec!["over_weight".to_string(), "too_slow".to_string()]);

    // ── 9. Ship: the 15 leave staging for the customer; the reservation is committed.
    let o = h.ok(json!({"type":"ship_order","order":"SO1","packages":["P1"]}));
    let to_customer: i64 = of_type(&o, "move_posted")
        .iter()
        .filter(|m| m["to"] == "@customer" && m["reference"] == "SO1")
        .map(|m| m["qty"].as_i64().unwrap())
        .sum();
    eq!(to_customer, 15);
    eq!(h.bucket("CAN", "STG", None), b("0", "0"));
    eq!(so_status(&h), "shipped");
    eq!(h.res("SO1/1").status, "committed");
    eq!(h.avail("CAN", "WH1").reserved, d("0"));
    eq!(free(&h), "41");
    h.ok(json!({"type":"create_shipment","shipment":"SH1","order":"SO1","packages":["P1"],"carrier":"FAST",
        "service":"NEXT","tracking":"FX1"}));
    eq!(h.e.shipment("SH1").unwrap().weight_kg, Some(d("6")));
    h.ok(json!({"type":"pick_up_shipment","shipment":"SH1"}));
    h.ok(json!({"type":"mark_shipment_in_transit","shipment":"SH1"}));
    h.at(T0 + 3 * DAY + 10 * HOUR);
    h.ok(json!({"type":"deliver_shipment","shipment":"SH1"}));
    eq!(q(&h, json!({"kind":"shipment","shipment":"SH1"}))["status"], "delivered");

    // ── 10. Return: 6 of the 15 authorised and received into RET.
    h.at(T0 + 5 * DAY);
    h.ok(json!({"type":"authorise_return","rma":"RMA1","order":"SO1","lines":[{"item":"CAN","qty":"6"}]}));
    let r = q(&h, json!({"kind":"returnable","order":"SO1","item":"CAN"}));
    eq!((r["shipped"].as_str(), r["returnable"].as_str()), (Some("15"), Some("9")));
    h.ok(json!({"type":"receive_return","rma":"RMA1","location":"RET","lines":[{"item":"CAN","qty":"6"}]}));
    eq!(h.bucket("CAN", "RET", None), b("6", "0"));
    // The returns bay is staging: not sellable.
    eq!(free(&h), "41");

    // ── 11. Grading: A 3 back to bin B (sellable), B 2 to quarantine, C 1 scrapped.
    h.ok(json!({"type":"grade_return","rma":"RMA1","lines":[
        {"item":"CAN","qty":"3","grade":"a","to":"B","reason":"sealed"},
        {"item":"CAN","qty":"2","grade":"b","to":"QUA","reason":"dented"},
        {"item":"CAN","qty":"1","grade":"c","reason":"crushed"}]}));
    eq!(h.bucket("CAN", "RET", None), b("0", "0"));
    eq!(h.bucket("CAN", "B", None), b("3", "0"));
    eq!(h.bucket("CAN", "QUA", None), b("4", "0"), "2 from inspection + 2 graded B");
    eq!(free(&h), "44", "the 3 restocked are available again");
    let rma = q(&h, json!({"kind":"rma","rma":"RMA1"}));
    eq!((rma["lines"][0]["graded"].as_str(), rma["lines"][0]["ungraded"].as_str()), (Some("6"), Some("0")));
    h.ok(json!({"type":"close_return","rma":"RMA1"}));

    // ── 12. Cycle counts. C (flagged by the short pick): book 15, counted
    // 14: 1 unit is within the tolerance of 1 → posted and auto-approved.
    h.ok(json!({"type":"issue_count","task":"T1","location":"C","blind":true,"tolerance_units":"1"}));
    let o = h.ok(json!({"type":"enter_count","task":"T1","lines":[{"item":"CAN","location":"C","counted":"14"}]}));
    eq!(of_type(&o, "count_approved")[0]["auto"], true);
    eq!(h.bucket("CAN", "C", None), b("14", "0"));
    eq!(q(&h, json!({"kind":"count_task","task":"T1"}))["lines"][0]["variance"], "-1");
    eq!(h.e.count_flags().len(), 0, "the count cleared C's flag");
    eq!(free(&h), "43");
    // A: book 26, counted 23: 3 units is beyond 1 → waits for approval.
    h.ok(json!({"type":"issue_count","task":"T2","location":"A","blind":true,"tolerance_units":"1"}));
    let o = h.ok(json!({"type":"enter_count","task":"T2","lines":[{"item":"CAN","location":"A","counted":"23"}]}));
    eq!(of_type(&o, "count_pending_approval").len(), 1);
    eq!(q(&h, json!({"kind":"count_task","task":"T2"}))["state"], "pending_approval");
    eq!(h.bucket("CAN", "A", None), b("26", "0"), "nothing posted before approval");
    let o = h.ok(json!({"type":"approve_count","task":"T2"}));
    eq!(of_type(&o, "count_approved")[0]["auto"], false);
    eq!(h.bucket("CAN", "A", None), b("23", "0"));
    eq!(free(&h), "40");

    // Final picture: B 3, C 14, A 23 sellable; QUA 4; nothing elsewhere.
    let rows: Vec<(String, String)> =
        h.e.balances("CAN")
            .unwrap()
            .iter()
            .filter(|r| !r.on_hand.is_zero())
            .map(|r| (r.location.to_string(), r.on_hand.to_string()))
            .collect();
    eq!(rows, vec![b("A", "23"), b("B", "3"), b("C", "14"), b("QUA", "4")]);

    // The replica (built from the journal by H at every step) and a restored
    // snapshot have the same state digest.
    let back = ims_core::Engine::restore(&h.e.snapshot()).unwrap();
    back.verify().unwrap();
    eq!(back.state_digest(), h.e.state_digest());
    eq!(h.replica.state_digest(), h.e.state_digest());
    eprintln!("end-to-end assertions: {checks}");
}
