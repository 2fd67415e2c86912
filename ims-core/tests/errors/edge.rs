//! Error scenarios of edge mode: replicas and sync (see tests/errors.rs).
//! A refusal on a replica must leave its base, its view and its queue as
//! they were.

use super::*;
use ims_core::edge::{QueueLimits, Replica, Slice, SyncOptions};

/// The store with 5 SKU in bin A, and a till replica of site S1 holding
/// SKU only.
fn till(limits: QueueLimits) -> (H, Replica) {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"5"}));
    let slice = Slice { items: vec!["SKU".into()], locations: vec!["S1".into()] };
    let r = Replica::from_snapshot("till-1", &h.e.snapshot(), slice, limits).unwrap();
    (h, r)
}

/// What a refusal on a replica must leave alone.
fn replica_print(r: &Replica) -> (Vec<u8>, Vec<u8>, usize) {
    (r.base().snapshot(), r.view().snapshot(), r.pending().len())
}

/// Runs a local command that must be refused with `name`; checks nothing
/// changed.
fn refuse(r: &mut Replica, c: &Command, name: &str) -> Error {
    let before = replica_print(r);
    let err = r.execute(c).expect_err("refused");
    record(&err, name);
    assert!(replica_print(r) == before, "refused replica command ({name}) changed the replica");
    err
}

fn sale(key: &str, t: i64) -> Command {
    cmd(json!({"type":"sell","occurred_at":t,"client_key":key,"item":"SKU","location":"A","qty":"1"}))
}

