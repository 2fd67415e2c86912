// The conformance scenarios (conformance/scenarios/*.json) through the wasm
// door, compared with the files as the Rust runner compares them: every
// key an expectation names must match exactly; the final journal and state
// digests must be the Rust runner's.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { ims, isStorefrontBuild, repo } from "./pkg.mjs";

const { Engine, Storefront, decodeSyncResponse } = ims;
const dir = path.join(repo, "conformance", "scenarios");
const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort();

/* Integers beyond 2^53 (an i64::MAX quantity or TTL in the error
 * scenarios) would be rounded by JSON.parse. They are read as marked
 * strings, sent to the door as the exact digits, and expected back as the
 * decimal strings the door writes for them (ims-wasm/src/json.rs). */
const BIG = "\u0000big:";
function parseExact(text) {
  const marked = text.replace(/([:[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, (m, pre, num) =>
    Number.isSafeInteger(Number(num)) ? m : `${pre}"\\u0000big:${num}"`);
  return JSON.parse(marked);
}
const doorJson = (v) => JSON.stringify(v).replace(/"\\u0000big:(-?\d+)"/g, "$1");
function unmark(v) {
  if (typeof v === "string" && v.startsWith(BIG)) return v.slice(BIG.length);
  if (Array.isArray(v)) return v.map(unmark);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unmark(x)]));
  return v;
}

/** Every error name this door returned (conformance/src/codes.rs): the
 * full build's list is written for `door codes` in scripts/test-all. */
const returned = new Set();
function collect(v) {
  if (Array.isArray(v)) v.forEach(collect);
  else if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      if ((k === "error" || k === "name") && typeof x === "string" && /^[A-Z0-9_]+$/.test(x)) returned.add(x);
      else collect(x);
    }
  }
}
after(() => {
  if (isStorefrontBuild) return;
  const out = path.join(repo, "target", "conformance-codes");
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, "wasm.txt"), [...returned].sort().map((c) => `${c}\n`).join(""));
});

/** The Rust runner's error shape: the name, and the data unless the error
 * is INVALID_COMMAND (whose text is the decoder's). */
function errorJson(err) {
  assert.ok(err instanceof ims.ImsError, `expected an ImsError, got ${err}`);
  const out = { error: err.name };
  if (err.name !== "INVALID_COMMAND" && err.data && Object.keys(err.data).length > 0) out.data = err.data;
  return out;
}

function kind(v) {
  for (const k of ["error", "ok", "results", "result"]) if (k in v) return k;
  return "unknown";
}

const same = (a, b) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
function sorted(v) {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])]));
  return v;
}

/** Differences between an expectation and the actual step result. */
function check(expected, actual, prefix = "") {
  const out = [];
  if (kind(expected) !== kind(actual)) {
    return [`${prefix}expected ${kind(expected)} ${JSON.stringify(expected.error ?? "")}, got ${JSON.stringify(actual).slice(0, 300)}`];
  }
  for (const [k, ev] of Object.entries(expected)) {
    const av = actual[k];
    if (av === undefined) out.push(`${prefix}${k}: actual has none`);
    else if (k === "results") {
      if (ev.length !== av.length) out.push(`${prefix}${k}: expected ${ev.length} results, got ${av.length}`);
      ev.forEach((e, i) => av[i] && out.push(...check(e, av[i], `${prefix}${k}[${i}].`)));
    } else if (!same(ev, av)) out.push(`${prefix}${k}: expected ${JSON.stringify(ev)}, got ${JSON.stringify(av)}`);
  }
  return out;
}

