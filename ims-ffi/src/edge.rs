//! Edge mode for a till that goes offline: `ims_replica` keeps selling on
//! its copy of the authority's state and queues what it did; a sync round
//! trip is bytes out (`ims_replica_sync_request`), bytes through the
//! authority (`ims_engine_sync`, on the server or the store's back office),
//! bytes back (`ims_replica_receive`), which reports the conflicts — a sale
//! that oversold, a hold the authority refused (docs/edge.md).

use std::os::raw::c_char;

use ims_core::edge::{QueueLimits, Replica, Slice, SyncOptions, SyncRequest, SyncResponse};
use ims_core::{hex, Error, Shared};
use serde_json::json;

use crate::args::{bytes, ims_str, Out};
use crate::call::run;
use crate::engine::{ims_engine, with as with_engine};
use crate::json::{command, outcome_json, query};
use crate::out::{put_bytes, put_string};
use crate::registry::Registry;
use crate::sale::{ims_sale, ims_sale_outcome, IMS_LINE_RETURN, IMS_LINE_SALE};
use crate::status::ims_status;
use crate::stock::{ims_stock, put_barcode, stock_of};

/// An edge replica of an authority engine. Opaque; thread-safe like
/// `ims_engine`.
pub struct ims_replica {
    _private: [u8; 0],
}

type Cell = Shared<Option<Replica>>;

static REPLICAS: Registry<Cell> = Registry::new(0xA);

fn with<T>(h: *mut ims_replica, f: impl FnOnce(&mut Replica) -> Result<T, Error>) -> Result<T, Error> {
    REPLICAS.get(h as usize)?.with(|r| match r {
        Some(r) => f(r),
        None => Err(Error::InvalidHandle { reason: "freed or stale" }),
    })
}

fn slice(json: ims_str) -> Result<Slice, Error> {
    match json.opt("slice")? {
        None => Ok(Slice::default()),
        Some(s) => serde_json::from_str(s).map_err(|e| Error::InvalidCommand { reason: format!("slice: {e}") }),
    }
}

/// A replica named `name` (unique per authority: it keys the replica's
/// queue there) from the authority's snapshot bytes (`ims_engine_snapshot`,
/// or `ims_engine_slice_snapshot` for part of the catalogue). `slice`
/// (optional) is `{"items": [...], "locations": [...]}`; `max_len` and
/// `max_age_ms` bound the offline queue (0: 10000 commands, 7 days).
#[no_mangle]
pub extern "C" fn ims_replica_new(
    name: ims_str,
    snapshot: *const u8,
    snapshot_len: usize,
    slice_json: ims_str,
    max_len: u32,
    max_age_ms: i64,
    out: *mut *mut ims_replica,
) -> ims_status {
    run("ims_replica_new", || {
        let name = name.text("name")?;
        let snap = bytes(snapshot, snapshot_len, "snapshot")?;
        let slice = slice(slice_json)?;
        let out = Out::new(out, "out")?;
        let mut limits = QueueLimits::default();
        if max_len > 0 {
            limits.max_len = max_len;
        }
        if max_age_ms > 0 {
            limits.max_age_ms = max_age_ms;
        }
        let r = Replica::from_snapshot(name, snap, slice, limits)?;
        out.put(REPLICAS.insert(Shared::new(Some(r)))? as *mut ims_replica);
        Ok(())
    })
}

/// Gives the replica back (its queue is lost: sync first). NULL is a no-op.
#[no_mangle]
pub extern "C" fn ims_replica_free(replica: *mut ims_replica) -> ims_status {
    run("ims_replica_free", || {
        if replica.is_null() {
            return Ok(());
        }
        REPLICAS.remove(replica as usize)?.with(|r| {
            r.take();
            Ok(())
        })
    })
}

fn line(replica: *mut ims_replica, sale: *const ims_sale, out: *mut ims_sale_outcome, kind: u32) -> Result<(), Error> {
    crate::sale::record(sale, out, kind, |cmd| with(replica, |r| r.execute(cmd)))
}

/// A sale on the replica: applied to its local view at once and queued
/// for the authority. Give every line a `client_key` (a replica refuses a
/// command without one: `IMS_CLIENT_KEY_REQUIRED`).
#[no_mangle]
pub extern "C" fn ims_replica_sell(
    replica: *mut ims_replica,
    sale: *const ims_sale,
    out: *mut ims_sale_outcome,
) -> ims_status {
    run("ims_replica_sell", || line(replica, sale, out, IMS_LINE_SALE))
}

/// A customer's return on the replica, as `ims_replica_sell`.
#[no_mangle]
pub extern "C" fn ims_replica_return(
    replica: *mut ims_replica,
    sale: *const ims_sale,
    out: *mut ims_sale_outcome,
) -> ims_status {
    run("ims_replica_return", || line(replica, sale, out, IMS_LINE_RETURN))
}

