//! The item index: code → (id, scale), with short codes held in the table.
//!
//! A till or a storefront asks by code, and on a large catalogue every part
//! of a lookup that follows a pointer is a cache miss: a key kept as the
//! shared `Arc<str>` is compared through its heap string, and the scale of
//! the answer came from the item's record. Most SKUs are short, so the
//! index keeps codes of up to [`INLINE`] bytes inside the table entry and
//! the item's scale beside its id: a lookup reads the control bytes and one
//! entry, nothing else.

use std::hash::{Hash, Hasher};

use crate::ids::{Code, FxMap, ItemId};

/// Longest code kept inline (the entry stays 32 bytes with its id and
/// scale; longer codes are kept shared, as before).
pub const INLINE: usize = 22;

/// A code as the index keeps it.
#[derive(Clone, Debug)]
pub(crate) enum IndexCode {
    /// Up to [`INLINE`] bytes, in place.
    Inline { len: u8, bytes: [u8; INLINE] },
    /// A longer code, shared with the item's record.
    Shared(Code),
}

impl IndexCode {
    pub(crate) fn new(code: &Code) -> IndexCode {
        match code.len() {
            n if n <= INLINE => {
                let mut bytes = [0u8; INLINE];
                bytes[..n].copy_from_slice(code.as_bytes());
                IndexCode::Inline { len: n as u8, bytes }
            }
            _ => IndexCode::Shared(code.clone()),
        }
    }

    #[inline]
    fn as_bytes(&self) -> &[u8] {
        match self {
            IndexCode::Inline { len, bytes } => &bytes[..*len as usize],
            IndexCode::Shared(c) => c.as_bytes(),
        }
    }
}

// Hashes exactly as the `str` it holds, so a lookup by `&str` finds it.
impl Hash for IndexCode {
    fn hash<H: Hasher>(&self, h: &mut H) {
        // `str`'s own `Hash`: the bytes, then 0xff.
        h.write(self.as_bytes());
        h.write_u8(0xff);
    }
}

impl PartialEq for IndexCode {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for IndexCode {}

impl hashbrown::Equivalent<IndexCode> for str {
    #[inline]
    fn equivalent(&self, key: &IndexCode) -> bool {
        self.as_bytes() == key.as_bytes()
    }
}

/// What the index gives for a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Indexed {
    /// The item's id.
    pub id: ItemId,
    /// Decimal places of its base unit (kept equal to the record's).
    pub scale: u8,
}

/// Code → id and scale.
pub(crate) type ItemIndex = FxMap<IndexCode, Indexed>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn short_and_long_codes_are_found_by_str_and_hash_as_their_str() {
        let h = std::hash::BuildHasherDefault::<crate::ids::FxHasher>::default();
        let mut ix = ItemIndex::default();
        let codes: Vec<String> =
            vec!["".into(), "A".into(), "x".repeat(INLINE), "y".repeat(INLINE + 1), "SKU-000042".into()];
        for (i, c) in codes.iter().enumerate() {
            let key = IndexCode::new(&Code::from(c.as_str()));
            assert_eq!(matches!(key, IndexCode::Inline { .. }), c.len() <= INLINE, "{c}");
            assert_eq!(h.hash_one(&key), h.hash_one(c.as_str()), "{c}: hashed as its str");
            ix.insert(key, Indexed { id: ItemId(i as u32), scale: i as u8 });
        }
        for (i, c) in codes.iter().enumerate() {
            assert_eq!(ix.get(c.as_str()), Some(&Indexed { id: ItemId(i as u32), scale: i as u8 }));
        }
        // A prefix, an extension, a same-length neighbour: not found.
        for miss in ["SKU-00004", "SKU-0000421", "SKU-000043", &"x".repeat(INLINE - 1), &"y".repeat(INLINE)] {
            assert_eq!(ix.get(miss), None, "{miss}");
        }
    }
}
