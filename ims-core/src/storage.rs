//! The persistence port. The engine's working state lives in memory; a
//! `Storage` is where it is made durable: the journal of envelopes and
//! snapshots. The engine appends an envelope before it acknowledges the
//! command, so a failed append refuses the command and changes nothing.

use crate::engine::Envelope;

/// Why a storage operation failed. The engine turns it into
/// [`crate::Error::Storage`], which is retryable.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct StorageError(pub String);

/// A journal of envelopes plus snapshots.
pub trait Storage: Send {
    /// Makes an envelope durable (per the implementation's policy) before the
    /// engine acknowledges it.
    fn append(&mut self, envelope: &Envelope) -> Result<(), StorageError>;
    /// Stores a snapshot taken after envelope `seq`.
    fn save_snapshot(&mut self, seq: u64, snapshot: &[u8]) -> Result<(), StorageError>;
    /// The newest snapshot and the seq it was taken at.
    fn load_snapshot(&self) -> Result<Option<(u64, Vec<u8>)>, StorageError>;
    /// Envelopes with `seq >= from`, in order.
    fn read_from(&self, from: u64) -> Result<Vec<Envelope>, StorageError>;
}

/// The default storage: a vector of envelopes and the last snapshot, in memory.
#[derive(Clone, Debug, Default)]
pub struct MemoryStorage {
    /// All envelopes appended, in order.
    pub envelopes: Vec<Envelope>,
    /// The last snapshot saved.
    pub snapshot: Option<(u64, Vec<u8>)>,
}

impl Storage for MemoryStorage {
    fn append(&mut self, envelope: &Envelope) -> Result<(), StorageError> {
        self.envelopes.push(envelope.clone());
        Ok(())
    }
    fn save_snapshot(&mut self, seq: u64, snapshot: &[u8]) -> Result<(), StorageError> {
        self.snapshot = Some((seq, snapshot.to_vec()));
        Ok(())
    }
    fn load_snapshot(&self) -> Result<Option<(u64, Vec<u8>)>, StorageError> {
        Ok(self.snapshot.clone())
    }
    fn read_from(&self, from: u64) -> Result<Vec<Envelope>, StorageError> {
        let start = self.envelopes.partition_point(|e| e.seq < from);
        Ok(self.envelopes[start..].to_vec())
    }
}

/// A storage that keeps nothing: for what-if forks and benchmarks of the
/// pure state machine.
#[derive(Clone, Copy, Debug, Default)]
pub struct NullStorage;

impl Storage for NullStorage {
    fn append(&mut self, _: &Envelope) -> Result<(), StorageError> {
        Ok(())
    }
    fn save_snapshot(&mut self, _: u64, _: &[u8]) -> Result<(), StorageError> {
        Ok(())
    }
    fn load_snapshot(&self) -> Result<Option<(u64, Vec<u8>)>, StorageError> {
        Ok(None)
    }
    fn read_from(&self, _: u64) -> Result<Vec<Envelope>, StorageError> {
        Ok(Vec::new())
    }
}
