/**
 * Whether f64 values may travel through the register file as doubles, and
 * the pool of f64 constants the dispatch loop reads them from.
 *
 * An f64 is bit-exact as two int32 halves on every host, but a value
 * written as two 32-bit halves and then read as one 64-bit double misses
 * the CPU's store-to-load forwarding: the read waits for both stores to
 * reach the cache (measured on this repository's x64 machine: 11 ns against
 * 1.2 ns per write-then-read). So where the host keeps a double's bits
 * through `Float64Array` and `DataView` reads and writes (V8: NaN payloads
 * and signalling NaNs survive), the translator keeps f64 values as doubles
 * end to end: f64 loads, local copies and constants write the slot with one
 * 64-bit store. Where it does not (JavaScriptCore canonicalizes NaNs it
 * reads), f64 values stay in integer halves except where arithmetic
 * consumes them at once (there any NaN may be canonical).
 *
 * @module
 */

/** Bit patterns the probe sends through the float paths: signalling and payload NaNs. */
const PROBE: readonly [number, number][] = [
  [1, 0x7ff00000],
  [0, 0x7ff40000],
  [0x12345678, 0xfff7abcd | 0],
  [0, 0x7ff80000],
];

/** Whether double reads and writes keep the bits of the probe's NaNs (several rounds: every tier). */
function probe(): boolean {
  const a = new Int32Array(4), b = new Int32Array(4);
  const fa = new Float64Array(a.buffer), fb = new Float64Array(b.buffer);
  const dv = new DataView(new ArrayBuffer(16));
  for (let round = 0; round < 200; round++) {
    for (const [lo, hi] of PROBE) {
      a[0] = lo;
      a[1] = hi;
      fb[1] = fa[0];
      dv.setFloat64(0, fb[1], true);
      fb[0] = dv.getFloat64(0, true);
      if (b[0] !== lo || b[1] !== hi || b[2] !== lo || b[3] !== hi) return false;
    }
  }
  return true;
}

/** Whether this host keeps doubles' bits (see the module documentation). */
export const F64_EXACT: boolean = probe();

/** Capacity of the pool: a module with more distinct f64 constants materializes the rest as halves. */
const CAPACITY = 4096;

/** The pool of f64 constants (`constf64 d k` reads `F64_CONSTS[k]`); it never moves. */
export const F64_CONSTS: Float64Array = new Float64Array(CAPACITY);

const index = new Map<string, number>();
let used = 0;
const bits = new Int32Array(F64_CONSTS.buffer);

/**
 * The pool index of the f64 whose bits are (`lo`, `hi`), adding it if new;
 * -1 when the host is not exact or the pool is full.
 */
export function f64ConstIndex(lo: number, hi: number): number {
  if (!F64_EXACT) return -1;
  const key = `${lo}:${hi}`;
  const k = index.get(key);
  if (k !== undefined) return k;
  if (used === CAPACITY) return -1;
  bits[2 * used] = lo;
  bits[2 * used + 1] = hi;
  index.set(key, used);
  return used++;
}
