//! The binary encoding shared by envelopes and snapshots: little-endian
//! fixed-width integers, `u32`-length-prefixed UTF-8 strings, one-byte tags
//! for options and enums. Readers check every length against the bytes that
//! remain, so hostile input is an error, never a panic or a huge allocation.
//! The format is specified in `docs/binary-format.md`.

use crate::catalog::{LocationKind, LotStatus, Tracking};
use crate::command::{Fill, ItemSpec, LocationSpec, Scope, Strategy, UnitSpec};
use crate::engine::{Envelope, KeyEntry};
use crate::event::{AllocReason, Event, Finish, MoveReason};
use crate::ids::Code;
use crate::qty::UnitFactor;
use crate::time::Date;

/// Appends encoded values to a byte vector.
pub(crate) struct Writer<'a>(pub &'a mut Vec<u8>);

impl Writer<'_> {
    pub fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    pub fn bool(&mut self, v: bool) {
        self.0.push(v as u8);
    }
    pub fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn i32(&mut self, v: i32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn bytes32(&mut self, v: &[u8; 32]) {
        self.0.extend_from_slice(v);
    }
    pub fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }
    pub fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.u8(0),
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
        }
    }
    pub fn opt_i64(&mut self, v: Option<i64>) {
        match v {
            None => self.u8(0),
            Some(v) => {
                self.u8(1);
                self.i64(v);
            }
        }
    }
    pub fn opt_u32(&mut self, v: Option<u32>) {
        match v {
            None => self.u8(0),
            Some(v) => {
                self.u8(1);
                self.u32(v);
            }
        }
    }
    pub fn opt_date(&mut self, v: Option<Date>) {
        match v {
            None => self.u8(0),
            Some(d) => {
                self.u8(1);
                self.i32(d.0);
            }
        }
    }
    pub fn count(&mut self, n: usize) {
        self.u32(n as u32);
    }
}

/// Reads encoded values; every failure is a message for the caller's error.
#[derive(Clone)]
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

pub(crate) type R<T> = Result<T, String>;

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader { buf, pos: 0 }
    }
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }
    pub fn pos(&self) -> usize {
        self.pos
    }
    fn take(&mut self, n: usize) -> R<&'a [u8]> {
        if n > self.remaining() {
            return Err(format!("truncated at byte {} (need {n} more)", self.pos));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    fn arr<const N: usize>(&mut self) -> R<[u8; N]> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    pub fn u8(&mut self) -> R<u8> {
        Ok(self.take(1)?[0])
    }
    pub fn bool(&mut self) -> R<bool> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            t => Err(format!("bad bool {t} at byte {}", self.pos - 1)),
        }
    }
    pub fn u32(&mut self) -> R<u32> {
        Ok(u32::from_le_bytes(self.arr()?))
    }
    pub fn i32(&mut self) -> R<i32> {
        Ok(i32::from_le_bytes(self.arr()?))
    }
    pub fn u64(&mut self) -> R<u64> {
        Ok(u64::from_le_bytes(self.arr()?))
    }
    pub fn i64(&mut self) -> R<i64> {
        Ok(i64::from_le_bytes(self.arr()?))
    }
    pub fn bytes32(&mut self) -> R<[u8; 32]> {
        self.arr()
    }
    pub fn string(&mut self) -> R<String> {
        let n = self.u32()? as usize;
        let b = self.take(n)?;
        std::str::from_utf8(b).map(str::to_owned).map_err(|_| format!("invalid UTF-8 before byte {}", self.pos))
    }
    /// A string borrowed from the input (no allocation: for lookups).
    pub fn str_ref(&mut self) -> R<&'a str> {
        let n = self.u32()? as usize;
        let b = self.take(n)?;
        std::str::from_utf8(b).map_err(|_| format!("invalid UTF-8 before byte {}", self.pos))
    }
    pub fn opt_str_ref(&mut self) -> R<Option<&'a str>> {
        self.opt(Self::str_ref)
    }
    pub fn code(&mut self) -> R<Code> {
        Ok(self.string()?.into())
    }
    fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> R<T>) -> R<Option<T>> {
        match self.u8()? {
            0 => Ok(None),
            1 => f(self).map(Some),
            t => Err(format!("bad option tag {t} at byte {}", self.pos - 1)),
        }
    }
    pub fn opt_string(&mut self) -> R<Option<String>> {
        self.opt(Self::string)
    }
    pub fn opt_code(&mut self) -> R<Option<Code>> {
        self.opt(Self::code)
    }
    pub fn opt_i64(&mut self) -> R<Option<i64>> {
        self.opt(Self::i64)
    }
    pub fn opt_u32(&mut self) -> R<Option<u32>> {
        self.opt(Self::u32)
    }
    pub fn opt_date(&mut self) -> R<Option<Date>> {
        self.opt(|r| r.i32().map(Date))
    }
    /// A count of records, each at least `min_size` bytes: bounded by what
    /// remains, so a forged count cannot make us allocate.
    pub fn count(&mut self, min_size: usize) -> R<usize> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min_size.max(1)) > self.remaining() {
            return Err(format!("count {n} exceeds the remaining {} bytes", self.remaining()));
        }
        Ok(n)
    }
}

