//! The main job: a retailer's day on the ims engine.
//!
//! `cargo run --release --example store_day` simulates one deterministic day
//! (seeded PRNG, time as an input): 6,000 SKUs, three distribution centres
//! with zones, bins and receiving docks, 24 stores selling at tills, web
//! carts reserving with a TTL, B2B orders shipping in parts, scheduled
//! receipts, promises by date, moves and a recalled lot — and the operations
//! around them (`ops.rs`): purchase orders through goods receipts and
//! inspection, putaway by rule, sales orders picked in waves, packed, rated
//! with two carriers and shipped, returns graded A/B/C, a transfer between
//! DCs, cycle counts, barcode scans at the tills, gift-box kits and a
//! ring-fenced web channel. It prints what
//! happened, explains availability for a few SKUs, checks the engine
//! (`verify`, replay from the binary journal, snapshot round trip) and ends
//! with the journal and state digests, which are the same on every run.

mod ops;
mod plan;
mod run;
mod sim;
mod world;

use std::fmt::Write as _;
use std::time::Instant;

use ims_core::{hex, AtpOptions, Date, Engine, Envelope, MemoryStorage, Millis, NullStorage, Scope};
use rust_decimal::Decimal;

use crate::run::Runner;
use crate::world::{Kind, World};

const SEED: u64 = 0x1A5_D0C5_2026_1127;

fn main() {
    let mut rng = ims_benches::Rng::new(SEED);
    let memory = || Engine::with_storage(Box::new(MemoryStorage::default()));
    let data_dir = data_dir_arg();
    let mut r = match &data_dir {
        None => Runner::new(memory(), None),
        Some(dir) => {
            // Durable: fsync at most every 100 ms (a power loss loses at most
            // that window; a crash of the process loses nothing written).
            let opts = ims_journal::Options {
                durability: ims_journal::Durability::Every(std::time::Duration::from_millis(100)),
                ..ims_journal::Options::default()
            };
            let (eng, rec) = ims_journal::open(dir, opts).unwrap_or_else(|e| {
                eprintln!("cannot open {}: {e}", dir.display());
                std::process::exit(2)
            });
            println!(
                "data dir {}: {} envelopes recovered ({} replayed from the journal, {} bytes of a torn record cut)",
                dir.display(),
                rec.seq,
                rec.replayed,
                rec.truncated_bytes
            );
            if eng.seq() == 0 {
                Runner::new(eng, None)
            } else {
                println!("          resuming: the day is replayed in memory up to seq {}, then runs on", eng.seq());
                Runner::new(memory(), Some(eng))
            }
        }
    };
    let start = Instant::now();
    let w = world::build(&mut r, &mut rng);
    ops::setup(&w, &mut r);
    let (setup_cmds, setup_s, setup_busy) = (r.st.commands, start.elapsed().as_secs_f64(), r.st.busy.as_secs_f64());
    let day_start = Instant::now();
    let mut sim = sim::Sim::new(&w, &mut r, rng);
    sim.run_until(w.at(14.0));
    let midday = explain_some(&w, sim.r, &sim.log);
    sim.run_until(Millis::MAX);
    let log = std::mem::take(&mut sim.log);
    let ops_log = std::mem::take(&mut sim.ops.log);
    let day_s = day_start.elapsed().as_secs_f64();
    let (day_cmds, day_busy) = (r.st.commands - setup_cmds, r.st.busy.as_secs_f64() - setup_busy);
    let evening = plan::evening(&w, &mut r);
    if let Some(d) = &r.resume {
        eprintln!("the data directory holds {} envelopes, more than this day makes: another day?", d.seq());
        std::process::exit(2);
    }

    let count = |k: Kind| w.skus.iter().filter(|s| s.kind == k).count();
    println!("ims store_day: one retail day, {} (seed {SEED:#x})", w.day0);
    let (n, fresh, weight, case) = (w.skus.len(), count(Kind::Fresh), count(Kind::Weight), count(Kind::Case));
    println!("catalog: {n} SKUs ({fresh} lot-tracked with expiry, {weight} sold by weight in kg/g at scale 3, {case} in cases of 12)");
    println!(
        "network: 3 DCs (site > warehouse > 3 zones > 24 bins, plus a receiving dock), {} stores at UTC+0/+1/+2",
        w.stores.len()
    );
    println!();
    let rate = |n: u64, s: f64| n as f64 / s.max(1e-9);
    println!(
        "set-up : {setup_cmds:>7} commands (catalog, opening stock) in {setup_s:.2} s: {:>7.0} commands/s",
        rate(setup_cmds, setup_s)
    );
    println!(
        "the day: {day_cmds:>7} commands in {day_s:.2} s with the simulator: {:>7.0} commands/s",
        rate(day_cmds, day_s)
    );
    println!("         inside the engine {day_busy:.2} s: {:>7.0} commands/s", rate(day_cmds, day_busy));
    println!("events : {:>7} in {} envelopes", r.st.events, r.eng.seq());
    println!();
    println!("{:<16} {:>9} {:>9}", "command family", "accepted", "refused");
    for (f, [ok, no]) in &r.st.families {
        println!("{f:<16} {ok:>9} {no:>9}");
    }
    println!();
    println!("refusals by error name:");
    for (name, n) in &r.st.errors {
        println!("  {name:<44} {n:>7}");
    }
    println!();
    let [placed, refused, out, emptied, abandoned, late] = log.carts;
    println!("web carts     : {placed} placed, {refused} refused, {out} checked out, {emptied} emptied, {abandoned} abandoned ({late} came back too late)");
    println!(
        "reservations  : {} expired as time advanced; {} idempotent retries answered from the client key",
        r.st.expired, r.st.retries
    );
    let [accepted, refused, split] = log.order_lines;
    println!(
        "B2B orders    : {accepted} lines accepted, {refused} refused, {split} shipped in part with `remainder: keep`"
    );
    let [expected, arrived, put] = log.receipts;
    println!("receipts      : {expected} expected, {arrived} received against them, {put} put away (moves)");
    println!("                {} allocations made by arriving supply to waiting demand", r.st.supplied);
    println!("promises      : {} by date ({} after tomorrow's receipts)", log.promises.len(), w.day0.plus(3));
    println!(
        "tills         : {} sales queued 10:00–12:00 on an offline till (a replica of its store)",
        log.offline_sales
    );
    if let Some((accepted, oversold, tail, digest)) = &log.offline_sync {
        println!("                synced at 12:00: {accepted} accepted, {oversold} reported oversold, {tail} envelopes of tail;");
        println!("                store slice digest {} = the authority's", &digest[..16]);
    }
    let flags = r.eng.count_flags();
    println!(
        "negative stock: {} NegativeStock events; {} (item, location) pairs flagged for a count",
        r.st.negative,
        flags.len()
    );
    if let Some((item, loc)) = flags.first() {
        println!("                e.g. {item} at {loc}");
    }
    if let Some((sku, lot, moved, short)) = &log.recall {
        println!("recall 13:00  : lot {lot} of {sku} on hold: {moved} allocations re-allocated, {short} reservations shorted");
    }
    print!("{}", ops::report(&ops_log, &r, w.day0));
    print!("{evening}");
    println!();
    println!("Stock and ATP at 14:00 UTC, explained:");
    print!("{midday}");
    println!();
    check(&r.eng);
    println!("journal digest: {}", hex(&r.eng.journal_digest()));
    println!("state digest: {}", hex(&r.eng.state_digest()));
    if data_dir.is_some() {
        r.eng.close().unwrap_or_else(|e| panic!("closing the journal: {e}"));
    }
}

