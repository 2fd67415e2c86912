//! The properties the fuzz targets check. `ims-core/tests/fuzz_regressions.rs`
//! includes this same file to replay kept crash inputs and the seed corpus
//! as ordinary tests, so a property is written once.
//!
//! No crate-level attributes here: the file is also compiled as a module.

use ims_core::{BatchMode, Command, Engine, Envelope, Error, Outcome};

/// The most command lines one input runs (keeps each execution fast).
pub const MAX_LINES: usize = 200;

/// One line of a `commands` input.
fn run_line(engine: &mut Engine, line: &str) -> Vec<Result<Outcome, Error>> {
    if let Some(rest) = line.strip_prefix('[') {
        // An atomic batch: a JSON array of commands.
        let text = format!("[{rest}");
        match serde_json::from_str::<Vec<Command>>(&text) {
            Ok(cmds) => match engine.execute_batch(&cmds, BatchMode::Atomic) {
                Ok(v) => v,
                Err(e) => vec![Err(e)],
            },
            Err(_) => Vec::new(),
        }
    } else {
        vec![engine.execute_json(line)]
    }
}

/// `commands`: the input is split into lines; each line is a JSON command
/// for `execute_json` (or, starting with `[`, an atomic batch). Must hold:
/// nothing panics; a refused command or batch leaves the snapshot
/// byte-identical; `verify()` is clean after every line; at the end
/// snapshot → restore → snapshot is byte-identical, the restored engine
/// verifies and has the same state digest; replaying the envelopes on a
/// fresh engine gives the same journal and state digests; every envelope
/// survives its binary encoding.
pub fn check_commands(data: &[u8]) {
    let mut engine = Engine::new();
    let mut envelopes: Vec<Envelope> = Vec::new();
    for raw in data.split(|b| *b == b'\n').take(MAX_LINES) {
        let Ok(line) = std::str::from_utf8(raw) else { continue };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let before = engine.snapshot();
        let results = run_line(&mut engine, line);
        for r in &results {
            match r {
                Ok(o) => envelopes.extend(o.envelope.clone()),
                Err(e) => {
                    assert!(results.len() == 1, "an atomic batch gave an error among several results");
                    assert!(engine.snapshot() == before, "refused with {} but the snapshot changed: {line}", e.name());
                }
            }
        }
        if let Err(errs) = engine.verify() {
            panic!("verify() after {line}: {errs:?}");
        }
    }

    let snap = engine.snapshot();
    let restored = match Engine::restore(&snap) {
        Ok(r) => r,
        Err(e) => panic!("the engine's own snapshot does not restore: {e}"),
    };
    assert!(restored.snapshot() == snap, "snapshot -> restore -> snapshot is not byte-identical");
    if let Err(errs) = restored.verify() {
        panic!("verify() after restore: {errs:?}");
    }

    let mut replica = Engine::new();
    for env in &envelopes {
        let bytes = env.to_bytes();
        match Envelope::from_bytes(&bytes) {
            Ok(back) => assert!(back == *env, "envelope {} changed through its binary encoding", env.seq),
            Err(e) => panic!("envelope {} does not decode: {e}", env.seq),
        }
        if let Err(e) = replica.apply(env) {
            panic!("replaying envelope {}: {e}", env.seq);
        }
    }
    assert!(replica.journal_digest() == engine.journal_digest(), "replay gives another journal digest");
    assert!(replica.state_digest() == engine.state_digest(), "replay gives another state digest");
}

/// `snapshot`: arbitrary bytes. Must hold: nothing panics in
/// `Engine::restore` (on the bytes as given, and with a valid checksum
/// appended so the decoder proper is reached) or in `Envelope::from_bytes`;
/// a snapshot that restores re-encodes to a fixed point (restoring its
/// re-encoding gives the same bytes again), answers every read-only query
/// without panicking and, when it verifies, lets time pass; a decoded
/// envelope survives encode → decode unchanged, and applying it to an empty
/// engine or to the restored one is an error or a success, never a panic.
pub fn check_decoding(data: &[u8]) {
    let mut restored = restore_fixed_point(data);
    let mut sealed = data.to_vec();
    sealed.extend_from_slice(blake3::hash(data).as_bytes());
    if let Some(e) = restore_fixed_point(&sealed) {
        restored = Some(e);
    }

    if let Ok(mut env) = Envelope::from_bytes(data) {
        let bytes = env.to_bytes();
        match Envelope::from_bytes(&bytes) {
            Ok(back) => assert!(back == env, "a decoded envelope changed through encode -> decode"),
            Err(e) => panic!("a decoded envelope's encoding does not decode: {e}"),
        }
        env.seq = 1;
        let _ = Engine::new().apply(&env);
        if let Some(mut engine) = restored {
            env.seq = engine.seq().wrapping_add(1);
            let _ = engine.apply(&env);
        }
    }
}

