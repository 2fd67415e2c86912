//! Availability by date: scheduled receipts, inbound stock, dated demand,
//! lots leaving supply, ATP(t) = max(0, min over τ ≥ t of P(τ)),
//! `earliest_date`, `ship_complete_date`, and explanations whose counted
//! contributions sum exactly to the answer.

#![allow(clippy::unwrap_used)] // a test that unwraps wrongly fails, which is the point

mod common;

use common::*;
use ims_core::qty::wide_to_decimal;
use ims_core::{AtpOptions, CartLine, ContributionKind, Date, Scope};
use rust_decimal::Decimal;
use serde_json::json;

/// SKU: 4 on hand in A; PO1 (10) expected on day 5, counted on day 6 (S1
/// has one inbound day); a promise of 12 needed on day 3.
fn planned() -> H {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"4"}));
    h.ok(json!({"type":"expect_receipt","receipt":"PO1","item":"SKU","location":"A","qty":"10","expected":ds(5)}));
    h.ok(json!({"type":"promise","reservation":"P","item":"SKU","qty":"12","scope":"WH1","need_date":ds(3)}));
    h
}

fn atp(h: &H, item: &str, scope: &str, date: Option<Date>, o: &AtpOptions) -> Decimal {
    h.e.atp(item, &sub(scope), date, o, false).expect("atp").qty
}

/// Asserts that the counted contributions of an explained answer sum to it.
fn explained(h: &H, item: &str, scope: &Scope, date: Option<Date>, o: &AtpOptions) -> Vec<ims_core::Contribution> {
    let a = h.e.atp(item, scope, date, o, true).expect("atp");
    let sum: Decimal = a.contributions.iter().filter(|c| c.counted).map(|c| c.qty).sum();
    assert_eq!(sum, a.qty, "counted contributions must sum to the answer on {}: {:#?}", a.date, a.contributions);
    assert_eq!(h.e.atp(item, scope, date, o, false).unwrap().qty, a.qty, "explaining must not change the answer");
    let id = h.e.resolve_item(item).unwrap();
    let by_ids = h.e.atp_minor(id, &h.e.resolve_scope(scope).unwrap(), date, o).unwrap();
    assert_eq!(wide_to_decimal(by_ids, h.e.item_of(id).unwrap().1), a.qty, "by ids, the same answer");
    a.contributions
}

#[test]
fn ids_name_their_item_and_the_by_id_question_keeps_the_limits() {
    let h = planned();
    let id = h.e.resolve_item("SKU").unwrap();
    assert_eq!(h.e.item_of(id).map(|(c, s)| (&**c, s)), Some(("SKU", 0)));
    // An id this engine never gave: no item (the by-id queries would index
    // out of bounds; a holder of ids checks here first).
    assert_eq!(h.e.item_of(ims_core::ids::ItemId(u32::MAX)), None);
    // Reading ahead is safe on such an id too, and changes nothing.
    let before = h.e.state_digest();
    h.e.prefetch([id, ims_core::ids::ItemId(u32::MAX)]);
    assert_eq!(h.e.state_digest(), before);
    let scope = h.e.resolve_scope(&sub("WH1")).unwrap();
    let far = AtpOptions { horizon_days: ims_core::availability::MAX_ATP_HORIZON_DAYS + 1, ..opts() };
    let err = h.e.atp_minor(id, &scope, None, &far).unwrap_err();
    assert_eq!(err.name(), "LIMIT_EXCEEDED");
    // Before today is today, as by code.
    assert_eq!(h.e.atp_minor(id, &scope, Some(day(-9)), &opts()).unwrap(), 0);
    assert_eq!(h.e.atp_minor(id, &scope, Some(day(6)), &opts()).unwrap(), 2);
}

