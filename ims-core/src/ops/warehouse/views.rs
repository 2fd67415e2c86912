//! The flow's queries: JSON answers (decimals at the edge) and the typed
//! `Engine` API they are built from.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::command::QtyIn;
use crate::error::Error;
use crate::ids::{Code, ItemId};
use crate::state::State;
use crate::time::{Date, Millis};

use super::bins::{self, BinProfile, SkipReason};
use super::count::{CountState, CountTask};
use super::transfer::{Transfer, TransferState};

/// The flow's read-only questions (JSON `kind`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Qry {
    /// A bin's profile and what it holds (`null` without a profile).
    Bin {
        /// The bin.
        location: String,
    },
    /// Where to put stock away.
    SuggestPutaway {
        /// Item.
        item: String,
        /// Lot.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lot: Option<String>,
        /// Quantity, base unit.
        qty: Decimal,
        /// Where the stock is.
        from: String,
    },
    /// A count task (`null` when unknown).
    CountTask {
        /// Task code.
        task: String,
    },
    /// A transfer (`null` when unknown).
    Transfer {
        /// Transfer code.
        transfer: String,
    },
}

/// JSON `kind` names of [`Qry`].
pub const QUERY_KINDS: &[&str] = &["bin", "suggest_putaway", "count_task", "transfer"];

/// One bin of a suggestion, in base units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OfferView {
    /// The bin.
    pub location: Code,
    /// What it can take now (at most the quantity asked).
    pub capacity: Decimal,
    /// What a putaway of the whole quantity places here.
    pub take: Decimal,
}

/// A bin passed over.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SkipView {
    /// The bin.
    pub location: Code,
    /// Why.
    #[serde(flatten)]
    pub reason: SkipReason,
}

/// A putaway suggestion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SuggestionView {
    /// Bins in the order to fill them.
    pub bins: Vec<OfferView>,
    /// Bins passed over, with why.
    pub skipped: Vec<SkipView>,
    /// What no suggested bin can take.
    pub unplaced: Decimal,
}

/// A bin and its contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BinView {
    /// The bin.
    pub location: Code,
    /// Its profile.
    #[serde(flatten)]
    pub profile: BinProfile,
    /// (item, lot, on hand) held now, by item then lot code.
    pub contents: Vec<(Code, Option<Code>, Decimal)>,
}

/// A count line in base units; the expected and book quantities are
/// hidden (`null`) while a blind task waits for its count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CountLineView {
    /// Item.
    pub item: Code,
    /// Location.
    pub location: Code,
    /// Lot.
    pub lot: Option<Code>,
    /// Expected at issue.
    pub expected: Option<Decimal>,
    /// Counted.
    pub counted: Option<Decimal>,
    /// Book quantity at entry.
    pub book: Option<Decimal>,
    /// counted − book.
    pub variance: Option<Decimal>,
}

/// A count task in base units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CountView {
    /// Task code.
    pub task: Code,
    /// State.
    pub state: CountState,
    /// Location subtree.
    pub location: Option<Code>,
    /// Item.
    pub item: Option<Code>,
    /// Blind.
    pub blind: bool,
    /// Tolerance in percent.
    pub tolerance_pct: Option<Decimal>,
    /// Tolerance in base units.
    pub tolerance_units: Option<Decimal>,
    /// When issued.
    pub issued_at: Millis,
    /// The last move id at issue.
    pub issue_move: u64,
    /// Snapshot lines, then lines counted outside it.
    pub lines: Vec<CountLineView>,
}

/// A transfer line in base units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TransferLineView {
    /// Line number.
    pub line: u32,
    /// Item.
    pub item: Code,
    /// Lot.
    pub lot: Option<Code>,
    /// Quantity.
    pub qty: Decimal,
    /// Received.
    pub received: Decimal,
    /// Still in transit (after shipping) or to ship.
    pub open: Decimal,
    /// Its scheduled receipt at the destination.
    pub receipt: String,
}

/// A transfer in base units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TransferView {
    /// Transfer code.
    pub transfer: Code,
    /// State.
    pub state: TransferState,
    /// Source.
    pub from: Code,
    /// Destination.
    pub to: Code,
    /// Transit location.
    pub transit: Code,
    /// Expected arrival.
    pub expected_arrival: Date,
    /// Lines.
    pub lines: Vec<TransferLineView>,
}

fn dec(st: &State, item: &str, q: i64) -> Decimal {
    match st.cat.item_id(item) {
        Some(i) => st.dec(i, q as i128),
        None => Decimal::from(q),
    }
}

fn bin_view(st: &State, location: &str) -> Result<Option<BinView>, Error> {
    let loc = st.find_loc(location)?;
    let code = st.cat.loc(loc).code.clone();
    let Some(profile) = st.ops.warehouse.bins.get(&code) else { return Ok(None) };
    let mut contents = Vec::new();
    for item in st.bin_items.at(loc) {
        for b in st.stock[item.ix()].buckets.iter().filter(|b| b.loc == loc && b.on_hand != 0) {
            contents.push((st.cat.item(item).code.clone(), st.cat.lot_code(b.lot), st.dec(item, b.on_hand as i128)));
        }
    }
    contents.sort();
    Ok(Some(BinView { location: code, profile: profile.clone(), contents }))
}

