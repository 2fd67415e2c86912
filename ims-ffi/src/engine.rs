//! `ims_engine`: the engine handle — in memory, restored from a snapshot,
//! or durable on an ims-journal directory — and what a host asks of it as
//! a whole (snapshot, digests, clock, verify, checkpoint).

use ims_core::{hex, Engine, Error, Shared};
use ims_journal::{Durability, Options};
use std::os::raw::c_char;
use std::path::Path;

use crate::args::{bytes, ims_str, Out};
use crate::call::run;
use crate::json::outcome_json;
use crate::out::{put_bytes, put_string};
use crate::registry::Registry;
use crate::status::ims_status;

/// An engine. Opaque: made by `ims_engine_new`, `ims_engine_open`,
/// `ims_engine_restore` or `ims_engine_fork`, given back with
/// `ims_engine_free`. One handle may be used from many threads at once: a
/// lock inside serialises the calls (each call is one critical section).
pub struct ims_engine {
    _private: [u8; 0],
}

/// Durability of `ims_engine_open`: flush to disk before every
/// acknowledgement (nothing acknowledged is ever lost).
pub const IMS_DURABILITY_EVERY_COMMIT: u32 = 0;
/// Durability of `ims_engine_open`: flush after every 100th commit (a power
/// loss may lose up to 99 acknowledged commands).
pub const IMS_DURABILITY_EVERY_100: u32 = 1;
/// Durability of `ims_engine_open`: never flush (the OS writes back when it
/// likes); for tests.
pub const IMS_DURABILITY_NEVER: u32 = 2;

/// What `ims_engine_open` found on disk.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ims_recovery {
    /// The seq of the snapshot loaded, 0 when none was.
    pub snapshot_seq: u64,
    /// Envelopes replayed from the journal after it.
    pub replayed: u64,
    /// Bytes cut from the end of the journal: a write that never finished
    /// (never acknowledged).
    pub truncated_bytes: u64,
    /// Damaged snapshot files passed over.
    pub bad_snapshots: u64,
    /// The engine's seq after recovery.
    pub seq: u64,
}

/// The engine of a live handle; `None` once `ims_engine_free` took it
/// (a call that was waiting for the lock then finds nothing to work on).
type Cell = Shared<Option<Engine>>;

static ENGINES: Registry<Cell> = Registry::new(0x5);

/// Runs `f` on the engine behind `h`, under its lock.
pub(crate) fn with<T>(h: *mut ims_engine, f: impl FnOnce(&mut Engine) -> Result<T, Error>) -> Result<T, Error> {
    ENGINES.get(h as usize)?.with(|e| match e {
        Some(e) => f(e),
        None => Err(Error::InvalidHandle { reason: "freed or stale" }),
    })
}

fn register(e: Engine, out: Out<*mut ims_engine>) -> Result<(), Error> {
    let h = ENGINES.insert(Shared::new(Some(e)))?;
    out.put(h as *mut ims_engine);
    Ok(())
}

/// A new, empty engine in memory.
#[no_mangle]
pub extern "C" fn ims_engine_new(out: *mut *mut ims_engine) -> ims_status {
    run("ims_engine_new", || register(Engine::new(), Out::new(out, "out")?))
}

/// An engine on the journal directory `dir` (created if missing): what was
/// acknowledged before a crash or power loss is there again. `durability`
/// is one of `IMS_DURABILITY_*`; `recovery` (may be NULL) receives what
/// recovery found. `IMS_STORAGE` when the directory cannot be used (in use
/// by another writer, damaged in the middle, unreadable).
#[no_mangle]
pub extern "C" fn ims_engine_open(
    dir: ims_str,
    durability: u32,
    recovery: *mut ims_recovery,
    out: *mut *mut ims_engine,
) -> ims_status {
    run("ims_engine_open", || {
        let dir = dir.text("dir")?;
        let durability = match durability {
            IMS_DURABILITY_EVERY_COMMIT => Durability::EveryCommit,
            IMS_DURABILITY_EVERY_100 => Durability::EveryN(100),
            IMS_DURABILITY_NEVER => Durability::Never,
            _ => return Err(Error::InvalidCommand { reason: format!("durability {durability}: want 0, 1 or 2") }),
        };
        let recovery = Out::opt(recovery)?;
        let out = Out::new(out, "out")?;
        let (e, rec) = ims_journal::open(Path::new(dir), Options { durability, ..Options::default() })?;
        if let Some(r) = recovery {
            r.put(ims_recovery {
                snapshot_seq: rec.snapshot_seq.unwrap_or(0),
                replayed: rec.replayed,
                truncated_bytes: rec.truncated_bytes,
                bad_snapshots: rec.bad_snapshots.len() as u64,
                seq: rec.seq,
            });
        }
        register(e, out)
    })
}

/// An engine in memory from snapshot bytes (`ims_engine_snapshot`).
/// `IMS_INVALID_SNAPSHOT` when they do not decode.
#[no_mangle]
pub extern "C" fn ims_engine_restore(snapshot: *const u8, len: usize, out: *mut *mut ims_engine) -> ims_status {
    run("ims_engine_restore", || {
        let b = bytes(snapshot, len, "snapshot")?;
        let out = Out::new(out, "out")?;
        register(Engine::restore(b)?, out)
    })
}

