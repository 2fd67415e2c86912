// Edge mode in the page: a storefront on the server's public projection
// holds cart stock optimistically, takes pushed tails, syncs, and reports
// conflicts; bad input leaves it unchanged.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ims } from "./pkg.mjs";
import { NOW, store } from "./fixture.mjs";

const { Storefront, ImsError, decodeSyncResponse } = ims;

function shop(server, name = "tab-1", slice) {
  return Storefront.fromSnapshot(name, server.publicSnapshot(slice), slice);
}

test("the public projection answers like the server and carries nothing private", () => {
  const server = store();
  server.execute({ type: "sell", item: "TEA", location: "WEB/A", qty: "1", occurred_at: NOW, client_key: "secret-key-1", reference: "receipt for Jane Doe" });
  const bytes = server.publicSnapshot();
  const text = Buffer.from(bytes).toString("latin1");
  assert.ok(!text.includes("secret-key-1") && !text.includes("Jane Doe"));
  const s = Storefront.fromSnapshot("tab-1", bytes);
  for (const sku of ["TEA", "MILK", "MUG"]) {
    assert.deepEqual(s.atp(sku, "WEB", { at: "2026-12-05" }), server.atp(sku, "WEB", { at: "2026-12-05" }));
  }
  assert.equal(s.sliceDigest(), server.sliceDigest(undefined));
  assert.equal(s.seq(), server.seq());
});

test("a cart hold takes stock at once, queues for the server, and syncs", () => {
  const server = store();
  const s = shop(server);
  const hold = s.reserve("TEA", "WEB", "2", { ttlMs: 900000 });
  assert.equal(hold.id, "tab-1-hold-1");
  assert.equal(s.atp("TEA", "WEB").now, "3");
  assert.equal(server.atp("TEA", "WEB").now, "5", "the server does not know yet");
  assert.equal(s.pending().length, 1);
  assert.equal(s.reserve("MUG", "WEB", "1", { id: "mine" }).id, "mine");
  const report = s.receive(server.publicSync(s.syncRequest()));
  assert.equal(report.accepted, 2);
  assert.equal(s.pending().length, 0);
  assert.equal(server.atp("TEA", "WEB").now, "3");
  assert.equal(s.sliceDigest(), server.sliceDigest(undefined));
  s.release("tab-1-hold-1");
  assert.equal(s.atp("TEA", "WEB").now, "5");
});

test("a pushed tail updates the page, and a hold the new stock no longer covers is a conflict", () => {
  const server = store();
  const s = shop(server);
  s.reserve("MUG", "WEB", "1");
  server.execute({ type: "sell", item: "MUG", location: "WEB/B", qty: "1", occurred_at: NOW });
  server.execute({ type: "receive", item: "TEA", location: "WEB/A", qty: "20", occurred_at: NOW });
  const push = server.publicTail(s.seq(), undefined, undefined);
  assert.equal(decodeSyncResponse(push).tail, 2);
  s.applyTail(push);
  assert.equal(s.seq(), server.seq());
  assert.equal(s.atp("TEA", "WEB").now, "25");
  const report = s.receive(server.publicSync(s.syncRequest()));
  assert.equal(report.refused, 1, JSON.stringify(report));
  assert.equal(report.conflicts.length, 1);
  assert.equal(s.atp("MUG", "WEB").now, "0");
});

test("a sliced storefront answers for its items only", () => {
  const server = store();
  const s = shop(server, "tab-2", { items: ["TEA"] });
  assert.equal(s.atp("TEA", "WEB").now, "5");
  assert.throws(() => s.reserve("MUG", "WEB", "1"), (err) => err instanceof ImsError);
});

test("a storefront's cart sees its own holds, and survives a reset to another catalogue", () => {
  const server = store();
  const s = shop(server);
  const cart = s.cart([{ sku: "MUG", scope: "WEB", qty: "1" }, { sku: "TEA", scope: "WEB/A", qty: "2" }]);
  assert.deepEqual([...s.checkCart(cart).enough], [1, 1]);
  s.reserve("MUG", "WEB", "1");
  assert.deepEqual([...s.checkCart(cart).available], [0n, 3n], "the page's own hold counts");
  // Another catalogue defines its items in another order: the cart's ids
  // now name other items, and each line is found again by its SKU.
  const fresh = shop(server, "tab-2");
  const mine = fresh.cart([{ sku: "MUG", scope: "WEB", qty: "1" }, { sku: "TEA", scope: "WEB/A", qty: "2" }]);
  const other = ims.Engine.fromCatalog({
    now: NOW,
    locations: [{ code: "WEB", kind: "site" }, { code: "WEB/A", kind: "storage", parent: "WEB" }],
    items: [{ sku: "MUG" }, { sku: "TEA" }],
    stock: [{ sku: "TEA", location: "WEB/A", qty: "7" }, { sku: "MUG", location: "WEB/A", qty: "4" }],
  });
  fresh.reset(other.publicSnapshot());
  assert.deepEqual([...fresh.checkCart(mine).available], [4n, 7n]);
  const gone = ims.Engine.fromCatalog({ now: NOW, locations: [{ code: "WEB", kind: "site" }], items: [{ sku: "TEA" }] });
  fresh.reset(gone.publicSnapshot());
  assert.throws(() => fresh.checkCart(mine), (err) => err instanceof ImsError && err.name === "UNKNOWN_LOCATION");
});

test("bad input to a storefront: its error, nothing held or queued", () => {
  const server = store();
  const s = shop(server);
  const before = () => [s.stateDigest(), s.pending().length, s.seq()];
  const was = before();
  const cases = [
    ["INVALID_COMMAND", () => s.reserve("TEA", "WEB", 2)],
    ["INVALID_COMMAND", () => s.reserve("TEA", "WEB", "2", { ttl: 5 })],
    ["INVALID_QUANTITY", () => s.reserve("TEA", "WEB", "-1")],
    ["INSUFFICIENT_AVAILABLE", () => s.reserve("TEA", "WEB", "50")],
    ["UNKNOWN_ITEM", () => s.reserve("NOPE", "WEB", "1")],
    ["INVALID_COMMAND", () => s.applyTail(new Uint8Array([1, 2, 3]))],
    ["INVALID_COMMAND", () => s.applyTail("bytes")],
    ["INVALID_COMMAND", () => s.receive(new Uint8Array(0))],
    ["CLIENT_KEY_REQUIRED", () => s.execute({ type: "sell", item: "TEA", location: "WEB/A", qty: "1", occurred_at: NOW })],
  ];
  for (const [name, f] of cases) {
    assert.throws(f, (err) => err instanceof ImsError && err.name === name, name);
    assert.deepEqual(before(), was, `${name} changed the storefront`);
  }
  assert.throws(() => Storefront.fromSnapshot("x", new Uint8Array([9, 9, 9])), (err) => err instanceof ImsError);
  assert.throws(() => Storefront.fromSnapshot(5, server.publicSnapshot()), (err) => err.name === "INVALID_COMMAND");
});
