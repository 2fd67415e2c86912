//! Operations flow `warehouse` (see the module docs of `ops` for the shape).

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::event::Event;
use crate::state::State;
use crate::time::Millis;

/// The flow's documents.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Docs {}

impl Docs {
    /// No documents.
    pub fn is_empty(&self) -> bool {
        true
    }
}

/// The flow's commands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Cmd {}

/// JSON `type` names of [`Cmd`].
pub const CMD_TYPES: &[&str] = &[];

/// The flow's events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Ev {}

/// JSON `type` names of [`Ev`].
pub const EVENT_TYPES: &[&str] = &[];

pub(crate) fn run(_st: &mut State, cmd: &Cmd, _at: Millis, _out: &mut Vec<Event>) -> Result<(), Error> {
    match *cmd {}
}

pub(crate) fn apply(_st: &mut State, ev: &Ev) -> Result<(), Error> {
    match *ev {}
}

pub(crate) fn verify(_st: &State, _errs: &mut Vec<String>) {}

/// The flow's read-only questions (JSON `kind`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Qry {}

/// JSON `kind` names of [`Qry`].
pub const QUERY_KINDS: &[&str] = &[];

pub(crate) fn query(_st: &State, q: &Qry) -> Result<serde_json::Value, Error> {
    match *q {}
}
