//! The inventory position a policy compares against:
//! on hand + on order − backorders − reserved, in one location's subtree.
//!
//! * on hand and reserved: internal buckets of the subtree (every lot
//!   status, as a buyer counts stock it owns);
//! * on order: open scheduled receipts (purchase-order lines among them)
//!   whose destination lies in the subtree, whatever their date;
//! * backorders: open demand of active reservations whose scope lies
//!   inside the subtree (a reservation over the whole network counts at
//!   the root only).

use serde::Serialize;

use crate::ids::{ItemId, LocId};
use crate::reservation::ScopeIds;
use crate::state::State;

/// The parts of an inventory position, minor units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Position {
    /// On hand.
    pub on_hand: i128,
    /// On order.
    pub on_order: i128,
    /// Backordered (open demand).
    pub backorders: i128,
    /// Reserved.
    pub reserved: i128,
}

impl Position {
    /// on hand + on order − backorders − reserved.
    pub fn value(&self) -> i128 {
        self.on_hand + self.on_order - self.backorders - self.reserved
    }
}

impl State {
    /// The inventory position of `item` in `loc`'s subtree.
    pub(crate) fn position(&self, item: ItemId, loc: LocId) -> Position {
        let stock = &self.stock[item.ix()];
        let mut p = Position::default();
        for b in &stock.buckets {
            if self.cat.loc(b.loc).is_internal() && self.cat.in_subtree(b.loc, loc) {
                p.on_hand += b.on_hand as i128;
                p.reserved += b.reserved as i128;
            }
        }
        for &ix in &stock.receipts {
            let r = &self.receipts[ix as usize];
            if r.open > 0 && self.cat.in_subtree(r.loc, loc) {
                p.on_order += r.open as i128;
            }
        }
        for (_, _, code) in &stock.demand {
            let Some(r) = self.res_id(code).map(|id| &self.res[id.ix()]) else { continue };
            let inside = match &r.scope {
                ScopeIds::All => self.cat.loc(loc).parent.is_none(),
                ScopeIds::Subtrees(roots) => roots.iter().all(|&x| self.cat.in_subtree(x, loc)),
            };
            if inside {
                p.backorders += r.open_demand as i128;
            }
        }
        p
    }
}