/// Enums as one byte. The numbers are part of the format: never renumber.
macro_rules! byte_enum {
    ($ty:ty, $enc:ident, $dec:ident, [$($v:path = $n:literal),* $(,)?]) => {
        pub(crate) fn $enc(v: $ty) -> u8 {
            match v { $($v => $n,)* }
        }
        pub(crate) fn $dec(b: u8) -> R<$ty> {
            match b { $($n => Ok($v),)* _ => Err(format!("bad {} tag {b}", stringify!($ty))) }
        }
    };
}

byte_enum!(
    LocationKind,
    kind_u8,
    kind_of,
    [
        LocationKind::Site = 0,
        LocationKind::Warehouse = 1,
        LocationKind::Zone = 2,
        LocationKind::Storage = 3,
        LocationKind::Receiving = 4,
        LocationKind::Inspection = 5,
        LocationKind::Quarantine = 6,
        LocationKind::Staging = 7,
        LocationKind::Transit = 8,
        LocationKind::Supplier = 9,
        LocationKind::Customer = 10,
        LocationKind::Adjustment = 11,
        LocationKind::Scrap = 12,
        LocationKind::Production = 13,
    ]
);
byte_enum!(Tracking, tracking_u8, tracking_of, [Tracking::None = 0, Tracking::Lot = 1, Tracking::Serial = 2]);
byte_enum!(LotStatus, status_u8, status_of, [LotStatus::Available = 0, LotStatus::OnHold = 1, LotStatus::Rejected = 2]);
byte_enum!(
    MoveReason,
    reason_u8,
    reason_of,
    [
        MoveReason::Receipt = 0,
        MoveReason::Sale = 1,
        MoveReason::Adjustment = 2,
        MoveReason::Transfer = 3,
        MoveReason::Scrap = 4,
        MoveReason::Commit = 5,
        MoveReason::Reversal = 6,
        MoveReason::Putaway = 7,
        MoveReason::Inspection = 8,
        MoveReason::ReturnToVendor = 9,
        MoveReason::CustomerReturn = 10,
        MoveReason::Grading = 11,
        MoveReason::Count = 12,
        MoveReason::Transit = 13,
        MoveReason::Pick = 14,
        MoveReason::Kitting = 15,
    ]
);
byte_enum!(
    AllocReason,
    alloc_u8,
    alloc_of,
    [
        AllocReason::Reserve = 0,
        AllocReason::Commit = 1,
        AllocReason::Release = 2,
        AllocReason::Expire = 3,
        AllocReason::Reallocate = 4,
        AllocReason::Supply = 5,
        AllocReason::Substitute = 6,
    ]
);
byte_enum!(Finish, finish_u8, finish_of, [Finish::Committed = 0, Finish::Released = 1, Finish::Expired = 2]);
byte_enum!(
    Strategy,
    strategy_u8,
    strategy_of,
    [
        Strategy::Fefo = 0,
        Strategy::Fifo = 1,
        Strategy::Lifo = 2,
        Strategy::LocationPriority = 3,
        Strategy::SingleLocationFirst = 4,
    ]
);
byte_enum!(Fill, fill_u8, fill_of, [Fill::All = 0, Fill::Partial = 1]);

