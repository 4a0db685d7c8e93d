/**
 * The instruction loop of the translator (see `translate.ts` for the
 * scheme): one `switch` over wasm opcodes emitting register IR.
 *
 * @module
 */

import { Imm, ONE_BYTE, opByCode, OPCODES, type OpInfo } from "../binary/opcodes.ts";
import { CompileError } from "../errors.ts";
import { slotSize } from "../runtime/func.ts";
import { IR, IR_ALIASES, IR_DEFS } from "./ir_defs.ts";
import {
  BLOCK,
  CONST,
  ELSE,
  FUNC,
  IF,
  IR_SCALES,
  isRef,
  LOCAL,
  LOOP,
  TEMP,
  type Translator,
} from "./translate.ts";

const NONE = -1;

/** IR op executing each wasm op directly (numeric, load, store), by table index. */
const PLAIN: Int32Array = new Int32Array(OPCODES.length).fill(NONE);
/** The `_i` form (right operand immediate), by table index. */
const WITH_IMM: Int32Array = new Int32Array(OPCODES.length).fill(NONE);
/** The `_i` form with operands swapped (left operand immediate), by table index. */
const SWAPPED_IMM: Int32Array = new Int32Array(OPCODES.length).fill(NONE);
/** For a compare IR op (register or `_i` form): its fused br_if / br_unless. */
const BR_IF = new Map<number, number>();
const BR_UNLESS = new Map<number, number>();

const MIRROR: Record<string, string> = {
  eq: "eq",
  ne: "ne",
  add: "add",
  mul: "mul",
  and: "and",
  or: "or",
  xor: "xor",
  lt_s: "gt_s",
  gt_s: "lt_s",
  lt_u: "gt_u",
  gt_u: "lt_u",
  le_s: "ge_s",
  ge_s: "le_s",
  le_u: "ge_u",
  ge_u: "le_u",
};

for (const op of OPCODES) {
  const name = IR_ALIASES[op.name] ?? op.name;
  if (IR[name] !== undefined) PLAIN[op.index] = IR[name];
  if (IR[name + "_i"] !== undefined) WITH_IMM[op.index] = IR[name + "_i"];
  const [type, stem] = op.name.split(".");
  const mirrored = MIRROR[stem];
  if (mirrored !== undefined && IR[`${type}.${mirrored}_i`] !== undefined) {
    SWAPPED_IMM[op.index] = IR[`${type}.${mirrored}_i`];
  }
}
/** Integer compares and their negations (`!(a < b)` is `a >= b`; not so for floats). */
const NEGATED: Record<string, string> = {
  eq: "ne",
  ne: "eq",
  lt_s: "ge_s",
  ge_s: "lt_s",
  lt_u: "ge_u",
  ge_u: "lt_u",
  gt_s: "le_s",
  le_s: "gt_s",
  gt_u: "le_u",
  le_u: "gt_u",
};
for (const d of IR_DEFS) {
  if (d.name.startsWith("br_if.")) BR_IF.set(IR[d.name.slice(6)], IR[d.name]);
  if (d.name.startsWith("br_unless.")) BR_UNLESS.set(IR[d.name.slice(10)], IR[d.name]);
}
/** Integer compare IR op → its negation (same operands). */
const NEGATED_OP = new Map<number, number>();
for (const d of IR_DEFS) {
  const m = /^(i32|i64)\.([a-z_]+?)(_i)?$/.exec(d.name);
  if (m === null || NEGATED[m[2]] === undefined) continue;
  const neg = IR[`${m[1]}.${NEGATED[m[2]]}${m[3] ?? ""}`];
  if (neg !== undefined) NEGATED_OP.set(IR[d.name], neg);
}
for (const d of IR_DEFS) {
  const m = /^(i32|i64)\.([a-z_]+?)(_i)?$/.exec(d.name);
  if (m === null || NEGATED[m[2]] === undefined || !BR_IF.has(IR[d.name])) continue;
  const neg = IR[`br_if.${m[1]}.${NEGATED[m[2]]}${m[3] ?? ""}`];
  if (neg !== undefined) BR_UNLESS.set(IR[d.name], neg);
}

const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b;

/** Value type of a signature letter (`a` = the memory's address type). */
function letterType(c: string, addr64: boolean): number {
  switch (c) {
    case "i":
      return I32;
    case "l":
      return I64;
    case "f":
      return F32;
    case "d":
      return F64;
    case "v":
      return V128;
    default:
      return addr64 ? I64 : I32;
  }
}

