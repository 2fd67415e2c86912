//! The replica: an engine that follows an authority and keeps working when
//! the link is down. It holds two engines:
//!
//! * `base` — the authority's state as of the last envelope applied, and
//!   nothing else: its journal digest is the authority's at that seq;
//! * `view` — `base` plus the queued local commands, executed optimistically
//!   in queue order. Local questions (availability, ATP) are answered here,
//!   so a sale shows at once.
//!
//! Rebasing is always the same move: rebuild `view` from `base` and replay
//! what is still queued. It is simple enough to be obviously right, and it
//! costs one fork plus the queue.

use serde::{Deserialize, Serialize};

use super::conflict::Conflict;
use super::slice::Slice;
use super::sync::{SyncRequest, SyncResponse, Verdict};
use crate::command::{Command, CommandBody, Scope};
use crate::engine::{command_hash, Engine, Envelope, Outcome};
use crate::error::Error;
use crate::ids::FxMap;
use crate::state::{public_key_token, State};
use crate::storage::NullStorage;
use crate::time::Millis;

/// Bounds on what a replica may queue before it syncs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueLimits {
    /// Most commands queued.
    pub max_len: u32,
    /// Most time between the oldest queued command and a new one (ms).
    pub max_age_ms: i64,
}

impl Default for QueueLimits {
    /// 10,000 commands or seven days: a till's busiest offline day, and
    /// the time the authority keeps client keys at the least.
    fn default() -> Self {
        QueueLimits { max_len: 10_000, max_age_ms: 7 * 86_400_000 }
    }
}

/// A queued local command.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    /// The command, with its client key.
    pub command: Command,
    /// Its idempotency hash (the authority's envelope carries the same):
    /// computed once, compared on every rebase.
    pub hash: [u8; 32],
    /// The authority accepted it, but its envelope has not reached this
    /// replica yet (the last sync asked for a snapshot): it is not sent
    /// again, and it stays in the view until the base holds it.
    pub acknowledged: bool,
    /// On the last rebase the view refused it (the authoritative tail took
    /// the stock it needed): the authority will most likely refuse it too.
    pub doubtful: bool,
}

/// What receiving a sync response did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    /// The request the response answered.
    pub request: u64,
    /// It answered an older request than the latest one sent, or one already
    /// settled: its tail was used, its verdicts were not (the latest request
    /// carries them again).
    pub stale: bool,
    /// Envelopes of the tail applied (duplicates skipped).
    pub applied: u64,
    /// The tail held only this replica's queue, executed exactly as the
    /// view had: the view became the base without replaying the tail.
    pub adopted: bool,
    /// Queued commands the authority accepted.
    pub accepted: u32,
    /// Queued commands the authority refused (each has a conflict).
    pub refused: u32,
    /// Conflict reports, in the order the commands were queued.
    pub conflicts: Vec<Conflict>,
    /// Commands still queued.
    pub pending: usize,
    /// Of those, how many the rebased view refused.
    pub doubtful: usize,
    /// The replica must restart from a fresh snapshot ([`Replica::reset`]).
    pub snapshot_required: bool,
    /// The base's seq after the tail.
    pub seq: u64,
}

/// An engine that follows an authority and queues local commands.
pub struct Replica {
    name: String,
    slice: Slice,
    /// The slice's items, for the check of each local command (`None`: all).
    items: Option<hashbrown::HashSet<String>>,
    limits: QueueLimits,
    base: Engine,
    view: Engine,
    pending: Vec<Pending>,
    next_request: u64,
    /// The newest request whose answer was settled: an answer delivered
    /// twice settles once.
    settled: u64,
    local_now: Millis,
    needs_snapshot: bool,
}

impl std::fmt::Debug for Replica {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replica")
            .field("name", &self.name)
            .field("seq", &self.base.seq())
            .field("pending", &self.pending.len())
            .finish_non_exhaustive()
    }
}

/// Commands a replica may run locally: stock facts and reservations. The
/// catalog and the operations documents belong to the authority.
fn allowed(body: &CommandBody) -> bool {
    matches!(
        body,
        CommandBody::Sell(_)
            | CommandBody::ReturnSale(_)
            | CommandBody::Adjust(_)
            | CommandBody::Scrap(_)
            | CommandBody::Move(_)
            | CommandBody::Reverse { .. }
            | CommandBody::Reserve(_)
            | CommandBody::Promise(_)
            | CommandBody::Commit(_)
            | CommandBody::Release { .. }
            | CommandBody::Extend { .. }
            | CommandBody::Amend(_)
    )
}

