// The Engine API: answers, commands, batches, queries, snapshots, and
// every kind of bad input giving its catalogue error with the engine
// unchanged.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ims } from "./pkg.mjs";
import { NOW, catalog, store } from "./fixture.mjs";

const { Engine, ImsError, errors } = ims;

/** Asserts `f` throws the catalogue error `name` and leaves `e` as it was. */
function refuses(e, name, f) {
  const before = [e.stateDigest(), e.journalDigest(), e.seq()];
  assert.throws(f, (err) => {
    assert.ok(err instanceof ImsError && err instanceof Error, `not an ImsError: ${err}`);
    assert.equal(err.name, name, err.message);
    assert.equal(typeof err.code, "number");
    return true;
  });
  assert.deepEqual([e.stateDigest(), e.journalDigest(), e.seq()], before, `${name} changed the engine`);
}

test("atp now and by date, with the explanation and the timeline", () => {
  const e = store();
  const a = e.atp("TEA", "WEB");
  assert.equal(a.now, "5");
  assert.equal(a.available, "5");
  assert.equal(a.date, "2026-11-28");
  const later = e.atp("TEA", "WEB", { at: "2026-12-05", explain: true, timeline: true });
  assert.equal(later.available, "15");
  const counted = later.contributions.filter((c) => c.counted).reduce((s, c) => s + Number(c.qty), 0);
  assert.equal(String(counted), later.available, "counted contributions sum to the answer");
  assert.ok(later.timeline.some((p) => p.date === "2026-12-04" && p.atp === "15"));
  assert.equal(e.atp("TEA", "WEB/B").now, "2");
  assert.equal(e.atp("TEA", ["WEB/A", "WEB/B"]).now, "5");
  assert.equal(e.atp("TEA", "*").now, "5");
});

test("shelf life: a shopper who needs 7 days does not see the lot that expires on Wednesday", () => {
  const e = store();
  assert.equal(e.atp("MILK", "WEB").now, "10");
  assert.equal(e.atp("MILK", "WEB", { minShelfLifeDays: 7 }).available, "6");
});

test("atpMany answers a cart line by line, with enough and the earliest date", () => {
  const e = store();
  const lines = [
    { sku: "TEA", scope: "WEB", qty: "4" },
    { sku: "TEA", scope: "WEB", qty: "12" },
    { sku: "MUG", scope: "WEB" },
  ];
  const r = e.atpMany(lines, { earliest: true });
  assert.deepEqual(r.map((l) => [l.sku, l.now, l.enough, l.earliest]), [
    ["TEA", "5", true, "2026-11-28"],
    ["TEA", "5", false, "2026-12-04"],
    ["MUG", "1", undefined, undefined],
  ]);
  assert.equal(e.atpMany(JSON.stringify(lines)).length, 3, "JSON text works too");
  const byDate = e.atpMany(lines, { at: "2026-12-05" });
  assert.equal(byDate[1].available, "15");
  assert.equal(byDate[1].enough, true);
});

