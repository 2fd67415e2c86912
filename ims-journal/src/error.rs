//! What can go wrong opening or writing a journal directory.

use std::fmt;
use std::path::{Path, PathBuf};

/// A journal error. Opening reports these; once open, a write failure
/// reaches the engine as its `STORAGE` error (the command is refused and
/// changes nothing).
#[derive(Debug)]
#[non_exhaustive]
pub enum JournalError {
    /// An IO call failed.
    Io {
        /// What was being done.
        op: &'static str,
        /// On which file or directory.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Another process (or another handle in this one) holds the directory.
    Locked {
        /// The directory.
        dir: PathBuf,
    },
    /// A record in the middle of the journal is damaged: refused rather
    /// than skipped, since skipping would drop acknowledged commands.
    Corrupt {
        /// The segment file.
        file: PathBuf,
        /// Byte offset of the damaged record.
        offset: u64,
        /// What is wrong.
        reason: String,
    },
    /// The engine refused a snapshot or an envelope read back.
    Engine(ims_core::Error),
}

impl JournalError {
    pub(crate) fn io(op: &'static str, path: &Path, source: std::io::Error) -> JournalError {
        JournalError::Io { op, path: path.to_path_buf(), source }
    }
}

impl fmt::Display for JournalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JournalError::Io { op, path, source } => write!(f, "{op} {}: {source}", path.display()),
            JournalError::Locked { dir } => write!(f, "{} is in use by another writer", dir.display()),
            JournalError::Corrupt { file, offset, reason } => {
                write!(f, "{} is damaged at byte {offset}: {reason}", file.display())
            }
            JournalError::Engine(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for JournalError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            JournalError::Io { source, .. } => Some(source),
            JournalError::Engine(e) => Some(e),
            _ => None,
        }
    }
}

impl From<ims_core::Error> for JournalError {
    fn from(e: ims_core::Error) -> Self {
        JournalError::Engine(e)
    }
}

/// For doors, which speak only the core's catalogue: an engine refusal
/// stays itself, anything the files did is `STORAGE` with the message.
impl From<JournalError> for ims_core::Error {
    fn from(e: JournalError) -> Self {
        match e {
            JournalError::Engine(e) => e,
            other => ims_core::Error::Storage { reason: other.to_string() },
        }
    }
}
