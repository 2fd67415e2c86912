//! Loss functions in Snyder & Shen's convention: n(x) = E[(X − x)⁺] is the
//! loss, n̄(x) = E[(x − X)⁺] the complementary loss, and the second-order
//! losses carry a factor ½.

use super::normal;

/// Standard normal loss L(z) = φ(z) − z(1 − Φ(z)) = E[(Z − z)⁺]
/// (Silver–Pyke–Peterson's G_u(z), Chopra's ESC/σ).
pub fn std_loss(z: f64) -> f64 {
    normal::pdf(z) - z * normal::sf(z)
}

/// Standard normal complementary loss L̄(z) = E[(z − Z)⁺] = z + L(z),
/// computed as φ(z) + zΦ(z) so it keeps its precision for negative z.
pub fn std_loss_complement(z: f64) -> f64 {
    normal::pdf(z) + z * normal::cdf(z)
}
