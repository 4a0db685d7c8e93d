/**
 * The instructions of one function as the cases of its compiled code's
 * `switch` (`emit.ts` wraps them in a function): every instruction's meaning
 * from the IR table through the shared code generator, control transfers
 * as jumps between the cases of `lead` (the pcs where the code may start)
 * or breaks out of labeled blocks within one case's region.
 *
 * @module
 */

import { type RegisterEnv, slotIndexed, staticCase } from "../interp/codegen.ts";
import { instrSize, IR, IR_DEFS, type IrDef } from "../interp/ir_defs.ts";
import { OVERRUN } from "../interp/slice.ts";
import {
  directCall,
  MAX_NESTING,
  MEM_VIEWS,
  returnSequence,
  type SelfCall,
  snanExit,
  X_ATOMIC,
  X_CALL_OUT,
  X_DEOPT,
  X_FAULT,
  X_SIMD,
  X_YIELD,
} from "./emit_calls.ts";
import { signalling, sourceBits } from "./signalling.ts";
import { targets } from "./split.ts";
import type { Nesting } from "./nesting.ts";
import type { SimdInline } from "./simd_emit.ts";
import { LaneCache } from "./simd_lanes.ts";
import { CANONICAL_WRITE, diesUnseen, produces, readsBlindly, stretchFacts } from "./nan_defer.ts";
import { CALL_OUTS, COLD, regionTargets } from "./entries.ts";
import { instructionPart, isInt32 } from "./emit_part.ts";
import { type Remainder, remainderSource } from "./emit_divrem.ts";
import { I64_LOADS, writtenWords } from "./accesses.ts";
import type { RegisterMap } from "./registers.ts";
import { exitSpill, reloadWords, spillWords } from "./register_moves.ts";
import { type CallShape, coldOperandSlots } from "./homes.ts";
import type { ValueShape } from "./value_call.ts";

const OP = (name: string): number => IR[name];
const UNREACHABLE = OP("unreachable"), BR_TABLE = OP("br_table"), RETURN = OP("return");
const RET32 = OP("ret32"), RET64 = OP("ret64"), CALL = OP("call"), MOVS = OP("movs");
const SIMD = OP("simd"), MOV32 = OP("mov32"), ATOMIC = OP("atomic");
const MEMORY_GROW = OP("memory.grow");
/** Where an inline SIMD instruction's fault exit goes in (it depends on where it is emitted). */
export const FAULT = "/*FAULT*/";

/** What emitting a function's instructions needs. */
export interface BodyContext {
  /** Its IR. */
  code: Int32Array;
  /** Where its registers are held. */
  regs: RegisterMap;
  /** Its SIMD instructions compiled inline, by pc. */
  simd: ReadonlyMap<number, SimdInline>;
  /** Its result slots. */
  results: number;
  /** How direct calls pass its own arguments and result. */
  own: ValueShape;
  /** How direct calls to function `f` pass them. */
  protocol: (f: number) => ValueShape;
  /** The frames of the functions it calls directly. */
  callees: CallShape;
  /** Its own index and direct entry's name, for its calls to itself. */
  self: SelfCall | null;
  /** Whether its forward branches test the budget ({@link testsForward}). */
  testForward: boolean;
  /** Its remainders taken from quotients (`emit_divrem.ts`), by pc. */
  remainder: ReadonlyMap<number, Remainder>;
  /**
   * Instruction parts already emitted (by pc and first operand word): a
   * part that jumps nowhere reads the same in both variants, and emitting
   * it is most of a compile's time (once per variant, twice).
   */
  parts: Map<number, string>;
  /** Where control may come in besides falling through, in either variant (nan_defer.ts). */
  labels: ReadonlySet<number>;
  /** Whether memory 0's DataView traps out-of-bounds accesses itself (codegen.ts's `boundsTrap`). */
  dataViewTraps: boolean;
}

/**
 * Whether `code`'s forward branches must test the budget: they are counted
 * but not tested (slice.ts's OVERRUN), unless the function has so many that
 * a chain of nested calls could overrun more than that between tests.
 */
export function testsForward(code: Int32Array): boolean {
  let forward = 0;
  for (let pc = 0; pc < code.length; pc += instrSize(code, pc)) {
    for (const t of targets(code, pc)) if (t > pc) forward++;
  }
  return forward > OVERRUN / (MAX_NESTING + 1);
}

