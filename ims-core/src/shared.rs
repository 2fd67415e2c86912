//! A thread-safe handle: the engine (or an edge replica) behind a lock. A
//! panic inside a call (a bug) poisons the handle, and every later call
//! says so instead of touching a state that may be half-written.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use crate::engine::Engine;
use crate::error::Error;

/// A cloneable, thread-safe handle to a `T` (an [`Engine`], or an edge
/// replica in a door).
#[derive(Debug)]
pub struct Shared<T> {
    inner: Arc<Mutex<T>>,
    poisoned: Arc<AtomicBool>,
}

/// The engine behind a lock: what the doors hand to their hosts.
pub type SharedEngine = Shared<Engine>;

// By hand: a derived `Clone` would ask `T: Clone`, and the handle clones
// only its `Arc`s.
impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared { inner: Arc::clone(&self.inner), poisoned: Arc::clone(&self.poisoned) }
    }
}

impl<T> Shared<T> {
    /// Wraps a value.
    pub fn new(value: T) -> Shared<T> {
        Shared { inner: Arc::new(Mutex::new(value)), poisoned: Arc::new(AtomicBool::new(false)) }
    }

    /// Runs `f` with exclusive access. The lock is held only for `f`:
    /// never call back into a host language inside it.
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> Result<R, Error>) -> Result<R, Error> {
        if self.poisoned.load(Ordering::Acquire) {
            return Err(Error::EnginePoisoned);
        }
        let mut guard = self.inner.lock().map_err(|_| Error::EnginePoisoned)?;
        if self.poisoned.load(Ordering::Acquire) {
            return Err(Error::EnginePoisoned);
        }
        match catch_unwind(AssertUnwindSafe(|| f(&mut guard))) {
            Ok(r) => r,
            Err(_) => {
                self.poisoned.store(true, Ordering::Release);
                Err(Error::EnginePoisoned)
            }
        }
    }

    /// Whether an earlier failure poisoned the handle.
    pub fn is_poisoned(&self) -> bool {
        self.poisoned.load(Ordering::Acquire)
    }
}
