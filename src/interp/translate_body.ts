/**
 * The instruction loop of the translator (see `translate.ts` for the
 * scheme): one `switch` over wasm opcodes emitting register IR.
 *
 * @module
 */

import { Imm } from "../binary/opcodes.ts";
import { isRef } from "../binary/valtype.ts";
import { CompileError } from "../errors.ts";
import { IR } from "./ir_defs.ts";
import { BLOCK, CATCH, CONST, ELSE, FUNC, IF, LOCAL, LOOP, type Translator } from "./translator.ts";
import {
  branchMoves,
  emitReturn,
  fallResults,
  jumpTo,
  labelCtl,
  needsMoves,
  patchEnd,
  pushCtl,
  setUnreachable,
} from "./translate_control.ts";
import { callOp } from "./translate_call.ts";
import { bulkOp } from "./translate_bulk.ts";
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
  pushCtl(t, FUNC, [], t.fn.type.results);
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
        setUnreachable(t);
        break;
      case "nop":
        break;
      case "block":
      case "loop": {
        const [params, results] = t.blockType();
        t.materializeForControl(params.length);
        const c = pushCtl(t, op.name === "loop" ? LOOP : BLOCK, params, results);
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
        const c = pushCtl(t, IF, params, results);
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
          fallResults(t, c);
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
          if (!c.unreachable) emitReturn(t);
          return;
        }
        if (c.tryBlock >= 0) closeTry(t, c);
        if (c.kind === CATCH) catchResults(t, c);
        else if (!c.unreachable) fallResults(t, c);
        patchEnd(t, c);
        t.ctl.pop();
        t.popTo(c.base);
        if (c.home >= 0) t.push(c.results[0], LOCAL, c.home);
        else for (const r of c.results) t.push(r);
        break;
      }
      case "br": {
        const c = labelCtl(t, t.u32());
        if (c.kind === FUNC) emitReturn(t);
        else {
          branchMoves(t, c);
          jumpTo(t, c, IR["br"]);
        }
        setUnreachable(t);
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
          const c = labelCtl(t, d);
          if (needsMoves(t, c)) {
            const list = pads.get(d) ?? [];
            list.push(first + i);
            pads.set(d, list);
          } else if (c.kind === LOOP) t.code[first + i] = c.target;
          else c.patches.push(first + i);
        });
        for (const [d, positions] of pads) {
          const here = t.label();
          for (const p of positions) t.code[p] = here;
          const c = labelCtl(t, d);
          if (c.kind === FUNC) emitReturn(t);
          else {
            branchMoves(t, c);
            jumpTo(t, c, IR["br"]);
          }
        }
        setUnreachable(t);
        break;
      }
      case "return":
        emitReturn(t);
        setUnreachable(t);
        break;
      case "call":
      case "return_call":
      case "call_indirect":
      case "return_call_indirect":
        callOp(t, op);
        break;
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
      case "table.get":
      case "table.set":
      case "table.init":
      case "elem.drop":
      case "table.copy":
      case "table.grow":
      case "table.size":
      case "table.fill":
      case "memory.size":
      case "memory.grow":
      case "memory.fill":
      case "memory.copy":
      case "memory.init":
      case "data.drop":
        bulkOp(t, op);
        break;
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
