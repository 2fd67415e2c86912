//! `ims._native.Engine`: one engine behind a lock, shared by every Python
//! thread that holds it. Arguments are converted while the GIL is held;
//! the engine runs with the GIL released; results are converted after the
//! lock is let go — so the lock is never held while Python code runs.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ims_core::edge::{Slice, SyncOptions, SyncRequest};
use ims_core::storage::NullStorage;
use ims_core::{hex, BatchMode, Command, Engine, Error, Outcome, Query, SharedEngine};
use ims_journal::{Durability, Options};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};
use serde_json::Value;

use crate::convert::{answer_to_py, check_exact, to_py, to_value, to_value_with, Floats, Refusal};
use crate::errors::{refusal_to_pyerr, to_pyerr};

/// The engine handle of the Python door.
#[pyclass(frozen, module = "ims._native", name = "Engine")]
pub struct PyEngine {
    pub(crate) shared: SharedEngine,
    closed: AtomicBool,
}

/// A command or query from Python: a dict (converted exactly) or JSON text.
pub(crate) fn json_arg(v: &Bound<'_, PyAny>) -> Result<Value, Refusal> {
    if let Ok(s) = v.cast::<PyString>() {
        let v: Value = serde_json::from_str(&s.to_cow()?)
            .map_err(|e| Refusal::Engine(Error::InvalidCommand { reason: e.to_string() }))?;
        check_exact(&v, "", "")?;
        return Ok(v);
    }
    to_value(v, "", "", 0)
}

/// A query from Python: as [`json_arg`], with floats allowed outside
/// quantities (real-number parameters of simulations).
pub(crate) fn query_arg(v: &Bound<'_, PyAny>) -> Result<Value, Refusal> {
    if v.cast::<PyString>().is_ok() {
        return json_arg(v);
    }
    to_value_with(v, "", "", 0, Floats::OutsideDecimalKeys)
}

pub(crate) fn command_of(v: Value) -> Result<Command, Error> {
    serde_json::from_value(v).map_err(|e| Error::InvalidCommand { reason: e.to_string() })
}

pub(crate) fn outcome_dict<'py>(py: Python<'py>, o: &Outcome) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("seq", o.seq)?;
    d.set_item("exists", o.exists)?;
    let events = serde_json::to_value(o.events()).unwrap_or_default();
    d.set_item("events", to_py(py, &events, "")?)?;
    let changes = serde_json::to_value(&o.changes).unwrap_or_default();
    d.set_item("changes", to_py(py, &changes, "")?)?;
    Ok(d)
}

impl PyEngine {
    pub(crate) fn wrap(engine: Engine) -> PyEngine {
        PyEngine { shared: SharedEngine::new(engine), closed: AtomicBool::new(false) }
    }

    /// Runs `f` on the engine with the GIL released.
    pub(crate) fn run<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut Engine) -> Result<T, Error> + Send,
    ) -> PyResult<T> {
        if self.closed.load(Ordering::Acquire) {
            return Err(to_pyerr(py, &Error::EngineClosed));
        }
        let r = py.detach(|| self.shared.with(f));
        r.map_err(|e| to_pyerr(py, &e))
    }
}

#[pymethods]
impl PyEngine {
    /// An empty in-memory engine.
    #[new]
    fn new() -> PyEngine {
        PyEngine::wrap(Engine::new())
    }

