//! Error scenarios of the procurement flow (see tests/errors.rs).

#[allow(unused_imports)]
use super::*;

/// The test store with an inspection area INS, a quarantine QUA, supplier
/// ACME (CAN in packs of 12 at 0.5), and PO1 (24 CAN at RCV, 10 MILK at
/// INS), confirmed unless `draft`.
fn proc(draft: bool) -> H {
    let mut h = H::store();
    h.ok(json!({"type":"define_location","location":"INS","kind":"inspection","parent":"WH1"}));
    h.ok(json!({"type":"define_location","location":"QUA","kind":"quarantine","parent":"WH1"}));
    h.ok(json!({"type":"define_supplier","supplier":"ACME","currency":"EUR","tolerance_over_pct":"10"}));
    h.ok(json!({"type":"set_supplier_item","supplier":"ACME","item":"CAN","unit_price":"0.5","pack_size":"12"}));
    h.ok(json!({"type":"set_supplier_item","supplier":"ACME","item":"MILK","unit_price":"0.8"}));
    h.ok(json!({"type":"create_po","po":"PO1","supplier":"ACME","lines":[
        {"item":"CAN","qty":"24","expected":ds(3),"location":"RCV"},
        {"item":"MILK","qty":"10","expected":ds(3),"location":"INS"}]}));
    if !draft {
        h.ok(json!({"type":"confirm_po","po":"PO1"}));
    }
    h
}

/// `proc(false)` with GRN G1: 10 MILK of lot L1 into INS.
fn received() -> H {
    let mut h = proc(false);
    h.ok(json!({"type":"receive_po","grn":"G1","po":"PO1","location":"INS","lines":[
        {"po_line":2,"lot":"L1","qty":"10"}]}));
    h
}

