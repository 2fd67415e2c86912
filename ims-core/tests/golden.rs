//! Golden bytes for the canonical snapshot and the envelope encoding
//! (docs/binary-format.md). A small fixed state touches every snapshot
//! section; its bytes must equal the committed files exactly.
//!
//! A format change must be deliberate: bump `snapshot::VERSION` (or add a
//! new tag), update docs/binary-format.md, check the new bytes by hand with
//! `xxd`, then regenerate the files with
//! `IMS_BLESS_GOLDEN=1 cargo test -p ims-core --test golden`.

use std::path::PathBuf;

use ims_core::{BatchMode, Command, Engine, Envelope};

/// 2026-11-28 08:00 UTC.
const T0: i64 = 1_795_852_800_000;

fn golden_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name)
}

/// The set-up commands (seq 1 to 4).
const SETUP: [&str; 4] = [
    r#"{"type":"define_item","occurred_at":1795852800000,"item":"A","units":[{"unit":"case","factor":"12"}]}"#,
    r#"{"type":"define_item","occurred_at":1795852800000,"item":"L","tracking":"lot"}"#,
    r#"{"type":"define_location","occurred_at":1795852800000,"location":"S","kind":"site","utc_offset_minutes":60}"#,
    r#"{"type":"define_location","occurred_at":1795852800000,"location":"S/1","parent":"S","kind":"storage"}"#,
];

fn cmd(json: &str) -> Command {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

/// The fixed state: two items (one lot-tracked, one with a unit), a site
/// and a bin, a lot, a reservation with a TTL and a client key (from an
/// atomic batch), a scheduled receipt, and a till sale past zero (a count
/// flag). Returns the engine and the batch's envelope.
fn golden_state() -> (Engine, Envelope) {
    let mut e = Engine::new();
    for json in SETUP {
        e.execute(&cmd(json)).unwrap_or_else(|err| panic!("{json}: {err}"));
    }
    let batch = [
        cmd(
            r#"{"type":"receive","occurred_at":1795852800000,"item":"L","location":"S/1","qty":"5","lot":"L1","expiry":"2026-12-31"}"#,
        ),
        cmd(
            r#"{"type":"reserve","occurred_at":1795852800000,"client_key":"k","reservation":"r","item":"L","qty":"2","scope":"S","ttl_ms":60000}"#,
        ),
    ];
    let mut out = e.execute_batch(&batch, BatchMode::Atomic).expect("batch runs");
    let env = out.pop().and_then(|r| r.ok()).and_then(|o| o.envelope).expect("batch envelope");
    for json in [
        r#"{"type":"expect_receipt","occurred_at":1795852800000,"receipt":"PO","item":"A","location":"S/1","qty":"3","expected":"2026-12-01"}"#,
        r#"{"type":"sell","occurred_at":1795852800000,"item":"A","location":"S/1","qty":"1"}"#,
    ] {
        e.execute(&cmd(json)).unwrap_or_else(|err| panic!("{json}: {err}"));
    }
    assert_eq!(e.now(), T0);
    e.verify().expect("sound state");
    (e, env)
}

fn hexdump(b: &[u8]) -> String {
    b.chunks(16)
        .enumerate()
        .map(|(i, c)| {
            format!("{:08x}: {}\n", i * 16, c.iter().map(|x| format!("{x:02x}")).collect::<Vec<_>>().join(" "))
        })
        .collect()
}

fn first_difference(a: &[u8], b: &[u8]) -> String {
    match a.iter().zip(b).position(|(x, y)| x != y) {
        Some(i) => format!("first difference at byte {i} (0x{i:x}): golden {:#04x}, now {:#04x}", a[i], b[i]),
        None => format!("one is a prefix of the other: golden {} bytes, now {} bytes", a.len(), b.len()),
    }
}

fn compare(name: &str, now: &[u8]) {
    let path = golden_path(name);
    if std::env::var_os("IMS_BLESS_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("golden dir");
        std::fs::write(&path, now).expect("write golden file");
        return;
    }
    let golden = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        golden == now,
        "the binary encoding behind {name} changed: {}.\n\
         Snapshots and journals written by earlier builds must stay readable, so a format \
         change must be deliberate: bump snapshot::VERSION (or add a new tag), update \
         docs/binary-format.md, check the new bytes by hand, then regenerate with \
         IMS_BLESS_GOLDEN=1 cargo test -p ims-core --test golden.\n\
         now:\n{}",
        first_difference(&golden, now),
        hexdump(now)
    );
}

#[test]
fn snapshot_bytes_match_the_golden_file() {
    let (e, _) = golden_state();
    compare("snapshot_v1.bin", &e.snapshot());
}

#[test]
fn envelope_bytes_match_the_golden_file() {
    let (_, env) = golden_state();
    compare("envelope_v1.bin", &env.to_bytes());
}

#[test]
fn golden_snapshot_restores_to_the_same_bytes() {
    let golden = std::fs::read(golden_path("snapshot_v1.bin")).expect("golden snapshot");
    let e = Engine::restore(&golden).expect("the golden snapshot restores");
    e.verify().expect("sound after restore");
    assert!(e.snapshot() == golden, "restore -> snapshot of the golden file changed its bytes");
    // state_digest hashes the snapshot without what records history: the
    // journal digest (bytes 28..60 of the header) and the trailing checksum.
    let mut h = blake3::Hasher::new();
    h.update(&golden[..28]);
    h.update(&golden[60..golden.len() - 32]);
    assert_eq!(e.state_digest(), *h.finalize().as_bytes(), "state_digest is BLAKE3 of the snapshot minus history");
    assert_eq!(e.seq(), 7);
    assert_eq!(e.now(), T0);
}

#[test]
fn golden_envelope_decodes_and_replays() {
    let golden = std::fs::read(golden_path("envelope_v1.bin")).expect("golden envelope");
    let env = Envelope::from_bytes(&golden).expect("the golden envelope decodes");
    let (_, now) = golden_state();
    assert_eq!(env, now, "decoding the golden envelope gives another envelope");
    assert_eq!((env.seq, env.batch_keys.len(), env.events.len()), (5, 1, 4));
    // Replay the four set-up envelopes, checking the hash chain by hand:
    // journal_digest = BLAKE3(previous digest ‖ envelope bytes), from 32 zero bytes.
    let mut e = Engine::new();
    let mut chain = [0u8; 32];
    for json in SETUP {
        let o = e.execute(&cmd(json)).expect("runs");
        let mut buf = chain.to_vec();
        buf.extend_from_slice(&o.envelope.expect("an envelope").to_bytes());
        chain = *blake3::hash(&buf).as_bytes();
    }
    assert_eq!(chain, e.journal_digest());
    e.apply(&env).expect("the golden envelope applies as seq 5");
    let mut buf = chain.to_vec();
    buf.extend_from_slice(&golden);
    assert_eq!(*blake3::hash(&buf).as_bytes(), e.journal_digest());
    e.verify().expect("sound after replay");
}
