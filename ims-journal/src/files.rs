//! File names, directory listing and the durable-write helpers.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::JournalError;

/// `journal-<first seq, 20 digits>.seg`.
pub fn segment_name(first_seq: u64) -> String {
    format!("journal-{first_seq:020}.seg")
}

/// `snapshot-<seq, 20 digits>.snap`.
pub fn snapshot_name(seq: u64) -> String {
    format!("snapshot-{seq:020}.snap")
}

fn parse(name: &str, prefix: &str, suffix: &str) -> Option<u64> {
    let digits = name.strip_prefix(prefix)?.strip_suffix(suffix)?;
    (digits.len() == 20 && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.parse().ok())?
}

/// The segments (first seq, path) and snapshots (seq, path) in `dir`,
/// each sorted by seq.
pub type Listing = (Vec<(u64, PathBuf)>, Vec<(u64, PathBuf)>);

/// Lists the directory; leftover temporary files are removed.
pub fn list(dir: &Path) -> Result<Listing, JournalError> {
    let (mut segs, mut snaps) = (Vec::new(), Vec::new());
    let rd = fs::read_dir(dir).map_err(|e| JournalError::io("list", dir, e))?;
    for entry in rd {
        let entry = entry.map_err(|e| JournalError::io("list", dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(s) = parse(&name, "journal-", ".seg") {
            segs.push((s, entry.path()));
        } else if let Some(s) = parse(&name, "snapshot-", ".snap") {
            snaps.push((s, entry.path()));
        } else if name.ends_with(".tmp") {
            // A snapshot whose write did not finish: never renamed, never used.
            let _ = fs::remove_file(entry.path());
        }
    }
    segs.sort();
    snaps.sort();
    Ok((segs, snaps))
}

/// Makes a directory entry (a new or renamed file) durable.
pub fn sync_dir(dir: &Path) -> Result<(), JournalError> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(|e| JournalError::io("sync directory", dir, e))
}

/// Writes `bytes` to `dir/name` atomically: a temporary file, fsynced, then
/// renamed over the name, then the directory fsynced.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), JournalError> {
    let tmp = dir.join(format!("{name}.tmp"));
    let dest = dir.join(name);
    let mut f = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&tmp)
        .map_err(|e| JournalError::io("create", &tmp, e))?;
    f.write_all(bytes).and_then(|_| f.sync_all()).map_err(|e| JournalError::io("write", &tmp, e))?;
    drop(f);
    fs::rename(&tmp, &dest).map_err(|e| JournalError::io("rename", &dest, e))?;
    sync_dir(dir)
}