#[test]
fn an_item_key_proves_its_id_until_the_item_is_redefined() {
    use ims_core::ids::ItemId;
    let mut h = planned();
    let id = h.e.resolve_item("SKU").unwrap();
    let key = h.e.item_key(id).unwrap();
    assert_eq!((&**key.code(), key.scale()), ("SKU", 0));
    assert!(h.e.is_item(id, &key));
    assert!(h.e.item_key(ItemId(u32::MAX)).is_none());
    assert!(!h.e.is_item(ItemId(u32::MAX), &key));
    // Another id of this engine, the same id of another engine: not it.
    assert!(!h.e.is_item(h.e.resolve_item("MILK").unwrap(), &key));
    assert!(!H::store().e.is_item(id, &key), "an engine that defined SKU itself");
    // Stock moving leaves the definition alone; redefining it does not.
    h.ok(json!({"type":"receive","item":"SKU","location":"B","qty":"1"}));
    assert!(h.e.is_item(id, &key));
    h.ok(json!({"type":"define_item","item":"SKU","min_remaining_shelf_life_days":3}));
    assert!(!h.e.is_item(id, &key));
    assert!(h.e.is_item(id, &h.e.item_key(id).unwrap()));
}

#[test]
fn an_items_version_holds_while_no_definition_changes_even_across_clones() {
    let mut h = planned();
    let v = h.e.items_version();
    assert!(h.e.items_unchanged(&v));
    // Stock and promises change no definition.
    h.ok(json!({"type":"receive","item":"SKU","location":"B","qty":"1"}));
    assert!(h.e.items_unchanged(&v));
    // A fork has the same definitions, until either side changes its own.
    let mut twin = h.e.fork();
    assert!(twin.items_unchanged(&v));
    h.ok(json!({"type":"define_item","item":"NEW"}));
    assert!(!h.e.items_unchanged(&v), "a definition added");
    assert!(twin.items_unchanged(&v), "the clone did not change");
    twin.execute(&h.c(json!({"type":"define_item","item":"OTHER"}))).unwrap();
    assert!(!twin.items_unchanged(&v), "the clone's own definition");
    // Both added an item at the same id, so their versions must differ.
    assert_eq!(twin.resolve_item("OTHER").unwrap(), h.e.resolve_item("NEW").unwrap());
    assert!(!twin.items_unchanged(&h.e.items_version()));
    // A batch refused whole undoes its definition: the version taken
    // before it holds no more, as the items changed and changed back.
    let w = h.e.items_version();
    let bad = [
        h.c(json!({"type":"define_item","item":"GONE"})),
        h.c(json!({"type":"receive","item":"NOPE","location":"B","qty":"1"})),
    ];
    assert!(h.e.execute_batch(&bad, ims_core::BatchMode::Atomic).is_err());
    assert!(h.e.resolve_item("GONE").is_err());
    assert!(!h.e.items_unchanged(&w));
    h.ok(json!({"type":"define_item","item":"SKU","min_remaining_shelf_life_days":3}));
    assert!(!h.e.items_unchanged(&w));
    // An engine that defined the same items itself: another version.
    assert!(!H::store().e.items_unchanged(&v));
}

#[test]
fn atp_is_the_minimum_of_later_projections_floored_at_zero() {
    let h = planned();
    let t = h.e.atp_timeline("SKU", &sub("WH1"), &opts()).unwrap();
    let got: Vec<_> = t.iter().map(|p| (p.date, p.projected.to_string(), p.atp.to_string())).collect();
    assert_eq!(
        got,
        vec![(day(0), "4".into(), "0".into()), (day(3), "-8".into(), "0".into()), (day(6), "2".into(), "2".into())]
    );
    assert_eq!(atp(&h, "SKU", "WH1", None, &opts()), d("0"));
    assert_eq!(atp(&h, "SKU", "WH1", Some(day(5)), &opts()), d("0"));
    assert_eq!(atp(&h, "SKU", "WH1", Some(day(6)), &opts()), d("2"));
    assert_eq!(atp(&h, "SKU", "WH1", Some(day(60)), &opts()), d("2"));
    // A date before today is today.
    assert_eq!(h.e.atp("SKU", &sub("WH1"), Some(day(-9)), &opts(), false).unwrap().date, day(0));
    // Availability now knows nothing of tomorrow.
    assert_eq!(h.free("SKU", "WH1"), "4");
}

