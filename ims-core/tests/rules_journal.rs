//! Envelopes and the journal: idempotency by client key, atomic and
//! independent batches, the change feed, replay, snapshots and forks.

#![allow(clippy::unwrap_used)] // a test that unwraps wrongly fails, which is the point

mod common;

use common::*;
use ims_core::{BatchMode, Engine};
use serde_json::json;

fn stocked() -> H {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"5"}));
    h
}

#[test]
fn the_same_command_under_the_same_key_is_not_executed_twice() {
    let mut h = stocked();
    let c = h.c(json!({"type":"reserve","reservation":"R","item":"SKU","qty":"2","scope":"WH1"})).with_key("cart-1");
    let first = h.run(&c);
    let env = first.envelope.as_ref().unwrap();
    assert_eq!(env.client_key.as_deref(), Some("cart-1"));
    assert!(env.command_hash.is_some());
    let (snap, digest, n) = (h.e.snapshot(), h.e.journal_digest(), h.e.storage().read_from(1).unwrap().len());
    // A retry an hour later: timestamps are not part of the command's identity.
    let mut retry = c.clone();
    retry.occurred_at += HOUR;
    let again = h.e.execute(&retry).unwrap();
    assert!(again.exists);
    assert_eq!((again.seq, again.envelope.is_none(), again.changes.is_empty()), (first.seq, true, true));
    assert!(h.e.snapshot() == snap);
    assert_eq!(h.e.journal_digest(), digest);
    assert_eq!(h.e.storage().read_from(1).unwrap().len(), n);
    assert_eq!(h.e.now(), T0, "an idempotent retry does not move time");
    // Another command under the key is refused.
    let other =
        h.c(json!({"type":"reserve","reservation":"R","item":"SKU","qty":"3","scope":"WH1"})).with_key("cart-1");
    expect_err(&mut h.e, &other, "EXISTS_WITH_DIFFERENT_COMMAND");
    // Without a key, the same command is a new request (and conflicts).
    let mut unkeyed = c.clone();
    unkeyed.client_key = None;
    expect_err(&mut h.e, &unkeyed, "RESERVATION_ID_CONFLICT");
}

#[test]
fn a_refused_command_leaves_its_key_free() {
    let mut h = stocked();
    let c = h.c(json!({"type":"receive","item":"SKU","location":"D","qty":"1"})).with_key("k");
    expect_err(&mut h.e, &c, "UNKNOWN_LOCATION");
    h.ok(json!({"type":"define_location","location":"D","kind":"storage","parent":"WH1"}));
    assert!(!h.run(&c).exists);
    assert!(h.e.execute(&c).unwrap().exists);
}

#[test]
fn keys_survive_replay_and_restore() {
    let mut h = stocked();
    let c = h.c(json!({"type":"receive","item":"SKU","location":"B","qty":"1"})).with_key("pos-9");
    let seq = h.run(&c).seq;
    // The harness's replica learned the key from the envelope.
    let r = h.replica.execute(&c).unwrap();
    assert!(r.exists && r.seq == seq);
    let mut restored = Engine::restore(&h.e.snapshot()).unwrap();
    let r = restored.execute(&c).unwrap();
    assert!(r.exists && r.seq == seq);
}

#[test]
fn an_atomic_batch_is_one_envelope_and_later_lines_see_earlier_ones() {
    let mut h = H::store();
    let cmds = [
        h.c(json!({"type":"receive","item":"SKU","location":"A","qty":"3"})).with_key("b1"),
        h.c(json!({"type":"receive","item":"CAN","location":"B","qty":"1","unit":"case"})).with_key("b2"),
        h.c(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"3","scope":"WH1"})),
        h.c(json!({"type":"reserve","reservation":"R2","item":"CAN","qty":"12","scope":"WH1"})),
    ];
    let seq = h.e.seq();
    let out = h.e.execute_batch(&cmds, BatchMode::Atomic).unwrap();
    assert_eq!(out.len(), 1);
    let o = out[0].as_ref().unwrap().clone();
    h.check(&o);
    assert_eq!(o.seq, seq + 1);
    let env = o.envelope.as_ref().unwrap();
    assert_eq!(env.batch_keys.iter().map(|k| k.key.as_str()).collect::<Vec<_>>(), vec!["b1", "b2"]);
    assert_eq!(
        kinds(&o),
        vec!["move_posted", "move_posted", "reservation_created", "allocated", "reservation_created", "allocated"]
    );
    assert_eq!(changes(&o), vec![pair("CAN", "B"), pair("SKU", "A")]);
    // Each key of the batch is remembered with the batch's seq.
    let again = h.e.execute(&cmds[1]).unwrap();
    assert!(again.exists && again.seq == o.seq);
    // A batch repeating an executed keyed line skips it.
    let more = [cmds[0].clone(), h.c(json!({"type":"receive","item":"SKU","location":"A","qty":"1"}))];
    let o = h.e.execute_batch(&more, BatchMode::Atomic).unwrap().remove(0).unwrap();
    h.check(&o);
    assert_eq!(h.avail("SKU", "A").on_hand, d("4"));
}