/// Availability and time-phased ATP, with their contributions, for a few
/// telling SKUs; and the earliest date for a quantity beyond today's ATP.
/// `--data-dir DIR`: run the day durably in DIR (resuming what is there).
fn data_dir_arg() -> Option<std::path::PathBuf> {
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--data-dir" {
            return Some(
                args.next()
                    .unwrap_or_else(|| {
                        eprintln!("--data-dir needs a directory");
                        std::process::exit(2)
                    })
                    .into(),
            );
        }
        if let Some(d) = a.strip_prefix("--data-dir=") {
            return Some(d.into());
        }
    }
    None
}

fn explain_some(w: &World, r: &Runner, log: &sim::Log) -> String {
    let mut out = String::new();
    let opts = AtpOptions::default();
    let top = |k: Kind| w.by_rank.iter().find(|s| w.skus[**s].kind == k).map(|s| w.skus[*s].code.clone());
    let dcs = Scope::List(w.dcs.iter().map(|d| d.code.clone()).collect());
    let mut cases = Vec::new();
    if let Some((sku, ..)) = &log.recall {
        cases.push((sku.clone(), Scope::Subtree("DC1".into()), 1));
    }
    let stores = Scope::List(w.stores[..2].iter().map(|s| s.code.clone()).collect());
    cases.extend(top(Kind::Weight).map(|s| (s, stores, 0)));
    cases.extend(top(Kind::Plain).map(|s| (s, dcs, 0)));
    let waiting = log.promises.iter().find(|p| r.eng.reservation(&p.0).is_some_and(|v| !v.open_demand.is_zero()));
    let promised = waiting.or(log.promises.first()).map(|p| (p.1.clone(), Scope::Subtree(p.2.clone())));
    cases.extend(promised.clone().map(|(s, scope)| (s, scope, 3)));
    for (sku, scope, days) in &cases {
        explain(&mut out, &r.eng, sku, scope, w.day0.plus(*days), &opts);
    }
    if let Some((s, scope)) = promised {
        let atp = |d: Option<Date>| r.eng.atp(&s, &scope, d, &opts, false).map(|a| a.qty).unwrap_or_default();
        let (now, later) = (atp(None), atp(Some(w.day0.plus(3))));
        let want = if later > now { later } else { now + Decimal::ONE };
        let when = match r.eng.earliest_date(&s, &scope, want, &opts) {
            Ok(Some(d)) => d.to_string(),
            Ok(None) => "not within the horizon".into(),
            Err(e) => e.to_string(),
        };
        let _ = writeln!(
            out,
            "earliest date on which {s} can promise {want} in {} (ATP today {now}): {when}",
            scope_name(&scope)
        );
    }
    out
}

