//! Error scenarios of the returns, scanning and kits flows (see tests/errors.rs).

#[allow(unused_imports)]
use super::*;

/// The store with 10 SKU received into A, 5 of them shipped on order SO-1
/// (a reservation committed with the order as reference), a returns bay
/// RET (staging) and a quarantine QUA, and RMA-1 authorising 3 of them.
fn shipped() -> H {
    let mut h = H::store();
    for v in [
        json!({"type":"define_location","location":"RET","kind":"staging","parent":"WH1"}),
        json!({"type":"define_location","location":"QUA","kind":"quarantine","parent":"WH1"}),
        json!({"type":"receive","item":"SKU","location":"A","qty":"10"}),
        json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"5","scope":"WH1"}),
        json!({"type":"commit","reservation":"R1","reference":"SO-1"}),
        json!({"type":"authorise_return","rma":"RMA-1","order":"SO-1","lines":[{"item":"SKU","qty":"3"}]}),
    ] {
        h.ok(v);
    }
    h
}

/// The store with kit BOX = 2 SKU + 1 CAN, and 10 of each in bin A.
fn kitted() -> H {
    let mut h = H::store();
    for v in [
        json!({"type":"define_item","item":"BOX"}),
        json!({"type":"define_kit","kit":"BOX","components":[{"item":"SKU","qty":"2"},{"item":"CAN","qty":"1"}]}),
        json!({"type":"receive","item":"SKU","location":"A","qty":"10"}),
        json!({"type":"receive","item":"CAN","location":"A","qty":"10"}),
    ] {
        h.ok(v);
    }
    h
}

