//! Concurrency through the shared handle (DESIGN §6): threads racing for
//! the last units never reserve more than there is, and the final state is
//! the state of a serial replay of the accepted commands; a panic inside
//! the lock poisons the handle for good.

use std::sync::{Arc, Barrier};
use std::thread;

use rust_decimal::Decimal;

use ims_core::catalog::LocationKind;
use ims_core::command::{ItemSpec, LocationSpec, Receive, Reserve};
use ims_core::{Command, CommandBody, Engine, Error, Fill, QtyIn, Scope, SharedEngine, Strategy};

const T0: i64 = 1_735_689_600_000;
const THREADS: usize = 8;
const TRIES: usize = 30;
const STOCK: i64 = 100;

fn setup() -> Vec<Command> {
    let item = ItemSpec::new("LAST");
    let loc = |code: &str, parent: Option<&str>, kind| LocationSpec {
        location: code.into(),
        parent: parent.map(Into::into),
        kind,
        sellable: None,
        walk_seq: 0,
        utc_offset_minutes: None,
        inbound_days: 0,
    };
    let receive = |at: &str, qty: i64| Receive {
        item: "LAST".into(),
        location: at.into(),
        qty: QtyIn::base(Decimal::from(qty)),
        lot: None,
        expiry: None,
        receipt: None,
        reference: None,
    };
    vec![
        Command::new(T0, CommandBody::DefineItem(item)),
        Command::new(T0, CommandBody::DefineLocation(loc("SHOP", None, LocationKind::Site))),
        Command::new(T0, CommandBody::DefineLocation(loc("SHOP/A", Some("SHOP"), LocationKind::Storage))),
        Command::new(T0, CommandBody::DefineLocation(loc("SHOP/B", Some("SHOP"), LocationKind::Storage))),
        // The stock is split over two bins so allocations have a choice.
        Command::new(T0, CommandBody::Receive(receive("SHOP/A", 60))),
        Command::new(T0, CommandBody::Receive(receive("SHOP/B", STOCK - 60))),
    ]
}

fn engine() -> Engine {
    let mut e = Engine::new();
    for c in setup() {
        e.execute(&c).expect("setup");
    }
    e
}

fn reserve(thread: usize, i: usize) -> Command {
    let body = CommandBody::Reserve(Reserve {
        reservation: format!("t{thread}-{i}"),
        item: "LAST".into(),
        qty: QtyIn::base(Decimal::ONE),
        scope: Scope::Subtree("SHOP".into()),
        channel: None,
        ttl_ms: Some(900_000),
        strategy: if i % 2 == 0 { Strategy::Fefo } else { Strategy::LocationPriority },
        min_shelf_life_days: 0,
        fill: Fill::All,
        need_date: None,
        priority: 0,
    });
    // Each thread's clock runs on its own; the engine keeps the maximum.
    Command::new(T0 + (i * 1000 + thread) as i64, body).with_key(format!("key-t{thread}-{i}"))
}

#[test]
fn eight_threads_racing_for_the_last_units_never_oversell() {
    let shared = SharedEngine::new(engine());
    let start = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let shared = shared.clone();
            let start = Arc::clone(&start);
            thread::spawn(move || {
                start.wait();
                let mut accepted = Vec::new();
                let mut refused = 0usize;
                for i in 0..TRIES {
                    let cmd = reserve(t, i);
                    match shared.with(|e| e.execute(&cmd)) {
                        Ok(o) => {
                            assert!(!o.exists, "a fresh key was taken for a retry");
                            accepted.push((o.seq, cmd));
                        }
                        Err(Error::InsufficientAvailable { available, .. }) => {
                            assert_eq!(available, Decimal::ZERO, "refused while stock was left");
                            refused += 1;
                        }
                        Err(e) => panic!("thread {t} try {i}: unexpected {e}"),
                    }
                }
                (accepted, refused)
            })
        })
        .collect();
    let mut accepted = Vec::new();
    let mut refused = 0;
    for h in handles {
        let (a, r) = h.join().expect("a racing thread panicked");
        accepted.extend(a);
        refused += r;
    }
    assert_eq!(accepted.len() as i64, STOCK, "exactly the stock is reserved");
    assert_eq!(refused, THREADS * TRIES - STOCK as usize);

    // Acceptance order is the order of the envelopes.
    accepted.sort_by_key(|(seq, _)| *seq);
    let first = setup().len() as u64 + 1;
    for (n, (seq, _)) in accepted.iter().enumerate() {
        assert_eq!(*seq, first + n as u64, "accepted commands are consecutive envelopes");
    }

    let (digest, journal, avail, verified) = shared
        .with(|e| {
            let a = e.availability("LAST", &Scope::All)?;
            Ok((e.state_digest(), e.journal_digest(), a, e.verify()))
        })
        .expect("final look");
    assert_eq!(verified, Ok(()));
    assert_eq!(avail.on_hand, Decimal::from(STOCK));
    assert_eq!(avail.reserved, Decimal::from(STOCK));
    assert_eq!(avail.available, Decimal::ZERO);

    // A serial replay of the accepted commands, in acceptance order.
    let mut serial = engine();
    for (seq, cmd) in &accepted {
        let o = serial.execute(cmd).expect("serial replay accepts what the race accepted");
        assert_eq!(o.seq, *seq);
    }
    assert_eq!(serial.state_digest(), digest, "race and serial replay end in different states");
    assert_eq!(serial.journal_digest(), journal, "race and serial replay have different journals");

    // Retrying any accepted command through the handle changes nothing.
    let (seq, cmd) = &accepted[accepted.len() / 2];
    let o = shared.with(|e| e.execute(cmd)).expect("retry");
    assert!(o.exists && o.seq == *seq);
    assert_eq!(shared.with(|e| Ok(e.state_digest())), Ok(digest));
}

#[test]
fn a_panic_inside_the_lock_poisons_the_handle() {
    let shared = SharedEngine::new(engine());
    let other = shared.clone();
    // A refusal is an answer, not a failure: the handle stays usable.
    let refused = shared.with(|e| e.execute_json(r#"{"type":"release","reservation":"nope"}"#));
    assert_eq!(refused.map(|o| o.seq).map_err(|e| e.name()), Err("UNKNOWN_RESERVATION"));
    assert!(!shared.is_poisoned());
    assert!(shared.with(|e| Ok(e.state_digest())).is_ok());

    let r: Result<(), Error> = shared.with(|_| panic!("a bug past the point of no failure"));
    assert_eq!(r, Err(Error::EnginePoisoned));
    assert!(shared.is_poisoned() && other.is_poisoned(), "every clone sees the poison");

    // Every later call is refused, reads and writes alike, from any thread.
    assert_eq!(shared.with(|e| Ok(e.seq())), Err(Error::EnginePoisoned));
    let cmd = reserve(0, 0);
    assert_eq!(other.with(|e| e.execute(&cmd)).map(|o| o.seq), Err(Error::EnginePoisoned));
    let from_thread = thread::spawn(move || other.with(|e| Ok(e.state_digest()))).join().expect("thread");
    assert_eq!(from_thread, Err(Error::EnginePoisoned));
    assert_eq!(Error::EnginePoisoned.name(), "ENGINE_POISONED");
}