/**
 * The cases of the `switch` over `lead` (ascending pcs: where the code may
 * start), and pc → case number; or, given `nested`, the function's code
 * as nested loops and blocks, entered at pc 0 only.
 */
export function emitBody(
  ctx: BodyContext,
  lead: readonly number[],
  nested: Nesting | null = null,
): { body: string; entries: Int32Array } {
  const { code, regs, simd, results, own, protocol, callees, self, testForward, remainder } = ctx;
  const entries = new Int32Array(code.length + 1).fill(-1);
  if (nested === null) lead.forEach((pc, i) => entries[pc] = i);
  let cur = 0;
  /** Where in the current instruction a branch leaves: between a pair's parts or after it. */
  let when: "mid" | "after" = "after";
  // Blocks that branch back to their own start (innermost loops of one
  // block) run as a JS loop of their own: their back edge is a `continue`
  // instead of a dispatch through the switch.
  const selfLoops = new Set<number>();
  for (let i = 0; i < lead.length; i++) {
    const end = i + 1 < lead.length ? lead[i + 1] : code.length;
    for (let pc = lead[i]; pc < end; pc += instrSize(code, pc)) {
      if (code[pc] !== BR_TABLE && targets(code, pc).includes(lead[i])) selfLoops.add(lead[i]);
    }
  }
  // Forward targets inside a region: labeled blocks `B<pc>` opened at the
  // region's start, closed where the target begins.
  const inner = regionTargets(code, entries);
  let blockStart = 0, open = false;
  /** Leaves the switch for the common tail (which spills) with `$x = x`, `$p = p`. */
  const leave = (x: number, p: string, more = "") =>
    `{ ${exitSpill(regs, cur, "before", cur)} $x = ${x}; $p = ${p}; ${more}break X; }`;
  /**
   * Whether the part being emitted is a pair's second (its first has run)
   * or first (and whether the second reads f64s blindly: nan_defer.ts);
   * its IR name.
   */
  let secondPart = false, firstPart = false, secondBlind = false, partName = "";
  // Which results may stay raw (nan_defer.ts): the same in both variants.
  const stretch = stretchFacts(
    code,
    ctx.labels,
    regs.liveness,
    (pc) => remainder.has(pc) || (code[pc] === SIMD && simd.has(pc)),
  );
  /**
   * Slot `at` := double `value`; where the value is read from bits, a
   * signalling NaN leaves to the interpreter (signalling.ts): before the
   * instruction, which the interpreter then runs, or — in a pair's second
   * part — after it, the slot's bits put back into the file over the spill.
   */
  const doubleWrite = (at: number, value: string): string => {
    if (
      value === CANONICAL_WRITE && produces(partName) && (!firstPart || secondBlind) &&
      regs.setDouble(at, "r") === `$d${at} = r;` && diesUnseen(stretch, cur, at)
    ) {
      // Its NaN bits never show: left raw (nan_defer.ts).
      return `$d${at} = r;`;
    }
    const bits = sourceBits(value);
    // (The loop's own float64 loads feed arithmetic right away: the
    // translator makes them only there.)
    const valueLoad = bits !== null && value.startsWith("DV.") && !I64_LOADS.has(partName);
    if (bits === null || valueLoad) return regs.setDouble(at, value);
    const write = regs.setDouble(at, "$ld"), next = cur + instrSize(code, cur);
    const exit = secondPart
      ? snanExit(regs, cur, next, `$sv[0] = ${bits.lo}; $sv[1] = ${bits.hi}; ${write}`, 2 * at, 2)
      : leave(X_DEOPT, String(cur));
    return `const $ld = ${value}; if (${signalling("$ld", bits.hi)}) ${exit} ${write}`;
  };
  const env: RegisterEnv = {
    value(kind, at) {
      if (kind === "d") return regs.double(at);
      if (kind === "f") return regs.float(at);
      return regs.bits(at);
    },
    write(kind, at, value) {
      if (kind === "d") return doubleWrite(at, value);
      if (kind === "f") return regs.setFloat(at, value);
      return regs.setBits(at, value, isInt32(value));
    },
    index: (kind, at) => `${slotIndexed(kind) ? "fd" : "fp"} + ${at}`,
    // Budget spent: `break Y` leaves with YIELDED at the target.
    jump: (t) => {
      const exit = t > cur && !testForward
        ? "--budget;"
        : `if (--budget < 0) { ${exitSpill(regs, cur, when, t)} $p = ${t}; break Y; }`;
      if (nested !== null) return t <= cur ? `${exit} continue L${t};` : `${exit} break B${t};`;
      // Forward within the region: out of the block that ends at the target.
      if (entries[t] < 0) return `${exit} break B${t};`;
      // Back to the start of the block it is in: that block's own loop.
      return t === blockStart && selfLoops.has(t)
        ? `${exit} continue S${entries[t]};`
        : `$b = ${entries[t]}; ${exit} continue L;`;
    },
    // A failed bounds check (a shared memory's, or an access the DataView
    // cannot check alone: interp/bounds_check.ts) leaves through the tail,
    // and the interpreter runs the access again. (Not a throw: values live
    // into a catch handler cost V8 boxing at every call in the loop.)
    fault: () => leave(X_FAULT, String(cur)),
    boundsTrap: ctx.dataViewTraps ? "$oob()" : undefined,
  };
  /** One instruction (or bundle part) whose operands start at `code[cur + first]`. */
  const part = (d: IrDef, first: number): string => {
    partName = d.name;
    // (A jump's code depends on the variant's control structure.)
    if (d.body === null || d.body.includes("JUMP(")) {
      return instructionPart(d, first, code, cur, regs, env);
    }
    const key = cur * 64 + first;
    let s = ctx.parts.get(key);
    if (s === undefined) ctx.parts.set(key, s = instructionPart(d, first, code, cur, regs, env));
    return s;
  };
  const out: string[] = [];
  // i16 lanes of a straight run held in locals of their own: packed into
  // their words before anything may see the words, and forgotten where
  // the run ends (a label, an instruction that may leave).
  const lanes = new LaneCache(regs);
  const label = (pc: number) =>
    nested === null
      ? entries[pc] >= 0 || inner.has(pc)
      : nested.ends.has(pc) || nested.loops.has(pc) || nested.closing.has(pc);
  if (nested !== null) { for (const t of nested.blocks.get(-1) ?? []) out.push(`B${t}: {`); }
  for (let pc = 0; pc < code.length;) {
    const op = code[pc], size = instrSize(code, pc), next = pc + size;
    const inlineSimd = op === SIMD && simd.has(pc);
    cur = pc;
    regs.at(pc);
    if (nested !== null) {
      if (nested.ends.has(pc)) out.push(`} // B${pc}`);
      if (nested.loops.has(pc)) {
        out.push(`L${pc}: for (;;) {`);
        for (const t of nested.blocks.get(pc) ?? []) out.push(`B${t}: {`);
      }
    } else if (entries[pc] >= 0) {
      if (open) out.push(`break S${entries[blockStart]};\n}`);
      blockStart = pc;
      out.push(`case ${entries[pc]}:`);
      open = selfLoops.has(pc);
      if (open) out.push(`S${entries[pc]}: for (;;) {`);
      // The blocks of the region's forward targets, the farthest outermost.
      const ends: number[] = [];
      for (let q = next; q < code.length && entries[q] < 0; q += instrSize(code, q)) {
        if (inner.has(q)) ends.push(q);
      }
      for (const t of ends.reverse()) out.push(`B${t}: {`);
    } else if (inner.has(pc)) out.push(`} // B${pc}`);
    const def = IR_DEFS[op];
    let s: string;
    when = "after";
    const rem = remainder.get(pc);
    if (rem !== undefined) s = remainderSource(code, pc, rem, regs);
    else if (def.parts !== undefined) {
      const [a, b] = def.parts;
      when = "mid";
      firstPart = true;
      secondBlind = readsBlindly(b);
      const first = part(a, 1);
      firstPart = false;
      when = "after";
      regs.secondPart(writtenWords(a, code, pc));
      secondPart = true;
      const second = part(b, a.size);
      secondPart = false;
      regs.secondPart([]);
      s = `{\n${first}\n}\n{\n${second}\n}`;
    } else if (def.body !== null) {
      s = part(def, 1);
      // Memory 0 grown under direct callers: they keep their views of it
      // (emit_calls.ts's directCall), so a function called directly leaves
      // after the growth, and the driver resumes every frame afresh.
      if (op === MEMORY_GROW && code[pc + 2] === 0) {
        s += `\nif ($direct) { ${
          exitSpill(regs, pc, "after", next)
        } $x = ${X_YIELD}; $p = ${next}; break X; }`;
      }
    } else if (op === BR_TABLE) {
      const n = code[pc + 2], arms: string[] = [];
      for (let i = 0; i < n; i++) arms.push(`case ${i}: ${env.jump(code[pc + 3 + i])}`);
      arms.push(`default: ${env.jump(code[pc + 3 + n])}`);
      s = `switch (${regs.bits(code[pc + 1])} >>> 0) {\n${arms.join("\n")}\n}`;
    } else if (op === RET32 || op === RET64) {
      // The frame dies: only its results go back (to the register file, or
      // as the value a direct call returns).
      const a = code[pc + 1];
      if (op === RET64) {
        // Bit-exact (through int32 words) unless the value is a JS double already.
        const double = regs.isDouble(a);
        s = returnSequence(
          double ? `F64[fd] = $d${a >> 1};` : `$lo = ${regs.bits(a)}; ` +
            `$hi = ${regs.bits(a + 1)}; I32[fp] = $lo; I32[fp + 1] = $hi;`,
          null,
          "0",
        );
      } else {
        s = returnSequence(
          `I32[fp] = ${regs.bits(a)};`,
          own.result === "i" ? regs.bits(a) : null,
          "0",
        );
      }
    } else if (op === RETURN) {
      s = returnSequence(
        `${spillWords(regs, 0, 2 * results)} ${exitSpill(regs, pc, "before", -1, 0, results)}`,
        own.result === null ? null : regs.local(0),
        own.result === "i" ? "I32[fp]" : "0",
      );
    } else if (op === CALL) {
      const f = code[pc + 1];
      s = directCall(regs, pc, next, callees(f), protocol(f), code, self);
    } else if (CALL_OUTS.has(op)) {
      // Its budget unit is counted here, as the loop does.
      s = `budget--; ${leave(X_CALL_OUT, String(pc))}`;
    } else if (op === MOVS) {
      const moves: string[] = [];
      for (let i = 0; i < code[pc + 1]; i++) {
        const one = new Int32Array([MOV32, code[pc + 2 + 2 * i], code[pc + 3 + 2 * i]]);
        moves.push(staticCase(IR_DEFS[MOV32], one, 0, env));
      }
      s = moves.join("\n");
    } else if (inlineSimd) {
      s = lanes.simd(code, pc, simd.get(pc)!).replaceAll(
        FAULT,
        () => `{ ${lanes.exitPacks(cur)} ${leave(X_FAULT, String(cur))} }`,
      );
    } else if (op === SIMD) s = leave(X_SIMD, String(pc));
    else if (op === ATOMIC) s = leave(X_ATOMIC, String(pc));
    else if (op === UNREACHABLE) s = "trapCode(0);";
    else if (COLD.has(op)) {
      // It runs on the register file: its operands' slots go there and back.
      // (A `w` destination may be wider than what the op writes: its other
      // words go to the file too, so that reloading them changes nothing.)
      const { read, written } = coldOperandSlots(code, pc);
      const spill = [...new Set([...read, ...written])]
        .map((k) => spillWords(regs, 2 * k, 2 * k + 2)).join(" ");
      const reload = written.map((k) => reloadWords(regs, 2 * k, 2 * k + 2)).join(" ");
      s = `${spill} cold($m, inst, code, ${pc}, fp, fd); ${MEM_VIEWS} ${reload}`;
    } else s = leave(X_DEOPT, String(pc));
    if (!inlineSimd) s = lanes.around(pc, s);
    out.push(`// ${pc}: ${def.name}\n${s}`);
    if (lanes.active && label(next)) {
      const packs = lanes.flush(next);
      if (packs !== "") out.push(packs);
    }
    // Loops whose last back edge this was, innermost first.
    if (nested !== null) {
      for (const h of nested.closing.get(next) ?? []) out.push(`break L${h};\n}`);
    }
    pc = next;
  }
  if (open) out.push(`break S${entries[blockStart]};\n}`);
  if (nested?.ends.has(code.length)) out.push(`} // B${code.length}`);
  // Falling off the end cannot happen (a body ends in a return), but stay exact if it did.
  cur = code.length;
  regs.at(-1);
  out.push(leave(X_DEOPT, String(code.length)));
  return { body: out.join("\n"), entries };
}
