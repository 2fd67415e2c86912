//! Executes commands and keeps the tallies the summary prints.

use std::collections::BTreeMap;

use ims_core::edge::{Replica, SyncOptions, SyncReport, Verdict};
use ims_core::event::{AllocReason, Finish};
use ims_core::{BatchMode, Command, Engine, Error, Event, Outcome};

/// What the day did, counted from results and events.
#[derive(Default)]
pub struct Stats {
    /// Per command family: [accepted, refused].
    pub families: BTreeMap<&'static str, [u64; 2]>,
    /// Refusals by catalogue name (an atomic batch names its cause).
    pub errors: BTreeMap<String, u64>,
    pub commands: u64,
    pub events: u64,
    pub expired: u64,
    pub negative: u64,
    pub supplied: u64,
    pub retries: u64,
    /// Time spent inside the engine's `execute` calls.
    pub busy: std::time::Duration,
}

pub struct Runner {
    pub eng: Engine,
    pub st: Stats,
    /// With `--data-dir`, a journal that already holds part of the day: the
    /// day is replayed in memory up to where the journal ends (it is
    /// deterministic), then the journal's engine takes over.
    pub resume: Option<Engine>,
}

fn error_name(e: &Error) -> String {
    match e {
        Error::BatchRefused { source, .. } => format!("{} ({})", e.name(), source.name()),
        _ => e.name().to_string(),
    }
}

impl Runner {
    /// A runner on `eng`; with `resume`, on a memory engine until the day
    /// reaches the resumed engine's seq.
    pub fn new(eng: Engine, resume: Option<Engine>) -> Runner {
        Runner { eng, st: Stats::default(), resume }
    }

    /// Hands over to the resumed engine once the replayed day has reached
    /// it: the envelopes past its end are applied (and so journaled), and the
    /// two must agree on the journal digest — else the directory holds
    /// another day.
    fn catch_up(&mut self) {
        let Some(durable) = &mut self.resume else { return };
        if self.eng.seq() < durable.seq() {
            return;
        }
        let rest = self.eng.storage().read_from(durable.seq() + 1).expect("the memory journal reads back");
        durable.apply_all(&rest).expect("the day's envelopes apply to its journal");
        assert_eq!(durable.journal_digest(), self.eng.journal_digest(), "the data directory holds another day");
        std::mem::swap(&mut self.eng, durable);
        self.resume = None;
    }

    fn count(&mut self, cmd: &Command, err: Option<&Error>) {
        self.st.commands += 1;
        self.st.families.entry(cmd.body.type_name()).or_default()[err.is_some() as usize] += 1;
        if let Some(e) = err {
            *self.st.errors.entry(error_name(e)).or_default() += 1;
        }
    }

    fn note(&mut self, o: &Outcome) {
        self.st.retries += o.exists as u64;
        self.note_events(o.events());
    }

    fn note_events(&mut self, events: &[Event]) {
        for ev in events {
            self.st.events += 1;
            match ev {
                Event::ReservationFinished { finish: Finish::Expired, .. } => self.st.expired += 1,
                Event::NegativeStock { .. } => self.st.negative += 1,
                Event::Allocated { reason: AllocReason::Supply, .. } => self.st.supplied += 1,
                _ => {}
            }
        }
    }

    /// Executes one command; `None` when it was refused.
    pub fn exec(&mut self, cmd: &Command) -> Option<Outcome> {
        let t = std::time::Instant::now();
        let r = self.eng.execute(cmd);
        self.st.busy += t.elapsed();
        self.catch_up();
        self.count(cmd, r.as_ref().err());
        let o = r.ok()?;
        self.note(&o);
        Some(o)
    }

    /// All or nothing; on refusal, the index of the failing command.
    pub fn atomic(&mut self, cmds: &[Command]) -> Result<(), usize> {
        let t = std::time::Instant::now();
        let r = self.eng.execute_batch(cmds, BatchMode::Atomic);
        self.st.busy += t.elapsed();
        self.catch_up();
        match r {
            Ok(outs) => {
                cmds.iter().for_each(|c| self.count(c, None));
                outs.iter().flatten().for_each(|o| self.note(o));
                Ok(())
            }
            Err(e) => {
                let at = match &e {
                    Error::BatchRefused { index, .. } => *index as usize,
                    _ => 0,
                };
                for c in cmds {
                    self.st.commands += 1;
                    self.st.families.entry(c.body.type_name()).or_default()[1] += 1;
                }
                *self.st.errors.entry(error_name(&e)).or_default() += 1;
                Err(at)
            }
        }
    }

    /// Each command on its own, one envelope each.
    pub fn independent(&mut self, cmds: &[Command]) -> Vec<bool> {
        let mut outs = Vec::with_capacity(cmds.len());
        for chunk in cmds.chunks(10_000) {
            let t = std::time::Instant::now();
            let r = self.eng.execute_batch(chunk, BatchMode::Independent);
            self.st.busy += t.elapsed();
            self.catch_up();
            match r {
                Ok(v) => outs.extend(v),
                Err(e) => panic!("batch refused as a whole: {e}"),
            }
        }
        cmds.iter()
            .zip(outs)
            .map(|(c, r)| {
                self.count(c, r.as_ref().err());
                r.map(|o| self.note(&o)).is_ok()
            })
            .collect()
    }

    /// One sync round trip of a replica with this engine as its authority;
    /// its queued commands count as commands, their events as events.
    pub fn sync(&mut self, replica: &mut Replica) -> SyncReport {
        let req = replica.sync_request();
        let t = std::time::Instant::now();
        let resp = self.eng.sync(&req, &SyncOptions::default()).expect("a well-formed sync");
        self.st.busy += t.elapsed();
        self.catch_up();
        for (cmd, res) in req.commands.iter().zip(&resp.results) {
            self.st.commands += 1;
            let refused = matches!(res.verdict, Verdict::Refused { .. });
            self.st.families.entry(cmd.body.type_name()).or_default()[refused as usize] += 1;
            if let Verdict::Refused { error, .. } = &res.verdict {
                *self.st.errors.entry(error.clone()).or_default() += 1;
            }
        }
        let keys: std::collections::HashSet<&str> =
            req.commands.iter().filter_map(|c| c.client_key.as_deref()).collect();
        for env in &resp.tail {
            if env.client_key.as_deref().is_some_and(|k| keys.contains(k)) {
                self.note_events(&env.events);
            }
        }
        replica.receive(&resp).expect("the authority's own answer")
    }
}
