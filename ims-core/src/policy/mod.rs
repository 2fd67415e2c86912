//! Inventory theory: pure functions, no engine state.
//!
//! The models follow the conventions and parameter names of Snyder & Shen,
//! *Fundamentals of Supply Chain Theory* (fixed cost `K`, holding cost `h`,
//! stockout cost `p`, demand rate `λ`, ...), as the public vectors in
//! `tests/vectors/` use them. Conventions differ between models (see that
//! README): the EOQ cost excludes the purchase cost, the discount models
//! include it; the newsvendor `lead_time` is periodic review (protection
//! over `L + 1` periods), the (r,Q) `lead_time` is continuous review (no +1);
//! second-order losses carry a factor ½.
//!
//! Floats follow DESIGN §8: every transcendental comes from `libm`, sums run
//! left to right in a fixed order, and where a statistic becomes stock units
//! it goes through the named rounding rule [`numeric::units_up`]. Every
//! function validates its inputs and answers a bad one with
//! [`Error::InvalidParameter`](crate::Error::InvalidParameter).

pub mod continuous;
pub mod discrete;
pub mod eoq;
pub mod finite_horizon;
pub mod loss;
pub mod lot_sizing;
pub mod newsvendor;
pub mod normal;
pub mod numeric;
pub mod rq;
pub mod safety_stock;
pub mod ss;

mod check;
mod special;

pub use numeric::{try_units_up, units_up};
