//! Error scenarios of the fulfillment and logistics flows (see tests/errors.rs).

#[allow(unused_imports)]
use super::*;

/// SKU: 5 in bin A; order SO1 = 3 SKU (line 1), open.
fn ordered() -> H {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"5"}));
    h.ok(json!({"type":"create_sales_order","order":"SO1","lines":[{"line":"1","item":"SKU","qty":"3"}],
        "requested_ship_date":ds(1),"scope":"WH1","ship_to_zone":"Z1"}));
    h
}

/// `ordered`, allocated, on pick list PL1 (task 1: 3 from A), picked.
fn picked() -> H {
    let mut h = ordered();
    h.ok(json!({"type":"allocate_order","order":"SO1"}));
    h.ok(json!({"type":"create_pick_list","pick_list":"PL1","orders":["SO1"],"staging":"STG"}));
    h.ok(json!({"type":"confirm_pick","pick_list":"PL1","task":1,"picked":"3"}));
    h
}

/// `picked`, packed into P1, a carrier ECO/STD.
fn packed() -> H {
    let mut h = picked();
    h.ok(json!({"type":"pack","package":"P1","order":"SO1","contents":[{"line":"1","qty":"3"}],"weight_kg":"2"}));
    h.ok(json!({"type":"define_carrier","carrier":"ECO","services":[{"service":"STD",
        "rates":[{"zone":"Z1","max_weight_kg":"10","price":"5","transit_days":2}]}]}));
    h
}

/// `packed`, with shipment SH1 of P1 (created).
fn shipment() -> H {
    let mut h = packed();
    h.ok(json!({"type":"create_shipment","shipment":"SH1","order":"SO1","packages":["P1"],"carrier":"ECO",
        "service":"STD","tracking":"T1"}));
    h
}

fn rate(zone: &str, max: &str, price: &str) -> serde_json::Value {
    json!({"zone":zone,"max_weight_kg":max,"price":price,"transit_days":1})
}

