//! The engine: commands in, envelopes and events out, made durable through
//! the [`Storage`] port before they are acknowledged.

use serde::{Deserialize, Serialize};

use crate::codec;
use crate::command::{BatchMode, Command};
use crate::error::Error;
use crate::event::Event;
use crate::ids::{Code, FxSet};
use crate::state::{KeyRec, Mark, State};
use crate::storage::{MemoryStorage, NullStorage, Storage};
use crate::time::Millis;

/// A client key registered by an atomic batch, with its command's hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyEntry {
    /// The key.
    pub key: String,
    /// Hash of the command without its timestamps.
    #[serde(with = "hex32")]
    pub hash: [u8; 32],
}

/// One executed command (or atomic batch): the unit of the journal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// Position in the journal, from 1, without gaps.
    pub seq: u64,
    /// When the command happened.
    pub occurred_at: Millis,
    /// Engine time when it was processed.
    pub processed_at: Millis,
    /// The command's client key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_key: Option<String>,
    /// Hash of the command without timestamps (present with a key).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "hex32_opt")]
    pub command_hash: Option<[u8; 32]>,
    /// Keys of the commands of an atomic batch.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub batch_keys: Vec<KeyEntry>,
    /// What happened, in order.
    pub events: Vec<Event>,
}

impl Envelope {
    /// The canonical binary encoding (docs/binary-format.md).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(64 + 48 * self.events.len());
        codec::encode_envelope(self, &mut v);
        v
    }
    /// Decodes the canonical binary encoding.
    pub fn from_bytes(bytes: &[u8]) -> Result<Envelope, Error> {
        let (env, used) = codec::decode_envelope(bytes)?;
        if used != bytes.len() {
            return Err(Error::InvalidCommand {
                reason: format!("{} trailing bytes after envelope", bytes.len() - used),
            });
        }
        Ok(env)
    }
}

/// An (item, location) pair whose availability changed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Change {
    /// Item.
    pub item: Code,
    /// Location.
    pub location: Code,
}

/// What executing a command gave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// The envelope's seq (the original one for an idempotent retry).
    pub seq: u64,
    /// True when the client key was seen before with the same command:
    /// nothing was executed and `envelope` is `None`.
    pub exists: bool,
    /// The new envelope.
    pub envelope: Option<Envelope>,
    /// The change feed: pairs whose availability changed, sorted.
    pub changes: Vec<Change>,
}

impl Outcome {
    /// The events of this outcome (none for a retry).
    pub fn events(&self) -> &[Event] {
        self.envelope.as_ref().map_or(&[], |e| &e.events)
    }
}

/// The most commands one batch may carry.
pub const MAX_BATCH: usize = 100_000;

/// The engine. Single writer: commands apply one at a time, in order. Wrap
/// it in [`crate::SharedEngine`] to share it between threads.
pub struct Engine {
    pub(crate) st: State,
    storage: Box<dyn Storage>,
    scratch: Vec<u8>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").field("seq", &self.st.seq).field("now", &self.st.now).finish_non_exhaustive()
    }
}

/// Hash of a command without its timestamps (the idempotency check).
/// Decimals are normalised first: `1.50` and `1.5` are the same command.
pub fn command_hash(cmd: &Command) -> [u8; 32] {
    command_hash_with(cmd, &mut Vec::new())
}

/// [`command_hash`] with a reusable buffer: the JSON is written whole and
/// hashed once (feeding the hasher serde's many small writes costs more).
fn command_hash_with(cmd: &Command, buf: &mut Vec<u8>) -> [u8; 32] {
    buf.clear();
    // serde_json writes fields in declaration order: a stable encoding.
    if serde_json::to_writer(&mut *buf, &*cmd.body.normalized()).is_err() {
        buf.clear();
        buf.extend_from_slice(b"unencodable");
    }
    *blake3::hash(buf).as_bytes()
}

impl Engine {
    /// An empty engine on [`MemoryStorage`].
    pub fn new() -> Engine {
        Engine::with_storage(Box::new(MemoryStorage::default()))
    }

    /// An empty engine on the given storage.
    pub fn with_storage(storage: Box<dyn Storage>) -> Engine {
        Engine { st: State::new(), storage, scratch: Vec::with_capacity(512) }
    }

    pub(crate) fn from_state(st: State, storage: Box<dyn Storage>) -> Engine {
        Engine { st, storage, scratch: Vec::with_capacity(512) }
    }

