//! Commands: what hosts ask the engine to do. JSON form via serde
//! (`{"type": "reserve", "occurred_at": ..., ...}`); quantities are decimal
//! strings in the named unit (the base unit when none is named).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::catalog::{LocationKind, LotStatus, Tracking};
use crate::qty::{Rounding, UnitFactor};
use crate::time::{Date, Millis};

/// One command with its time and optional idempotency key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Command {
    /// When it happened (ms UTC). The engine's `now` advances to it first.
    #[serde(default)]
    pub occurred_at: Millis,
    /// Makes the command retry-safe (DESIGN §4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_key: Option<String>,
    /// What to do.
    #[serde(flatten)]
    pub body: CommandBody,
}

impl Command {
    /// A command at `occurred_at` without a client key.
    pub fn new(occurred_at: Millis, body: CommandBody) -> Command {
        Command { occurred_at, client_key: None, body }
    }
    /// The same command with a client key.
    pub fn with_key(mut self, key: impl Into<String>) -> Command {
        self.client_key = Some(key.into());
        self
    }
}

/// Every command of the engine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", tag = "type", rename_all = "snake_case")]
pub enum CommandBody {
    /// Create or update an item.
    DefineItem(ItemSpec),
    /// Create or update a location.
    DefineLocation(LocationSpec),
    /// Fact: stock arrived (from a supplier) into an internal location.
    Receive(Receive),
    /// A scheduled receipt: supply expected on a date.
    ExpectReceipt(ExpectReceipt),
    /// Cancel what is still open of a scheduled receipt.
    CancelReceipt {
        /// The receipt id.
        receipt: String,
    },
    /// Fact: a till sold stock at a location. Always posts.
    Sell(Sell),
    /// Fact: a customer brought sold stock back to a till. Always posts.
    ReturnSale(ReturnSale),
    /// Fact: a signed correction of a bucket.
    Adjust(Adjust),
    /// Request: move stock between internal locations.
    Move(MoveStock),
    /// Fact: stock was destroyed.
    Scrap(Scrap),
    /// Set a lot's lot-wide status (a recall puts it on hold).
    SetLotStatus {
        /// The item.
        item: String,
        /// The lot.
        lot: String,
        /// The new status.
        status: LotStatus,
    },
    /// Post the mirror of a move.
    Reverse {
        /// The move to reverse.
        move_id: u64,
    },
    /// Request: hold stock for a demand.
    Reserve(Reserve),
    /// Turn (part of) a reservation into moves.
    Commit(Commit),
    /// Give a reservation's hold back.
    Release {
        /// The reservation.
        reservation: String,
    },
    /// Push a reservation's expiry to `now + ttl_ms`.
    Extend {
        /// The reservation.
        reservation: String,
        /// New time to live from now.
        ttl_ms: i64,
    },
    /// Change a reservation's quantity.
    Amend(Amend),
    /// Dated demand: promise a quantity by a need date.
    Promise(Promise),
    /// Only advance time (expiring reservations and lots).
    Advance,
    /// A command of an operations flow (purchase orders, sales orders, ...).
    #[serde(skip)]
    Ops(crate::ops::OpsCommand),
}

// The derive above (`remote = "Self"`) gives inherent functions; these impls
// route a `type` owned by an operations flow to that flow, so every command
// gets its own precise error instead of serde's "no variant matched".
impl Serialize for CommandBody {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            CommandBody::Ops(o) => o.serialize(s),
            _ => CommandBody::serialize(self, s),
        }
    }
}

impl<'de> Deserialize<'de> for CommandBody {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let v = serde_json::Value::deserialize(d)?;
        if crate::ops::owned_type(&v, crate::ops::OpsCommand::owns) {
            return serde_json::from_value(v).map(CommandBody::Ops).map_err(D::Error::custom);
        }
        if let Some(ty) = crate::ops::type_of(&v).filter(|t| !CommandBody::CORE_TYPES.contains(t)) {
            return Err(D::Error::custom(crate::ops::unknown_name("command type", ty)));
        }
        CommandBody::deserialize(v).map_err(D::Error::custom)
    }
}