#[test]
fn earliest_date_is_the_first_date_atp_covers_the_quantity() {
    let h = planned();
    let e = |q: &str| h.e.earliest_date("SKU", &sub("WH1"), d(q), &opts()).unwrap();
    assert_eq!(e("1"), Some(day(6)));
    assert_eq!(e("2"), Some(day(6)));
    assert_eq!(e("3"), None);
}

#[test]
fn explanations_sum_exactly_on_every_date() {
    let h = planned();
    for n in 0..9 {
        explained(&h, "SKU", &sub("WH1"), Some(day(n)), &opts());
    }
    let c = explained(&h, "SKU", &sub("WH1"), None, &opts());
    let counted: Vec<_> = c.iter().filter(|c| c.counted).map(|c| (c.kind, c.qty.to_string())).collect();
    assert_eq!(
        counted,
        vec![
            (ContributionKind::OnHand, "4".into()),
            (ContributionKind::LookAhead, "-12".into()),
            (ContributionKind::Floor, "8".into())
        ]
    );
    let later: Vec<_> = c.iter().filter(|c| !c.counted).map(|c| (c.kind, c.reason)).collect();
    assert_eq!(
        later,
        vec![
            (ContributionKind::Demand, Some("after the date asked")),
            (ContributionKind::Receipt, Some("after the date asked"))
        ]
    );
    let on6 = explained(&h, "SKU", &sub("WH1"), Some(day(6)), &opts());
    let receipt = on6.iter().find(|c| c.kind == ContributionKind::Receipt).unwrap();
    assert_eq!((receipt.counted, receipt.date, receipt.reference.as_deref()), (true, day(6), Some("PO1")));
}

#[test]
fn receipts_against_a_scheduled_receipt_reduce_what_is_still_expected() {
    let mut h = planned();
    let o = h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"6","receipt":"PO1"}));
    assert_eq!(of_type(&o, "receipt_open_changed")[0]["open"], json!(4));
    // The promise took the stock now on hand; 2 still wait for day 3.
    assert_eq!((h.res("P").allocated, h.res("P").open_demand), (d("10"), d("2")));
    let t = h.e.atp_timeline("SKU", &sub("WH1"), &opts()).unwrap();
    let got: Vec<_> = t.iter().map(|p| (p.date, p.projected.to_string(), p.atp.to_string())).collect();
    assert_eq!(
        got,
        vec![(day(0), "0".into(), "0".into()), (day(3), "-2".into(), "0".into()), (day(6), "2".into(), "2".into())]
    );
    // An over-delivery closes the receipt; a cancelled receipt is no supply.
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"9","receipt":"PO1"}));
    assert!(h
        .e
        .atp("SKU", &sub("WH1"), Some(day(6)), &opts(), true)
        .unwrap()
        .contributions
        .iter()
        .all(|c| c.kind != ContributionKind::Receipt));
    h.ok(json!({"type":"expect_receipt","receipt":"PO2","item":"SKU","location":"A","qty":"5","expected":ds(8)}));
    assert_eq!(atp(&h, "SKU", "WH1", Some(day(9)), &opts()), d("12"));
    let o = h.ok(json!({"type":"cancel_receipt","receipt":"PO2"}));
    assert_eq!(of_type(&o, "receipt_open_changed")[0]["open"], json!(0));
    assert_eq!(atp(&h, "SKU", "WH1", Some(day(9)), &opts()), d("7"));
}

#[test]
fn past_due_receipts_count_only_when_asked() {
    let mut h = H::store();
    h.ok(json!({"type":"expect_receipt","receipt":"PO0","item":"SKU","location":"A","qty":"5","expected":ds(-4)}));
    assert_eq!(atp(&h, "SKU", "WH1", None, &opts()), d("0"));
    let c = explained(&h, "SKU", &sub("WH1"), None, &opts());
    assert_eq!((c[0].kind, c[0].counted, c[0].reason), (ContributionKind::Excluded, false, Some("past due")));
    let late = AtpOptions { include_past_due: true, ..opts() };
    assert_eq!(atp(&h, "SKU", "WH1", None, &late), d("5"));
    explained(&h, "SKU", &sub("WH1"), None, &late);
}

