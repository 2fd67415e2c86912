//! What a query's answer is made into. Every query computes a typed
//! result; the caller's [`Answer`] turns its serde form into what the
//! caller reads: a JSON value for the JSON doors ([`JsonAnswer`], what
//! [`crate::Engine::query`] gives), or anything a door builds straight
//! from the serde calls (ims-py writes table columns without a JSON value
//! in between).

use serde::Serialize;

use crate::error::Error;

/// Makes a query's answer from its typed result.
pub trait Answer {
    /// The answer made.
    type Out;
    /// Makes the answer of `v`. Query results hold strings, integers,
    /// decimals, dates, lists and maps with string keys; a form the
    /// answer cannot hold is `INVALID_COMMAND`.
    fn answer<T: Serialize + ?Sized>(self, v: &T) -> Result<Self::Out, Error>;
}

/// The answer as a [`serde_json::Value`].
#[derive(Clone, Copy, Debug, Default)]
pub struct JsonAnswer;

impl Answer for JsonAnswer {
    type Out = serde_json::Value;
    fn answer<T: Serialize + ?Sized>(self, v: &T) -> Result<serde_json::Value, Error> {
        serde_json::to_value(v).map_err(|e| Error::InvalidCommand { reason: e.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn a_form_json_cannot_hold_is_invalid_command() {
        let keyed_by_pairs = BTreeMap::from([((1u8, 2u8), "x")]);
        let err = JsonAnswer.answer(&keyed_by_pairs).err().map(|e| e.name());
        assert_eq!(err, Some("INVALID_COMMAND"));
        assert_eq!(JsonAnswer.answer(&BTreeMap::from([("a", 1)])).ok(), Some(serde_json::json!({"a": 1})));
    }
}
