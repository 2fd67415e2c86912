//! Quantities: alternative units with exact rational factors, the item's
//! scale, named rounding modes, normalised decimals at the edge.

#![allow(clippy::unwrap_used)] // a test that unwraps wrongly fails, which is the point

mod common;

use common::*;
use serde_json::json;

/// ROPE: metres with one decimal place; a centimetre is 1/100 m, so 25 cm
/// is 2.5 minor units and needs a rounding mode.
fn rope() -> H {
    let mut h = H::store();
    h.ok(
        json!({"type":"define_item","item":"ROPE","base_unit":"m","scale":1,"units":[{"unit":"cm","factor":"1/100"}]}),
    );
    h
}

#[test]
fn cases_convert_exactly_both_ways() {
    let mut h = H::store();
    let o = h.ok(json!({"type":"receive","item":"CAN","location":"A","qty":"2","unit":"case"}));
    // Events carry minor units of the base unit.
    assert_eq!(of_type(&o, "move_posted")[0]["qty"], json!(24));
    assert_eq!(h.avail("CAN", "WH1").on_hand, d("24"));
    h.ok(json!({"type":"reserve","reservation":"R1","item":"CAN","qty":"1.5","unit":"case","scope":"WH1"}));
    assert_eq!(h.res("R1").qty, d("18"));
    assert_eq!(h.free("CAN", "WH1"), "6");
    // Commit half a case, keep the rest.
    let o = h.ok(json!({"type":"commit","reservation":"R1","qty":"0.5","unit":"case","remainder":"keep"}));
    assert_eq!(of_type(&o, "move_posted")[0]["qty"], json!(6));
    assert_eq!(h.res("R1").committed, d("6"));
    assert_eq!(h.res("R1").allocated, d("12"));
    // Amend in cases: up to 2 cases in total (24 each).
    h.ok(json!({"type":"amend","reservation":"R1","qty":"2","unit":"case"}));
    assert_eq!(h.res("R1").qty, d("24"));
    assert_eq!(h.res("R1").allocated, d("18"));
    assert_eq!(h.free("CAN", "WH1"), "0");
}

#[test]
fn grams_of_an_item_sold_by_weight() {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"CHEESE","location":"A","qty":"1.5"}));
    h.ok(json!({"type":"receive","item":"CHEESE","location":"A","qty":"250","unit":"g"}));
    assert_eq!(h.avail("CHEESE", "A").on_hand.to_string(), "1.75");
    h.ok(json!({"type":"sell","item":"CHEESE","location":"A","qty":"0.125"}));
    h.ok(json!({"type":"sell","item":"CHEESE","location":"A","qty":"5","unit":"g"}));
    let a = h.avail("CHEESE", "A");
    assert_eq!(a.on_hand.to_string(), "1.62");
    assert_eq!(a.available.to_string(), "1.62");
    h.ok(json!({"type":"reserve","reservation":"R1","item":"CHEESE","qty":"620","unit":"g","scope":"WH1"}));
    assert_eq!(h.free("CHEESE", "WH1"), "1");
    let o = h.ok(json!({"type":"commit","reservation":"R1","qty":"20","unit":"g","remainder":"keep"}));
    assert_eq!(of_type(&o, "move_posted")[0]["qty"], json!(20));
    assert_eq!(h.res("R1").allocated.to_string(), "0.6");
}

#[test]
fn decimals_are_normalised_at_the_edge() {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"CHEESE","location":"A","qty":"1.500"}));
    let a = h.avail("CHEESE", "A");
    assert_eq!(a.on_hand.to_string(), "1.5");
    assert_eq!(serde_json::to_value(&a).unwrap()["on_hand"], json!("1.5"));
    h.ok(json!({"type":"receive","item":"CHEESE","location":"A","qty":"500","unit":"g"}));
    assert_eq!(h.avail("CHEESE", "A").on_hand.to_string(), "2");
}

#[test]
fn each_rounding_mode_as_named() {
    let cases = [
        ("25", "down", "0.2"),
        ("25", "up", "0.3"),
        ("25", "half_up", "0.3"),
        ("25", "half_even", "0.2"),
        ("35", "half_even", "0.4"),
        ("34", "half_up", "0.3"),
        ("36", "down", "0.3"),
        ("31", "up", "0.4"),
    ];
    for (cm, mode, want) in cases {
        let mut h = rope();
        h.ok(json!({"type":"receive","item":"ROPE","location":"A","qty":cm,"unit":"cm","rounding":mode}));
        assert_eq!(h.avail("ROPE", "A").on_hand.to_string(), want, "{cm} cm rounded {mode}");
    }
}

#[test]
fn rounding_of_a_negative_correction_is_symmetric() {
    let mut h = rope();
    h.ok(json!({"type":"receive","item":"ROPE","location":"A","qty":"10"}));
    // -25 cm: half_up rounds away from zero (-0.3), down toward zero (-0.2).
    h.ok(json!({"type":"adjust","item":"ROPE","location":"A","qty":"-25","unit":"cm","rounding":"half_up"}));
    assert_eq!(h.avail("ROPE", "A").on_hand.to_string(), "9.7");
    h.ok(json!({"type":"adjust","item":"ROPE","location":"A","qty":"-25","unit":"cm","rounding":"down"}));
    assert_eq!(h.avail("ROPE", "A").on_hand.to_string(), "9.5");
}

