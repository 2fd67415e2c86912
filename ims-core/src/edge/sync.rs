//! The sync protocol, authority side: a replica's queued commands in, their
//! outcomes, conflict reports and the journal tail out.
//!
//! Every command is executed idempotently by its client key, so a sync that
//! is retried (its response was lost) or delivered twice never sells twice:
//! a key seen before returns its first outcome, and its conflict report is
//! computed again from the stored envelope, identical to the first one.

use serde::{Deserialize, Serialize};

use super::conflict::{self, Conflict};
use super::slice::Slice;
use crate::command::Command;
use crate::engine::{Engine, Envelope, MAX_BATCH};
use crate::error::Error;
use crate::event::Event;
use crate::state::State;

/// What a replica sends: its queued commands, and the last authoritative
/// envelope it holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncRequest {
    /// The replica's name (echoed in the response).
    pub replica: String,
    /// Request number, increasing per replica: a response answers one
    /// request, and a replica acts only on the answer to its latest.
    pub request: u64,
    /// The seq of the last authority envelope the replica applied.
    pub after_seq: u64,
    /// The queued commands, in the order they ran on the replica. Each
    /// carries its client key.
    pub commands: Vec<Command>,
    /// The replica's slice: a slice of some items gets a tail with only
    /// their events.
    #[serde(default, skip_serializing_if = "Slice::is_all")]
    pub slice: Slice,
}

/// The authority's verdict on one queued command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Verdict {
    /// Executed now, or earlier under the same key (`exists`).
    Accepted {
        /// The envelope that holds it.
        seq: u64,
        /// Executed by an earlier sync: nothing new happened.
        exists: bool,
    },
    /// Refused: nothing of it happened at the authority.
    Refused {
        /// Catalogue name.
        error: String,
        /// Catalogue code.
        code: u16,
        /// The message.
        message: String,
    },
}

/// One queued command's result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncResult {
    /// The client key (`""` for a command that had none: refused).
    pub key: String,
    /// What the authority did.
    #[serde(flatten)]
    pub verdict: Verdict,
}

/// What the authority answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncResponse {
    /// The replica it answers.
    pub replica: String,
    /// The request it answers.
    pub request: u64,
    /// One result per queued command, in request order.
    pub results: Vec<SyncResult>,
    /// The commands whose outcome differs from what the replica showed, in
    /// request order.
    pub conflicts: Vec<Conflict>,
    /// Envelopes after the request's `after_seq`, up to `head_seq`; empty
    /// when `snapshot_required`.
    pub tail: Vec<Envelope>,
    /// The authority's seq after executing the request.
    pub head_seq: u64,
    /// The authority's journal digest at `head_seq`. A replica whose view
    /// reached the same digest by executing its queue holds the very state
    /// the tail would give, and keeps it instead of replaying the tail.
    #[serde(with = "crate::engine::hex32")]
    pub head_digest: [u8; 32],
    /// The tail would be longer than the authority sends: the replica must
    /// restart from a fresh snapshot (its queued commands were still
    /// executed and are answered here).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub snapshot_required: bool,
}

/// Authority-side limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncOptions {
    /// The longest journal tail sent in one response; a replica further
    /// behind is told to take a snapshot.
    pub max_tail: u64,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions { max_tail: 100_000 }
    }
}

impl SyncRequest {
    /// The request as JSON bytes (UTF-8), for any transport.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
    /// Decodes [`SyncRequest::to_bytes`]; a malformed message is
    /// `INVALID_COMMAND` with the decoder's reason.
    pub fn from_bytes(bytes: &[u8]) -> Result<SyncRequest, Error> {
        serde_json::from_slice(bytes).map_err(|e| Error::InvalidCommand { reason: e.to_string() })
    }
}

/// First bytes of a sync response's byte form.
pub const RESPONSE_MAGIC: &[u8; 8] = b"IMSSYNC1";

fn invalid(reason: impl Into<String>) -> Error {
    Error::InvalidCommand { reason: reason.into() }
}

