// checkCart's answers, built on this side of the boundary: the module
// hands over where its answer lies in its memory (one call), and the
// typed arrays are carved out of a pooled buffer.
//
// Why pooled: a typed array over 64 bytes gets its own backing store off
// V8's heap, ≈ 0.75 µs to allocate — as much as 10 cart lines' answers. A
// pool of POOL bytes, shared by answers until it is full, is one such
// allocation per many checks (Node's Buffer pool does the same for small
// Buffers). So `answer.available.buffer` is the pool, larger than the
// array and shared: copy an array (`.slice()`) before transferring its
// buffer to a worker. An answer larger than half the pool gets a buffer of
// its own.

const POOL = 16 * 1024;

/** Registers the answer factory with the raw module. Idempotent. */
export function installCart(raw) {
  raw.setCartAnswerFactory((memory) => {
    let pool = new ArrayBuffer(POOL);
    let used = 0;
    return (availablePtr, flagsPtr, n) => {
      // `available` (8n bytes, kept 8-aligned) then `enough` and `scale`.
      const size = (10 * n + 7) & ~7;
      let buf = pool;
      let at = used;
      if (size > POOL / 2) {
        buf = new ArrayBuffer(size);
        at = 0;
      } else {
        if (used + size > POOL) {
          pool = buf = new ArrayBuffer(POOL);
          at = 0;
        }
        used = at + size;
      }
      const bytes = new Uint8Array(buf, at, 10 * n);
      bytes.set(new Uint8Array(memory.buffer, availablePtr, 8 * n));
      bytes.set(new Uint8Array(memory.buffer, flagsPtr, 2 * n), 8 * n);
      return {
        available: new BigInt64Array(buf, at, n),
        enough: new Uint8Array(buf, at + 8 * n, n),
        scale: new Uint8Array(buf, at + 9 * n, n),
      };
    };
  });
}
