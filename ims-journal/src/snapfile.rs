//! Snapshot files: the engine's canonical snapshot in a checked envelope.
//!
//! ```text
//! "IMSJSNP1" | u32 version (1) | u64 seq | u64 len | u32 crc | snapshot (len bytes)
//! ```
//!
//! `crc` is CRC-32 over version, seq, len and the snapshot. (The snapshot
//! carries its own BLAKE3 checksum and format version too; this header lets
//! a damaged file be passed over without decoding it.)

use crate::frame::crc32;

const MAGIC: &[u8; 8] = b"IMSJSNP1";
const VERSION: u32 = 1;
const HEADER: usize = 8 + 4 + 8 + 8 + 4;

/// The file's bytes for a snapshot taken after envelope `seq`.
pub fn encode(seq: u64, snapshot: &[u8]) -> Vec<u8> {
    let (v, s, l) = (VERSION.to_le_bytes(), seq.to_le_bytes(), (snapshot.len() as u64).to_le_bytes());
    let crc = crc32(&[&v, &s, &l, snapshot]).to_le_bytes();
    let mut out = Vec::with_capacity(HEADER + snapshot.len());
    for part in [&MAGIC[..], &v, &s, &l, &crc, snapshot] {
        out.extend_from_slice(part);
    }
    out
}

/// The seq and snapshot of a file, or why it is not usable.
pub fn decode(bytes: &[u8]) -> Result<(u64, &[u8]), String> {
    if bytes.len() < HEADER || &bytes[..8] != MAGIC {
        return Err("not a snapshot file".into());
    }
    let num = |r: std::ops::Range<usize>| bytes[r].iter().rev().fold(0u64, |a, b| (a << 8) | u64::from(*b));
    let version = num(8..12) as u32;
    if version != VERSION {
        return Err(format!("snapshot file version {version}; this build reads {VERSION}"));
    }
    let (seq, len, crc) = (num(12..20), num(20..28), num(28..32) as u32);
    if len != (bytes.len() - HEADER) as u64 {
        return Err("length does not match the file".into());
    }
    let body = &bytes[HEADER..];
    if crc32(&[&bytes[8..12], &bytes[12..20], &bytes[20..28], body]) != crc {
        return Err("checksum mismatch".into());
    }
    Ok((seq, body))
}