impl SyncResponse {
    /// The response's byte form: [`RESPONSE_MAGIC`], the response without
    /// its tail as length-prefixed JSON, then the tail as length-prefixed
    /// envelopes in their canonical binary encoding (docs/binary-format.md)
    /// — a tail of 10,000 envelopes is read several times faster than JSON.
    /// Lengths are little-endian `u32`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let head = SyncResponse { tail: Vec::new(), ..self.clone() };
        let json = serde_json::to_vec(&head).unwrap_or_default();
        let mut out = Vec::with_capacity(16 + json.len() + self.tail.len() * 160);
        out.extend_from_slice(RESPONSE_MAGIC);
        out.extend_from_slice(&(json.len() as u32).to_le_bytes());
        out.extend_from_slice(&json);
        out.extend_from_slice(&(self.tail.len() as u32).to_le_bytes());
        let mut env = Vec::with_capacity(256);
        for e in &self.tail {
            env.clear();
            crate::codec::encode_envelope(e, &mut env);
            out.extend_from_slice(&(env.len() as u32).to_le_bytes());
            out.extend_from_slice(&env);
        }
        out
    }

    /// Decodes [`SyncResponse::to_bytes`]. Every length is checked against
    /// the bytes that remain: a truncated, padded or hostile message is
    /// `INVALID_COMMAND`, never a panic or a huge allocation.
    pub fn from_bytes(bytes: &[u8]) -> Result<SyncResponse, Error> {
        let rest = bytes.strip_prefix(RESPONSE_MAGIC.as_slice()).ok_or_else(|| invalid("not a sync response"))?;
        let mut r = rest;
        let mut take = |n: usize| -> Result<&[u8], Error> {
            if r.len() < n {
                return Err(invalid("sync response truncated"));
            }
            let (a, b) = r.split_at(n);
            r = b;
            Ok(a)
        };
        let len = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
        let n = len(take(4)?);
        let mut resp: SyncResponse =
            serde_json::from_slice(take(n)?).map_err(|e| invalid(format!("sync response: {e}")))?;
        if !resp.tail.is_empty() {
            return Err(invalid("sync response: the tail belongs after the JSON part"));
        }
        let count = len(take(4)?);
        // Each envelope takes at least its 4-byte length: a count beyond
        // what the bytes can hold is refused before allocating for it.
        if count > bytes.len() / 4 {
            return Err(invalid("sync response: envelope count beyond the message"));
        }
        resp.tail.reserve(count);
        for _ in 0..count {
            let n = len(take(4)?);
            resp.tail.push(Envelope::from_bytes(take(n)?)?);
        }
        if !r.is_empty() {
            return Err(invalid(format!("{} trailing bytes after the sync response", r.len())));
        }
        Ok(resp)
    }
}

impl Engine {
    /// Serves a replica's sync: executes its queued commands one by one
    /// (each on its own, idempotently by client key), reports conflicts, and
    /// returns the journal tail after `after_seq`.
    ///
    /// Refused as a whole, with nothing executed: more than [`MAX_BATCH`]
    /// commands (`LIMIT_EXCEEDED`), or an `after_seq` beyond the authority's
    /// own (`ENVELOPE_OUT_OF_ORDER`: the replica follows another journal).
    pub fn sync(&mut self, req: &SyncRequest, opts: &SyncOptions) -> Result<SyncResponse, Error> {
        if req.commands.len() > MAX_BATCH {
            return Err(Error::LimitExceeded { what: "commands per sync", max: MAX_BATCH as u64 });
        }
        if req.after_seq > self.seq() {
            return Err(Error::EnvelopeOutOfOrder { expected: self.seq() + 1, got: req.after_seq + 1 });
        }
        req.slice.check()?;
        let head_before = self.seq();
        let mut results = Vec::with_capacity(req.commands.len());
        let mut conflicts = Vec::new();
        let mut fresh: Vec<Envelope> = Vec::new();
        for cmd in &req.commands {
            let key = cmd.client_key.clone().unwrap_or_default();
            let outcome = match &cmd.client_key {
                None => Err(Error::ClientKeyRequired { command: cmd.body.type_name().into() }),
                Some(_) => self.execute(cmd),
            };
            match outcome {
                Ok(o) => {
                    let conflict = match &o.envelope {
                        Some(env) => conflict::accepted(&self.st, &key, &cmd.body, &env.events),
                        None => self.first_outcome_conflict(&key, cmd, o.seq)?,
                    };
                    conflicts.extend(conflict);
                    results.push(SyncResult { key, verdict: Verdict::Accepted { seq: o.seq, exists: o.exists } });
                    fresh.extend(o.envelope);
                }
                Err(e) => {
                    conflicts.push(conflict::refused(&self.st, &key, &cmd.body, &e));
                    results.push(SyncResult {
                        key,
                        verdict: Verdict::Refused { error: e.name().into(), code: e.code(), message: e.to_string() },
                    });
                }
            }
        }
        let head_seq = self.seq();
        let behind = head_seq - req.after_seq;
        let mut tail = Vec::new();
        let mut snapshot_required = behind > opts.max_tail;
        if !snapshot_required && behind > 0 {
            // What came before this sync from storage; this sync's own
            // envelopes are at hand.
            if head_before > req.after_seq {
                let mut old =
                    self.storage().read_from(req.after_seq + 1).map_err(|e| Error::Storage { reason: e.0 })?;
                old.truncate((head_before - req.after_seq) as usize);
                tail = old;
            }
            tail.extend(fresh);
            // A storage that keeps no journal (or compacted it) cannot give
            // the tail: the replica needs a snapshot instead.
            let contiguous = tail.len() as u64 == behind
                && tail.iter().enumerate().all(|(k, e)| e.seq == req.after_seq + 1 + k as u64);
            if !contiguous {
                tail.clear();
                snapshot_required = true;
            }
            if req.slice.cuts_items() {
                tail = tail.iter().map(|e| filter_envelope(&self.st, e, &req.slice)).collect();
            }
        }
        Ok(SyncResponse {
            replica: req.replica.clone(),
            request: req.request,
            results,
            conflicts,
            tail,
            head_seq,
            head_digest: self.journal_digest(),
            snapshot_required,
        })
    }

