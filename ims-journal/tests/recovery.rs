//! Recovery: torn tails at every byte of the last record, a bit flipped in
//! every byte of a small journal, the lock against a second writer,
//! rotation and compaction.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use ims_journal::{open, Durability, JournalError, Options};

fn fast() -> Options {
    Options { durability: Durability::Never, ..Options::default() }
}

/// A journal of `n` commands in `dir`, closed.
fn write(dir: &std::path::Path, n: usize, opts: Options, checkpoint_at: Option<usize>) {
    let (mut e, _) = open(dir, opts).unwrap();
    for i in 0..n {
        e.execute(&command(i)).unwrap();
        if checkpoint_at == Some(i + 1) {
            e.checkpoint().unwrap();
        }
    }
}

#[test]
fn a_torn_last_record_is_cut_at_every_byte_and_nothing_else_is_lost() {
    let n = 12;
    let digests = prefix_digests(n + 1);
    let dir = scratch("torn");
    write(&dir, n, fast(), None);
    let seg = files(&dir).into_iter().find(|p| p.extension().is_some_and(|x| x == "seg")).unwrap();
    let bytes = std::fs::read(&seg).unwrap();
    // The last record starts where a journal of n − 1 commands ends.
    let shorter = scratch("torn-shorter");
    write(&shorter, n - 1, fast(), None);
    let last_start = std::fs::read(files(&shorter)[0].clone()).unwrap().len();
    assert!(last_start < bytes.len());
    let work = scratch("torn-work");
    for cut in last_start..=bytes.len() {
        copy_dir(&dir, &work);
        std::fs::write(work.join(seg.file_name().unwrap()), &bytes[..cut]).unwrap();
        let (e, rec) = open(&work, fast()).unwrap();
        let whole = cut == bytes.len();
        let seq = if whole { n } else { n - 1 };
        assert_eq!(e.seq(), seq as u64, "cut at {cut}");
        assert_eq!(e.state_digest(), digests[seq], "cut at {cut}");
        assert_eq!(rec.truncated_bytes, if whole { 0 } else { (cut - last_start) as u64 });
        e.verify().unwrap();
        drop(e);
        // Once cut, the journal is whole again: it reopens with nothing to cut
        // and takes new commands.
        let (mut e, rec) = open(&work, fast()).unwrap();
        assert_eq!(rec.truncated_bytes, 0);
        e.execute(&command(seq)).unwrap();
        assert_eq!(e.state_digest(), digests[seq + 1]);
    }
    for d in [dir, shorter, work] {
        std::fs::remove_dir_all(d).unwrap();
    }
}

#[test]
fn a_flipped_bit_anywhere_is_refused_or_recovered_exactly() {
    let n = 10;
    let digests = prefix_digests(n);
    let dir = scratch("flip");
    // Two snapshots, three segments: every kind of file and region.
    let opts = Options { segment_bytes: 400, ..fast() };
    {
        let (mut e, _) = open(&dir, opts).unwrap();
        for i in 0..n {
            e.execute(&command(i)).unwrap();
            if i == 3 || i == 6 {
                e.checkpoint().unwrap();
            }
        }
    }
    let all = files(&dir);
    assert!(all.iter().filter(|p| p.extension().is_some_and(|x| x == "seg")).count() >= 2, "{all:?}");
    assert_eq!(all.iter().filter(|p| p.extension().is_some_and(|x| x == "snap")).count(), 2);
    let work = scratch("flip-work");
    let (mut recovered, mut refused) = (0, 0);
    for file in &all {
        let bytes = std::fs::read(file).unwrap();
        for i in 0..bytes.len() {
            copy_dir(&dir, &work);
            let mut b = bytes.clone();
            b[i] ^= 1 << (i % 8);
            std::fs::write(work.join(file.file_name().unwrap()), &b).unwrap();
            match open(&work, fast()) {
                Ok((e, rec)) => {
                    recovered += 1;
                    let seq = e.seq() as usize;
                    assert_eq!(e.state_digest(), digests[seq], "{}: byte {i}", file.display());
                    e.verify().unwrap();
                    // Only the last record may be dropped (as a torn write);
                    // a damaged snapshot is passed over for an older one.
                    assert!(
                        seq == n || (seq == n - 1 && rec.truncated_bytes > 0),
                        "{}: byte {i}: {rec:?}",
                        file.display()
                    );
                }
                Err(JournalError::Corrupt { .. }) => refused += 1,
                Err(e) => panic!("{}: byte {i}: unexpected {e}", file.display()),
            }
        }
    }
    assert!(recovered > 0 && refused > 0, "{recovered} recovered, {refused} refused");
    std::fs::remove_dir_all(dir).unwrap();
    std::fs::remove_dir_all(work).unwrap();
}

