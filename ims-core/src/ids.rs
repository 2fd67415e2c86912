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

/// FxHash: a fixed, unseeded hash. The maps it serves are never iterated
/// where order can show, but a fixed hash keeps the core free of any random
/// source and gives the same memory layout on every run.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
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
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
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
        // hashbrown takes the bucket from the low bits, which the multiply
        // leaves poorly mixed for codes that share a prefix (`r0`, `r1`, …):
        // rotating brings the well-mixed high bits down (as rustc-hash 2 does).
        self.hash.rotate_left(26)
    }
}

/// The engine's hash map: hashbrown with the fixed FxHash.
pub type FxMap<K, V> = hashbrown::HashMap<K, V, BuildHasherDefault<FxHasher>>;

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