test("a cart resolved once: checkCart answers as atpMany does, in typed arrays", () => {
  const e = store();
  const lines = [
    { sku: "TEA", scope: "WEB", qty: "4" },
    { sku: "TEA", scope: "WEB/B", qty: "3" },
    { sku: "MUG", scope: "*", qty: "1" },
    { sku: "MILK", scope: ["WEB/A", "WEB/B"], qty: "7" },
  ];
  const cart = e.cart(lines);
  assert.equal(cart.length, 4);
  for (const at of [undefined, "2026-12-05"]) {
    const want = e.atpMany(lines, at ? { at } : undefined);
    const got = e.checkCart(cart, at);
    assert.ok(got.available instanceof BigInt64Array && got.enough instanceof Uint8Array);
    assert.deepEqual([...got.scale], [0, 0, 0, 0]);
    assert.deepEqual([...got.available].map(String), want.map((w) => (at ? w.available : w.now)), `at ${at}`);
    assert.deepEqual([...got.enough].map(Boolean), want.map((w) => w.enough), `at ${at}`);
  }
  // A line without a scope looks everywhere; options as in atp.
  const milk = e.cart([{ sku: "MILK", qty: "7" }]);
  assert.equal(e.checkCart(milk).available[0], 10n);
  assert.equal(e.checkCart(milk, "2026-11-28", { minShelfLifeDays: 7 }).available[0], 6n);
  // The cart holds ids, not answers: the engine's changes show at once.
  e.execute({ type: "sell", item: "TEA", location: "WEB/B", qty: "2", occurred_at: NOW });
  assert.deepEqual([...e.checkCart(cart).available.slice(0, 2)], [3n, 0n]);
  refuses(e, "UNKNOWN_ITEM", () => e.cart([{ sku: "TEA", qty: "1" }, { sku: "NOPE", qty: "1" }]));
  refuses(e, "UNKNOWN_LOCATION", () => e.cart([{ sku: "TEA", scope: "MARS", qty: "1" }]));
  refuses(e, "INVALID_QUANTITY", () => e.cart([{ sku: "TEA", qty: "0" }]));
  refuses(e, "QUANTITY_OVERFLOW", () => e.cart([{ sku: "TEA", qty: "99999999999999999999" }]));
  refuses(e, "LIMIT_EXCEEDED", () => e.cart(Array.from({ length: 100_001 }, () => ({ sku: "TEA", qty: "1" }))));
  refuses(e, "INVALID_COMMAND", () => e.cart([{ sku: "TEA" }]));
  refuses(e, "INVALID_COMMAND", () => e.cart([{ sku: "TEA", qty: "1", colour: "red" }]));
  refuses(e, "INVALID_COMMAND", () => e.checkCart(cart, "not a date"));
  refuses(e, "INVALID_COMMAND", () => e.checkCart(cart, undefined, { explain: true }));
  refuses(e, "LIMIT_EXCEEDED", () => e.checkCart(cart, "2026-12-05", { horizonDays: 40_000 }));
  assert.throws(() => e.checkCart(lines), /Cart/, "a plain array is not a resolved cart");
});

test("checkCart's answers share a pooled buffer, and a kept answer never changes under the page", () => {
  const e = store();
  const lines = [
    { sku: "TEA", scope: "WEB", qty: "4" },
    { sku: "MUG", scope: "*", qty: "1" },
    { sku: "TEA", scope: "WEB/B", qty: "1" },
  ];
  const cart = e.cart(lines);
  // Enough checks to fill the pool many times over (30 bytes each), the
  // stock changing between them: every answer kept stays what it was.
  const kept = [];
  for (let i = 0; i < 3000; i++) {
    if (i % 2) e.execute({ type: "receive", item: "TEA", location: "WEB/B", qty: "1", occurred_at: NOW });
    kept.push([e.checkCart(cart), e.atpMany(lines)]);
  }
  const pools = new Set(kept.map(([got]) => got.available.buffer));
  assert.ok(pools.size > 1 && pools.size < kept.length / 10, `answers share buffers (${pools.size} buffers)`);
  for (const [got, want] of kept) {
    assert.equal(got.available.byteOffset % 8, 0);
    assert.deepEqual([...got.available].map(String), want.map((w) => w.now));
    assert.deepEqual([...got.enough].map(Boolean), want.map((w) => w.enough));
    assert.deepEqual([...got.scale], [0, 0, 0]);
  }
  // A cart larger than half the pool gets a buffer of its own; an empty
  // cart an empty answer.
  const big = Array.from({ length: 2000 }, (_, i) => lines[i % 3]);
  const answer = e.checkCart(e.cart(big));
  assert.equal(answer.available.buffer.byteLength, 2000 * 10);
  assert.deepEqual([...answer.available].map(String), e.atpMany(big).map((w) => w.now));
  assert.deepEqual([...answer.enough].map(Boolean), e.atpMany(big).map((w) => w.enough));
  const none = e.checkCart(e.cart([]));
  assert.deepEqual([none.available.length, none.enough.length, none.scale.length], [0, 0, 0]);
});