pub(crate) fn put_item_spec(w: &mut Writer<'_>, s: &ItemSpec) {
    w.str(&s.item);
    w.str(&s.base_unit);
    w.u8(s.scale);
    w.count(s.units.len());
    for u in &s.units {
        w.str(&u.unit);
        w.u32(u.factor.num);
        w.u32(u.factor.den);
    }
    w.u8(tracking_u8(s.tracking));
    w.opt_u32(s.shelf_life_days);
    w.u32(s.min_remaining_shelf_life_days);
    w.bool(s.archived);
}

pub(crate) fn get_item_spec(r: &mut Reader<'_>) -> R<ItemSpec> {
    let item = r.string()?;
    let base_unit = r.string()?;
    let scale = r.u8()?;
    if scale > crate::qty::MAX_SCALE {
        // Conversions index a table of powers of ten by the scale.
        return Err(format!("item scale {scale} is above {}", crate::qty::MAX_SCALE));
    }
    let n = r.count(12)?;
    let mut units = Vec::with_capacity(n);
    for _ in 0..n {
        let unit = r.string()?;
        let (num, den) = (r.u32()?, r.u32()?);
        let factor = UnitFactor::new(num, den).ok_or("zero unit factor")?;
        units.push(UnitSpec { unit, factor });
    }
    Ok(ItemSpec {
        item,
        base_unit,
        scale,
        units,
        tracking: tracking_of(r.u8()?)?,
        shelf_life_days: r.opt_u32()?,
        min_remaining_shelf_life_days: r.u32()?,
        archived: r.bool()?,
    })
}

pub(crate) fn put_loc_spec(w: &mut Writer<'_>, s: &LocationSpec) {
    w.str(&s.location);
    w.opt_str(s.parent.as_deref());
    w.u8(kind_u8(s.kind));
    w.u8(match s.sellable {
        None => 0,
        Some(false) => 1,
        Some(true) => 2,
    });
    w.u32(s.walk_seq);
    match s.utc_offset_minutes {
        None => w.u8(0),
        Some(m) => {
            w.u8(1);
            w.i32(m);
        }
    }
    w.u32(s.inbound_days);
}

pub(crate) fn get_loc_spec(r: &mut Reader<'_>) -> R<LocationSpec> {
    Ok(LocationSpec {
        location: r.string()?,
        parent: r.opt_string()?,
        kind: kind_of(r.u8()?)?,
        sellable: match r.u8()? {
            0 => None,
            1 => Some(false),
            2 => Some(true),
            t => return Err(format!("bad sellable tag {t}")),
        },
        walk_seq: r.u32()?,
        utc_offset_minutes: r.opt(Reader::i32)?,
        inbound_days: r.u32()?,
    })
}

pub(crate) fn put_scope(w: &mut Writer<'_>, s: &Scope) {
    match s {
        Scope::All => w.u8(0),
        Scope::Subtree(c) => {
            w.u8(1);
            w.str(c);
        }
        Scope::List(v) => {
            w.u8(2);
            w.count(v.len());
            for c in v {
                w.str(c);
            }
        }
    }
}

pub(crate) fn get_scope(r: &mut Reader<'_>) -> R<Scope> {
    match r.u8()? {
        0 => Ok(Scope::All),
        1 => Ok(Scope::Subtree(r.string()?)),
        2 => {
            let n = r.count(4)?;
            (0..n).map(|_| r.string()).collect::<R<Vec<_>>>().map(Scope::List)
        }
        t => Err(format!("bad scope tag {t}")),
    }
}