    /// A durable engine on a journal directory (ims-journal), and what its
    /// recovery found.
    #[staticmethod]
    #[pyo3(signature = (path, durability="every_commit", every_n=100, every_ms=100, segment_bytes=None, keep_snapshots=None))]
    fn open<'py>(
        py: Python<'py>,
        path: PathBuf,
        durability: &str,
        every_n: u32,
        every_ms: u64,
        segment_bytes: Option<u64>,
        keep_snapshots: Option<usize>,
    ) -> PyResult<(PyEngine, Bound<'py, PyDict>)> {
        let durability = match durability {
            "every_commit" => Durability::EveryCommit,
            "every_n" => Durability::EveryN(every_n.max(1)),
            "every_ms" => Durability::Every(Duration::from_millis(every_ms)),
            "never" => Durability::Never,
            other => {
                let reason = format!("durability {other:?}: want every_commit, every_n, every_ms or never");
                return Err(to_pyerr(py, &Error::InvalidCommand { reason }));
            }
        };
        let mut opts = Options { durability, ..Options::default() };
        if let Some(b) = segment_bytes {
            opts.segment_bytes = b;
        }
        if let Some(k) = keep_snapshots {
            opts.keep_snapshots = k;
        }
        let (engine, rec) = py.detach(|| ims_journal::open(&path, opts)).map_err(|e| to_pyerr(py, &Error::from(e)))?;
        let d = PyDict::new(py);
        d.set_item("snapshot_seq", rec.snapshot_seq)?;
        d.set_item("replayed", rec.replayed)?;
        d.set_item("segments", rec.segments)?;
        d.set_item("truncated_bytes", rec.truncated_bytes)?;
        d.set_item("bad_snapshots", rec.bad_snapshots)?;
        Ok((PyEngine::wrap(engine), d))
    }

    /// An engine restored from snapshot bytes (in memory).
    #[staticmethod]
    fn restore(py: Python<'_>, snapshot: &[u8]) -> PyResult<PyEngine> {
        let bytes = snapshot.to_vec();
        let e = py.detach(|| Engine::restore(&bytes)).map_err(|e| to_pyerr(py, &e))?;
        Ok(PyEngine::wrap(e))
    }

    /// Executes one command (a dict or JSON text); the outcome as a dict.
    fn execute<'py>(&self, py: Python<'py>, command: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDict>> {
        let cmd = json_arg(command).and_then(|v| Ok(command_of(v)?)).map_err(|r| refusal_to_pyerr(py, r))?;
        let o = self.run(py, |e| e.execute(&cmd))?;
        outcome_dict(py, &o)
    }

    /// Executes a batch. `atomic`: one outcome, or `BatchRefused`.
    /// `independent`: per command an outcome dict or the exception.
    fn execute_batch<'py>(
        &self,
        py: Python<'py>,
        commands: &Bound<'py, PyAny>,
        mode: &str,
    ) -> PyResult<Bound<'py, PyList>> {
        let mode = match mode {
            "atomic" => BatchMode::Atomic,
            "independent" => BatchMode::Independent,
            other => {
                let reason = format!("batch mode {other:?}: want \"atomic\" or \"independent\"");
                return Err(to_pyerr(py, &Error::InvalidCommand { reason }));
            }
        };
        let cmds = (|| -> Result<Vec<Command>, Refusal> {
            let mut v = Vec::new();
            for c in commands.try_iter()? {
                v.push(command_of(json_arg(&c?)?)?);
            }
            Ok(v)
        })()
        .map_err(|r| refusal_to_pyerr(py, r))?;
        let results = self.run(py, |e| e.execute_batch(&cmds, mode))?;
        let l = PyList::empty(py);
        for r in &results {
            match r {
                Ok(o) => l.append(outcome_dict(py, o)?)?,
                Err(e) => l.append(to_pyerr(py, e).into_value(py))?,
            }
        }
        Ok(l)
    }

    /// Answers a query (a dict or JSON text with its `kind`).
    fn query<'py>(&self, py: Python<'py>, query: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let v = query_arg(query).map_err(|r| refusal_to_pyerr(py, r))?;
        let q = Query::from_value(v).map_err(|reason| to_pyerr(py, &Error::InvalidCommand { reason }))?;
        let v = self.run(py, |e| e.query(&q))?;
        answer_to_py(py, &v)
    }

    /// Moves the clock to `now_ms` (expiring reservations); the outcome.
    fn advance_to<'py>(&self, py: Python<'py>, now_ms: i64) -> PyResult<Bound<'py, PyDict>> {
        let o = self.run(py, |e| e.advance_to(now_ms))?;
        outcome_dict(py, &o)
    }

    /// The snapshot bytes.
    fn snapshot<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let b = self.run(py, |e| Ok(e.snapshot()))?;
        Ok(PyBytes::new(py, &b))
    }

    /// An independent in-memory copy (what-if).
    fn fork(&self, py: Python<'_>) -> PyResult<PyEngine> {
        let e = self.run(py, |e| Ok(e.fork()))?;
        Ok(PyEngine::wrap(e))
    }

    /// The state digest (lower-case hex).
    fn state_digest(&self, py: Python<'_>) -> PyResult<String> {
        self.run(py, |e| Ok(hex(&e.state_digest())))
    }

    /// The journal digest (lower-case hex).
    fn journal_digest(&self, py: Python<'_>) -> PyResult<String> {
        self.run(py, |e| Ok(hex(&e.journal_digest())))
    }

    /// The last envelope's seq.
    fn seq(&self, py: Python<'_>) -> PyResult<u64> {
        self.run(py, |e| Ok(e.seq()))
    }

    /// The engine's clock (ms UTC).
    fn now(&self, py: Python<'_>) -> PyResult<i64> {
        self.run(py, |e| Ok(e.now()))
    }

    /// Invariant violations (empty when the state is sound).
    fn verify(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        self.run(py, |e| Ok(e.verify().err().unwrap_or_default()))
    }

    /// Envelopes after `after` (at most `limit`) from the storage, each a
    /// dict with its events.
    #[pyo3(signature = (after=0, limit=None))]
    fn envelopes<'py>(&self, py: Python<'py>, after: u64, limit: Option<usize>) -> PyResult<Bound<'py, PyAny>> {
        let envs = self.run(py, |e| {
            let mut v = e.storage().read_from(after + 1).map_err(|s| Error::Storage { reason: s.0 })?;
            if let Some(l) = limit {
                v.truncate(l);
            }
            Ok(v)
        })?;
        let v = serde_json::to_value(&envs).unwrap_or_default();
        to_py(py, &v, "")
    }

    /// Writes a snapshot to the storage (a durable engine compacts its
    /// journal).
    fn checkpoint(&self, py: Python<'_>) -> PyResult<()> {
        self.run(py, |e| e.checkpoint())
    }

    /// Flushes and closes: a durable engine reports a failed flush here.
    /// Every later call raises `EngineClosedError`; closing twice is a no-op.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        if self.closed.swap(true, Ordering::AcqRel) {
            return Ok(());
        }
        py.detach(|| self.shared.with(|e| std::mem::replace(e, Engine::with_storage(Box::new(NullStorage))).close()))
            .map_err(|e| to_pyerr(py, &e))
    }

    /// Whether `close` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    /// Answers a replica's sync request (bytes or JSON text); the response
    /// bytes.
    #[pyo3(signature = (request, max_tail=100_000))]
    fn sync<'py>(&self, py: Python<'py>, request: &[u8], max_tail: u64) -> PyResult<Bound<'py, PyBytes>> {
        let req = SyncRequest::from_bytes(request).map_err(|e| to_pyerr(py, &e))?;
        let resp = self.run(py, |e| e.sync(&req, &SyncOptions { max_tail }))?;
        Ok(PyBytes::new(py, &resp.to_bytes()))
    }

    /// The snapshot of a slice (`{"items": [...], "locations": [...]}`).
    fn slice_snapshot<'py>(&self, py: Python<'py>, slice: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyBytes>> {
        let s = slice_of(slice).map_err(|r| refusal_to_pyerr(py, r))?;
        let b = self.run(py, |e| e.slice_snapshot(&s))?;
        Ok(PyBytes::new(py, &b))
    }

    /// The digest of a slice (hex), to compare with a replica's.
    fn slice_digest(&self, py: Python<'_>, slice: &Bound<'_, PyAny>) -> PyResult<String> {
        let s = slice_of(slice).map_err(|r| refusal_to_pyerr(py, r))?;
        self.run(py, |e| e.slice_digest(&s).map(|d| hex(&d)))
    }

    /// Envelopes after `after` of a slice, each as its binary encoding (to
    /// push to replicas).
    #[pyo3(signature = (after, slice=None, max=10_000))]
    fn tail_after<'py>(
        &self,
        py: Python<'py>,
        after: u64,
        slice: Option<&Bound<'py, PyAny>>,
        max: u64,
    ) -> PyResult<Vec<Bound<'py, PyBytes>>> {
        let s = match slice {
            Some(s) => slice_of(s).map_err(|r| refusal_to_pyerr(py, r))?,
            None => Slice::default(),
        };
        let envs = self.run(py, |e| e.tail_after(after, max, &s))?;
        Ok(envs.iter().map(|e| PyBytes::new(py, &e.to_bytes())).collect())
    }
}

pub(crate) fn slice_of(v: &Bound<'_, PyAny>) -> Result<Slice, Refusal> {
    let v = json_arg(v)?;
    serde_json::from_value(v).map_err(|e| Refusal::Engine(Error::InvalidCommand { reason: format!("slice: {e}") }))
}
