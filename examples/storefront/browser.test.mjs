// End to end in a real browser: the storefront page served on 127.0.0.1,
// opened in headless Chromium (Debian's, driven by playwright-core),
// clicked through add-to-cart and a server-side delta; the numbers on the
// page are checked and a screenshot saved (IMS_SCREENSHOT, default
// ims-wasm/pkg/storefront.png). Server and browser are stopped at the end.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { start } from "./server.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");
const require = createRequire(path.join(repo, "ims-wasm", "tools", "package.json"));
const { chromium } = require("playwright-core");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";

test("a shopper sees stock, holds a cart line, and the page follows the server", async () => {
  const server = await start(0);
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(server.url);
    await page.waitForSelector("body[data-ready='1']", { timeout: 30000 });
    const cell = (sku, cls) => page.textContent(`tr[data-sku='${sku}'] .${cls}`);

    assert.equal(await cell("TEA-EARL", "now"), "12 left");
    assert.equal(await cell("MUG-BLUE", "now"), "1 left");
    assert.equal(await cell("KETTLE", "now"), "sold out");
    assert.equal(await cell("KETTLE", "friday"), "5", "the kettles arriving on Friday");
    assert.equal(await page.isDisabled("tr[data-sku='KETTLE'] button.add"), true);

    // Add a mug: held at once on the page, then accepted by the server.
    await page.click("tr[data-sku='MUG-BLUE'] button.add");
    await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("held"));
    assert.equal(await cell("MUG-BLUE", "now"), "sold out");
    assert.match(await page.textContent("#status"), /server accepted 1, conflicts 0/);
    assert.equal(server.engine.atp("MUG-BLUE", "WEB").now, "0", "the server holds it too");
    assert.match(await page.textContent("#cart"), /Blue mug × 1/);

    // Add two Earl Grey; meanwhile a till sells 5 at the server; the page applies the delta.
    await page.click("tr[data-sku='TEA-EARL'] button.add");
    await page.waitForFunction(() => document.querySelectorAll("#cart li").length === 2);
    await fetch(new URL("/api/sell", server.url), { method: "POST", body: JSON.stringify({ sku: "TEA-EARL", qty: "5" }) });
    await page.click("#refresh");
    await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("up to date"));
    assert.equal(await cell("TEA-EARL", "now"), "6 left", "12 - 1 held - 5 sold");
    assert.equal(server.engine.atp("TEA-EARL", "WEB").now, "6");

    const shot = process.env.IMS_SCREENSHOT ?? path.join(repo, "ims-wasm", "pkg", "storefront.png");
    await page.screenshot({ path: shot, fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
