/**
 * Translation of the instructions that work on a memory or table as a whole
 * (size, grow, and the bulk fill, copy, init and segment drops) and of a
 * table's element accesses. None has a form with immediate operands, so
 * constants among their operands are materialized first.
 *
 * @module
 */

import type { OpInfo } from "../binary/opcodes.ts";
import { IR } from "./ir_defs.ts";
import { CONST, type Translator } from "./translator.ts";
import { I32, I64 } from "./translate_numeric.ts";

/**
 * Translates `memory.size`/`grow`/`fill`/`copy`/`init`, `data.drop`,
 * `table.get`/`set`/`size`/`grow`/`fill`/`copy`/`init` and `elem.drop`.
 */
export function bulkOp(t: Translator, op: OpInfo): void {
  switch (op.name) {
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
