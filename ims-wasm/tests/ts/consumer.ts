// A small TypeScript consumer of the package: `tsc --noEmit` checks the
// generated typings (scripts/test-wasm). Not run.
import { init, Engine, Storefront, ImsError, errors, decodeSyncResponse } from "ims-wasm";

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
