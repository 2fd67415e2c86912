// A small TypeScript consumer of the package: `tsc --noEmit` checks the
// generated typings (scripts/test-wasm). Not run.
import { init, Engine, Storefront, Cart, CartCheck, ImsError, errors, decodeSyncResponse } from "ims-wasm";

export async function storefront(snapshot: Uint8Array): Promise<string> {
  await init();
  const shop: Storefront = Storefront.fromSnapshot("tab-1", snapshot, { items: ["SKU-1"] }, { maxLen: 50 });
  const answer = shop.atp("SKU-1", "WEB", { at: "2026-12-11", explain: true });
  shop.reserve("SKU-1", "WEB", "2", { ttlMs: 900_000 });
  const request: Uint8Array = shop.syncRequest();
  const digest: string = shop.stateDigest();
  return `${JSON.stringify(answer)} ${request.length} ${digest}`;
}

export function server(e: Engine): number {
  try {
    e.atp("NOPE", "*", undefined);
  } catch (err) {
    if (err instanceof ImsError) {
      const code: number = err.code;
      const name: string = err.name;
      const isUnknown: boolean = err instanceof errors.UnknownItem;
      return code + name.length + Number(isUnknown);
    }
  }
  const bytes: Uint8Array = e.publicSnapshot({ items: ["SKU-1"] });
  const info = decodeSyncResponse(e.publicTail(0, undefined, undefined));
  return bytes.length + e.seq() + JSON.stringify(info).length;
}

export function cart(shop: Storefront): bigint {
  const c: Cart = shop.cart([{ sku: "SKU-1", scope: "WEB", qty: "2" }]);
  const check: CartCheck = shop.checkCart(c, "2026-12-11", undefined);
  const lines: number = c.length;
  return check.enough[0] === 1 ? check.available[0] + BigInt(check.scale[0] + lines) : 0n;
}
