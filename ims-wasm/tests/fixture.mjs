// A small store shared by the tests: a web site with two bins, three SKUs
// (one with dated lots), a scheduled receipt.
import { ims } from "./pkg.mjs";

export const NOW = 1795852800000; // 2026-11-28T00:00:00Z
export const catalog = {
  now: NOW,
  locations: [
    { code: "WEB", kind: "site" },
    { code: "WEB/A", kind: "storage", parent: "WEB" },
    { code: "WEB/B", kind: "storage", parent: "WEB" },
  ],
  items: [{ sku: "TEA" }, { sku: "MILK", tracking: "lot" }, { sku: "MUG" }],
  stock: [
    { sku: "TEA", location: "WEB/A", qty: "3" },
    { sku: "TEA", location: "WEB/B", qty: "2" },
    { sku: "MILK", location: "WEB/A", qty: "4", lot: "L1", expiry: "2026-12-02" },
    { sku: "MILK", location: "WEB/A", qty: "6", lot: "L2", expiry: "2026-12-20" },
    { sku: "MUG", location: "WEB/B", qty: "1" },
  ],
  incoming: [{ sku: "TEA", location: "WEB/A", qty: "10", date: "2026-12-04" }],
};

export const store = () => ims.Engine.fromCatalog(catalog);