scenarios! {
    invalid_barcode {
        let mut h = H::store();
        assert_eq!(h.err(json!({"type":"assign_barcode","barcode":"40063813339","item":"SKU"}), "INVALID_BARCODE"),
            Error::InvalidBarcode { barcode: "40063813339".into(), reason: "a GTIN has 8, 12, 13 or 14 digits" });
        h.err(json!({"type":"assign_barcode","barcode":"4006381333 931","item":"SKU"}), "INVALID_BARCODE");
        record(&h.e.resolve_barcode("ABC").unwrap_err(), "INVALID_BARCODE");
    }

    barcode_check_digit {
        let mut h = H::store();
        assert_eq!(h.err(json!({"type":"assign_barcode","barcode":"4006381333932","item":"SKU"}), "BARCODE_CHECK_DIGIT"),
            Error::BarcodeCheckDigit { barcode: "4006381333932".into(), expected: 1 });
        // Form before references: the unknown item is not reported.
        h.err(json!({"type":"assign_barcode","barcode":"96385075","item":"NOPE"}), "BARCODE_CHECK_DIGIT");
    }

    invalid_epc {
        let h = H::store();
        let e = h.e.resolve_epc("3174257BF7194E4000001A85").unwrap_err();
        assert_eq!(e, Error::InvalidEpc { epc: "3174257BF7194E4000001A85".into(), reason: "header is not 0x30 (SGTIN-96)" });
        record(&e, "INVALID_EPC");
        record(&h.e.ops_query_json(r#"{"kind":"decode_epc","epc":"30"}"#).unwrap_err(), "INVALID_EPC");
    }

    kit_contains_itself {
        let mut h = H::store();
        h.ok(json!({"type":"define_item","item":"BOX"}));
        assert_eq!(h.err(json!({"type":"define_kit","kit":"BOX","components":[{"item":"SKU","qty":"1"},{"item":"BOX","qty":"1"}]}),
            "KIT_CONTAINS_ITSELF"), Error::KitContainsItself { kit: "BOX".into() });
    }

    invalid_lines {
        let mut h = shipped();
        h.ok(json!({"type":"define_item","item":"BOX"}));
        assert!(matches!(h.err(json!({"type":"define_kit","kit":"BOX","components":[]}), "INVALID_LINES"),
            Error::InvalidLines { document: "kit", .. }));
        h.err(json!({"type":"define_kit","kit":"BOX","components":[{"item":"SKU","qty":"1"},{"item":"SKU","qty":"2"}]}), "INVALID_LINES");
        h.err(json!({"type":"authorise_return","rma":"RMA-2","order":"SO-1","lines":[]}), "INVALID_LINES");
        h.err(json!({"type":"authorise_return","rma":"RMA-2","order":"SO-1",
            "lines":[{"item":"SKU","qty":"1"},{"item":"SKU","qty":"1"}]}), "INVALID_LINES");
        h.err(json!({"type":"receive_return","rma":"RMA-1","location":"RET","lines":[]}), "INVALID_LINES");
        h.err(json!({"type":"grade_return","rma":"RMA-1","lines":[]}), "INVALID_LINES");
    }

    unknown_rma {
        let mut h = shipped();
        for c in [
            json!({"type":"receive_return","rma":"RMA-9","location":"RET","lines":[{"item":"SKU","qty":"1"}]}),
            json!({"type":"grade_return","rma":"RMA-9","lines":[{"item":"SKU","qty":"1","grade":"c","reason":"x"}]}),
            json!({"type":"close_return","rma":"RMA-9"}),
            json!({"type":"cancel_return","rma":"RMA-9"}),
        ] {
            assert_eq!(h.err(c, "UNKNOWN_RMA"), Error::UnknownRma { rma: "RMA-9".into() });
        }
        assert_eq!(h.e.ops_query_json(r#"{"kind":"rma","rma":"RMA-9"}"#).unwrap(), serde_json::Value::Null);
    }

    unknown_barcode {
        let mut h = H::store();
        assert_eq!(h.err(json!({"type":"unassign_barcode","barcode":"96385074"}), "UNKNOWN_BARCODE"),
            Error::UnknownBarcode { barcode: "00000096385074".into() });
        record(&h.e.resolve_barcode("4006381333931").unwrap_err(), "UNKNOWN_BARCODE");
        // A well-formed tag whose GTIN is not in the index.
        assert_eq!(h.e.resolve_epc("3074257BF7194E4000001A85").unwrap_err(),
            Error::UnknownBarcode { barcode: "80614141123458".into() });
    }

    unknown_kit {
        let mut h = kitted();
        for c in [
            json!({"type":"reserve_kit","reservation":"K1","kit":"SKU","qty":"1","scope":"WH1"}),
            json!({"type":"sell_kit","kit":"SKU","location":"A","qty":"1"}),
        ] {
            assert_eq!(h.err(c, "UNKNOWN_KIT"), Error::UnknownKit { kit: "SKU".into() });
        }
        record(&h.e.kit_availability("CAN", &sub("WH1"), None).unwrap_err(), "UNKNOWN_KIT");
        // An item that is not defined at all is an unknown item first.
        h.err(json!({"type":"reserve_kit","reservation":"K1","kit":"NOPE","qty":"1","scope":"WH1"}), "UNKNOWN_ITEM");
    }

    unknown_kit_reservation {
        let mut h = kitted();
        assert_eq!(h.err(json!({"type":"commit_kit","reservation":"K9"}), "UNKNOWN_KIT_RESERVATION"),
            Error::UnknownKitReservation { reservation: "K9".into() });
        h.err(json!({"type":"release_kit","reservation":"K9"}), "UNKNOWN_KIT_RESERVATION");
        record(&h.e.kit_reservation("K9").unwrap_err(), "UNKNOWN_KIT_RESERVATION");
    }

    unknown_rma_line {
        let mut h = shipped();
        h.ok(json!({"type":"receive","item":"CAN","location":"A","qty":"1"}));
        assert_eq!(h.err(json!({"type":"receive_return","rma":"RMA-1","location":"RET","lines":[{"item":"CAN","qty":"1"}]}),
            "UNKNOWN_RMA_LINE"), Error::UnknownRmaLine { rma: "RMA-1".into(), item: "CAN".into() });
        h.err(json!({"type":"grade_return","rma":"RMA-1","lines":[{"item":"CAN","qty":"1","grade":"c","reason":"x"}]}),
            "UNKNOWN_RMA_LINE");
    }

    rma_id_conflict {
        let mut h = shipped();
        assert_eq!(h.err(json!({"type":"authorise_return","rma":"RMA-1","order":"SO-1","lines":[{"item":"SKU","qty":"1"}]}),
            "RMA_ID_CONFLICT"), Error::RmaIdConflict { rma: "RMA-1".into() });
    }

    return_exceeds_shipped {
        let mut h = shipped();
        // 5 shipped, 3 on RMA-1: 2 returnable.
        assert_eq!(h.err(json!({"type":"authorise_return","rma":"RMA-2","order":"SO-1","lines":[{"item":"SKU","qty":"3"}]}),
            "RETURN_EXCEEDS_SHIPPED"), Error::ReturnExceedsShipped { order: "SO-1".into(), item: "SKU".into(),
            requested: d("3"), returnable: d("2"), shipped: d("5") });
        // Nothing shipped on another order.
        assert_eq!(h.err(json!({"type":"authorise_return","rma":"RMA-2","order":"SO-2","lines":[{"item":"SKU","qty":"1"}]}),
            "RETURN_EXCEEDS_SHIPPED"), Error::ReturnExceedsShipped { order: "SO-2".into(), item: "SKU".into(),
            requested: d("1"), returnable: d("0"), shipped: d("0") });
    }

    return_window_closed {
        let mut h = shipped();
        h.at(T0 + 31 * DAY);
        assert_eq!(h.err(json!({"type":"authorise_return","rma":"RMA-2","order":"SO-1","lines":[{"item":"SKU","qty":"1"}]}),
            "RETURN_WINDOW_CLOSED"), Error::ReturnWindowClosed { order: "SO-1".into(), item: "SKU".into(),
            last_shipped_at: T0, closed_at: T0 + 30 * DAY });
        // A longer window, per call.
        h.ok(json!({"type":"authorise_return","rma":"RMA-2","order":"SO-1","window_days":45,"lines":[{"item":"SKU","qty":"1"}]}));
    }

    rma_cancelled {
        let mut h = shipped();
        h.ok(json!({"type":"cancel_return","rma":"RMA-1"}));
        for c in [
            json!({"type":"receive_return","rma":"RMA-1","location":"RET","lines":[{"item":"SKU","qty":"1"}]}),
            json!({"type":"grade_return","rma":"RMA-1","lines":[{"item":"SKU","qty":"1","grade":"c","reason":"x"}]}),
            json!({"type":"close_return","rma":"RMA-1"}),
            json!({"type":"cancel_return","rma":"RMA-1"}),
        ] {
            assert_eq!(h.err(c, "RMA_CANCELLED"), Error::RmaCancelled { rma: "RMA-1".into() });
        }
    }

    rma_closed {
        let mut h = shipped();
        h.ok(json!({"type":"close_return","rma":"RMA-1"}));
        assert_eq!(h.err(json!({"type":"receive_return","rma":"RMA-1","location":"RET","lines":[{"item":"SKU","qty":"1"}]}),
            "RMA_CLOSED"), Error::RmaClosed { rma: "RMA-1".into() });
        h.err(json!({"type":"cancel_return","rma":"RMA-1"}), "RMA_CLOSED");
        h.err(json!({"type":"close_return","rma":"RMA-1"}), "RMA_CLOSED");
    }

    receive_exceeds_authorised {
        let mut h = shipped();
        assert_eq!(h.err(json!({"type":"receive_return","rma":"RMA-1","location":"RET","lines":[{"item":"SKU","qty":"4"}]}),
            "RECEIVE_EXCEEDS_AUTHORISED"), Error::ReceiveExceedsAuthorised { rma: "RMA-1".into(), item: "SKU".into(),
            requested: d("4"), open: d("3") });
        // Two lines of one command add up.
        assert_eq!(h.err(json!({"type":"receive_return","rma":"RMA-1","location":"RET",
            "lines":[{"item":"SKU","qty":"2"},{"item":"SKU","qty":"2"}]}), "RECEIVE_EXCEEDS_AUTHORISED"),
            Error::ReceiveExceedsAuthorised { rma: "RMA-1".into(), item: "SKU".into(), requested: d("2"), open: d("1") });
    }

    grade_exceeds_ungraded {
        let mut h = shipped();
        // Nothing received yet.
        h.err(json!({"type":"grade_return","rma":"RMA-1","lines":[{"item":"SKU","qty":"1","grade":"c","reason":"x"}]}),
            "GRADE_EXCEEDS_UNGRADED");
        h.ok(json!({"type":"receive_return","rma":"RMA-1","location":"RET","lines":[{"item":"SKU","qty":"2"}]}));
        assert_eq!(h.err(json!({"type":"grade_return","rma":"RMA-1","lines":[
            {"item":"SKU","qty":"1","grade":"a","to":"A","reason":"ok"},
            {"item":"SKU","qty":"2","grade":"c","reason":"broken"}]}), "GRADE_EXCEEDS_UNGRADED"),
            Error::GradeExceedsUngraded { item: "SKU".into(), location: "RET".into(), lot: None,
            requested: d("2"), ungraded: d("1") });
    }

    grade_destination_invalid {
        let mut h = shipped();
        h.ok(json!({"type":"receive_return","rma":"RMA-1","location":"RET","lines":[{"item":"SKU","qty":"2"}]}));
        let g = |grade: &str, to: Option<&str>| {
            let mut l = json!({"item":"SKU","qty":"1","grade":grade,"reason":"x"});
            if let Some(t) = to { l["to"] = json!(t); }
            json!({"type":"grade_return","rma":"RMA-1","lines":[l]})
        };
        assert_eq!(h.err(g("a", Some("QUA")), "GRADE_DESTINATION_INVALID"), Error::GradeDestinationInvalid {
            rma: "RMA-1".into(), grade: "a", location: "QUA".into(), reason: "grade a restocks to a sellable location" });
        h.err(g("a", None), "GRADE_DESTINATION_INVALID");
        h.err(g("b", Some("A")), "GRADE_DESTINATION_INVALID");
        h.err(g("b", Some("@scrap")), "GRADE_DESTINATION_INVALID");
        h.err(g("c", Some("QUA")), "GRADE_DESTINATION_INVALID");
    }

    rma_ungraded_stock {
        let mut h = shipped();
        h.ok(json!({"type":"receive_return","rma":"RMA-1","location":"RET","lines":[{"item":"SKU","qty":"2"}]}));
        assert_eq!(h.err(json!({"type":"close_return","rma":"RMA-1"}), "RMA_UNGRADED_STOCK"),
            Error::RmaUngradedStock { rma: "RMA-1".into(), item: "SKU".into(), ungraded: d("2") });
    }

    rma_has_receipts {
        let mut h = shipped();
        h.ok(json!({"type":"receive_return","rma":"RMA-1","location":"RET","lines":[{"item":"SKU","qty":"1"}]}));
        assert_eq!(h.err(json!({"type":"cancel_return","rma":"RMA-1"}), "RMA_HAS_RECEIPTS"),
            Error::RmaHasReceipts { rma: "RMA-1".into() });
    }

    barcode_conflict {
        let mut h = H::store();
        h.ok(json!({"type":"assign_barcode","barcode":"4006381333931","item":"CAN","unit":"case"}));
        // The same code in another form, for another unit of the same item.
        assert_eq!(h.err(json!({"type":"assign_barcode","barcode":"04006381333931","item":"CAN"}), "BARCODE_CONFLICT"),
            Error::BarcodeConflict { barcode: "04006381333931".into(), item: "CAN".into(), unit: Some("case".into()) });
        h.err(json!({"type":"assign_barcode","barcode":"4006381333931","item":"SKU"}), "BARCODE_CONFLICT");
    }

    nested_kit {
        let mut h = kitted();
        h.ok(json!({"type":"define_item","item":"CRATE"}));
        assert_eq!(h.err(json!({"type":"define_kit","kit":"CRATE","components":[{"item":"BOX","qty":"2"}]}), "NESTED_KIT"),
            Error::NestedKit { kit: "CRATE".into(), item: "BOX".into() });
        h.ok(json!({"type":"define_kit","kit":"CRATE","components":[{"item":"SKU","qty":"5"}]}));
        // BOX may not become a component of CRATE's, nor CRATE of BOX's.
        assert_eq!(h.err(json!({"type":"define_kit","kit":"SKU","components":[{"item":"CAN","qty":"1"}]}), "NESTED_KIT"),
            Error::NestedKit { kit: "SKU".into(), item: "BOX".into() });
    }
}