    /// The storage port.
    pub fn storage(&self) -> &dyn Storage {
        &*self.storage
    }

    /// Replaces the storage (for example after restoring from a snapshot).
    pub fn set_storage(&mut self, storage: Box<dyn Storage>) {
        self.storage = storage;
    }

    /// Read access to the whole state (for hosts that pre-resolve ids).
    pub fn state(&self) -> &State {
        &self.st
    }

    /// Engine time (ms UTC).
    pub fn now(&self) -> Millis {
        self.st.now
    }

    /// Seq of the last envelope.
    pub fn seq(&self) -> u64 {
        self.st.seq
    }

    /// The hash chain over all envelopes so far.
    pub fn journal_digest(&self) -> [u8; 32] {
        self.st.journal_digest
    }

    /// The hash of the canonical snapshot without the parts that record
    /// history rather than state (the journal digest in the header and the
    /// trailing checksum): two engines holding the same facts agree,
    /// whatever order they learned the codes in.
    pub fn state_digest(&self) -> [u8; 32] {
        let snap = self.snapshot();
        let (head, rest) = snap.split_at(crate::snapshot::JOURNAL_DIGEST_AT);
        let body = &rest[32..rest.len() - 32];
        let mut h = blake3::Hasher::new();
        h.update(head);
        h.update(body);
        *h.finalize().as_bytes()
    }

    /// An independent copy to try hypothetical commands on; it keeps no journal.
    pub fn fork(&self) -> Engine {
        let mut st = self.st.clone();
        st.undo = Vec::new();
        Engine::from_state(st, Box::new(NullStorage))
    }

    /// Executes one command.
    pub fn execute(&mut self, cmd: &Command) -> Result<Outcome, Error> {
        let next = self.next_seq()?;
        let mark = self.st.begin();
        self.st.touched.clear();
        let key = match self.check_key(cmd)? {
            KeyCheck::Exists(seq) => return Ok(Outcome { seq, exists: true, envelope: None, changes: Vec::new() }),
            KeyCheck::New(k) => k,
        };
        let mut events = Vec::with_capacity(8);
        if let Err(e) = self.st.run(cmd, &mut events) {
            self.st.rollback(mark);
            return Err(e);
        }
        let (client_key, command_hash) = match key {
            Some(k) => (Some(k.key), Some(k.hash)),
            None => (None, None),
        };
        let env = Envelope {
            seq: next,
            occurred_at: cmd.occurred_at,
            processed_at: self.st.now,
            client_key,
            command_hash,
            batch_keys: Vec::new(),
            events,
        };
        self.seal(env, mark)
    }

    /// Executes a command given as JSON.
    pub fn execute_json(&mut self, json: &str) -> Result<Outcome, Error> {
        let cmd: Command = serde_json::from_str(json).map_err(|e| Error::InvalidCommand { reason: e.to_string() })?;
        self.execute(&cmd)
    }

    /// Executes a batch. `Independent`: one envelope per command, each
    /// result on its own. `Atomic`: all or nothing in one envelope; the
    /// first failure is returned as `BATCH_REFUSED` with its index, and the
    /// state is as before.
    pub fn execute_batch(&mut self, cmds: &[Command], mode: BatchMode) -> Result<Vec<Result<Outcome, Error>>, Error> {
        if cmds.len() > MAX_BATCH {
            return Err(Error::LimitExceeded { what: "commands per batch", max: MAX_BATCH as u64 });
        }
        match mode {
            BatchMode::Independent => Ok(cmds.iter().map(|c| self.execute(c)).collect()),
            BatchMode::Atomic => self.execute_atomic(cmds).map(|o| vec![Ok(o)]),
        }
    }

