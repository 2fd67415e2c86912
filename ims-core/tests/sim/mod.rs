//! The crash simulation's parts: the reference model and the storage that
//! survives a crash. The driver is `tests/sim_crash.rs`.

pub mod model;
pub mod store;
