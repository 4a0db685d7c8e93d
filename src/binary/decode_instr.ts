/**
 * Instruction-level decoding shared by the module decoder (constant
 * expressions, which are not length-prefixed and must be walked to find
 * their `end`) and the validator: opcode lookup gated by features, and the
 * immediates' encodings, all driven by the instruction table.
 *
 * @module
 */
import type { Features } from "./features.ts";
import { Imm, OPCODES, type OpInfo, PREFIX } from "./opcodes.ts";
import type { Reader } from "./reader.ts";
import type { Expr } from "./types.ts";
import { readHeapType, readValType, typedRefs } from "./decode_types.ts";

/** Per-prefix dense lookup tables: `table[code]`. */
const ONE: (OpInfo | undefined)[] = new Array(256).fill(undefined);
const FB: (OpInfo | undefined)[] = [];
const FC: (OpInfo | undefined)[] = [];
const FD: (OpInfo | undefined)[] = [];
const FE: (OpInfo | undefined)[] = [];
for (const op of OPCODES) {
  const t = op.prefix === 0
    ? ONE
    : op.prefix === PREFIX.FB
    ? FB
    : op.prefix === PREFIX.FC
    ? FC
    : op.prefix === PREFIX.FD
    ? FD
    : FE;
  t[op.code] = op;
}

/** Whether an instruction's proposal is switched on. */
export function opEnabled(op: OpInfo, features: Readonly<Features>): boolean {
  switch (op.feature) {
    case "relaxed-simd":
      return features.relaxedSimd;
    case "threads":
      return features.threads;
    case "tail-call":
      return features.tailCall;
    case "exceptions":
      // Legacy exception code throws with `throw` too.
      return features.exceptions || (op.code === 0x08 && features.legacyExceptions);
    case "legacy-exceptions":
      return features.legacyExceptions;
    case "function-references":
      return typedRefs(features);
    case "gc":
      return features.gc;
    default:
      return true;
  }
}

/** The "illegal opcode" message for a byte (and prefixed code). */
export function illegalOpcode(prefix: number, code: number): string {
  return prefix === 0
    ? `illegal opcode ${hex2(code)}`
    : `illegal opcode ${hex2(prefix)} ${code.toString(16)}`;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, "0");
}

/**
 * Reads an opcode (one byte, or a prefix byte and a u32) and returns its
 * table row. Unknown opcodes and those of disabled proposals are
 * "illegal opcode".
 */
export function readOp(r: Reader, features: Readonly<Features>): OpInfo {
  const at = r.pos;
  const b = r.u8();
  let op: OpInfo | undefined;
  let code = b;
  let prefix = 0;
  if (b === PREFIX.FC || b === PREFIX.FD || b === PREFIX.FE || b === PREFIX.FB) {
    prefix = b;
    code = r.u32();
    op = (b === PREFIX.FC ? FC : b === PREFIX.FD ? FD : b === PREFIX.FE ? FE : FB)[code];
  } else {
    op = ONE[b];
  }
  if (op === undefined || !opEnabled(op, features)) {
    r.fail(illegalOpcode(prefix, code), at);
  }
  return op;
}

/** Reads a `memidx` where wasm 2.0 has a reserved zero byte. */
export function readMemIdx(r: Reader, features: Readonly<Features>): number {
  if (features.multiMemory) return r.u32();
  const at = r.pos;
  if (r.u8() !== 0) r.fail("zero byte expected", at);
  return 0;
}

/** A decoded memarg; `offset` is exact below 2^53. */
export interface MemArg {
  align: number;
  memory: number;
  offset: number;
}

/**
 * Reads a memarg: alignment flags (bit 6: a memory index follows, under
 * multi-memory), then the offset (u64 under memory64, else u32).
 */
export function readMemArg(r: Reader, features: Readonly<Features>, out: MemArg): MemArg {
  const at = r.pos;
  const flags = r.u32();
  let memory = 0;
  if (features.multiMemory) {
    if (flags >= 0x80) r.fail("malformed memop flags", at);
    if ((flags & 0x40) !== 0) memory = r.u32();
    out.align = flags & 0x3f;
  } else {
    if (flags >= 0x20) r.fail("malformed memop flags", at);
    out.align = flags;
  }
  out.memory = memory;
  out.offset = features.memory64 ? r.u64n() : r.u32();
  return out;
}

const scratch: MemArg = { align: 0, memory: 0, offset: 0 };

/**
 * Skips (while checking the encoding of) the immediates of `op`. Index
 * values are not checked against index spaces: that is validation.
 */