/**
 * If the stack top is the result of a just-emitted comparison, removes that
 * instruction and returns [compare IR op, its operand words]; else null.
 */
function takeCompare(t: Translator): [number, number[]] | null {
  if (!t.topIsLast()) return null;
  const start = t.lastStart;
  const op = t.code[start];
  if (!BR_IF.has(op) && op !== IR["i32.eqz"]) return null;
  const size = IR_DEFS[op].size;
  const words: number[] = [];
  for (let i = 2; i < size; i++) words.push(t.code[start + i]);
  t.n = start;
  t.lastStart = -1;
  return [op, words];
}

/** Emits "jump to `c` when the condition on the stack top is true (or false if `negate`)". */
function condJump(
  cmp: [number, number[]] | null,
  cond: number,
  negate: boolean,
  emitJump: (op: number, words: number[]) => void,
): void {
  if (cmp === null) {
    emitJump(negate ? IR["br_unless"] : IR["br_if"], [cond]);
  } else if (cmp[0] === IR["i32.eqz"]) {
    emitJump(negate ? IR["br_if"] : IR["br_unless"], cmp[1]);
  } else {
    emitJump((negate ? BR_UNLESS : BR_IF).get(cmp[0])!, cmp[1]);
  }
}

/** Skips the unreachable rest of a block, stopping before its `else`/`end`. */
function skipDead(t: Translator): void {
  let depth = 0;
  for (;;) {
    const at = t.pos;
    const b = t.byte();
    const op = b >= 0xfc ? opByCode(b, t.u32()) : ONE_BYTE[b];
    if (op === undefined) throw new CompileError(`unknown opcode 0x${b.toString(16)}`);
    if (op.name === "block" || op.name === "loop" || op.name === "if") depth++;
    else if (op.name === "end" || op.name === "else") {
      if (depth === 0) {
        t.pos = at;
        return;
      }
      if (op.name === "end") depth--;
    }
    skipImmediates(t, op);
  }
}

/** Reads past an instruction's immediates. */
function skipImmediates(t: Translator, op: OpInfo): void {
  switch (op.imm) {
    case Imm.None:
      return;
    case Imm.BlockType:
      t.blockType();
      return;
    case Imm.BrTable: {
      const n = t.u32();
      for (let i = 0; i <= n; i++) t.u32();
      return;
    }
    case Imm.CallIndirect:
    case Imm.TableInit:
    case Imm.TableCopy:
    case Imm.MemInit:
    case Imm.MemCopy:
      t.u32();
      t.u32();
      return;
    case Imm.MemArg:
    case Imm.MemArgLane: {
      const flags = t.u32();
      if (flags & 0x40) t.u32();
      t.u64();
      if (op.imm === Imm.MemArgLane) t.byte();
      return;
    }
    case Imm.I32:
      t.s32();
      return;
    case Imm.I64:
      t.s64();
      return;
    case Imm.F32:
      t.pos += 4;
      return;
    case Imm.F64:
      t.pos += 8;
      return;
    case Imm.V128:
    case Imm.Shuffle:
      t.pos += 16;
      return;
    case Imm.Lane:
    case Imm.RefType:
    case Imm.Zero:
      t.pos++;
      return;
    case Imm.SelectT: {
      const n = t.u32();
      t.pos += n;
      return;
    }
    default:
      t.u32();
  }
}