fn suggestion(st: &State, item: &str, lot: Option<&str>, qty: Decimal, from: &str) -> Result<SuggestionView, Error> {
    State::check_sign("qty", qty, crate::exec::Sign::Positive)?;
    let it: ItemId = st.find_item(item)?;
    let f = st.find_loc(from)?;
    let q = st.to_minor(it, &QtyIn::base(qty))?;
    let lot = super::putaway::existing_lot(st, it, lot)?;
    let s = bins::suggest(st, it, lot, q, f);
    Ok(SuggestionView {
        bins: s
            .bins
            .into_iter()
            .map(|o| OfferView {
                location: o.location,
                capacity: st.dec(it, o.capacity as i128),
                take: st.dec(it, o.take as i128),
            })
            .collect(),
        skipped: s.skipped.into_iter().map(|(location, reason)| SkipView { location, reason }).collect(),
        unplaced: st.dec(it, s.unplaced as i128),
    })
}

fn count_view(st: &State, code: &str) -> Option<CountView> {
    let (code, t): (Code, &CountTask) = (st.ops.warehouse.counts.code(code)?, st.ops.warehouse.counts.get(code)?);
    let hidden = t.blind && matches!(t.state, CountState::Issued | CountState::Rejected);
    let mut lines: Vec<CountLineView> = t
        .expected
        .iter()
        .map(|e| CountLineView {
            item: e.item.clone(),
            location: e.location.clone(),
            lot: e.lot.clone(),
            expected: (!hidden).then(|| dec(st, &e.item, e.expected)),
            counted: None,
            book: None,
            variance: None,
        })
        .collect();
    if !hidden {
        for c in &t.counted {
            let key = (&c.item, &c.location, &c.lot);
            let row = match lines.iter_mut().find(|l| (&l.item, &l.location, &l.lot) == key) {
                Some(r) => r,
                None => {
                    lines.push(CountLineView {
                        item: c.item.clone(),
                        location: c.location.clone(),
                        lot: c.lot.clone(),
                        expected: Some(Decimal::ZERO),
                        counted: None,
                        book: None,
                        variance: None,
                    });
                    let n = lines.len() - 1;
                    &mut lines[n]
                }
            };
            row.counted = Some(dec(st, &c.item, c.counted));
            row.book = Some(dec(st, &c.item, c.book));
            row.variance = Some(dec(st, &c.item, c.variance));
        }
    }
    Some(CountView {
        task: code,
        state: t.state,
        location: t.location.clone(),
        item: t.item.clone(),
        blind: t.blind,
        tolerance_pct: t.tolerance_pct,
        tolerance_units: t.tolerance_units,
        issued_at: t.issued_at,
        issue_move: t.issue_move,
        lines,
    })
}

fn transfer_view(st: &State, code: &str) -> Option<TransferView> {
    let (code, t): (Code, &Transfer) = (st.ops.warehouse.transfers.code(code)?, st.ops.warehouse.transfers.get(code)?);
    let lines = t
        .lines
        .iter()
        .map(|l| TransferLineView {
            line: l.line,
            item: l.item.clone(),
            lot: l.lot.clone(),
            qty: dec(st, &l.item, l.qty),
            received: dec(st, &l.item, l.received),
            open: dec(st, &l.item, l.qty - l.received),
            receipt: super::transfer::receipt_id(&code, l.line),
        })
        .collect();
    Some(TransferView {
        transfer: code,
        state: t.state,
        from: t.from.clone(),
        to: t.to.clone(),
        transit: t.transit.clone(),
        expected_arrival: t.expected_arrival,
        lines,
    })
}

/// Answers a query in JSON form.
pub fn query<A: crate::Answer>(st: &State, q: &Qry, a: A) -> Result<A::Out, Error> {
    match q {
        Qry::Bin { location } => a.answer(&bin_view(st, location)?),
        Qry::SuggestPutaway { item, lot, qty, from } => a.answer(&suggestion(st, item, lot.as_deref(), *qty, from)?),
        Qry::CountTask { task } => {
            State::check_code("task", task)?;
            a.answer(&count_view(st, task))
        }
        Qry::Transfer { transfer } => {
            State::check_code("transfer", transfer)?;
            a.answer(&transfer_view(st, transfer))
        }
    }
}

impl crate::engine::Engine {
    /// Where to put `qty` (base unit) of `item` / `lot` that sits at `from`:
    /// bins in fill order with what each can take, and the bins skipped.
    pub fn suggest_putaway(
        &self,
        item: &str,
        lot: Option<&str>,
        qty: Decimal,
        from: &str,
    ) -> Result<SuggestionView, Error> {
        suggestion(&self.st, item, lot, qty, from)
    }
    /// A bin's profile and contents (`None` without a profile).
    pub fn bin(&self, location: &str) -> Result<Option<BinView>, Error> {
        bin_view(&self.st, location)
    }
    /// A count task (expected quantities hidden while a blind task waits).
    pub fn count_task(&self, task: &str) -> Option<CountView> {
        count_view(&self.st, task)
    }
    /// A transfer.
    pub fn transfer(&self, transfer: &str) -> Option<TransferView> {
        transfer_view(&self.st, transfer)
    }
}
