// Typings of the ims-wasm package entry. The classes' own typings are the
// ones wasm-bindgen generates from the Rust doc comments (web/ims_wasm.d.ts).
export { Engine, Storefront, Cart, decodeSyncResponse } from "./web/ims_wasm.js";
export type { CartCheck } from "./web/ims_wasm.js";

/** An error of the ims engine: `code` and `name` from its catalogue. */
export declare class ImsError extends Error {
  /** Stable numeric code, e.g. 101. */
  readonly code: number;
  /** Stable name, e.g. "UNKNOWN_ITEM". */
  readonly name: string;
  /** Whether the same call may succeed if retried unchanged. */
  readonly retryable: boolean;
  /** The error's fields. */
  readonly data: Record<string, unknown>;
}

/** One subclass of ImsError per catalogue name ("UnknownItem", ...). */
export declare const errors: Readonly<Record<string, typeof ImsError>>;

/** Loads the WebAssembly module (browser: fetches the .wasm next to the
 * entry unless given a URL, bytes or a compiled module; Node: no-op). */
export declare function init(input?: string | URL | Request | BufferSource | WebAssembly.Module): Promise<void>;