    fn execute_atomic(&mut self, cmds: &[Command]) -> Result<Outcome, Error> {
        let next = self.next_seq()?;
        let mark = self.st.begin();
        self.st.touched.clear();
        // At least one event per command: reserving up front spares the
        // repeated copies of a growing vector of 100k events.
        let mut events = Vec::with_capacity(cmds.len().max(8));
        let mut keys: Vec<KeyEntry> = Vec::new();
        // Keys seen in this batch, borrowed from the commands: a set, so a
        // batch of 100k keyed sales costs a lookup per line, not a scan.
        let mut seen: FxSet<&str> = FxSet::default();
        let mut occurred_at = i64::MIN;
        // An atomic batch is one envelope, so it happens at one instant: the
        // clock moves to its latest command's time before any command runs
        // (what time passing causes comes first). A replay applies its
        // events at the envelope's `processed_at`; had the clock moved
        // command by command, an event applied with the clock (an RMA's
        // authorisation time) would differ between the two (found by the
        // `commands` fuzz target).
        if let Some(latest) = cmds.iter().map(|c| c.occurred_at).max() {
            if let Err(e) = self.st.advance(latest, &mut events) {
                self.st.rollback(mark);
                return Err(Error::BatchRefused { index: 0, source: Box::new(e) });
            }
        }
        for (i, cmd) in cmds.iter().enumerate() {
            let fail = |e| Error::BatchRefused { index: i as u32, source: Box::new(e) };
            let key = match self.check_key(cmd) {
                Ok(KeyCheck::Exists(_)) => continue,
                Ok(KeyCheck::New(k)) => k,
                Err(e) => {
                    self.st.rollback(mark);
                    return Err(fail(e));
                }
            };
            if let Some(k) = key {
                if !seen.insert(cmd.client_key.as_deref().unwrap_or_default()) {
                    self.st.rollback(mark);
                    return Err(fail(Error::ExistsWithDifferentCommand { key: k.key }));
                }
                keys.push(k);
            }
            if let Err(e) = self.st.run(cmd, &mut events) {
                self.st.rollback(mark);
                return Err(fail(e));
            }
            occurred_at = occurred_at.max(cmd.occurred_at);
        }
        let env = Envelope {
            seq: next,
            occurred_at: if cmds.is_empty() { self.st.now } else { occurred_at },
            processed_at: self.st.now,
            client_key: None,
            command_hash: None,
            batch_keys: keys,
            events,
        };
        self.seal(env, mark)
    }

    /// Applies an envelope from another engine's journal (replay, replicas).
    pub fn apply(&mut self, env: &Envelope) -> Result<Vec<Change>, Error> {
        let next = self.next_seq()?;
        if env.seq != next {
            return Err(Error::EnvelopeOutOfOrder { expected: next, got: env.seq });
        }
        let mark = self.st.begin();
        self.st.touched.clear();
        self.st.now = self.st.now.max(env.processed_at);
        for e in &env.events {
            if let Err(err) = self.st.apply(e) {
                self.st.rollback(mark);
                return Err(err);
            }
        }
        self.seal(env.clone(), mark).map(|o| o.changes)
    }

    /// Applies a run of envelopes from another engine's journal, all or
    /// nothing: a gap, a duplicate or an envelope that does not fit the
    /// state leaves the engine as it was (one undo log spans the run).
    /// The storage receives the envelopes once all of them applied.
    pub fn apply_all(&mut self, envs: &[Envelope]) -> Result<(), Error> {
        let mark = self.st.begin();
        self.st.touched.clear();
        let mut encoded: Vec<(usize, usize)> = Vec::with_capacity(envs.len());
        let mut bytes = std::mem::take(&mut self.scratch);
        bytes.clear();
        let result = (|| {
            for env in envs {
                let next = self.next_seq()?;
                if env.seq != next {
                    return Err(Error::EnvelopeOutOfOrder { expected: next, got: env.seq });
                }
                self.st.now = self.st.now.max(env.processed_at);
                for e in &env.events {
                    self.st.apply(e)?;
                }
                self.register_keys(env);
                let start = bytes.len();
                codec::encode_envelope(env, &mut bytes);
                let mut h = blake3::Hasher::new();
                h.update(&self.st.journal_digest);
                h.update(&bytes[start..]);
                self.st.journal_digest = *h.finalize().as_bytes();
                self.st.seq = env.seq;
                encoded.push((start, bytes.len()));
            }
            for (env, (a, b)) in envs.iter().zip(&encoded) {
                self.storage.append(env, &bytes[*a..*b]).map_err(|e| Error::Storage { reason: e.0 })?;
            }
            Ok(())
        })();
        bytes.clear();
        self.scratch = bytes;
        match result {
            Ok(()) => {
                self.st.settle();
                self.st.touched.clear();
                Ok(())
            }
            Err(e) => {
                self.st.rollback(mark);
                Err(e)
            }
        }
    }

    /// Remembers the client keys an envelope carries.
    fn register_keys(&mut self, env: &Envelope) {
        if let (Some(k), Some(h)) = (&env.client_key, env.command_hash) {
            self.st.key_insert(k.as_str().into(), KeyRec { hash: h, seq: env.seq });
        }
        for k in &env.batch_keys {
            self.st.key_insert(k.key.as_str().into(), KeyRec { hash: k.hash, seq: env.seq });
        }
    }