/// Encodes one event.
pub(crate) fn put_event(w: &mut Writer<'_>, e: &Event) {
    match e {
        Event::ItemDefined(s) => {
            w.u8(1);
            put_item_spec(w, s);
        }
        Event::LocationDefined(s) => {
            w.u8(2);
            put_loc_spec(w, s);
        }
        Event::LotCreated { item, lot, expiry, received } => {
            w.u8(3);
            w.str(item);
            w.str(lot);
            w.opt_date(*expiry);
            w.i32(received.0);
        }
        Event::LotStatusChanged { item, lot, status } => {
            w.u8(4);
            w.str(item);
            w.str(lot);
            w.u8(status_u8(*status));
        }
        Event::MovePosted {
            move_id,
            item,
            lot,
            qty,
            from,
            to,
            reason,
            reservation,
            reverses,
            reference,
            occurred_at,
        } => {
            w.u8(5);
            w.u64(*move_id);
            w.str(item);
            w.opt_str(lot.as_deref());
            w.i64(*qty);
            w.str(from);
            w.str(to);
            w.u8(reason_u8(*reason));
            w.opt_str(reservation.as_deref());
            w.opt_i64(reverses.map(|v| v as i64));
            w.opt_str(reference.as_deref());
            w.i64(*occurred_at);
        }
        Event::NegativeStock { item, location, lot, on_hand } => {
            w.u8(6);
            w.str(item);
            w.str(location);
            w.opt_str(lot.as_deref());
            w.i64(*on_hand);
        }
        Event::ReservationCreated {
            reservation,
            item,
            qty,
            scope,
            channel,
            expires_at,
            strategy,
            min_shelf_life_days,
            fill,
            need_date,
            priority,
            open_demand,
        } => {
            w.u8(7);
            w.str(reservation);
            w.str(item);
            w.i64(*qty);
            put_scope(w, scope);
            w.opt_str(channel.as_deref());
            w.opt_i64(*expires_at);
            w.u8(strategy_u8(*strategy));
            w.u32(*min_shelf_life_days);
            w.u8(fill_u8(*fill));
            w.i32(need_date.0);
            w.i32(*priority);
            w.i64(*open_demand);
        }
        Event::Allocated { reservation, location, lot, qty, reason }
        | Event::Deallocated { reservation, location, lot, qty, reason } => {
            w.u8(if matches!(e, Event::Allocated { .. }) { 8 } else { 9 });
            w.str(reservation);
            w.str(location);
            w.opt_str(lot.as_deref());
            w.i64(*qty);
            w.u8(alloc_u8(*reason));
        }
        Event::DemandChanged { reservation, open_demand } => {
            w.u8(10);
            w.str(reservation);
            w.i64(*open_demand);
        }
        Event::ReservationShorted { reservation, shortfall } => {
            w.u8(11);
            w.str(reservation);
            w.i64(*shortfall);
        }
        Event::ReservationAmended { reservation, qty } => {
            w.u8(12);
            w.str(reservation);
            w.i64(*qty);
        }
        Event::ReservationCommitted { reservation, qty } => {
            w.u8(13);
            w.str(reservation);
            w.i64(*qty);
        }
        Event::ReservationExtended { reservation, expires_at } => {
            w.u8(14);
            w.str(reservation);
            w.i64(*expires_at);
        }
        Event::ReservationFinished { reservation, finish } => {
            w.u8(15);
            w.str(reservation);
            w.u8(finish_u8(*finish));
        }
        Event::ReceiptExpected { receipt, item, location, qty, expected } => {
            w.u8(16);
            w.str(receipt);
            w.str(item);
            w.str(location);
            w.i64(*qty);
            w.i32(expected.0);
        }
        Event::ReceiptOpenChanged { receipt, open } => {
            w.u8(17);
            w.str(receipt);
            w.i64(*open);
        }
        Event::Ops(e) => {
            w.u8(18);
            w.u8(e.flow());
            // Flow events are plain serde structs of strings, integers and
            // decimals: serialising cannot fail.
            w.str(&serde_json::to_string(e).unwrap_or_default());
        }
    }
}

