//! `ims._native.Replica`: an edge replica (offline till, browser cart) of
//! an authority engine, from its snapshot; commands queue locally and sync
//! as bytes (docs/edge.md).

use std::sync::Mutex;

use ims_core::edge::{QueueLimits, Replica, SyncResponse};
use ims_core::{hex, Envelope, Error, Query};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use crate::convert::{answer_to_py, to_py};
use crate::engine::{command_of, json_arg, outcome_dict, query_arg, slice_of};
use crate::errors::{refusal_to_pyerr, to_pyerr};

/// An edge replica behind a lock.
#[pyclass(frozen, module = "ims._native", name = "Replica")]
pub struct PyReplica {
    inner: Mutex<Replica>,
}

impl PyReplica {
    fn run<T: Send>(&self, py: Python<'_>, f: impl FnOnce(&mut Replica) -> Result<T, Error> + Send) -> PyResult<T> {
        let r = py.detach(|| {
            let mut g = self.inner.lock().map_err(|_| Error::EnginePoisoned)?;
            f(&mut g)
        });
        r.map_err(|e| to_pyerr(py, &e))
    }
}

#[pymethods]
impl PyReplica {
    /// A replica named `name` from the authority's (slice) snapshot.
    #[new]
    #[pyo3(signature = (name, snapshot, slice=None, max_len=None, max_age_ms=None))]
    fn new(
        py: Python<'_>,
        name: &str,
        snapshot: &[u8],
        slice: Option<&Bound<'_, PyAny>>,
        max_len: Option<u32>,
        max_age_ms: Option<i64>,
    ) -> PyResult<PyReplica> {
        let slice = match slice {
            Some(s) => slice_of(s).map_err(|r| refusal_to_pyerr(py, r))?,
            None => Default::default(),
        };
        let mut limits = QueueLimits::default();
        if let Some(n) = max_len {
            limits.max_len = n;
        }
        if let Some(a) = max_age_ms {
            limits.max_age_ms = a;
        }
        let r = Replica::from_snapshot(name, snapshot, slice, limits).map_err(|e| to_pyerr(py, &e))?;
        Ok(PyReplica { inner: Mutex::new(r) })
    }

    /// Executes a command locally (queued for sync); the outcome dict with
    /// `pending`, the queue length after it.
    fn execute<'py>(&self, py: Python<'py>, command: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDict>> {
        let cmd = json_arg(command).and_then(|v| Ok(command_of(v)?)).map_err(|r| refusal_to_pyerr(py, r))?;
        let (o, pending) = self.run(py, |r| {
            let o = r.execute(&cmd)?;
            Ok((o, r.pending().len()))
        })?;
        let d = outcome_dict(py, &o)?;
        d.set_item("pending", pending)?;
        Ok(d)
    }

    /// A query on the local view (authority state plus the queue).
    fn query<'py>(&self, py: Python<'py>, query: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let v = query_arg(query).map_err(|r| refusal_to_pyerr(py, r))?;
        let q = Query::from_value(v).map_err(|reason| to_pyerr(py, &Error::InvalidCommand { reason }))?;
        let v = self.run(py, |r| r.view().query(&q))?;
        answer_to_py(py, &v)
    }

    /// Moves the local clock.
    fn advance_to(&self, py: Python<'_>, now_ms: i64) -> PyResult<()> {
        self.run(py, |r| r.advance_to(now_ms))
    }

    /// The next sync request, as bytes for the authority's `sync`.
    fn sync_request<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let b = self.run(py, |r| Ok(r.sync_request().to_bytes()))?;
        Ok(PyBytes::new(py, &b))
    }

    /// Takes the authority's response bytes; the sync report as a dict
    /// (`snapshot_required` true: call `reset` with a fresh snapshot).
    fn receive<'py>(&self, py: Python<'py>, response: &[u8]) -> PyResult<Bound<'py, PyAny>> {
        let resp = SyncResponse::from_bytes(response).map_err(|e| to_pyerr(py, &e))?;
        let rep = self.run(py, |r| r.receive(&resp))?;
        to_py(py, &serde_json::to_value(&rep).unwrap_or_default(), "")
    }

    /// Applies one pushed envelope (its binary encoding); the conflicts it
    /// settles.
    fn apply<'py>(&self, py: Python<'py>, envelope: &[u8]) -> PyResult<Bound<'py, PyAny>> {
        let env = Envelope::from_bytes(envelope).map_err(|e| to_pyerr(py, &e))?;
        let c = self.run(py, |r| r.apply(&env))?;
        to_py(py, &serde_json::to_value(&c).unwrap_or_default(), "")
    }

    /// Starts again from a fresh snapshot of the authority.
    fn reset(&self, py: Python<'_>, snapshot: &[u8]) -> PyResult<()> {
        let b = snapshot.to_vec();
        self.run(py, |r| r.reset(&b))
    }

    /// The authority seq the replica holds.
    fn seq(&self, py: Python<'_>) -> PyResult<u64> {
        self.run(py, |r| Ok(r.seq()))
    }

    /// Commands queued and not yet settled.
    fn pending_count(&self, py: Python<'_>) -> PyResult<usize> {
        self.run(py, |r| Ok(r.pending().len()))
    }

    /// The slice digest of the synced base (hex).
    fn slice_digest(&self, py: Python<'_>) -> PyResult<String> {
        self.run(py, |r| Ok(hex(&r.slice_digest())))
    }

    /// Whether the last response asked for a snapshot.
    fn needs_snapshot(&self, py: Python<'_>) -> PyResult<bool> {
        self.run(py, |r| Ok(r.needs_snapshot()))
    }
}