#[test]
fn the_horizon_bounds_what_is_seen() {
    let mut h = H::store();
    h.ok(json!({"type":"expect_receipt","receipt":"PO","item":"SKU","location":"A","qty":"5","expected":ds(400)}));
    assert_eq!(h.e.earliest_date("SKU", &sub("WH1"), d("5"), &opts()).unwrap(), None);
    let far = AtpOptions { horizon_days: 500, ..opts() };
    assert_eq!(h.e.earliest_date("SKU", &sub("WH1"), d("5"), &far).unwrap(), Some(day(401)));
    let c = explained(&h, "SKU", &sub("WH1"), None, &opts());
    assert_eq!(c[0].reason, Some("beyond horizon"));
}

#[test]
fn inbound_stock_counts_after_processing() {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"SKU","location":"RCV","qty":"5"}));
    let a = h.avail("SKU", "WH1");
    assert_eq!((a.on_hand, a.sellable, a.available), (d("5"), d("0"), d("0")));
    assert_eq!(atp(&h, "SKU", "WH1", None, &opts()), d("0"));
    assert_eq!(atp(&h, "SKU", "WH1", Some(day(1)), &opts()), d("5"));
    let c = explained(&h, "SKU", &sub("WH1"), Some(day(1)), &opts());
    assert_eq!((c[0].kind, c[0].date), (ContributionKind::Inbound, day(1)));
}

#[test]
fn reserved_stock_and_unsellable_stock_are_explained() {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"5"}));
    h.ok(json!({"type":"receive","item":"SKU","location":"STG","qty":"2"}));
    h.ok(json!({"type":"reserve","reservation":"R","item":"SKU","qty":"3","scope":"WH1"}));
    assert_eq!(atp(&h, "SKU", "WH1", None, &opts()), d("2"));
    let c = explained(&h, "SKU", &sub("WH1"), None, &opts());
    let rows: Vec<_> = c.iter().map(|c| (c.kind, c.qty.to_string(), c.counted, c.reason)).collect();
    assert_eq!(
        rows,
        vec![
            (ContributionKind::OnHand, "5".into(), true, None),
            (ContributionKind::Reserved, "-3".into(), true, None),
            (ContributionKind::Excluded, "2".into(), false, Some("location not sellable")),
        ]
    );
}

#[test]
fn a_held_lot_is_excluded_with_its_reason() {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"MILK","location":"A","qty":"5","lot":"L1","expiry":ds(30)}));
    h.ok(json!({"type":"set_lot_status","item":"MILK","lot":"L1","status":"on_hold"}));
    let c = explained(&h, "MILK", &sub("WH1"), None, &opts());
    assert_eq!(
        (c[0].kind, c[0].reason, c[0].lot.as_deref()),
        (ContributionKind::Excluded, Some("lot not available"), Some("L1"))
    );
}

#[test]
fn perishable_stock_on_hand_is_promisable_until_it_leaves() {
    // 3 units of milk that expire on day 4 and no other supply or demand:
    // they can be promised today (and until day 4), not after.
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"MILK","location":"A","qty":"3","lot":"L1","expiry":ds(4)}));
    assert_eq!(h.free("MILK", "WH1"), "3");
    assert_eq!(atp(&h, "MILK", "WH1", None, &opts()), d("3"), "ATP today of milk on the shelf");
    assert_eq!(atp(&h, "MILK", "WH1", Some(day(4)), &opts()), d("3"));
    assert_eq!(atp(&h, "MILK", "WH1", Some(day(5)), &opts()), d("0"));
    assert_eq!(h.e.earliest_date("MILK", &sub("WH1"), d("3"), &opts()).unwrap(), Some(day(0)));
    explained(&h, "MILK", &sub("WH1"), None, &opts());
}

