//! ABC and XYZ classes over a period and a scope.
//!
//! * **ABC** by value share of demand: an item's demand value is the FIFO
//!   cost of what it shipped from the scope in the period (the valuation
//!   fold; for an item costed at one price, cost × quantity, which is the
//!   fold's answer reached without it — see `one_cost`). Items are ranked
//!   by value, highest first, ties by code; an item is A while the cumulative share of the items ranked *before* it
//!   is below the A threshold (so the item that crosses 80 % is still A),
//!   B while it is below the B threshold, else C. Items without demand
//!   value are C.
//! * **XYZ** by the coefficient of variation of the item's shipped demand
//!   per period (`bucket`): population standard deviation ÷ mean. X when
//!   CV ≤ the X threshold, Y when ≤ the Y threshold, else Z; an item with
//!   no demand is Z. The comparison is exact (integer sums:
//!   `n·Σq² − (Σq)² ≤ t²·(Σq)²`); the CV reported is computed in `f64`
//!   (sums in a fixed order, then one `sqrt`: IEEE-exact, the same bits on
//!   every platform) and rounded to six places.
//!
//! Every item of the catalogue is classified, in code order.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::ids::{Code, ItemId};
use crate::state::State;
use crate::time::Date;

use super::analytics::{is_shipment, round_ratio, RATIO_DP};
use super::fold::{Fold, Items};
use super::history::{self, Bucket};
use super::one_cost::OneCost;
use super::scope::ScopeFilter;

/// ABC thresholds: cumulative value shares in (0, 1], `a ≤ b`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbcThresholds {
    /// Share for A (default 0.8).
    pub a: Decimal,
    /// Share for A and B together (default 0.95).
    pub b: Decimal,
}

impl Default for AbcThresholds {
    fn default() -> Self {
        AbcThresholds { a: Decimal::new(8, 1), b: Decimal::new(95, 2) }
    }
}

/// XYZ thresholds on the coefficient of variation, `0 ≤ x ≤ y`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct XyzThresholds {
    /// Most CV for X (default 0.5).
    pub x: Decimal,
    /// Most CV for Y (default 1.0).
    pub y: Decimal,
}

impl Default for XyzThresholds {
    fn default() -> Self {
        XyzThresholds { x: Decimal::new(5, 1), y: Decimal::ONE }
    }
}

impl AbcThresholds {
    pub(crate) fn check(&self) -> Result<(), Error> {
        let bad = |reason| Err(Error::InvalidClassThresholds { classes: "abc", reason });
        if self.a <= Decimal::ZERO || self.b > Decimal::ONE {
            return bad("shares must lie in (0, 1]");
        }
        if self.a > self.b {
            return bad("a must not exceed b");
        }
        Ok(())
    }
}

impl XyzThresholds {
    pub(crate) fn check(&self) -> Result<(), Error> {
        let bad = |reason| Err(Error::InvalidClassThresholds { classes: "xyz", reason });
        if self.x.is_sign_negative() && !self.x.is_zero() {
            return bad("coefficients of variation are zero or more");
        }
        if self.x > self.y {
            return bad("x must not exceed y");
        }
        Ok(())
    }
}

/// One item's classes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemClass {
    /// The item.
    pub item: Code,
    /// FIFO cost of what it shipped in the period.
    pub value: Decimal,
    /// Its share of the total value.
    pub share: Decimal,
    /// `A`, `B` or `C`.
    pub abc: char,
    /// Coefficient of variation of its demand per period (absent without
    /// demand).
    pub cv: Option<Decimal>,
    /// `X`, `Y` or `Z`.
    pub xyz: char,
}

/// Classes of every item, in code order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Classes {
    /// Total demand value.
    pub total_value: Decimal,
    /// Per item.
    pub items: Vec<ItemClass>,
}

/// The exact sums of an item's demand per period that decide whether its
/// CV is within a threshold, taken once for both thresholds.
struct Spread {
    n: i128,
    s: i128,
    /// Σ q², `None` past `i128`.
    s2: Option<i128>,
}

impl Spread {
    fn of(q: &[i64]) -> Spread {
        let n = q.len() as i128;
        // Below 2^40 a square stays under 2^80, and a sum of fewer than
        // 2^40 of them inside i128: no check per period.
        if (q.len() as u64) < 1 << 40 && q.iter().all(|x| x.unsigned_abs() < 1 << 40) {
            let (s, s2) = q.iter().fold((0i128, 0i128), |(s, s2), &x| (s + x as i128, s2 + x as i128 * x as i128));
            return Spread { n, s, s2: Some(s2) };
        }
        let (mut s, mut s2) = (0i128, Some(0i128));
        for x in q {
            let x = *x as i128;
            s += x;
            s2 = s2.and_then(|a| a.checked_add(x.checked_mul(x)?));
        }
        Spread { n, s, s2 }
    }

