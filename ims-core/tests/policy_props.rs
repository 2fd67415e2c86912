//! Properties of the inventory-theory functions: monotonicity in the service
//! level, optimality against neighbours and against brute force, loss
//! function identities, and the quantile inverting the distribution function.

#![allow(clippy::unwrap_used)]

use ims_core::policy::discrete::Discrete;
use ims_core::policy::rq::{self, PoissonRqParams, RqParams};
use ims_core::policy::safety_stock::{self, ProtectionParams};
use ims_core::policy::{eoq, loss, lot_sizing, newsvendor, normal, ss, units_up};
use proptest::prelude::*;

fn params() -> impl Strategy<Value = ProtectionParams> {
    (0.1f64..1e4, 0.01f64..1e3, 0.0f64..60.0, 0.0f64..10.0, 0.0f64..30.0).prop_map(|(mu, sd, lt, lt_sd, r)| {
        ProtectionParams { demand_mean: mu, demand_sd: sd, lead_time_mean: lt, lead_time_sd: lt_sd, review_period: r }
    })
}

/// A random pmf on 0..len, normalised (the last entry takes the rounding).
fn pmf() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(0.0f64..1.0, 1..12).prop_filter_map("some mass", |w| {
        let total: f64 = w.iter().sum();
        (total > 0.0).then(|| w.iter().map(|x| x / total).collect())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn safety_stock_rises_with_the_service_level(p in params(), a in 0.01f64..0.98, step in 0.001f64..0.019) {
        let b = a + step;
        prop_assume!(p.lead_time_mean + p.review_period > 0.0);
        let lo = safety_stock::type1(&p, a).unwrap();
        let hi = safety_stock::type1(&p, b).unwrap();
        prop_assert!(hi.safety_stock > lo.safety_stock);
        prop_assert!(hi.reorder_level > lo.reorder_level);
        let q = p.demand_mean.max(1.0);
        let lo = safety_stock::type2(&p, a, q).unwrap();
        let hi = safety_stock::type2(&p, b, q).unwrap();
        prop_assert!(hi.safety_stock > lo.safety_stock, "{lo:?} {hi:?}");
    }

    #[test]
    fn type2_meets_its_fill_rate(p in params(), beta in 0.5f64..0.9999, q in 1.0f64..1e5) {
        prop_assume!(p.lead_time_mean + p.review_period > 0.0);
        let s = safety_stock::type2(&p, beta, q).unwrap();
        let back = safety_stock::service(&p, s.reorder_level, q).unwrap();
        prop_assert!((back.fill_rate - beta).abs() < 1e-9, "{} vs {beta}", back.fill_rate);
    }

    #[test]
    fn eoq_cost_is_minimal_at_the_eoq(k in 0.01f64..1e4, h in 0.001f64..100.0, l in 1.0f64..1e6, f in 0.5f64..2.0) {
        prop_assume!((f - 1.0).abs() > 1e-3);
        let e = eoq::eoq(k, h, l).unwrap();
        let at = eoq::eoq_cost(k, h, l, e.order_quantity).unwrap();
        prop_assert!((at - e.cost).abs() <= 1e-12 * e.cost);
        prop_assert!(eoq::eoq_cost(k, h, l, e.order_quantity * f).unwrap() > e.cost);
    }

    #[test]
    fn standard_normal_loss_identities(z in -30.0f64..30.0) {
        let tol = 1e-15 * (1.0 + z * z);
        prop_assert!((loss::std_loss(z) - loss::std_loss(-z) + z).abs() <= tol);
        prop_assert!((loss::std_loss_complement(z) - z - loss::std_loss(z)).abs() <= tol);
        prop_assert!((loss::std_loss2(z) + loss::std_loss2_complement(z) - 0.5 * (1.0 + z * z)).abs() <= tol);
        prop_assert!(loss::std_loss(z) >= 0.0 && loss::std_loss2(z) >= 0.0);
    }

    #[test]
    fn normal_loss_is_mean_shifted(x in -1e3f64..1e3, mean in -1e3f64..1e3, sd in 0.01f64..1e3) {
        let l = loss::normal_loss(x, mean, sd).unwrap();
        prop_assert!((l.n - l.n_bar - (mean - x)).abs() <= 1e-12 * (1.0 + x.abs() + mean.abs() + sd));
    }

    #[test]
    fn discrete_losses_match_direct_sums(probs in pmf(), x in -3i64..15) {
        let d = Discrete::pmf(probs.clone()).unwrap();
        let (mut n, mut n_bar, mut n2, mut n2_bar) = (0.0, 0.0, 0.0, 0.0);
        for (y, p) in probs.iter().enumerate() {
            let diff = y as f64 - x as f64;
            n += diff.max(0.0) * p;
            n_bar += (-diff).max(0.0) * p;
            if diff >= 0.0 { n2 += 0.5 * diff * (diff - 1.0) * p } else { n2_bar += 0.5 * -diff * (1.0 - diff) * p }
        }
        let (l, l2) = (d.loss(x), d.loss2(x));
        prop_assert!((l.n - n).abs() < 1e-12 && (l.n_bar - n_bar).abs() < 1e-12, "{l:?} {n} {n_bar}");
        prop_assert!((l2.n - n2).abs() < 1e-12 && (l2.n_bar - n2_bar).abs() < 1e-12, "{l2:?} {n2} {n2_bar}");
    }

    #[test]
    fn poisson_losses_satisfy_the_moment_identities(mean in 0.1f64..80.0, x in -5i64..150) {
        let d = Discrete::poisson(mean).unwrap();
        let (l, l2) = (d.loss(x), d.loss2(x));
        let xf = x as f64;
        prop_assert!((l.n - l.n_bar - (mean - xf)).abs() < 1e-9);
        // ½E[(X − x)(X − x − 1)] for a Poisson.
        let whole = 0.5 * (mean * mean - 2.0 * xf * mean + xf * (xf + 1.0));
        prop_assert!((l2.n + l2.n_bar - whole).abs() < 1e-9 * (1.0 + whole.abs()));
        prop_assert!(l.n >= -1e-9 && l.n_bar >= -1e-9 && l2.n >= -1e-9 && l2.n_bar >= -1e-9);
    }

    #[test]
    // Up to z = 5: beyond it Φ(z) is so close to 1 that its rounding alone
    // moves z by more than the tolerance (the upper tail is covered by the
    // exact symmetry quantile(1 − p) = −quantile(p) and the lower tail here).
    fn quantile_inverts_cdf(z in -37.0f64..5.0) {
        let back = normal::quantile(normal::cdf(z)).unwrap();
        prop_assert!((back - z).abs() <= 1e-9 * (1.0 + z.abs()), "{z} -> {back}");
    }

    #[test]
    fn units_up_ignores_noise_below_the_grid(k in -1_000_000i64..1_000_000, e in -4e-10f64..4e-10, up in 1e-8f64..0.999) {
        prop_assert_eq!(units_up(k as f64 + e), k);
        prop_assert_eq!(units_up(k as f64 + up), k + 1);
    }

    #[test]
    fn newsvendor_optimum_beats_its_neighbours(h in 0.01f64..10.0, p in 0.01f64..50.0, mu in 1.0f64..500.0, sd in 0.1f64..100.0, d in 0.01f64..20.0) {
        let nv = newsvendor::normal(h, p, mu, sd, 0.0).unwrap();
        for s in [nv.base_stock_level - d, nv.base_stock_level + d] {
            prop_assert!(newsvendor::normal_cost(h, p, mu, sd, 0.0, s).unwrap() > nv.cost * (1.0 - 1e-12));
        }
        let pn = newsvendor::poisson(h, p, mu / 10.0, 0.0).unwrap();
        for s in [pn.base_stock_level - 1, pn.base_stock_level + 1] {
            prop_assert!(newsvendor::poisson_cost(h, p, mu / 10.0, 0.0, s).unwrap() >= pn.cost - 1e-12);
        }
    }

    #[test]
    fn r_of_q_minimises_the_exact_cost(q in 10.0f64..800.0, d in 0.5f64..30.0) {
        let m = RqParams { holding_cost: 0.225, stockout_cost: 7.5, fixed_cost: 8.0, demand_mean: 1300.0, demand_sd: 150.0, lead_time: 1.0 / 12.0 };
        let r = rq::optimal_reorder_point(&m, q).unwrap();
        let best = rq::exact_cost(&m, r, q).unwrap();
        for other in [r - d, r + d] {
            prop_assert!(rq::exact_cost(&m, other, q).unwrap() > best);
        }
    }

    #[test]
    fn wagner_whitin_beats_every_order_pattern(demand in prop::collection::vec(0.0f64..100.0, 1..8), k in 1.0f64..500.0, h in 0.1f64..5.0) {
        let w = lot_sizing::wagner_whitin(&[h], &[k], &demand).unwrap();
        let t = demand.len();
        // Brute force: every set of order periods, each order covering the
        // demand up to the next; feasible when no period runs short.
        for mask in 0u32..(1 << t) {
            let (mut cost, mut level, mut feasible) = (0.0, 0.0, true);
            for i in 0..t {
                if mask & (1 << i) != 0 {
                    let mut q = demand[i];
                    let mut j = i + 1;
                    while j < t && mask & (1 << j) == 0 {
                        q += demand[j];
                        j += 1;
                    }
                    if q > 0.0 {
                        cost += k;
                    }
                    level += q;
                }
                level -= demand[i];
                feasible &= level > -1e-9;
                cost += h * level;
            }
            if feasible {
                prop_assert!(w.cost <= cost + 1e-9 * (1.0 + cost), "ww {} > {cost} for mask {mask:b}", w.cost);
            }
        }
    }
}

/// Any f64 at all: NaN, infinities, negatives, subnormals, huge values.
fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(0.0),
        Just(-0.0),
        Just(f64::MIN_POSITIVE),
        Just(f64::MAX),
        -10.0f64..10.0,
        any::<f64>(),
    ]
}

