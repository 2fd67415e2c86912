//! Engine errors as Python exceptions: one class per catalogue entry, made
//! by `ims.errors` from [`catalogue`] and handed back through
//! [`register_errors`], so the classes are plain Python (picklable,
//! subclassable) and none can be missing.

use ims_core::Error;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

use crate::convert::{to_py, Refusal};

static CLASSES: PyOnceLock<Py<PyDict>> = PyOnceLock::new();

/// The catalogue: `(code, name, retryable, description)` per error.
#[pyfunction]
pub fn catalogue() -> Vec<(u16, &'static str, bool, &'static str)> {
    ims_core::catalogue().iter().map(|e| (e.code, e.name, e.retryable, e.description)).collect()
}

/// Registers the exception class per catalogue name (called once by
/// `ims.errors`).
#[pyfunction]
pub fn register_errors(py: Python<'_>, classes: Bound<'_, PyDict>) -> PyResult<()> {
    for e in ims_core::catalogue() {
        if !classes.contains(e.name)? {
            return Err(PyRuntimeError::new_err(format!("no exception class for {}", e.name)));
        }
    }
    // A second registration (a reloaded module) keeps the first classes.
    let _ = CLASSES.set(py, classes.unbind());
    Ok(())
}

/// The Python exception for an engine error.
pub fn to_pyerr(py: Python<'_>, e: &Error) -> PyErr {
    match build(py, e) {
        Ok(err) => err,
        Err(err) => err,
    }
}

fn build(py: Python<'_>, e: &Error) -> PyResult<PyErr> {
    let Some(classes) = CLASSES.get(py) else {
        return Ok(PyRuntimeError::new_err(format!("{} ({}): {e}", e.name(), e.code())));
    };
    let Some(cls) = classes.bind(py).get_item(e.name())? else {
        return Ok(PyRuntimeError::new_err(format!("{} ({}): {e}", e.name(), e.code())));
    };
    let data = error_data(py, e)?;
    let inst = cls.call1((e.to_string(), e.code(), e.name(), e.retryable(), data))?;
    Ok(PyErr::from_value(inst))
}

/// The error's fields (its serde form without `name`), with a batch
/// refusal's inner error as `source` (itself with its `name`).
fn error_data<'py>(py: Python<'py>, e: &Error) -> PyResult<Bound<'py, PyAny>> {
    let mut v = serde_json::to_value(e).unwrap_or_default();
    if let Some(m) = v.as_object_mut() {
        m.remove("name");
    }
    to_py(py, &v, "")
}

/// A refusal as the Python exception to raise.
pub fn refusal_to_pyerr(py: Python<'_>, r: Refusal) -> PyErr {
    match r {
        Refusal::Engine(e) => to_pyerr(py, &e),
        Refusal::Python(e) => e,
    }
}