#[test]
fn a_lot_consumed_by_demand_before_it_leaves_is_not_lost_twice() {
    // 4 units expiring on day 4 serve a promise of 4 needed on day 2; 10 more
    // arrive on day 6 (counted day 7). Nothing is left to expire, so all 10
    // are promisable from day 7.
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"MILK","location":"A","qty":"4","lot":"L1","expiry":ds(4)}));
    h.ok(json!({"type":"promise","reservation":"P","item":"MILK","qty":"4","scope":"WH1","need_date":ds(2)}));
    h.ok(json!({"type":"expect_receipt","receipt":"PO","item":"MILK","location":"A","qty":"10","expected":ds(6)}));
    assert_eq!(atp(&h, "MILK", "WH1", Some(day(7)), &opts()), d("10"));
    explained(&h, "MILK", &sub("WH1"), Some(day(7)), &opts());
}

#[test]
fn a_lot_leaves_supply_when_its_remaining_life_falls_below_the_requirement() {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"MILK","location":"A","qty":"3","lot":"L1","expiry":ds(4)}));
    let t = h.e.atp_timeline("MILK", &sub("WH1"), &opts()).unwrap();
    let p: Vec<_> = t.iter().map(|p| (p.date, p.projected.to_string())).collect();
    assert_eq!(p, vec![(day(0), "3".into()), (day(5), "0".into())]);
    let two = AtpOptions { min_shelf_life_days: 2, ..opts() };
    let t = h.e.atp_timeline("MILK", &sub("WH1"), &two).unwrap();
    let p: Vec<_> = t.iter().map(|p| (p.date, p.projected.to_string())).collect();
    assert_eq!(p, vec![(day(0), "3".into()), (day(3), "0".into())]);
    let five = AtpOptions { min_shelf_life_days: 5, ..opts() };
    assert_eq!(atp(&h, "MILK", "WH1", None, &five), d("0"));
    let c = explained(&h, "MILK", &sub("WH1"), None, &five);
    assert_eq!(c[0].reason, Some("shelf life"));
}

#[test]
fn ship_complete_date_is_when_every_line_can_ship() {
    let mut h = planned();
    h.ok(json!({"type":"receive","item":"CAN","location":"B","qty":"2"}));
    let line = |item: &str, q: &str| CartLine { item: item.into(), scope: sub("WH1"), qty: d(q) };
    assert_eq!(h.e.ship_complete_date(&[line("CAN", "2")], &opts()).unwrap(), Some(day(0)));
    assert_eq!(h.e.ship_complete_date(&[line("CAN", "2"), line("SKU", "2")], &opts()).unwrap(), Some(day(6)));
    // Lines of one item and scope add up: 2 + 1 is more than ever becomes free.
    assert_eq!(h.e.ship_complete_date(&[line("SKU", "2"), line("SKU", "1")], &opts()).unwrap(), None);
    assert_eq!(h.e.ship_complete_date(&[line("CAN", "3")], &opts()).unwrap(), None);
    assert_eq!(h.e.ship_complete_date(&[line("NOPE", "1")], &opts()).unwrap_err().name(), "UNKNOWN_ITEM");
}

#[test]
fn today_is_the_date_at_the_scope_site() {
    let mut h = H::new();
    h.ok(json!({"type":"define_location","location":"NYC","kind":"site","utc_offset_minutes":-300}));
    h.ok(json!({"type":"define_location","location":"NYC/A","kind":"storage","parent":"NYC"}));
    h.ok(json!({"type":"define_item","item":"SKU"}));
    h.at(T0 + 2 * HOUR);
    h.ok(json!({"type":"receive","item":"SKU","location":"NYC/A","qty":"1"}));
    // 02:00 UTC on day 0 is still day -1 in New York.
    let a = h.e.atp("SKU", &sub("NYC"), None, &opts(), false).unwrap();
    assert_eq!(a.date, day(-1));
    assert_eq!(h.e.atp("SKU", &Scope::All, None, &opts(), false).unwrap().date, day(0));
}