impl CommandBody {
    /// The `type` names of the core's own commands (operations flows add
    /// theirs: [`crate::ops::OpsCommand::types`]).
    pub const CORE_TYPES: &'static [&'static str] = &[
        "define_item",
        "define_location",
        "receive",
        "expect_receipt",
        "cancel_receipt",
        "sell",
        "return_sale",
        "adjust",
        "move",
        "scrap",
        "set_lot_status",
        "reverse",
        "reserve",
        "commit",
        "release",
        "extend",
        "amend",
        "promise",
        "advance",
    ];

    /// The command's JSON `type`.
    pub fn type_name(&self) -> &'static str {
        match self {
            CommandBody::DefineItem(_) => "define_item",
            CommandBody::DefineLocation(_) => "define_location",
            CommandBody::Receive(_) => "receive",
            CommandBody::ExpectReceipt(_) => "expect_receipt",
            CommandBody::CancelReceipt { .. } => "cancel_receipt",
            CommandBody::Sell(_) => "sell",
            CommandBody::ReturnSale(_) => "return_sale",
            CommandBody::Adjust(_) => "adjust",
            CommandBody::Move(_) => "move",
            CommandBody::Scrap(_) => "scrap",
            CommandBody::SetLotStatus { .. } => "set_lot_status",
            CommandBody::Reverse { .. } => "reverse",
            CommandBody::Reserve(_) => "reserve",
            CommandBody::Commit(_) => "commit",
            CommandBody::Release { .. } => "release",
            CommandBody::Extend { .. } => "extend",
            CommandBody::Amend(_) => "amend",
            CommandBody::Promise(_) => "promise",
            CommandBody::Advance => "advance",
            CommandBody::Ops(c) => c.type_name(),
        }
    }

    /// The same command with every decimal normalised (`1.50` → `1.5`), so
    /// that commands equal by value hash alike; borrowed when nothing changes.
    pub fn normalized(&self) -> std::borrow::Cow<'_, CommandBody> {
        let exact = |d: &Decimal| d.normalize().scale() == d.scale();
        let q = |q: &QtyIn| exact(&q.qty);
        let done = match self {
            CommandBody::Receive(c) => q(&c.qty),
            CommandBody::ExpectReceipt(c) => q(&c.qty),
            CommandBody::Sell(c) => q(&c.qty),
            CommandBody::ReturnSale(c) => q(&c.qty),
            CommandBody::Adjust(c) => q(&c.qty),
            CommandBody::Move(c) => q(&c.qty),
            CommandBody::Scrap(c) => q(&c.qty),
            CommandBody::Reserve(c) => q(&c.qty),
            CommandBody::Amend(c) => q(&c.qty),
            CommandBody::Promise(c) => q(&c.qty),
            CommandBody::Commit(c) => {
                c.qty.as_ref().is_none_or(exact) && c.buckets.iter().flatten().all(|b| exact(&b.qty))
            }
            CommandBody::Ops(o) => return std::borrow::Cow::Owned(CommandBody::Ops(o.normalized())),
            _ => true,
        };
        if done {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut b = self.clone();
        let n = |q: &mut QtyIn| q.qty = q.qty.normalize();
        match &mut b {
            CommandBody::Receive(c) => n(&mut c.qty),
            CommandBody::ExpectReceipt(c) => n(&mut c.qty),
            CommandBody::Sell(c) => n(&mut c.qty),
            CommandBody::ReturnSale(c) => n(&mut c.qty),
            CommandBody::Adjust(c) => n(&mut c.qty),
            CommandBody::Move(c) => n(&mut c.qty),
            CommandBody::Scrap(c) => n(&mut c.qty),
            CommandBody::Reserve(c) => n(&mut c.qty),
            CommandBody::Amend(c) => n(&mut c.qty),
            CommandBody::Promise(c) => n(&mut c.qty),
            CommandBody::Commit(c) => {
                c.qty = c.qty.map(|v| v.normalize());
                for p in c.buckets.iter_mut().flatten() {
                    p.qty = p.qty.normalize();
                }
            }
            _ => {}
        }
        std::borrow::Cow::Owned(b)
    }
}

/// A quantity as a host gives it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QtyIn {
    /// The amount, in `unit`.
    pub qty: Decimal,
    /// An alternative unit of the item; the base unit when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// How to round a conversion that is not exact; refused when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<Rounding>,
}

impl QtyIn {
    /// A quantity in the base unit.
    pub fn base(qty: Decimal) -> QtyIn {
        QtyIn { qty, unit: None, rounding: None }
    }
}

