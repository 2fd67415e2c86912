// Issue 11, part 3: ims-wasm against the ATP a storefront developer would
// write by hand in JavaScript, on the same store (scripts/bench-vs-js;
// figures in BENCHMARKS.md).
//
// The store: SKUS items in two bins under the site WEB, every tenth item
// with a receipt due on 2026-12-04. The server cuts ims's public snapshot
// from it; the hand-written side gets the same store as the JSON a server
// would send without ims (items, stock by bin, incoming by date) and builds
// Maps from it. Both answer the same 50-line carts, now and on a date; the
// answers must be equal line by line (available now, available on the
// date, enough for the line's quantity). Then the same carts resolved
// once (ims: `Storefront.cart`, SKUs to ids; by hand: each line's Map entry
// kept) and checked again (ims: `checkCart`, typed arrays out), as a page
// re-checks its cart on every change. Best of 5 runs; performance.now().
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = process.env.IMS_WASM_PKG ?? path.join(here, "..", "..", "ims-wasm", "pkg", "full");
const { Engine, Storefront } = await import(path.join(pkg, "node.mjs"));

const SKUS = Number(process.argv[2] ?? 100_000);
const CARTS = Number(process.argv[3] ?? 2_000);
const AT = "2026-12-05";
const sku = (i) => `SKU-${String(i).padStart(6, "0")}`;

const store = {
  now: 1795852800000,
  locations: [
    { code: "WEB", kind: "site" },
    { code: "WEB/A", kind: "storage", parent: "WEB" },
    { code: "WEB/B", kind: "storage", parent: "WEB" },
  ],
  items: Array.from({ length: SKUS }, (_, i) => ({ sku: sku(i) })),
  stock: Array.from({ length: SKUS }, (_, i) => ({ sku: sku(i), location: i % 2 ? "WEB/A" : "WEB/B", qty: String(1 + (i % 50)) })),
  incoming: Array.from({ length: SKUS / 10 }, (_, i) => ({ sku: sku(i * 10), location: "WEB/A", qty: "20", date: "2026-12-04" })),
};
const snapshot = Engine.fromCatalog(store).publicSnapshot();
const json = JSON.stringify(store);

/** The hand-written store: stock and incoming by SKU, each entry with the
 * chain of locations it counts toward (its bin and the bin's ancestors). */
class HandStore {
  constructor(text) {
    const s = JSON.parse(text);
    const parent = new Map(s.locations.map((l) => [l.code, l.parent]));
    const chain = (loc) => {
      const out = [];
      for (let l = loc; l !== undefined; l = parent.get(l)) out.push(l);
      return out;
    };
    this.stock = new Map();
    for (const r of s.stock) {
      const e = this.entry(r.sku);
      e.onHand.push({ scopes: chain(r.location), qty: Number(r.qty) });
    }
    for (const r of s.incoming) {
      this.entry(r.sku).incoming.push({ scopes: chain(r.location), qty: Number(r.qty), date: r.date });
    }
  }
  entry(k) {
    let e = this.stock.get(k);
    if (!e) this.stock.set(k, (e = { onHand: [], incoming: [] }));
    return e;
  }
  atp(k, scope, at) {
    const e = this.stock.get(k);
    let now = 0;
    let later = 0;
    if (e) {
      for (const b of e.onHand) if (b.scopes.includes(scope)) now += b.qty;
      if (at) for (const r of e.incoming) if (r.date <= at && r.scopes.includes(scope)) later += r.qty;
    }
    return { now, available: now + later };
  }
  atpMany(lines, at) {
    return lines.map((l) => {
      const a = this.atp(l.sku, l.scope, at);
      const qty = Number(l.qty);
      return at
        ? { now: a.now, available: a.available, enough: a.available >= qty }
        : { now: a.now, enough: a.now >= qty };
    });
  }
  /** The cart's entries looked up once (as `Storefront.cart` resolves ids). */
  resolve(lines) {
    return lines.map((l) => ({ e: this.stock.get(l.sku), scope: l.scope, qty: Number(l.qty) }));
  }
  /** Available (now, or by `at`) and enough, per resolved line. */
  check(resolved, at) {
    return resolved.map(({ e, scope, qty }) => {
      let available = 0;
      if (e) {
        for (const b of e.onHand) if (b.scopes.includes(scope)) available += b.qty;
        if (at) for (const r of e.incoming) if (r.date <= at && r.scopes.includes(scope)) available += r.qty;
      }
      return { available, enough: available >= qty };
    });
  }
}