scenarios! {
    duplicate_order_line {
        let mut h = ordered();
        let e = h.err(json!({"type":"create_sales_order","order":"SO2","requested_ship_date":ds(1),"scope":"WH1",
            "lines":[{"line":"1","item":"SKU","qty":"1"},{"line":"1","item":"CAN","qty":"1"}]}), "DUPLICATE_ORDER_LINE");
        assert_eq!(e, Error::DuplicateOrderLine { order: "SO2".into(), line: "1".into() });
    }

    empty_fulfillment_list {
        let mut h = packed();
        let e = h.err(json!({"type":"create_sales_order","order":"SO2","requested_ship_date":ds(1),"scope":"WH1",
            "lines":[]}), "EMPTY_FULFILLMENT_LIST");
        assert_eq!(e, Error::EmptyFulfillmentList { field: "lines" });
        h.err(json!({"type":"create_pick_list","pick_list":"PL2","orders":[],"staging":"STG"}), "EMPTY_FULFILLMENT_LIST");
        h.err(json!({"type":"pack","package":"P2","order":"SO1","contents":[]}), "EMPTY_FULFILLMENT_LIST");
        h.err(json!({"type":"ship_order","order":"SO1","packages":[]}), "EMPTY_FULFILLMENT_LIST");
        h.err(json!({"type":"define_carrier","carrier":"X","services":[]}), "EMPTY_FULFILLMENT_LIST");
        h.err(json!({"type":"create_shipment","shipment":"S","packages":[],"carrier":"ECO","service":"STD",
            "tracking":"T"}), "EMPTY_FULFILLMENT_LIST");
    }

    invalid_rate_table {
        let mut h = H::store();
        let e = h.err(json!({"type":"define_carrier","carrier":"C","services":[{"service":"S","rates":[]}]}),
            "INVALID_RATE_TABLE");
        assert_eq!(e, Error::InvalidRateTable { carrier: "C".into(), reason: "service S has no rates".into() });
        h.err(json!({"type":"define_carrier","carrier":"C","services":[{"service":"S","rates":[rate("Z","0","1")]}]}),
            "INVALID_RATE_TABLE");
        h.err(json!({"type":"define_carrier","carrier":"C","services":[{"service":"S","rates":[rate("Z","1","-1")]}]}),
            "INVALID_RATE_TABLE");
        h.err(json!({"type":"define_carrier","carrier":"C","services":[{"service":"S",
            "rates":[rate("Z","1","1"), rate("Z","1.0","2")]}]}), "INVALID_RATE_TABLE");
        let e = h.err(json!({"type":"define_carrier","carrier":"C","services":[{"service":"S","rates":[rate("Z","1","1")]},
            {"service":"S","rates":[rate("Z","2","1")]}]}), "INVALID_RATE_TABLE");
        assert_eq!(e, Error::InvalidRateTable { carrier: "C".into(), reason: "service S is listed twice".into() });
    }

    invalid_weight {
        let mut h = picked();
        let e = h.err(json!({"type":"pack","package":"P1","order":"SO1","contents":[{"line":"1","qty":"1"}],
            "weight_kg":"0"}), "INVALID_WEIGHT");
        assert_eq!(e, Error::InvalidWeight { field: "weight_kg", weight_kg: d("0") });
        let e = h.e.select_carrier(d("-1"), "Z1", day(0), day(1)).unwrap_err();
        record(&e, "INVALID_WEIGHT");
        let e = h.e.ops_query_json(r#"{"kind":"select_carrier","weight_kg":"0","zone":"Z","ship_date":"2026-11-28",
            "promised_date":"2026-11-30"}"#).unwrap_err();
        record(&e, "INVALID_WEIGHT");
    }

    duplicate_entry {
        let mut h = packed();
        let e = h.err(json!({"type":"create_pick_list","pick_list":"PL2","orders":["SO1","SO1"],"staging":"STG"}),
            "DUPLICATE_ENTRY");
        assert_eq!(e, Error::DuplicateEntry { field: "orders", code: "SO1".into() });
        h.err(json!({"type":"pack","package":"P2","order":"SO1","contents":[{"line":"1","qty":"1"},
            {"line":"1","qty":"1"}]}), "DUPLICATE_ENTRY");
        h.err(json!({"type":"ship_order","order":"SO1","packages":["P1","P1"]}), "DUPLICATE_ENTRY");
        h.err(json!({"type":"create_shipment","shipment":"S","packages":["P1","P1"],"carrier":"ECO","service":"STD",
            "tracking":"T"}), "DUPLICATE_ENTRY");
    }

    unknown_sales_order {
        let mut h = packed();
        let e = h.err(json!({"type":"allocate_order","order":"NOPE"}), "UNKNOWN_SALES_ORDER");
        assert_eq!(e, Error::UnknownSalesOrder { order: "NOPE".into() });
        h.err(json!({"type":"create_pick_list","pick_list":"PL2","orders":["NOPE"],"staging":"STG"}), "UNKNOWN_SALES_ORDER");
        h.err(json!({"type":"pack","package":"P2","order":"NOPE","contents":[{"line":"1","qty":"1"}]}), "UNKNOWN_SALES_ORDER");
        h.err(json!({"type":"ship_order","order":"NOPE","packages":["P1"]}), "UNKNOWN_SALES_ORDER");
        h.err(json!({"type":"cancel_order","order":"NOPE"}), "UNKNOWN_SALES_ORDER");
        h.err(json!({"type":"close_order","order":"NOPE"}), "UNKNOWN_SALES_ORDER");
        h.err(json!({"type":"create_shipment","shipment":"S","order":"NOPE","packages":["P1"],"carrier":"ECO",
            "service":"STD","tracking":"T"}), "UNKNOWN_SALES_ORDER");
    }

    unknown_order_line {
        let mut h = picked();
        let e = h.err(json!({"type":"pack","package":"P1","order":"SO1","contents":[{"line":"9","qty":"1"}]}),
            "UNKNOWN_ORDER_LINE");
        assert_eq!(e, Error::UnknownOrderLine { order: "SO1".into(), line: "9".into() });
    }

    unknown_pick_list {
        let mut h = picked();
        let e = h.err(json!({"type":"confirm_pick","pick_list":"NOPE","task":1,"picked":"1"}), "UNKNOWN_PICK_LIST");
        assert_eq!(e, Error::UnknownPickList { pick_list: "NOPE".into() });
    }

    unknown_pick_task {
        let mut h = picked();
        let e = h.err(json!({"type":"confirm_pick","pick_list":"PL1","task":7,"picked":"1"}), "UNKNOWN_PICK_TASK");
        assert_eq!(e, Error::UnknownPickTask { pick_list: "PL1".into(), task: 7 });
    }

    unknown_package {
        let mut h = packed();
        let e = h.err(json!({"type":"ship_order","order":"SO1","packages":["NOPE"]}), "UNKNOWN_PACKAGE");
        assert_eq!(e, Error::UnknownPackage { package: "NOPE".into() });
        h.err(json!({"type":"create_shipment","shipment":"S","packages":["NOPE"],"carrier":"ECO","service":"STD",
            "tracking":"T"}), "UNKNOWN_PACKAGE");
    }

    unknown_carrier {
        let mut h = packed();
        let e = h.err(json!({"type":"create_shipment","shipment":"S","packages":["P1"],"carrier":"NOPE","service":"STD",
            "tracking":"T"}), "UNKNOWN_CARRIER");
        assert_eq!(e, Error::UnknownCarrier { carrier: "NOPE".into() });
    }

    unknown_carrier_service {
        let mut h = packed();
        let e = h.err(json!({"type":"create_shipment","shipment":"S","packages":["P1"],"carrier":"ECO","service":"AIR",
            "tracking":"T"}), "UNKNOWN_CARRIER_SERVICE");
        assert_eq!(e, Error::UnknownCarrierService { carrier: "ECO".into(), service: "AIR".into() });
    }

    unknown_shipment {
        let mut h = shipment();
        for ty in ["pick_up_shipment", "mark_shipment_in_transit", "deliver_shipment"] {
            let e = h.err(json!({"type":ty,"shipment":"NOPE"}), "UNKNOWN_SHIPMENT");
            assert_eq!(e, Error::UnknownShipment { shipment: "NOPE".into() });
        }
        h.err(json!({"type":"report_shipment_exception","shipment":"NOPE","reason":"lost"}), "UNKNOWN_SHIPMENT");
    }

    sales_order_id_conflict {
        let mut h = ordered();
        let e = h.err(json!({"type":"create_sales_order","order":"SO1","lines":[{"line":"1","item":"SKU","qty":"1"}],
            "requested_ship_date":ds(1),"scope":"WH1"}), "SALES_ORDER_ID_CONFLICT");
        assert_eq!(e, Error::SalesOrderIdConflict { order: "SO1".into() });
    }

    order_not_allocatable {
        let mut h = ordered();
        h.ok(json!({"type":"allocate_order","order":"SO1"}));
        let e = h.err(json!({"type":"allocate_order","order":"SO1"}), "ORDER_NOT_ALLOCATABLE");
        assert_eq!(e, Error::OrderNotAllocatable { order: "SO1".into(), status: "allocated" });
    }

    order_not_pickable {
        let mut h = ordered();
        let e = h.err(json!({"type":"create_pick_list","pick_list":"PL1","orders":["SO1"],"staging":"STG"}),
            "ORDER_NOT_PICKABLE");
        assert_eq!(e, Error::OrderNotPickable { order: "SO1".into(), status: "open" });
        h.ok(json!({"type":"cancel_order","order":"SO1"}));
        h.err(json!({"type":"create_pick_list","pick_list":"PL1","orders":["SO1"],"staging":"STG"}), "ORDER_NOT_PICKABLE");
    }

    nothing_to_pick {
        let mut h = picked();
        // Everything the order holds is in staging already.
        let e = h.err(json!({"type":"create_pick_list","pick_list":"PL2","orders":["SO1"],"staging":"STG"}),
            "NOTHING_TO_PICK");
        assert_eq!(e, Error::NothingToPick { pick_list: "PL2".into() });
    }

    pick_list_id_conflict {
        let mut h = ordered();
        h.ok(json!({"type":"allocate_order","order":"SO1"}));
        h.ok(json!({"type":"create_pick_list","pick_list":"PL1","orders":["SO1"],"staging":"STG"}));
        let e = h.err(json!({"type":"create_pick_list","pick_list":"PL1","orders":["SO1"],"staging":"STG"}),
            "PICK_LIST_ID_CONFLICT");
        assert_eq!(e, Error::PickListIdConflict { pick_list: "PL1".into() });
        // Unknown references come first; a non-staging location is the wrong kind.
        h.err(json!({"type":"create_pick_list","pick_list":"PL1","orders":["SO1"],"staging":"NOPE"}), "UNKNOWN_LOCATION");
        h.err(json!({"type":"create_pick_list","pick_list":"PL2","orders":["SO1"],"staging":"B"}), "WRONG_LOCATION_KIND");
    }

    pick_task_already_confirmed {
        let mut h = picked();
        let e = h.err(json!({"type":"confirm_pick","pick_list":"PL1","task":1,"picked":"3"}), "PICK_TASK_ALREADY_CONFIRMED");
        assert_eq!(e, Error::PickTaskAlreadyConfirmed { pick_list: "PL1".into(), task: 1 });
    }

    over_pick {
        let mut h = ordered();
        h.ok(json!({"type":"allocate_order","order":"SO1"}));
        h.ok(json!({"type":"create_pick_list","pick_list":"PL1","orders":["SO1"],"staging":"STG"}));
        let e = h.err(json!({"type":"confirm_pick","pick_list":"PL1","task":1,"picked":"4"}), "OVER_PICK");
        assert_eq!(e, Error::OverPick { pick_list: "PL1".into(), task: 1, qty: d("3"), picked: d("4") });
        h.err(json!({"type":"confirm_pick","pick_list":"PL1","task":1,"picked":"-1"}), "INVALID_QUANTITY");
    }

    pick_task_stale {
        let mut h = ordered();
        h.ok(json!({"type":"allocate_order","order":"SO1"}));
        h.ok(json!({"type":"create_pick_list","pick_list":"PL1","orders":["SO1"],"staging":"STG"}));
        h.ok(json!({"type":"cancel_order","order":"SO1"}));
        let e = h.err(json!({"type":"confirm_pick","pick_list":"PL1","task":1,"picked":"3"}), "PICK_TASK_STALE");
        assert_eq!(e, Error::PickTaskStale { pick_list: "PL1".into(), task: 1, reservation: "SO1/1".into() });
    }

    order_not_packable {
        let mut h = ordered();
        h.ok(json!({"type":"allocate_order","order":"SO1"}));
        let e = h.err(json!({"type":"pack","package":"P1","order":"SO1","contents":[{"line":"1","qty":"1"}]}),
            "ORDER_NOT_PACKABLE");
        assert_eq!(e, Error::OrderNotPackable { order: "SO1".into(), status: "allocated" });
    }

    package_id_conflict {
        let mut h = packed();
        let e = h.err(json!({"type":"pack","package":"P1","order":"SO1","contents":[{"line":"1","qty":"1"}]}),
            "PACKAGE_ID_CONFLICT");
        assert_eq!(e, Error::PackageIdConflict { package: "P1".into() });
    }

    over_pack {
        let mut h = picked();
        h.ok(json!({"type":"pack","package":"P1","order":"SO1","contents":[{"line":"1","qty":"2"}]}));
        let e = h.err(json!({"type":"pack","package":"P2","order":"SO1","contents":[{"line":"1","qty":"2"}]}), "OVER_PACK");
        assert_eq!(e, Error::OverPack { order: "SO1".into(), line: "1".into(), requested: d("2"), available: d("1") });
    }

    order_not_shippable {
        let mut h = packed();
        h.ok(json!({"type":"cancel_order","order":"SO1"}));
        let e = h.err(json!({"type":"ship_order","order":"SO1","packages":["P1"]}), "ORDER_NOT_SHIPPABLE");
        assert_eq!(e, Error::OrderNotShippable { order: "SO1".into(), status: "cancelled" });
    }

    package_not_in_order {
        let mut h = packed();
        h.ok(json!({"type":"receive","item":"SKU","location":"B","qty":"1"}));
        h.ok(json!({"type":"create_sales_order","order":"SO2","lines":[{"line":"1","item":"SKU","qty":"1"}],
            "requested_ship_date":ds(1),"scope":"WH1"}));
        h.ok(json!({"type":"allocate_order","order":"SO2"}));
        h.ok(json!({"type":"create_pick_list","pick_list":"PL2","orders":["SO2"],"staging":"STG"}));
        let e = h.err(json!({"type":"ship_order","order":"SO2","packages":["P1"]}), "PACKAGE_NOT_IN_ORDER");
        assert_eq!(e, Error::PackageNotInOrder { package: "P1".into(), order: "SO2".into(), belongs_to: "SO1".into() });
        h.err(json!({"type":"create_shipment","shipment":"S","order":"SO2","packages":["P1"],"carrier":"ECO",
            "service":"STD","tracking":"T"}), "PACKAGE_NOT_IN_ORDER");
    }

    package_already_shipped {
        let mut h = picked();
        h.ok(json!({"type":"pack","package":"P1","order":"SO1","contents":[{"line":"1","qty":"2"}]}));
        h.ok(json!({"type":"pack","package":"P2","order":"SO1","contents":[{"line":"1","qty":"1"}]}));
        h.ok(json!({"type":"ship_order","order":"SO1","packages":["P1"]}));
        let e = h.err(json!({"type":"ship_order","order":"SO1","packages":["P1"]}), "PACKAGE_ALREADY_SHIPPED");
        assert_eq!(e, Error::PackageAlreadyShipped { package: "P1".into() });
    }

    order_not_cancellable {
        let mut h = packed();
        h.ok(json!({"type":"ship_order","order":"SO1","packages":["P1"]}));
        let e = h.err(json!({"type":"cancel_order","order":"SO1"}), "ORDER_NOT_CANCELLABLE");
        assert_eq!(e, Error::OrderNotCancellable { order: "SO1".into(), status: "shipped" });
    }

    order_not_closable {
        let mut h = packed();
        let e = h.err(json!({"type":"close_order","order":"SO1"}), "ORDER_NOT_CLOSABLE");
        assert_eq!(e, Error::OrderNotClosable { order: "SO1".into(), status: "packed" });
    }

    shipment_id_conflict {
        let mut h = shipment();
        let e = h.err(json!({"type":"create_shipment","shipment":"SH1","packages":["P1"],"carrier":"ECO",
            "service":"STD","tracking":"T2"}), "SHIPMENT_ID_CONFLICT");
        assert_eq!(e, Error::ShipmentIdConflict { shipment: "SH1".into() });
    }

    package_in_other_shipment {
        let mut h = shipment();
        let e = h.err(json!({"type":"create_shipment","shipment":"SH2","packages":["P1"],"carrier":"ECO",
            "service":"STD","tracking":"T2"}), "PACKAGE_IN_OTHER_SHIPMENT");
        assert_eq!(e, Error::PackageInOtherShipment { package: "P1".into(), shipment: "SH1".into() });
    }

    shipment_not_awaiting_pickup {
        let mut h = shipment();
        h.ok(json!({"type":"pick_up_shipment","shipment":"SH1"}));
        let e = h.err(json!({"type":"pick_up_shipment","shipment":"SH1"}), "SHIPMENT_NOT_AWAITING_PICKUP");
        assert_eq!(e, Error::ShipmentNotAwaitingPickup { shipment: "SH1".into(), status: "picked_up" });
    }

    shipment_cannot_go_in_transit {
        let mut h = shipment();
        let e = h.err(json!({"type":"mark_shipment_in_transit","shipment":"SH1"}), "SHIPMENT_CANNOT_GO_IN_TRANSIT");
        assert_eq!(e, Error::ShipmentCannotGoInTransit { shipment: "SH1".into(), status: "created" });
    }

    shipment_not_deliverable {
        let mut h = shipment();
        h.ok(json!({"type":"pick_up_shipment","shipment":"SH1"}));
        let e = h.err(json!({"type":"deliver_shipment","shipment":"SH1"}), "SHIPMENT_NOT_DELIVERABLE");
        assert_eq!(e, Error::ShipmentNotDeliverable { shipment: "SH1".into(), status: "picked_up" });
    }

    shipment_exception_not_allowed {
        let mut h = shipment();
        let e = h.err(json!({"type":"report_shipment_exception","shipment":"SH1","reason":"damaged"}),
            "SHIPMENT_EXCEPTION_NOT_ALLOWED");
        assert_eq!(e, Error::ShipmentExceptionNotAllowed { shipment: "SH1".into(), status: "created" });
    }
}
