// The raw wasm-bindgen module used without the package's entry (its own
// process: node --test runs each file alone, so nothing installed the
// entry's answer factory): checkCart builds its answer itself, each array
// with a buffer of its own, and answers as through the entry.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import path from "node:path";
import { pkgDir } from "./pkg_dir.mjs";

const raw = createRequire(import.meta.url)(path.join(pkgDir, "node", "ims_wasm.js"));

test("without the entry, checkCart builds its own answer: typed arrays with buffers of their own", () => {
  const e = raw.Engine.fromCatalog({
    now: 1795852800000,
    locations: [{ code: "WEB", kind: "site" }, { code: "WEB/A", kind: "storage", parent: "WEB" }],
    items: [{ sku: "TEA" }, { sku: "FLOUR", scale: 3 }],
    stock: [{ sku: "TEA", location: "WEB/A", qty: "3" }, { sku: "FLOUR", location: "WEB/A", qty: "2.5" }],
  });
  const lines = [
    { sku: "TEA", scope: "WEB", qty: "4" },
    { sku: "FLOUR", scope: "WEB/A", qty: "2.5" },
    { sku: "TEA", scope: "WEB/A", qty: "3" },
  ];
  const got = e.checkCart(e.cart(lines));
  assert.ok(got.available instanceof BigInt64Array && got.enough instanceof Uint8Array && got.scale instanceof Uint8Array);
  assert.equal(got.available.buffer.byteLength, 3 * 8, "a buffer of its own");
  assert.deepEqual([...got.available], [3n, 2500n, 3n]);
  assert.deepEqual([...got.enough], [0, 1, 1]);
  assert.deepEqual([...got.scale], [0, 3, 0]);
  assert.deepEqual([...got.enough].map(Boolean), e.atpMany(lines).map((l) => l.enough));
});
