//! Stock commands: receipts, scheduled receipts, sales, corrections, moves,
//! scrap and reversals.

use crate::catalog::{Tracking, NO_LOT, UNKNOWN_LOT_CODE};
use crate::command::{Adjust, ExpectReceipt, MoveStock, QtyIn, Receive, ReturnSale, Scrap, Sell};
use crate::error::Error;
use crate::event::{Event, MoveReason};
use crate::ids::{Code, ItemId, LocId, LotId};
use crate::qty::Minor;
use crate::state::State;
use crate::time::{Date, Millis};

/// A lot as a command names it, resolved.
enum LotRef {
    /// Untracked stock.
    None,
    /// A lot the engine knows.
    Known(LotId),
    /// A lot to create (receipts) or the unknown-lot bucket (facts).
    New(Code),
}

/// One posting a handler has decided.
struct Posting {
    lot: LotRef,
    qty: Minor,
}

impl State {
    /// The checks a fact at one location (a sale, a return, scrap) shares:
    /// a positive quantity, the reference, the item, an internal location,
    /// the quantity in minor units, the lot (`lot_ref`'s `required` and
    /// `create`) and the serial rule.
    #[allow(clippy::too_many_arguments)]
    fn fact_args(
        &self,
        item: &str,
        location: &str,
        qty: &QtyIn,
        lot: Option<&str>,
        reference: Option<&str>,
        required: bool,
        create: bool,
    ) -> Result<(ItemId, LocId, Minor, LotRef), Error> {
        Self::check_sign("qty", qty.qty, super::Sign::Positive)?;
        Self::check_reference(reference)?;
        let id = self.find_item(item)?;
        let loc = self.find_internal(location)?;
        let minor = self.to_minor(id, qty)?;
        let lot = self.lot_ref(id, lot, required, create)?;
        self.check_serial(id, minor)?;
        Ok((id, loc, minor, lot))
    }

    /// Resolves a command's lot for an item. `create` allows an unknown code
    /// (receipts and positive corrections create the lot).
    fn lot_ref(&self, item: ItemId, lot: Option<&str>, required: bool, create: bool) -> Result<LotRef, Error> {
        let it = self.cat.item(item);
        match (it.tracked(), lot) {
            (false, None) => Ok(LotRef::None),
            (false, Some(_)) => Err(Error::LotNotTracked { item: it.code.to_string() }),
            (true, None) if required => Err(Error::LotRequired { item: it.code.to_string() }),
            (true, None) => Ok(LotRef::New(UNKNOWN_LOT_CODE.into())),
            (true, Some(c)) => {
                Self::check_code("lot", c)?;
                match self.cat.lot_id(item, c) {
                    Some(id) => Ok(LotRef::Known(id)),
                    None if create => Ok(LotRef::New(c.into())),
                    None => Err(Error::UnknownLot { item: it.code.to_string(), lot: c.into() }),
                }
            }
        }
    }

    pub(crate) fn check_serial(&self, item: ItemId, qty: Minor) -> Result<(), Error> {
        let it = self.cat.item(item);
        if it.tracking() == Tracking::Serial && qty.unsigned_abs() != 10u64.pow(it.scale() as u32) {
            return Err(Error::SerialQuantity { item: it.code.to_string() });
        }
        Ok(())
    }

