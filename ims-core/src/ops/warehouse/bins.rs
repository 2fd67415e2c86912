//! Bin profiles, putaway rules and the putaway suggestion.
//!
//! A suggestion walks the zones of the matching rules — most specific rule
//! first (item, then category, then lot status, then default; ties by
//! priority, then rule code) — and within each zone the bins that have a
//! profile, in walk order (the location tree's pre-order, which sorts
//! siblings by `walk_seq`, then code). Each bin offers what it can take by
//! its unit, volume and weight limits and mix rules against what it holds
//! now (read from the state's per-bin item index, never by scanning items).
//! The walk stops once the whole quantity is placed.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use crate::catalog::{LocationKind, LotStatus, NO_LOT};
use crate::error::Error;
use crate::event::Event;
use crate::ids::{Code, ItemId, LocId, LotId};
use crate::qty::Minor;
use crate::state::State;

use super::{emit, Ev};

/// A storage bin's limits. Absent limits do not constrain.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BinProfile {
    /// Most base units (of all items together) the bin holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_units: Option<Decimal>,
    /// Most litres, from the items' profiles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_volume_l: Option<Decimal>,
    /// Most kilograms, from the items' profiles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_weight_kg: Option<Decimal>,
    /// Whether the bin may hold several items at once.
    pub mix_items: bool,
    /// Whether the bin may hold several lots of one item at once.
    pub mix_lots: bool,
}

/// A putaway rule: which stock it matches and the zones to try, in order.
/// At most one of `item`, `category`, `lot_status`; none is a default rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PutawayRule {
    /// Lower first among rules of the same specificity.
    pub priority: i32,
    /// Matches this item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<Code>,
    /// Matches items of this category (item profile).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Code>,
    /// Matches lots in this status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot_status: Option<LotStatus>,
    /// Zones (any locations; their subtrees' bins), in order.
    pub zones: Vec<Code>,
}

impl PutawayRule {
    /// 0 item, 1 category, 2 lot status, 3 default.
    fn specificity(&self) -> u8 {
        if self.item.is_some() {
            0
        } else if self.category.is_some() {
            1
        } else if self.lot_status.is_some() {
            2
        } else {
            3
        }
    }
}

/// `define_bin`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DefineBin {
    /// A storage location.
    pub location: String,
    /// Most base units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_units: Option<Decimal>,
    /// Most litres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_volume_l: Option<Decimal>,
    /// Most kilograms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_weight_kg: Option<Decimal>,
    /// May hold several items.
    pub mix_items: bool,
    /// May hold several lots of an item.
    pub mix_lots: bool,
}

/// `define_putaway_rule`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DefinePutawayRule {
    /// Rule code.
    pub rule: String,
    /// Lower first among rules of the same specificity.
    #[serde(default)]
    pub priority: i32,
    /// Matches this item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// Matches this category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Matches lots in this status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot_status: Option<LotStatus>,
    /// Zones in order.
    pub zones: Vec<String>,
}

fn limit(field: &'static str, v: Option<Decimal>) -> Result<Option<Decimal>, Error> {
    match v {
        Some(d) if d.is_sign_negative() => Err(Error::InvalidQuantity { field, qty: d }),
        v => Ok(v.map(|d| d.normalize())),
    }
}

pub(crate) fn define_bin(st: &mut State, c: &DefineBin, out: &mut Vec<Event>) -> Result<(), Error> {
    let bin = BinProfile {
        max_units: limit("max_units", c.max_units)?,
        max_volume_l: limit("max_volume_l", c.max_volume_l)?,
        max_weight_kg: limit("max_weight_kg", c.max_weight_kg)?,
        mix_items: c.mix_items,
        mix_lots: c.mix_lots,
    };
    let loc = st.find_loc(&c.location)?;
    let l = st.cat.loc(loc);
    if l.kind != LocationKind::Storage {
        return Err(Error::WrongLocationKind { location: c.location.clone(), kind: l.kind.name() });
    }
    let location = l.code.clone();
    emit(st, out, Ev::BinDefined { location, bin })
}

pub(crate) fn define_rule(st: &mut State, c: &DefinePutawayRule, out: &mut Vec<Event>) -> Result<(), Error> {
    State::check_code("rule", &c.rule)?;
    let named = [c.item.is_some(), c.category.is_some(), c.lot_status.is_some()];
    if named.iter().filter(|b| **b).count() > 1 {
        return Err(Error::PutawayRuleAmbiguous { rule: c.rule.clone() });
    }
    if c.zones.is_empty() {
        return Err(Error::EmptyLines { field: "zones" });
    }
    if c.zones.len() > 1024 {
        return Err(Error::LimitExceeded { what: "putaway rule zones", max: 1024 });
    }
    if let Some(cat) = &c.category {
        State::check_code("category", cat)?;
    }
    let item = match &c.item {
        Some(i) => Some(st.cat.item(st.find_item(i)?).code.clone()),
        None => None,
    };
    let mut zones = Vec::with_capacity(c.zones.len());
    for z in &c.zones {
        zones.push(st.cat.loc(st.find_loc(z)?).code.clone());
    }
    for (z, code) in zones.iter().zip(&c.zones) {
        let l = st.cat.loc(st.find_loc(z)?);
        if !l.is_internal() {
            return Err(Error::WrongLocationKind { location: code.clone(), kind: l.kind.name() });
        }
    }
    let doc = PutawayRule {
        priority: c.priority,
        item,
        category: c.category.as_deref().map(Into::into),
        lot_status: c.lot_status,
        zones,
    };
    emit(st, out, Ev::PutawayRuleDefined { rule: c.rule.as_str().into(), doc })
}