fn scope_name(scope: &Scope) -> String {
    match scope {
        Scope::All => "everywhere".into(),
        Scope::Subtree(s) => s.clone(),
        Scope::List(v) => v.join("+"),
    }
}

fn explain(out: &mut String, eng: &Engine, sku: &str, scope: &Scope, date: Date, opts: &AtpOptions) {
    let (Ok(a), Ok(atp)) = (eng.availability(sku, scope), eng.atp(sku, scope, Some(date), opts, true)) else { return };
    let (at, (oh, se, re, av)) = (scope_name(scope), (a.on_hand, a.sellable, a.reserved, a.available));
    let _ = writeln!(out, "{sku} in {at}: on hand {oh}, sellable {se}, reserved {re}, available now {av}");
    let _ = writeln!(out, "  ATP on {}: {}, from these contributions (x = not counted):", atp.date, atp.qty);
    let mut sum = Decimal::ZERO;
    for c in &atp.contributions {
        sum += if c.counted { c.qty } else { Decimal::ZERO };
        let what: Vec<String> = [
            c.location.as_deref().map(String::from),
            c.lot.as_deref().map(|l| format!("lot {l}")),
            c.reference.as_deref().map(String::from),
            c.reason.map(|r| format!("({r})")),
        ]
        .into_iter()
        .flatten()
        .collect();
        let (mark, kind) = (if c.counted { ' ' } else { 'x' }, format!("{:?}", c.kind));
        let line = format!("   {mark} {kind:<17} {} {:>10} {}", c.date, c.qty, what.join(" "));
        let _ = writeln!(out, "{}", line.trim_end());
    }
    assert_eq!(sum, atp.qty, "the counted contributions of {sku} do not sum to the answer");
}

/// Fails loudly unless the state is sound, the binary journal replays to the
/// same digests and a snapshot restores to the same state.
fn check(eng: &Engine) {
    let t = Instant::now();
    if let Err(problems) = eng.verify() {
        eprintln!("verify() found {} problems:", problems.len());
        problems.iter().take(20).for_each(|p| eprintln!("  {p}"));
        std::process::exit(1);
    }
    println!("verify(): clean ({:.2} s)", t.elapsed().as_secs_f64());
    let envs = eng.storage().read_from(1).unwrap_or_default();
    let t = Instant::now();
    let (mut bytes, mut events) = (0usize, 0usize);
    let mut replica = Engine::with_storage(Box::new(NullStorage));
    for e in &envs {
        let b = e.to_bytes();
        bytes += b.len();
        let e = Envelope::from_bytes(&b).unwrap_or_else(|err| panic!("envelope {} does not decode: {err}", e.seq));
        events += e.events.len();
        if let Err(err) = replica.apply(&e) {
            panic!("replay failed at envelope {}: {err}", e.seq);
        }
    }
    let s = t.elapsed().as_secs_f64();
    assert_eq!(envs.len() as u64, eng.seq(), "storage holds every envelope");
    assert_eq!(replica.journal_digest(), eng.journal_digest(), "replay: journal digests differ");
    assert_eq!(replica.state_digest(), eng.state_digest(), "replay: state digests differ");
    println!(
        "replay  : {} envelopes ({:.1} MB binary, {events} events) re-applied in {s:.2} s ({:.0} events/s): digests match",
        envs.len(),
        bytes as f64 / 1e6,
        events as f64 / s.max(1e-9)
    );
    let t = Instant::now();
    let snap = eng.snapshot();
    let back = Engine::restore(&snap).unwrap_or_else(|e| panic!("restore failed: {e}"));
    assert_eq!(back.snapshot(), snap, "snapshot round trip changed bytes");
    println!(
        "snapshot: {:.1} MB, restored and re-encoded byte-identical in {:.2} s",
        snap.len() as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
}
