//! `ims._native`: the compiled half of the `ims` Python package. The
//! Python half (`python/ims/`) gives it keyword arguments, result classes,
//! enums, exceptions and DataFrames; this half converts exactly and runs
//! the engine with the GIL released.

mod columns;
mod convert;
mod engine;
mod errors;
mod export;
mod planning;
mod planning_rows;
mod replica;

use ims_core::ops::OpsCommand;
use ims_core::{CommandBody, Query};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::{to_py, to_value_with, Floats};
use crate::errors::refusal_to_pyerr;

/// Every command `type`, core first.
#[pyfunction]
fn command_types() -> Vec<&'static str> {
    let mut v = CommandBody::CORE_TYPES.to_vec();
    v.extend(OpsCommand::types());
    v
}

/// Every query `kind`, core first.
#[pyfunction]
fn query_kinds() -> Vec<&'static str> {
    Query::kinds()
}

/// Calls a planning function (`"policy.eoq.eoq"` style path, without the
/// leading crate) with keyword arguments; the result as plain Python data.
#[pyfunction]
fn planning_call<'py>(py: Python<'py>, function: &str, kwargs: &Bound<'py, PyDict>) -> PyResult<Bound<'py, PyAny>> {
    let args = to_value_with(kwargs.as_any(), "", "", 0, Floats::Allow).map_err(|r| refusal_to_pyerr(py, r))?;
    let f = function.to_owned();
    let v = py.detach(|| planning::call(&f, args)).map_err(|e| errors::to_pyerr(py, &e))?;
    to_py(py, &v, "")
}

/// `(module, function, [(parameter, Rust type)], result)` of every planning
/// function, for the generator of the typed Python modules.
type Signature = (&'static str, &'static str, Vec<(&'static str, &'static str)>, &'static str);

#[pyfunction]
fn planning_signatures() -> Vec<Signature> {
    planning::SIGNATURES.iter().map(|(m, f, a, r)| (*m, *f, a.to_vec(), *r)).collect()
}

/// An instant as ms since the epoch: an aware `datetime` or an int (a
/// naive datetime is `NAIVE_DATETIME`).
#[pyfunction]
fn millis(py: Python<'_>, t: &Bound<'_, PyAny>) -> PyResult<i64> {
    match convert::to_value(t, "now", "", 0) {
        Ok(serde_json::Value::Number(n)) if n.is_i64() => Ok(n.as_i64().unwrap_or_default()),
        Ok(_) => {
            let reason = "now: want an aware datetime or milliseconds".to_owned();
            Err(errors::to_pyerr(py, &ims_core::Error::InvalidCommand { reason }))
        }
        Err(r) => Err(refusal_to_pyerr(py, r)),
    }
}

/// The module.
#[pymodule]
#[pyo3(name = "_native")]
fn ims_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<engine::PyEngine>()?;
    m.add_class::<replica::PyReplica>()?;
    m.add_function(wrap_pyfunction!(errors::catalogue, m)?)?;
    m.add_function(wrap_pyfunction!(errors::register_errors, m)?)?;
    m.add_function(wrap_pyfunction!(command_types, m)?)?;
    m.add_function(wrap_pyfunction!(query_kinds, m)?)?;
    m.add_function(wrap_pyfunction!(planning_call, m)?)?;
    m.add_function(wrap_pyfunction!(millis, m)?)?;
    m.add_function(wrap_pyfunction!(planning_signatures, m)?)?;
    m.add_function(wrap_pyfunction!(planning_rows::planning_rows, m)?)?;
    columns::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