/// Ok or INVALID_PARAMETER, never a panic or another error.
fn refused_or_ok<T>(r: Result<T, ims_core::Error>) -> Result<(), TestCaseError> {
    if let Err(e) = r {
        prop_assert_eq!(e.name(), "INVALID_PARAMETER");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_input_is_answered_or_refused(a in any_f64(), b in any_f64(), c in any_f64(), d in any_f64(), e in any_f64(), f in any_f64()) {
        refused_or_ok(normal::quantile(a))?;
        refused_or_ok(loss::normal_loss(a, b, c))?;
        refused_or_ok(loss::normal_loss2(a, b, c))?;
        refused_or_ok(loss::gamma_loss(a, b, c))?;
        refused_or_ok(loss::lognormal_loss(a, b, c))?;
        refused_or_ok(loss::exponential_loss(a, b))?;
        refused_or_ok(loss::std_loss_inverse(a))?;
        refused_or_ok(eoq::eoq(a, b, c))?;
        refused_or_ok(eoq::eoq_cost(a, b, c, d))?;
        refused_or_ok(eoq::epq(a, b, c, d))?;
        refused_or_ok(eoq::eoq_backorders_cost(a, b, c, d, e, f))?;
        refused_or_ok(eoq::all_units_discount(a, b, c, &[0.0, d.abs()], &[e, f]))?;
        refused_or_ok(eoq::incremental_discount(a, b, c, &[0.0, d.abs()], &[e, f]))?;
        refused_or_ok(newsvendor::normal(a, b, c, d, e))?;
        refused_or_ok(newsvendor::normal_cost(a, b, c, d, e, f))?;
        let p = ProtectionParams { demand_mean: a, demand_sd: b, lead_time_mean: c, lead_time_sd: d, review_period: e };
        refused_or_ok(safety_stock::type1(&p, f))?;
        refused_or_ok(safety_stock::type2(&p, f, a))?;
        refused_or_ok(safety_stock::service(&p, f, b))?;
        let m = RqParams { holding_cost: a, stockout_cost: b, fixed_cost: c, demand_mean: d, demand_sd: e, lead_time: f };
        refused_or_ok(rq::exact_cost(&m, a, b))?;
        refused_or_ok(rq::optimal_reorder_point(&m, c))?;
        refused_or_ok(rq::eoq_ss(&m))?;
        refused_or_ok(rq::eoqb(&m))?;
        refused_or_ok(rq::eil(&m))?;
        refused_or_ok(rq::loss_function(&m))?;
        refused_or_ok(ss::power_approximation(a, b, c, d, e))?;
        refused_or_ok(lot_sizing::wagner_whitin(&[a], &[b], &[c, d, e]))?;
        refused_or_ok(ims_core::policy::try_units_up(a))?;
    }
}

proptest! {
    // The exact (s,S) and (r,Q) searches cost more per case.
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn ss_optimum_beats_its_neighbours_and_a_grid(mean in 0.5f64..12.0, h in 0.1f64..5.0, p in 0.5f64..40.0, k in 0.5f64..200.0) {
        let d = Discrete::poisson(mean).unwrap();
        let o = ss::optimum(h, p, k, &d).unwrap();
        let (s, big_s) = (o.reorder_point, o.order_up_to_level);
        let at = ss::cost(h, p, k, &d, s, big_s).unwrap();
        prop_assert!((at - o.cost).abs() <= 1e-12 * o.cost);
        let tol = 1e-12 * o.cost;
        for (ds, dbig) in [(-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (1, 1)] {
            if big_s + dbig > s + ds {
                prop_assert!(ss::cost(h, p, k, &d, s + ds, big_s + dbig).unwrap() >= o.cost - tol);
            }
        }
        // Brute force over a window around the mean.
        let top = (mean * 2.0 + 20.0) as i64;
        for s2 in -5..top {
            for big2 in s2 + 1..=top {
                prop_assert!(ss::cost(h, p, k, &d, s2, big2).unwrap() >= o.cost - tol, "({s2},{big2}) beats ({s},{big_s})");
            }
        }
    }

    #[test]
    fn poisson_rq_optimum_beats_a_grid(mean in 1.0f64..20.0, lt in 0.05f64..1.0, h in 0.5f64..10.0, p in 1.0f64..60.0, k in 0.5f64..50.0) {
        let m = PoissonRqParams { holding_cost: h, stockout_cost: p, fixed_cost: k, demand_mean: mean, lead_time: lt };
        let o = rq::poisson_optimum(&m).unwrap();
        let tol = 1e-12 * o.cost;
        let top = (mean * lt * 2.0 + 15.0) as i64;
        for r in -3..top {
            for q in 1..top {
                prop_assert!(rq::poisson_cost(&m, r, q).unwrap() >= o.cost - tol, "({r},{q}) beats {o:?}");
            }
        }
    }
}
