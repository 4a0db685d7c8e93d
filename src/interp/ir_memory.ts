/**
 * The memory-0 load and store ops of the register IR. Each wasm load or
 * store has an IR op of the same name (address operand plus memarg offset)
 * and address forms beside it: `_d` (a constant added to the address fused
 * in), `_abs` (a constant address), and for stores `_k` (a constant value).
 * Float loads are value loads (see `FLOAT_LOADS`); float stores run as the
 * integer store of the same bits (`IR_ALIASES` in `ir_defs.ts`).
 *
 * @module
 */

/** Memory-0 loads: [result kind, bytes, expression or statements over `ea`]. */
const LOADS: Record<string, [string, number, string]> = {
  "i32.load": ["i", 4, "I32[d] = DV.getInt32(ea, true);"],
  "i64.load": ["l", 8, "I32[d] = DV.getInt32(ea, true); I32[d + 1] = DV.getInt32(ea + 4, true);"],
  "i32.load8_s": ["i", 1, "I32[d] = (M8[ea] << 24) >> 24;"],
  "i32.load8_u": ["i", 1, "I32[d] = M8[ea];"],
  "i32.load16_s": ["i", 2, "I32[d] = DV.getInt16(ea, true);"],
  "i32.load16_u": ["i", 2, "I32[d] = DV.getUint16(ea, true);"],
  "i64.load8_s": ["l", 1, "const v = (M8[ea] << 24) >> 24; I32[d] = v; I32[d + 1] = v >> 31;"],
  "i64.load8_u": ["l", 1, "I32[d] = M8[ea]; I32[d + 1] = 0;"],
  "i64.load16_s": ["l", 2, "const v = DV.getInt16(ea, true); I32[d] = v; I32[d + 1] = v >> 31;"],
  "i64.load16_u": ["l", 2, "I32[d] = DV.getUint16(ea, true); I32[d + 1] = 0;"],
  "i64.load32_s": ["l", 4, "const v = DV.getInt32(ea, true); I32[d] = v; I32[d + 1] = v >> 31;"],
  "i64.load32_u": ["l", 4, "I32[d] = DV.getInt32(ea, true); I32[d + 1] = 0;"],
};

/** Memory-0 stores: [value kind, bytes, statements over `ea` and value `b`]. */
const STORES: Record<string, [string, number, string]> = {
  "i32.store": ["i", 4, "DV.setInt32(ea, b, true);"],
  "i64.store": ["l", 8, "DV.setInt32(ea, bl, true); DV.setInt32(ea + 4, bh, true);"],
  "i32.store8": ["i", 1, "M8[ea] = b;"],
  "i32.store16": ["i", 2, "DV.setInt16(ea, b, true);"],
  "i64.store8": ["l", 1, "M8[ea] = bl;"],
  "i64.store16": ["l", 2, "DV.setInt16(ea, bl, true);"],
  "i64.store32": ["l", 4, "DV.setInt32(ea, bl, true);"],
};

/**
 * Value loads of floats: only used when the loaded value feeds arithmetic
 * directly (the translator rewrites the bit-exact `i64.load` it emitted for
 * an `f64.load`), since a signalling NaN read as a JS number may come out
 * quiet where it is stored again (V8's Maglev tier silences NaNs in float64
 * stores; a float32 widened to a double is quieted at once) — harmless when
 * the next instruction computes with it.
 */
const FLOAT_LOADS: Record<string, [string, number, string]> = {
  "f32.load": ["f", 4, "F32[d] = DV.getFloat32(ea, true);"],
  "f64.load": ["d", 8, "F64[d] = DV.getFloat64(ea, true);"],
};

/** Bounds check of effective address `ea` for an access of `bytes`. */
const check = (bytes: number) => `if (ea > memLen - ${bytes}) memoryFault();`;
/** Plain form: address operand plus the unsigned memarg offset. */
export const ea = (bytes: number): string => `const ea = (a >>> 0) + (o >>> 0); ${check(bytes)}`;
/** `_d` form: an `i32.add` of a constant fused in (wraps like the add). */
export const eaDisp = (bytes: number): string => `const ea = (a + k) >>> 0; ${check(bytes)}`;
/** `_abs` form: a constant address (with the offset already added, < 2^32). */
const eaAbs = (bytes: number) => `const ea = o >>> 0; ${check(bytes)}`;

/**
 * Adds the IR ops of wasm memory access `name` (a MemArg instruction) through
 * `def`, in table order: the plain form, then `_d`, `_abs` and (stores) `_k`.
 * Float stores add nothing: they run as the integer store of the same bits.
 */
export function defineMemoryOp(
  def: (name: string, spec: string, body: string) => void,
  name: string,
): void {
  const ld = LOADS[name] ?? FLOAT_LOADS[name], st = STORES[name];
  if (ld) {
    def(name, `d:${ld[0]} a:i o:#`, `${ea(ld[1])} ${ld[2]}`);
    def(name + "_d", `d:${ld[0]} a:i k:#`, `${eaDisp(ld[1])} ${ld[2]}`);
    def(name + "_abs", `d:${ld[0]} o:#`, `${eaAbs(ld[1])} ${ld[2]}`);
  }
  if (st) {
    def(name, `a:i b:${st[0]} o:#`, `${ea(st[1])} ${st[2]}`);
    def(name + "_d", `a:i b:${st[0]} k:#`, `${eaDisp(st[1])} ${st[2]}`);
    def(name + "_abs", `b:${st[0]} o:#`, `${eaAbs(st[1])} ${st[2]}`);
    // Constant value (zeroing and flag stores are common).
    def(name + "_k", `a:i b:${st[0] === "l" ? "L" : "#"} o:#`, `${ea(st[1])} ${st[2]}`);
  }
}
