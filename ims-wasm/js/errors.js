// Errors of the ims wasm door: every failure is thrown as an ImsError
// (a subclass of Error) or, more precisely, as the subclass named after
// its catalogue entry (UNKNOWN_ITEM -> errors.UnknownItem), built here from
// the core's own catalogue so the classes never drift from the codes.

/** An error of the ims engine: `code` and `name` from its catalogue. */
export class ImsError extends Error {
  constructor(code, name, message, retryable, data) {
    super(message);
    /** Stable numeric code (the catalogue's). */
    this.code = code;
    /** Stable name, e.g. "UNKNOWN_ITEM". */
    this.name = name;
    /** Whether the same call may succeed if retried unchanged. */
    this.retryable = retryable;
    /** The error's fields (what, which item, how many...). */
    this.data = data;
  }
}

/** One subclass of ImsError per catalogue name, keyed "UnknownItem". */
export const errors = {};

const pascal = (name) =>
  name.toLowerCase().replace(/(^|_)([a-z0-9])/g, (_, __, c) => c.toUpperCase());

/** Builds the classes from `raw.errorCatalogue()` and registers the
 * factory the wasm module throws through. Idempotent. */
export function install(raw) {
  const byName = new Map();
  for (const e of raw.errorCatalogue()) {
    const cls = { [pascal(e.name)]: class extends ImsError {} }[pascal(e.name)];
    errors[pascal(e.name)] = cls;
    byName.set(e.name, cls);
  }
  raw.setErrorFactory((code, name, message, retryable, data) => {
    const Cls = byName.get(name) ?? ImsError;
    return new Cls(code, name, message, retryable, JSON.parse(data));
  });
}