    /// Emits `LotCreated` for a new lot and returns its id.
    fn realise_lot(
        &mut self,
        item: ItemId,
        lot: LotRef,
        expiry: Option<Date>,
        at: LocId,
        out: &mut Vec<Event>,
    ) -> Result<LotId, Error> {
        match lot {
            LotRef::None => Ok(NO_LOT),
            LotRef::Known(id) => Ok(id),
            LotRef::New(code) => {
                let received = self.today_at(Some(at));
                let it = self.cat.item(item);
                let expiry = expiry.or_else(|| {
                    (code.as_ref() != UNKNOWN_LOT_CODE)
                        .then_some(it.spec.shelf_life_days)
                        .flatten()
                        .map(|d| received.plus(d as i32))
                });
                let ev = Event::LotCreated { item: it.code.clone(), lot: code.clone(), expiry, received };
                self.emit(out, ev)?;
                self.cat.lot_id(item, &code).ok_or(Error::InvalidCommand { reason: "lot not created".into() })
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn post(
        &mut self,
        item: ItemId,
        lot: LotId,
        qty: Minor,
        from: LocId,
        to: LocId,
        reason: MoveReason,
        reservation: Option<Code>,
        reverses: Option<u64>,
        reference: Option<&str>,
        occurred_at: Millis,
        out: &mut Vec<Event>,
    ) -> Result<(), Error> {
        let ev = Event::MovePosted {
            move_id: self.moves.next_id(),
            item: self.cat.item(item).code.clone(),
            lot: self.cat.lot_code(lot),
            qty,
            from: self.cat.loc(from).code.clone(),
            to: self.cat.loc(to).code.clone(),
            reason,
            reservation,
            reverses,
            reference: reference.map(Into::into),
            occurred_at,
        };
        self.emit(out, ev)
    }

    /// After a fact took stock from a bucket: flag negative stock, then
    /// re-allocate what the bucket can no longer carry.
    pub(crate) fn after_loss(
        &mut self,
        item: ItemId,
        loc: LocId,
        lot: LotId,
        out: &mut Vec<Event>,
    ) -> Result<(), Error> {
        if !self.cat.loc(loc).is_internal() {
            return Ok(());
        }
        let on_hand = self.stock[item.ix()].get(loc, lot).map_or(0, |b| b.on_hand);
        if on_hand < 0 {
            let ev = Event::NegativeStock {
                item: self.cat.item(item).code.clone(),
                location: self.cat.loc(loc).code.clone(),
                lot: self.cat.lot_code(lot),
                on_hand,
            };
            self.emit(out, ev)?;
        }
        self.settle_bucket(item, loc, lot, out)
    }

    /// Both sides of a posting stay within 64 bits. Virtual buckets (the
    /// supplier, the customer, scrap) carry an item's whole history, so they
    /// reach the limit long before a shelf does.
    pub(crate) fn check_posting(
        &self,
        item: ItemId,
        lot: LotId,
        qty: Minor,
        from: LocId,
        to: LocId,
    ) -> Result<(), Error> {
        let bal = |loc| self.stock[item.ix()].get(loc, lot).map_or(0, |b| b.on_hand);
        match (bal(from).checked_sub(qty), bal(to).checked_add(qty)) {
            (Some(_), Some(_)) => Ok(()),
            _ => Err(Error::QuantityOverflow),
        }
    }

    pub(crate) fn builtin(&self, code: &str) -> LocId {
        // Built-in locations exist from the first instant of every engine.
        self.cat.loc_id(code).unwrap_or(LocId(0))
    }

    pub(crate) fn check_reference(r: Option<&str>) -> Result<(), Error> {
        match r {
            Some(r) if r.len() > 256 || r.chars().any(char::is_control) => {
                Err(Error::InvalidCode { field: "reference", code: r.chars().take(200).collect() })
            }
            _ => Ok(()),
        }
    }

    pub(crate) fn receive(&mut self, c: &Receive, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
        Self::check_sign("qty", c.qty.qty, super::Sign::Positive)?;
        Self::check_reference(c.reference.as_deref())?;
        let item = self.find_item(&c.item)?;
        let loc = self.find_internal(&c.location)?;
        let receipt = match &c.receipt {
            Some(r) => {
                Self::check_code("receipt", r)?;
                let ix = self.receipt_index(r).filter(|ix| self.receipts[*ix as usize].item == item);
                Some(ix.ok_or_else(|| Error::UnknownReceipt { receipt: r.clone() })?)
            }
            None => None,
        };
        let qty = self.to_minor(item, &c.qty)?;
        let lot = self.lot_ref(item, c.lot.as_deref(), true, true)?;
        self.check_serial(item, qty)?;
        if let (LotRef::Known(id), Some(e)) = (&lot, c.expiry) {
            if self.cat.lot(*id).expiry != Some(e) {
                return Err(Error::LotExpiryMismatch { item: c.item.clone(), lot: c.lot.clone().unwrap_or_default() });
            }
        }
        let supplier = self.builtin("@supplier");
        // A lot still to be created has no balance anywhere.
        if let LotRef::None | LotRef::Known(_) = lot {
            let l = if let LotRef::Known(l) = lot { l } else { NO_LOT };
            self.check_posting(item, l, qty, supplier, loc)?;
        }
        self.check_active_item(item)?;
        // Point of no failure.
        let lot = self.realise_lot(item, lot, c.expiry, loc, out)?;
        self.post(item, lot, qty, supplier, loc, MoveReason::Receipt, None, None, c.reference.as_deref(), at, out)?;
        if let Some(ix) = receipt {
            let r = &self.receipts[ix as usize];
            let open = (r.open - qty).max(0);
            if open != r.open {
                let code = r.code.clone();
                self.emit(out, Event::ReceiptOpenChanged { receipt: code, open })?;
            }
        }
        self.serve_demand(item, out)
    }

    pub(crate) fn expect_receipt(&mut self, c: &ExpectReceipt, out: &mut Vec<Event>) -> Result<(), Error> {
        Self::check_code("receipt", &c.receipt)?;
        Self::check_sign("qty", c.qty.qty, super::Sign::Positive)?;
        let item = self.find_item(&c.item)?;
        let loc = self.find_internal(&c.location)?;
        let qty = self.to_minor(item, &c.qty)?;
        if self.receipt_index(&c.receipt).is_some() {
            return Err(Error::ReceiptIdConflict { receipt: c.receipt.clone() });
        }
        self.check_active_item(item)?;
        let ev = Event::ReceiptExpected {
            receipt: c.receipt.as_str().into(),
            item: self.cat.item(item).code.clone(),
            location: self.cat.loc(loc).code.clone(),
            qty,
            expected: c.expected,
        };
        self.emit(out, ev)
    }

    pub(crate) fn cancel_receipt(&mut self, receipt: &str, out: &mut Vec<Event>) -> Result<(), Error> {
        Self::check_code("receipt", receipt)?;
        let ix = self.receipt_index(receipt).ok_or_else(|| Error::UnknownReceipt { receipt: receipt.into() })?;
        let r = &self.receipts[ix as usize];
        if r.open == 0 {
            return Ok(());
        }
        let code = r.code.clone();
        self.emit(out, Event::ReceiptOpenChanged { receipt: code, open: 0 })
    }

    /// The sale of a till: a fact. Takes from the location's buckets in
    /// expiry order; what is not there drives the untracked bucket, or the
    /// tracked item's unknown-lot bucket, negative.
    pub(crate) fn sell(&mut self, c: &Sell, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
        let (item, loc, qty, lot) =
            self.fact_args(&c.item, &c.location, &c.qty, c.lot.as_deref(), c.reference.as_deref(), false, true)?;
        let postings = match lot {
            LotRef::New(code) if c.lot.is_none() => self.pick_for_sale(item, loc, qty, code),
            other => vec![Posting { lot: other, qty }],
        };
        let customer = self.builtin("@customer");
        for p in &postings {
            match p.lot {
                LotRef::Known(l) => self.check_posting(item, l, p.qty, loc, customer)?,
                LotRef::None => self.check_posting(item, NO_LOT, p.qty, loc, customer)?,
                LotRef::New(_) => {}
            }
        }
        // Point of no failure.
        for p in postings {
            let lot = self.realise_lot(item, p.lot, None, loc, out)?;
            self.post(item, lot, p.qty, loc, customer, MoveReason::Sale, None, None, c.reference.as_deref(), at, out)?;
            self.after_loss(item, loc, lot, out)?;
        }
        Ok(())
    }

    /// A customer's return at a till: a fact, the mirror of a sale. The stock
    /// comes back from the customer into the location's bucket of the lot
    /// named (created if the till has not seen it), else the untracked
    /// bucket or the tracked item's unknown lot; it may then serve open
    /// demand like any arrival.
    pub(crate) fn return_sale(&mut self, c: &ReturnSale, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
        let (item, loc, qty, lot) =
            self.fact_args(&c.item, &c.location, &c.qty, c.lot.as_deref(), c.reference.as_deref(), false, true)?;
        let customer = self.builtin("@customer");
        match lot {
            LotRef::Known(l) => self.check_posting(item, l, qty, customer, loc)?,
            LotRef::None => self.check_posting(item, NO_LOT, qty, customer, loc)?,
            LotRef::New(_) => {}
        }
        // Point of no failure.
        let lot = self.realise_lot(item, lot, None, loc, out)?;
        self.post(
            item,
            lot,
            qty,
            customer,
            loc,
            MoveReason::CustomerReturn,
            None,
            None,
            c.reference.as_deref(),
            at,
            out,
        )?;
        self.serve_demand(item, out)
    }

    /// Splits an unlotted sale of a tracked item over the location's lots,
    /// first expiry first; the rest goes to the unknown lot.
    fn pick_for_sale(&self, item: ItemId, loc: LocId, qty: Minor, unknown: Code) -> Vec<Posting> {
        let mut lots: Vec<(i64, Code, LotId, Minor)> = self.stock[item.ix()]
            .buckets
            .iter()
            .filter(|b| b.loc == loc && b.on_hand > 0 && &*self.cat.lot(b.lot).code != UNKNOWN_LOT_CODE)
            .map(|b| {
                let l = self.cat.lot(b.lot);
                (l.expiry.map_or(i64::MAX, |d| d.0 as i64), l.code.clone(), b.lot, b.on_hand)
            })
            .collect();
        lots.sort();
        let mut rest = qty;
        let mut out = Vec::new();
        for (_, _, lot, on_hand) in lots {
            if rest == 0 {
                break;
            }
            let q = on_hand.min(rest);
            out.push(Posting { lot: LotRef::Known(lot), qty: q });
            rest -= q;
        }
        if rest > 0 {
            let lot = match self.cat.lot_id(item, &unknown) {
                Some(id) => LotRef::Known(id),
                None => LotRef::New(unknown),
            };
            out.push(Posting { lot, qty: rest });
        }
        out
    }

    pub(crate) fn adjust(&mut self, c: &Adjust, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
        Self::check_sign("qty", c.qty.qty, super::Sign::NonZero)?;
        Self::check_reference(c.reference.as_deref())?;
        let item = self.find_item(&c.item)?;
        let loc = self.find_internal(&c.location)?;
        let qty = self.to_minor(item, &c.qty)?;
        let lot = self.lot_ref(item, c.lot.as_deref(), true, qty > 0)?;
        let l = match lot {
            LotRef::Known(l) => l,
            _ => NO_LOT,
        };
        let adj = self.builtin("@adjustment");
        let neg = qty.checked_neg().ok_or(Error::QuantityOverflow)?;
        if qty > 0 {
            self.check_posting(item, l, qty, adj, loc)?;
        } else {
            self.check_posting(item, l, neg, loc, adj)?;
        }
        // Point of no failure.
        let lot = self.realise_lot(item, lot, None, loc, out)?;
        let r = c.reference.as_deref();
        if qty > 0 {
            self.post(item, lot, qty, adj, loc, MoveReason::Adjustment, None, None, r, at, out)?;
            self.serve_demand(item, out)
        } else {
            self.post(item, lot, -qty, loc, adj, MoveReason::Adjustment, None, None, r, at, out)?;
            self.after_loss(item, loc, lot, out)
        }
    }

    pub(crate) fn scrap(&mut self, c: &Scrap, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
        let (item, loc, qty, lot) =
            self.fact_args(&c.item, &c.location, &c.qty, c.lot.as_deref(), c.reference.as_deref(), true, false)?;
        let l = match lot {
            LotRef::Known(l) => l,
            _ => NO_LOT,
        };
        let scrap = self.builtin("@scrap");
        self.check_posting(item, l, qty, loc, scrap)?;
        // Point of no failure.
        self.post(item, l, qty, loc, scrap, MoveReason::Scrap, None, None, c.reference.as_deref(), at, out)?;
        self.after_loss(item, loc, l, out)
    }

    /// A request: moves free stock (or stock a named reservation holds,
    /// whose allocation then follows it) between internal locations.
    pub(crate) fn move_stock(&mut self, c: &MoveStock, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
        Self::check_sign("qty", c.qty.qty, super::Sign::Positive)?;
        let item = self.find_item(&c.item)?;
        let from = self.find_internal(&c.from)?;
        let to = self.find_internal(&c.to)?;
        if from == to {
            return Err(Error::SameLocation { location: c.from.clone() });
        }
        let qty = self.to_minor(item, &c.qty)?;
        let lot = match self.lot_ref(item, c.lot.as_deref(), true, false)? {
            LotRef::Known(l) => l,
            _ => NO_LOT,
        };
        self.check_serial(item, qty)?;
        let rid = match &c.reservation {
            Some(code) => Some(self.active_reservation(code)?),
            None => None,
        };
        let b = self.stock[item.ix()].get(from, lot).copied();
        let (on_hand, free) = b.map_or((0, 0), |b| (b.on_hand, b.free()));
        let avail = match rid {
            Some(r) if self.res[r.ix()].item != item => {
                return Err(Error::ReservationIdConflict { reservation: c.reservation.clone().unwrap_or_default() })
            }
            Some(r) => self.res[r.ix()].alloc_on(from, lot).min(on_hand),
            None => free,
        };
        if qty > avail {
            return Err(Error::InsufficientStock {
                item: c.item.clone(),
                location: c.from.clone(),
                lot: c.lot.clone(),
                requested: self.dec(item, qty as i128),
                available: self.dec(item, avail.max(0) as i128),
            });
        }
        let to_bal = self.stock[item.ix()].get(to, lot).map_or(0, |b| b.on_hand);
        to_bal.checked_add(qty).ok_or(Error::QuantityOverflow)?;
        let res_code = rid.map(|r| self.res[r.ix()].code.clone());
        self.post(item, lot, qty, from, to, MoveReason::Transfer, res_code, None, None, at, out)?;
        if let Some(r) = rid {
            // The allocation moved; if the destination cannot carry it, place it again.
            self.settle_bucket(self.res[r.ix()].item, to, lot, out)?;
        }
        self.serve_demand(item, out)
    }

    pub(crate) fn reverse(&mut self, move_id: u64, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
        let ix = self.moves.index_of(move_id).ok_or(Error::UnknownMove { move_id })?;
        let m = self.moves[ix];
        if m.reversed || self.moves.notes(ix).reverses.is_some() {
            return Err(Error::MoveAlreadyReversed { move_id });
        }
        let to_bal = self.stock[m.item.ix()].get(m.from, m.lot).map_or(0, |b| b.on_hand);
        to_bal.checked_add(m.qty).ok_or(Error::QuantityOverflow)?;
        let from_bal = self.stock[m.item.ix()].get(m.to, m.lot).map_or(0, |b| b.on_hand);
        from_bal.checked_sub(m.qty).ok_or(Error::QuantityOverflow)?;
        self.post(m.item, m.lot, m.qty, m.to, m.from, MoveReason::Reversal, None, Some(move_id), None, at, out)?;
        self.after_loss(m.item, m.to, m.lot, out)?;
        self.serve_demand(m.item, out)
    }
}
