// Which built package the tests load: IMS_WASM_PKG (a folder made by
// scripts/build-wasm), default the full build. Apart from pkg.mjs so that
// a test can load the raw module without the package's entry.
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
export const pkgDir = path.resolve(process.env.IMS_WASM_PKG ?? path.join(here, "..", "pkg", "full"));
export const repo = path.resolve(here, "..", "..");
