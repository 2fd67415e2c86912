//! The code → id indexes of the catalogue (items, locations).
//!
//! Finding an id by its code is the first step of every command and
//! question by code (a till's). Keyed by the catalogue's shared strings, a
//! probe that found its slot then compared the asked code with a string
//! elsewhere in memory: a cache miss that had to wait for the slot's own
//! (18% of the SQLite comparison's question phase, all in `memcmp`). Codes
//! of up to [`INLINE`] bytes — nearly every SKU and location — are held in
//! the table itself and compared as two words and a length; longer ones
//! keep the shared string.

use std::hash::{Hash, Hasher};

use hashbrown::Equivalent;

use crate::ids::{tail_word, Code, FxMap};

/// The longest code held inline.
const INLINE: usize = 15;

/// A code packed into words: every byte read by fixed-size loads, so a
/// code and its words determine each other for a given length (see
/// [`tail_word`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Short {
    words: [u64; 2],
    len: u8,
}

impl Short {
    fn pack(code: &str) -> Option<Short> {
        let b = code.as_bytes();
        let word = |b: &[u8]| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&b[..8]);
            u64::from_le_bytes(w)
        };
        let words = match b.len() {
            0 => [0, 0],
            1..=7 => [tail_word(b), 0],
            8 => [word(b), 0],
            9..=INLINE => [word(b), tail_word(&b[8..])],
            _ => return None,
        };
        Some(Short { words, len: b.len() as u8 })
    }
    fn hash<H: Hasher>(&self, h: &mut H) {
        h.write_u64(self.words[0]);
        h.write_u64(self.words[1] ^ u64::from(self.len));
    }
}

/// A code as the index keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Key {
    Short(Short),
    Long(Code),
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, h: &mut H) {
        match self {
            Key::Short(s) => s.hash(h),
            Key::Long(c) => h.write(c.as_bytes()),
        }
    }
}

/// A code asked for, packed once for the probe.
enum Probe<'a> {
    Short(Short),
    Long(&'a str),
}

impl<'a> Probe<'a> {
    fn of(code: &'a str) -> Probe<'a> {
        Short::pack(code).map_or(Probe::Long(code), Probe::Short)
    }
}

impl Hash for Probe<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        match self {
            Probe::Short(s) => s.hash(h),
            Probe::Long(c) => h.write(c.as_bytes()),
        }
    }
}

impl Equivalent<Key> for Probe<'_> {
    fn equivalent(&self, key: &Key) -> bool {
        match (self, key) {
            (Probe::Short(a), Key::Short(b)) => a == b,
            (Probe::Long(a), Key::Long(b)) => **a == **b,
            _ => false,
        }
    }
}

/// Ids by code.
#[derive(Clone, Debug)]
pub(crate) struct CodeIndex<Id> {
    map: FxMap<Key, Id>,
}

impl<Id> Default for CodeIndex<Id> {
    fn default() -> Self {
        CodeIndex { map: FxMap::default() }
    }
}

impl<Id: Copy> CodeIndex<Id> {
    /// The id of `code`.
    #[inline]
    pub(crate) fn get(&self, code: &str) -> Option<Id> {
        self.map.get(&Probe::of(code)).copied()
    }
    /// Indexes `code` as `id`; the id it had before, if any.
    pub(crate) fn insert(&mut self, code: &Code, id: Id) -> Option<Id> {
        let key = Short::pack(code).map_or_else(|| Key::Long(code.clone()), Key::Short);
        self.map.insert(key, id)
    }
    /// Forgets `code`.
    pub(crate) fn remove(&mut self, code: &str) -> Option<Id> {
        self.map.remove(&Probe::of(code))
    }
    /// Codes indexed.
    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }
    /// Room for `n` more codes.
    pub(crate) fn reserve(&mut self, n: usize) {
        self.map.reserve(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every length around the inline limit and the word boundaries, codes
    /// that differ in one byte, a prefix of another, or by a NUL byte: each
    /// finds its own id and nothing else.
    #[test]
    fn each_code_finds_its_own_id_and_no_other() {
        let mut codes: Vec<String> = Vec::new();
        for len in 0..=20 {
            let base: String = (0..len).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
            codes.push(base.clone());
            for at in 0..len {
                let mut b = base.clone().into_bytes();
                b[at] = b'Z';
                codes.push(String::from_utf8(b).expect("ascii"));
            }
            codes.push(format!("{base}\0"));
        }
        codes.sort();
        codes.dedup();
        let mut ix = CodeIndex::default();
        for (i, c) in codes.iter().enumerate() {
            assert_eq!(ix.insert(&Code::from(c.as_str()), i), None, "{c:?} indexed once");
        }
        assert_eq!(ix.len(), codes.len());
        for (i, c) in codes.iter().enumerate() {
            assert_eq!(ix.get(c), Some(i), "{c:?}");
        }
        for c in ["zzz", "abcdefghijklmnopqrstu", "abcdefgh\0\0", "é"] {
            assert_eq!(ix.get(c), None, "{c:?} was never indexed");
        }
        // Removing one leaves the others.
        let gone = codes.iter().position(|c| c.len() == 9).expect("a 9-byte code");
        assert_eq!(ix.remove(&codes[gone]), Some(gone));
        assert_eq!(ix.get(&codes[gone]), None);
        for (i, c) in codes.iter().enumerate().filter(|(i, _)| *i != gone) {
            assert_eq!(ix.get(c), Some(i), "{c:?}");
        }
    }
}