/// An alternative unit of an item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitSpec {
    /// The unit's code (`case`, `g`).
    pub unit: String,
    /// Base units per one of this unit, as `"12"` or `"1/1000"`.
    pub factor: UnitFactor,
}

/// An item definition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemSpec {
    /// SKU.
    pub item: String,
    /// Base unit code.
    #[serde(default = "default_base_unit")]
    pub base_unit: String,
    /// Decimal places of the base unit (0–9).
    #[serde(default)]
    pub scale: u8,
    /// Alternative units.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<UnitSpec>,
    /// Lot or serial tracking.
    #[serde(default)]
    pub tracking: Tracking,
    /// Days from receipt to expiry when a receipt names none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shelf_life_days: Option<u32>,
    /// Minimum remaining shelf life for stock to count as sellable.
    #[serde(default)]
    pub min_remaining_shelf_life_days: u32,
    /// An archived item takes no new stock or demand.
    #[serde(default)]
    pub archived: bool,
}

fn default_base_unit() -> String {
    "each".into()
}

impl ItemSpec {
    /// An item with the defaults a JSON definition gets for absent fields:
    /// base unit `each`, scale 0, no other units, untracked, no shelf life.
    pub fn new(item: impl Into<String>) -> ItemSpec {
        ItemSpec {
            item: item.into(),
            base_unit: default_base_unit(),
            scale: 0,
            units: Vec::new(),
            tracking: Tracking::None,
            shelf_life_days: None,
            min_remaining_shelf_life_days: 0,
            archived: false,
        }
    }
}

/// A location definition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationSpec {
    /// Location code (often a path, `WH1/A/01`).
    pub location: String,
    /// Parent location; a root when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// What the location is.
    pub kind: LocationKind,
    /// Whether stock here can be sold; defaulted from the kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sellable: Option<bool>,
    /// Picking order: lower first.
    #[serde(default)]
    pub walk_seq: u32,
    /// For sites: minutes east of UTC that define its day boundaries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_offset_minutes: Option<i32>,
    /// For sites: days from arrival to sellable (receiving and inspection).
    #[serde(default)]
    pub inbound_days: u32,
}

/// Fact: goods arrived.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Receive {
    /// Item.
    pub item: String,
    /// Internal location receiving it.
    pub location: String,
    /// Quantity.
    #[serde(flatten)]
    pub qty: QtyIn,
    /// Lot code (required for lot-tracked items).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
    /// Lot expiry date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry: Option<Date>,
    /// The scheduled receipt this fulfils.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<String>,
    /// Free reference (delivery note).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// A scheduled receipt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExpectReceipt {
    /// Client-chosen id.
    pub receipt: String,
    /// Item.
    pub item: String,
    /// Destination location.
    pub location: String,
    /// Quantity.
    #[serde(flatten)]
    pub qty: QtyIn,
    /// Expected arrival date.
    pub expected: Date,
}

/// A fact about stock in one bucket: a till's sale (`sell`), a signed
/// correction (`adjust`, never zero) or destroyed stock (`scrap`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StockFact {
    /// Item.
    pub item: String,
    /// The internal location (the selling location for a sale).
    pub location: String,
    /// Quantity.
    #[serde(flatten)]
    pub qty: QtyIn,
    /// Lot, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
    /// Free reference (receipt number, reason).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// Fact: a sale at a till.
pub type Sell = StockFact;
/// Fact: a customer's return at a till (`reference`: the sale's receipt).
pub type ReturnSale = StockFact;
/// Fact: a signed correction.
pub type Adjust = StockFact;
/// Fact: stock destroyed.
pub type Scrap = StockFact;

/// Request: move stock between internal locations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MoveStock {
    /// Item.
    pub item: String,
    /// From.
    pub from: String,
    /// To.
    pub to: String,
    /// Quantity.
    #[serde(flatten)]
    pub qty: QtyIn,
    /// Lot (required for lot-tracked items).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
    /// A reservation whose allocation moves with the stock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation: Option<String>,
}

/// Which buckets a reservation draws from first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// First expiry first; lots without expiry last.
    #[default]
    Fefo,
    /// Oldest received first.
    Fifo,
    /// Newest received first.
    Lifo,
    /// Lowest walk sequence first.
    LocationPriority,
    /// One location that can fill it all, else location priority.
    SingleLocationFirst,
}

