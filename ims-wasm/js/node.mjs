// The Node entry (ESM): the --target nodejs build is CommonJS and loads
// its .wasm synchronously, so everything is ready on import.
import { createRequire } from "node:module";
import { install } from "./errors.js";
import { installCart } from "./cart.js";

const require = createRequire(import.meta.url);
const raw = require("./node/ims_wasm.js");
install(raw);
installCart(raw);

export const { Engine, Storefront, Cart, decodeSyncResponse } = raw;
export { ImsError, errors } from "./errors.js";
/** Resolves at once in Node (the module is ready on import). */
export async function init() {}
