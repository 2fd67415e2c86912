//! Error scenarios of the warehouse flow: putaway, cycle counts, transfers
//! (see tests/errors.rs).

#[allow(unused_imports)]
use super::*;

/// The store with bins A (5 units, one item, one lot) and B (mixes), a
/// default rule over WH1, and a transit location TR.
fn wh() -> H {
    let mut h = H::store();
    for v in [
        json!({"type":"define_bin","location":"A","max_units":"5","mix_items":false,"mix_lots":false}),
        json!({"type":"define_bin","location":"B","max_units":"5","mix_items":true,"mix_lots":true}),
        json!({"type":"define_putaway_rule","rule":"ALL","zones":["WH1"]}),
        json!({"type":"define_location","location":"TR","kind":"transit"}),
        json!({"type":"receive","item":"SKU","location":"RCV","qty":"20"}),
    ] {
        h.ok(v);
    }
    h
}

/// `wh` with a count task T on A holding 3 SKU, entered short (pending).
fn pending() -> H {
    let mut h = wh();
    h.ok(json!({"type":"putaway","from":"RCV","item":"SKU","qty":"3","to":"A"}));
    h.ok(json!({"type":"issue_count","task":"T","location":"A"}));
    h.ok(json!({"type":"enter_count","task":"T","lines":[{"item":"SKU","location":"A","counted":"1"}]}));
    h
}

/// `wh` with a draft transfer TF of 4 SKU from RCV to X.
fn draft() -> H {
    let mut h = wh();
    h.ok(json!({"type":"create_transfer","transfer":"TF","from":"RCV","to":"X","transit":"TR",
        "expected_arrival":ds(2),"lines":[{"item":"SKU","qty":"4"}]}));
    h
}

fn tf(from: &str, to: &str, transit: &str) -> serde_json::Value {
    json!({"type":"create_transfer","transfer":"T2","from":from,"to":to,"transit":transit,
        "expected_arrival":ds(2),"lines":[{"item":"SKU","qty":"1"}]})
}