test("a cart's quantities are exact in each item's smallest unit", () => {
  const e = Engine.fromCatalog({
    now: NOW,
    locations: [{ code: "WEB", kind: "site" }],
    items: [{ sku: "FLOUR", scale: 3 }, { sku: "EGG" }],
    stock: [{ sku: "FLOUR", location: "WEB", qty: "2.5" }, { sku: "EGG", location: "WEB", qty: "1" }],
  });
  const cart = e.cart([
    { sku: "FLOUR", qty: "2.5" },
    { sku: "FLOUR", qty: "2.5001" },
    { sku: "EGG", qty: "0.5" },
    { sku: "EGG", qty: "1.5" },
  ]);
  const got = e.checkCart(cart);
  assert.deepEqual([...got.available], [2500n, 2500n, 1n, 1n]);
  assert.deepEqual([...got.scale], [3, 3, 0, 0]);
  // 2.5001 kg needs 2.501 in grams (rounded up): not enough; half an egg is.
  assert.deepEqual([...got.enough], [1, 0, 1, 0]);
  assert.deepEqual(e.atpMany([{ sku: "EGG", scope: "*", qty: "0.5" }, { sku: "EGG", scope: "*", qty: "1.5" }]).map((l) => l.enough), [true, false]);
});

test("a cart line whose item is redefined with another scale is answered in the new one", () => {
  const e = Engine.fromCatalog({ now: NOW, locations: [{ code: "WEB", kind: "site" }], items: [{ sku: "FLOUR" }] });
  // Resolved in whole units: 2.5 needs 3.
  const cart = e.cart([{ sku: "FLOUR", qty: "2.5" }]);
  assert.deepEqual([...e.checkCart(cart).scale], [0]);
  // No stock yet, so the scale may change: grams now, and 2 kg arrive.
  e.execute({ type: "define_item", item: "FLOUR", base_unit: "kg", scale: 3, occurred_at: NOW });
  e.execute({ type: "receive", item: "FLOUR", location: "WEB", qty: "2", occurred_at: NOW });
  const got = e.checkCart(cart);
  assert.deepEqual([...got.scale], [3]);
  assert.deepEqual([...got.available], [2000n]);
  // 2 kg do not cover 2.5 kg (2,500 g), though they would cover the 3 whole
  // units the line was first resolved to, read in grams.
  assert.deepEqual([...got.enough], [0]);
});

test("commands, batches and queries; quantities are decimal strings", () => {
  const e = store();
  const seq = e.seq();
  const o = e.execute({ type: "reserve", reservation: "CART-1", item: "TEA", qty: "2", scope: "WEB", occurred_at: NOW });
  assert.equal(o.seq, seq + 1);
  assert.equal(o.exists, false);
  assert.ok(o.events.some((ev) => ev.type === "reservation_created"));
  assert.deepEqual(e.availability("TEA", "WEB"), { on_hand: "5", sellable: "5", reserved: "2", available: "3" });
  const results = e.executeBatch([
    { type: "release", reservation: "CART-1", occurred_at: NOW },
    { type: "release", reservation: "NOPE", occurred_at: NOW },
  ]);
  assert.ok(results[0].ok);
  assert.equal(results[1].error.name, "UNKNOWN_RESERVATION");
  const atomic = e.executeBatch(
    JSON.stringify([
      { type: "sell", item: "MUG", location: "WEB/B", qty: "1", occurred_at: NOW },
      { type: "sell", item: "TEA", location: "WEB/A", qty: "1", occurred_at: NOW },
    ]),
    "atomic",
  );
  assert.equal(atomic.events.length >= 2, true);
  assert.equal(e.query({ kind: "availability", item: "MUG", scope: "WEB" }).available, "0");
  assert.deepEqual(e.verify(), []);
});

test("a snapshot restores to the same digests; the catalogue loader is deterministic", () => {
  const e = store();
  const back = Engine.fromSnapshot(e.snapshot());
  assert.equal(back.stateDigest(), e.stateDigest());
  assert.equal(back.journalDigest(), e.journalDigest());
  assert.equal(store().stateDigest(), e.stateDigest());
  assert.match(e.stateDigest(), /^[0-9a-f]{64}$/);
});