#[test]
fn atp_never_decreases_along_the_timeline_and_matches_its_definition() {
    let mut h = planned();
    h.ok(json!({"type":"expect_receipt","receipt":"PO3","item":"SKU","location":"A","qty":"3","expected":ds(1)}));
    h.ok(json!({"type":"promise","reservation":"P2","item":"SKU","qty":"4","scope":"WH1","need_date":ds(8)}));
    h.ok(json!({"type":"receive","item":"SKU","location":"RCV","qty":"2"}));
    let t = h.e.atp_timeline("SKU", &sub("WH1"), &opts()).unwrap();
    for (i, p) in t.iter().enumerate() {
        let min_later = t[i..].iter().map(|q| q.projected).min().unwrap();
        assert_eq!(p.atp, min_later.max(Decimal::ZERO), "on {}", p.date);
        assert_eq!(atp(&h, "SKU", "WH1", Some(p.date), &opts()), p.atp);
        explained(&h, "SKU", &sub("WH1"), Some(p.date), &opts());
    }
    assert!(t.windows(2).all(|w| w[0].atp <= w[1].atp));
}

/// `*` is answered from the item's kept totals; a list of both sites from
/// its buckets. The two agree as stock, flags and undone batches change.
#[test]
fn the_kept_totals_follow_stock_flags_and_undone_batches() {
    let mut h = H::store();
    let both = Scope::List(vec!["S1".into(), "S2".into()]);
    let same = |h: &H, item: &str| {
        let kept = h.e.availability(item, &Scope::All).unwrap();
        assert_eq!(kept, h.e.availability(item, &both).unwrap(), "{item}: totals and buckets");
        assert_eq!(h.e.verify(), Ok(()));
        kept.available.to_string()
    };
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"5"}));
    h.ok(json!({"type":"receive","item":"SKU","location":"X","qty":"3"}));
    // Lot-tracked without a shelf life: its lots carry no expiry.
    h.ok(json!({"type":"define_item","item":"BEAN","tracking":"lot"}));
    h.ok(json!({"type":"receive","item":"BEAN","location":"B","qty":"4","lot":"L1"}));
    h.ok(json!({"type":"reserve","reservation":"R","item":"SKU","qty":"2","scope":"*"}));
    assert_eq!((same(&h, "SKU"), same(&h, "BEAN")), ("6".into(), "4".into()));
    // A location made unsellable, a lot put on hold: both leave the totals.
    h.ok(json!({"type":"define_location","location":"X","kind":"storage","parent":"S2","sellable":false}));
    h.ok(json!({"type":"set_lot_status","item":"BEAN","lot":"L1","status":"on_hold"}));
    // (R holds 2 of X's 3: the 1 left there is not for sale now.)
    assert_eq!((same(&h, "SKU"), same(&h, "BEAN")), ("5".into(), "0".into()));
    // Both flags turned back inside a batch that fails: undone, and the
    // totals with them.
    let bad = [
        h.c(json!({"type":"define_location","location":"X","kind":"storage","parent":"S2"})),
        h.c(json!({"type":"set_lot_status","item":"BEAN","lot":"L1","status":"available"})),
        h.c(json!({"type":"receive","item":"NOPE","location":"A","qty":"1"})),
    ];
    assert!(h.e.execute_batch(&bad, ims_core::BatchMode::Atomic).is_err());
    assert_eq!((same(&h, "SKU"), same(&h, "BEAN")), ("5".into(), "0".into()));
    // The lot alone (undoing a location retakes every item's totals).
    assert!(h.e.execute_batch(&bad[1..], ims_core::BatchMode::Atomic).is_err());
    assert_eq!(same(&h, "BEAN"), "0");
    // A lot with an expiry: its sellability depends on the day, so `*`
    // reads the buckets, and still agrees.
    h.ok(json!({"type":"receive","item":"MILK","location":"A","qty":"2","lot":"L2","expiry":ds(30)}));
    assert_eq!(same(&h, "MILK"), "2");
}