/** Translates the whole body of `t.fn`. */
export function translateBody(t: Translator): void {
  const mod = t.inst.module;
  const funcType = (f: number) => t.inst.funcs[f].type;
  t.pushCtl(FUNC, [], t.fn.type.results);
  for (;;) {
    if (t.ctl[t.ctl.length - 1].unreachable) skipDead(t);
    const b = t.byte();
    const op = b >= 0xfc ? opByCode(b, t.u32()) : ONE_BYTE[b];
    if (op === undefined) throw new CompileError(`unknown opcode 0x${b.toString(16)}`);
    switch (op.name) {
      case "unreachable":
        t.emit(IR["unreachable"]);
        t.setUnreachable();
        break;
      case "nop":
        break;
      case "block":
      case "loop": {
        const [params, results] = t.blockType();
        t.materializeForControl(params.length);
        const c = t.pushCtl(op.name === "loop" ? LOOP : BLOCK, params, results);
        if (c.kind === LOOP) c.target = t.label();
        break;
      }
      case "if": {
        const [params, results] = t.blockType();
        const cmp = takeCompare(t);
        if (cmp === null && t.vk[t.sp - 1] === CONST) t.materialize(t.sp - 1);
        const cond = t.operand(t.sp - 1, "i");
        t.pop();
        t.materializeForControl(params.length);
        const c = t.pushCtl(IF, params, results);
        condJump(cmp, cond, true, (o, w) => {
          t.emit(o, ...w, -1);
          c.elsePatch = t.n - 1;
        });
        t.label();
        break;
      }
      case "else": {
        const c = t.ctl[t.ctl.length - 1];
        if (!c.unreachable) {
          for (let h = t.sp - c.results.length; h < t.sp; h++) t.materialize(h);
          t.emit(IR["br"], -1);
          c.patches.push(t.n - 1);
        }
        t.code[c.elsePatch] = t.label();
        c.elsePatch = -1;
        t.popTo(c.base);
        for (const p of c.params) t.push(p);
        c.kind = ELSE;
        c.unreachable = false;
        break;
      }
      case "end": {
        const c = t.ctl[t.ctl.length - 1];
        if (c.kind === FUNC) {
          if (!c.unreachable) t.emitReturn();
          return;
        }
        if (!c.unreachable) {
          for (let h = t.sp - c.results.length; h < t.sp; h++) t.materialize(h);
        }
        t.patchEnd(c);
        t.ctl.pop();
        t.popTo(c.base);
        for (const r of c.results) t.push(r);
        break;
      }
      case "br": {
        const c = t.labelCtl(t.u32());
        if (c.kind === FUNC) t.emitReturn();
        else {
          t.branchMoves(c);
          t.jumpTo(c, IR["br"]);
        }
        t.setUnreachable();
        break;
      }
      case "br_if": {
        const c = t.labelCtl(t.u32());
        const cmp = takeCompare(t);
        if (cmp === null && t.vk[t.sp - 1] === CONST) t.materialize(t.sp - 1);
        const cond = t.operand(t.sp - 1, "i");
        t.pop();
        if (!t.needsMoves(c)) {
          condJump(cmp, cond, false, (o, w) => t.jumpTo(c, o, ...w));
        } else {
          let skip = -1;
          condJump(cmp, cond, true, (o, w) => {
            t.emit(o, ...w, -1);
            skip = t.n - 1;
          });
          if (c.kind === FUNC) t.emitReturn();
          else {
            t.branchMoves(c);
            t.jumpTo(c, IR["br"]);
          }
          t.code[skip] = t.label();
        }
        break;
      }
      case "br_table": {
        const n = t.u32();
        const depths: number[] = [];
        for (let i = 0; i <= n; i++) depths.push(t.u32());
        if (t.vk[t.sp - 1] === CONST) t.materialize(t.sp - 1);
        const idx = t.operand(t.sp - 1, "i");
        t.pop();
        t.emit(IR["br_table"], idx, n, ...depths.map(() => -1));
        const first = t.n - depths.length;
        const pads = new Map<number, number[]>();
        depths.forEach((d, i) => {
          const c = t.labelCtl(d);
          if (t.needsMoves(c)) {
            const list = pads.get(d) ?? [];
            list.push(first + i);
            pads.set(d, list);
          } else if (c.kind === LOOP) t.code[first + i] = c.target;
          else c.patches.push(first + i);
        });
        for (const [d, positions] of pads) {
          const here = t.label();
          for (const p of positions) t.code[p] = here;
          const c = t.labelCtl(d);
          if (c.kind === FUNC) t.emitReturn();
          else {
            t.branchMoves(c);
            t.jumpTo(c, IR["br"]);
          }
        }
        t.setUnreachable();
        break;
      }
      case "return":
        t.emitReturn();
        t.setUnreachable();
        break;
      case "call":
      case "return_call": {
        const f = t.u32();
        const type = funcType(f);
        const k = type.params.length;
        for (let h = t.sp - k; h < t.sp; h++) t.materialize(h);
        const base = t.slotAt(t.sp - k);
        const imported = f < t.inst.funcs.length && t.inst.funcs[f].inst !== t.inst;
        if (op.name === "call") {
          t.emit(imported ? IR["call_import"] : IR["call"], f, base);
        } else {
          t.emit(imported ? IR["return_call_import"] : IR["return_call"], f, base, 0);
        }
        t.popTo(t.sp - k);
        for (const r of type.results) t.push(r);
        if (op.name === "return_call") t.setUnreachable();
        break;
      }
      case "call_indirect":
      case "return_call_indirect": {
        const typeIdx = t.u32();
        const table = t.u32();
        const type = mod.types[typeIdx];
        if (t.vk[t.sp - 1] === CONST) t.materialize(t.sp - 1);
        const c = t.operand(t.sp - 1, "w");
        t.pop();
        const k = type.params.length;
        for (let h = t.sp - k; h < t.sp; h++) t.materialize(h);
        const base = t.slotAt(t.sp - k);
        const id = t.inst.typeIds[typeIdx];
        if (op.name === "call_indirect") t.emit(IR["call_indirect"], table, id, base, c);
        else t.emit(IR["return_call_indirect"], table, id, base, c, 0);
        t.popTo(t.sp - k);
        for (const r of type.results) t.push(r);
        if (op.name === "return_call_indirect") t.setUnreachable();
        break;
      }
      case "drop":
        t.pop();
        break;
      case "select":
      case "select_t": {
        if (op.name === "select_t") skipImmediates(t, op);
        const type = t.vt[t.sp - 2];
        for (let h = t.sp - 3; h < t.sp; h++) if (t.vk[h] === CONST) t.materialize(h);
        const ref = isRef(type);
        const k = ref ? "s" : "w";
        const a = t.operand(t.sp - 3, k), bb = t.operand(t.sp - 2, k);
        const c = t.operand(t.sp - 1, "i");
        t.popTo(t.sp - 3);
        t.push(type);
        const d = t.vs[t.sp - 1] * (ref ? 1 : 2);
        const sel = ref
          ? IR["selectref"]
          : type === V128
          ? IR["select128"]
          : type === I64 || type === F64
          ? IR["select64"]
          : IR["select32"];
        t.produced(t.emit(sel, d, c, a, bb), ref ? 1 : 2);
        break;
      }
      case "local.get": {
        const x = t.u32();
        t.push(t.localTypes[x], LOCAL, t.localSlot[x]);
        break;
      }
      case "local.set":
      case "local.tee": {
        const x = t.u32();
        const slot = t.localSlot[x], type = t.localTypes[x];
        const h = t.sp - 1;
        if (t.localRefs > 0) {
          // Earlier reads of the local must keep the old value.
          for (let i = 0; i < t.sp; i++) {
            if (t.vk[i] === LOCAL && t.vv[i] === slot && i !== h) t.materialize(i);
          }
        }
        if (t.topIsLast()) t.code[t.lastDest] = slot * t.lastScale;
        else if (!(t.vk[h] === LOCAL && t.vv[h] === slot)) t.valueTo(h, slot);
        t.pop();
        t.lastStart = -1;
        if (op.name === "local.tee") t.push(type, LOCAL, slot);
        break;
      }
      case "global.get": {
        const g = t.inst.globals[t.u32()];
        const type = g.type.type;
        t.push(type);
        const s = t.vs[t.sp - 1];
        if (isRef(type)) t.produced(t.emit(IR["global.getref"], s, g.cell), 1);
        else {
          const o = type === V128
            ? IR["global.get128"]
            : type === I64 || type === F64
            ? IR["global.get64"]
            : IR["global.get32"];
          t.produced(t.emit(o, s * 2, g.cell * 2), 2);
        }
        break;
      }
      case "global.set": {
        const g = t.inst.globals[t.u32()];
        const type = g.type.type;
        if (t.vk[t.sp - 1] === CONST) t.materialize(t.sp - 1);
        if (isRef(type)) t.emit(IR["global.setref"], g.cell, t.operand(t.sp - 1, "s"));
        else {
          const o = type === V128
            ? IR["global.set128"]
            : type === I64 || type === F64
            ? IR["global.set64"]
            : IR["global.set32"];
          t.emit(o, g.cell * 2, t.operand(t.sp - 1, "w"));
        }
        t.pop();
        break;
      }
      case "table.get": {
        const x = t.u32();
        if (t.vk[t.sp - 1] === CONST) t.materialize(t.sp - 1);
        const a = t.operand(t.sp - 1, "w");
        t.pop();
        t.push(tableElemType(t, x));
        t.produced(t.emit(IR["table.get"], t.vs[t.sp - 1], x, a), 1);
        break;
      }
      case "table.set": {
        const x = t.u32();
        for (let h = t.sp - 2; h < t.sp; h++) if (t.vk[h] === CONST) t.materialize(h);
        t.emit(IR["table.set"], x, t.operand(t.sp - 2, "w"), t.operand(t.sp - 1, "s"));
        t.popTo(t.sp - 2);
        break;
      }
      case "memory.size": {
        const m = t.u32();
        t.push(t.inst.memories[m].index64 ? I64 : I32);
        t.produced(t.emit(IR["memory.size"], t.vs[t.sp - 1] * 2, m), 2);
        break;
      }
      case "memory.grow": {
        const m = t.u32();
        if (t.vk[t.sp - 1] === CONST) t.materialize(t.sp - 1);
        const a = t.operand(t.sp - 1, "w");
        const type = t.vt[t.sp - 1];
        t.pop();
        t.push(type);
        t.produced(t.emit(IR["memory.grow"], t.vs[t.sp - 1] * 2, m, a), 2);
        break;
      }
      case "memory.fill": {
        const m = t.u32();
        operands3(t);
        t.emit(IR["memory.fill"], m, ...words3(t));
        t.popTo(t.sp - 3);
        break;
      }
      case "memory.copy": {
        const dm = t.u32(), sm = t.u32();
        operands3(t);
        t.emit(IR["memory.copy"], dm, sm, ...words3(t));
        t.popTo(t.sp - 3);
        break;
      }
      case "memory.init": {
        const seg = t.u32(), m = t.u32();
        operands3(t);
        t.emit(IR["memory.init"], m, seg, ...words3(t));
        t.popTo(t.sp - 3);
        break;
      }
      case "data.drop":
        t.emit(IR["data.drop"], t.u32());
        break;
      case "table.init": {
        const seg = t.u32(), x = t.u32();
        operands3(t);
        t.emit(IR["table.init"], x, seg, ...words3(t));
        t.popTo(t.sp - 3);
        break;
      }
      case "elem.drop":
        t.emit(IR["elem.drop"], t.u32());
        break;
      case "table.copy": {
        const dx = t.u32(), sx = t.u32();
        operands3(t);
        t.emit(IR["table.copy"], dx, sx, ...words3(t));
        t.popTo(t.sp - 3);
        break;
      }
      case "table.grow": {
        const x = t.u32();
        for (let h = t.sp - 2; h < t.sp; h++) if (t.vk[h] === CONST) t.materialize(h);
        const init = t.operand(t.sp - 2, "s"), n = t.operand(t.sp - 1, "w");
        const type = t.vt[t.sp - 1];
        t.popTo(t.sp - 2);
        t.push(type);
        t.produced(t.emit(IR["table.grow"], t.vs[t.sp - 1] * 2, x, init, n), 2);
        break;
      }
      case "table.size": {
        const x = t.u32();
        t.push(t.inst.tables[x].index64 ? I64 : I32);
        t.produced(t.emit(IR["table.size"], t.vs[t.sp - 1] * 2, x), 2);
        break;
      }
      case "table.fill": {
        const x = t.u32();
        for (let h = t.sp - 3; h < t.sp; h++) if (t.vk[h] === CONST) t.materialize(h);
        const i = t.operand(t.sp - 3, "w"), v = t.operand(t.sp - 2, "s");
        const n = t.operand(t.sp - 1, "w");
        t.emit(IR["table.fill"], x, i, v, n);
        t.popTo(t.sp - 3);
        break;
      }
      case "ref.null": {
        const rt = t.byte();
        t.push(rt);
        t.produced(t.emit(IR["ref.null"], t.vs[t.sp - 1]), 1);
        break;
      }
      case "ref.is_null": {
        const a = t.operand(t.sp - 1, "s");
        t.pop();
        t.push(I32);
        t.produced(t.emit(IR["ref.is_null"], t.vs[t.sp - 1] * 2, a), 2);
        break;
      }
      case "ref.func": {
        const f = t.u32();
        t.push(0x70);
        t.produced(t.emit(IR["ref.func"], t.vs[t.sp - 1], f), 1);
        break;
      }
      case "i32.const":
        t.push(I32, CONST, t.s32());
        break;
      case "i64.const": {
        const lo = t.s64();
        t.push(I64, CONST, lo, t.hi);
        break;
      }
      case "f32.const":
        t.push(F32, CONST, t.word());
        break;
      case "f64.const": {
        const lo = t.word();
        t.push(F64, CONST, lo, t.word());
        break;
      }
      case "v128.const": {
        const w = [t.word(), t.word(), t.word(), t.word()];
        t.push(V128);
        t.produced(t.emit(IR["const128"], t.vs[t.sp - 1] * 2, ...w), 2);
        break;
      }
      default:
        if (op.imm === Imm.MemArg && op.feature === "mvp") memAccess(t, op);
        else if (op.feature === "simd" || op.feature === "relaxed-simd") simdOp(t, op);
        else if (PLAIN[op.index] !== NONE && op.imm === Imm.None) numeric(t, op);
        else throw new CompileError(`instruction ${op.name} is not supported by the interpreter`);
    }
  }
}

