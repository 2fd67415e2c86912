//! The journal: the core's `Storage` port on files, and recovery.

use std::fs::{self, File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ims_core::storage::{Storage, StorageError};
use ims_core::{Engine, Envelope, NullStorage};

use crate::error::JournalError;
use crate::files::{self, segment_name, snapshot_name};
use crate::frame::{self, Read, SEGMENT_MAGIC};
use crate::snapfile;

/// When appended envelopes reach the disk (`fsync`). Every policy writes
/// each envelope to the OS before the command is acknowledged, so a
/// process crash loses nothing; they differ on a power loss or OS crash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// `fsync` before every acknowledgement: nothing acknowledged is ever
    /// lost. The slowest (one disk flush per command; batch to amortise).
    EveryCommit,
    /// `fsync` after every n-th commit: a power loss loses at most the last
    /// n − 1 acknowledged commands.
    EveryN(u32),
    /// `fsync` when at least this long has passed since the last one (checked
    /// on each commit): a power loss loses at most that window.
    Every(Duration),
    /// Never `fsync` (the OS writes back when it likes): a power loss may
    /// lose anything not yet written back. For tests and throwaway runs.
    Never,
}

/// How a journal directory is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// When to `fsync`.
    pub durability: Durability,
    /// A segment is closed and a new one started past this size.
    pub segment_bytes: u64,
    /// Snapshot files kept (the newest ones); older ones and the segments
    /// before the oldest kept snapshot are deleted at a checkpoint.
    pub keep_snapshots: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { durability: Durability::EveryCommit, segment_bytes: 64 << 20, keep_snapshots: 2 }
    }
}

/// What `open` found and did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recovery {
    /// The snapshot loaded (its seq), if any.
    pub snapshot_seq: Option<u64>,
    /// Snapshot files passed over as damaged (name and why).
    pub bad_snapshots: Vec<(String, String)>,
    /// Envelopes replayed from the journal after the snapshot.
    pub replayed: u64,
    /// Segment files read.
    pub segments: usize,
    /// Bytes cut from the end of the last segment: a record whose write did
    /// not finish (never acknowledged).
    pub truncated_bytes: u64,
    /// The engine's seq after recovery.
    pub seq: u64,
}

/// The `Storage` of a journal directory. Holds the directory's lock for
/// as long as it lives.
pub struct Journal {
    dir: PathBuf,
    opts: Options,
    _lock: File,
    seg: File,
    seg_path: PathBuf,
    seg_len: u64,
    since_sync: u32,
    last_sync: Instant,
    /// A write failed and could not be undone: every later write is refused.
    failed: Option<String>,
    buf: Vec<u8>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal").field("dir", &self.dir).field("segment", &self.seg_path).finish_non_exhaustive()
    }
}

/// Opens (or creates) a journal directory and recovers the engine it holds:
/// the newest valid snapshot, then every envelope after it. A record cut
/// short at the very end (a write that never finished, so never
/// acknowledged) is truncated; a damaged record anywhere else is refused
/// with [`JournalError::Corrupt`]. The directory is locked against other
/// writers until the engine (which owns the journal) is dropped.
pub fn open(dir: impl AsRef<Path>, opts: Options) -> Result<(Engine, Recovery), JournalError> {
    let dir = dir.as_ref().to_path_buf();
    fs::create_dir_all(&dir).map_err(|e| JournalError::io("create", &dir, e))?;
    let lock_path = dir.join("LOCK");
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| JournalError::io("open", &lock_path, e))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => return Err(JournalError::Locked { dir }),
        Err(fs::TryLockError::Error(e)) => return Err(JournalError::io("lock", &lock_path, e)),
    }
    let (segs, snaps) = files::list(&dir)?;
    let mut rec = Recovery::default();
    let mut engine = None;
    for (seq, path) in snaps.iter().rev() {
        let bytes = fs::read(path).map_err(|e| JournalError::io("read", path, e))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        match snapfile::decode(&bytes).and_then(|(s, body)| {
            if s != *seq {
                return Err(format!("holds seq {s}, named {seq}"));
            }
            Engine::restore(body).map_err(|e| e.to_string())
        }) {
            Ok(e) => {
                rec.snapshot_seq = Some(*seq);
                engine = Some(e);
                break;
            }
            Err(why) => rec.bad_snapshots.push((name, why)),
        }
    }
    let mut engine = engine.unwrap_or_default();
    // Replay keeps nothing in memory: the journal is on disk already.
    engine.set_storage(Box::new(NullStorage));
    let mut tail_end = None;
    for (k, (_, path)) in segs.iter().enumerate() {
        let last = k + 1 == segs.len();
        let end = replay_segment(path, last, &mut engine, &mut rec)?;
        if last {
            tail_end = Some(end);
        }
    }
    rec.segments = segs.len();
    rec.seq = engine.seq();
    let (seg_path, seg, seg_len) = match (segs.last(), tail_end) {
        (Some((_, path)), Some(end)) => {
            let f =
                OpenOptions::new().read(true).write(true).open(path).map_err(|e| JournalError::io("open", path, e))?;
            let len = f.metadata().map_err(|e| JournalError::io("stat", path, e))?.len();
            if len > end {
                rec.truncated_bytes = len - end;
                f.set_len(end).and_then(|_| f.sync_all()).map_err(|e| JournalError::io("truncate", path, e))?;
            }
            let mut f = f;
            if end < SEGMENT_MAGIC.len() as u64 {
                // Created, but its header never reached the disk whole.
                f.set_len(0)
                    .and_then(|_| f.seek(SeekFrom::Start(0)))
                    .and_then(|_| f.write_all(SEGMENT_MAGIC))
                    .and_then(|_| f.sync_all())
                    .map_err(|e| JournalError::io("write", path, e))?;
            }
            (path.clone(), f, end.max(SEGMENT_MAGIC.len() as u64))
        }
        _ => {
            let (path, f) = new_segment(&dir, engine.seq() + 1)?;
            (path, f, SEGMENT_MAGIC.len() as u64)
        }
    };
    let mut seg = seg;
    seg.seek(SeekFrom::Start(seg_len)).map_err(|e| JournalError::io("seek", &seg_path, e))?;
    let journal = Journal {
        dir,
        opts,
        _lock: lock,
        seg,
        seg_path,
        seg_len,
        since_sync: 0,
        last_sync: Instant::now(),
        failed: None,
        buf: Vec::with_capacity(4096),
    };
    engine.set_storage(Box::new(journal));
    Ok((engine, rec))
}

