//! The location scope of the demand flow's questions: every internal
//! location, one location alone, or a location's subtree.

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::ids::LocId;
use crate::state::State;

/// Which locations a demand or valuation question covers. JSON: `"*"` for
/// all, `"DC"` for a subtree (as the core's scopes), `{"location": "DC/A1"}`
/// for one location alone.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ScopeFilter {
    /// Every internal location.
    All,
    /// One location, without its children.
    Location(String),
    /// A location and everything below it.
    Subtree(String),
}

impl Serialize for ScopeFilter {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            ScopeFilter::All => s.serialize_str("*"),
            ScopeFilter::Subtree(c) => s.serialize_str(c),
            ScopeFilter::Location(c) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("location", c)?;
                m.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for ScopeFilter {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct One {
            location: String,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            One(One),
        }
        Ok(match Raw::deserialize(d)? {
            Raw::Text(s) if s == "*" => ScopeFilter::All,
            Raw::Text(s) => ScopeFilter::Subtree(s),
            Raw::One(o) => ScopeFilter::Location(o.location),
        })
    }
}

/// The default scope of a question: every internal location.
pub(crate) fn all() -> ScopeFilter {
    ScopeFilter::All
}

/// A resolved scope: one flag per location id, set for the internal
/// locations it covers (virtual locations never enter a sum).
#[derive(Clone, Debug)]
pub(crate) struct ScopeSet {
    mask: Vec<bool>,
}

impl ScopeSet {
    /// Whether the scope covers `loc`.
    #[inline]
    pub(crate) fn has(&self, loc: LocId) -> bool {
        self.mask.get(loc.ix()).copied().unwrap_or(false)
    }
    /// Whether the scope covers every internal location (its sums are
    /// then the items' demand days, see `crate::demand_days`).
    pub(crate) fn covers_internal(&self, st: &State) -> bool {
        st.cat.locs.iter().zip(&self.mask).all(|(l, m)| *m || !l.is_internal())
    }
}

impl ScopeFilter {
    /// Resolves the scope against the location tree. A named location must
    /// exist; one named alone must hold stock (be internal).
    pub(crate) fn resolve(&self, st: &State) -> Result<ScopeSet, Error> {
        let n = st.cat.locs.len();
        let mut mask = vec![false; n];
        match self {
            ScopeFilter::All => {
                for (i, l) in st.cat.locs.iter().enumerate() {
                    mask[i] = l.is_internal();
                }
            }
            ScopeFilter::Location(code) => {
                let id = st.find_internal(code)?;
                mask[id.ix()] = true;
            }
            ScopeFilter::Subtree(code) => {
                let root = st.find_loc(code)?;
                for &id in st.cat.subtree(root) {
                    mask[id.ix()] = st.cat.loc(id).is_internal();
                }
            }
        }
        Ok(ScopeSet { mask })
    }
}

#[cfg(test)]
mod tests {
    use super::ScopeFilter;

    #[test]
    fn the_three_json_forms_round_trip() {
        for (json, want) in [
            (r#""*""#, ScopeFilter::All),
            (r#""DC""#, ScopeFilter::Subtree("DC".into())),
            (r#"{"location":"DC/A1"}"#, ScopeFilter::Location("DC/A1".into())),
        ] {
            let got: ScopeFilter = serde_json::from_str(json).unwrap();
            assert_eq!(got, want);
            assert_eq!(serde_json::to_string(&got).unwrap(), json);
        }
        assert!(serde_json::from_str::<ScopeFilter>(r#"{"subtree":"DC"}"#).is_err());
    }
}