/// Why a bin was passed over.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum SkipReason {
    /// It is the location the stock comes from.
    Source,
    /// No room left by its unit, volume or weight limit.
    Full,
    /// It may not mix items and holds another.
    MixesItems {
        /// The item it holds.
        holds: Code,
    },
    /// It may not mix lots and holds another lot of the item.
    MixesLots {
        /// The lot it holds.
        holds: Code,
    },
    /// It limits volume and the item has no volume in its profile.
    NoVolume,
    /// It limits weight and the item has no weight in its profile.
    NoWeight,
}

/// What a bin can take of an item, or why it takes nothing.
pub(crate) type Fit = Result<Minor, SkipReason>;

/// Litres and kilograms per base unit of an item (zero when unknown).
fn sizes(st: &State, item: ItemId) -> (Option<Decimal>, Option<Decimal>) {
    match st.ops.profiles.items.get(&st.cat.item(item).code) {
        Some(p) => (p.volume_l, p.weight_kg),
        None => (None, None),
    }
}

/// How many minor units of an item of `scale` fit in `room` at `per` per
/// base unit (floored; unbounded when `per` is zero).
fn fit_in(room: Decimal, per: Decimal, scale: u8) -> Minor {
    if room <= Decimal::ZERO {
        return 0;
    }
    if per.is_zero() {
        return Minor::MAX;
    }
    let units = room.checked_div(per).unwrap_or(Decimal::MAX);
    let minor = units.checked_mul(Decimal::from(10i64.pow(scale as u32))).unwrap_or(Decimal::MAX);
    i64::try_from(minor.floor()).unwrap_or(Minor::MAX)
}

/// What bin `loc` (profile `bin`) can take of `item` / `lot` now, by its
/// limits and mix rules against its current contents.
pub(crate) fn bin_fit(st: &State, loc: LocId, bin: &BinProfile, item: ItemId, lot: LotId) -> Fit {
    let held = st.bin_items.at(loc).flat_map(|other| {
        let s = &st.stock[other.ix()];
        let start = s.find(loc, NO_LOT).unwrap_or_else(|i| i);
        s.buckets[start..].iter().take_while(move |b| b.loc == loc).map(move |b| (other, b.lot, b.on_hand))
    });
    fit_with(st, bin, item, lot, held)
}

/// What a bin with profile `bin` holding `held` — (item, lot, on hand)
/// with each item's entries together — can take of `item` / `lot`. The
/// slotting suggestion asks it of bins as they would be after earlier
/// proposed moves.
pub(crate) fn fit_with(
    st: &State,
    bin: &BinProfile,
    item: ItemId,
    lot: LotId,
    held: impl IntoIterator<Item = (ItemId, LotId, Minor)>,
) -> Fit {
    let (mut units, mut volume, mut weight) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    // A mix-rule refusal names the smallest conflicting code: ids follow the
    // order codes were learned in, which a restored engine does not share.
    let (mut other_lot, mut other_item): (Option<Code>, Option<Code>) = (None, None);
    let mut held = held.into_iter().peekable();
    while let Some(&(other, _, _)) = held.peek() {
        let mut sum: Minor = 0;
        while let Some((_, b_lot, on_hand)) = held.next_if(|h| h.0 == other) {
            if on_hand <= 0 {
                continue;
            }
            sum = sum.saturating_add(on_hand);
            if other == item && b_lot != lot && !bin.mix_lots {
                let holds = st.cat.lot_code(b_lot).unwrap_or_else(|| "".into());
                other_lot = Some(other_lot.map_or(holds.clone(), |o| o.min(holds)));
            }
        }
        if sum == 0 {
            continue;
        }
        if other != item && !bin.mix_items {
            let code = st.cat.item(other).code.clone();
            other_item = Some(other_item.map_or(code.clone(), |o| o.min(code)));
        }
        let q = st.dec(other, sum as i128);
        units += q;
        let (v, w) = sizes(st, other);
        volume += v.unwrap_or_default().checked_mul(q).unwrap_or(Decimal::MAX);
        weight += w.unwrap_or_default().checked_mul(q).unwrap_or(Decimal::MAX);
    }
    if let Some(holds) = other_lot {
        return Err(SkipReason::MixesLots { holds });
    }
    if let Some(holds) = other_item {
        return Err(SkipReason::MixesItems { holds });
    }
    let scale = st.cat.item(item).scale();
    let (v, w) = sizes(st, item);
    let mut cap = Minor::MAX;
    if let Some(max) = bin.max_units {
        cap = cap.min(fit_in(max - units, Decimal::ONE, scale));
    }
    if let Some(max) = bin.max_volume_l {
        let v = v.ok_or(SkipReason::NoVolume)?;
        cap = cap.min(fit_in(max - volume, v, scale));
    }
    if let Some(max) = bin.max_weight_kg {
        let w = w.ok_or(SkipReason::NoWeight)?;
        cap = cap.min(fit_in(max - weight, w, scale));
    }
    if cap <= 0 {
        return Err(SkipReason::Full);
    }
    Ok(cap)
}