/// Whether the base executed the command `key` with `hash`: it holds the
/// key with that hash, or — a public projection, whose journal carries
/// public tokens instead of keys — the key's token.
fn key_holds(st: &State, key: &str, hash: &[u8; 32]) -> bool {
    if st.keys.get(key).is_some_and(|rec| rec.hash == *hash) {
        return true;
    }
    st.is_public() && {
        let (token, th) = public_key_token(key, hash);
        st.keys.get(token.as_str()).is_some_and(|rec| rec.hash == th)
    }
}

/// Whether the base knows the key at all (with this command, when it knows
/// it only by public token).
fn key_seen(st: &State, key: &str, hash: &[u8; 32]) -> bool {
    st.keys.contains_key(key) || (st.is_public() && st.keys.contains_key(public_key_token(key, hash).0.as_str()))
}

impl Replica {
    /// A replica named `name` (it identifies its sync messages) started
    /// from an authority snapshot, answering for `slice`.
    pub fn from_snapshot(name: &str, snapshot: &[u8], slice: Slice, limits: QueueLimits) -> Result<Replica, Error> {
        crate::state::State::check_code("replica", name)?;
        slice.check()?;
        let base = Self::base_of(snapshot, &slice)?;
        let view = base.fork();
        let local_now = base.now();
        let items = slice.cuts_items().then(|| slice.items.iter().cloned().collect());
        Ok(Replica {
            name: name.into(),
            slice,
            items,
            limits,
            base,
            view,
            pending: Vec::new(),
            next_request: 1,
            settled: 0,
            local_now,
            needs_snapshot: false,
        })
    }

    /// The base engine of a replica of `slice`: a slice of some items keeps
    /// only their state, whatever snapshot it was handed (a full one is cut
    /// here; one cut by [`Engine::slice_snapshot`] is taken as it is).
    fn base_of(snapshot: &[u8], slice: &Slice) -> Result<Engine, Error> {
        let mut base = Engine::restore(snapshot)?;
        if slice.cuts_items() && !base.st.moves.is_sparse() {
            base = Engine::restore(&base.slice_snapshot(slice)?)?;
        }
        base.set_storage(Box::new(NullStorage));
        Ok(base)
    }

    /// The replica's name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The slice it answers for.
    pub fn slice(&self) -> &Slice {
        &self.slice
    }
    /// The queue limits.
    pub fn limits(&self) -> QueueLimits {
        self.limits
    }
    /// The authority's state as of [`Replica::seq`].
    pub fn base(&self) -> &Engine {
        &self.base
    }
    /// The local view: the base plus the queued commands. Ask it for local
    /// availability.
    pub fn view(&self) -> &Engine {
        &self.view
    }
    /// The seq of the last authority envelope applied.
    pub fn seq(&self) -> u64 {
        self.base.seq()
    }
    /// The queued commands, oldest first.
    pub fn pending(&self) -> &[Pending] {
        &self.pending
    }
    /// Whether the last sync said this replica must restart from a snapshot.
    pub fn needs_snapshot(&self) -> bool {
        self.needs_snapshot
    }
    /// The slice digest of the base, to compare with the authority's.
    pub fn slice_digest(&self) -> [u8; 32] {
        super::slice::slice_digest_of(&self.base.st, &self.slice)
    }

    /// Runs a command locally and queues it. It must carry a client key,
    /// be a stock or reservation command, stay inside the slice, and fit
    /// the queue limits. A request the local view refuses is not queued; a
    /// retry of a queued command answers `exists` like the engine does.
    pub fn execute(&mut self, cmd: &Command) -> Result<Outcome, Error> {
        let Some(key) = &cmd.client_key else {
            return Err(Error::ClientKeyRequired { command: cmd.body.type_name().into() });
        };
        if !allowed(&cmd.body) {
            return Err(Error::NotAllowedOnReplica { command: cmd.body.type_name().into() });
        }
        // A move posted on this replica has a provisional id: the authority
        // numbers it when the sale arrives, maybe differently. Only moves
        // the authority numbered can be named.
        if let CommandBody::Reverse { move_id } = cmd.body {
            if move_id >= self.base.st.moves.next_id() && self.view.st.moves.index_of(move_id).is_some() {
                return Err(Error::NotAllowedOnReplica { command: "reverse of a move not yet synced".into() });
            }
        }
        self.check_slice(&cmd.body)?;
        // A public base knows the authority's commands by token only: a
        // retry of one it holds is answered here, as the view would answer
        // a key it holds.
        if self.base.st.is_public() {
            let (token, hash) = public_key_token(key, &command_hash(cmd));
            if let Some(rec) = self.base.st.keys.get(token.as_str()).filter(|rec| rec.hash == hash) {
                return Ok(Outcome { seq: rec.seq, exists: true, envelope: None, changes: Vec::new() });
            }
        }
        if !self.view.st.keys.contains_key(key.as_str()) {
            self.check_limits(cmd)?;
        }
        let out = self.view.execute(cmd)?;
        if !out.exists {
            let hash = command_hash(cmd);
            self.pending.push(Pending { command: cmd.clone(), hash, acknowledged: false, doubtful: false });
        }
        self.local_now = self.view.now();
        Ok(out)
    }

