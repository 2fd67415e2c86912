//! Error scenarios of the planning flow (see tests/errors.rs).

use super::*;

/// The store with supplier ACME selling SKU, a policy for SKU at WH1 that
/// fires today, and a saved plan P1 with its one proposal.
fn planned() -> (H, String) {
    let mut h = H::store();
    h.ok(json!({"type":"define_supplier","supplier":"ACME","currency":"EUR","lead_time_mean_days":"3"}));
    h.ok(json!({"type":"set_supplier_item","supplier":"ACME","item":"SKU","unit_price":"2"}));
    h.ok(json!({"type":"set_policy","item":"SKU","location":"WH1","rule":"min_max","min":"5","max":"20"}));
    h.ok(json!({"type":"create_plan","plan":"P1","horizon_days":1}));
    let id = h.e.saved_plan("P1").unwrap().proposals[0].id.clone();
    (h, id)
}

scenarios! {
    invalid_policy {
        let (mut h, _) = planned();
        for (v, reason) in [
            (json!({"type":"set_policy","item":"SKU","location":"WH1","rule":"s_s","s":"5","S":"5"}), "S must exceed s"),
            (json!({"type":"set_policy","item":"SKU","location":"WH1","rule":"min_max","min":"9","max":"8"}),
                "max must be positive and at least min"),
            (json!({"type":"set_policy","item":"SKU","location":"WH1","rule":"reorder_point","reorder_point":"3",
                "order_qty":"0"}), "order_qty must be positive"),
            (json!({"type":"set_policy","item":"SKU","location":"WH1","rule":"periodic","review_every_days":0,
                "review_from":ds(0),"order_up_to":"9"}), "a review needs every_days ≥ 1 and a non-negative order_up_to"),
        ] {
            let before = h.e.snapshot();
            let e = h.err(v, "INVALID_POLICY");
            assert_eq!(e, Error::InvalidPolicy { item: "SKU".into(), location: "WH1".into(), reason });
            assert!(h.e.snapshot() == before);
        }
    }
    unknown_policy {
        let (mut h, _) = planned();
        let e = h.err(json!({"type":"remove_policy","item":"SKU","location":"S2"}), "UNKNOWN_POLICY");
        assert_eq!(e, Error::UnknownPolicy { item: "SKU".into(), location: "S2".into() });
    }
    unknown_plan {
        let (mut h, id) = planned();
        let e = h.err(json!({"type":"accept_proposal","plan":"P9","proposal":id,"po":"PO1"}), "UNKNOWN_PLAN");
        assert_eq!(e, Error::UnknownPlan { plan: "P9".into() });
        h.err(json!({"type":"discard_plan","plan":"P9"}), "UNKNOWN_PLAN");
    }
    unknown_proposal {
        let (mut h, _) = planned();
        let e = h.err(json!({"type":"accept_proposal","plan":"P1","proposal":"NOPE","po":"PO1"}), "UNKNOWN_PROPOSAL");
        assert_eq!(e, Error::UnknownProposal { plan: "P1".into(), proposal: "NOPE".into() });
    }
    plan_exists {
        let (mut h, _) = planned();
        let e = h.err(json!({"type":"create_plan","plan":"P1","horizon_days":5}), "PLAN_EXISTS");
        assert_eq!(e, Error::PlanExists { plan: "P1".into() });
    }
    proposal_already_accepted {
        let (mut h, id) = planned();
        h.ok(json!({"type":"accept_proposal","plan":"P1","proposal":id,"po":"PO1"}));
        let e = h.err(json!({"type":"accept_proposal","plan":"P1","proposal":id,"po":"PO2"}), "PROPOSAL_ALREADY_ACCEPTED");
        assert_eq!(e, Error::ProposalAlreadyAccepted { plan: "P1".into(), proposal: id.clone(), po: "PO1".into() });
        // A refused acceptance creates no order either.
        assert!(h.e.ops_query_json(r#"{"kind":"purchase_order","po":"PO2"}"#).unwrap().is_null());
    }
    no_demand_history {
        let (mut h, _) = planned();
        let e = h.err(json!({"type":"derive_policy","item":"SKU","location":"WH1","rule":"min_max",
            "cycle_service_level":"0.9"}), "NO_DEMAND_HISTORY");
        assert_eq!(e, Error::NoDemandHistory { item: "SKU".into(), location: "WH1".into(), days: 364 });
    }
}