scenarios! {
    invalid_supplier_term {
        let mut h = proc(false);
        assert_eq!(h.err(json!({"type":"define_supplier","supplier":"S","currency":"EUR","tolerance_over_pct":"-1"}),
            "INVALID_SUPPLIER_TERM"), Error::InvalidSupplierTerm { field: "tolerance_over_pct", value: d("-1") });
        h.err(json!({"type":"define_supplier","supplier":"S","currency":"EUR","tolerance_under_pct":"101"}),
            "INVALID_SUPPLIER_TERM");
        h.err(json!({"type":"define_supplier","supplier":"S","currency":"EUR","lead_time_mean_days":"-2"}),
            "INVALID_SUPPLIER_TERM");
        h.err(json!({"type":"define_supplier","supplier":"S","currency":"EUR","order_multiple":"0"}),
            "INVALID_SUPPLIER_TERM");
        assert_eq!(h.err(json!({"type":"set_supplier_item","supplier":"ACME","item":"SKU","unit_price":"-0.1"}),
            "INVALID_SUPPLIER_TERM"), Error::InvalidSupplierTerm { field: "unit_price", value: d("-0.1") });
        h.err(json!({"type":"create_po","po":"P2","supplier":"ACME","tolerance_under_pct":"200","lines":[
            {"item":"CAN","qty":"12","expected":ds(3),"location":"RCV"}]}), "INVALID_SUPPLIER_TERM");
        h.err(json!({"type":"create_po","po":"P2","supplier":"ACME","lines":[
            {"item":"CAN","qty":"12","unit_price":"-1","expected":ds(3),"location":"RCV"}]}), "INVALID_SUPPLIER_TERM");
    }

    no_lines {
        let mut h = proc(false);
        assert_eq!(h.err(json!({"type":"create_po","po":"P2","supplier":"ACME","lines":[]}), "NO_LINES"),
            Error::NoLines { document: "P2".into() });
        // Form before references: the supplier does not exist either.
        h.err(json!({"type":"create_po","po":"P2","supplier":"NOPE","lines":[]}), "NO_LINES");
        h.err(json!({"type":"receive_po","grn":"G9","po":"PO1","location":"RCV","lines":[]}), "NO_LINES");
    }

    grn_line_reference_missing {
        let mut h = proc(false);
        assert_eq!(h.err(json!({"type":"receive_po","grn":"G9","po":"PO1","location":"RCV","lines":[
            {"item":"CAN","qty":"1"}]}), "GRN_LINE_REFERENCE_MISSING"),
            Error::GrnLineReferenceMissing { grn: "G9".into(), line: 1, field: "po_line" });
        assert_eq!(h.err(json!({"type":"receive_po","grn":"G9","supplier":"ACME","location":"RCV","unplanned":true,
            "lines":[{"qty":"1"}]}), "GRN_LINE_REFERENCE_MISSING"),
            Error::GrnLineReferenceMissing { grn: "G9".into(), line: 1, field: "item" });
        assert_eq!(h.err(json!({"type":"receive_po","grn":"G9","location":"RCV","lines":[{"item":"CAN","qty":"1"}]}),
            "GRN_LINE_REFERENCE_MISSING"), Error::GrnLineReferenceMissing { grn: "G9".into(), line: 0, field: "supplier" });
    }

    inspection_field_missing {
        let mut h = received();
        let e = |field| Error::InspectionFieldMissing { grn: "G1".into(), line: 1, field };
        assert_eq!(h.err(json!({"type":"inspect","grn":"G1","line":1,"pass":"1"}), "INSPECTION_FIELD_MISSING"), e("to"));
        assert_eq!(h.err(json!({"type":"inspect","grn":"G1","line":1,"fail":"1","quarantine":"QUA"}),
            "INSPECTION_FIELD_MISSING"), e("reason"));
        assert_eq!(h.err(json!({"type":"inspect","grn":"G1","line":1,"fail":"1","reason":"x"}),
            "INSPECTION_FIELD_MISSING"), e("quarantine"));
        assert_eq!(h.err(json!({"type":"inspect","grn":"G1","line":1,"fail":"1","reason":"x","quarantine":"QUA",
            "return_to_vendor":"R1"}), "INSPECTION_FIELD_MISSING"), e("quarantine|return_to_vendor"));
        // Neither quantity: the quantity is the form error.
        h.err(json!({"type":"inspect","grn":"G1","line":1,"to":"STG"}), "INVALID_QUANTITY");
    }

    unknown_supplier {
        let mut h = proc(false);
        assert_eq!(h.err(json!({"type":"create_po","po":"P2","supplier":"NOPE","lines":[
            {"item":"CAN","qty":"12","expected":ds(3),"location":"RCV"}]}), "UNKNOWN_SUPPLIER"),
            Error::UnknownSupplier { supplier: "NOPE".into() });
        h.err(json!({"type":"set_supplier_item","supplier":"NOPE","item":"CAN","unit_price":"1"}), "UNKNOWN_SUPPLIER");
        h.err(json!({"type":"receive_po","grn":"G9","supplier":"NOPE","location":"RCV","unplanned":true,
            "lines":[{"item":"CAN","qty":"1"}]}), "UNKNOWN_SUPPLIER");
    }

    unknown_purchase_order {
        let mut h = proc(false);
        assert_eq!(h.err(json!({"type":"confirm_po","po":"PO9"}), "UNKNOWN_PURCHASE_ORDER"),
            Error::UnknownPurchaseOrder { po: "PO9".into() });
        h.err(json!({"type":"cancel_po","po":"PO9"}), "UNKNOWN_PURCHASE_ORDER");
        h.err(json!({"type":"close_po","po":"PO9"}), "UNKNOWN_PURCHASE_ORDER");
        h.err(json!({"type":"receive_po","grn":"G9","po":"PO9","location":"RCV","lines":[{"po_line":1,"qty":"1"}]}),
            "UNKNOWN_PURCHASE_ORDER");
    }

    unknown_po_line {
        let mut h = proc(false);
        assert_eq!(h.err(json!({"type":"receive_po","grn":"G9","po":"PO1","location":"RCV","lines":[
            {"po_line":3,"qty":"1"}]}), "UNKNOWN_PO_LINE"), Error::UnknownPoLine { po: "PO1".into(), line: 3 });
        h.err(json!({"type":"receive_po","grn":"G9","po":"PO1","location":"RCV","lines":[{"po_line":0,"qty":"1"}]}),
            "UNKNOWN_PO_LINE");
    }

    unknown_goods_receipt {
        let mut h = received();
        assert_eq!(h.err(json!({"type":"inspect","grn":"G9","line":1,"pass":"1","to":"STG"}), "UNKNOWN_GOODS_RECEIPT"),
            Error::UnknownGoodsReceipt { grn: "G9".into() });
    }

    unknown_grn_line {
        let mut h = received();
        assert_eq!(h.err(json!({"type":"inspect","grn":"G1","line":2,"pass":"1","to":"STG"}), "UNKNOWN_GRN_LINE"),
            Error::UnknownGrnLine { grn: "G1".into(), line: 2 });
    }

    unknown_supplier_item {
        let mut h = proc(false);
        assert_eq!(h.err(json!({"type":"create_po","po":"P2","supplier":"ACME","lines":[
            {"item":"SKU","qty":"1","expected":ds(3),"location":"RCV"}]}), "UNKNOWN_SUPPLIER_ITEM"),
            Error::UnknownSupplierItem { supplier: "ACME".into(), item: "SKU".into() });
        h.ok(json!({"type":"create_po","po":"P2","supplier":"ACME","lines":[
            {"item":"SKU","qty":"1","unit_price":"3","expected":ds(3),"location":"RCV"}]}));
    }

    preferred_supplier_conflict {
        let mut h = proc(false);
        h.ok(json!({"type":"set_supplier_item","supplier":"ACME","item":"SKU","unit_price":"1","preferred":true}));
        h.ok(json!({"type":"define_supplier","supplier":"OTHER","currency":"EUR"}));
        assert_eq!(h.err(json!({"type":"set_supplier_item","supplier":"OTHER","item":"SKU","unit_price":"1",
            "preferred":true}), "PREFERRED_SUPPLIER_CONFLICT"),
            Error::PreferredSupplierConflict { item: "SKU".into(), supplier: "ACME".into() });
    }

    po_exists {
        let mut h = proc(false);
        assert_eq!(h.err(json!({"type":"create_po","po":"PO1","supplier":"ACME","lines":[
            {"item":"CAN","qty":"12","expected":ds(3),"location":"RCV"}]}), "PO_EXISTS"), Error::PoExists { po: "PO1".into() });
    }

    grn_exists {
        let mut h = received();
        assert_eq!(h.err(json!({"type":"receive_po","grn":"G1","po":"PO1","location":"RCV","lines":[
            {"po_line":1,"qty":"12"}]}), "GRN_EXISTS"), Error::GrnExists { grn: "G1".into() });
    }

    rtv_exists {
        let mut h = received();
        h.ok(json!({"type":"inspect","grn":"G1","line":1,"fail":"1","reason":"x","return_to_vendor":"R1"}));
        assert_eq!(h.err(json!({"type":"inspect","grn":"G1","line":1,"fail":"1","reason":"x","return_to_vendor":"R1"}),
            "RTV_EXISTS"), Error::RtvExists { rtv: "R1".into() });
    }

    po_not_draft {
        let mut h = received();
        assert_eq!(h.err(json!({"type":"confirm_po","po":"PO1"}), "PO_NOT_DRAFT"),
            Error::PoNotDraft { po: "PO1".into(), status: "partially_received" });
    }

    po_not_confirmed {
        let mut h = proc(true);
        assert_eq!(h.err(json!({"type":"receive_po","grn":"G9","po":"PO1","location":"RCV","lines":[
            {"po_line":1,"qty":"12"}]}), "PO_NOT_CONFIRMED"), Error::PoNotConfirmed { po: "PO1".into() });
        h.err(json!({"type":"close_po","po":"PO1"}), "PO_NOT_CONFIRMED");
    }

    po_cancelled {
        let mut h = proc(false);
        h.ok(json!({"type":"cancel_po","po":"PO1"}));
        assert_eq!(h.err(json!({"type":"cancel_po","po":"PO1"}), "PO_CANCELLED"), Error::PoCancelled { po: "PO1".into() });
        h.err(json!({"type":"confirm_po","po":"PO1"}), "PO_CANCELLED");
        h.err(json!({"type":"close_po","po":"PO1"}), "PO_CANCELLED");
        h.err(json!({"type":"receive_po","grn":"G9","po":"PO1","location":"RCV","lines":[{"po_line":1,"qty":"12"}]}),
            "PO_CANCELLED");
    }

    po_closed {
        let mut h = received();
        h.ok(json!({"type":"close_po","po":"PO1"}));
        assert_eq!(h.err(json!({"type":"close_po","po":"PO1"}), "PO_CLOSED"), Error::PoClosed { po: "PO1".into() });
        h.err(json!({"type":"cancel_po","po":"PO1"}), "PO_CLOSED");
        h.err(json!({"type":"confirm_po","po":"PO1"}), "PO_CLOSED");
        h.err(json!({"type":"receive_po","grn":"G9","po":"PO1","location":"RCV","lines":[{"po_line":1,"qty":"12"}]}),
            "PO_CLOSED");
    }

    po_has_receipts {
        let mut h = received();
        assert_eq!(h.err(json!({"type":"cancel_po","po":"PO1"}), "PO_HAS_RECEIPTS"),
            Error::PoHasReceipts { po: "PO1".into(), line: 2, received: d("10") });
    }

    below_min_order_qty {
        let mut h = proc(false);
        h.ok(json!({"type":"set_supplier_item","supplier":"ACME","item":"SKU","unit_price":"1","min_order_qty":"5"}));
        h.ok(json!({"type":"create_po","po":"P2","supplier":"ACME","lines":[
            {"item":"SKU","qty":"4","expected":ds(3),"location":"RCV"}]}));
        assert_eq!(h.err(json!({"type":"confirm_po","po":"P2"}), "BELOW_MIN_ORDER_QTY"),
            Error::BelowMinOrderQty { po: "P2".into(), line: 1, qty: d("4"), min: d("5") });
    }

    not_order_multiple {
        let mut h = proc(false);
        h.ok(json!({"type":"create_po","po":"P2","supplier":"ACME","lines":[
            {"item":"CAN","qty":"18","expected":ds(3),"location":"RCV"}]}));
        assert_eq!(h.err(json!({"type":"confirm_po","po":"P2"}), "NOT_ORDER_MULTIPLE"),
            Error::NotOrderMultiple { po: "P2".into(), line: 1, qty: d("18"), multiple: d("12") });
    }

    over_receipt {
        let mut h = proc(false);
        // 24 + 10 % = 26.4: at most 26, summed over the GRN's lines.
        assert_eq!(h.err(json!({"type":"receive_po","grn":"G9","po":"PO1","location":"RCV","lines":[
            {"po_line":1,"qty":"20"},{"po_line":1,"qty":"7"}]}), "OVER_RECEIPT"),
            Error::OverReceipt { po: "PO1".into(), line: 1, ordered: d("24"), received: d("0"), receiving: d("27"),
                max: d("26") });
        h.ok(json!({"type":"receive_po","grn":"G9","po":"PO1","location":"RCV","lines":[{"po_line":1,"qty":"26"}]}));
    }

    receipt_without_po {
        let mut h = proc(false);
        assert_eq!(h.err(json!({"type":"receive_po","grn":"G9","supplier":"ACME","location":"RCV","lines":[
            {"item":"CAN","qty":"1"}]}), "RECEIPT_WITHOUT_PO"),
            Error::ReceiptWithoutPo { supplier: "ACME".into(), item: "CAN".into() });
    }

    po_line_item_mismatch {
        let mut h = proc(false);
        assert_eq!(h.err(json!({"type":"receive_po","grn":"G9","po":"PO1","location":"RCV","lines":[
            {"po_line":1,"item":"SKU","qty":"1"}]}), "PO_LINE_ITEM_MISMATCH"),
            Error::PoLineItemMismatch { po: "PO1".into(), line: 1, item: "SKU".into(), expected: "CAN".into() });
    }

    inspect_exceeds_uninspected {
        let mut h = received();
        assert_eq!(h.err(json!({"type":"inspect","grn":"G1","line":1,"pass":"8","fail":"3","to":"STG","reason":"x",
            "quarantine":"QUA"}), "INSPECT_EXCEEDS_UNINSPECTED"),
            Error::InspectExceedsUninspected { grn: "G1".into(), line: 1, requested: d("11"), uninspected: d("10") });
    }

    not_in_inspection {
        let mut h = proc(false);
        h.ok(json!({"type":"receive_po","grn":"G2","po":"PO1","location":"RCV","lines":[{"po_line":1,"qty":"12"}]}));
        assert_eq!(h.err(json!({"type":"inspect","grn":"G2","line":1,"pass":"1","to":"STG"}), "NOT_IN_INSPECTION"),
            Error::NotInInspection { grn: "G2".into(), line: 1, location: "RCV".into() });
    }

    po_supplier_mismatch {
        let mut h = proc(false);
        h.ok(json!({"type":"define_supplier","supplier":"OTHER","currency":"EUR"}));
        assert_eq!(h.err(json!({"type":"receive_po","grn":"G9","po":"PO1","supplier":"OTHER","location":"RCV","lines":[
            {"po_line":1,"qty":"1"}]}), "PO_SUPPLIER_MISMATCH"),
            Error::PoSupplierMismatch { po: "PO1".into(), supplier: "OTHER".into(), expected: "ACME".into() });
    }
}
