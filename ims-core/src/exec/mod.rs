//! Execution: validate a command against the state, then decide its events
//! and apply them one by one (so a later decision sees earlier effects).
//! Every check of a handler runs before its first `emit`: that is the point
//! after which a command cannot fail.

mod catalog;
mod reserve;
mod settle;
mod stock;
mod time;

use rust_decimal::Decimal;

use crate::catalog::Item;
use crate::command::{Command, CommandBody, QtyIn, Scope};
use crate::error::Error;
use crate::event::Event;
use crate::ids::{valid_code, ItemId, LocId};
use crate::qty::{self, ConvertError, Minor, UnitFactor};
use crate::reservation::ScopeIds;
use crate::state::State;
use crate::time::Date;

/// Where a quantity may go.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sign {
    Positive,
    NonZero,
}

impl State {
    /// Runs one command, appending its events to `out`.
    pub(crate) fn run(&mut self, cmd: &Command, out: &mut Vec<Event>) -> Result<(), Error> {
        if cmd.occurred_at > self.now {
            self.advance(cmd.occurred_at, out)?;
        }
        match &cmd.body {
            CommandBody::DefineItem(s) => self.define_item(s, out),
            CommandBody::DefineLocation(s) => self.define_location(s, out),
            CommandBody::SetLotStatus { item, lot, status } => self.lot_status(item, lot, *status, out),
            CommandBody::Receive(c) => self.receive(c, cmd.occurred_at, out),
            CommandBody::ExpectReceipt(c) => self.expect_receipt(c, out),
            CommandBody::CancelReceipt { receipt } => self.cancel_receipt(receipt, out),
            CommandBody::Sell(c) => self.sell(c, cmd.occurred_at, out),
            CommandBody::ReturnSale(c) => self.return_sale(c, cmd.occurred_at, out),
            CommandBody::Adjust(c) => self.adjust(c, cmd.occurred_at, out),
            CommandBody::Move(c) => self.move_stock(c, cmd.occurred_at, out),
            CommandBody::Scrap(c) => self.scrap(c, cmd.occurred_at, out),
            CommandBody::Reverse { move_id } => self.reverse(*move_id, cmd.occurred_at, out),
            CommandBody::Reserve(c) => self.reserve(c, out),
            CommandBody::Commit(c) => self.commit(c, cmd.occurred_at, out),
            CommandBody::Release { reservation } => self.release(reservation, out),
            CommandBody::Extend { reservation, ttl_ms } => self.extend(reservation, *ttl_ms, out),
            CommandBody::Amend(c) => self.amend(c, out),
            CommandBody::Promise(c) => self.promise(c, out),
            CommandBody::Advance => Ok(()),
            CommandBody::Ops(c) => self.run_ops(c, cmd.occurred_at, out),
        }
    }

    /// Applies an event and records it.
    #[inline]
    pub(crate) fn emit(&mut self, out: &mut Vec<Event>, ev: Event) -> Result<(), Error> {
        self.apply(&ev)?;
        out.push(ev);
        Ok(())
    }

    // ---- shared validation ----

    pub(crate) fn check_code(field: &'static str, code: &str) -> Result<(), Error> {
        if valid_code(code) {
            Ok(())
        } else {
            Err(Error::InvalidCode { field, code: code.chars().take(200).collect() })
        }
    }

    // Every code in the catalogue passed `check_code` when it was defined,
    // so a hit needs no second check: only a miss is examined, to tell an
    // invalid code from an unknown one. (The lookup path of a till.)
    pub(crate) fn find_item(&self, code: &str) -> Result<ItemId, Error> {
        match self.cat.item_id(code) {
            Some(id) => Ok(id),
            None => {
                Self::check_code("item", code)?;
                Err(Error::UnknownItem { item: code.into() })
            }
        }
    }

