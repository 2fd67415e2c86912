//! The simulation's storage: a [`MemoryStorage`] that outlives the engine
//! using it (a crash drops the engine, not the disk) and fails appends on
//! demand (a full disk, an I/O error).

use std::sync::{Arc, Mutex, MutexGuard};

use ims_core::{Engine, Envelope, MemoryStorage, NullStorage, Storage, StorageError};

#[derive(Clone, Default)]
pub struct Disk {
    inner: Arc<Mutex<(MemoryStorage, bool)>>,
}

impl Disk {
    fn lock(&self) -> MutexGuard<'_, (MemoryStorage, bool)> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Makes the next append fail.
    pub fn fail_next_append(&self) {
        self.lock().1 = true;
    }

    /// The engine a restart finds: the newest snapshot, then the journal
    /// after it, applied the way a follower applies envelopes. Returns the
    /// engine, running on this disk again, and how many envelopes were
    /// replayed.
    pub fn recover(&self) -> (Engine, usize) {
        let (snap, tail) = {
            let g = self.lock();
            let snap = g.0.load_snapshot().expect("memory snapshot");
            let from = snap.as_ref().map_or(1, |s| s.0 + 1);
            (snap, g.0.read_from(from).expect("memory journal"))
        };
        let mut e = match snap {
            Some((_, bytes)) => Engine::restore(&bytes).expect("the saved snapshot restores"),
            None => Engine::new(),
        };
        // Replayed envelopes are on the disk already.
        e.set_storage(Box::new(NullStorage));
        e.apply_all(&tail).expect("the journal tail applies");
        e.set_storage(Box::new(self.clone()));
        (e, tail.len())
    }
}

impl Storage for Disk {
    fn append(&mut self, envelope: &Envelope, bytes: &[u8]) -> Result<(), StorageError> {
        let mut g = self.lock();
        if std::mem::take(&mut g.1) {
            return Err(StorageError("injected: device full".into()));
        }
        g.0.append(envelope, bytes)
    }
    fn save_snapshot(&mut self, seq: u64, snapshot: &[u8]) -> Result<(), StorageError> {
        self.lock().0.save_snapshot(seq, snapshot)
    }
    fn load_snapshot(&self) -> Result<Option<(u64, Vec<u8>)>, StorageError> {
        self.lock().0.load_snapshot()
    }
    fn read_from(&self, from: u64) -> Result<Vec<Envelope>, StorageError> {
        self.lock().0.read_from(from)
    }
    fn read_one(&self, seq: u64) -> Result<Option<Envelope>, StorageError> {
        self.lock().0.read_one(seq)
    }
}