    /// The journal after `after_seq`, for a replica following by push.
    /// `SNAPSHOT_REQUIRED` when it is longer than `max` envelopes or the
    /// storage no longer holds it.
    pub fn tail_after(&self, after_seq: u64, max: u64, slice: &Slice) -> Result<Vec<Envelope>, Error> {
        slice.check()?;
        if after_seq > self.seq() {
            return Err(Error::EnvelopeOutOfOrder { expected: self.seq() + 1, got: after_seq + 1 });
        }
        let behind = self.seq() - after_seq;
        if behind > max {
            return Err(Error::SnapshotRequired { behind, max });
        }
        let tail = self.storage().read_from(after_seq + 1).map_err(|e| Error::Storage { reason: e.0 })?;
        if tail.len() as u64 != behind || tail.first().is_some_and(|e| e.seq != after_seq + 1) {
            return Err(Error::SnapshotRequired { behind, max: tail.len() as u64 });
        }
        if slice.cuts_items() {
            return Ok(tail.iter().map(|e| filter_envelope(&self.st, e, slice)).collect());
        }
        Ok(tail)
    }

    /// The conflict report a retried command got the first time, from the
    /// envelope that executed it.
    fn first_outcome_conflict(&self, key: &str, cmd: &Command, seq: u64) -> Result<Option<Conflict>, Error> {
        let env = self.storage().read_one(seq).map_err(|e| Error::Storage { reason: e.0 })?;
        Ok(env.and_then(|env| conflict::accepted(&self.st, key, &cmd.body, &env.events)))
    }
}

/// An envelope as a replica of a slice of items receives it: the same
/// header (seq, times, keys), and only the events about the slice's items
/// (and locations, which every replica holds). Operations events stay with
/// the authority.
fn filter_envelope(st: &State, env: &Envelope, slice: &Slice) -> Envelope {
    let keep = |item: &str| slice.items.iter().any(|i| i == item);
    let res_item = |code: &str| st.res_id(code).is_some_and(|r| keep(&st.cat.item(st.res[r.ix()].item).code));
    let events = env
        .events
        .iter()
        .filter(|ev| match ev {
            Event::LocationDefined(_) => true,
            Event::ItemDefined(spec) => keep(&spec.item),
            Event::LotCreated { item, .. }
            | Event::LotStatusChanged { item, .. }
            | Event::MovePosted { item, .. }
            | Event::NegativeStock { item, .. }
            | Event::ReservationCreated { item, .. }
            | Event::ReceiptExpected { item, .. } => keep(item),
            Event::Allocated { reservation, .. }
            | Event::Deallocated { reservation, .. }
            | Event::DemandChanged { reservation, .. }
            | Event::ReservationShorted { reservation, .. }
            | Event::ReservationAmended { reservation, .. }
            | Event::ReservationCommitted { reservation, .. }
            | Event::ReservationExtended { reservation, .. }
            | Event::ReservationFinished { reservation, .. } => res_item(reservation),
            Event::ReceiptOpenChanged { receipt, .. } => {
                st.receipt_index(receipt).is_some_and(|ix| keep(&st.cat.item(st.receipts[ix as usize].item).code))
            }
            Event::Ops(_) => false,
        })
        .cloned()
        .collect();
    Envelope {
        seq: env.seq,
        occurred_at: env.occurred_at,
        processed_at: env.processed_at,
        client_key: env.client_key.clone(),
        command_hash: env.command_hash,
        batch_keys: env.batch_keys.clone(),
        events,
    }
}
