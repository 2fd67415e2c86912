//! Crash safety: a child process writes commands (fsync on every commit) and
//! is killed with SIGKILL at random points, many times over the same
//! directory. After each kill the journal reopens with every command the
//! child acknowledged, at most the one it was writing beyond them, nothing
//! half-applied (the state digest equals a replay of exactly that prefix),
//! and `verify()` clean.

#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::*;
use ims_core::simulate::SplitMix64;
use ims_journal::{open, Options};

#[test]
fn killed_writers_lose_nothing_they_acknowledged() {
    let rounds: usize = std::env::var("IMS_CRASH_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(30);
    let dir = scratch("crash");
    let digests = prefix_digests(5_000);
    let mut rng = SplitMix64(7);
    let mut acked_total: Option<usize> = None;
    for round in 0..rounds {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crash-writer"))
            .arg(&dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        // Kill after a random number of acknowledgements (0: while it is
        // still opening and recovering).
        let wait_for = rng.next_u64() % 60;
        let mut last_ack = None;
        for _ in 0..wait_for {
            match lines.next() {
                Some(Ok(l)) => last_ack = Some(l),
                _ => break,
            }
        }
        child.kill().unwrap(); // SIGKILL
                               // What it printed before it died was acknowledged too.
        for l in lines.map_while(Result::ok) {
            last_ack = Some(l);
        }
        child.wait().unwrap();
        if let Some(l) = last_ack {
            let i: usize = l.strip_prefix("ack ").unwrap().parse().unwrap();
            acked_total = Some(acked_total.map_or(i, |a: usize| a.max(i)));
        }
        let (e, rec) = open(&dir, Options::default()).unwrap();
        let seq = e.seq() as usize;
        let acked = acked_total.map_or(0, |a| a + 1);
        assert!(seq >= acked, "round {round}: {acked} acknowledged, {seq} recovered ({rec:?})");
        assert!(seq <= acked + 1, "round {round}: {acked} acknowledged, {seq} recovered: more than one in flight");
        assert_eq!(
            e.state_digest(),
            digests[seq],
            "round {round}: the recovered state is not a replay of {seq} commands"
        );
        e.verify().unwrap();
        // The recovered state is what counts from now on (a command written
        // but not acknowledged is there, and the child goes on after it).
        acked_total = seq.checked_sub(1);
    }
    assert!(acked_total.unwrap_or(0) > 0, "the children acknowledged nothing");
    std::fs::remove_dir_all(dir).unwrap();
}