function tableElemType(t: Translator, x: number): number {
  return t.inst.tables[x].elemType;
}

/** Materializes constant operands among the top three entries. */
function operands3(t: Translator): void {
  for (let h = t.sp - 3; h < t.sp; h++) if (t.vk[h] === CONST) t.materialize(h);
}

/** The top three entries as word operands. */
function words3(t: Translator): number[] {
  return [t.operand(t.sp - 3, "w"), t.operand(t.sp - 2, "w"), t.operand(t.sp - 1, "w")];
}

/** Bit-exact loads of float values, and their value-load twins. */
const VALUE_LOADS = new Map<number, number>();
for (const [bits, value] of [["i64", "f64"], ["i32", "f32"]]) {
  for (const sfx of ["", "_d", "_abs"]) {
    VALUE_LOADS.set(IR[`${bits}.load${sfx}`], IR[`${value}.load${sfx}`]);
  }
}

/**
 * If the float operand at height `h` was just loaded (bit-exactly, as an
 * integer load), switches that load to a float value load: arithmetic
 * consumes it, so NaN payload bits do not matter and one float read is
 * cheaper than two integer ones.
 */
function valueLoad(t: Translator, h: number): void {
  if (t.lastStart < 0 || t.lastHeight !== h || t.vk[h] !== TEMP) return;
  const type = t.vt[h];
  if (type !== F64 && type !== F32) return;
  const op = t.code[t.lastStart];
  const v = VALUE_LOADS.get(op);
  if (v === undefined) return;
  const bits64 = IR_DEFS[op].name.startsWith("i64");
  if (bits64 !== (type === F64)) return;
  t.code[t.lastStart] = v;
  // A value load of f64 writes its slot index, not a word index.
  if (type === F64) t.code[t.lastStart + 1] >>= 1;
}