/// Creates an empty segment whose first envelope will be `first_seq`.
fn new_segment(dir: &Path, first_seq: u64) -> Result<(PathBuf, File), JournalError> {
    let path = dir.join(segment_name(first_seq));
    let mut f = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(&path)
        .map_err(|e| JournalError::io("create", &path, e))?;
    f.write_all(SEGMENT_MAGIC).and_then(|_| f.sync_all()).map_err(|e| JournalError::io("write", &path, e))?;
    files::sync_dir(dir)?;
    Ok((path, f))
}

/// Replays the envelopes of one segment the engine does not hold yet.
/// Returns the offset after the last sound record.
fn replay_segment(path: &Path, last: bool, engine: &mut Engine, rec: &mut Recovery) -> Result<u64, JournalError> {
    let buf = fs::read(path).map_err(|e| JournalError::io("read", path, e))?;
    let corrupt = |offset: usize, reason: String| JournalError::Corrupt {
        file: path.to_path_buf(),
        offset: offset as u64,
        reason,
    };
    if buf.len() < SEGMENT_MAGIC.len() {
        // Created but its magic never reached the disk: only the newest
        // segment can be like that.
        return if last { Ok(0) } else { Err(corrupt(0, "segment shorter than its header".into())) };
    }
    if &buf[..SEGMENT_MAGIC.len()] != SEGMENT_MAGIC {
        return Err(corrupt(0, "not a journal segment".into()));
    }
    let mut at = SEGMENT_MAGIC.len();
    while at < buf.len() {
        match frame::read(&buf, at) {
            Read::Frame { seq, payload, end } => {
                if seq > engine.seq() {
                    let env = Envelope::from_bytes(payload).map_err(|e| corrupt(at, e.to_string()))?;
                    if env.seq != seq {
                        return Err(corrupt(at, format!("record says seq {seq}, its envelope {}", env.seq)));
                    }
                    engine.apply(&env).map_err(|e| corrupt(at, e.to_string()))?;
                    rec.replayed += 1;
                }
                at = end;
            }
            // The last record of the last segment, cut short or garbled by a
            // write that did not finish: never acknowledged, so dropped.
            Read::Incomplete if last => return Ok(at as u64),
            Read::Bad { end } if last && end >= buf.len() => return Ok(at as u64),
            Read::Incomplete => return Err(corrupt(at, "record cut short before the end of the journal".into())),
            Read::Bad { .. } => return Err(corrupt(at, "checksum mismatch".into())),
        }
    }
    Ok(at as u64)
}

impl Journal {
    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn sync(&mut self) -> Result<(), StorageError> {
        self.seg.sync_data().map_err(|e| StorageError(format!("fsync {}: {e}", self.seg_path.display())))?;
        self.since_sync = 0;
        self.last_sync = Instant::now();
        Ok(())
    }

