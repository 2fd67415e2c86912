//! Shared helpers: scratch directories and a deterministic command stream.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use ims_core::{Command, Engine};

/// A fresh, empty scratch directory under the system temp dir.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ims-journal-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Command `i` of a deterministic stream: a site, two items, then receipts,
/// sales and reservations cycling over them, each with a client key.
pub fn command(i: usize) -> Command {
    let t = 1_795_852_800_000 + i as i64 * 1000;
    let json = match i {
        0 => r#"{"type":"define_location","location":"S","kind":"site"}"#.to_string(),
        1 => r#"{"type":"define_item","item":"A"}"#.to_string(),
        2 => r#"{"type":"define_item","item":"B"}"#.to_string(),
        _ => {
            let item = if i.is_multiple_of(2) { "A" } else { "B" };
            match i % 5 {
                0 => format!(r#"{{"type":"receive","item":"{item}","location":"S","qty":"7"}}"#),
                1 | 3 => format!(r#"{{"type":"sell","item":"{item}","location":"S","qty":"1"}}"#),
                2 => format!(
                    r#"{{"type":"reserve","reservation":"R{i}","item":"{item}","qty":"1","scope":"S","ttl_ms":60000}}"#
                ),
                _ => format!(r#"{{"type":"receive","item":"{item}","location":"S","qty":"2"}}"#),
            }
        }
    };
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["occurred_at"] = t.into();
    v["client_key"] = format!("k{i}").into();
    serde_json::from_value(v).unwrap()
}

/// The state digest after each prefix of the stream: `digests[n]` is the
/// digest after the first `n` commands.
pub fn prefix_digests(n: usize) -> Vec<[u8; 32]> {
    let mut e = Engine::new();
    let mut out = vec![e.state_digest()];
    for i in 0..n {
        e.execute(&command(i)).unwrap();
        out.push(e.state_digest());
    }
    out
}

/// Copies every file of `from` into a fresh directory `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// The files of a directory (not the lock), sorted by name.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "LOCK"))
        .collect();
    v.sort();
    v
}
