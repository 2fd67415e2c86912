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
    /// engine acknowledges it. `bytes` is the envelope's canonical binary
    /// encoding (docs/binary-format.md), already computed for the journal
    /// digest: a store that keeps bytes need not encode again.
    fn append(&mut self, envelope: &Envelope, bytes: &[u8]) -> Result<(), StorageError>;
    /// Stores a snapshot taken after envelope `seq`.
    fn save_snapshot(&mut self, seq: u64, snapshot: &[u8]) -> Result<(), StorageError>;
    /// The newest snapshot and the seq it was taken at.
    fn load_snapshot(&self) -> Result<Option<(u64, Vec<u8>)>, StorageError>;
    /// Envelopes with `seq >= from`, in order.
    fn read_from(&self, from: u64) -> Result<Vec<Envelope>, StorageError>;
    /// Makes everything appended so far durable, whatever the policy (a
    /// clean close). The default has nothing to flush.
    fn flush(&mut self) -> Result<(), StorageError> {
        Ok(())
    }
    /// The envelope with this seq, if held. The default reads from `seq`
    /// on; a store with an index should answer directly.
    fn read_one(&self, seq: u64) -> Result<Option<Envelope>, StorageError> {
        Ok(self.read_from(seq)?.into_iter().next().filter(|e| e.seq == seq))
    }
}

/// The default storage: the journal as encoded envelopes in one buffer (a
/// copy of ~100–300 bytes per command), and the last snapshot, in memory.
#[derive(Clone, Debug, Default)]
pub struct MemoryStorage {
    journal: Vec<u8>,
    /// (seq, start offset in `journal`) of each envelope, in order.
    index: Vec<(u64, usize)>,
    /// The last snapshot saved.
    pub snapshot: Option<(u64, Vec<u8>)>,
}

impl MemoryStorage {
    /// Number of envelopes held.
    pub fn len(&self) -> usize {
        self.index.len()
    }
    /// Whether no envelope is held.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }
}

impl Storage for MemoryStorage {
    fn append(&mut self, envelope: &Envelope, bytes: &[u8]) -> Result<(), StorageError> {
        self.index.push((envelope.seq, self.journal.len()));
        self.journal.extend_from_slice(bytes);
        Ok(())
    }
    fn save_snapshot(&mut self, seq: u64, snapshot: &[u8]) -> Result<(), StorageError> {
        self.snapshot = Some((seq, snapshot.to_vec()));
        Ok(())
    }
    fn load_snapshot(&self) -> Result<Option<(u64, Vec<u8>)>, StorageError> {
        Ok(self.snapshot.clone())
    }
    fn read_one(&self, seq: u64) -> Result<Option<Envelope>, StorageError> {
        let k = self.index.partition_point(|e| e.0 < seq);
        match self.index.get(k) {
            Some(&(s, start)) if s == seq => {
                let end = self.index.get(k + 1).map_or(self.journal.len(), |e| e.1);
                Envelope::from_bytes(&self.journal[start..end]).map(Some).map_err(|e| StorageError(e.to_string()))
            }
            _ => Ok(None),
        }
    }
    fn read_from(&self, from: u64) -> Result<Vec<Envelope>, StorageError> {
        let first = self.index.partition_point(|e| e.0 < from);
        let mut out = Vec::with_capacity(self.index.len() - first);
        for (k, &(_, start)) in self.index.iter().enumerate().skip(first) {
            let end = self.index.get(k + 1).map_or(self.journal.len(), |e| e.1);
            let env = Envelope::from_bytes(&self.journal[start..end]).map_err(|e| StorageError(e.to_string()))?;
            out.push(env);
        }
        Ok(out)
    }
}

/// A storage that keeps nothing: for what-if forks and benchmarks of the
/// pure state machine.
#[derive(Clone, Copy, Debug, Default)]
pub struct NullStorage;

impl Storage for NullStorage {
    fn append(&mut self, _: &Envelope, _: &[u8]) -> Result<(), StorageError> {
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

#[cfg(test)]
mod tests {
    use crate::Engine;

    #[test]
    fn memory_storage_gives_back_the_envelopes_from_a_seq() {
        let mut e = Engine::new();
        for json in [
            r#"{"type":"define_item","item":"A"}"#,
            r#"{"type":"define_location","location":"S","kind":"site"}"#,
            r#"{"type":"receive","item":"A","location":"S","qty":"3"}"#,
        ] {
            e.execute_json(json).unwrap();
        }
        let all = e.storage().read_from(1).unwrap();
        assert_eq!(all.iter().map(|x| x.seq).collect::<Vec<_>>(), vec![1, 2, 3]);
        let tail = e.storage().read_from(2).unwrap();
        assert_eq!(tail, all[1..].to_vec());
        assert!(e.storage().read_from(4).unwrap().is_empty());
        // What was stored is what was acknowledged.
        let mut replica = Engine::new();
        for env in &all {
            replica.apply(env).unwrap();
        }
        assert_eq!(replica.journal_digest(), e.journal_digest());
    }
}