function run(scenario) {
  const e = new Engine();
  const replicas = new Map();
  const outcome = (o) => ({ ok: true, ...o, journal_digest: e.journalDigest() });
  const refused = (before, err) => {
    assert.equal(e.stateDigest(), before, `refused with ${err.name} but the state changed`);
    return errorJson(err);
  };
  const step = (s) => {
    const before = e.stateDigest();
    if (s.replica) {
      const r = replicas.get(s.replica);
      assert.ok(r, `no replica ${s.replica}`);
      if (s.command) {
        const was = [r.stateDigest(), r.pending().length];
        try {
          return { ok: true, ...r.execute(doorJson(s.command)), pending: r.pending().length };
        } catch (err) {
          assert.deepEqual([r.stateDigest(), r.pending().length], was, "replica refused but changed");
          return errorJson(err);
        }
      }
      try { return { result: r.query(s.query) }; } catch (err) { return errorJson(err); }
    }
    if (s.command) {
      try { return outcome(e.execute(doorJson(s.command))); } catch (err) { return refused(before, err); }
    }
    if (s.batch) {
      const cmds = doorJson(s.batch.commands);
      try {
        if (s.batch.mode === "atomic") return outcome(e.executeBatch(cmds, "atomic"));
        const results = e.executeBatch(cmds, "independent");
        return { results: results.map((r) => (r.ok ? outcome(r.ok) : errorJson(Object.assign(new ims.ImsError(), r.error)))) };
      } catch (err) { return refused(before, err); }
    }
    if (s.query) {
      try { return { result: e.query(s.query) }; } catch (err) { return errorJson(err); }
    }
    if (s.start_replica) {
      const { name, slice, limits } = s.start_replica;
      const l = limits ? { maxLen: limits.max_len, maxAgeMs: limits.max_age_ms } : undefined;
      try {
        const r = Storefront.fromSnapshot(name, e.snapshot(), slice, l);
        replicas.set(name, r);
        return { ok: true, seq: r.seq(), slice_digest: r.sliceDigest() };
      } catch (err) { return errorJson(err); }
    }
    if (s.sync) {
      const r = replicas.get(s.sync.replica);
      let resp;
      try { resp = e.sync(r.syncRequest(), s.sync.max_tail); } catch (err) { return errorJson(err); }
      const answer = decodeSyncResponse(resp);
      if (s.sync.lose === "response") return { ok: true, answer, lost: true };
      let report;
      try { report = r.receive(resp); } catch (err) { return errorJson(err); }
      if (report.snapshot_required) r.reset(e.snapshot());
      const level = r.pending().length === 0 && r.seq() === e.seq();
      return { ok: true, answer, report, level, seq: r.seq(), slice_digest: r.sliceDigest() };
    }
    throw new Error(`unknown step ${JSON.stringify(s)}`);
  };
  scenario.steps.forEach((s, i) => {
    const actual = step(s);
    collect(actual);
    const diffs = check(unmark(s.expect), actual);
    assert.deepEqual(diffs, [], `${scenario.name} step ${i + 1}${s.note ? ` (${s.note})` : ""}`);
  });
  assert.deepEqual(e.verify(), []);
  return { journal_digest: e.journalDigest(), state_digest: e.stateDigest() };
}

// The planning flow's commands: the storefront build leaves them out.
const PLANNING = ["set_policy", "derive_policy", "remove_policy", "create_plan", "accept_proposal", "discard_plan"];
const planningCommand = (scenario) =>
  scenario.steps.map((s) => s.command).find((c) => c && PLANNING.includes(c.type));

for (const f of files) {
  const scenario = parseExact(fs.readFileSync(path.join(dir, f), "utf8"));
  const planning = planningCommand(scenario);
  if (isStorefrontBuild && planning) {
    test(`scenario ${f}: its planning commands are refused by the storefront build`, () => {
      const e = new Engine();
      assert.throws(() => e.execute(planning), (err) => err.name === "INVALID_COMMAND" && /belongs to the planning flow, which this build leaves out/.test(err.message));
    });
    continue;
  }
  test(`scenario ${f}`, () => {
    const final = run(scenario);
    if (scenario.expect_final) {
      for (const k of Object.keys(scenario.expect_final)) assert.equal(final[k], scenario.expect_final[k], `${f}: ${k}`);
    }
  });
}

test("every scenario file was found", () => assert.ok(files.length >= 25, `${files.length} scenarios`));