/** A numeric instruction: unary or binary, with immediate forms. */
function numeric(t: Translator, op: OpInfo): void {
  const sig = op.sig!;
  const nParams = sig.indexOf(":");
  const kinds = IR_DEFS[PLAIN[op.index]].operands;
  for (let k = 0; k < nParams; k++) {
    // Only operands read as float values (not bit patterns: abs, neg, copysign).
    if (kinds[k + 1].kind === "d" || kinds[k + 1].kind === "f") valueLoad(t, t.sp - nParams + k);
  }
  const resultType = letterType(sig[nParams + 1], false);
  if (nParams === 1 && op.name === "i32.eqz" && t.topIsLast()) {
    // eqz of a comparison is the negated comparison (then `if`/`br_if` fuse with it).
    const neg = NEGATED_OP.get(t.code[t.lastStart]);
    if (neg !== undefined) {
      t.code[t.lastStart] = neg;
      return;
    }
  }
  if (nParams === 1) {
    const ir = PLAIN[op.index];
    const scales = IR_SCALES[ir];
    if (t.vk[t.sp - 1] === CONST) t.materialize(t.sp - 1);
    const a = t.srcSlot(t.sp - 1) * scales[1];
    t.pop();
    t.push(resultType);
    t.produced(t.emit(ir, t.vs[t.sp - 1] * scales[0], a), scales[0]);
    return;
  }
  const ha = t.sp - 2, hb = t.sp - 1;
  if (fusePair(t, op, ha, hb, resultType)) return;
  let ir = PLAIN[op.index];
  let words: number[];
  if (t.vk[hb] === CONST && WITH_IMM[op.index] !== NONE) {
    ir = WITH_IMM[op.index];
    if (t.vk[ha] === CONST) t.materialize(ha);
    words = [t.srcSlot(ha) * IR_SCALES[ir][1], t.vv[hb]];
    if (IR_DEFS[ir].operands[2].kind === "L") words.push(t.vh[hb]);
  } else if (t.vk[ha] === CONST && SWAPPED_IMM[op.index] !== NONE) {
    ir = SWAPPED_IMM[op.index];
    words = [t.srcSlot(hb) * IR_SCALES[ir][1], t.vv[ha]];
    if (IR_DEFS[ir].operands[2].kind === "L") words.push(t.vh[ha]);
  } else {
    if (t.vk[ha] === CONST) t.materialize(ha);
    if (t.vk[hb] === CONST) t.materialize(hb);
    const s = IR_SCALES[ir];
    words = [t.srcSlot(ha) * s[1], t.srcSlot(hb) * s[2]];
  }
  t.popTo(ha);
  t.push(resultType);
  const scale = IR_SCALES[ir][0];
  t.produced(t.emit(ir, t.vs[t.sp - 1] * scale, ...words), scale);
}