    /// Advances engine time (expiring reservations and lots) as one envelope.
    pub fn advance_to(&mut self, now: Millis) -> Result<Outcome, Error> {
        self.execute(&Command::new(now, crate::command::CommandBody::Advance))
    }

    /// The seq of the next envelope; a journal at `u64::MAX` (only a forged
    /// snapshot gets there) takes no more.
    fn next_seq(&self) -> Result<u64, Error> {
        self.st.seq.checked_add(1).ok_or(Error::LimitExceeded { what: "journal seq", max: u64::MAX })
    }

    fn check_key(&mut self, cmd: &Command) -> Result<KeyCheck, Error> {
        let Some(k) = &cmd.client_key else { return Ok(KeyCheck::New(None)) };
        State::check_code("client_key", k)?;
        let hash = command_hash_with(cmd, &mut self.scratch);
        match self.st.keys.get(k.as_str()) {
            Some(rec) if rec.hash == hash => Ok(KeyCheck::Exists(rec.seq)),
            Some(_) => Err(Error::ExistsWithDifferentCommand { key: k.clone() }),
            None => Ok(KeyCheck::New(Some(KeyEntry { key: k.clone(), hash }))),
        }
    }

    /// Registers keys, chains the digest, appends to storage and makes the
    /// envelope permanent; on a storage failure rolls everything back.
    fn seal(&mut self, env: Envelope, mark: Mark) -> Result<Outcome, Error> {
        let seq = env.seq;
        self.register_keys(&env);
        self.scratch.clear();
        self.scratch.extend_from_slice(&self.st.journal_digest);
        codec::encode_envelope(&env, &mut self.scratch);
        self.st.journal_digest = *blake3::hash(&self.scratch).as_bytes();
        self.st.seq = seq;
        if let Err(e) = self.storage.append(&env, &self.scratch[32..]) {
            self.st.rollback(mark);
            return Err(Error::Storage { reason: e.0 });
        }
        self.st.settle();
        let changes = self.take_changes();
        Ok(Outcome { seq, exists: false, envelope: Some(env), changes })
    }

    fn take_changes(&mut self) -> Vec<Change> {
        let mut t = std::mem::take(&mut self.st.touched);
        t.sort_unstable();
        t.dedup();
        let mut v: Vec<Change> = t
            .iter()
            .filter(|(_, l)| self.st.cat.loc(*l).is_internal())
            .map(|(i, l)| Change {
                item: self.st.cat.item(*i).code.clone(),
                location: self.st.cat.loc(*l).code.clone(),
            })
            .collect();
        v.sort_unstable();
        t.clear();
        self.st.touched = t;
        v
    }

    /// Makes every acknowledged envelope durable now, whatever the storage's
    /// policy, and closes the engine (a clean shutdown that reports a
    /// failure, which dropping cannot).
    pub fn close(mut self) -> Result<(), Error> {
        self.storage.flush().map_err(|e| Error::Storage { reason: e.0 })
    }

    /// Saves a snapshot to the storage port.
    pub fn checkpoint(&mut self) -> Result<(), Error> {
        let snap = self.snapshot();
        self.storage.save_snapshot(self.st.seq, &snap).map_err(|e| Error::Storage { reason: e.0 })
    }
}

enum KeyCheck {
    Exists(u64),
    New(Option<KeyEntry>),
}

pub(crate) mod hex32 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn to_hex(b: &[u8; 32]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    pub(crate) fn from_hex(s: &str) -> Option<[u8; 32]> {
        if s.len() != 64 || !s.is_ascii() {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, o) in out.iter_mut().enumerate() {
            *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(out)
    }

    pub(crate) fn serialize<S: Serializer>(b: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&to_hex(b))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let s = String::deserialize(d)?;
        from_hex(&s).ok_or_else(|| serde::de::Error::custom("want 64 hex digits"))
    }
}

mod hex32_opt {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(b: &Option<[u8; 32]>, s: S) -> Result<S::Ok, S::Error> {
        match b {
            Some(b) => s.serialize_str(&super::hex32::to_hex(b)),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<[u8; 32]>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(s) => {
                super::hex32::from_hex(&s).map(Some).ok_or_else(|| serde::de::Error::custom("want 64 hex digits"))
            }
        }
    }
}

/// Lower-case hex of a digest.
pub fn hex(d: &[u8; 32]) -> String {
    hex32::to_hex(d)
}
