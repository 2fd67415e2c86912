//! Document maps: operations documents keyed by their client-chosen code,
//! sorted (so every encoding of them is canonical), copy-on-write (so a
//! fork shares them), and changed only through `State::put_doc` /
//! `State::remove_doc`, which record the inverse in the undo log.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::ids::Code;
use crate::ops::Ops;
use crate::state::{State, Undo};

/// Documents of one kind by code.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocMap<T>(pub(crate) BTreeMap<Code, Arc<T>>);

impl<T> Default for DocMap<T> {
    fn default() -> Self {
        DocMap(BTreeMap::new())
    }
}

impl<T: fmt::Debug> fmt::Debug for DocMap<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.iter()).finish()
    }
}

impl<T> DocMap<T> {
    /// The document with this code.
    pub fn get(&self, code: &str) -> Option<&T> {
        self.0.get(code).map(|a| &**a)
    }
    /// Whether a document has this code.
    pub fn contains(&self, code: &str) -> bool {
        self.0.contains_key(code)
    }
    /// Documents in code order.
    pub fn iter(&self) -> impl Iterator<Item = (&Code, &T)> {
        self.0.iter().map(|(k, v)| (k, &**v))
    }
    /// Documents whose code starts at `from`, in code order.
    pub fn range_from<'a>(&'a self, from: &str) -> impl Iterator<Item = (&'a Code, &'a T)> + 'a {
        let from: Code = from.into();
        self.0.range(from..).map(|(k, v)| (k, &**v))
    }
    /// How many documents.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// No documents.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The stored code (shares its `Arc`).
    pub fn code(&self, code: &str) -> Option<Code> {
        self.0.get_key_value(code).map(|(k, _)| k.clone())
    }
}

/// The inverse of one document change.
#[derive(Clone)]
pub(crate) struct DocUndo(Arc<dyn Fn(&mut Ops) + Send + Sync>);

impl fmt::Debug for DocUndo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DocUndo")
    }
}

impl DocUndo {
    pub(crate) fn run(&self, ops: &mut Ops) {
        (self.0)(ops)
    }
}

/// Selects one document map of the operations state.
pub(crate) type Field<T> = fn(&mut Ops) -> &mut DocMap<T>;

impl State {
    /// Inserts or replaces a document; rollback restores what was there.
    pub(crate) fn put_doc<T: Send + Sync + 'static>(&mut self, field: Field<T>, code: Code, doc: T) {
        let old = field(&mut self.ops).0.insert(code.clone(), Arc::new(doc));
        self.push_doc_undo(field, code, old);
    }

    /// Removes a document; rollback restores it.
    pub(crate) fn remove_doc<T: Send + Sync + 'static>(&mut self, field: Field<T>, code: &str) {
        if let Some((code, old)) = field(&mut self.ops).0.remove_entry(code) {
            self.push_doc_undo(field, code, Some(old));
        }
    }

    /// Changes a document in place (copy-on-write); `None` when absent.
    pub(crate) fn edit_doc<T: Clone + Send + Sync + 'static, R>(
        &mut self,
        field: Field<T>,
        code: &str,
        f: impl FnOnce(&mut T) -> R,
    ) -> Option<R> {
        let (code, old) = field(&mut self.ops).0.get_key_value(code).map(|(k, v)| (k.clone(), v.clone()))?;
        let mut doc = (*old).clone();
        let r = f(&mut doc);
        field(&mut self.ops).0.insert(code.clone(), Arc::new(doc));
        self.push_doc_undo(field, code, Some(old));
        Some(r)
    }

    fn push_doc_undo<T: Send + Sync + 'static>(&mut self, field: Field<T>, code: Code, old: Option<Arc<T>>) {
        self.undo.push(Undo::Doc(DocUndo(Arc::new(move |ops: &mut Ops| {
            let m = &mut field(ops).0;
            match &old {
                Some(v) => {
                    m.insert(code.clone(), v.clone());
                }
                None => {
                    m.remove(&code);
                }
            }
        }))));
    }
}