    /// Whether the CV is ≤ `t`, exactly: n·Σq² − (Σq)² ≤ t²·(Σq)². Past
    /// the exact range, the `f64` CV `cv` decides.
    fn cv_at_most(&self, t: Decimal, cv: f64) -> bool {
        let Spread { n, s, s2 } = *self;
        let exact = s2.and_then(|s2| {
            let lhs = n.checked_mul(s2)?.checked_sub(s.checked_mul(s)?)?;
            let ss = s.checked_mul(s)?;
            if let Some(at_most) = at_most_in_integers(lhs, ss, t) {
                return Some(at_most);
            }
            let lhs = Decimal::try_from_i128_with_scale(lhs, 0).ok()?;
            let ss = Decimal::try_from_i128_with_scale(ss, 0).ok()?;
            Some(lhs <= t.checked_mul(t)?.checked_mul(ss)?)
        });
        exact.unwrap_or_else(|| cv <= f64::try_from(t).unwrap_or(f64::MAX))
    }
}

/// `lhs ≤ t²·ss` in integers, where the decimal comparison of
/// [`Spread::cv_at_most`] is exact and so gives the same: every operand
/// and product within a decimal's 96 bits, `t²` within its 28 places.
/// `None` elsewhere.
fn at_most_in_integers(lhs: i128, ss: i128, t: Decimal) -> Option<bool> {
    const DECIMAL_MAX: i128 = (1 << 96) - 1;
    let (m, k) = (t.mantissa(), t.scale());
    let rhs = m.checked_mul(m)?.checked_mul(ss)?;
    let decimal = |x: i128| (0..=DECIMAL_MAX).contains(&x);
    if k > 14 || !decimal(lhs) || !decimal(ss) || !decimal(m * m) || !decimal(rhs) {
        return None;
    }
    // lhs·10^(2k) past i128 is past any rhs in range.
    Some(lhs.checked_mul(10i128.pow(2 * k)).is_some_and(|l| l <= rhs))
}

/// How many of the positive values, ranked, are class A and how many A
/// or B. An item's class is decided by the share of the value ranked
/// before it (`before / total` under `a`: A; under `b`: B), which only
/// grows down the ranking — a division rounds its exact quotient, so it
/// never falls as the dividend grows — so the two ends are found by
/// bisection, a few divisions in all.
fn abc_ends(ranked: impl Iterator<Item = Decimal>, total: Decimal, abc: &AbcThresholds) -> (usize, usize) {
    let mut sum = Decimal::ZERO;
    let before: Vec<Decimal> = ranked
        .map(|v| {
            let b = sum;
            sum += v;
            b
        })
        .collect();
    let below = |limit: Decimal| before.partition_point(|b| *b / total < limit);
    (below(abc.a), below(abc.b))
}

/// Each value's mantissa at the largest scale among them, so that ranking
/// compares integers; `None` when one does not fit.
fn common_scale(values: &[Decimal]) -> Option<Vec<i128>> {
    let scale = values.iter().map(Decimal::scale).max().unwrap_or(0);
    values.iter().map(|v| v.mantissa().checked_mul(10i128.checked_pow(scale - v.scale())?)).collect()
}

/// Population CV in `f64`, sums left to right; `None` when the mean is 0.
fn cv_f64(q: &[i64]) -> Option<f64> {
    let n = q.len() as f64;
    let mut s = 0.0;
    for x in q {
        s += *x as f64;
    }
    let mean = s / n;
    if mean == 0.0 || q.is_empty() {
        return None;
    }
    let mut ss = 0.0;
    for x in q {
        let d = *x as f64 - mean;
        ss += d * d;
    }
    Some((ss / n).sqrt() / mean)
}