#[test]
fn a_second_writer_is_refused_while_the_first_holds_the_directory() {
    let dir = scratch("lock");
    let (e, _) = open(&dir, fast()).unwrap();
    match open(&dir, fast()) {
        Err(JournalError::Locked { dir: d }) => assert_eq!(d, dir),
        other => panic!("expected Locked, got {:?}", other.map(|(e, _)| e.seq())),
    }
    e.close().unwrap();
    let (e, _) = open(&dir, fast()).unwrap();
    drop(e);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn segments_rotate_and_a_checkpoint_compacts_them() {
    let n = 40;
    let digests = prefix_digests(n);
    let dir = scratch("rotate");
    let opts = Options { segment_bytes: 300, keep_snapshots: 1, ..fast() };
    let (mut e, _) = open(&dir, opts).unwrap();
    for i in 0..30 {
        e.execute(&command(i)).unwrap();
    }
    let segs = |d: &std::path::Path| files(d).iter().filter(|p| p.extension().is_some_and(|x| x == "seg")).count();
    assert!(segs(&dir) > 3, "rotation");
    // The journal reads back across segments.
    let all = e.storage().read_from(1).unwrap();
    assert_eq!(all.iter().map(|x| x.seq).collect::<Vec<_>>(), (1..=30).collect::<Vec<u64>>());
    e.checkpoint().unwrap();
    assert_eq!(segs(&dir), 1, "segments behind the snapshot are gone");
    for i in 30..n {
        e.execute(&command(i)).unwrap();
    }
    drop(e);
    let (e, rec) = open(&dir, opts).unwrap();
    assert_eq!((rec.snapshot_seq, rec.replayed), (Some(30), 10));
    assert_eq!(e.state_digest(), digests[n]);
    assert_eq!(e.storage().load_snapshot().unwrap().map(|s| s.0), Some(30));
    drop(e);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn every_policy_keeps_what_it_acknowledged_across_a_clean_close() {
    let digests = prefix_digests(20);
    for durability in [
        Durability::EveryCommit,
        Durability::EveryN(7),
        Durability::Every(std::time::Duration::from_millis(5)),
        Durability::Never,
    ] {
        let dir = scratch("policy");
        write(&dir, 20, Options { durability, ..Options::default() }, Some(10));
        let (e, rec) = open(&dir, Options::default()).unwrap();
        assert_eq!((e.state_digest(), rec.snapshot_seq, rec.replayed), (digests[20], Some(10), 10), "{durability:?}");
        drop(e);
        std::fs::remove_dir_all(dir).unwrap();
    }
}

#[test]
fn a_segment_whose_header_never_reached_the_disk_is_started_again() {
    let digests = prefix_digests(8);
    let dir = scratch("header");
    write(&dir, 6, Options { segment_bytes: 300, ..fast() }, None);
    // A rotation that died after creating the file: a few bytes of magic.
    std::fs::write(dir.join("journal-00000000000000000007.seg"), b"IMSJ").unwrap();
    let (mut e, rec) = open(&dir, fast()).unwrap();
    assert_eq!((e.seq(), rec.truncated_bytes), (6, 4));
    e.execute(&command(6)).unwrap();
    e.execute(&command(7)).unwrap();
    e.close().unwrap();
    let (e, _) = open(&dir, fast()).unwrap();
    assert_eq!(e.state_digest(), digests[8]);
    drop(e);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_failed_write_refuses_the_command_and_changes_nothing() {
    let digests = prefix_digests(30);
    let dir = scratch("fail");
    let (mut e, _) = open(&dir, Options { segment_bytes: 300, ..fast() }).unwrap();
    e.execute(&command(0)).unwrap();
    // Directories squat on the names of the next segments, so the rotation
    // that comes when the current segment fills cannot create its file.
    let squat: Vec<_> = (2..=40u64).map(|s| dir.join(format!("journal-{s:020}.seg"))).collect();
    for d in &squat {
        std::fs::create_dir(d).unwrap();
    }
    let mut i = 1;
    let err = loop {
        let before = (e.snapshot(), e.seq(), e.journal_digest());
        match e.execute(&command(i)) {
            Ok(_) => i += 1,
            Err(err) => {
                assert!((e.snapshot(), e.seq(), e.journal_digest()) == before, "a refused write changed the engine");
                break err;
            }
        }
        assert!(i < 30, "the segment never filled");
    };
    assert_eq!(err.name(), "STORAGE", "{err:?}");
    assert!(err.retryable());
    for d in &squat {
        std::fs::remove_dir(d).unwrap();
    }
    // The same command goes through once the disk lets it; nothing was lost
    // or doubled.
    e.execute(&command(i)).unwrap();
    e.close().unwrap();
    let (e, _) = open(&dir, fast()).unwrap();
    assert_eq!(e.state_digest(), digests[i + 1]);
    e.verify().unwrap();
    drop(e);
    std::fs::remove_dir_all(dir).unwrap();
}
