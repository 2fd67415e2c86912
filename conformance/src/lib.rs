//! # ims-conformance
//!
//! Language-neutral conformance scenarios for **ims**: JSON files under
//! `conformance/scenarios/` give commands, batches and queries with the
//! exact results, events, change feeds and digests every door (Rust,
//! Python, JavaScript, C) must reproduce. The format is specified in
//! `conformance/README.md`.
//!
//! This crate is the Rust runner: [`run_scenario`] replays one file on a
//! fresh [`ims_core::Engine`] and reports the first difference as a readable diff. It
//! also checks what only the Rust door can see cheaply: `verify()` after
//! every step, a refused command leaves the snapshot byte-identical, the
//! journal replays to the same digests, and snapshot → restore → snapshot is
//! byte-identical. Scenarios may also start edge replicas and sync them
//! (see the README); after a sync that leaves a replica level, the runner
//! checks that its slice digest equals the authority's.
//!
//! The `freeze` binary fills in expectations from the engine for scenario
//! authors; the tests never freeze.
//!
//! ```
//! let json = r#"{
//!   "name": "doc", "description": "one item",
//!   "steps": [
//!     { "command": {"type": "define_item", "item": "A"},
//!       "expect": {"ok": true, "seq": 1} }
//!   ],
//!   "expect_final": {
//!     "journal_digest": "ignored-when-checking-steps-only",
//!     "state_digest": "ignored-when-checking-steps-only"
//!   }
//! }"#;
//! let err = ims_conformance::run_scenario(json).unwrap_err();
//! assert!(err.to_string().contains("journal_digest"));
//! ```

#![forbid(unsafe_code)]

pub mod codes;
mod diff;
mod door;
mod format;
mod observe;

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use door::{check_door_results, door_steps};
pub use format::to_canonical_json;
pub use observe::{observe, Observed};

/// One scenario file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short unique name (the file stem, by convention).
    pub name: String,
    /// What the scenario shows and why the expected values are right.
    pub description: String,
    /// The steps, run in order on one fresh engine.
    pub steps: Vec<Step>,
    /// Digests after the last step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_final: Option<FinalDigests>,
}

/// One step: exactly one of `command`, `batch` or `query`, and what it must give.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// A human note (ignored by runners).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// A command in its JSON form, passed to `execute_json` unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Value>,
    /// Several commands through `execute_batch`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<Batch>,
    /// A read-only query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<Value>,
    /// Edge mode: start a replica from the authority's snapshot
    /// (`{"name", "slice"?, "limits"?}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_replica: Option<Value>,
    /// Edge mode: one sync round trip of a replica
    /// (`{"replica", "max_tail"?, "lose"?: "response"}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync: Option<Value>,
    /// Run the `command` or `query` on this replica instead of the authority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replica: Option<String>,
    /// The expected outcome (see the README); absent only before freezing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Value>,
}

/// A batch of commands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Batch {
    /// `"atomic"` or `"independent"`.
    pub mode: String,
    /// The commands, each in its JSON form.
    pub commands: Vec<Value>,
}

/// The digests after the last step, lower-case hex.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinalDigests {
    /// `Engine::journal_digest()`.
    pub journal_digest: String,
    /// `Engine::state_digest()`.
    pub state_digest: String,
}

/// A scenario that passed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// The scenario's name.
    pub name: String,
    /// Steps run.
    pub steps: usize,
    /// Envelopes written to the journal.
    pub envelopes: usize,
    /// Final journal digest (hex).
    pub journal_digest: String,
    /// Final state digest (hex).
    pub state_digest: String,
    /// The error names the engine returned (see [`codes`]).
    pub codes: std::collections::BTreeSet<String>,
}

/// Why a scenario failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The scenario's name (or `?` when the file did not parse).
    pub scenario: String,
    /// Zero-based index of the failing step; `None` for the file or the end.
    pub step: Option<usize>,
    /// What went wrong, with a diff of expected against actual.
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.step {
            Some(i) => write!(f, "scenario {}: step {i}: {}", self.scenario, self.message),
            None => write!(f, "scenario {}: {}", self.scenario, self.message),
        }
    }
}

impl std::error::Error for Failure {}