function best(runs, f) {
  let b = Infinity;
  let out;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    out = f();
    b = Math.min(b, performance.now() - t);
  }
  return [b, out];
}

const [loadIms, shop] = best(5, () => Storefront.fromSnapshot("tab", snapshot));
const [loadJs, hand] = best(5, () => new HandStore(json));

let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
const scopes = ["WEB", "WEB/A", "WEB/B"];
const carts = Array.from({ length: CARTS }, () =>
  Array.from({ length: 50 }, () => ({
    sku: sku(Math.floor(rand() * SKUS)),
    scope: scopes[Math.floor(rand() * 3)],
    qty: String(1 + Math.floor(rand() * 30)),
  })),
);

// The same answers, line by line, now and on the date.
for (const c of carts) {
  for (const at of [undefined, AT]) {
    const ours = shop.atpMany(c, at ? { at } : undefined);
    const theirs = hand.atpMany(c, at);
    ours.forEach((o, i) => {
      const t = theirs[i];
      assert.equal(o.now, String(t.now), `${c[i].sku} at ${c[i].scope}: now`);
      if (at) assert.equal(o.available, String(t.available), `${c[i].sku} at ${c[i].scope}: by ${at}`);
      assert.equal(o.enough, t.enough, `${c[i].sku} at ${c[i].scope}: enough`);
    });
  }
}

// The carts resolved once: the same answers through checkCart's typed arrays.
const resolvedIms = carts.map((c) => shop.cart(c));
const resolvedJs = carts.map((c) => hand.resolve(c));
carts.forEach((c, k) => {
  for (const at of [undefined, AT]) {
    const ours = shop.checkCart(resolvedIms[k], at);
    const theirs = hand.check(resolvedJs[k], at);
    theirs.forEach((t, i) => {
      assert.equal(ours.available[i], BigInt(t.available), `${c[i].sku} at ${c[i].scope} by ${at}: available`);
      assert.equal(ours.enough[i] === 1, t.enough, `${c[i].sku} at ${c[i].scope} by ${at}: enough`);
    });
  }
});

const perCart = (f) => best(5, () => {
  let sink = 0;
  for (const c of carts) sink += f(c).length;
  return sink;
})[0] / CARTS * 1000;
const perResolved = (f) => best(5, () => {
  let sink = 0;
  for (let k = 0; k < CARTS; k++) sink += f(k).length;
  return sink;
})[0] / CARTS * 1000;
const rows = [
  ["load the store", loadIms * 1000, loadJs * 1000, "µs"],
  ["50-line cart, now", perCart((c) => shop.atpMany(c)), perCart((c) => hand.atpMany(c)), "µs"],
  ["50-line cart, by a date", perCart((c) => shop.atpMany(c, { at: AT })), perCart((c) => hand.atpMany(c, AT)), "µs"],
  ["resolve a 50-line cart", perCart((c) => [shop.cart(c).free()]), perCart((c) => hand.resolve(c)), "µs"],
  ["resolved cart, now", perResolved((k) => shop.checkCart(resolvedIms[k]).enough), perResolved((k) => hand.check(resolvedJs[k])), "µs"],
  ["resolved cart, by a date", perResolved((k) => shop.checkCart(resolvedIms[k], AT).enough), perResolved((k) => hand.check(resolvedJs[k], AT)), "µs"],
];
console.log(`${SKUS} SKUs, ${CARTS} carts of 50 lines; answers equal on every line`);
console.log(`${"".padEnd(26)} ${"ims-wasm".padStart(12)} ${"hand-written JS".padStart(16)}  JS time / ims time`);
for (const [name, ims, js, unit] of rows) {
  console.log(`${name.padEnd(26)} ${ims.toFixed(1).padStart(9)} ${unit} ${js.toFixed(1).padStart(13)} ${unit}  ${(js / ims).toFixed(2)}×`);
}
