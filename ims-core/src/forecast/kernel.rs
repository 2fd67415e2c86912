//! The methods as single passes over a checked series.
//!
//! Each kernel walks the series once, left to right, hands the one-step
//! in-sample forecast of each observation to a [`Sink`] (or skips computing it
//! when the sink is [`Skip`]), and returns how the forecast continues past the
//! end ([`Tail`]). The same code therefore serves [`fit`](super::fit) and the
//! allocation-free [`forecast_into`](super::forecast_into).
//!
//! Smoothing updates use the error-correction form `l ← l + α(y − l)`, which
//! is algebraically statsforecast's `αy + (1 − α)l` (and agrees with it to a
//! few ulps) but leaves a constant series exactly constant.

use super::method::Method;

/// How the h-step forecast continues past the last observation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Tail {
    /// The same value for every horizon.
    Flat(f64),
    /// `level + h·trend` for horizon h = 1, 2, …
    Linear { level: f64, trend: f64 },
}

impl Tail {
    /// The forecast `step` periods ahead (step ≥ 1).
    pub(crate) fn at(self, step: usize) -> f64 {
        match self {
            Tail::Flat(v) => v,
            Tail::Linear { level, trend } => level + step as f64 * trend,
        }
    }
}

/// Receives one fitted value per observation, in order.
pub(crate) trait Sink {
    /// Whether fitted values are wanted at all; kernels skip computing them when not.
    const ON: bool;
    /// One more fitted value (`None`: the method has none for this observation).
    fn emit(&mut self, v: Option<f64>);
}

/// A sink that wants no fitted values.
pub(crate) struct Skip;

impl Sink for Skip {
    const ON: bool = false;
    fn emit(&mut self, _: Option<f64>) {}
}

impl Sink for Vec<Option<f64>> {
    const ON: bool = true;
    fn emit(&mut self, v: Option<f64>) {
        self.push(v);
    }
}

/// Runs `method` over `y`, which the caller has checked (non-empty, finite,
/// long enough, non-negative for the intermittent family).
pub(crate) fn run<S: Sink>(method: &Method, y: &[f64], sink: &mut S) -> Tail {
    match *method {
        Method::HistoricAverage => historic_average(y, sink),
        Method::WindowAverage { window_size } => window_average(y, window_size, sink),
        Method::Ses { alpha } => ses(y, alpha, sink),
        Method::Holt { alpha, beta } => holt(y, alpha, beta, sink, &mut |_, _| {}),
        Method::Croston { alpha } => croston(y, alpha, 1.0, sink),
        // SBA's debiasing factor; at alpha = 0.1 it is exactly statsforecast's 0.95.
        Method::CrostonSba { alpha } => croston(y, alpha, 1.0 - alpha / 2.0, sink),
        Method::Tsb { alpha_d, alpha_p } => tsb(y, alpha_d, alpha_p, sink),
    }
}

/// Left-to-right mean (fixed summation order, DESIGN §8).
fn mean(xs: &[f64]) -> f64 {
    let mut sum = 0.0;
    for &x in xs {
        sum += x;
    }
    sum / xs.len() as f64
}

/// statsforecast's fitted values for the historic average are the full-sample
/// mean at every point (a fitted constant), not an expanding mean.
fn historic_average<S: Sink>(y: &[f64], sink: &mut S) -> Tail {
    let m = mean(y);
    if S::ON {
        for _ in y {
            sink.emit(Some(m));
        }
    }
    Tail::Flat(m)
}

/// Fitted value t is the mean of the k observations before it (none for
/// t < k); each window is summed afresh so no running-sum drift creeps in.
fn window_average<S: Sink>(y: &[f64], k: usize, sink: &mut S) -> Tail {
    if S::ON {
        for t in 0..y.len() {
            sink.emit(if t < k { None } else { Some(mean(&y[t - k..t])) });
        }
    }
    Tail::Flat(mean(&y[y.len() - k..]))
}

fn ses<S: Sink>(y: &[f64], alpha: f64, sink: &mut S) -> Tail {
    let mut level = y[0];
    for (t, &v) in y.iter().enumerate() {
        if S::ON {
            sink.emit(if t == 0 { None } else { Some(level) });
        }
        level += alpha * (v - level);
    }
    Tail::Flat(level)
}

/// Holt's linear trend; `state` sees (level, trend) after each observation.
pub(crate) fn holt<S: Sink>(y: &[f64], alpha: f64, beta: f64, sink: &mut S, state: &mut impl FnMut(f64, f64)) -> Tail {
    let mut level = y[0];
    let mut trend = y[1] - y[0];
    for &v in y {
        let one_step = level + trend;
        if S::ON {
            sink.emit(Some(one_step));
        }
        let next = one_step + alpha * (v - one_step);
        trend += beta * (next - level - trend);
        level = next;
        state(level, trend);
    }
    Tail::Linear { level, trend }
}

/// Croston's method times `factor` (1 for the classic, 1 − α/2 for SBA).
///
/// Sizes and intervals are smoothed only in demand periods, each started at its
/// first element; the first interval counts from the start of the series.
/// Before the first demand the fitted value is 0 (statsforecast's), and a
/// series without demand forecasts 0.
fn croston<S: Sink>(y: &[f64], alpha: f64, factor: f64, sink: &mut S) -> Tail {
    let mut size = 0.0;
    let mut interval = 1.0;
    let mut seen = false;
    let mut since = 0usize;
    for (t, &v) in y.iter().enumerate() {
        if S::ON {
            sink.emit(match (t, seen) {
                (0, _) => None,
                (_, false) => Some(0.0),
                (_, true) => Some(size / interval * factor),
            });
        }
        if v > 0.0 {
            let q = (t + 1 - since) as f64;
            since = t + 1;
            if seen {
                size += alpha * (v - size);
                interval += alpha * (q - interval);
            } else {
                size = v;
                interval = q;
                seen = true;
            }
        }
    }
    Tail::Flat(if seen { size / interval * factor } else { 0.0 })
}

/// TSB: the demand probability is smoothed every period (started at the first
/// period's 0 or 1), the non-zero size only in demand periods.
fn tsb<S: Sink>(y: &[f64], alpha_d: f64, alpha_p: f64, sink: &mut S) -> Tail {
    let mut prob = if y[0] > 0.0 { 1.0 } else { 0.0 };
    let mut size = 0.0;
    let mut seen = false;
    for (t, &v) in y.iter().enumerate() {
        if S::ON {
            sink.emit(if t == 0 { None } else { Some(prob * size) });
        }
        let occurred = if v > 0.0 { 1.0 } else { 0.0 };
        prob += alpha_p * (occurred - prob);
        if v > 0.0 {
            if seen {
                size += alpha_d * (v - size);
            } else {
                size = v;
                seen = true;
            }
        }
    }
    Tail::Flat(prob * size)
}