scenarios! {
    client_key_required {
        let (h, mut r) = till(QueueLimits::default());
        let c = cmd(json!({"type":"sell","occurred_at":T0,"item":"SKU","location":"A","qty":"1"}));
        assert_eq!(refuse(&mut r, &c, "CLIENT_KEY_REQUIRED"), Error::ClientKeyRequired { command: "sell".into() });
        // The authority refuses a keyless command in a sync request too
        // (and runs the rest).
        let mut a = h.e;
        let mut req = r.sync_request();
        req.commands.push(c);
        req.commands.push(sale("k1", T0));
        let resp = a.sync(&req, &SyncOptions::default()).unwrap();
        assert!(matches!(&resp.results[0].verdict, ims_core::edge::Verdict::Refused { error, .. } if error == "CLIENT_KEY_REQUIRED"));
        assert!(matches!(resp.results[1].verdict, ims_core::edge::Verdict::Accepted { exists: false, .. }));
        record(&Error::ClientKeyRequired { command: "sell".into() }, "CLIENT_KEY_REQUIRED");
    }
    queue_full {
        let (_, mut r) = till(QueueLimits { max_len: 2, max_age_ms: DAY });
        r.execute(&sale("k1", T0)).unwrap();
        r.execute(&sale("k2", T0)).unwrap();
        assert_eq!(refuse(&mut r, &sale("k3", T0), "QUEUE_FULL"), Error::QueueFull { max: 2 });
        // A retry of a queued command still answers (it queues nothing).
        assert!(r.execute(&sale("k2", T0)).unwrap().exists);
    }
    queue_too_old {
        let (_, mut r) = till(QueueLimits { max_len: 100, max_age_ms: HOUR });
        r.execute(&sale("k1", T0)).unwrap();
        r.execute(&sale("k2", T0 + HOUR)).unwrap();
        assert_eq!(refuse(&mut r, &sale("k3", T0 + HOUR + 1), "QUEUE_TOO_OLD"),
            Error::QueueTooOld { oldest_at: T0, max_age_ms: HOUR });
    }
    snapshot_required {
        let (mut h, mut r) = till(QueueLimits::default());
        for i in 0..3 {
            h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"1","reference":format!("r{i}")}));
        }
        let before = h.e.snapshot();
        let err = h.e.tail_after(r.seq(), 2, &Slice::all()).unwrap_err();
        record(&err, "SNAPSHOT_REQUIRED");
        assert_eq!(err, Error::SnapshotRequired { behind: 3, max: 2 });
        assert!(h.e.snapshot() == before);
        // Through sync: the commands run, the tail is withheld, the replica
        // is told to reset, and a reset brings it level.
        r.execute(&sale("k1", T0)).unwrap();
        let req = r.sync_request();
        let resp = h.e.sync(&req, &SyncOptions { max_tail: 2 }).unwrap();
        assert!(resp.snapshot_required && resp.tail.is_empty());
        let rep = r.receive(&resp).unwrap();
        assert!(rep.snapshot_required && r.needs_snapshot());
        // Until the snapshot arrives, the acknowledged sale stays in the view.
        assert_eq!(r.view().availability("SKU", &Scope::Subtree("S1".into())).unwrap().on_hand.to_string(), "4");
        r.reset(&h.e.snapshot()).unwrap();
        assert!(!r.needs_snapshot() && r.pending().is_empty());
        assert_eq!(r.slice_digest(), h.e.slice_digest(r.slice()).unwrap());
    }
    not_in_slice {
        let (_, mut r) = till(QueueLimits::default());
        let milk = cmd(json!({"type":"sell","occurred_at":T0,"client_key":"k1","item":"MILK","location":"A","qty":"1"}));
        assert_eq!(refuse(&mut r, &milk, "NOT_IN_SLICE"), Error::NotInSlice { what: "item", code: "MILK".into() });
        let away = cmd(json!({"type":"sell","occurred_at":T0,"client_key":"k2","item":"SKU","location":"X","qty":"1"}));
        assert_eq!(refuse(&mut r, &away, "NOT_IN_SLICE"), Error::NotInSlice { what: "location", code: "X".into() });
        let wide = cmd(json!({"type":"reserve","occurred_at":T0,"client_key":"k3","reservation":"R1","item":"SKU",
            "qty":"1","scope":"*"}));
        assert_eq!(refuse(&mut r, &wide, "NOT_IN_SLICE"), Error::NotInSlice { what: "scope", code: "*".into() });
    }
    not_allowed_on_replica {
        let (_, mut r) = till(QueueLimits::default());
        let c = cmd(json!({"type":"define_item","occurred_at":T0,"client_key":"k1","item":"NEW"}));
        assert_eq!(refuse(&mut r, &c, "NOT_ALLOWED_ON_REPLICA"),
            Error::NotAllowedOnReplica { command: "define_item".into() });
        let c = cmd(json!({"type":"receive","occurred_at":T0,"client_key":"k2","item":"SKU","location":"A","qty":"1"}));
        refuse(&mut r, &c, "NOT_ALLOWED_ON_REPLICA");
        // A sale's move id on a replica is provisional: voiding it waits
        // for the sync; a synced move (1, the receipt) can be reversed.
        let sold = r.execute(&sale("k3", T0)).unwrap();
        let local_id = match &sold.events()[0] {
            ims_core::Event::MovePosted { move_id, .. } => *move_id,
            e => panic!("{e:?}"),
        };
        let void = cmd(json!({"type":"reverse","occurred_at":T0,"client_key":"k4","move_id":local_id}));
        assert_eq!(refuse(&mut r, &void, "NOT_ALLOWED_ON_REPLICA"),
            Error::NotAllowedOnReplica { command: "reverse of a move not yet synced".into() });
        let undo_receipt = cmd(json!({"type":"reverse","occurred_at":T0,"client_key":"k5","move_id":1}));
        r.execute(&undo_receipt).unwrap();
    }
    sync_response_mismatch {
        let (mut h, mut r) = till(QueueLimits::default());
        let (_, mut other) = till(QueueLimits::default());
        r.execute(&sale("k1", T0)).unwrap();
        let resp = h.e.sync(&r.sync_request(), &SyncOptions::default()).unwrap();
        // Delivered to the wrong replica.
        let before = replica_print(&other);
        let err = other.receive(&resp).unwrap_err();
        record(&err, "SYNC_RESPONSE_MISMATCH");
        assert!(replica_print(&other) == before);
        // An answer to a request that was never sent.
        let mut forged = resp.clone();
        forged.request = 9;
        record(&r.receive(&forged).unwrap_err(), "SYNC_RESPONSE_MISMATCH");
        assert_eq!(r.pending().len(), 1);
        r.receive(&resp).unwrap();
        assert!(r.pending().is_empty());
    }
}