/** Access width in bytes of a plain load/store, from its IR name. */
function widthOf(name: string): number {
  const m = /(8|16|32)(_[su])?$/.exec(name.split(".")[1]);
  if (m !== null) return Number(m[1]) / 8;
  return name.startsWith("i64") ? 8 : 4;
}

/**
 * If the entry at height `h` was produced by the last instruction and that
 * is an `i32.add`/`i32.sub` of a constant, removes it and returns
 * [its register operand, the constant to add]; else null.
 */
function takeDisplacement(t: Translator, h: number): [number, number] | null {
  if (t.lastStart < 0 || t.lastHeight !== h || t.vk[h] !== TEMP) return null;
  const op = t.code[t.lastStart];
  if (op !== IR["i32.add_i"] && op !== IR["i32.sub_i"]) return null;
  const a = t.code[t.lastStart + 2], k = t.code[t.lastStart + 3];
  t.n = t.lastStart;
  t.lastStart = -1;
  return [a, op === IR["i32.add_i"] ? k : -k | 0];
}

const COMMUTATIVE = new Set(["add", "mul", "and", "or", "xor", "eq", "ne"]);

/**
 * Fuses binary op `op` with the instruction just emitted when that produced
 * one of its operands (a temporary, so used only here) and the pair has a
 * fused form (`i32.rotl_i>i32.xor`, `f64.mul>f64.add`, `f64.load>f64.mul`…):
 * one dispatch instead of two. Returns whether it did.
 */
