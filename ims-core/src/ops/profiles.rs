//! Item profiles: what operations need to know about an item beyond its
//! stock rules — a category (putaway rules, analytics), and its physical
//! size per base unit (bin capacity, package weight, carrier rating).
//! Kept beside the item rather than in it, so an engine that never uses the
//! operations flows encodes items exactly as before.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::event::Event;
use crate::ids::Code;
use crate::ops::{DocMap, OpsEvent};
use crate::state::State;
use crate::time::Millis;

/// The profile of one item. Sizes are per base unit; absent means unknown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemProfile {
    /// Category code (putaway rules, reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Code>,
    /// Weight in kilograms per base unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_kg: Option<Decimal>,
    /// Volume in litres per base unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_l: Option<Decimal>,
}

/// The flow's documents.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Docs {
    /// Profiles by item code.
    #[serde(default, skip_serializing_if = "DocMap::is_empty")]
    pub items: DocMap<ItemProfile>,
}

impl Docs {
    /// No documents.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Set an item's profile (replaces the previous one whole).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetItemProfile {
    /// The item.
    pub item: String,
    /// Category code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Kilograms per base unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_kg: Option<Decimal>,
    /// Litres per base unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_l: Option<Decimal>,
}

/// The flow's commands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Cmd {
    /// Set an item's profile.
    SetItemProfile(SetItemProfile),
}

/// JSON `type` names of [`Cmd`].
pub const CMD_TYPES: &[&str] = &["set_item_profile"];

/// The flow's events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Ev {
    /// An item's profile was set.
    ItemProfileSet {
        /// The item.
        item: Code,
        /// The new profile.
        profile: ItemProfile,
    },
}

/// JSON `type` names of [`Ev`].
pub const EVENT_TYPES: &[&str] = &["item_profile_set"];

/// A size must be zero or positive, and is kept normalised (`1.50` = `1.5`)
/// so equal profiles encode alike.
fn size(field: &'static str, v: Option<Decimal>) -> Result<Option<Decimal>, Error> {
    match v {
        Some(d) if d.is_sign_negative() => Err(Error::InvalidQuantity { field, qty: d }),
        v => Ok(v.map(|d| d.normalize())),
    }
}

pub(crate) fn run(st: &mut State, cmd: &Cmd, _at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    match cmd {
        Cmd::SetItemProfile(c) => {
            let weight_kg = size("weight_kg", c.weight_kg)?;
            let volume_l = size("volume_l", c.volume_l)?;
            if let Some(cat) = &c.category {
                State::check_code("category", cat)?;
            }
            let item = st.find_item(&c.item)?;
            let profile = ItemProfile { category: c.category.as_deref().map(Into::into), weight_kg, volume_l };
            let item = st.cat.item(item).code.clone();
            st.emit(out, Event::Ops(OpsEvent::Profiles(Ev::ItemProfileSet { item, profile })))
        }
    }
}

pub(crate) fn apply(st: &mut State, ev: &Ev) -> Result<(), Error> {
    match ev {
        Ev::ItemProfileSet { item, profile } => {
            st.item_of(item)?;
            st.put_doc(|o| &mut o.profiles.items, item.clone(), profile.clone());
        }
    }
    Ok(())
}

pub(crate) fn verify(st: &State, errs: &mut Vec<String>) {
    for (code, _) in st.ops.profiles.items.iter() {
        if st.cat.item_id(code).is_none() {
            errs.push(format!("profile of unknown item {code}"));
        }
    }
}

/// The flow's read-only questions (JSON `kind`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Qry {
    /// An item's profile (`null` when none was set).
    ItemProfile {
        /// The item.
        item: String,
    },
}

/// JSON `kind` names of [`Qry`].
pub const QUERY_KINDS: &[&str] = &["item_profile"];

pub(crate) fn query<A: crate::Answer>(st: &State, q: &Qry, a: A) -> Result<A::Out, Error> {
    match q {
        Qry::ItemProfile { item } => {
            st.find_item(item)?;
            a.answer(&st.ops.profiles.items.get(item))
        }
    }
}

impl crate::engine::Engine {
    /// An item's operations profile, if one was set.
    pub fn item_profile(&self, item: &str) -> Option<&ItemProfile> {
        self.st.ops.profiles.items.get(item)
    }
}

#[cfg(test)]
mod tests {
    use crate::Engine;

    #[test]
    fn a_profile_is_set_replaced_and_rolled_back_with_a_failed_batch() {
        let mut e = Engine::new();
        e.execute_json(r#"{"type":"define_item","item":"A"}"#).unwrap();
        e.execute_json(r#"{"type":"set_item_profile","item":"A","category":"dry","weight_kg":"1.50"}"#).unwrap();
        let p = e.item_profile("A").unwrap();
        assert_eq!(p.weight_kg.unwrap().to_string(), "1.5");
        assert_eq!(p.category.as_deref(), Some("dry"));
        let err = e.execute_json(r#"{"type":"set_item_profile","item":"A","weight_kg":"-1"}"#).unwrap_err();
        assert_eq!(err.name(), "INVALID_QUANTITY");
        let err = e.execute_json(r#"{"type":"set_item_profile","item":"NOPE"}"#).unwrap_err();
        assert_eq!(err.name(), "UNKNOWN_ITEM");
        let before = e.snapshot();
        let cmds: Vec<crate::Command> = [
            r#"{"type":"set_item_profile","item":"A","volume_l":"2"}"#,
            r#"{"type":"set_item_profile","item":"NOPE"}"#,
        ]
        .iter()
        .map(|j| serde_json::from_str(j).unwrap())
        .collect();
        assert!(e.execute_batch(&cmds, crate::BatchMode::Atomic).is_err());
        assert!(e.snapshot() == before, "the first profile change was rolled back");
        let back = Engine::restore(&e.snapshot()).unwrap();
        assert_eq!(back.item_profile("A"), e.item_profile("A"));
        e.verify().unwrap();
    }
}
