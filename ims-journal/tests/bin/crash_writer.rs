//! The child of the crash test (`tests/crash.rs`): opens a journal
//! directory, recovers, then executes the deterministic command stream from
//! where the journal ends, printing `ack <index>` after each command the
//! engine acknowledged (every commit fsynced). It runs until killed.
//!
//! Usage: `crash-writer DIR`

#![allow(clippy::unwrap_used)]

#[path = "../common/mod.rs"]
mod common;

use std::io::Write;

use ims_journal::{open, Durability, Options};

fn main() {
    let dir = std::env::args().nth(1).expect("usage: crash-writer DIR");
    let opts = Options { durability: Durability::EveryCommit, segment_bytes: 8 << 10, keep_snapshots: 2 };
    let (mut engine, _) = open(&dir, opts).unwrap();
    let mut out = std::io::stdout().lock();
    // One envelope per command: the journal's seq is the count done.
    for i in engine.seq() as usize..100_000 {
        engine.execute(&common::command(i)).unwrap();
        writeln!(out, "ack {i}").unwrap();
        out.flush().unwrap();
        // Now and then a checkpoint, so kills land in snapshot writes and
        // compaction too.
        if i % 97 == 96 {
            engine.checkpoint().unwrap();
        }
    }
}
