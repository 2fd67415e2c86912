//! Edge mode, rule by rule: replicas follow the authority by seq, run local
//! commands optimistically, sync idempotently, and get conflict reports for
//! what the authority did differently.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use ims_core::edge::{Compensation, ConflictKind, QueueLimits, Replica, Slice, SyncOptions, SyncResponse, Verdict};
use ims_core::{Command, Engine, Error, Scope};
use serde_json::json;

/// An authority with 3 SKU and 2 MILK at bin A of site S1, 4 SKU at S2/X.
fn authority() -> H {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"3"}));
    h.ok(json!({"type":"receive","item":"SKU","location":"X","qty":"4"}));
    h.ok(json!({"type":"receive","item":"MILK","location":"A","qty":"2","lot":"L1","expiry":ds(30)}));
    h
}

fn replica(a: &Engine, name: &str, slice: Slice) -> Replica {
    Replica::from_snapshot(name, &a.snapshot(), slice, QueueLimits::default()).unwrap()
}

fn s1() -> Slice {
    Slice { items: vec![], locations: vec!["S1".into()] }
}

fn sale(key: &str, t: i64, item: &str, loc: &str, qty: &str) -> Command {
    cmd(json!({"type":"sell","occurred_at":t,"client_key":key,"item":item,"location":loc,"qty":qty,"reference":key}))
}

fn hold(key: &str, t: i64, res: &str, qty: &str, scope: &str) -> Command {
    cmd(json!({"type":"reserve","occurred_at":t,"client_key":key,"reservation":res,"item":"SKU","qty":qty,
        "scope":scope,"ttl_ms":15 * MIN}))
}

fn on_hand(e: &Engine, item: &str, scope: &str) -> String {
    e.availability(item, &Scope::Subtree(scope.into())).unwrap().on_hand.to_string()
}

fn available(e: &Engine, item: &str, scope: &str) -> String {
    e.availability(item, &Scope::Subtree(scope.into())).unwrap().available.to_string()
}

/// One full round trip.
fn sync(a: &mut Engine, r: &mut Replica) -> (SyncResponse, ims_core::edge::SyncReport) {
    let req = r.sync_request();
    let resp = a.sync(&req, &SyncOptions::default()).unwrap();
    let rep = r.receive(&resp).unwrap();
    (resp, rep)
}

fn level(a: &Engine, r: &Replica) {
    assert!(r.pending().is_empty());
    assert_eq!(r.seq(), a.seq());
    if !r.slice().cuts_items() {
        // A replica of every item holds the authority's whole state.
        assert_eq!(r.base().journal_digest(), a.journal_digest());
        assert_eq!(r.base().state_digest(), a.state_digest());
    }
    assert_eq!(r.slice_digest(), a.slice_digest(r.slice()).unwrap());
    r.base().verify().unwrap();
    r.view().verify().unwrap();
    a.verify().unwrap();
}

#[test]
fn a_replica_follows_by_seq_and_refuses_duplicates_and_gaps() {
    let mut h = authority();
    let mut r = replica(&h.e, "till-1", s1());
    let start = r.seq();
    let o1 = h.ok(json!({"type":"receive","item":"SKU","location":"B","qty":"1"}));
    let o2 = h.ok(json!({"type":"receive","item":"SKU","location":"B","qty":"1"}));
    let (e1, e2) = (o1.envelope.unwrap(), o2.envelope.unwrap());
    // A gap names the seq expected.
    assert_eq!(r.apply(&e2).unwrap_err(), Error::EnvelopeOutOfOrder { expected: start + 1, got: start + 2 });
    r.apply(&e1).unwrap();
    // The same envelope twice.
    assert_eq!(r.apply(&e1).unwrap_err(), Error::EnvelopeOutOfOrder { expected: start + 2, got: start + 1 });
    r.apply_tail(&[e2]).unwrap();
    assert_eq!(on_hand(r.view(), "SKU", "S1"), "5");
    level(&h.e, &r);
    // Pushed tails come from the authority's journal.
    h.ok(json!({"type":"receive","item":"SKU","location":"B","qty":"1"}));
    let tail = h.e.tail_after(r.seq(), 10, &Slice::all()).unwrap();
    r.apply_tail(&tail).unwrap();
    level(&h.e, &r);
}