export function skipImmediates(r: Reader, op: OpInfo, features: Readonly<Features>): void {
  switch (op.imm) {
    case Imm.None:
      return;
    case Imm.BlockType:
      skipBlockType(r, features);
      return;
    case Imm.TryTable: {
      skipBlockType(r, features);
      const n = r.u32();
      for (let i = 0; i < n; i++) skipCatch(r);
      return;
    }
    case Imm.Label:
    case Imm.Func:
    case Imm.Tag:
    case Imm.Type:
    case Imm.Local:
    case Imm.Global:
    case Imm.Table:
    case Imm.Elem:
    case Imm.Data:
      r.u32();
      return;
    case Imm.BrTable: {
      const n = r.len();
      for (let i = 0; i <= n; i++) r.u32();
      return;
    }
    case Imm.CallIndirect:
    case Imm.TableInit:
    case Imm.TableCopy:
    case Imm.TypeField:
    case Imm.TypeCount:
    case Imm.TypeData:
    case Imm.TypeElem:
    case Imm.TypeType:
      r.u32();
      r.u32();
      return;
    case Imm.BrOnCast: {
      const at = r.pos;
      if ((r.u8() & ~3) !== 0) r.fail("malformed br_on_cast flags", at);
      r.u32();
      readHeapType(r, features);
      readHeapType(r, features);
      return;
    }
    case Imm.MemArg:
      readMemArg(r, features, scratch);
      return;
    case Imm.MemArgLane:
      readMemArg(r, features, scratch);
      r.u8();
      return;
    case Imm.Mem:
      readMemIdx(r, features);
      return;
    case Imm.MemInit:
      r.u32();
      readMemIdx(r, features);
      return;
    case Imm.MemCopy:
      readMemIdx(r, features);
      readMemIdx(r, features);
      return;
    case Imm.I32:
      r.skipS32();
      return;
    case Imm.I64:
      r.skipS64();
      return;
    case Imm.F32:
      r.skip(4);
      return;
    case Imm.F64:
      r.skip(8);
      return;
    case Imm.V128:
    case Imm.Shuffle:
      r.skip(16);
      return;
    case Imm.Lane:
      r.u8();
      return;
    case Imm.HeapType:
      readHeapType(r, features);
      return;
    case Imm.SelectT: {
      const n = r.len();
      for (let i = 0; i < n; i++) readValType(r, features);
      return;
    }
    case Imm.Zero: {
      const at = r.pos;
      if (r.u8() !== 0) r.fail("zero byte expected", at);
      return;
    }
  }
}

/**
 * Reads a block type: 0x40 (empty; returned as -1), a value type (returned
 * as itself, a positive number), or an s33 type index (returned as
 * `-2 - index`).
 */
export function readBlockType(r: Reader, features: Readonly<Features>): number {
  const b = r.peek();
  if (b === 0x40) {
    r.pos++;
    return -1;
  }
  if (b >= 0 && (b & 0xc0) === 0x40) return readValType(r, features);
  const at = r.pos;
  const x = r.s33();
  if (x < 0) r.fail("malformed block type", at);
  return -2 - x;
}

function skipBlockType(r: Reader, features: Readonly<Features>): void {
  readBlockType(r, features);
}

/** Reads one `try_table` catch clause; returns its kind (0 catch … 3 catch_all_ref). */
export function skipCatch(r: Reader): number {
  const at = r.pos;
  const kind = r.u8();
  if (kind > 3) r.fail("malformed catch clause", at);
  if (kind < 2) r.u32(); // tag
  r.u32(); // label
  return kind;
}

/**
 * Walks a constant expression (any instructions, nested blocks included)
 * up to its final `end`, which it consumes. Returns the start offset.
 * Constness is checked by the validator, not here.
 */
export function skipExpr(r: Reader, features: Readonly<Features>): number {
  const start = r.pos;
  let depth = 0;
  for (;;) {
    const op = readOp(r, features);
    const code = op.prefix === 0 ? op.code : -1;
    if (code === 0x0b || code === 0x18) { // end, delegate
      if (depth === 0) return start;
      depth--;
    } else if (
      code === 0x02 || code === 0x03 || code === 0x04 || code === 0x06 || code === 0x1f
    ) {
      depth++;
    }
    skipImmediates(r, op, features);
  }
}

/**
 * Reads a `vec(T)`. The count is not checked against the remaining bytes
 * (a short vector is "unexpected end", as in the reference interpreter),
 * so nothing is preallocated from it: every item takes at least one byte.
 */
export function readVec<T>(r: Reader, item: (r: Reader) => T): T[] {
  const n = r.u32();
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(item(r));
  return out;
}

/** Reads a constant expression up to and including its `end`. */
export function readExpr(r: Reader, features: Readonly<Features>): Expr {
  const start = skipExpr(r, features);
  return { bytes: r.bytes.subarray(start, r.pos), offset: start };
}
