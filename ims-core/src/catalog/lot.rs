//! Lots: an item's batch with an expiry date and a lot-wide status.

use serde::{Deserialize, Serialize};

use crate::ids::{Code, ItemId, LotId};
use crate::time::Date;

/// The id of "no lot" (untracked stock).
pub const NO_LOT: LotId = LotId(0);

/// The lot code a fact posts to when the lot of a tracked item is not known.
pub const UNKNOWN_LOT_CODE: &str = "?";

/// Lot-wide status (a recall, a failed inspection of the whole lot).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LotStatus {
    /// Usable.
    #[default]
    Available,
    /// Held: not sellable, may be released.
    OnHold,
    /// Rejected: not sellable.
    Rejected,
}

/// A lot as the engine holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lot {
    /// The item.
    pub item: ItemId,
    /// Lot code.
    pub code: Code,
    /// Expiry date: usable through this day, expired after it.
    pub expiry: Option<Date>,
    /// First received.
    pub received: Date,
    /// Status.
    pub status: LotStatus,
}

impl Lot {
    pub(crate) fn sentinel() -> Lot {
        Lot { item: ItemId(u32::MAX), code: "".into(), expiry: None, received: Date(0), status: LotStatus::Available }
    }

    /// Whether stock of this lot counts as sellable on `today` with at least
    /// `min_days` of life left (the expiry day itself has 0 days left).
    #[inline]
    pub fn sellable_on(&self, today: Date, min_days: u32) -> bool {
        self.status == LotStatus::Available
            && match self.expiry {
                None => true,
                Some(e) => e.0 as i64 - today.0 as i64 >= min_days as i64,
            }
    }

    /// The first date on which this lot no longer meets `min_days`.
    pub fn leaves_supply_on(&self, min_days: u32) -> Option<Date> {
        self.expiry.map(|e| Date((e.0 as i64 - min_days as i64 + 1).clamp(i32::MIN as i64, i32::MAX as i64) as i32))
    }
}