/// The CV as the answer reports it: `Decimal::try_from(c)` rounded half to
/// even to [`RATIO_DP`] places — the same decimal, reached without the
/// digit-by-digit conversion (which cost more than the rest of an item's
/// classes) where that is certain: for `0 ≤ c < 100` whose sixth place is
/// not within 10⁻⁶ of a tie. There the conversion's error (it keeps 15–16
/// significant digits: ≤ 1.3·10⁻¹⁵ relative, ≤ 1.3·10⁻⁷ units of the sixth
/// place) and the rounding of `c × 10⁶` (≤ 2⁻⁵³ relative) are far inside
/// the margin, so both round to the same integer of millionths.
fn cv_decimal(c: f64) -> Option<Decimal> {
    let x = c * 1e6;
    if (0.0..1e8).contains(&x) && (x - x.floor() - 0.5).abs() > 1e-6 {
        return Some(Decimal::new(x.round() as i64, RATIO_DP).normalize());
    }
    Decimal::try_from(c).ok().map(round_ratio)
}

/// The question of `Engine::classes` (JSON `{"kind": "classes", ...}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassesQuery {
    /// Locations covered (all when absent).
    #[serde(default = "super::scope::all")]
    pub scope: ScopeFilter,
    /// First day.
    pub from: Date,
    /// Last day.
    pub to: Date,
    /// Periods of the XYZ variation (weeks when absent).
    #[serde(default = "week")]
    pub bucket: Bucket,
    /// ABC thresholds (0.8 / 0.95 when absent).
    #[serde(default)]
    pub abc: AbcThresholds,
    /// XYZ thresholds (0.5 / 1.0 when absent).
    #[serde(default)]
    pub xyz: XyzThresholds,
}

fn week() -> Bucket {
    Bucket::Week
}

/// See the module docs.
pub(crate) fn classes(st: &State, q: &ClassesQuery) -> Result<Classes, Error> {
    let ClassesQuery { scope, from, to, bucket, abc, xyz } = q.clone();
    abc.check()?;
    xyz.check()?;
    let days = Bucket::Day.periods_between(from, to)?;
    let periods = bucket.periods_between(from, to)?;
    let set = scope.resolve(st)?;
    let n = st.cat.item_count();
    let last = from.plus(days as i32 - 1);
    // The weekly demand and, for items costed at one price, the value
    // shipped come from the items' demand days or one pass over the log;
    // only the other items need the fold.
    let in_period = |d: Date| d >= from && d <= last;
    let mut one = OneCost::new(st);
    // When the periods are the question's days exactly, what an item
    // shipped in them is its row of the table, so the pass adds nothing
    // per shipment for the value.
    let aligned = bucket.align(from) == from && bucket.nth_start(from, periods) == last.plus(1);
    // Over every internal location the table comes from the items' demand
    // days, and the one-cost check reads only the few moves it needs.
    let table = match history::from_days(st, &set, bucket, from, periods, None) {
        Some(table) => {
            one.see_log(st);
            if !aligned {
                for (ix, s) in st.stock.iter().enumerate() {
                    let days = crate::demand_days::between(&s.days, from, last);
                    one.set_counted(ix, days.iter().fold(0u64, |a, d| a.saturating_add(d.shipped.unsigned_abs())));
                }
            }
            table
        }
        None => history::fold_with(st, &set, bucket, from, periods, None, |ix, m, shipped_on| {
            one.see(st, ix, m);
            if !aligned && shipped_on.is_some_and(in_period) {
                one.count(m);
            }
        }),
    };
    if aligned {
        for ix in 0..n {
            let q = table.shipped(ItemId(ix as u32)).unwrap_or(&[]);
            one.set_counted(ix, q.iter().fold(0u64, |a, q| a.saturating_add(q.unsigned_abs())));
        }
    }
    let mut value = vec![Decimal::ZERO; n];
    let mut fold = vec![false; n];
    for (ix, v) in value.iter_mut().enumerate() {
        match one.value(ix, st.cat.item(ItemId(ix as u32)).scale()) {
            Some(x) => *v = x,
            None => fold[ix] = true,
        }
    }
    if fold.contains(&true) {
        let mut overflow = false;
        Fold::run_items(st, Items::Marked(&fold), |m, v| {
            if is_shipment(st, m)
                && set.has(m.from)
                && in_period(Date::at(m.occurred_at, st.cat.loc(m.from).utc_offset_min()))
            {
                match value[m.item.ix()].checked_add(v.fifo_out) {
                    Some(x) => value[m.item.ix()] = x,
                    None => overflow = true,
                }
            }
        })?;
        if overflow {
            return Err(Error::QuantityOverflow);
        }
    }
    let mut total = Decimal::ZERO;
    for v in &value {
        total = total.checked_add(*v).ok_or(Error::QuantityOverflow)?;
    }
    // Rank: value descending, then code.
    let mut rank: Vec<ItemId> = (0..n as u32).map(ItemId).collect();
    let by_code = |a: &ItemId, b: &ItemId| st.cat.item(*a).code.cmp(&st.cat.item(*b).code);
    match common_scale(&value) {
        Some(key) => rank.sort_unstable_by(|a, b| key[b.ix()].cmp(&key[a.ix()]).then_with(|| by_code(a, b))),
        None => rank.sort_unstable_by(|a, b| value[b.ix()].cmp(&value[a.ix()]).then_with(|| by_code(a, b))),
    }
    let mut abc_of = vec!['C'; n];
    if total > Decimal::ZERO {
        let ranked = &rank[..rank.partition_point(|id| value[id.ix()] > Decimal::ZERO)];
        let (a_end, b_end) = abc_ends(ranked.iter().map(|id| value[id.ix()]), total, &abc);
        for (i, id) in ranked.iter().enumerate().take(b_end) {
            abc_of[id.ix()] = if i < a_end { 'A' } else { 'B' };
        }
    }
    let mut items: Vec<ItemClass> = (0..n as u32)
        .map(ItemId)
        .map(|id| {
            let q = table.shipped(id).unwrap_or(&[]);
            let cv = cv_f64(q);
            let xyz = match cv {
                None => 'Z',
                Some(c) => {
                    let spread = Spread::of(q);
                    if spread.cv_at_most(xyz.x, c) {
                        'X'
                    } else if spread.cv_at_most(xyz.y, c) {
                        'Y'
                    } else {
                        'Z'
                    }
                }
            };
            ItemClass {
                item: st.cat.item(id).code.clone(),
                value: value[id.ix()].normalize(),
                share: if total > Decimal::ZERO { round_ratio(value[id.ix()] / total) } else { Decimal::ZERO },
                abc: abc_of[id.ix()],
                cv: cv.and_then(cv_decimal),
                xyz,
            }
        })
        .collect();
    items.sort_by(|a, b| a.item.cmp(&b.item));
    Ok(Classes { total_value: total.normalize(), items })
}