    /// Advances local time (expiring local holds) without queueing anything.
    pub fn advance_to(&mut self, now: Millis) -> Result<(), Error> {
        if now > self.local_now {
            self.view.advance_to(now)?;
            self.local_now = self.view.now();
        }
        Ok(())
    }

    fn check_limits(&self, cmd: &Command) -> Result<(), Error> {
        if self.pending.len() >= self.limits.max_len as usize {
            return Err(Error::QueueFull { max: u64::from(self.limits.max_len) });
        }
        if let Some(oldest) = self.pending.first() {
            let at = cmd.occurred_at.max(self.view.now());
            if at.saturating_sub(oldest.command.occurred_at) > self.limits.max_age_ms {
                return Err(Error::QueueTooOld {
                    oldest_at: oldest.command.occurred_at,
                    max_age_ms: self.limits.max_age_ms,
                });
            }
        }
        Ok(())
    }

    /// Refuses a command that names an item or location outside the slice.
    /// References the view does not know are left to the command's own
    /// checks (they give the specific error).
    fn check_slice(&self, body: &CommandBody) -> Result<(), Error> {
        let st = &self.view.st;
        let ids = self.slice.resolve_locations(st);
        let item = |code: &str| {
            if self.items.as_ref().is_none_or(|set| set.contains(code)) {
                Ok(())
            } else {
                Err(Error::NotInSlice { what: "item", code: code.into() })
            }
        };
        let loc = |code: &str| match st.cat.loc_id(code) {
            Some(l) if !ids.has_loc(st, l) && st.cat.loc(l).is_internal() => {
                Err(Error::NotInSlice { what: "location", code: code.into() })
            }
            _ => Ok(()),
        };
        let scope = |s: &Scope| {
            if ids.covers_scope(st, s) {
                Ok(())
            } else {
                let code = match s {
                    Scope::All => "*".to_string(),
                    Scope::Subtree(c) => c.clone(),
                    Scope::List(v) => v.join(","),
                };
                Err(Error::NotInSlice { what: "scope", code })
            }
        };
        let reservation = |code: &str| match st.res_id(code) {
            Some(r) => item(&st.cat.item(st.res[r.ix()].item).code),
            None => Ok(()),
        };
        let moved = |id: u64| st.moves.index_of(id).map(|ix| &st.moves[ix]);
        match body {
            CommandBody::Sell(c) | CommandBody::ReturnSale(c) | CommandBody::Adjust(c) | CommandBody::Scrap(c) => {
                item(&c.item)?;
                loc(&c.location)
            }
            CommandBody::Move(c) => {
                item(&c.item)?;
                loc(&c.from)?;
                loc(&c.to)
            }
            CommandBody::Reverse { move_id } => match moved(*move_id) {
                Some(m) => {
                    item(&st.cat.item(m.item).code)?;
                    loc(&st.cat.loc(m.from).code)?;
                    loc(&st.cat.loc(m.to).code)
                }
                None => Ok(()),
            },
            CommandBody::Reserve(c) => {
                item(&c.item)?;
                scope(&c.scope)
            }
            CommandBody::Promise(c) => {
                item(&c.item)?;
                scope(&c.scope)
            }
            CommandBody::Commit(c) => reservation(&c.reservation),
            CommandBody::Release { reservation: r } | CommandBody::Extend { reservation: r, .. } => reservation(r),
            CommandBody::Amend(c) => reservation(&c.reservation),
            _ => Ok(()),
        }
    }

    /// The next sync request: every queued command the authority has not
    /// acknowledged, and the last seq this replica holds.
    pub fn sync_request(&mut self) -> SyncRequest {
        let request = self.next_request;
        self.next_request += 1;
        SyncRequest {
            replica: self.name.clone(),
            request,
            after_seq: self.base.seq(),
            commands: self.pending.iter().filter(|p| !p.acknowledged).map(|p| p.command.clone()).collect(),
            slice: self.slice.clone(),
        }
    }