test("errors are ImsError subclasses named from the catalogue", () => {
  const e = store();
  try {
    e.atp("NOPE", "WEB");
    assert.fail("no error");
  } catch (err) {
    assert.ok(err instanceof errors.UnknownItem);
    assert.ok(err instanceof ImsError);
    assert.ok(err instanceof Error);
    assert.equal(err.name, "UNKNOWN_ITEM");
    assert.deepEqual(err.data, { item: "NOPE" });
    assert.equal(err.retryable, false);
  }
  assert.ok(Object.keys(errors).length > 50, "one class per catalogue entry");
});

test("bad input: wrong types, malformed JSON, unknown codes — a specific error, nothing changed", () => {
  const e = store();
  refuses(e, "INVALID_COMMAND", () => e.atp(42, "WEB"));
  refuses(e, "INVALID_COMMAND", () => e.atp("TEA", 7));
  refuses(e, "INVALID_COMMAND", () => e.atp("TEA", "WEB", "tomorrow"));
  refuses(e, "INVALID_COMMAND", () => e.atp("TEA", "WEB", { at: "not a date" }));
  refuses(e, "INVALID_COMMAND", () => e.atp("TEA", "WEB", { nosuchOption: 1 }));
  refuses(e, "INVALID_COMMAND", () => e.execute("{not json"));
  refuses(e, "INVALID_COMMAND", () => e.execute({ type: "no_such_command" }));
  refuses(e, "INVALID_COMMAND", () => e.execute(undefined));
  refuses(e, "INVALID_COMMAND", () => e.execute({ big: 10n }));
  refuses(e, "INVALID_COMMAND", () => e.executeBatch("[1, 2", "independent"));
  refuses(e, "INVALID_COMMAND", () => e.executeBatch([], "sometimes"));
  refuses(e, "INVALID_COMMAND", () => e.atpMany([{ sku: "TEA" }]));
  refuses(e, "UNKNOWN_ITEM", () => e.atpMany([{ sku: "TEA", scope: "WEB" }, { sku: "NOPE", scope: "WEB" }]));
  refuses(e, "UNKNOWN_LOCATION", () => e.atp("TEA", "MARS"));
  refuses(e, "INSUFFICIENT_AVAILABLE", () =>
    e.execute({ type: "reserve", reservation: "R", item: "MUG", qty: "5", scope: "WEB", occurred_at: NOW }),
  );
  refuses(e, "BATCH_REFUSED", () =>
    e.executeBatch(
      [
        { type: "sell", item: "MUG", location: "WEB/B", qty: "1", occurred_at: NOW },
        { type: "sell", item: "NOPE", location: "WEB/B", qty: "1", occurred_at: NOW },
      ],
      "atomic",
    ),
  );
  refuses(e, "INVALID_COMMAND", () => Engine.fromSnapshot("not bytes"));
  refuses(e, "INVALID_COMMAND", () => Engine.fromCatalog({ ...catalog, extra: 1 }));
});

test("malformed snapshot bytes are refused with a snapshot error", () => {
  const e = store();
  const snap = e.snapshot();
  for (const bad of [new Uint8Array(0), new Uint8Array([1, 2, 3]), snap.slice(0, snap.length - 7)]) {
    assert.throws(() => Engine.fromSnapshot(bad), (err) => err instanceof ImsError && /SNAPSHOT/.test(err.name));
  }
  const flipped = snap.slice();
  flipped[flipped.length >> 1] ^= 0xff;
  assert.throws(() => Engine.fromSnapshot(flipped), (err) => err instanceof ImsError);
});

test("huge inputs are refused before they are parsed", () => {
  const e = store();
  const tooMany = Array.from({ length: 100_001 }, () => ({ type: "advance", occurred_at: NOW }));
  refuses(e, "LIMIT_EXCEEDED", () => e.executeBatch(tooMany));
  refuses(e, "LIMIT_EXCEEDED", () => e.execute("x".repeat((64 << 20) + 1)));
  const cart = Array.from({ length: 100_001 }, () => ({ sku: "TEA", scope: "WEB" }));
  refuses(e, "LIMIT_EXCEEDED", () => e.atpMany(cart));
});
