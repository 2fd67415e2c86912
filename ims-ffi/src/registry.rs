//! Handles: entries in a registry with generation numbers. A handle given
//! to C is a number in pointer clothing, never an address: the door looks
//! it up and never dereferences what the caller passed. A freed handle, a
//! stale one (its slot reused since), one of another kind (a replica
//! passed as an engine) or any other value is `INVALID_HANDLE`, never
//! undefined behaviour.
//!
//! Layout of a handle (a `usize`), high bits to low: a 4-bit kind tag
//! (never 0, so NULL and ordinary heap addresses, whose top bits are 0 on
//! every 64-bit system we target, are foreign), a generation, and the slot
//! index + 1.

use std::sync::{Arc, RwLock};

use ims_core::Error;

const TAG_BITS: u32 = 4;
const INDEX_BITS: u32 = if usize::BITS == 64 { 32 } else { 16 };
const GEN_BITS: u32 = usize::BITS - TAG_BITS - INDEX_BITS;
const GEN_MASK: usize = (1 << GEN_BITS) - 1;
const INDEX_MASK: usize = (1 << INDEX_BITS) - 1;
/// Live handles of one kind at most: slot index + 1 must fit its bits.
const MAX_SLOTS: usize = INDEX_MASK - 1;

struct Slot<T> {
    /// Bumped when the slot is freed, so old handles to it go stale.
    gen: usize,
    value: Option<Arc<T>>,
}

struct Slots<T> {
    slots: Vec<Slot<T>>,
    free: Vec<usize>,
}

/// The live handles of one kind.
pub(crate) struct Registry<T> {
    tag: usize,
    inner: RwLock<Slots<T>>,
}

impl<T> Registry<T> {
    /// An empty registry whose handles carry `tag` (1..=15).
    pub(crate) const fn new(tag: usize) -> Registry<T> {
        Registry { tag, inner: RwLock::new(Slots { slots: Vec::new(), free: Vec::new() }) }
    }

    fn encode(&self, index: usize, gen: usize) -> usize {
        (self.tag << (GEN_BITS + INDEX_BITS)) | ((gen & GEN_MASK) << INDEX_BITS) | (index + 1)
    }

    /// Registers a value; its handle.
    pub(crate) fn insert(&self, value: T) -> Result<usize, Error> {
        let mut s = self.inner.write().map_err(|_| Error::EnginePoisoned)?;
        let index = match s.free.pop() {
            Some(i) => i,
            None if s.slots.len() < MAX_SLOTS => {
                s.slots.push(Slot { gen: 1, value: None });
                s.slots.len() - 1
            }
            None => return Err(Error::LimitExceeded { what: "live handles", max: MAX_SLOTS as u64 }),
        };
        let slot = &mut s.slots[index];
        slot.value = Some(Arc::new(value));
        Ok(self.encode(index, slot.gen))
    }

    /// The slot index a handle names, if it is one of ours by its bits.
    fn index_of(&self, handle: usize) -> Result<(usize, usize), Error> {
        if handle == 0 {
            return Err(Error::InvalidHandle { reason: "NULL" });
        }
        if handle >> (GEN_BITS + INDEX_BITS) != self.tag || handle & INDEX_MASK == 0 {
            return Err(Error::InvalidHandle { reason: "not a handle of this kind" });
        }
        Ok(((handle & INDEX_MASK) - 1, (handle >> INDEX_BITS) & GEN_MASK))
    }

    /// The value behind a live handle. The `Arc` keeps it alive for the
    /// call even if another thread frees the handle meanwhile.
    pub(crate) fn get(&self, handle: usize) -> Result<Arc<T>, Error> {
        let (index, gen) = self.index_of(handle)?;
        let s = self.inner.read().map_err(|_| Error::EnginePoisoned)?;
        match s.slots.get(index) {
            None => Err(Error::InvalidHandle { reason: "not a handle of this kind" }),
            Some(slot) if slot.gen & GEN_MASK != gen => Err(Error::InvalidHandle { reason: "freed or stale" }),
            Some(Slot { value: Some(v), .. }) => Ok(Arc::clone(v)),
            Some(_) => Err(Error::InvalidHandle { reason: "freed or stale" }),
        }
    }

    /// Unregisters a live handle; its value (dropped by the caller, after
    /// calls still running on other threads let go of it).
    pub(crate) fn remove(&self, handle: usize) -> Result<Arc<T>, Error> {
        let (index, gen) = self.index_of(handle)?;
        let mut s = self.inner.write().map_err(|_| Error::EnginePoisoned)?;
        let slot = match s.slots.get_mut(index) {
            Some(slot) if slot.gen & GEN_MASK == gen && slot.value.is_some() => slot,
            Some(_) => return Err(Error::InvalidHandle { reason: "freed or stale" }),
            None => return Err(Error::InvalidHandle { reason: "not a handle of this kind" }),
        };
        let v = slot.value.take().ok_or(Error::InvalidHandle { reason: "freed or stale" })?;
        // Skip generation 0 on wrap-around so no handle ever equals an old one
        // of the same slot by accident sooner than it must.
        slot.gen = match (slot.gen + 1) & GEN_MASK {
            0 => 1,
            g => g,
        };
        s.free.push(index);
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn invalid(r: Result<impl Sized, Error>) -> &'static str {
        match r {
            Err(Error::InvalidHandle { reason }) => reason,
            _ => panic!("expected INVALID_HANDLE"),
        }
    }

    #[test]
    fn freed_stale_foreign_and_null_handles_are_refused() {
        let a: Registry<u32> = Registry::new(3);
        let b: Registry<u32> = Registry::new(4);
        let h = a.insert(7).unwrap();
        assert_eq!(*a.get(h).unwrap(), 7);
        assert_eq!(invalid(b.get(h)), "not a handle of this kind");
        assert_eq!(invalid(a.get(0)), "NULL");
        assert_eq!(invalid(a.get(0x7fff_1234_5678)), "not a handle of this kind", "a heap address");
        assert_eq!(invalid(a.get(h + 1)), "not a handle of this kind", "a slot never handed out");
        assert_eq!(*a.remove(h).unwrap(), 7);
        assert_eq!(invalid(a.get(h)), "freed or stale");
        assert_eq!(invalid(a.remove(h)), "freed or stale", "a double free");
        // The slot is reused under a new generation: the old handle stays stale.
        let h2 = a.insert(8).unwrap();
        assert_ne!(h2, h);
        assert_eq!(invalid(a.get(h)), "freed or stale");
        assert_eq!(*a.get(h2).unwrap(), 8);
    }

    #[test]
    fn a_value_outlives_its_handle_while_a_call_holds_it() {
        let a: Registry<String> = Registry::new(5);
        let h = a.insert("till".into()).unwrap();
        let held = a.get(h).unwrap();
        drop(a.remove(h).unwrap());
        assert_eq!(held.as_str(), "till");
    }
}