#[test]
fn an_atomic_batch_is_all_or_nothing() {
    let mut h = stocked();
    let cart = [
        h.c(json!({"type":"reserve","reservation":"L1","item":"SKU","qty":"2","scope":"WH1"})).with_key("c1"),
        h.c(json!({"type":"reserve","reservation":"L2","item":"SKU","qty":"2","scope":"WH1"})),
        h.c(json!({"type":"reserve","reservation":"L3","item":"SKU","qty":"2","scope":"WH1"})),
    ];
    let inner = expect_batch_err(&mut h.e, &cart, 2, "INSUFFICIENT_AVAILABLE");
    assert_eq!(inner.to_string(), "SKU: requested 2, available 1");
    assert!(h.e.reservation("L1").is_none());
    // The key of a refused batch is free.
    assert!(!h.run(&cart[0]).exists);
}

#[test]
fn a_failed_atomic_batch_restores_buckets_it_emptied() {
    let mut h = stocked();
    h.ok(json!({"type":"receive","item":"MILK","location":"A","qty":"2","lot":"L1","expiry":ds(9)}));
    let batch = [
        h.c(json!({"type":"move","item":"SKU","from":"A","to":"B","qty":"5"})),
        h.c(json!({"type":"sell","item":"MILK","location":"A","qty":"2","lot":"L1"})),
        h.c(json!({"type":"reserve","reservation":"R","item":"SKU","qty":"99","scope":"WH1"})),
    ];
    expect_batch_err(&mut h.e, &batch, 2, "INSUFFICIENT_AVAILABLE");
    assert_eq!(h.bucket("SKU", "A", None), ("5".into(), "0".into()));
    assert_eq!(h.bucket("MILK", "A", Some("L1")), ("2".into(), "0".into()));
    // And the engine goes on as if nothing happened.
    h.ok(json!({"type":"move","item":"SKU","from":"A","to":"B","qty":"5"}));
}

#[test]
fn an_independent_batch_gives_one_result_per_command() {
    let mut h = stocked();
    let cmds = [
        h.c(json!({"type":"reserve","reservation":"R1","item":"SKU","qty":"4","scope":"WH1"})),
        h.c(json!({"type":"reserve","reservation":"R2","item":"SKU","qty":"4","scope":"WH1"})),
        h.c(json!({"type":"reserve","reservation":"R3","item":"SKU","qty":"1","scope":"WH1"})),
    ];
    let seq = h.e.seq();
    let out = h.e.execute_batch(&cmds, BatchMode::Independent).unwrap();
    assert_eq!(out.len(), 3);
    let o1 = out[0].as_ref().unwrap();
    assert_eq!(out[1].as_ref().unwrap_err().name(), "INSUFFICIENT_AVAILABLE");
    let o3 = out[2].as_ref().unwrap();
    assert_eq!((o1.seq, o3.seq), (seq + 1, seq + 2));
    for o in [o1, o3] {
        h.replica.apply(o.envelope.as_ref().unwrap()).unwrap();
    }
    assert!(h.replica.snapshot() == h.e.snapshot());
    h.e.verify().unwrap();
    assert_eq!(h.free("SKU", "WH1"), "0");
}

#[test]
fn the_change_feed_lists_internal_pairs_whose_availability_changed() {
    let mut h = H::store();
    assert!(h.ok(json!({"type":"define_item","item":"NEW"})).changes.is_empty());
    let o = h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"2"}));
    assert_eq!(changes(&o), vec![pair("SKU", "A")]);
    h.ok(json!({"type":"receive","item":"SKU","location":"B","qty":"2"}));
    h.ok(json!({"type":"receive","item":"MILK","location":"C","qty":"2","lot":"L1","expiry":ds(9)}));
    let o = h.ok(json!({"type":"reserve","reservation":"R","item":"SKU","qty":"3","scope":"WH1"}));
    assert_eq!(changes(&o), vec![pair("SKU", "A"), pair("SKU", "B")]);
    let o =
        h.ok(json!({"type":"expect_receipt","receipt":"PO","item":"SKU","location":"C","qty":"9","expected":ds(2)}));
    assert_eq!(changes(&o), vec![pair("SKU", "C")]);
    let o = h.ok(json!({"type":"set_lot_status","item":"MILK","lot":"L1","status":"on_hold"}));
    assert_eq!(changes(&o), vec![pair("MILK", "C")]);
    let o = h.ok(json!({"type":"reserve","reservation":"W","item":"SKU","qty":"5","scope":"WH1","fill":"partial"}));
    assert_eq!(changes(&o), vec![pair("SKU", "A")]);
    let o = h.ok(json!({"type":"promise","reservation":"P","item":"SKU","qty":"5","scope":"WH1","need_date":ds(4)}));
    assert!(o.changes.is_empty());
    // Committing to the customer changes only the source; @customer is virtual.
    let o = h.ok(json!({"type":"commit","reservation":"R"}));
    assert_eq!(changes(&o), vec![pair("SKU", "A"), pair("SKU", "B")]);
}