impl Failure {
    pub(crate) fn new(scenario: &str, step: Option<usize>, message: impl Into<String>) -> Failure {
        Failure { scenario: scenario.to_owned(), step, message: message.into() }
    }
}

/// Parses a scenario file.
pub fn parse_scenario(json: &str) -> Result<Scenario, Failure> {
    serde_json::from_str(json).map_err(|e| Failure::new("?", None, format!("not a scenario file: {e}")))
}

/// Replays one scenario on a fresh engine and compares every step's outcome
/// and the final digests with the file's expectations. The first difference
/// is reported with a path-by-path diff and the actual value in full.
pub fn run_scenario(json: &str) -> Result<Report, Failure> {
    let sc = parse_scenario(json)?;
    let obs = observe(&sc)?;
    for (i, (step, actual)) in sc.steps.iter().zip(&obs.steps).enumerate() {
        let Some(expected) = &step.expect else {
            return Err(Failure::new(&sc.name, Some(i), "no \"expect\": run the freeze tool and check the values"));
        };
        let lines = diff::expectation(expected, actual);
        if !lines.is_empty() {
            let later = sc.steps[i + 1..]
                .iter()
                .zip(&obs.steps[i + 1..])
                .filter(|(s, a)| s.expect.as_ref().is_some_and(|e| !diff::expectation(e, a).is_empty()))
                .count();
            let mut msg = String::new();
            if let Some(n) = &step.note {
                msg.push_str(&format!("({n})\n"));
            }
            msg.push_str("expected and actual differ:\n");
            for l in &lines {
                msg.push_str("  ");
                msg.push_str(l);
                msg.push('\n');
            }
            msg.push_str("actual:\n");
            msg.push_str(&to_canonical_json(actual));
            if later > 0 {
                msg.push_str(&format!("\n({later} later step(s) differ too)"));
            }
            return Err(Failure::new(&sc.name, Some(i), msg));
        }
    }
    let Some(fin) = &sc.expect_final else {
        return Err(Failure::new(&sc.name, None, "no \"expect_final\": run the freeze tool"));
    };
    for (what, exp, act) in [
        ("journal_digest", &fin.journal_digest, &obs.journal_digest),
        ("state_digest", &fin.state_digest, &obs.state_digest),
    ] {
        if exp != act {
            return Err(Failure::new(&sc.name, None, format!("final {what}: expected {exp}, got {act}")));
        }
    }
    let mut returned = std::collections::BTreeSet::new();
    obs.steps.iter().for_each(|a| codes::returned(a, &mut returned));
    Ok(Report {
        name: sc.name,
        steps: sc.steps.len(),
        envelopes: obs.envelopes,
        journal_digest: obs.journal_digest,
        state_digest: obs.state_digest,
        codes: returned,
    })
}

/// Fills in expectations from the engine, for scenario authors. A missing
/// `expect` is filled in; one that agrees with the engine on every key it
/// gives is completed to the full outcome; one that disagrees is kept and
/// reported, unless `all` is set, which replaces it. `expect_final` likewise.
/// Returns the new scenario and the disagreements found.
pub fn freeze(sc: &Scenario, all: bool) -> Result<(Scenario, Vec<String>), Failure> {
    let obs = observe(sc)?;
    let mut out = sc.clone();
    let mut disagreements = Vec::new();
    for (i, (step, actual)) in out.steps.iter_mut().zip(obs.steps).enumerate() {
        let d = step.expect.as_ref().map(|e| diff::expectation(e, &actual)).unwrap_or_default();
        if !d.is_empty() {
            disagreements.push(format!("step {i}:\n  {}", d.join("\n  ")));
        }
        if d.is_empty() || all {
            step.expect = Some(actual);
        }
    }
    let fin = FinalDigests { journal_digest: obs.journal_digest, state_digest: obs.state_digest };
    match &out.expect_final {
        Some(old) if *old != fin => {
            disagreements.push(format!(
                "expect_final: file has {} / {}, engine gives {} / {}",
                old.journal_digest, old.state_digest, fin.journal_digest, fin.state_digest
            ));
            if all {
                out.expect_final = Some(fin);
            }
        }
        _ => out.expect_final = Some(fin),
    }
    Ok((out, disagreements))
}