/// One bin of a suggestion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offer {
    /// The bin.
    pub location: Code,
    /// What it can take now (minor units, at most the quantity asked).
    pub capacity: Minor,
    /// What a putaway of the whole quantity places here.
    pub take: Minor,
}

/// A putaway suggestion in minor units.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Suggestion {
    /// Bins in the order to fill them.
    pub bins: Vec<Offer>,
    /// Bins passed over, in walk order, with why.
    pub skipped: Vec<(Code, SkipReason)>,
    /// What no suggested bin could take.
    pub unplaced: Minor,
}

/// The rules matching an item / lot, most specific first.
/// A matching rule with its sort key (specificity, priority, code).
type Ranked<'a> = (u8, i32, &'a Code, &'a PutawayRule);

fn matching_rules(st: &State, item: ItemId, lot: LotId) -> SmallVec<[Ranked<'_>; 8]> {
    let code = &st.cat.item(item).code;
    let category = st.ops.profiles.items.get(code).and_then(|p| p.category.as_ref());
    let status = st.cat.lot(lot).status;
    let mut v: SmallVec<[_; 8]> = st
        .ops
        .warehouse
        .rules
        .iter()
        .filter(|(_, r)| {
            r.item.as_ref().is_none_or(|i| i == code)
                && r.category.as_ref().is_none_or(|c| Some(c) == category)
                && r.lot_status.is_none_or(|s| s == status)
        })
        .map(|(k, r)| (r.specificity(), r.priority, k, r))
        .collect();
    v.sort_unstable_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
    v
}

/// Suggests bins for `qty` (minor, positive) of `item` / `lot` coming from
/// `from`. Deterministic: depends on the documents and balances only.
pub(crate) fn suggest(st: &State, item: ItemId, lot: LotId, qty: Minor, from: LocId) -> Suggestion {
    let mut s = Suggestion { unplaced: qty, ..Default::default() };
    let bins = &st.ops.warehouse.bins;
    let mut zones_done: SmallVec<[LocId; 8]> = SmallVec::new();
    let rules = matching_rules(st, item, lot);
    if rules.is_empty() {
        return s;
    }
    for (_, _, _, rule) in rules {
        for z in &rule.zones {
            let Some(zone) = st.cat.loc_id(z) else { continue };
            if zones_done.iter().any(|d| st.cat.in_subtree(zone, *d)) {
                continue;
            }
            // The zone's locations in walk order; only profiled storage
            // bins are offered, and the walk stops once all is placed.
            for &b in st.cat.subtree(zone) {
                if s.unplaced == 0 {
                    return s;
                }
                let l = st.cat.loc(b);
                if l.kind != LocationKind::Storage {
                    continue;
                }
                let Some((code, bin)) = bins.0.get_key_value(&l.code) else { continue };
                // A bin inside a zone already walked was offered there.
                if zones_done.iter().any(|d| st.cat.in_subtree(b, *d)) {
                    continue;
                }
                if b == from {
                    s.skipped.push((code.clone(), SkipReason::Source));
                    continue;
                }
                match bin_fit(st, b, bin, item, lot) {
                    Ok(cap) => {
                        let take = cap.min(s.unplaced);
                        s.unplaced -= take;
                        s.bins.push(Offer { location: code.clone(), capacity: cap.min(qty), take });
                    }
                    Err(why) => s.skipped.push((code.clone(), why)),
                }
            }
            zones_done.push(zone);
        }
    }
    s
}

pub(crate) fn verify(st: &State, errs: &mut Vec<String>) {
    for (code, _) in st.ops.warehouse.bins.iter() {
        match st.cat.loc_id(code) {
            Some(l) if st.cat.loc(l).kind == LocationKind::Storage => {}
            _ => errs.push(format!("bin profile of {code}, which is not a storage location")),
        }
    }
    // The per-bin item index matches the buckets.
    let mut want: std::collections::BTreeMap<LocId, Vec<ItemId>> = Default::default();
    for (ix, s) in st.stock.iter().enumerate() {
        for b in &s.buckets {
            if st.cat.loc(b.loc).kind == LocationKind::Storage {
                let v = want.entry(b.loc).or_default();
                if v.last() != Some(&ItemId(ix as u32)) {
                    v.push(ItemId(ix as u32));
                }
            }
        }
    }
    let have: std::collections::BTreeMap<LocId, Vec<ItemId>> = st.bin_items.each().collect();
    if want != have {
        errs.push("bin item index differs from the buckets".into());
    }
}
