//! Scanning: barcodes on items and packs (GTIN-8/12/13/14, normalised to
//! GTIN-14) and RFID SGTIN-96 tags resolved through the barcode index.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use ims_core::ops::scanning::{check_digit, decode_epc, normalize_gtin};
use ims_core::Error;
use serde_json::json;

/// A GTIN with its check digit appended.
fn gtin(body: &str) -> String {
    let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
    format!("{body}{}", check_digit(&digits))
}

#[test]
fn every_gtin_form_resolves_to_the_same_entry() {
    let mut h = H::store();
    let o = h.ok(json!({"type":"assign_barcode","barcode":"036000291452","item":"SKU"}));
    assert_eq!(
        evs(&o),
        [json!({"type":"barcode_assigned","gtin":"00036000291452","barcode":"036000291452","item":"SKU"})]
    );
    for form in ["036000291452", "0036000291452", "00036000291452"] {
        let v = h.e.resolve_barcode(form).unwrap();
        assert_eq!((v.gtin.as_str(), &*v.item, v.unit.as_deref()), ("00036000291452", "SKU", None), "{form}");
        assert_eq!(serde_json::to_value(v.factor).unwrap(), "1");
    }
    // Assigning it again, in another form, to the same target changes nothing.
    let o = h.ok(json!({"type":"assign_barcode","barcode":"00036000291452","item":"SKU","unit":"each"}));
    assert!(o.events().is_empty());
    // GTIN-8.
    h.ok(json!({"type":"assign_barcode","barcode":"96385074","item":"CHEESE","unit":"g"}));
    let v = h.e.resolve_barcode("00000096385074").unwrap();
    assert_eq!((&*v.item, v.unit.as_deref()), ("CHEESE", Some("g")));
    assert_eq!(serde_json::to_value(v.factor).unwrap(), "1/1000");
}

#[test]
fn a_case_barcode_resolves_to_its_pack_unit() {
    let mut h = H::store();
    let each = gtin("400638133393");
    let case = gtin("1400638133393");
    h.ok(json!({"type":"assign_barcode","barcode":each,"item":"CAN"}));
    h.ok(json!({"type":"assign_barcode","barcode":case,"item":"CAN","unit":"case"}));
    let v = h.e.resolve_barcode(&case).unwrap();
    assert_eq!((&*v.item, v.unit.as_deref()), ("CAN", Some("case")));
    assert_eq!(serde_json::to_value(v.factor).unwrap(), "12");
    // The answer feeds a receipt directly: one scan of a case is 12 cans.
    h.ok(json!({"type":"receive","item":&*v.item,"location":"A","qty":"1","unit":v.unit}));
    assert_eq!(h.bucket("CAN", "A", None), ("12".into(), "0".into()));
    // The unit must be one of the item's.
    let e = h.err(
        json!({"type":"assign_barcode","barcode":gtin("2400638133393"),"item":"SKU","unit":"case"}),
        "UNKNOWN_UNIT",
    );
    assert_eq!(e, Error::UnknownUnit { item: "SKU".into(), unit: "case".into() });
    // JSON query form.
    let q = h.e.ops_query_json(&format!(r#"{{"kind":"resolve_barcode","barcode":"{case}"}}"#)).unwrap();
    assert_eq!(q["item"], "CAN");
    assert_eq!(q["unit"], "case");
    assert_eq!(q["factor"], "12");
}

#[test]
fn unassign_removes_the_entry() {
    let mut h = H::store();
    h.ok(json!({"type":"assign_barcode","barcode":"4006381333931","item":"SKU"}));
    let o = h.ok(json!({"type":"unassign_barcode","barcode":"04006381333931"}));
    assert_eq!(kinds(&o), ["barcode_unassigned"]);
    assert_eq!(
        h.e.resolve_barcode("4006381333931").unwrap_err(),
        Error::UnknownBarcode { barcode: "04006381333931".into() }
    );
    // Free again for another item.
    h.ok(json!({"type":"assign_barcode","barcode":"4006381333931","item":"CAN"}));
    assert_eq!(&*h.e.resolve_barcode("4006381333931").unwrap().item, "CAN");
}

#[test]
fn rfid_tags_decode_and_resolve() {
    let mut h = H::store();
    // TDS example: urn:epc:tag:sgtin-96:3.0614141.812345.6789 is GTIN 80614141123458.
    h.ok(json!({"type":"assign_barcode","barcode":"80614141123458","item":"CAN","unit":"case"}));
    let v = h.e.resolve_epc("3074257BF7194E4000001A85").unwrap();
    assert_eq!(v.tag.gtin, "80614141123458");
    assert_eq!(v.tag.serial, 6789);
    assert_eq!(v.tag.filter, 3);
    assert_eq!(v.tag.uri, "urn:epc:id:sgtin:0614141.812345.6789");
    assert_eq!((&*v.resolved.item, v.resolved.unit.as_deref()), ("CAN", Some("case")));
    let q = h.e.ops_query_json(r#"{"kind":"resolve_epc","epc":"3074257bf7194e4000001a85"}"#).unwrap();
    assert_eq!(q["tag"]["serial"], 6789);
    assert_eq!(q["resolved"]["item"], "CAN");
    let q = h.e.ops_query_json(r#"{"kind":"decode_epc","epc":"3074257BF7194E4000001A85"}"#).unwrap();
    assert_eq!(q["tag_uri"], "urn:epc:tag:sgtin-96:3.0614141.812345.6789");
}

/// Encodes an SGTIN-96 the way the TDS describes (header, filter,
/// partition, company prefix, item reference, serial), to check decoding
/// on every partition value.
fn encode(filter: u128, partition: u128, cp: u128, ir: u128, serial: u128) -> String {
    let cp_bits = [40, 37, 34, 30, 27, 24, 20][partition as usize];
    let ir_bits = 44 - cp_bits;
    let v = (0x30u128 << 88) | (filter << 85) | (partition << 82) | (cp << (38 + ir_bits)) | (ir << 38) | serial;
    format!("{v:024X}")
}

#[test]
fn every_partition_decodes() {
    // Partition p: a company prefix of 12 − p digits, an item reference of p + 1.
    for p in 0..7u32 {
        let cp_digits = 12 - p as usize;
        let ir_digits = p as usize + 1;
        let cp: u128 = "614141999999"[..cp_digits].parse().unwrap();
        let ir: u128 = format!("8{}", &"12345678"[..ir_digits - 1]).parse().unwrap();
        let epc = encode(1, p as u128, cp, ir, (1 << 38) - 1);
        let s = decode_epc(&epc).unwrap();
        assert_eq!(s.partition as u32, p);
        assert_eq!(s.company_prefix, format!("{cp:0>cp_digits$}"));
        assert_eq!(s.item_reference, format!("{ir:0>ir_digits$}"));
        assert_eq!(s.serial, (1 << 38) - 1);
        assert_eq!(s.gtin.len(), 14);
        assert!(s.gtin.starts_with('8'));
        assert_eq!(normalize_gtin(&s.gtin).unwrap(), s.gtin, "the GTIN's check digit is valid");
    }
    // pyepc's example (filter 1): urn:epc:id:sgtin:0614141.812345.12345.
    let s = decode_epc(&encode(1, 5, 614141, 812345, 12345)).unwrap();
    assert_eq!(s.tag_uri, "urn:epc:tag:sgtin-96:1.0614141.812345.12345");
    assert_eq!(s.gtin, "80614141123458");
    // An item reference too wide for its partition is refused.
    assert!(matches!(decode_epc(&encode(1, 6, 0, 99_999_999, 1)), Err(Error::InvalidEpc { .. })));
}