function fusePair(t: Translator, op: OpInfo, ha: number, hb: number, resultType: number): boolean {
  if (t.lastStart < 0 || t.vk[t.lastHeight] !== TEMP) return false;
  const hl = t.lastHeight;
  if (hl !== ha && hl !== hb) return false;
  const other = hl === ha ? hb : ha;
  if (t.vk[other] === CONST) return false;
  const first = IR_DEFS[t.code[t.lastStart]];
  const stem = op.name.split(".")[1];
  const right = hl === hb && !COMMUTATIVE.has(stem);
  const fused = IR[`${first.name}>${op.name}${right ? "_r" : ""}`];
  if (fused === undefined) return false;
  const scales = IR_SCALES[fused];
  const words: number[] = [];
  for (let i = 2; i < first.size; i++) words.push(t.code[t.lastStart + i]);
  t.n = t.lastStart;
  t.lastStart = -1;
  const c = t.srcSlot(other) * scales[scales.length - 1];
  t.popTo(ha);
  t.push(resultType);
  t.produced(t.emit(fused, t.vs[t.sp - 1] * scales[0], ...words, c), scales[0]);
  return true;
}

/** A load or store (memarg immediate). */
function memAccess(t: Translator, op: OpInfo): void {
  const flags = t.u32();
  const m = flags & 0x40 ? t.u32() : 0;
  const mem = t.inst.memories[m];
  const offLo = mem.index64 ? t.u64() : t.u32() | 0;
  const offHi = mem.index64 ? t.hi : 0;
  const sig = op.sig!;
  const isLoad = sig.endsWith(":") === false;
  const fast = m === 0 && !mem.index64;
  const plain = PLAIN[op.index];
  const name = IR_DEFS[plain]?.name ?? "";
  if (isLoad) {
    const resultType = letterType(sig[2], false);
    const ha = t.sp - 1;
    if (fast && t.vk[ha] === CONST) {
      // Constant address: fold it into the offset.
      const ea = (t.vv[ha] >>> 0) + (offLo >>> 0);
      t.pop();
      t.push(resultType);
      if (ea + widthOf(name) > 4294967296) t.emit(IR["trap"], 1);
      else t.produced(t.emit(IR[name + "_abs"], t.vs[t.sp - 1] * 2, ea | 0), 2);
      return;
    }
    const disp = fast && offLo === 0 ? takeDisplacement(t, ha) : null;
    if (t.vk[ha] === CONST) t.materialize(ha);
    const a = disp !== null ? disp[0] : t.operand(ha, "w");
    t.pop();
    t.push(resultType);
    const d = t.vs[t.sp - 1] * 2;
    if (disp !== null) t.produced(t.emit(IR[name + "_d"], d, a, disp[1]), 2);
    else if (fast) t.produced(t.emit(plain, d, a, offLo), 2);
    else t.produced(t.emit(IR["load_slow"], op.index, m, d, a, offLo, offHi), 2, 3);
    return;
  }
  const ha = t.sp - 2, hv = t.sp - 1;
  if (fast) {
    if (t.vk[ha] === CONST) {
      const ea = (t.vv[ha] >>> 0) + (offLo >>> 0);
      if (t.vk[hv] === CONST) t.materialize(hv);
      const v = t.operand(hv, "w");
      t.popTo(ha);
      if (ea + widthOf(name) > 4294967296) t.emit(IR["trap"], 1);
      else t.emit(IR[name + "_abs"], v, ea | 0);
      return;
    }
    // The value must not need code of its own for the address's add to be last.
    const disp = offLo === 0 && t.vk[hv] !== CONST ? takeDisplacement(t, ha) : null;
    if (disp !== null) {
      const v = t.operand(hv, "w");
      t.popTo(ha);
      t.emit(IR[name + "_d"], disp[0], v, disp[1]);
      return;
    }
    if (name === "i64.store" && t.vt[hv] === F64 && t.vk[ha] !== CONST) {
      // An f64 computed just now and stored: one instruction.
      const arith = t.lastStart >= 0 && t.lastHeight === hv && t.vk[hv] === TEMP
        ? IR[`${IR_DEFS[t.code[t.lastStart]].name}>f64.store`]
        : undefined;
      if (arith !== undefined) {
        const x = t.code[t.lastStart + 2], y = t.code[t.lastStart + 3];
        t.n = t.lastStart;
        t.lastStart = -1;
        const a = t.operand(ha, "w");
        t.popTo(ha);
        t.emit(arith, a, offLo, x, y);
        return;
      }
    }
    if (t.vk[hv] === CONST) {
      const a = t.operand(ha, "w");
      const wide = t.vt[hv] === I64 || t.vt[hv] === F64;
      const k = wide ? [t.vv[hv], t.vh[hv]] : [t.vv[hv]];
      t.popTo(ha);
      t.emit(IR[name + "_k"], a, ...k, offLo);
      return;
    }
  }
  for (let h = ha; h < t.sp; h++) if (t.vk[h] === CONST) t.materialize(h);
  const a = t.operand(ha, "w"), v = t.operand(hv, "w");
  t.popTo(ha);
  if (fast) t.emit(plain, a, v, offLo);
  else t.emit(IR["store_slow"], op.index, m, a, v, offLo, offHi);
}