/// An independent copy in memory (for what-if), from the engine's state now.
#[no_mangle]
pub extern "C" fn ims_engine_fork(engine: *mut ims_engine, out: *mut *mut ims_engine) -> ims_status {
    run("ims_engine_fork", || {
        let out = Out::new(out, "out")?;
        register(with(engine, |e| Ok(e.fork()))?, out)
    })
}

/// Gives the handle back. A durable engine flushes and closes its journal
/// (`IMS_STORAGE` if that fails; the handle is gone either way). NULL is a
/// no-op; a freed, stale or foreign handle is `IMS_INVALID_HANDLE`. Calls
/// still running on other threads finish first.
#[no_mangle]
pub extern "C" fn ims_engine_free(engine: *mut ims_engine) -> ims_status {
    run("ims_engine_free", || {
        if engine.is_null() {
            return Ok(());
        }
        let cell = ENGINES.remove(engine as usize)?;
        cell.with(|e| e.take().map_or(Ok(()), Engine::close))
    })
}

/// The engine's state as snapshot bytes, into `*out` / `*out_len` (free
/// with `ims_bytes_free`).
#[no_mangle]
pub extern "C" fn ims_engine_snapshot(engine: *mut ims_engine, out: *mut *mut u8, out_len: *mut usize) -> ims_status {
    run("ims_engine_snapshot", || {
        let (out, out_len) = (Out::new(out, "out")?, Out::new(out_len, "out_len")?);
        put_bytes(&with(engine, |e| Ok(e.snapshot()))?, out, out_len)
    })
}

/// The state digest, 64 lower-case hex characters (free with
/// `ims_string_free`). Equal on every platform and through every door for
/// the same commands.
#[no_mangle]
pub extern "C" fn ims_engine_state_digest(engine: *mut ims_engine, out: *mut *mut c_char) -> ims_status {
    run("ims_engine_state_digest", || {
        let out = Out::new(out, "out")?;
        put_string(&with(engine, |e| Ok(hex(&e.state_digest())))?, out, None)
    })
}

/// The journal digest (a hash chain over every envelope), as
/// `ims_engine_state_digest`.
#[no_mangle]
pub extern "C" fn ims_engine_journal_digest(engine: *mut ims_engine, out: *mut *mut c_char) -> ims_status {
    run("ims_engine_journal_digest", || {
        let out = Out::new(out, "out")?;
        put_string(&with(engine, |e| Ok(hex(&e.journal_digest())))?, out, None)
    })
}

/// The seq of the last envelope (0 for a new engine).
#[no_mangle]
pub extern "C" fn ims_engine_seq(engine: *mut ims_engine, out: *mut u64) -> ims_status {
    run("ims_engine_seq", || {
        let out = Out::new(out, "out")?;
        out.put(with(engine, |e| Ok(e.seq()))?);
        Ok(())
    })
}

/// The engine's clock, ms since 1970 UTC: the latest time a command or
/// `ims_engine_advance_to` brought. The engine never reads a clock itself.
#[no_mangle]
pub extern "C" fn ims_engine_now(engine: *mut ims_engine, out: *mut i64) -> ims_status {
    run("ims_engine_now", || {
        let out = Out::new(out, "out")?;
        out.put(with(engine, |e| Ok(e.now()))?);
        Ok(())
    })
}

/// Moves the clock to `now_ms` (never back), expiring reservations whose
/// time has come. The outcome as JSON into `*out` when `out` is not NULL
/// (free with `ims_string_free`).
#[no_mangle]
pub extern "C" fn ims_engine_advance_to(
    engine: *mut ims_engine,
    now_ms: i64,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> ims_status {
    run("ims_engine_advance_to", || {
        let (out, out_len) = (Out::opt(out)?, Out::opt(out_len)?);
        let o = with(engine, |e| e.advance_to(now_ms))?;
        match out {
            Some(out) => put_string(&outcome_json(&o, None), out, out_len),
            None => Ok(()),
        }
    })
}

/// Checks every invariant of the state; `*out` receives a JSON array of
/// the violations found (`[]` when the state is sound; free with
/// `ims_string_free`).
#[no_mangle]
pub extern "C" fn ims_engine_verify(engine: *mut ims_engine, out: *mut *mut c_char) -> ims_status {
    run("ims_engine_verify", || {
        let out = Out::new(out, "out")?;
        let v = with(engine, |e| Ok(e.verify().err().unwrap_or_default()))?;
        put_string(&serde_json::Value::from(v).to_string(), out, None)
    })
}

/// Writes a snapshot to the engine's storage: a durable engine starts
/// from it next time and compacts its journal.
#[no_mangle]
pub extern "C" fn ims_engine_checkpoint(engine: *mut ims_engine) -> ims_status {
    run("ims_engine_checkpoint", || with(engine, |e| e.checkpoint()))
}