    /// Closes the current segment and starts one at `first_seq`.
    fn rotate(&mut self, first_seq: u64) -> Result<(), StorageError> {
        self.sync()?;
        let (path, f) = new_segment(&self.dir, first_seq).map_err(|e| StorageError(e.to_string()))?;
        self.seg = f;
        self.seg_path = path;
        self.seg_len = SEGMENT_MAGIC.len() as u64;
        Ok(())
    }
}

impl Storage for Journal {
    fn append(&mut self, envelope: &Envelope, bytes: &[u8]) -> Result<(), StorageError> {
        if let Some(why) = &self.failed {
            return Err(StorageError(format!("journal unusable after an earlier failure: {why}")));
        }
        if self.seg_len > SEGMENT_MAGIC.len() as u64 && self.seg_len + bytes.len() as u64 > self.opts.segment_bytes {
            self.rotate(envelope.seq)?;
        }
        self.buf.clear();
        frame::encode(envelope.seq, bytes, &mut self.buf);
        if let Err(e) = self.seg.write_all(&self.buf) {
            // Cut what part of the record got written, so the file ends at a
            // record boundary again; if even that fails, stop writing.
            let undo = self.seg.set_len(self.seg_len).and_then(|_| self.seg.seek(SeekFrom::Start(self.seg_len)));
            if let Err(u) = undo {
                self.failed = Some(format!("{e}; then {u}"));
            }
            return Err(StorageError(format!("write {}: {e}", self.seg_path.display())));
        }
        self.seg_len += self.buf.len() as u64;
        self.since_sync += 1;
        let due = match self.opts.durability {
            Durability::EveryCommit => true,
            Durability::EveryN(n) => self.since_sync >= n.max(1),
            Durability::Every(d) => self.last_sync.elapsed() >= d,
            Durability::Never => false,
        };
        if due {
            if let Err(e) = self.sync() {
                // Written but maybe not durable: not acknowledged. Undo it.
                let _ = self.seg.set_len(self.seg_len - self.buf.len() as u64);
                self.failed = Some(e.0.clone());
                return Err(e);
            }
        }
        Ok(())
    }

    fn save_snapshot(&mut self, seq: u64, snapshot: &[u8]) -> Result<(), StorageError> {
        let err = |e: JournalError| StorageError(e.to_string());
        files::write_atomic(&self.dir, &snapshot_name(seq), &snapfile::encode(seq, snapshot)).map_err(err)?;
        // Compaction: the next envelope starts a new segment, so every
        // segment before it is covered by this snapshot.
        self.rotate(seq + 1)?;
        let (segs, snaps) = files::list(&self.dir).map_err(err)?;
        let keep = self.opts.keep_snapshots.max(1);
        let oldest_kept =
            snaps.len().checked_sub(keep).and_then(|i| snaps.get(i)).or(snaps.first()).map_or(seq, |s| s.0);
        for (_, path) in snaps.iter().rev().skip(keep) {
            let _ = fs::remove_file(path);
        }
        // A segment can go when the next one starts at or before the oldest
        // kept snapshot + 1: all its envelopes are in every kept snapshot.
        for w in segs.windows(2) {
            if w[1].0 <= oldest_kept + 1 {
                let _ = fs::remove_file(&w[0].1);
            }
        }
        files::sync_dir(&self.dir).map_err(err)
    }

    fn flush(&mut self) -> Result<(), StorageError> {
        self.sync()
    }

    fn load_snapshot(&self) -> Result<Option<(u64, Vec<u8>)>, StorageError> {
        let (_, snaps) = files::list(&self.dir).map_err(|e| StorageError(e.to_string()))?;
        for (_, path) in snaps.iter().rev() {
            let Ok(bytes) = fs::read(path) else { continue };
            if let Ok((seq, body)) = snapfile::decode(&bytes) {
                return Ok(Some((seq, body.to_vec())));
            }
        }
        Ok(None)
    }

    fn read_from(&self, from: u64) -> Result<Vec<Envelope>, StorageError> {
        let (segs, _) = files::list(&self.dir).map_err(|e| StorageError(e.to_string()))?;
        let mut out = Vec::new();
        // Skip segments that end before `from` (the next one starts at or
        // before it).
        let first = segs.iter().rposition(|s| s.0 <= from).unwrap_or(0);
        for (_, path) in &segs[first..] {
            let buf = fs::read(path).map_err(|e| StorageError(format!("read {}: {e}", path.display())))?;
            let mut at = SEGMENT_MAGIC.len().min(buf.len());
            while let Read::Frame { seq, payload, end } = frame::read(&buf, at) {
                if seq >= from {
                    out.push(Envelope::from_bytes(payload).map_err(|e| StorageError(e.to_string()))?);
                }
                at = end;
            }
        }
        Ok(out)
    }
}

impl Drop for Journal {
    fn drop(&mut self) {
        // What the policy left unsynced reaches the disk on a clean close.
        let _ = self.seg.sync_data();
    }
}