/// Whether a reservation may be filled in part.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fill {
    /// All or refuse.
    #[default]
    All,
    /// What is there now; the rest becomes dated demand.
    Partial,
}

/// Where a query or reservation looks.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Every internal location.
    All,
    /// A location and everything below it.
    Subtree(String),
    /// Several subtrees.
    List(Vec<String>),
}

impl Serialize for Scope {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Scope::All => s.serialize_str("*"),
            Scope::Subtree(c) => s.serialize_str(c),
            Scope::List(v) => v.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Scope {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            One(String),
            Many(Vec<String>),
        }
        Ok(match Raw::deserialize(d)? {
            Raw::One(s) if s == "*" => Scope::All,
            Raw::One(s) => Scope::Subtree(s),
            Raw::Many(v) => Scope::List(v),
        })
    }
}

/// Request: hold stock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reserve {
    /// Client-chosen id, unique across the engine.
    pub reservation: String,
    /// Item.
    pub item: String,
    /// Quantity.
    #[serde(flatten)]
    pub qty: QtyIn,
    /// Where to take it from.
    pub scope: Scope,
    /// Sales channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Time to live; never expires when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_ms: Option<i64>,
    /// Removal strategy.
    #[serde(default)]
    pub strategy: Strategy,
    /// Minimum remaining shelf life, beyond the item's.
    #[serde(default)]
    pub min_shelf_life_days: u32,
    /// All or partial.
    #[serde(default)]
    pub fill: Fill,
    /// Need date of any unfilled remainder (partial fills); today when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need_date: Option<Date>,
    /// Demand priority: lower is served first.
    #[serde(default)]
    pub priority: i32,
}

/// What happens to a reservation's remainder after a commit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Remainder {
    /// Release what is left (the reservation is finished).
    #[default]
    Release,
    /// Keep it for a later shipment.
    Keep,
}

/// A bucket named by a picker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BucketPick {
    /// Location.
    pub location: String,
    /// Lot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
    /// Quantity in the commit's unit.
    pub qty: Decimal,
}

/// Turn a reservation into moves.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Commit {
    /// The reservation.
    pub reservation: String,
    /// Quantity; all that is allocated when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qty: Option<Decimal>,
    /// Unit of `qty` and of the buckets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The buckets actually picked (substitutes allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buckets: Option<Vec<BucketPick>>,
    /// Where the stock goes; the customer when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    /// Release or keep the rest.
    #[serde(default)]
    pub remainder: Remainder,
    /// Reference on the moves (a sales order, a delivery note); the
    /// reservation id when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// Change a reservation's quantity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Amend {
    /// The reservation.
    pub reservation: String,
    /// New total quantity.
    #[serde(flatten)]
    pub qty: QtyIn,
}

/// Dated demand.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Promise {
    /// Client-chosen id (shares the reservation namespace).
    pub reservation: String,
    /// Item.
    pub item: String,
    /// Quantity.
    #[serde(flatten)]
    pub qty: QtyIn,
    /// When it is needed.
    pub need_date: Date,
    /// Where it will be served from.
    pub scope: Scope,
    /// Sales channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Lower is served first.
    #[serde(default)]
    pub priority: i32,
}

/// How a batch treats a failing command.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchMode {
    /// Each command stands alone.
    #[default]
    Independent,
    /// All or nothing, one envelope.
    Atomic,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_spec_new_has_the_json_defaults() {
        let from_json: ItemSpec = serde_json::from_str(r#"{"item":"A"}"#).expect("decodes");
        assert_eq!(ItemSpec::new("A"), from_json);
    }

    fn decode_error(json: &str) -> String {
        serde_json::from_str::<CommandBody>(json).expect_err("refused").to_string()
    }

    #[test]
    fn an_unknown_type_is_named_in_the_error() {
        assert_eq!(decode_error(r#"{"type":"sel","item":"A"}"#), "unknown command type `sel`");
    }

    #[test]
    fn a_planning_command_decodes_only_where_the_feature_is_built() {
        let e = decode_error(r#"{"type":"derive_policy"}"#);
        if cfg!(feature = "planning") {
            assert!(e.starts_with("missing field"), "{e}");
        } else {
            assert!(e.contains("feature `planning`"), "{e}");
        }
    }
}