#[test]
fn local_sales_show_at_once_and_sync_level_with_the_authority() {
    let mut h = authority();
    let mut r = replica(&h.e, "till-1", s1());
    let o = r.execute(&sale("t1-1", T0 + MIN, "SKU", "A", "2")).unwrap();
    assert!(!o.exists && o.changes.iter().any(|c| &*c.item == "SKU" && &*c.location == "A"));
    assert_eq!(on_hand(r.view(), "SKU", "S1"), "1");
    assert_eq!(on_hand(r.base(), "SKU", "S1"), "3", "the base holds only what the authority said");
    assert_eq!(on_hand(&h.e, "SKU", "S1"), "3");
    // Meanwhile the authority moves on.
    h.at(T0 + 2 * MIN).ok(json!({"type":"receive","item":"SKU","location":"B","qty":"10"}));
    let (resp, rep) = sync(&mut h.e, &mut r);
    assert_eq!(resp.results.len(), 1);
    assert!(matches!(resp.results[0].verdict, Verdict::Accepted { exists: false, .. }));
    assert!(resp.conflicts.is_empty() && rep.conflicts.is_empty());
    assert_eq!((rep.accepted, rep.refused, rep.pending, rep.stale), (1, 0, 0, false));
    assert!(!rep.adopted, "the authority's receipt came first: the tail is replayed");
    assert_eq!(on_hand(&h.e, "SKU", "S1"), "11");
    assert_eq!(on_hand(r.view(), "SKU", "S1"), "11");
    level(&h.e, &r);
}

#[test]
fn a_view_that_reached_the_authority_s_head_becomes_the_base() {
    let mut h = authority();
    let mut r = replica(&h.e, "till-1", s1());
    for k in 0..5 {
        r.execute(&sale(&format!("k{k}"), T0 + k * MIN, "SKU", "A", "1")).unwrap();
    }
    let view_digest = r.view().journal_digest();
    let (resp, rep) = sync(&mut h.e, &mut r);
    assert_eq!(resp.head_digest, view_digest, "the authority ran the queue exactly as the view did");
    assert!(rep.adopted);
    // Two oversold sales (3 in stock), reported from the tail.
    assert_eq!(rep.conflicts.iter().map(|c| c.key.as_str()).collect::<Vec<_>>(), vec!["k3", "k4"]);
    level(&h.e, &r);
}

#[test]
fn a_lost_response_and_a_retried_sync_never_sell_twice() {
    let mut h = authority();
    let mut r = replica(&h.e, "till-1", s1());
    for k in 0..3 {
        r.execute(&sale(&format!("k{k}"), T0 + k * MIN, "SKU", "A", "1")).unwrap();
    }
    let req1 = r.sync_request();
    let lost = h.e.sync(&req1, &SyncOptions::default()).unwrap();
    assert_eq!(on_hand(&h.e, "SKU", "S1"), "0");
    // The response never arrives; the till sells once more and retries.
    r.execute(&sale("k3", T0 + 10 * MIN, "SKU", "A", "1")).unwrap();
    let req2 = r.sync_request();
    assert_eq!(req2.commands.len(), 4);
    let resp2 = h.e.sync(&req2, &SyncOptions::default()).unwrap();
    let exists: Vec<bool> =
        resp2.results.iter().map(|x| matches!(x.verdict, Verdict::Accepted { exists: true, .. })).collect();
    assert_eq!(exists, vec![true, true, true, false]);
    // k3 took the book stock below zero: a conflict, reported once.
    assert_eq!(resp2.conflicts.len(), 1);
    assert_eq!(on_hand(&h.e, "SKU", "S1"), "-1");
    // The lost response turns up late, after the newer one: its tail is
    // harmless, its verdicts are stale.
    let rep2 = r.receive(&resp2).unwrap();
    assert_eq!(rep2.conflicts.len(), 1);
    let rep1 = r.receive(&lost).unwrap();
    assert!(rep1.stale && rep1.conflicts.is_empty() && rep1.applied == 0);
    // Delivered twice: settled once.
    let again = r.receive(&resp2).unwrap();
    assert!(again.stale && again.conflicts.is_empty());
    level(&h.e, &r);
    let sales = h.e.state().moves.iter().filter(|m| m.reason == ims_core::event::MoveReason::Sale).count();
    assert_eq!(sales, 4);
}

