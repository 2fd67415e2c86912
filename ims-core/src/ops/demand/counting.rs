//! ABC-driven cycle counting: which (item, location) pairs are due for a
//! count. Each pair holding stock (non-zero on hand) in an internal
//! location of the scope is due when it was never counted, or when its
//! last count plus its class's interval (days per A, B, C) is on or before
//! `as_of`. The last count is the latest *approved* count task of the
//! warehouse flow whose entered lines name the pair, dated by the day it
//! was issued (the task records no other time) at the location's site.
//! Classes are the ABC classes of [`super::classes`] over the given period.

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::ids::{Code, LocId};
use crate::ops::warehouse::CountState;
use crate::state::State;
use crate::time::Date;

use super::classes::{classes, AbcThresholds, ClassesQuery, XyzThresholds};
use super::history::Bucket;
use super::scope::ScopeFilter;

/// Days between counts per ABC class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountIntervals {
    /// Days for class A (default 30).
    pub a: u32,
    /// Days for class B (default 90).
    pub b: u32,
    /// Days for class C (default 365).
    pub c: u32,
}

impl Default for CountIntervals {
    fn default() -> Self {
        CountIntervals { a: 30, b: 90, c: 365 }
    }
}

/// One pair due for a count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CountDue {
    /// The item.
    pub item: Code,
    /// The location.
    pub location: Code,
    /// Its ABC class.
    pub class: char,
    /// The day of its last approved count, if any.
    pub last_counted: Option<Date>,
    /// The day the next count fell due (absent: never counted).
    pub due_on: Option<Date>,
}

/// The question of `Engine::count_due` (JSON `{"kind": "count_due", ...}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountDueQuery {
    /// Locations covered (all when absent).
    #[serde(default = "super::scope::all")]
    pub scope: ScopeFilter,
    /// First day of the ABC period.
    pub from: Date,
    /// Last day of the ABC period.
    pub to: Date,
    /// ABC thresholds (0.8 / 0.95 when absent).
    #[serde(default)]
    pub abc: AbcThresholds,
    /// Days between counts per class (30 / 90 / 365 when absent).
    #[serde(default)]
    pub days: CountIntervals,
    /// The day to judge at (each location's today when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
}

/// See the module docs. Sorted by due day (never counted first), then
/// class, item code and location code.
pub(crate) fn count_due(st: &State, q: &CountDueQuery) -> Result<Vec<CountDue>, Error> {
    let CountDueQuery { scope, from, to, abc, days, as_of } = q.clone();
    if days.a == 0 || days.b == 0 || days.c == 0 {
        return Err(Error::InvalidClassThresholds { classes: "count", reason: "days between counts must be positive" });
    }
    let q = ClassesQuery { scope, from, to, bucket: Bucket::Month, abc, xyz: XyzThresholds::default() };
    let cls = classes(st, &q)?;
    let set = q.scope.resolve(st)?;
    // Last approved count per (item, location).
    let mut last: std::collections::BTreeMap<(Code, Code), Date> = Default::default();
    for (_, t) in st.ops.warehouse.counts.iter().filter(|(_, t)| t.state == CountState::Approved) {
        for l in &t.counted {
            let Some(loc) = st.cat.loc_id(&l.location) else { continue };
            let d = Date::at(t.issued_at, st.cat.loc(loc).utc_offset_min());
            let e = last.entry((l.item.clone(), l.location.clone())).or_insert(d);
            *e = (*e).max(d);
        }
    }
    let mut out = Vec::new();
    for c in &cls.items {
        let Some(item) = st.cat.item_id(&c.item) else { continue };
        let interval = match c.abc {
            'A' => days.a,
            'B' => days.b,
            _ => days.c,
        };
        let mut locs: Vec<LocId> = Vec::new();
        for b in st.stock[item.ix()].buckets.iter().filter(|b| b.on_hand != 0 && set.has(b.loc)) {
            if locs.last() != Some(&b.loc) {
                locs.push(b.loc);
            }
        }
        for loc in locs {
            let code = st.cat.loc(loc).code.clone();
            let today = as_of.unwrap_or_else(|| Date::at(st.now, st.cat.loc(loc).utc_offset_min()));
            let seen = last.get(&(c.item.clone(), code.clone())).copied();
            let due_on = seen.map(|d| d.plus(interval as i32));
            if due_on.is_none_or(|d| d <= today) {
                out.push(CountDue { item: c.item.clone(), location: code, class: c.abc, last_counted: seen, due_on });
            }
        }
    }
    out.sort_by(|a, b| (a.due_on, a.class, &a.item, &a.location).cmp(&(b.due_on, b.class, &b.item, &b.location)));
    Ok(out)
}

impl crate::engine::Engine {
    /// The (item, location) pairs due for a cycle count by their ABC class
    /// over a period (see [`super::counting`]).
    pub fn count_due(&self, q: &CountDueQuery) -> Result<Vec<CountDue>, Error> {
        count_due(&self.st, q)
    }
}