    pub(crate) fn find_loc(&self, code: &str) -> Result<LocId, Error> {
        match self.cat.loc_id(code) {
            Some(id) => Ok(id),
            None => {
                Self::check_code("location", code)?;
                Err(Error::UnknownLocation { location: code.into() })
            }
        }
    }

    /// An internal (stock-holding) location.
    pub(crate) fn find_internal(&self, code: &str) -> Result<LocId, Error> {
        let id = self.find_loc(code)?;
        let l = self.cat.loc(id);
        if !l.is_internal() {
            return Err(Error::WrongLocationKind { location: code.into(), kind: l.kind.name() });
        }
        Ok(id)
    }

    pub(crate) fn find_scope(&self, scope: &Scope) -> Result<ScopeIds, Error> {
        match scope {
            Scope::List(v) if v.is_empty() => Err(Error::EmptyScope),
            Scope::List(v) if v.len() > 1024 => Err(Error::LimitExceeded { what: "scope locations", max: 1024 }),
            Scope::All => Ok(ScopeIds::All),
            Scope::Subtree(c) => {
                self.find_loc(c)?;
                self.scope_ids(scope)
            }
            Scope::List(v) => {
                for c in v {
                    self.find_loc(c)?;
                }
                self.scope_ids(scope)
            }
        }
    }

    /// The sign check of a quantity, before the item is known.
    pub(crate) fn check_sign(field: &'static str, qty: Decimal, sign: Sign) -> Result<(), Error> {
        let ok = match sign {
            Sign::Positive => qty > Decimal::ZERO,
            Sign::NonZero => !qty.is_zero(),
        };
        if ok {
            Ok(())
        } else {
            Err(Error::InvalidQuantity { field, qty })
        }
    }

    /// Converts a host quantity to the item's minor units.
    pub(crate) fn to_minor(&self, item: ItemId, q: &QtyIn) -> Result<Minor, Error> {
        let it = self.cat.item(item);
        let factor = Self::unit_factor(it, q.unit.as_deref())?;
        Self::convert(it, q.qty, factor, q)
    }

    pub(crate) fn unit_factor(it: &Item, unit: Option<&str>) -> Result<UnitFactor, Error> {
        it.factor(unit)
            .ok_or_else(|| Error::UnknownUnit { item: it.code.to_string(), unit: unit.unwrap_or_default().into() })
    }

    pub(crate) fn convert(it: &Item, v: Decimal, factor: UnitFactor, q: &QtyIn) -> Result<Minor, Error> {
        let m = qty::to_minor(v, factor, it.scale(), q.rounding).map_err(|e| match e {
            ConvertError::Overflow => Error::QuantityOverflow,
            ConvertError::Inexact if factor == UnitFactor::ONE => {
                Error::QuantityScaleExceeded { item: it.code.to_string(), qty: v, scale: it.scale() }
            }
            ConvertError::Inexact => Error::InexactUnitConversion {
                item: it.code.to_string(),
                unit: q.unit.clone().unwrap_or_default(),
                qty: v,
            },
        })?;
        if m == 0 && !v.is_zero() {
            // Rounded away entirely: a zero quantity is never meaningful.
            return Err(Error::InvalidQuantity { field: "qty", qty: v });
        }
        Ok(m)
    }

    /// A minor quantity of an item as a decimal of its base unit.
    pub(crate) fn dec(&self, item: ItemId, q: i128) -> Decimal {
        qty::wide_to_decimal(q, self.cat.item(item).scale())
    }

    /// Today at a location's site.
    pub(crate) fn today_at(&self, loc: Option<LocId>) -> Date {
        Date::at(self.now, loc.map_or(0, |l| self.cat.loc(l).site_offset_min))
    }

    /// Refuses new stock or demand for an archived item.
    pub(crate) fn check_active_item(&self, item: ItemId) -> Result<(), Error> {
        let it = self.cat.item(item);
        if it.spec.archived {
            return Err(Error::ItemArchived { item: it.code.to_string() });
        }
        Ok(())
    }
}
