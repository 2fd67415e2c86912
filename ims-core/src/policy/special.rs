//! Special functions the distributions need: the regularised incomplete
//! gamma function. Fixed iteration rules, every transcendental from `libm`.

/// Relative precision at which the series and continued fraction stop.
const EPS: f64 = 1e-16;
/// Iteration cap (reached only for extreme arguments; the result is then
/// the best partial sum, still deterministic).
const MAX_ITER: usize = 10_000;
/// Smallest magnitude the Lentz algorithm lets a denominator take.
const TINY: f64 = 1e-300;

/// e^(−x) x^a / Γ(a), the common prefactor, in logs to avoid overflow.
fn prefactor(a: f64, x: f64) -> f64 {
    libm::exp(a * libm::log(x) - x - libm::lgamma(a))
}

/// Regularised lower incomplete gamma P(a, x) = γ(a, x)/Γ(a), a > 0, x ≥ 0.
pub(crate) fn gamma_p(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x < a + 1.0 {
        series(a, x)
    } else {
        1.0 - continued_fraction(a, x)
    }
}

/// Regularised upper incomplete gamma Q(a, x) = 1 − P(a, x), a > 0, x ≥ 0.
pub(crate) fn gamma_q(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    if x < a + 1.0 {
        1.0 - series(a, x)
    } else {
        continued_fraction(a, x)
    }
}

/// P(a, x) by its power series (converges fast for x < a + 1).
fn series(a: f64, x: f64) -> f64 {
    let mut ap = a;
    let mut term = 1.0 / a;
    let mut sum = term;
    for _ in 0..MAX_ITER {
        ap += 1.0;
        term *= x / ap;
        sum += term;
        if term.abs() < sum.abs() * EPS {
            break;
        }
    }
    sum * prefactor(a, x)
}

/// Q(a, x) by its continued fraction, modified Lentz (for x ≥ a + 1).
fn continued_fraction(a: f64, x: f64) -> f64 {
    let mut b = x + 1.0 - a;
    let mut c = 1.0 / TINY;
    let mut d = 1.0 / b;
    let mut h = d;
    for i in 1..=MAX_ITER {
        let fi = i as f64;
        let an = -fi * (fi - a);
        b += 2.0;
        d = an * d + b;
        if d.abs() < TINY {
            d = TINY;
        }
        c = b + an / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() < EPS {
            break;
        }
    }
    prefactor(a, x) * h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incomplete_gamma_known_values() {
        // Integer a: Q(n, x) = e^(−x) Σ_{k<n} x^k/k!.
        let q3 = |x: f64| libm::exp(-x) * (1.0 + x + x * x / 2.0);
        for x in [0.1, 1.0, 2.5, 3.9, 4.1, 10.0, 40.0] {
            assert!((gamma_q(3.0, x) - q3(x)).abs() < 1e-15, "{x}");
            assert!((gamma_p(3.0, x) + gamma_q(3.0, x) - 1.0).abs() < 1e-15);
        }
        // a = ½: P(½, x) = erf(√x).
        for x in [0.2, 1.0, 1.6, 7.0] {
            assert!((gamma_p(0.5, x) - libm::erf(libm::sqrt(x))).abs() < 1e-15, "{x}");
        }
    }
}