#[test]
fn an_oversold_till_sale_is_recorded_flagged_and_reported() {
    let mut h = authority();
    let mut till1 = replica(&h.e, "till-1", s1());
    let mut till2 = replica(&h.e, "till-2", s1());
    // Both tills sell the same 3 units offline; a web cart holds 1 at the
    // authority in between.
    till1.execute(&sale("a1", T0 + MIN, "SKU", "A", "2")).unwrap();
    till2.execute(&sale("b1", T0 + MIN, "SKU", "A", "2")).unwrap();
    h.at(T0 + 2 * MIN).ok(json!({"type":"reserve","reservation":"WEB-1","item":"SKU","qty":"1","scope":"S1"}));
    let (_, rep1) = sync(&mut h.e, &mut till1);
    // till1's 2 leave 1 on hand, held by WEB-1: its sale takes nothing
    // reserved, so no conflict.
    assert!(rep1.conflicts.is_empty());
    let (_, rep2) = sync(&mut h.e, &mut till2);
    assert_eq!(rep2.conflicts.len(), 1);
    let c = &rep2.conflicts[0];
    assert_eq!((c.key.as_str(), c.command.as_str(), c.kind), ("b1", "sell", ConflictKind::Oversold));
    assert_eq!((c.asked, c.granted, c.shortfall), (Some(d("2")), Some(d("1")), Some(d("1"))));
    assert_eq!(
        c.actions,
        vec![
            Compensation::Count { item: "SKU".into(), location: "A".into() },
            Compensation::NotifyShorted { reservation: "WEB-1".into(), qty: d("1") },
        ]
    );
    // The fact stands: book stock is negative and flagged for a count.
    assert_eq!(on_hand(&h.e, "SKU", "S1"), "-1");
    assert!(h.e.count_flags().iter().any(|(i, l)| &**i == "SKU" && &**l == "A"));
    sync(&mut h.e, &mut till1);
    level(&h.e, &till1);
    level(&h.e, &till2);
}

#[test]
fn a_refused_web_hold_comes_back_with_refund_or_backorder() {
    let mut h = authority();
    let mut cart = replica(&h.e, "web-7", Slice { items: vec!["SKU".into()], locations: vec![] });
    cart.execute(&hold("c1", T0 + MIN, "CART-7", "3", "S1")).unwrap();
    assert_eq!(available(cart.view(), "SKU", "S1"), "0", "the hold shows locally at once");
    // A till at the authority sells 2 first.
    h.at(T0 + 2 * MIN).ok(json!({"type":"sell","item":"SKU","location":"A","qty":"2"}));
    let (resp, rep) = sync(&mut h.e, &mut cart);
    assert!(matches!(&resp.results[0].verdict, Verdict::Refused { error, .. } if error == "INSUFFICIENT_AVAILABLE"));
    assert_eq!((rep.accepted, rep.refused, rep.pending), (0, 1, 0));
    let c = &rep.conflicts[0];
    assert_eq!(c.kind, ConflictKind::Refused);
    assert_eq!(c.error.as_deref(), Some("INSUFFICIENT_AVAILABLE"));
    assert_eq!((c.asked, c.granted, c.shortfall), (Some(d("3")), Some(d("0")), Some(d("3"))));
    assert_eq!(c.actions, vec![Compensation::Refund { qty: d("3") }, Compensation::Backorder { qty: d("3") }]);
    assert_eq!(available(cart.view(), "SKU", "S1"), "1");
    assert!(h.e.reservation("CART-7").is_none());
    level(&h.e, &cart);
    // A partial fill is granted in part and reported.
    let partial = cmd(json!({"type":"reserve","occurred_at":T0 + 3 * MIN,"client_key":"c2","reservation":"CART-8",
        "item":"SKU","qty":"3","scope":"S1","fill":"partial"}));
    cart.execute(&partial).unwrap();
    let (_, rep) = sync(&mut h.e, &mut cart);
    let c = &rep.conflicts[0];
    assert_eq!((c.kind, c.granted, c.shortfall), (ConflictKind::PartiallyGranted, Some(d("1")), Some(d("2"))));
    level(&h.e, &cart);
}

#[test]
fn rebasing_keeps_pending_commands_and_marks_doubtful_ones() {
    let mut h = authority();
    let mut cart = replica(&h.e, "web-1", s1());
    cart.execute(&hold("c1", T0 + MIN, "CART-1", "2", "S1")).unwrap();
    // The authority sells 2; pushed to the cart before it syncs.
    let o = h.at(T0 + 2 * MIN).ok(json!({"type":"sell","item":"SKU","location":"A","qty":"2"}));
    cart.apply(o.envelope.as_ref().unwrap()).unwrap();
    assert_eq!(cart.pending().len(), 1);
    assert!(cart.pending()[0].doubtful, "only 1 left: the hold of 2 no longer fits");
    assert_eq!(available(cart.view(), "SKU", "S1"), "1");
    let (_, rep) = sync(&mut h.e, &mut cart);
    assert_eq!(rep.refused, 1);
    level(&h.e, &cart);
}

