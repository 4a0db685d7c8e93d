/**
 * Decoding of the element, data and code sections (the sections whose
 * entries come in several binary variants or carry bodies).
 *
 * @module
 */
import type { Features } from "./features.ts";
import type { Reader } from "./reader.ts";
import { readExpr, readVec } from "./decode_instr.ts";
import { readRefType, readValType } from "./decode_types.ts";
import type { Code, Data, Elem, Expr, RefType, SegmentMode, ValType } from "./types.ts";
import { FUNC_INDEX_ELEM } from "./valtype.ts";

/**
 * Most locals one function may declare (params excluded). The spec allows
 * up to 2^32-1; like V8 and wasmparser, Gannet stops at 50,000 so that a
 * tiny binary cannot make it allocate gigabytes.
 */
export const MAX_LOCALS = 50_000;

/** Reads the element section's segments (binary variants 0–7). */
export function readElemSection(r: Reader, features: Readonly<Features>): Elem[] {
  return readVec(r, (r): Elem => {
    const at = r.pos;
    const flags = r.u32();
    if (flags > 7) r.fail("malformed elements segment kind", at);
    const passiveOrDeclarative = (flags & 1) !== 0;
    const explicitTable = (flags & 2) !== 0;
    const usesExprs = (flags & 4) !== 0;
    const mode: SegmentMode = !passiveOrDeclarative
      ? "active"
      : explicitTable
      ? "declarative"
      : "passive";
    let table = 0;
    let offset: Expr | null = null;
    if (mode === "active") {
      if (explicitTable) table = r.u32();
      offset = readExpr(r, features);
    }
    // Function-index lists hold non-null references; the one expression form
    // without a type (variant 4) is funcref.
    let type: RefType = usesExprs ? 0x70 : FUNC_INDEX_ELEM;
    if (passiveOrDeclarative || explicitTable) {
      if (usesExprs) {
        type = readRefType(r, features);
      } else {
        const kat = r.pos;
        if (r.u8() !== 0x00) r.fail("malformed element kind", kat);
      }
    }
    let funcs: number[] | null = null;
    let exprs: Expr[] | null = null;
    if (usesExprs) exprs = readVec(r, (r) => readExpr(r, features));
    else funcs = readVec(r, (r) => r.u32());
    return { mode, table, offset, type, funcs, exprs, flags };
  });
}

/** Reads the data section's segments (binary variants 0–2). */
export function readDataSection(r: Reader, features: Readonly<Features>): Data[] {
  return readVec(r, (r): Data => {
    const at = r.pos;
    const flags = r.u32();
    if (flags > 2) r.fail("malformed data segment kind", at);
    if (flags === 1) {
      return { mode: "passive", memory: 0, offset: null, bytes: readBytes(r), flags };
    }
    const memory = flags === 2 ? r.u32() : 0;
    const offset = readExpr(r, features);
    return { mode: "active", memory, offset, bytes: readBytes(r), flags };
  });
}

function readBytes(r: Reader): Uint8Array {
  return r.take(r.u32());
}

/**
 * Reads the code section: each entry's local declarations are decoded, its
 * instructions are only sliced (the validator reads them).
 */
export function readCodeSection(r: Reader, out: Code[], features: Readonly<Features>): void {
  const n = r.u32();
  for (let i = 0; i < n; i++) out.push(readCode(r, features));
}

function readCode(r: Reader, features: Readonly<Features>): Code {
  const size = r.len();
  const start = r.pos;
  const end = start + size;
  const declAt = r.pos;
  const groups = r.u32();
  const locals: { count: number; type: ValType }[] = [];
  let total = 0;
  for (let i = 0; i < groups; i++) {
    const count = r.u32();
    const type = readValType(r, features) as ValType;
    locals.push({ count, type });
    total += count;
  }
  if (total >= 0x1_0000_0000) r.fail("too many locals", declAt);
  if (total > MAX_LOCALS) {
    r.fail(`too many locals (${total}; Gannet allows ${MAX_LOCALS})`, declAt);
  }
  if (r.pos > end) r.fail("section size mismatch", start);
  const body = { bytes: r.bytes.subarray(r.pos, end), offset: r.pos };
  r.pos = end;
  return { locals, body };
}