/// Any command a replica may run (sales, returns, adjustments, holds), as
/// JSON; the outcome as JSON with `"pending"`, the queue length after it.
#[no_mangle]
pub extern "C" fn ims_replica_execute_json(
    replica: *mut ims_replica,
    json: ims_str,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> ims_status {
    run("ims_replica_execute_json", || {
        let cmd = command(json.text("json")?)?;
        let (out, out_len) = (Out::opt(out)?, Out::opt(out_len)?);
        let (o, pending) = with(replica, |r| Ok((r.execute(&cmd)?, r.pending().len())))?;
        match out {
            Some(out) => put_string(&outcome_json(&o, Some(pending)), out, out_len),
            None => Ok(()),
        }
    })
}

/// `ims_stock_lookup` on the replica's local view (the authority's state
/// as last synced, plus what is queued).
#[no_mangle]
pub extern "C" fn ims_replica_stock_lookup(
    replica: *mut ims_replica,
    item: ims_str,
    scope: ims_str,
    out: *mut ims_stock,
) -> ims_status {
    run("ims_replica_stock_lookup", || {
        let (item, scope) = (item.text("item")?, scope.text("scope")?);
        let out = Out::new(out, "out")?;
        out.put(with(replica, |r| stock_of(r.view(), item, scope))?);
        Ok(())
    })
}

/// `ims_resolve_barcode` on the replica's local view: a till scans offline
/// too.
#[no_mangle]
pub extern "C" fn ims_replica_resolve_barcode(
    replica: *mut ims_replica,
    barcode: ims_str,
    item: *mut *mut c_char,
    unit: *mut *mut c_char,
) -> ims_status {
    run("ims_replica_resolve_barcode", || {
        let barcode = barcode.text("barcode")?;
        let (item, unit) = (Out::new(item, "item")?, Out::new(unit, "unit")?);
        let v = with(replica, |r| r.view().resolve_barcode(barcode))?;
        put_barcode(&v, item, unit)
    })
}

/// `ims_query_json` on the replica's local view.
#[no_mangle]
pub extern "C" fn ims_replica_query_json(
    replica: *mut ims_replica,
    json: ims_str,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> ims_status {
    run("ims_replica_query_json", || {
        let q = query(json.text("json")?)?;
        let (out, out_len) = (Out::new(out, "out")?, Out::opt(out_len)?);
        let v = with(replica, |r| r.view().query(&q))?;
        put_string(&v.to_string(), out, out_len)
    })
}

/// Moves the replica's local clock (its holds expire on local time).
#[no_mangle]
pub extern "C" fn ims_replica_advance_to(replica: *mut ims_replica, now_ms: i64) -> ims_status {
    run("ims_replica_advance_to", || with(replica, |r| r.advance_to(now_ms)))
}

/// The next sync request as bytes (free with `ims_bytes_free`): the
/// queue, and the seq the replica holds. Send it to the authority.
#[no_mangle]
pub extern "C" fn ims_replica_sync_request(
    replica: *mut ims_replica,
    out: *mut *mut u8,
    out_len: *mut usize,
) -> ims_status {
    run("ims_replica_sync_request", || {
        let (out, out_len) = (Out::new(out, "out")?, Out::new(out_len, "out_len")?);
        put_bytes(&with(replica, |r| Ok(r.sync_request().to_bytes()))?, out, out_len)
    })
}

/// The authority's side of a sync: runs the request's queued commands
/// (each once, however often the request is retried) and answers with
/// their verdicts, the conflicts and the journal tail the replica lacks (at
/// most `max_tail` envelopes; 0: 100000), as bytes (free with
/// `ims_bytes_free`). Bytes that do not decode: `IMS_INVALID_COMMAND`.
#[no_mangle]
pub extern "C" fn ims_engine_sync(
    engine: *mut ims_engine,
    request: *const u8,
    request_len: usize,
    max_tail: u64,
    out: *mut *mut u8,
    out_len: *mut usize,
) -> ims_status {
    run("ims_engine_sync", || {
        let req = SyncRequest::from_bytes(bytes(request, request_len, "request")?)?;
        let (out, out_len) = (Out::new(out, "out")?, Out::new(out_len, "out_len")?);
        let opts = if max_tail == 0 { SyncOptions::default() } else { SyncOptions { max_tail } };
        put_bytes(&with_engine(engine, |e| e.sync(&req, &opts))?.to_bytes(), out, out_len)
    })
}

/// Takes the authority's answer. `*out` (when not NULL) receives the sync
/// report as JSON — `{"accepted", "refused", "pending", "conflicts": [...],
/// "snapshot_required", ...}` — the conflict report a till prints. When
/// `snapshot_required` is true, `ims_replica_reset` with a fresh snapshot.
#[no_mangle]
pub extern "C" fn ims_replica_receive(
    replica: *mut ims_replica,
    response: *const u8,
    response_len: usize,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> ims_status {
    run("ims_replica_receive", || {
        let resp = SyncResponse::from_bytes(bytes(response, response_len, "response")?)?;
        let (out, out_len) = (Out::opt(out)?, Out::opt(out_len)?);
        let rep = with(replica, |r| r.receive(&resp))?;
        match out {
            Some(out) => put_string(&serde_json::to_string(&rep).unwrap_or_default(), out, out_len),
            None => Ok(()),
        }
    })
}

/// A sync response decoded to JSON for logs and diagnostics: `{"results",
/// "conflicts", "head_seq", "snapshot_required", "tail": n}` (`tail`: how
/// many envelopes it carries).
#[no_mangle]
pub extern "C" fn ims_sync_response_json(
    response: *const u8,
    response_len: usize,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> ims_status {
    run("ims_sync_response_json", || {
        let resp = SyncResponse::from_bytes(bytes(response, response_len, "response")?)?;
        let (out, out_len) = (Out::new(out, "out")?, Out::opt(out_len)?);
        let v = json!({
            "results": serde_json::to_value(&resp.results).unwrap_or_default(),
            "conflicts": serde_json::to_value(&resp.conflicts).unwrap_or_default(),
            "head_seq": resp.head_seq,
            "snapshot_required": resp.snapshot_required,
            "tail": resp.tail.len(),
        });
        put_string(&v.to_string(), out, out_len)
    })
}

/// Starts the replica again from a fresh snapshot of the authority (after
/// `snapshot_required`); what is still queued is kept and re-applied.
#[no_mangle]
pub extern "C" fn ims_replica_reset(replica: *mut ims_replica, snapshot: *const u8, len: usize) -> ims_status {
    run("ims_replica_reset", || {
        let b = bytes(snapshot, len, "snapshot")?;
        with(replica, |r| r.reset(b))
    })
}

/// The replica's state: the authority seq it holds, how many commands are
/// queued, whether the last answer asked for a snapshot. Any output may be
/// NULL.
#[no_mangle]
pub extern "C" fn ims_replica_status(
    replica: *mut ims_replica,
    seq: *mut u64,
    pending: *mut usize,
    needs_snapshot: *mut bool,
) -> ims_status {
    run("ims_replica_status", || {
        let (seq, pending, needs) = (Out::opt(seq)?, Out::opt(pending)?, Out::opt(needs_snapshot)?);
        let (s, p, n) = with(replica, |r| Ok((r.seq(), r.pending().len(), r.needs_snapshot())))?;
        Out::put_opt(seq, s);
        Out::put_opt(pending, p);
        Out::put_opt(needs, n);
        Ok(())
    })
}

/// The digest of the replica's synced slice (hex; free with
/// `ims_string_free`): equal to `ims_engine_slice_digest` of the authority
/// when the two are level.
#[no_mangle]
pub extern "C" fn ims_replica_slice_digest(replica: *mut ims_replica, out: *mut *mut c_char) -> ims_status {
    run("ims_replica_slice_digest", || {
        let out = Out::new(out, "out")?;
        put_string(&with(replica, |r| Ok(hex(&r.slice_digest())))?, out, None)
    })
}

/// The snapshot of part of the authority's catalogue (`slice_json` as in
/// `ims_replica_new`; `{NULL, 0}`: everything), for a replica of it.
#[no_mangle]
pub extern "C" fn ims_engine_slice_snapshot(
    engine: *mut ims_engine,
    slice_json: ims_str,
    out: *mut *mut u8,
    out_len: *mut usize,
) -> ims_status {
    run("ims_engine_slice_snapshot", || {
        let s = slice(slice_json)?;
        let (out, out_len) = (Out::new(out, "out")?, Out::new(out_len, "out_len")?);
        put_bytes(&with_engine(engine, |e| e.slice_snapshot(&s))?, out, out_len)
    })
}

/// The authority's digest of a slice (hex), to compare with a replica's.
#[no_mangle]
pub extern "C" fn ims_engine_slice_digest(
    engine: *mut ims_engine,
    slice_json: ims_str,
    out: *mut *mut c_char,
) -> ims_status {
    run("ims_engine_slice_digest", || {
        let s = slice(slice_json)?;
        let out = Out::new(out, "out")?;
        put_string(&with_engine(engine, |e| e.slice_digest(&s).map(|d| hex(&d)))?, out, None)
    })
}
