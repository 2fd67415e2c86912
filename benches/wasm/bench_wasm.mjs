// Benchmarks of the wasm door in Node (scripts/bench-wasm; figures in
// BENCHMARKS.md): loading a 100k-SKU public snapshot, and ATP for a
// 50-line cart against it (atpMany, now). Best of 5 runs each;
// performance.now().
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = process.env.IMS_WASM_PKG ?? path.join(here, "..", "..", "ims-wasm", "pkg", "full");
const { Engine, Storefront } = await import(path.join(pkg, "node.mjs"));

const SKUS = Number(process.argv[2] ?? 100_000);
const CARTS = Number(process.argv[3] ?? 2_000);
const sku = (i) => `SKU-${String(i).padStart(6, "0")}`;

const t0 = performance.now();
const server = Engine.fromCatalog({
  now: 1795852800000,
  locations: [{ code: "WEB", kind: "site" }, { code: "WEB/A", kind: "storage", parent: "WEB" }, { code: "WEB/B", kind: "storage", parent: "WEB" }],
  items: Array.from({ length: SKUS }, (_, i) => ({ sku: sku(i) })),
  stock: Array.from({ length: SKUS }, (_, i) => ({ sku: sku(i), location: i % 2 ? "WEB/A" : "WEB/B", qty: String(1 + (i % 50)) })),
  incoming: Array.from({ length: SKUS / 10 }, (_, i) => ({ sku: sku(i * 10), location: "WEB/A", qty: "20", date: "2026-12-04" })),
});
const snapshot = server.publicSnapshot();
console.log(`store of ${SKUS} SKUs built in ${((performance.now() - t0) / 1000).toFixed(1)} s; public snapshot ${(snapshot.length / 1e6).toFixed(1)} MB`);

let best = Infinity;
let shop;
for (let run = 0; run < 5; run++) {
  const t = performance.now();
  shop = Storefront.fromSnapshot("tab", snapshot);
  best = Math.min(best, performance.now() - t);
}
console.log(`load the snapshot (Storefront.fromSnapshot): ${best.toFixed(1)} ms`);

let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
const carts = Array.from({ length: CARTS }, () =>
  Array.from({ length: 50 }, () => ({ sku: sku(Math.floor(rand() * SKUS)), scope: "WEB", qty: "2" })),
);
let sink = 0;
let bestCart = Infinity;
for (let run = 0; run < 5; run++) {
  const t = performance.now();
  for (const c of carts) sink += shop.atpMany(c).length;
  bestCart = Math.min(bestCart, (performance.now() - t) / CARTS);
}
console.log(`atpMany, 50-line cart, now: ${(bestCart * 1000).toFixed(1)} µs per cart`);
let bestDated = Infinity;
for (let run = 0; run < 5; run++) {
  const t = performance.now();
  for (const c of carts.slice(0, 200)) sink += shop.atpMany(c, { at: "2026-12-05" }).length;
  bestDated = Math.min(bestDated, (performance.now() - t) / 200);
}
console.log(`atpMany, 50-line cart, on a date: ${(bestDated * 1000).toFixed(1)} µs per cart`);
if (sink === 42) console.log("!");