    /// Takes the authority's answer: applies the tail (skipping envelopes
    /// already held, so a duplicated response is harmless), settles the
    /// queued commands it answers — only when it answers the latest
    /// request not yet settled, since an older answer may have been
    /// overtaken — and rebases the view.
    ///
    /// Every queued command is reported once: an accepted command's conflict
    /// is derived from its envelope when the envelope arrives (in this tail
    /// or a later one), a refused command's from the verdict; when the tail
    /// was withheld (`snapshot_required`), the authority's own report of an
    /// accepted command is used.
    pub fn receive(&mut self, resp: &SyncResponse) -> Result<SyncReport, Error> {
        if resp.replica != self.name {
            return Err(Error::SyncResponseMismatch {
                reason: format!("response for replica {:?}, this is {:?}", resp.replica, self.name),
            });
        }
        if resp.request == 0 || resp.request >= self.next_request {
            return Err(Error::SyncResponseMismatch { reason: format!("request {} was never sent", resp.request) });
        }
        let latest = resp.request + 1 == self.next_request && resp.request > self.settled;
        let adopted = latest && self.view_is_head(resp);
        let (applied, mut conflicts) = if adopted { self.adopt_view(&resp.tail) } else { self.apply_new(&resp.tail)? };
        let (mut accepted, mut refused) = (0u32, 0u32);
        if latest {
            self.settled = resp.request;
            accepted = resp.results.iter().filter(|r| matches!(r.verdict, Verdict::Accepted { .. })).count() as u32;
            refused = resp.results.len() as u32 - accepted;
            // Adopted: every answered command is in the base now (the view
            // ran them all, none refused) and is dropped by the rebase.
            if !adopted {
                self.settle(resp, &mut conflicts);
            }
            self.needs_snapshot = resp.snapshot_required;
        }
        self.rebase();
        Ok(SyncReport {
            request: resp.request,
            stale: !latest,
            applied,
            adopted,
            accepted,
            refused,
            conflicts,
            pending: self.pending.len(),
            doubtful: self.pending.iter().filter(|p| p.doubtful).count(),
            snapshot_required: self.needs_snapshot,
            seq: self.base.seq(),
        })
    }

    /// Settles the queued commands a response answers: refused ones are
    /// dropped (and reported), accepted ones whose envelope did not come in
    /// the tail are marked acknowledged (and reported from the authority's
    /// own conflict list).
    fn settle(&mut self, resp: &SyncResponse, conflicts: &mut Vec<Conflict>) {
        let verdicts: FxMap<&str, bool> =
            resp.results.iter().map(|r| (r.key.as_str(), matches!(r.verdict, Verdict::Accepted { .. }))).collect();
        if !resp.conflicts.is_empty() {
            // Still waiting for a verdict: not acknowledged before, and not
            // settled by the tail (those were reported from their envelope).
            let waiting: hashbrown::HashSet<&str> = self
                .pending
                .iter()
                .filter(|p| !p.acknowledged)
                .filter_map(|p| p.command.client_key.as_deref().map(|k| (k, p)))
                .filter(|(k, p)| !key_seen(&self.base.st, k, &p.hash))
                .map(|(k, _)| k)
                .collect();
            conflicts.extend(resp.conflicts.iter().filter(|c| waiting.contains(c.key.as_str())).cloned());
        }
        self.pending.retain_mut(|p| match p.command.client_key.as_deref().and_then(|k| verdicts.get(k)) {
            Some(true) => {
                p.acknowledged = true;
                true
            }
            Some(false) => false,
            None => true,
        });
    }

    /// Applies one envelope pushed by the authority. It must be the next
    /// one: a duplicate or a gap is `ENVELOPE_OUT_OF_ORDER`, naming the seq
    /// expected. Returns the conflict of the queued command it settles, if
    /// it settles one that conflicts.
    pub fn apply(&mut self, env: &Envelope) -> Result<Vec<Conflict>, Error> {
        self.apply_tail(std::slice::from_ref(env))
    }

    /// Applies envelopes pushed by the authority, strictly in order from
    /// the next seq (see [`Replica::apply`]), then rebases once. Returns the
    /// conflicts of the queued commands the tail settles, in tail order.
    pub fn apply_tail(&mut self, tail: &[Envelope]) -> Result<Vec<Conflict>, Error> {
        if let Some(first) = tail.first() {
            let expected = self.base.seq() + 1;
            if first.seq != expected {
                return Err(Error::EnvelopeOutOfOrder { expected, got: first.seq });
            }
        }
        let (_, conflicts) = self.apply_new(tail)?;
        self.rebase();
        Ok(conflicts)
    }

