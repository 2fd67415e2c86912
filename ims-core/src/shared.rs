//! A thread-safe handle: the engine behind a lock. A panic inside a call (a
//! bug) poisons the handle, and every later call says so instead of
//! touching a state that may be half-written.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use crate::engine::Engine;
use crate::error::Error;

/// A cloneable, thread-safe engine handle.
#[derive(Clone, Debug)]
pub struct SharedEngine {
    inner: Arc<Mutex<Engine>>,
    poisoned: Arc<AtomicBool>,
}

impl SharedEngine {
    /// Wraps an engine.
    pub fn new(engine: Engine) -> SharedEngine {
        SharedEngine { inner: Arc::new(Mutex::new(engine)), poisoned: Arc::new(AtomicBool::new(false)) }
    }

    /// Runs `f` with exclusive access. The lock is held only for `f`:
    /// never call back into a host language inside it.
    pub fn with<T>(&self, f: impl FnOnce(&mut Engine) -> Result<T, Error>) -> Result<T, Error> {
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
