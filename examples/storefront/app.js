// The storefront page: loads the public snapshot into a Storefront (the
// wasm door, storefront build), shows "N left — M by Friday" per product
// without a round trip each, holds cart lines optimistically, syncs them,
// and applies the server's event delta on demand.
import { init, Storefront } from "/pkg/web.js";

const FRIDAY = "2026-12-04";
const $ = (id) => document.getElementById(id);

await init();
const snapshot = new Uint8Array(await (await fetch("/api/snapshot")).arrayBuffer());
const shop = Storefront.fromSnapshot("tab-1", snapshot);
const products = await (await fetch("/api/products")).json();
const cart = [];

function render() {
  const answers = shop.atpMany(products.map((p) => ({ sku: p.sku, scope: "WEB" })), { at: FRIDAY });
  $("products").tBodies[0].innerHTML = "";
  products.forEach((p, i) => {
    const a = answers[i];
    const row = $("products").tBodies[0].insertRow();
    row.dataset.sku = p.sku;
    row.insertCell().textContent = p.name;
    const now = row.insertCell();
    now.className = a.now === "0" ? "now out" : "now left";
    now.textContent = a.now === "0" ? "sold out" : `${a.now} left`;
    row.insertCell().className = "friday";
    row.cells[2].textContent = a.available;
    const btn = document.createElement("button");
    btn.textContent = "Add to cart";
    btn.className = "add";
    btn.disabled = a.now === "0";
    btn.onclick = () => add(p);
    row.insertCell().append(btn);
  });
  $("cart").innerHTML = cart.map((l) => `<li>${l.name} × 1 (${l.id})</li>`).join("");
}

async function sync() {
  const resp = await fetch("/api/sync", { method: "POST", body: shop.syncRequest() });
  const report = shop.receive(new Uint8Array(await resp.arrayBuffer()));
  return report;
}

async function add(p) {
  try {
    const hold = shop.reserve(p.sku, "WEB", "1", { ttlMs: 900000 });
    cart.push({ name: p.name, id: hold.id });
    render();
    const report = await sync();
    $("status").textContent = `held; server accepted ${report.accepted}, conflicts ${report.conflicts.length}`;
  } catch (err) {
    $("status").textContent = `${err.name}: ${err.message}`;
  }
}

$("refresh").onclick = async () => {
  const tail = new Uint8Array(await (await fetch(`/api/tail?after=${shop.seq()}`)).arrayBuffer());
  const conflicts = shop.applyTail(tail);
  render();
  $("status").textContent = `up to date at seq ${shop.seq()}; ${conflicts.length} conflict(s)`;
};

render();
$("status").textContent = `ready at seq ${shop.seq()}`;
document.body.dataset.ready = "1";
