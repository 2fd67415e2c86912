//! Syntetos–Boylan demand classes and the automatic choice of method.

use serde::{Deserialize, Serialize};

use super::method::{Method, DEFAULT_ALPHA};
use crate::error::Error;

/// Average demand interval at and above which demand is intermittent or lumpy
/// (Syntetos, Boylan & Croston 2005).
pub const ADI_CUTOFF: f64 = 1.32;

/// Squared coefficient of variation of the non-zero sizes at and above which
/// demand is erratic or lumpy (Syntetos, Boylan & Croston 2005).
pub const CV2_CUTOFF: f64 = 0.49;

/// The Syntetos–Boylan category of a demand series, plus two fallbacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandClass {
    /// ADI < 1.32, CV² < 0.49: regular demand of regular size.
    Smooth,
    /// ADI < 1.32, CV² ≥ 0.49: regular demand of varying size.
    Erratic,
    /// ADI ≥ 1.32, CV² < 0.49: sporadic demand of regular size.
    Intermittent,
    /// ADI ≥ 1.32, CV² ≥ 0.49: sporadic demand of varying size.
    Lumpy,
    /// No period has demand.
    NoDemand,
    /// Fewer than two demand periods: too few to measure the size variation.
    Insufficient,
}

/// A series' demand statistics and class.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    /// Average demand interval: periods / periods with demand (y > 0). That is
    /// the mean inter-demand interval when the first interval counts from the
    /// start of the series (Croston's convention) and trailing zeros close one
    /// more interval, so a series whose demand has stopped reads as sparser.
    /// `None` without demand.
    pub adi: Option<f64>,
    /// Squared coefficient of variation of the non-zero sizes, with the
    /// population variance (divided by the count, so one demand gives 0).
    /// `None` without demand.
    pub cv2: Option<f64>,
    /// The category.
    pub class: DemandClass,
}

/// Classifies `y` (non-empty, finite, non-negative) by ADI and CV².
pub fn classify(y: &[f64]) -> Result<Classification, Error> {
    super::check_series(y, true, "forecast::classify")?;
    let mut count = 0usize;
    let mut sum = 0.0;
    for &v in y {
        if v > 0.0 {
            count += 1;
            sum += v;
        }
    }
    if count == 0 {
        return Ok(Classification { adi: None, cv2: None, class: DemandClass::NoDemand });
    }
    let n = count as f64;
    let mean = sum / n;
    let mut sq = 0.0;
    for &v in y {
        if v > 0.0 {
            sq += (v - mean) * (v - mean);
        }
    }
    let adi = y.len() as f64 / n;
    let cv2 = sq / n / (mean * mean);
    let class = match (count >= 2, adi >= ADI_CUTOFF, cv2 >= CV2_CUTOFF) {
        (false, _, _) => DemandClass::Insufficient,
        (true, false, false) => DemandClass::Smooth,
        (true, false, true) => DemandClass::Erratic,
        (true, true, false) => DemandClass::Intermittent,
        (true, true, true) => DemandClass::Lumpy,
    };
    Ok(Classification { adi: Some(adi), cv2: Some(cv2), class })
}

/// The method [`auto`] uses for each class, all smoothing constants
/// [`DEFAULT_ALPHA`]:
///
/// * smooth, erratic → SES (level-following; size variation alone does not
///   call for an intermittent method);
/// * intermittent → Croston SBA (Syntetos & Boylan's recommendation; Croston's
///   own estimate is biased upwards);
/// * lumpy → TSB (its probability decays through long gaps, so an item whose
///   demand stops is not forecast at its old rate for ever);
/// * no demand, fewer than two demand periods → historic average (0 without
///   demand, otherwise the plain rate total / periods, since there is nothing
///   to smooth).
pub fn method_for(class: DemandClass) -> Method {
    let alpha = DEFAULT_ALPHA;
    match class {
        DemandClass::Smooth | DemandClass::Erratic => Method::Ses { alpha },
        DemandClass::Intermittent => Method::CrostonSba { alpha },
        DemandClass::Lumpy => Method::Tsb { alpha_d: alpha, alpha_p: alpha },
        DemandClass::NoDemand | DemandClass::Insufficient => Method::HistoricAverage,
    }
}

/// Picks a method for `y` from its [`classify`] class by [`method_for`].
pub fn auto(y: &[f64]) -> Result<Method, Error> {
    Ok(method_for(classify(y)?.class))
}