#[test]
fn replay_and_restore_rebuild_the_same_state() {
    let mut h = stocked();
    h.ok(json!({"type":"reserve","reservation":"R","item":"SKU","qty":"2","scope":"WH1","ttl_ms":MIN}));
    h.ok(json!({"type":"receive","item":"MILK","location":"B","qty":"2","lot":"L1","expiry":ds(1)}));
    h.ok(json!({"type":"sell","item":"SKU","location":"A","qty":"4"}));
    h.advance(T0 + 2 * DAY);
    let envs = h.e.storage().read_from(1).unwrap();
    assert_eq!(envs.iter().map(|e| e.seq).collect::<Vec<_>>(), (1..=h.e.seq()).collect::<Vec<_>>());
    let mut fresh = Engine::new();
    for env in &envs {
        fresh.apply(env).unwrap();
    }
    assert_eq!(fresh.journal_digest(), h.e.journal_digest());
    assert_eq!(fresh.state_digest(), h.e.state_digest());
    let snap = h.e.snapshot();
    let mut restored = Engine::restore(&snap).unwrap();
    assert_eq!(restored.snapshot(), snap);
    restored.verify().unwrap();
    // Original and restored engine go on identically.
    let c = h.c(json!({"type":"reserve","reservation":"R2","item":"SKU","qty":"1","scope":"WH1"}));
    let a = h.run(&c);
    let b = restored.execute(&c).unwrap();
    assert_eq!(a.envelope, b.envelope);
    assert_eq!((restored.journal_digest(), restored.state_digest()), (h.e.journal_digest(), h.e.state_digest()));
}

#[test]
fn the_journal_digest_chains_every_envelope() {
    let mut h = H::store();
    let mut seen = vec![h.e.journal_digest()];
    for q in ["1", "2", "1"] {
        h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":q}));
        assert!(!seen.contains(&h.e.journal_digest()), "every envelope moves the digest");
        seen.push(h.e.journal_digest());
    }
    // JSON and typed commands are one door.
    let mut j = Engine::new();
    let mut t = Engine::new();
    let s = r#"{"type":"define_item","item":"SKU","occurred_at":5}"#;
    j.execute_json(s).unwrap();
    t.execute(&cmd(json!({"type":"define_item","item":"SKU","occurred_at":5}))).unwrap();
    assert_eq!(j.journal_digest(), t.journal_digest());
}

#[test]
fn a_fork_is_an_independent_what_if() {
    let h = stocked();
    let before = h.e.snapshot();
    let mut f = h.e.fork();
    assert_eq!(f.state_digest(), h.e.state_digest());
    f.execute(&h.c(json!({"type":"sell","item":"SKU","location":"A","qty":"5"}))).unwrap();
    f.verify().unwrap();
    assert_eq!(f.availability("SKU", &sub("A")).unwrap().on_hand, d("0"));
    assert!(h.e.snapshot() == before, "the original is untouched");
    assert_eq!(h.avail("SKU", "A").on_hand, d("5"));
    assert_ne!(f.state_digest(), h.e.state_digest());
}

/// A foreign envelope whose quantities would overflow a balance is refused
/// with QUANTITY_OVERFLOW when applied, and leaves the follower unchanged
/// (execution checks this before posting; `apply` must not trust a sender).
#[test]
fn an_applied_envelope_that_would_overflow_is_refused_and_changes_nothing() {
    let h = stocked();
    let mut follower = Engine::new();
    for env in h.e.storage().read_from(1).unwrap() {
        follower.apply(&env).unwrap();
    }
    let seq = follower.seq();
    let forged = |seq: u64, move_id: u64| {
        let v = json!({
            "seq": seq, "occurred_at": 0, "processed_at": 0,
            "events": [{"type":"move_posted","move_id":move_id,"item":"SKU","qty":i64::MAX,
                        "from":"@supplier","to":"A","reason":"receipt","occurred_at":0}]
        });
        serde_json::from_value::<ims_core::Envelope>(v).unwrap()
    };
    let before = follower.snapshot();
    let moves = follower.state().moves.len() as u64;
    let err = follower.apply(&forged(seq + 1, moves + 1)).unwrap_err();
    assert_eq!(err.name(), "QUANTITY_OVERFLOW");
    assert_eq!(follower.snapshot(), before);
    assert_eq!(follower.seq(), seq);
}