    /// Restarts the base from a fresh authority snapshot, keeping the queue.
    pub fn reset(&mut self, snapshot: &[u8]) -> Result<(), Error> {
        self.base = Self::base_of(snapshot, &self.slice)?;
        self.needs_snapshot = false;
        self.rebase();
        Ok(())
    }

    /// Applies the envelopes of `tail` the base does not hold yet, all or
    /// nothing (a gap, or an envelope that does not fit, changes nothing).
    /// An envelope that carries a
    /// queued command's key settles it: its conflict, if any, is derived
    /// here from the envelope (unless the authority already reported it).
    fn apply_new(&mut self, tail: &[Envelope]) -> Result<(u64, Vec<Conflict>), Error> {
        let have = self.base.seq();
        let start = tail.partition_point(|e| e.seq <= have);
        let new = &tail[start..];
        for (k, e) in new.iter().enumerate() {
            let expected = have + 1 + k as u64;
            if e.seq != expected {
                return Err(Error::EnvelopeOutOfOrder { expected, got: e.seq });
            }
        }
        self.base.apply_all(new)?;
        Ok((new.len() as u64, self.settled_conflicts(new)))
    }

    /// The conflicts of the queued commands (not reported yet) whose
    /// envelopes are among `envs`, derived from those envelopes.
    fn settled_conflicts(&self, envs: &[Envelope]) -> Vec<Conflict> {
        let unreported: FxMap<&str, &Pending> = self
            .pending
            .iter()
            .filter(|p| !p.acknowledged)
            .filter_map(|p| p.command.client_key.as_deref().map(|k| (k, p)))
            .collect();
        // On a public base, envelopes carry public tokens: (the key, the
        // command, the hash the envelope carries) by token.
        let tokens: FxMap<String, (&str, &Pending, [u8; 32])> = match self.base.st.is_public() {
            true => unreported
                .iter()
                .map(|(k, p)| {
                    let (token, hash) = public_key_token(k, &p.hash);
                    (token, (*k, *p, hash))
                })
                .collect(),
            false => FxMap::default(),
        };
        let mut conflicts = Vec::new();
        for e in envs {
            let Some(k) = e.client_key.as_deref() else { continue };
            let hit = match unreported.get_key_value(k) {
                Some((key, p)) => Some((*key, *p, p.hash)),
                None => tokens.get(k).copied(),
            };
            let Some((key, p, hash)) = hit else { continue };
            if e.command_hash == Some(hash) {
                conflicts.extend(super::conflict::accepted(&self.base.st, key, &p.command.body, &e.events));
            }
        }
        conflicts
    }

    /// Whether the view, by executing the queue, reached exactly the
    /// authority's head: same seq, same journal digest (a hash chain over
    /// every envelope), with the tail reaching from the base to the head.
    /// Then the authority ran the same commands on the same state in the
    /// same order — the engine is deterministic — and the view *is* the
    /// state the tail would give.
    fn view_is_head(&self, resp: &SyncResponse) -> bool {
        let from = self.base.seq();
        self.view.seq() == resp.head_seq
            && self.view.journal_digest() == resp.head_digest
            && resp.tail.first().is_some_and(|e| e.seq == from + 1)
            && resp.tail.last().is_some_and(|e| e.seq == resp.head_seq)
    }

    /// The fast path of [`Replica::receive`]: the view becomes the base;
    /// the tail is read only to settle and report the queued commands.
    fn adopt_view(&mut self, tail: &[Envelope]) -> (u64, Vec<Conflict>) {
        // The caller rebuilds the view from the new base right after.
        self.base = std::mem::take(&mut self.view);
        (tail.len() as u64, self.settled_conflicts(tail))
    }

    /// Drops the queued commands the base now holds (their envelopes came
    /// in the tail), then rebuilds the view: base, then the rest of the
    /// queue in order, then local time.
    fn rebase(&mut self) {
        let st = &self.base.st;
        self.pending.retain(|p| {
            let Some(k) = p.command.client_key.as_deref() else { return false };
            !key_holds(st, k, &p.hash)
        });
        let mut view = self.base.fork();
        for p in &mut self.pending {
            p.doubtful = view.execute(&p.command).is_err();
        }
        if self.local_now > view.now() {
            // Time only expires holds; it cannot fail for domain reasons.
            let _ = view.advance_to(self.local_now);
        }
        self.view = view;
    }
}
