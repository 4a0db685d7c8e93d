/**
 * The instruction loop of the translator (see `translate.ts` for the
 * scheme): one `switch` over wasm opcodes emitting register IR.
 *
 * @module
 */

import { Imm } from "../binary/opcodes.ts";
import { CompileError } from "../errors.ts";
import { IR } from "./ir_defs.ts";
import {
  BLOCK,
  CATCH,
  CONST,
  ELSE,
  FUNC,
  IF,
  isRef,
  LOCAL,
  LOOP,
  type Translator,
} from "./translate.ts";
import { memAccess, simdOp } from "./translate_mem.ts";
import { blockHomes, nextOp, skipDead, skipImmediates } from "./translate_scan.ts";
import { gcOp } from "./translate_gc.ts";
import { refOp } from "./translate_ref.ts";
import {
  catchResults,
  closeTry,
  delegate,
  legacyCatch,
  legacyTry,
  rethrow,
  throwOp,
  throwRefOp,
  tryTable,
} from "./translate_eh.ts";
import {
  condJump,
  emitBrIf,
  F32,
  F64,
  I32,
  I64,
  NONE,
  numeric,
  PLAIN,
  takeCompare,
  V128,
} from "./translate_numeric.ts";

/** Translates the whole body of `t.fn`. */
export function translateBody(t: Translator): void {
  const mod = t.inst.module;
  const funcType = (f: number) => t.inst.funcs[f].type;
  t.pushCtl(FUNC, [], t.fn.type.results);
  let homes: Map<number, number> | null = null;
  /** The slot of the local a one-result block at `at` can deliver to, or -1. */
  const homeOf = (at: number) => {
    homes ??= blockHomes(t);
    const x = homes.get(at);
    return x === undefined ? -1 : t.localSlot[x];
  };
  for (;;) {
    if (t.ctl[t.ctl.length - 1].unreachable) skipDead(t);
    const at = t.pos;
    const op = nextOp(t);
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
        else if (results.length === 1) c.home = homeOf(at);
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
        // Without params an `if` with a result has an `else`: both arms write the home.
        if (results.length === 1 && params.length === 0) c.home = homeOf(at);
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
          t.fallResults(c);
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
        if (c.tryBlock >= 0) closeTry(t, c);
        if (c.kind === CATCH) catchResults(t, c);
        else if (!c.unreachable) t.fallResults(c);
        t.patchEnd(c);
        t.ctl.pop();
        t.popTo(c.base);
        if (c.home >= 0) t.push(c.results[0], LOCAL, c.home);
        else for (const r of c.results) t.push(r);
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
      case "br_if":
        emitBrIf(t, t.u32());
        break;
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
      case "memory.fill":
        emitOnTop3(t, IR["memory.fill"], t.u32());
        break;
      case "memory.copy": {
        const dm = t.u32(), sm = t.u32();
        emitOnTop3(t, IR["memory.copy"], dm, sm);
        break;
      }
      case "memory.init": {
        const seg = t.u32(), m = t.u32();
        emitOnTop3(t, IR["memory.init"], m, seg);
        break;
      }
      case "data.drop":
        t.emit(IR["data.drop"], t.u32());
        break;
      case "table.init": {
        const seg = t.u32(), x = t.u32();
        emitOnTop3(t, IR["table.init"], x, seg);
        break;
      }
      case "elem.drop":
        t.emit(IR["elem.drop"], t.u32());
        break;
      case "table.copy": {
        const dx = t.u32(), sx = t.u32();
        emitOnTop3(t, IR["table.copy"], dx, sx);
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
        const rt = t.heapType();
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
      case "throw":
        throwOp(t);
        break;
      case "throw_ref":
        throwRefOp(t);
        break;
      case "try_table":
        tryTable(t);
        break;
      case "try":
        legacyTry(t);
        break;
      case "catch":
      case "catch_all":
        legacyCatch(t, op.name === "catch_all");
        break;
      case "delegate":
        delegate(t);
        break;
      case "rethrow":
        rethrow(t);
        break;
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
        else if (op.feature === "gc") gcOp(t, op);
        else if (op.feature === "function-references") refOp(t, op);
        else if (op.feature === "threads") {
          // atomic.fence orders nothing here: every access is already
          // sequentially consistent (Atomics.*, or one thread's plain ops).
          if (op.imm === Imm.Zero) t.byte();
          else simdOp(t, op, IR["atomic"]);
        } else if (PLAIN[op.index] !== NONE && op.imm === Imm.None) numeric(t, op);
        else throw new CompileError(`instruction ${op.name} is not supported by the interpreter`);
    }
  }
}

function tableElemType(t: Translator, x: number): number {
  return t.inst.tables[x].elemType;
}

/**
 * Emits a bulk memory/table op whose three operands are the top three
 * entries, after its immediates, and pops them. The operands are taken as
 * word slots, so constants among them are materialized first.
 */
function emitOnTop3(t: Translator, ir: number, ...imms: number[]): void {
  for (let h = t.sp - 3; h < t.sp; h++) if (t.vk[h] === CONST) t.materialize(h);
  t.emit(ir, ...imms, t.operand(t.sp - 3, "w"), t.operand(t.sp - 2, "w"), t.operand(t.sp - 1, "w"));
  t.popTo(t.sp - 3);
}
