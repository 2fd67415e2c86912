//! Framed records and the checksum that guards them.
//!
//! A segment file is [`SEGMENT_MAGIC`] followed by frames:
//!
//! ```text
//! u32 len | u64 seq | u32 crc | payload (len bytes: the envelope's canonical encoding)
//! ```
//!
//! All little-endian; `crc` is CRC-32 (IEEE) over `len`, `seq` and the
//! payload, so a torn or flipped byte anywhere in a frame is caught.

/// First bytes of every segment file.
pub const SEGMENT_MAGIC: &[u8; 8] = b"IMSJRNL1";
/// Bytes before a frame's payload.
pub const HEADER: usize = 16;
/// The largest payload accepted (a batch of 100,000 commands fits).
pub const MAX_PAYLOAD: u32 = 256 << 20;

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320): small, standard,
/// and enough to catch torn writes and flipped bits (not an adversary).
pub fn crc32(parts: &[&[u8]]) -> u32 {
    const fn table() -> [u32; 256] {
        let mut t = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
                k += 1;
            }
            t[i] = c;
            i += 1;
        }
        t
    }
    static TABLE: [u32; 256] = table();
    let mut c = 0xFFFF_FFFFu32;
    for p in parts {
        for b in *p {
            c = TABLE[((c ^ u32::from(*b)) & 0xFF) as usize] ^ (c >> 8);
        }
    }
    !c
}

/// Appends one frame to `out`.
pub fn encode(seq: u64, payload: &[u8], out: &mut Vec<u8>) {
    let len = (payload.len() as u32).to_le_bytes();
    let seq = seq.to_le_bytes();
    let crc = crc32(&[&len, &seq, payload]).to_le_bytes();
    out.extend_from_slice(&len);
    out.extend_from_slice(&seq);
    out.extend_from_slice(&crc);
    out.extend_from_slice(payload);
}

/// What is found at an offset of a segment.
#[derive(Debug, PartialEq, Eq)]
pub enum Read<'a> {
    /// A sound frame and the offset after it.
    Frame {
        /// The envelope's seq.
        seq: u64,
        /// The envelope's canonical encoding.
        payload: &'a [u8],
        /// Offset after the frame.
        end: usize,
    },
    /// Fewer bytes than a frame needs: a write that did not finish.
    Incomplete,
    /// A complete frame whose checksum (or length) is wrong; `end` is where
    /// it would end.
    Bad {
        /// Offset after the frame (the buffer's end when the length is absurd).
        end: usize,
    },
}

/// Reads the frame at `at`.
pub fn read(buf: &[u8], at: usize) -> Read<'_> {
    let Some(h) = buf.get(at..at + HEADER) else { return Read::Incomplete };
    let word = |r: std::ops::Range<usize>| h[r].iter().rev().fold(0u64, |a, b| (a << 8) | u64::from(*b));
    let len = word(0..4) as u32;
    let seq = word(4..12);
    let crc = word(12..16) as u32;
    if len > MAX_PAYLOAD {
        return Read::Bad { end: buf.len() };
    }
    let end = at + HEADER + len as usize;
    let Some(payload) = buf.get(at + HEADER..end) else { return Read::Incomplete };
    if crc32(&[&h[0..4], &h[4..12], payload]) != crc {
        return Read::Bad { end };
    }
    Read::Frame { seq, payload, end }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        // The CRC-32 check value of "123456789" (IEEE).
        assert_eq!(crc32(&[b"123456789"]), 0xCBF4_3926);
        assert_eq!(crc32(&[b"1234", b"56789"]), 0xCBF4_3926);
    }

    #[test]
    fn a_frame_reads_back_and_every_cut_or_flip_is_caught() {
        let mut buf = Vec::new();
        encode(7, b"payload", &mut buf);
        assert_eq!(read(&buf, 0), Read::Frame { seq: 7, payload: b"payload", end: buf.len() });
        for n in 0..buf.len() {
            assert_eq!(read(&buf[..n], 0), Read::Incomplete, "cut at {n}");
        }
        for i in 0..buf.len() {
            for bit in 0..8 {
                let mut b = buf.clone();
                b[i] ^= 1 << bit;
                assert!(!matches!(read(&b, 0), Read::Frame { .. }), "flip of bit {bit} in byte {i} went unseen");
            }
        }
    }
}
