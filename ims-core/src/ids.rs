//! Codes, dense ids and the deterministic hasher behind the engine's maps.
//!
//! Hosts speak in codes; the engine interns them to dense `u32` ids for its
//! hot structures. Ids never leave the engine: events, snapshots and digests
//! carry codes, so two engines that learned codes in another order agree.

use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// A host-chosen identifier (SKU, location path, lot code, reservation id).
/// Shared, so copying one into an event is a reference-count increment.
pub type Code = Arc<str>;

/// The longest code the engine accepts, in bytes.
pub const MAX_CODE_LEN: usize = 128;

/// A fixed, unseeded hash in the manner of FxHash, with a folded multiply
/// per word (the 128-bit product's halves xor-ed, as foldhash and ahash do).
/// Plain FxHash (`(h.rotl(5) ^ w) * K`) only carries a word's bits upward,
/// so codes that differ in their high bytes (`SKU-00001` … `SKU-09999`:
/// eight shared bytes, then the digits that vary land in the top of the
/// first word) crowd into a few hundred buckets and every lookup compares
/// strings along a long probe; the folded multiply mixes both ways.
/// The maps it serves are never iterated where order can show, but a fixed
/// hash keeps the core free of any random source and gives the same memory
/// layout on every run.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        let product = u128::from(self.hash ^ word ^ SEED.rotate_left(32)) * u128::from(SEED);
        self.hash = (product as u64) ^ ((product >> 64) as u64);
    }
}

/// The 1–7 bytes after the last whole word, as one word, read with fixed
/// size loads (two overlapping halves, or first / middle / last byte) that
/// together cover every byte. Copying a variable-length tail into a zeroed
/// buffer and loading it back stalls on store forwarding — it was the
/// largest single cost of a code lookup.
#[inline]
pub(crate) fn tail_word(rest: &[u8]) -> u64 {
    let n = rest.len();
    let half = |at: usize| {
        let mut w = [0u8; 4];
        w.copy_from_slice(&rest[at..at + 4]);
        u64::from(u32::from_le_bytes(w))
    };
    if n >= 4 {
        half(0) | half(n - 4) << 32
    } else {
        u64::from(rest[0]) | u64::from(rest[n / 2]) << 8 | u64::from(rest[n - 1]) << 16
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            self.add(tail_word(rest));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// The engine's hash map: hashbrown with the fixed FxHash.
pub type FxMap<K, V> = hashbrown::HashMap<K, V, BuildHasherDefault<FxHasher>>;
/// The engine's hash set: hashbrown with the fixed FxHash.
pub type FxSet<K> = hashbrown::HashSet<K, BuildHasherDefault<FxHasher>>;

macro_rules! dense_id {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);
        impl $name {
            /// The id as an index into the engine's tables.
            #[inline]
            pub fn ix(self) -> usize {
                self.0 as usize
            }
        }
    };
}

dense_id!(
    /// Dense id of an item.
    ItemId
);
dense_id!(
    /// Dense id of a location.
    LocId
);
dense_id!(
    /// Dense id of a lot (unique across items).
    LotId
);
dense_id!(
    /// Dense id of a reservation.
    ResId
);

/// Checks a host code: non-empty, at most [`MAX_CODE_LEN`] bytes, no control
/// characters.
pub fn valid_code(code: &str) -> bool {
    !code.is_empty() && code.len() <= MAX_CODE_LEN && !code.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    /// Distinct values of `bits` low bits of the hashes of `codes`.
    fn spread(codes: &[String], bits: u32) -> usize {
        let h = BuildHasherDefault::<FxHasher>::default();
        let mask = (1u64 << bits) - 1;
        let mut seen: Vec<u64> = codes.iter().map(|c| h.hash_one(c.as_str()) & mask).collect();
        seen.sort_unstable();
        seen.dedup();
        seen.len()
    }

    // 10,000 codes into 2^14 buckets: a uniform hash fills about 7,400
    // (1 - e^-0.61); plain FxHash filled about a thousand for these.
    #[test]
    fn codes_sharing_a_prefix_spread_over_the_buckets() {
        for fmt in [|i: usize| format!("SKU-{i:05}"), |i: usize| format!("r{i}"), |i: usize| format!("S1/A/{i:04}/B")] {
            let codes: Vec<String> = (0..10_000).map(fmt).collect();
            let filled = spread(&codes, 14);
            assert!(filled > 7_000, "{} of 16384 buckets for {}…", filled, codes[0]);
        }
    }

    #[test]
    fn the_top_bits_vary_too() {
        // hashbrown filters a probe by the top seven bits: all 128 values
        // should appear among a thousand codes.
        let h = BuildHasherDefault::<FxHasher>::default();
        let mut tops: Vec<u64> = (0..1000).map(|i| h.hash_one(format!("SKU-{i:05}").as_str()) >> 57).collect();
        tops.sort_unstable();
        tops.dedup();
        assert_eq!(tops.len(), 128);
    }
}