#[test]
fn exact_conversions_ignore_the_rounding_mode() {
    let mut h = rope();
    h.ok(json!({"type":"receive","item":"ROPE","location":"A","qty":"30","unit":"cm","rounding":"up"}));
    assert_eq!(h.avail("ROPE", "A").on_hand.to_string(), "0.3");
}

#[test]
fn a_reservation_may_round_too() {
    let mut h = rope();
    h.ok(json!({"type":"receive","item":"ROPE","location":"A","qty":"1"}));
    h.err(
        json!({"type":"reserve","reservation":"R1","item":"ROPE","qty":"25","unit":"cm","scope":"WH1"}),
        "INEXACT_UNIT_CONVERSION",
    );
    h.ok(
        json!({"type":"reserve","reservation":"R1","item":"ROPE","qty":"25","unit":"cm","rounding":"up","scope":"WH1"}),
    );
    assert_eq!(h.res("R1").qty.to_string(), "0.3");
    assert_eq!(h.free("ROPE", "WH1"), "0.7");
}

#[test]
fn rational_factors_are_reduced_and_exact() {
    let mut h = H::store();
    // A half-dozen pack: 6/1; a "pair" given as 4/2.
    h.ok(json!({"type":"define_item","item":"EGG","units":[{"unit":"pack","factor":"6"},{"unit":"pair","factor":"4/2"}]}));
    h.ok(json!({"type":"receive","item":"EGG","location":"A","qty":"3","unit":"pair"}));
    h.ok(json!({"type":"receive","item":"EGG","location":"A","qty":"0.5","unit":"pack"}));
    assert_eq!(h.avail("EGG", "A").on_hand, d("9"));
    h.err(json!({"type":"receive","item":"EGG","location":"A","qty":"0.25","unit":"pair"}), "INEXACT_UNIT_CONVERSION");
}

#[test]
fn scale_bounds_what_a_quantity_may_say() {
    let mut h = H::store();
    h.ok(json!({"type":"define_item","item":"NANO","scale":9}));
    h.ok(json!({"type":"receive","item":"NANO","location":"A","qty":"0.000000001"}));
    h.err(json!({"type":"receive","item":"NANO","location":"A","qty":"0.0000000001"}), "QUANTITY_SCALE_EXCEEDED");
    assert_eq!(h.avail("NANO", "A").on_hand.to_string(), "0.000000001");
    // The largest quantity that fits 64 bits of nano-units.
    h.ok(json!({"type":"receive","item":"NANO","location":"B","qty":"9223372036.854775807"}));
    h.err(json!({"type":"receive","item":"NANO","location":"C","qty":"9223372036.854775808"}), "QUANTITY_OVERFLOW");
    // A scope sum beyond 64 bits is exact (i128 inside).
    assert_eq!(h.avail("NANO", "WH1").on_hand.to_string(), "9223372036.854775808");
}

#[test]
fn scale_may_change_while_the_item_holds_nothing() {
    let mut h = H::store();
    h.ok(json!({"type":"define_item","item":"W","scale":0}));
    h.ok(json!({"type":"define_item","item":"W","scale":2}));
    h.ok(json!({"type":"receive","item":"W","location":"A","qty":"0.25"}));
    assert_eq!(h.avail("W", "A").on_hand.to_string(), "0.25");
    // The typed lookup gives the item's scale as it is now.
    let (m, scale) = h.e.stock_minor("W", "A").unwrap();
    assert_eq!((m.on_hand, scale), (25, 2));
    // A redefinition undone with its batch puts the scale back.
    h.ok(json!({"type":"define_item","item":"V","scale":1}));
    let bad = [
        h.c(json!({"type":"define_item","item":"V","scale":3})),
        h.c(json!({"type":"receive","item":"NOPE","location":"A","qty":"1"})),
    ];
    assert!(h.e.execute_batch(&bad, ims_core::BatchMode::Atomic).is_err());
    assert_eq!(h.e.stock_minor("V", "A").unwrap().1, 1);
    assert_eq!(h.e.verify(), Ok(()));
}

#[test]
fn queries_take_base_units_at_the_item_scale() {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"CHEESE","location":"A","qty":"2"}));
    assert_eq!(h.e.earliest_date("CHEESE", &sub("WH1"), d("1.999"), &opts()).unwrap(), Some(day(0)));
    assert_eq!(h.e.earliest_date("CHEESE", &sub("WH1"), d("2.001"), &opts()).unwrap(), None);
    let e = h.e.earliest_date("CHEESE", &sub("WH1"), d("0.0001"), &opts()).unwrap_err();
    assert_eq!(e.name(), "QUANTITY_SCALE_EXCEEDED");
}