#[test]
fn a_slice_digest_covers_its_slice_only() {
    let mut h = authority();
    let slice = Slice { items: vec!["SKU".into()], locations: vec!["S1".into()] };
    let before = h.e.slice_digest(&slice).unwrap();
    // Outside the slice: another item, another site.
    h.ok(json!({"type":"receive","item":"MILK","location":"A","qty":"1","lot":"L2","expiry":ds(40)}));
    h.ok(json!({"type":"sell","item":"SKU","location":"X","qty":"1"}));
    assert_eq!(h.e.slice_digest(&slice).unwrap(), before);
    assert_ne!(h.e.slice_digest(&Slice::all()).unwrap(), h.e.slice_digest(&s1()).unwrap());
    // Inside: a sale, a hold.
    h.ok(json!({"type":"sell","item":"SKU","location":"A","qty":"1"}));
    let after_sale = h.e.slice_digest(&slice).unwrap();
    assert_ne!(after_sale, before);
    h.ok(json!({"type":"reserve","reservation":"R","item":"SKU","qty":"1","scope":"S1"}));
    assert_ne!(h.e.slice_digest(&slice).unwrap(), after_sale);
    // Malformed slice codes are refused.
    let bad = Slice { items: vec![String::new()], locations: vec![] };
    assert!(matches!(h.e.slice_digest(&bad), Err(Error::InvalidCode { .. })));
}

#[test]
fn sync_messages_survive_their_byte_form() {
    let mut h = authority();
    let mut r = replica(&h.e, "till-1", s1());
    r.execute(&sale("k1", T0 + MIN, "SKU", "A", "5")).unwrap();
    let req = r.sync_request();
    let req2 = ims_core::SyncRequest::from_bytes(&req.to_bytes()).unwrap();
    assert_eq!(req2, req);
    let resp = h.e.sync(&req2, &SyncOptions::default()).unwrap();
    let resp2 = SyncResponse::from_bytes(&resp.to_bytes()).unwrap();
    assert_eq!(resp2, resp);
    assert_eq!(resp2.conflicts.len(), 1);
    r.receive(&resp2).unwrap();
    level(&h.e, &r);
    assert!(matches!(SyncResponse::from_bytes(b"{\"replica\":1}"), Err(Error::InvalidCommand { .. })));
}

#[test]
fn a_truncated_or_padded_sync_response_is_refused_not_a_panic() {
    let mut h = authority();
    let mut r = replica(&h.e, "till-1", s1());
    r.execute(&sale("k1", T0 + MIN, "SKU", "A", "1")).unwrap();
    r.execute(&sale("k2", T0 + MIN, "SKU", "A", "1")).unwrap();
    let resp = h.e.sync(&r.sync_request(), &SyncOptions::default()).unwrap();
    let bytes = resp.to_bytes();
    for n in 0..bytes.len() {
        assert!(
            matches!(SyncResponse::from_bytes(&bytes[..n]), Err(Error::InvalidCommand { .. })),
            "a response cut at {n} of {} bytes must be refused",
            bytes.len()
        );
    }
    let mut padded = bytes.clone();
    padded.push(0);
    assert!(matches!(SyncResponse::from_bytes(&padded), Err(Error::InvalidCommand { .. })));
    // A count that promises more envelopes than the bytes could hold.
    let json_len = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
    let mut lying = bytes[..12 + json_len].to_vec();
    lying.extend_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(SyncResponse::from_bytes(&lying), Err(Error::InvalidCommand { .. })));
    // Flipped bytes decode to an error or to some response, never a panic.
    for i in 0..bytes.len() {
        let mut b = bytes.clone();
        b[i] ^= 0x5a;
        let _ = SyncResponse::from_bytes(&b);
    }
    assert_eq!(SyncResponse::from_bytes(&bytes).unwrap(), resp);
}

#[test]
fn local_holds_expire_on_local_time() {
    let h = authority();
    let mut cart = replica(&h.e, "web-1", s1());
    cart.execute(&hold("c1", T0 + MIN, "CART-1", "3", "S1")).unwrap();
    assert_eq!(available(cart.view(), "SKU", "S1"), "0");
    cart.advance_to(T0 + MIN + 15 * MIN).unwrap();
    assert_eq!(available(cart.view(), "SKU", "S1"), "3");
}