fn restore_fixed_point(bytes: &[u8]) -> Option<Engine> {
    let mut engine = Engine::restore(bytes).ok()?;
    let once = engine.snapshot();
    match Engine::restore(&once) {
        Ok(again) => assert!(again.snapshot() == once, "a restored snapshot does not re-encode to a fixed point"),
        Err(e) => panic!("the re-encoding of a restored snapshot does not restore: {e}"),
    }
    query_everything(&engine);
    if engine.verify().is_ok() {
        let _ = engine.advance_to(engine.now().saturating_add(40 * 86_400_000));
        query_everything(&engine);
    }
    Some(engine)
}

/// Every read-only query on every item and reservation of an engine.
fn query_everything(engine: &Engine) {
    use ims_core::availability::AtpOptions;
    use ims_core::ids::ItemId;
    use ims_core::Scope;
    let st = engine.state();
    let opts = AtpOptions::default();
    for i in 0..st.cat.item_count() {
        let code = st.cat.item(ItemId(i as u32)).code.to_string();
        let _ = engine.availability(&code, &Scope::All);
        let _ = engine.balances(&code);
        let _ = engine.atp(&code, &Scope::All, None, &opts, true);
        let _ = engine.atp_timeline(&code, &Scope::All, &opts);
        let _ = engine.earliest_date(&code, &Scope::All, 1.into(), &opts);
    }
    for r in &st.res {
        let _ = engine.reservation(&r.code);
    }
    let _ = engine.count_flags();
    let _ = engine.state_digest();
}

/// The pair the `sync` target talks to: an authority with two items in a
/// store, and a till replica of the store that queued two sales and sent
/// its first request (so a response to request 1 is expected).
fn sync_pair() -> (Engine, ims_core::edge::Replica) {
    use ims_core::edge::{QueueLimits, Replica, Slice};
    let mut a = Engine::new();
    for json in [
        r#"{"type":"define_location","location":"S","kind":"site"}"#,
        r#"{"type":"define_location","location":"S/A","kind":"storage","parent":"S"}"#,
        r#"{"type":"define_item","item":"A"}"#,
        r#"{"type":"define_item","item":"B"}"#,
        r#"{"type":"receive","item":"A","location":"S/A","qty":"2"}"#,
        r#"{"type":"receive","item":"B","location":"S/A","qty":"2"}"#,
    ] {
        let _ = a.execute_json(json);
    }
    let Ok(mut r) = Replica::from_snapshot("till-1", &a.snapshot(), Slice::all(), QueueLimits::default()) else {
        panic!("a replica of a fresh snapshot must start");
    };
    for (k, item) in [("k1", "A"), ("k2", "B")] {
        let json = format!(r#"{{"type":"sell","client_key":"{k}","item":"{item}","location":"S/A","qty":"3"}}"#);
        if let Ok(c) = serde_json::from_str::<Command>(&json) {
            let _ = r.execute(&c);
        }
    }
    let _ = r.sync_request();
    (a, r)
}

/// `sync`: arbitrary bytes as a sync response to a replica and as a sync
/// request to an authority. Must hold: nothing panics; a response that
/// decodes survives its byte form; a response the replica refuses leaves
/// its base, view and queue as they were, and one it takes leaves base and
/// view verifying clean; a request the authority refuses leaves its
/// snapshot byte-identical, and one it serves leaves it verifying clean.
pub fn check_sync(data: &[u8]) {
    use ims_core::edge::{SyncOptions, SyncRequest, SyncResponse};
    let (mut authority, mut replica) = sync_pair();
    if let Ok(resp) = SyncResponse::from_bytes(data) {
        assert_eq!(SyncResponse::from_bytes(&resp.to_bytes()).as_ref(), Ok(&resp), "byte form round trip");
        let before = (replica.base().snapshot(), replica.view().snapshot(), replica.pending().len());
        match replica.receive(&resp) {
            Ok(_) => {
                assert_eq!(replica.base().verify(), Ok(()), "replica base after receive");
                assert_eq!(replica.view().verify(), Ok(()), "replica view after receive");
            }
            Err(_) => {
                let after = (replica.base().snapshot(), replica.view().snapshot(), replica.pending().len());
                assert!(after == before, "a refused response changed the replica");
            }
        }
    }
    if let Ok(req) = SyncRequest::from_bytes(data) {
        let before = authority.snapshot();
        match authority.sync(&req, &SyncOptions { max_tail: 50 }) {
            Ok(resp) => {
                assert_eq!(authority.verify(), Ok(()), "authority after sync");
                assert_eq!(SyncResponse::from_bytes(&resp.to_bytes()).as_ref(), Ok(&resp));
            }
            Err(_) => assert!(authority.snapshot() == before, "a refused sync changed the authority"),
        }
    }
}
