// The browser entry (ESM): `await init()` fetches and compiles the .wasm
// (next to this file, or the URL / bytes / module given), then the
// classes work.
import rawInit, * as raw from "./web/ims_wasm.js";
import { install } from "./errors.js";
import { installCart } from "./cart.js";

let ready = null;
/** Loads the module once; later calls return the same promise. */
export function init(input) {
  ready ??= rawInit(input === undefined ? undefined : { module_or_path: input }).then(() => {
    install(raw);
    installCart(raw);
  });
  return ready;
}

export const { Engine, Storefront, Cart, decodeSyncResponse } = raw;
export { ImsError, errors } from "./errors.js";