scenarios! {
    putaway_rule_ambiguous {
        let mut h = wh();
        let e = h.err(json!({"type":"define_putaway_rule","rule":"R","item":"SKU","lot_status":"on_hold","zones":["A"]}),
            "PUTAWAY_RULE_AMBIGUOUS");
        assert_eq!(e, Error::PutawayRuleAmbiguous { rule: "R".into() });
    }

    invalid_tolerance {
        let mut h = wh();
        h.err(json!({"type":"issue_count","task":"T","item":"SKU","tolerance_pct":"5","tolerance_units":"1"}), "INVALID_TOLERANCE");
        h.err(json!({"type":"issue_count","task":"T","item":"SKU","tolerance_units":"-1"}), "INVALID_TOLERANCE");
    }

    empty_lines {
        let mut h = wh();
        assert_eq!(h.err(json!({"type":"define_putaway_rule","rule":"R","zones":[]}), "EMPTY_LINES"),
            Error::EmptyLines { field: "zones" });
        h.err(json!({"type":"create_transfer","transfer":"T","from":"RCV","to":"X","transit":"TR",
            "expected_arrival":ds(1),"lines":[]}), "EMPTY_LINES");
        h.ok(json!({"type":"issue_count","task":"T","item":"SKU"}));
        h.err(json!({"type":"enter_count","task":"T","lines":[]}), "EMPTY_LINES");
    }

    duplicate_count_line {
        let mut h = wh();
        h.ok(json!({"type":"issue_count","task":"T","item":"SKU"}));
        let e = h.err(json!({"type":"enter_count","task":"T","lines":[
            {"item":"SKU","location":"RCV","counted":"1"},{"item":"SKU","location":"RCV","counted":"2"}]}),
            "DUPLICATE_COUNT_LINE");
        assert_eq!(e, Error::DuplicateCountLine { item: "SKU".into(), location: "RCV".into(), lot: None });
    }

    unknown_bin {
        let mut h = wh();
        let e = h.err(json!({"type":"putaway","from":"RCV","item":"SKU","qty":"1","to":"C"}), "UNKNOWN_BIN");
        assert_eq!(e, Error::UnknownBin { location: "C".into() });
    }

    unknown_count_task {
        let mut h = wh();
        h.err(json!({"type":"approve_count","task":"NOPE"}), "UNKNOWN_COUNT_TASK");
        h.err(json!({"type":"enter_count","task":"NOPE","lines":[{"item":"SKU","location":"RCV","counted":"1"}]}),
            "UNKNOWN_COUNT_TASK");
    }

    unknown_transfer {
        let mut h = wh();
        let e = h.err(json!({"type":"ship_transfer","transfer":"NOPE"}), "UNKNOWN_TRANSFER");
        assert_eq!(e, Error::UnknownTransfer { transfer: "NOPE".into() });
    }

    unknown_transfer_line {
        let mut h = draft();
        h.ok(json!({"type":"ship_transfer","transfer":"TF"}));
        let e = h.err(json!({"type":"receive_transfer","transfer":"TF","lines":[{"line":2,"qty":"1"}]}),
            "UNKNOWN_TRANSFER_LINE");
        assert_eq!(e, Error::UnknownTransferLine { transfer: "TF".into(), line: 2 });
    }

    bin_capacity_exceeded {
        let mut h = wh();
        let e = h.err(json!({"type":"putaway","from":"RCV","item":"SKU","qty":"6","to":"A"}), "BIN_CAPACITY_EXCEEDED");
        assert_eq!(e, Error::BinCapacityExceeded {
            location: "A".into(), item: "SKU".into(), requested: d("6"), capacity: d("5") });
    }

    bin_mixes_items {
        let mut h = wh();
        h.ok(json!({"type":"putaway","from":"RCV","item":"SKU","qty":"1","to":"A"}));
        h.ok(json!({"type":"receive","item":"CAN","location":"RCV","qty":"1"}));
        let e = h.err(json!({"type":"putaway","from":"RCV","item":"CAN","qty":"1","to":"A"}), "BIN_MIXES_ITEMS");
        assert_eq!(e, Error::BinMixesItems { location: "A".into(), item: "CAN".into(), holds: "SKU".into() });
    }

    bin_mixes_lots {
        let mut h = wh();
        h.ok(json!({"type":"receive","item":"MILK","location":"RCV","qty":"1","lot":"L1"}));
        h.ok(json!({"type":"receive","item":"MILK","location":"RCV","qty":"1","lot":"L2"}));
        h.ok(json!({"type":"putaway","from":"RCV","item":"MILK","lot":"L1","qty":"1","to":"A"}));
        let e = h.err(json!({"type":"putaway","from":"RCV","item":"MILK","lot":"L2","qty":"1","to":"A"}), "BIN_MIXES_LOTS");
        assert_eq!(e, Error::BinMixesLots {
            location: "A".into(), item: "MILK".into(), lot: Some("L2".into()), holds: "L1".into() });
    }

    putaway_no_room {
        let mut h = wh();
        let e = h.err(json!({"type":"putaway","from":"RCV","item":"SKU","qty":"11"}), "PUTAWAY_NO_ROOM");
        assert_eq!(e, Error::PutawayNoRoom { item: "SKU".into(), requested: d("11"), placeable: d("10") });
    }

    count_task_exists {
        let mut h = wh();
        h.ok(json!({"type":"issue_count","task":"T","item":"SKU"}));
        h.err(json!({"type":"issue_count","task":"T","location":"A"}), "COUNT_TASK_EXISTS");
    }

    count_already_entered {
        let mut h = pending();
        let e = h.err(json!({"type":"enter_count","task":"T","lines":[{"item":"SKU","location":"A","counted":"3"}]}),
            "COUNT_ALREADY_ENTERED");
        assert_eq!(e, Error::CountAlreadyEntered { task: "T".into(), state: "pending_approval" });
    }

    count_already_approved {
        let mut h = pending();
        h.ok(json!({"type":"approve_count","task":"T"}));
        h.err(json!({"type":"cancel_count","task":"T"}), "COUNT_ALREADY_APPROVED");
        h.err(json!({"type":"reject_count","task":"T"}), "COUNT_ALREADY_APPROVED");
    }

    count_cancelled {
        let mut h = pending();
        h.ok(json!({"type":"cancel_count","task":"T"}));
        h.err(json!({"type":"approve_count","task":"T"}), "COUNT_CANCELLED");
        h.err(json!({"type":"cancel_count","task":"T"}), "COUNT_CANCELLED");
    }

    count_not_pending_approval {
        let mut h = wh();
        h.ok(json!({"type":"issue_count","task":"T","item":"SKU"}));
        let e = h.err(json!({"type":"approve_count","task":"T"}), "COUNT_NOT_PENDING_APPROVAL");
        assert_eq!(e, Error::CountNotPendingApproval { task: "T".into(), state: "issued" });
    }

    count_line_out_of_scope {
        let mut h = wh();
        h.ok(json!({"type":"issue_count","task":"T","location":"A"}));
        h.err(json!({"type":"enter_count","task":"T","lines":[{"item":"SKU","location":"RCV","counted":"1"}]}),
            "COUNT_LINE_OUT_OF_SCOPE");
        h.ok(json!({"type":"issue_count","task":"U","item":"CAN"}));
        h.err(json!({"type":"enter_count","task":"U","lines":[{"item":"SKU","location":"A","counted":"1"}]}),
            "COUNT_LINE_OUT_OF_SCOPE");
    }

    transfer_exists {
        let mut h = draft();
        let mut c = tf("RCV", "X", "TR");
        c["transfer"] = json!("TF");
        let e = h.err(c, "TRANSFER_EXISTS");
        assert_eq!(e, Error::TransferExists { transfer: "TF".into() });
    }

    transfer_same_site {
        let mut h = wh();
        let e = h.err(tf("RCV", "A", "TR"), "TRANSFER_SAME_SITE");
        assert_eq!(e, Error::TransferSameSite { from: "RCV".into(), to: "A".into(), site: "S1".into() });
    }

    transit_inside_site {
        let mut h = wh();
        h.ok(json!({"type":"define_location","location":"TR2","kind":"transit","parent":"S2"}));
        let e = h.err(tf("RCV", "X", "TR2"), "TRANSIT_INSIDE_SITE");
        assert_eq!(e, Error::TransitInsideSite { transit: "TR2".into(), site: "S2".into() });
        // A transit location must be of kind transit.
        h.err(tf("RCV", "X", "STG"), "WRONG_LOCATION_KIND");
    }

    transit_sellable {
        let mut h = wh();
        h.ok(json!({"type":"define_location","location":"TR3","kind":"transit","sellable":true}));
        let e = h.err(tf("RCV", "X", "TR3"), "TRANSIT_SELLABLE");
        assert_eq!(e, Error::TransitSellable { transit: "TR3".into() });
    }

    transfer_already_shipped {
        let mut h = draft();
        h.ok(json!({"type":"ship_transfer","transfer":"TF"}));
        let e = h.err(json!({"type":"ship_transfer","transfer":"TF"}), "TRANSFER_ALREADY_SHIPPED");
        assert_eq!(e, Error::TransferAlreadyShipped { transfer: "TF".into(), state: "shipped" });
        h.err(json!({"type":"cancel_transfer","transfer":"TF"}), "TRANSFER_ALREADY_SHIPPED");
    }

    transfer_cancelled {
        let mut h = draft();
        h.ok(json!({"type":"cancel_transfer","transfer":"TF"}));
        h.err(json!({"type":"ship_transfer","transfer":"TF"}), "TRANSFER_CANCELLED");
        h.err(json!({"type":"receive_transfer","transfer":"TF"}), "TRANSFER_CANCELLED");
    }

    transfer_not_shipped {
        let mut h = draft();
        h.err(json!({"type":"receive_transfer","transfer":"TF"}), "TRANSFER_NOT_SHIPPED");
    }

    transfer_already_received {
        let mut h = draft();
        h.ok(json!({"type":"ship_transfer","transfer":"TF"}));
        h.ok(json!({"type":"receive_transfer","transfer":"TF"}));
        h.err(json!({"type":"receive_transfer","transfer":"TF"}), "TRANSFER_ALREADY_RECEIVED");
    }

    transfer_over_receipt {
        let mut h = draft();
        h.ok(json!({"type":"ship_transfer","transfer":"TF"}));
        // Two entries of one line count together.
        let e = h.err(json!({"type":"receive_transfer","transfer":"TF","lines":[
            {"line":1,"qty":"3"},{"line":1,"qty":"2"}]}), "TRANSFER_OVER_RECEIPT");
        assert_eq!(e, Error::TransferOverReceipt { transfer: "TF".into(), line: 1, requested: d("2"), open: d("1") });
        // Shipping more than the source holds free is refused as usual.
        let mut h = wh();
        h.ok(json!({"type":"create_transfer","transfer":"BIG","from":"RCV","to":"X","transit":"TR",
            "expected_arrival":ds(2),"lines":[{"item":"SKU","qty":"15"},{"item":"SKU","qty":"6"}]}));
        h.err(json!({"type":"ship_transfer","transfer":"BIG"}), "INSUFFICIENT_STOCK");
    }
}