impl crate::engine::Engine {
    /// ABC (value share) and XYZ (demand variability) classes of every
    /// item over a period (both days included) and scope.
    pub fn classes(&self, q: &ClassesQuery) -> Result<Classes, Error> {
        classes(&self.st, q)
    }
}

#[cfg(test)]
mod tests {
    use super::{abc_ends, at_most_in_integers, common_scale, cv_decimal, AbcThresholds};
    use crate::ops::demand::analytics::RATIO_DP;
    use rust_decimal::{Decimal, RoundingStrategy};

    /// The conversion the fast path stands in for.
    fn slow(c: f64) -> Option<Decimal> {
        let d = Decimal::try_from(c).ok()?;
        Some(d.round_dp_with_strategy(RATIO_DP, RoundingStrategy::MidpointNearestEven).normalize())
    }

    /// The same decimal, scale included, as the digit-by-digit conversion:
    /// over random CVs, at and around every kind of tie of the sixth
    /// place, at the fast path's edges and past them.
    #[test]
    fn the_cvs_fast_conversion_gives_the_conversions_decimal() {
        let mut cs =
            vec![0.0, 1e-7, 4.999_999e-7, 5e-7, 5.000_001e-7, 1.5e-6, 2.5e-6, 0.5, 1.0, 99.999_999_5, 100.0, 1e9];
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..40_000 {
            xorshift(&mut x);
            let c = (x >> 11) as f64 / (1u64 << 53) as f64 * [1.0, 3.0, 100.0, 120.0][(x & 3) as usize];
            cs.push(c);
            // A tie of the sixth place and its neighbours, a few ulps out.
            let tie = ((c * 1e6).floor() + 0.5) / 1e6;
            let mut t = tie;
            for _ in 0..4 {
                cs.extend([t, tie - (t - tie)]);
                t = f64::from_bits(t.to_bits() + 1);
            }
        }
        for c in cs {
            let (fast, slow) = (cv_decimal(c), slow(c));
            assert_eq!(fast.map(|d| d.to_string()), slow.map(|d| d.to_string()), "{c:e}");
        }
    }

    fn xorshift(x: &mut u64) -> u64 {
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        *x
    }