/**
 * A SIMD instruction, executed out of line by the SIMD executor. Layout:
 * `simd opIndex count words…` where the words are the result's slot (word
 * index) if any, the operands' slots in order, then the immediates (memarg:
 * memidx, offset lo, offset hi; lane: index; shuffle: 4 words of lane bytes).
 */
function simdOp(t: Translator, op: OpInfo): void {
  const imms: number[] = [];
  let addr64 = false;
  if (op.imm === Imm.MemArg || op.imm === Imm.MemArgLane) {
    const flags = t.u32();
    const m = flags & 0x40 ? t.u32() : 0;
    addr64 = t.inst.memories[m].index64;
    const lo = addr64 ? t.u64() : t.u32() | 0;
    imms.push(m, lo, addr64 ? t.hi : 0);
    if (op.imm === Imm.MemArgLane) imms.push(t.byte());
  } else if (op.imm === Imm.Lane) imms.push(t.byte());
  else if (op.imm === Imm.Shuffle) imms.push(t.word(), t.word(), t.word(), t.word());
  else if (op.imm !== Imm.None) {
    throw new CompileError(`instruction ${op.name} is not supported by the interpreter`);
  }
  const sig = op.sig!;
  const colon = sig.indexOf(":");
  const nParams = colon;
  const results = sig.slice(colon + 1);
  for (let h = t.sp - nParams; h < t.sp; h++) if (t.vk[h] === CONST) t.materialize(h);
  const ins: number[] = [];
  for (let h = t.sp - nParams; h < t.sp; h++) ins.push(t.operand(h, "w"));
  t.popTo(t.sp - nParams);
  const words: number[] = [];
  if (results.length === 1) {
    t.push(letterType(results, addr64));
    words.push(t.vs[t.sp - 1] * 2);
  }
  words.push(...ins, ...imms);
  const start = t.emit(IR["simd"], op.index, words.length, ...words);
  if (results.length === 1) t.produced(start, 2, 3);
}

export { BLOCK, LOCAL, slotSize, TEMP };