#[test]
fn a_replica_of_some_items_holds_only_them_and_stays_exact() {
    let mut h = authority();
    h.ok(json!({"type":"sell","item":"MILK","location":"A","qty":"1"}));
    let slice = Slice { items: vec!["SKU".into()], locations: vec![] };
    let cut = h.e.slice_snapshot(&slice).unwrap();
    assert!(cut.len() < h.e.snapshot().len());
    let mut r = Replica::from_snapshot("web-1", &cut, slice.clone(), QueueLimits::default()).unwrap();
    let st = r.base().state();
    assert_eq!(st.cat.item_count(), 1);
    assert!(st.moves.is_sparse());
    assert_eq!(st.moves.len(), 2, "the two SKU receipts, not MILK's moves");
    // Its snapshot restores to the same bytes (the move ids travel along).
    let again = r.base().snapshot();
    assert_eq!(Engine::restore(&again).unwrap().snapshot(), again);
    // Outside the slice: refused by name, even though the replica does not
    // know the item.
    let milk = sale("m1", T0 + MIN, "MILK", "A", "1");
    assert_eq!(r.execute(&milk).unwrap_err(), Error::NotInSlice { what: "item", code: "MILK".into() });
    // The authority moves on with both items; the tail it sends carries
    // only SKU's events.
    h.at(T0 + 2 * MIN).ok(json!({"type":"receive","item":"MILK","location":"A","qty":"4","lot":"L3","expiry":ds(50)}));
    let o = h.ok(json!({"type":"sell","item":"SKU","location":"X","qty":"1"}));
    let MoveId(sold) = move_id(&o);
    r.execute(&hold("w1", T0 + 3 * MIN, "CART-1", "2", "S1")).unwrap();
    let (resp, rep) = sync(&mut h.e, &mut r);
    assert!(resp.tail.iter().flat_map(|e| &e.events).all(|e| !format!("{e:?}").contains("MILK")));
    assert_eq!((rep.accepted, rep.adopted), (1, false));
    level(&h.e, &r);
    r.base().verify().unwrap();
    // A synced move keeps the authority's id on the replica: it can be
    // reversed there, and the reversal syncs.
    let void = cmd(json!({"type":"reverse","occurred_at":T0 + 4 * MIN,"client_key":"v1","move_id":sold}));
    r.execute(&void).unwrap();
    sync(&mut h.e, &mut r);
    level(&h.e, &r);
    assert_eq!(on_hand(&h.e, "SKU", "S2"), "4");
    // A full snapshot handed to a sliced replica is cut on arrival.
    let mut r2 = Replica::from_snapshot("web-2", &h.e.snapshot(), slice, QueueLimits::default()).unwrap();
    assert_eq!(r2.base().state().cat.item_count(), 1);
    sync(&mut h.e, &mut r2);
    level(&h.e, &r2);
}

struct MoveId(u64);

fn move_id(o: &ims_core::Outcome) -> MoveId {
    o.events()
        .iter()
        .find_map(|e| match e {
            ims_core::Event::MovePosted { move_id, .. } => Some(MoveId(*move_id)),
            _ => None,
        })
        .unwrap()
}

#[test]
fn a_tail_that_does_not_fit_changes_nothing() {
    let mut h = authority();
    let mut r = replica(&h.e, "till-1", s1());
    h.ok(json!({"type":"receive","item":"SKU","location":"B","qty":"1"}));
    h.ok(json!({"type":"receive","item":"SKU","location":"B","qty":"1"}));
    let mut tail = h.e.tail_after(r.seq(), 10, &Slice::all()).unwrap();
    // The second envelope is forged: it names an item nobody defined.
    if let ims_core::Event::MovePosted { item, .. } = &mut tail[1].events[0] {
        *item = "NOPE".into();
    }
    let before = (r.base().snapshot(), r.view().snapshot(), r.seq());
    let err = r.apply_tail(&tail).unwrap_err();
    assert!(matches!(err, Error::InvalidCommand { .. }), "{err:?}");
    assert!((r.base().snapshot(), r.view().snapshot(), r.seq()) == before, "the valid first envelope was undone too");
    // The genuine tail applies.
    r.apply_tail(&h.e.tail_after(r.seq(), 10, &Slice::all()).unwrap()).unwrap();
    level(&h.e, &r);
}