    /// Where the integers answer, they answer as the decimals do: over
    /// random spreads and thresholds, at the threshold exactly, one either
    /// side of it, and at the edges of the decimals' range.
    #[test]
    fn the_cv_threshold_in_integers_agrees_with_the_decimals() {
        let decimal = |lhs: i128, ss: i128, t: Decimal| -> Option<bool> {
            let lhs = Decimal::try_from_i128_with_scale(lhs, 0).ok()?;
            let ss = Decimal::try_from_i128_with_scale(ss, 0).ok()?;
            Some(lhs <= t.checked_mul(t)?.checked_mul(ss)?)
        };
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let (mut answered, mut checked) = (0, 0);
        for i in 0..200_000 {
            let r = xorshift(&mut x);
            let t = Decimal::new((r % 3000) as i64, (r >> 20) as u32 % if i % 5 == 0 { 18 } else { 6 });
            let ss = ((xorshift(&mut x) as i128) >> (xorshift(&mut x) % 64)) * if i % 7 == 0 { 1 << 40 } else { 1 };
            let exact = (t * t).checked_mul(Decimal::from_i128_with_scale(ss.min((1 << 96) - 1), 0));
            // On the threshold (when t²·ss is an integer), or anywhere.
            let mut lhs = match exact {
                Some(e) if i % 2 == 0 && e.fract().is_zero() => e.mantissa() / 10i128.pow(e.scale()),
                _ => (xorshift(&mut x) as i128) >> (xorshift(&mut x) % 64),
            };
            lhs += [0, 1, -1][i % 3];
            if lhs < 0 {
                continue;
            }
            checked += 1;
            if let Some(fast) = at_most_in_integers(lhs, ss, t) {
                answered += 1;
                assert_eq!(Some(fast), decimal(lhs, ss, t), "{lhs} <= {t}² * {ss}");
            }
        }
        assert!(answered * 10 > checked * 8, "{answered} of {checked}");
        let big = (1i128 << 96) - 1;
        assert_eq!(at_most_in_integers(big + 1, 1, Decimal::ONE), None);
        assert_eq!(at_most_in_integers(1, big, Decimal::new(2, 0)), None);
        assert_eq!(at_most_in_integers(big, big, Decimal::ONE), Some(true));
        assert_eq!(at_most_in_integers(1, 1, Decimal::new(1, 15)), None);
    }

    /// Ranking by the integers orders as the decimals do.
    #[test]
    fn values_at_one_scale_order_as_decimals() {
        let mut x: u64 = 7;
        let values: Vec<Decimal> = (0..5000)
            .map(|_| {
                let r = xorshift(&mut x);
                Decimal::new((r >> 3) as i64 % 1_000_000 - 1000, (r % 8) as u32)
            })
            .collect();
        let keys = common_scale(&values).expect("small values share a scale");
        for (i, w) in values.windows(2).enumerate() {
            assert_eq!(keys[i].cmp(&keys[i + 1]), w[0].cmp(&w[1]), "{} vs {}", w[0], w[1]);
        }
        assert_eq!(common_scale(&[Decimal::MAX, Decimal::new(1, 28)]), None);
    }

    /// The bisected ends class each value as the item-by-item reading
    /// does: random rankings, many equal values, shares landing exactly
    /// on the thresholds.
    #[test]
    fn abc_ends_class_as_each_items_share_does() {
        let mut x: u64 = 99;
        for round in 0..400 {
            let n = 1 + (xorshift(&mut x) % 300) as usize;
            let mut values: Vec<Decimal> = (0..n)
                .map(|_| match round % 3 {
                    0 => Decimal::ONE,
                    1 => Decimal::new(1 + (xorshift(&mut x) % 5) as i64, 0),
                    _ => Decimal::new(1 + (xorshift(&mut x) % 1_000_000) as i64, (xorshift(&mut x) % 4) as u32),
                })
                .collect();
            values.sort_by(|a, b| b.cmp(a));
            let total: Decimal = values.iter().sum();
            let a = Decimal::new(1 + (xorshift(&mut x) % 99) as i64, 2);
            let abc = AbcThresholds { a, b: a + Decimal::new((xorshift(&mut x) % 10) as i64, 2).min(Decimal::ONE - a) };
            let (a_end, b_end) = abc_ends(values.iter().copied(), total, &abc);
            let mut before = Decimal::ZERO;
            for (i, v) in values.iter().enumerate() {
                let share = before / total;
                let want = if share < abc.a {
                    'A'
                } else if share < abc.b {
                    'B'
                } else {
                    'C'
                };
                let got = if i < a_end {
                    'A'
                } else if i < b_end {
                    'B'
                } else {
                    'C'
                };
                assert_eq!(got, want, "round {round}, value {i} of {n}");
                before += v;
            }
        }
    }
}
