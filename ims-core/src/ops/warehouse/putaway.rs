//! `putaway`: moves free stock into a named bin, or into the suggested
//! bins (split across them when one is not enough), with reason `putaway`.

use serde::{Deserialize, Serialize};

use crate::catalog::NO_LOT;
use crate::command::QtyIn;
use crate::error::Error;
use crate::event::{Event, MoveReason};
use crate::ids::{Code, ItemId, LocId, LotId};
use crate::qty::Minor;
use crate::state::State;
use crate::time::Millis;

use super::bins::{self, SkipReason};

/// `putaway`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Putaway {
    /// Where the stock is (receiving, staging, ...).
    pub from: String,
    /// Item.
    pub item: String,
    /// Lot (required for lot-tracked items).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
    /// Quantity.
    #[serde(flatten)]
    pub qty: QtyIn,
    /// The bin; the suggested bins when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// Resolves the lot of stock that exists: required for tracked items,
/// refused for untracked ones, and it must be known.
pub(crate) fn existing_lot(st: &State, item: ItemId, lot: Option<&str>) -> Result<LotId, Error> {
    let it = st.cat.item(item);
    match (it.tracked(), lot) {
        (false, None) => Ok(NO_LOT),
        (false, Some(_)) => Err(Error::LotNotTracked { item: it.code.to_string() }),
        (true, None) => Err(Error::LotRequired { item: it.code.to_string() }),
        (true, Some(c)) => {
            State::check_code("lot", c)?;
            st.cat.lot_id(item, c).ok_or_else(|| Error::UnknownLot { item: it.code.to_string(), lot: c.into() })
        }
    }
}

/// Refuses more than the free stock of a bucket.
pub(crate) fn check_free(st: &State, item: ItemId, loc: LocId, lot: LotId, qty: Minor) -> Result<(), Error> {
    let free = st.stock[item.ix()].get(loc, lot).map_or(0, |b| b.free());
    if qty > free {
        return Err(Error::InsufficientStock {
            item: st.cat.item(item).code.to_string(),
            location: st.cat.loc(loc).code.to_string(),
            lot: st.cat.lot_code(lot).map(|c| c.to_string()),
            requested: st.dec(item, qty as i128),
            available: st.dec(item, free.max(0) as i128),
        });
    }
    Ok(())
}

/// The refusal for a bin that cannot take a putaway.
fn refusal(st: &State, item: ItemId, lot: LotId, loc: &str, qty: Minor, why: SkipReason) -> Error {
    let it = st.cat.item(item).code.to_string();
    match why {
        SkipReason::MixesItems { holds } => {
            Error::BinMixesItems { location: loc.into(), item: it, holds: holds.to_string() }
        }
        SkipReason::MixesLots { holds } => Error::BinMixesLots {
            location: loc.into(),
            item: it,
            lot: st.cat.lot_code(lot).map(|c| c.to_string()),
            holds: holds.to_string(),
        },
        SkipReason::Source => Error::SameLocation { location: loc.into() },
        // No room, or no size to measure the item against the bin's limit.
        SkipReason::Full | SkipReason::NoVolume | SkipReason::NoWeight => Error::BinCapacityExceeded {
            location: loc.into(),
            item: it,
            requested: st.dec(item, qty as i128),
            capacity: rust_decimal::Decimal::ZERO,
        },
    }
}

pub(crate) fn run(st: &mut State, c: &Putaway, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    State::check_sign("qty", c.qty.qty, crate::exec::Sign::Positive)?;
    let item = st.find_item(&c.item)?;
    let from = st.find_loc(&c.from)?;
    let to = match &c.to {
        Some(t) => Some(st.find_loc(t)?),
        None => None,
    };
    let qty = st.to_minor(item, &c.qty)?;
    let lot = existing_lot(st, item, c.lot.as_deref())?;
    if let (Some(t), Some(code)) = (to, &c.to) {
        if !st.ops.warehouse.bins.contains(&st.cat.loc(t).code) {
            return Err(Error::UnknownBin { location: code.clone() });
        }
    }
    // Kind check once every reference is known.
    st.find_internal(&c.from)?;
    if to == Some(from) {
        return Err(Error::SameLocation { location: c.from.clone() });
    }
    check_free(st, item, from, lot, qty)?;
    let plan: Vec<(LocId, Minor)> = match (to, &c.to) {
        (Some(t), Some(code)) => {
            let bin = st.ops.warehouse.bins.get(code).cloned().unwrap_or_default();
            match bins::bin_fit(st, t, &bin, item, lot) {
                Ok(cap) if cap >= qty => vec![(t, qty)],
                Ok(cap) => {
                    return Err(Error::BinCapacityExceeded {
                        location: code.clone(),
                        item: c.item.clone(),
                        requested: st.dec(item, qty as i128),
                        capacity: st.dec(item, cap as i128),
                    })
                }
                Err(why) => return Err(refusal(st, item, lot, code, qty, why)),
            }
        }
        _ => {
            let s = bins::suggest(st, item, lot, qty, from);
            if s.unplaced > 0 {
                return Err(Error::PutawayNoRoom {
                    item: c.item.clone(),
                    requested: st.dec(item, qty as i128),
                    placeable: st.dec(item, (qty - s.unplaced) as i128),
                });
            }
            s.bins
                .iter()
                .filter(|o| o.take > 0)
                .filter_map(|o| st.cat.loc_id(&o.location).map(|l| (l, o.take)))
                .collect()
        }
    };
    for (t, q) in &plan {
        st.check_posting(item, lot, *q, from, *t)?;
    }
    // Point of no failure.
    let reference: Option<Code> = None;
    for (t, q) in plan {
        st.post(item, lot, q, from, t, MoveReason::Putaway, None, None, reference.as_deref(), at, out)?;
    }
    st.serve_demand(item, out)
}
