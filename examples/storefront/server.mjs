// The storefront's server, for the example and its browser test: an
// authority engine (the wasm door's Node build) that serves the page, its
// public snapshot, the public tail since a seq, and the cart's sync.
// Listens on 127.0.0.1 only. `node server.mjs [port]` (0: any free port).
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");
const pkg = path.join(repo, "ims-wasm", "pkg", "storefront");
const { Engine } = await import(path.join(pkg, "node.mjs"));

const NOW = 1795852800000; // 2026-11-28
export const PRODUCTS = [
  ["TEA-EARL", "Earl Grey, 100 g", "12"],
  ["TEA-GREEN", "Sencha, 100 g", "3"],
  ["MUG-BLUE", "Blue mug", "1"],
  ["KETTLE", "Kettle, 1.7 l", "0"],
];

/** A fresh authority: four products at a web warehouse, kettles arriving on Friday. */
export function authority() {
  return Engine.fromCatalog({
    now: NOW,
    locations: [
      { code: "WEB", kind: "site" },
      { code: "WEB/SHELF", kind: "storage", parent: "WEB" },
    ],
    items: PRODUCTS.map(([sku]) => ({ sku })),
    stock: PRODUCTS.filter(([, , q]) => q !== "0").map(([sku, , qty]) => ({ sku, location: "WEB/SHELF", qty })),
    incoming: [{ sku: "KETTLE", location: "WEB/SHELF", qty: "5", date: "2026-12-04" }],
  });
}

const types = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };

/** Starts the server; resolves to { url, engine, close }. */
export function start(port = 0) {
  const engine = authority();
  const body = (req) =>
    new Promise((ok) => {
      const parts = [];
      req.on("data", (c) => parts.push(c));
      req.on("end", () => ok(new Uint8Array(Buffer.concat(parts))));
    });
  const bytes = (res, b) => {
    res.writeHead(200, { "content-type": "application/octet-stream" });
    res.end(Buffer.from(b));
  };
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url, "http://127.0.0.1");
      if (url.pathname === "/api/snapshot") return bytes(res, engine.publicSnapshot());
      if (url.pathname === "/api/tail") return bytes(res, engine.publicTail(Number(url.searchParams.get("after") ?? 0)));
      if (url.pathname === "/api/sync" && req.method === "POST") return bytes(res, engine.publicSync(await body(req)));
      if (url.pathname === "/api/products") {
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(JSON.stringify(PRODUCTS.map(([sku, name]) => ({ sku, name }))));
      }
      if (url.pathname === "/api/sell" && req.method === "POST") {
        // Another channel (a till) sells: the delta the page will apply.
        const { sku, qty } = JSON.parse(Buffer.from(await body(req)).toString());
        engine.execute({ type: "sell", item: sku, location: "WEB/SHELF", qty, occurred_at: NOW });
        res.writeHead(204);
        return res.end();
      }
      // Static files: the page, and the storefront package next to it.
      const file = url.pathname === "/" ? path.join(here, "index.html")
        : url.pathname.startsWith("/pkg/") ? path.join(pkg, url.pathname.slice(5))
        : path.join(here, url.pathname);
      if (!file.startsWith(here) && !file.startsWith(pkg)) throw new Error("outside");
      const data = fs.readFileSync(file);
      res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" });
      res.end(data);
    } catch (err) {
      res.writeHead(err.code === "ENOENT" ? 404 : 500, { "content-type": "text/plain" });
      res.end(String(err.message ?? err));
    }
  });
  return new Promise((ok) =>
    server.listen(port, "127.0.0.1", () =>
      ok({ url: `http://127.0.0.1:${server.address().port}/`, engine, close: () => new Promise((c) => server.close(c)) }),
    ),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const s = await start(Number(process.argv[2] ?? 8080));
  console.log(`storefront on ${s.url}`);
}