/// Decodes one event.
pub(crate) fn get_event(r: &mut Reader<'_>) -> R<Event> {
    Ok(match r.u8()? {
        1 => Event::ItemDefined(get_item_spec(r)?),
        2 => Event::LocationDefined(get_loc_spec(r)?),
        3 => Event::LotCreated { item: r.code()?, lot: r.code()?, expiry: r.opt_date()?, received: Date(r.i32()?) },
        4 => Event::LotStatusChanged { item: r.code()?, lot: r.code()?, status: status_of(r.u8()?)? },
        5 => Event::MovePosted {
            move_id: r.u64()?,
            item: r.code()?,
            lot: r.opt_code()?,
            qty: r.i64()?,
            from: r.code()?,
            to: r.code()?,
            reason: reason_of(r.u8()?)?,
            reservation: r.opt_code()?,
            reverses: r.opt_i64()?.map(|v| v as u64),
            reference: r.opt_code()?,
            occurred_at: r.i64()?,
        },
        6 => Event::NegativeStock { item: r.code()?, location: r.code()?, lot: r.opt_code()?, on_hand: r.i64()? },
        7 => Event::ReservationCreated {
            reservation: r.code()?,
            item: r.code()?,
            qty: r.i64()?,
            scope: get_scope(r)?,
            channel: r.opt_code()?,
            expires_at: r.opt_i64()?,
            strategy: strategy_of(r.u8()?)?,
            min_shelf_life_days: r.u32()?,
            fill: fill_of(r.u8()?)?,
            need_date: Date(r.i32()?),
            priority: r.i32()?,
            open_demand: r.i64()?,
        },
        t @ (8 | 9) => {
            let (reservation, location, lot, qty, reason) =
                (r.code()?, r.code()?, r.opt_code()?, r.i64()?, alloc_of(r.u8()?)?);
            if t == 8 {
                Event::Allocated { reservation, location, lot, qty, reason }
            } else {
                Event::Deallocated { reservation, location, lot, qty, reason }
            }
        }
        10 => Event::DemandChanged { reservation: r.code()?, open_demand: r.i64()? },
        11 => Event::ReservationShorted { reservation: r.code()?, shortfall: r.i64()? },
        12 => Event::ReservationAmended { reservation: r.code()?, qty: r.i64()? },
        13 => Event::ReservationCommitted { reservation: r.code()?, qty: r.i64()? },
        14 => Event::ReservationExtended { reservation: r.code()?, expires_at: r.i64()? },
        15 => Event::ReservationFinished { reservation: r.code()?, finish: finish_of(r.u8()?)? },
        16 => Event::ReceiptExpected {
            receipt: r.code()?,
            item: r.code()?,
            location: r.code()?,
            qty: r.i64()?,
            expected: Date(r.i32()?),
        },
        17 => Event::ReceiptOpenChanged { receipt: r.code()?, open: r.i64()? },
        18 => {
            let flow = r.u8()?;
            Event::Ops(crate::ops::OpsEvent::from_flow_json(flow, r.str_ref()?)?)
        }
        t => return Err(format!("bad event tag {t}")),
    })
}

/// Encodes an envelope (appends to `out`).
pub fn encode_envelope(env: &Envelope, out: &mut Vec<u8>) {
    let w = &mut Writer(out);
    w.u64(env.seq);
    w.i64(env.occurred_at);
    w.i64(env.processed_at);
    w.opt_str(env.client_key.as_deref());
    match &env.command_hash {
        None => w.u8(0),
        Some(h) => {
            w.u8(1);
            w.bytes32(h);
        }
    }
    w.count(env.batch_keys.len());
    for k in &env.batch_keys {
        w.str(&k.key);
        w.bytes32(&k.hash);
    }
    w.count(env.events.len());
    for e in &env.events {
        put_event(w, e);
    }
}

/// Decodes one envelope from the front of `bytes`; returns it and the bytes used.
pub fn decode_envelope(bytes: &[u8]) -> Result<(Envelope, usize), crate::Error> {
    let mut r = Reader::new(bytes);
    let env = read_envelope(&mut r)
        .map_err(|reason| crate::Error::InvalidCommand { reason: format!("envelope: {reason}") })?;
    Ok((env, r.pos()))
}

fn read_envelope(r: &mut Reader<'_>) -> R<Envelope> {
    let seq = r.u64()?;
    let occurred_at = r.i64()?;
    let processed_at = r.i64()?;
    let client_key = r.opt_string()?;
    let command_hash = r.opt(Reader::bytes32)?;
    let n = r.count(36)?;
    let mut batch_keys = Vec::with_capacity(n);
    for _ in 0..n {
        batch_keys.push(KeyEntry { key: r.string()?, hash: r.bytes32()? });
    }
    let n = r.count(2)?;
    let mut events = Vec::with_capacity(n);
    for _ in 0..n {
        events.push(get_event(r)?);
    }
    Ok(Envelope { seq, occurred_at, processed_at, client_key, command_hash, batch_keys, events })
}
