//! # ims-journal
//!
//! Crash-safe file storage for [`ims_core`]: the core's `Storage` port on a
//! directory, so a durable engine is the ordinary engine whose envelopes
//! reach an append-only journal before each command is acknowledged.
//!
//! ```text
//! DIR/LOCK                                   held while an engine has the directory open
//! DIR/journal-<first seq>.seg                framed envelopes (docs/journal-format.md)
//! DIR/snapshot-<seq>.snap                    checkpoints, written atomically
//! ```
//!
//! ```
//! use ims_journal::{open, Options};
//!
//! let dir = std::env::temp_dir().join(format!("ims-journal-doc-{}", std::process::id()));
//! # let _ = std::fs::remove_dir_all(&dir);
//! let (mut engine, _) = open(&dir, Options::default()).unwrap();
//! engine.execute_json(r#"{"type":"define_item","item":"MILK"}"#).unwrap();
//! engine.checkpoint().unwrap(); // a snapshot; older segments are compacted away
//! engine.execute_json(r#"{"type":"define_location","location":"S","kind":"site"}"#).unwrap();
//! let digest = engine.state_digest();
//! engine.close().unwrap(); // fsyncs what the policy left, releases the lock
//!
//! let (engine, recovery) = open(&dir, Options::default()).unwrap();
//! assert_eq!(engine.state_digest(), digest);
//! assert_eq!((recovery.snapshot_seq, recovery.replayed), (Some(1), 1));
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod files;
pub mod frame;
mod journal;
mod snapfile;

pub use error::JournalError;
pub use journal::{open, Durability, Journal, Options, Recovery};
