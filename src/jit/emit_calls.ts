/**
 * Compiled code's calls, returns and exits (the emitter's `emit.ts` writes
 * the instructions): the direct JS call between compiled functions, which
 * pushes no frame (the callee's frame joins the machine's frame stack only
 * if it leaves without returning), the return sequences, and the common
 * tail every exit goes through with the registers stored back.
 *
 * @module
 */

import type { RegisterMap } from "./registers.ts";
import {
  enter,
  exitSpill,
  loadedDoubles,
  reloadWords,
  spill,
  spillBelow,
  spillWords,
} from "./register_moves.ts";
import { anySignalling } from "./signalling.ts";
import type { CallShape } from "./homes.ts";
import type { ValueShape } from "./value_call.ts";

/**
 * Direct JS calls between compiled functions nest at most this deep; a
 * deeper call leaves to the driver, which runs the callee from the
 * machine's frame stack, so wasm recursion never overflows the host's stack.
 */
export const MAX_NESTING = 32;

/**
 * Register-file slots each level of direct calls may use past its caller's
 * frame without a test of the room: where a chain of direct calls starts,
 * the nesting it counts from leaves as many levels as fit at this many
 * slots each (runtime.ts's `jitNesting`), so a call whose callee's frame
 * ends within this many slots of the caller's tests nothing but the
 * nesting and the budget, and a caller does not look at the register file's
 * or memory 0's views again after a call that returns (fib(30) in process:
 * 16.6 → 14.0 ms; fib_rec 41: 2.74 → 2.33 s CPU).
 */
export const DIRECT_SLOTS = 256;

/** Exit codes of the emitted function's common tail (`$x`): the slice's exits… */
export const X_YIELD = 1, X_CALL_OUT = 2, X_DEOPT = 3;
/** …and what the tail does with the registers spilled, then goes on or leaves. */
export const X_FAULT = 5, X_CALL = 6, X_SIMD = 7, X_ATOMIC = 8;
/**
 * A direct callee left without returning (exit code in `$f`): the machine
 * is at the callee's state; this frame writes its return record and the
 * registers below the call's base, and leaves with the same code.
 */
export const X_UNWIND = 9;
/**
 * A signalling NaN was made a JS double after an instruction ran
 * (signalling.ts): the tail spills, puts back the `$f` words at `$q` from
 * `$sv` (the bits the spill may have quieted), and leaves as `X_DEOPT`.
 */
export const X_SNAN = 10;

/** The frame a function's compiled code sets up when it is called directly. */
export interface FrameShape {
  /** Words of parameters. */
  paramWords: number;
  /** Words of parameters and locals (the locals are zeroed on entry). */
  localWords: number;
  /** Slots of reference locals (reset to null on entry). */
  refLocals: Int32Array | null;
  /** Slots of i32 and f32 locals (their high words are left as they are). */
  narrowLocals?: Int32Array;
  /** Slots of results. */
  resultSlots: number;
  /** Slots of the whole frame (known once translated: for calls to itself). */
  frameSlots?: number;
}

/** A function's own index and compiled name, for its calls to itself. */
export interface SelfCall {
  /** Its index in its instance. */
  index: number;
  /** The compiled function's own binding. */
  name: string;
  /** Its frame's slots. */
  frameSlots: number;
}

/**
 * Where the re-reading of memory 0's views goes (after anything that may
 * grow it); dropped with the views themselves from a function that does not
 * use memory 0.
 */
export const MEM_VIEWS = "/*MEM_VIEWS*/";

/**
 * The budget a directly called function leaves in the machine when it
 * leaves without returning: no budget is ever this low (slices are at most
 * 2^15 transfers, overrun by at most `OVERRUN`), so its caller's one read of
 * the budget after the call also tells it that.
 */
export const EXITED = -(2 ** 30);

/**
 * Leaves the compiled function with exit code `x` (a JS expression), the
 * budget in the machine: as its return value when the driver or a pushed
 * call ran it; when called directly, through the machine's `directExit`
 * (its return value is a result), the budget moved to `exitBudget` and
 * `EXITED` in its place.
 */
export function leaveWith(x: string): string {
  return `{ if ($direct) { $m.directExit = ${x}; $m.exitBudget = $m.budget; $m.budget = ${EXITED}; return 0; } return ${x}; }`;
}

/**
 * Leaving before anything ran at `pc` (a JS expression), to the
 * interpreter (`X_DEOPT`), the register file as it is: where code starts
 * and its registers hold a signalling NaN (signalling.ts).
 */
export function deoptAt(pc: string): string {
  return `{ $m.fn = fn; $m.fd = fd; $m.depth = $depth; $m.pc = ${pc}; $m.budget = budget; ${
    leaveWith(String(X_DEOPT))
  } }`;
}

/**
 * Leaving after the instruction at `pc` (resuming at `next`) as `X_SNAN`:
 * `save` puts the `words` words from word `first` in `$sv`, which the
 * tail writes back over its spill (signalling.ts).
 */
export function snanExit(
  regs: RegisterMap,
  pc: number,
  next: number,
  save: string,
  first: number,
  words: number,
): string {
  return `{ ${save} $q = ${first}; $f = ${words}; ${
    exitSpill(regs, pc, "after", next)
  } $x = ${X_SNAN}; $p = ${next}; break X; }`;
}

/**
 * A return: the loop's (frame.ts's popFrame) written out. A directly
 * called function returns `early` (its result as a JS value, read before
 * `toFile` runs) or else, after `toFile` has stored its results at the
 * frame base, `late`; otherwise, results at the frame base, `RETURNED`
 * from the activation's entry frame, or the caller's registers into the
 * machine and `YIELDED`.
 */
export function returnSequence(toFile: string, early: string | null, late: string): string {
  const direct = early !== null
    ? `$m.budget = budget;\nif ($direct) return ${early};\n${toFile}`
    : `${toFile}\n$m.budget = budget;\nif ($direct) return ${late};`;
  return `${direct}
if ($depth === $m.baseDepth) return 0;
$lo = $depth - 1;
$m.depth = $lo;
$hi = $m.fstack[$lo * 3 + 2];
$m.fn = $hi >= 0 ? funcs[$hi] : $m.fframes[$lo];
$m.pc = $m.fstack[$lo * 3];
$m.fd = $m.fstack[$lo * 3 + 1];
return 1;`;
}

/**
 * The common tail, registers spilled: a call (the loop's frame push and
 * budget unit, then the callee's compiled code as a direct JS call when it
 * has some and the nesting allows; if the callee comes back having
 * returned to this frame, go on in place, else its exit stands for this
 * slice's), a SIMD or atomic run (then go on), or a slice exit.
 */
export function tail(
  regs: RegisterMap,
  usesMem: boolean,
  direct: boolean,
  snan: boolean,
): string {
  return `if ($x === ${X_UNWIND}) {
        ${frameRecord("$p")}
        // The callee may have grown the register file.
        I32 = $m.i32; F32 = $m.f32; F64 = $m.f64;
        ${spillBelow(regs, "$q")}
        ${leaveWith("$f")}
      }
      // The machine's running frame is this one (a directly called
      // function's is not there yet; a direct callee's may be stale).
      $m.fn = fn;
      $m.fd = fd;
      $m.depth = $depth;
      ${spill(regs)}
      ${
    snan
      ? `if ($x === ${X_SNAN}) { for (let i = 0; i < $f; i++) I32[fp + $q + i] = $sv[i]; $x = ${X_DEOPT}; }`
      : ""
  }
      if ($x === ${X_CALL}) {
        // The loop's call, written out (frame.ts's pushReturn for a callee
        // of this instance, then enterFrame's fast path).
        const callee = funcs[$f], dep = $m.depth, nfd = fd + $q;
        if (dep >= $m.frameCap) $m.growFrames();
        const fs = $m.fstack, at = dep * 3;
        fs[at] = $p;
        fs[at + 1] = fd;
        fs[at + 2] = fn.index;
        $m.depth = dep + 1;
        $m.fn = callee;
        $m.pc = 0;
        $m.fd = nfd;
        if (callee.code === null || nfd + callee.frameSlots > $m.capSlots) {
          $dc = 2;
          enterFrame($m, callee, nfd);
          $dc = 0;
        } else if (callee.hasLocals) {
          const I = $m.i32, e = (nfd << 1) + callee.localWords;
          for (let i = (nfd << 1) + callee.paramWords; i < e; i++) I[i] = 0;
          if (callee.refLocals !== null) clearRefs($m.refs, nfd, callee.refLocals);
        }
        ${
    // The direct variant has no return sites: the driver runs the callee.
    direct
      ? `$m.budget = budget - 1; ${leaveWith("1")}`
      : `if (--budget < 0) { $m.budget = budget; ${leaveWith("1")} }
        const c = callee.jit;
        if (c === null || $nest >= ${MAX_NESTING}) { $m.budget = budget; ${leaveWith("1")} }
        $m.budget = budget;
        $dc = 2;
        const r = c($m, -1, 0, $nest + 1);
        $dc = 0;
        if (r !== 1 || $m.fn !== fn || $m.depth !== $depth) ${leaveWith("r")}
        budget = $m.budget;
        // Called directly, this function leaves at the return site instead
        // of going on: its direct callers keep their views of the register
        // file and memory 0, which the callee may have grown.
        if ($direct) { $m.pc = $p; $m.budget = budget; ${leaveWith("1")} }
        // The callee may have grown the register file or memory 0.
        if ($m.i32 !== I32) {
          I32 = $m.i32;
          F32 = $m.f32;
          F64 = $m.f64;
        }
        ${MEM_VIEWS}
        $b = E[$p];
        continue;`}
      }
      ${
    direct ? "" : `if ($x === ${X_SIMD} || $x === ${X_ATOMIC}) {
        // These run on the register file from the code array.
        if ($x === ${X_SIMD}) {
          $p = simdRun($m, inst, fp, code, $p, budget);
          budget = $m.budget;
        } else $p = cold($m, inst, code, $p, fp, fd);
        ${MEM_VIEWS}
        $b = E[$p];
        if (budget >= 0 && $b >= 0) continue;
        $x = budget < 0 ? ${X_YIELD} : ${X_DEOPT};
      }`
  }
      $m.pc = $p;
      $m.budget = budget;
      ${
    usesMem
      ? `if ($x !== ${X_FAULT}) ${leaveWith("$x")}
      // A failed bounds check: memory 0 may have grown under this code's
      // views (another thread grew a shared memory); then the access runs
      // again from a fresh slice, as in the loop; else it traps.
      if ($fault(mem, memLen)) ${leaveWith("1")}
      throw $fault.trap();`
      : leaveWith("$x")
  }`;
}

/** Statements writing this frame's return record (resuming at `pc`) at its depth. */
export function frameRecord(pc: string): string {
  return `{ if ($depth >= $m.frameCap) $m.growFrames(); ` +
    `const fs = $m.fstack, at = $depth * 3; fs[at] = ${pc}; fs[at + 1] = fd; fs[at + 2] = fn.index; }`;
}

/**
 * Statements a directly called function starts with, in place of the
 * reload of its registers: its locals zeroed (as `enterFrame` does), in JS
 * where they are held in locals, and its parameters loaded.
 */
export function enterDirect(frame: FrameShape, regs: RegisterMap, own: ValueShape): string {
  let s = enter(regs, frame.paramWords, frame.localWords, own, frame.narrowLocals);
  if (frame.refLocals !== null) s += ` clearRefs($m.refs, fd, fn.refLocals);`;
  return s;
}

/**
 * A call to function `f` of this instance with its frame at slot `q`,
 * resuming at `next`: when the callee has compiled code and the budget,
 * frame stack, register file and nesting allow, a direct JS call that
 * pushes no frame (the callee's frame joins the machine's only if it
 * leaves without returning, which it says by the budget it leaves,
 * `EXITED`, and `$m.directExit`), its arguments and result passed as
 * `protocol` says (value_call.ts); else the loop's call in the common tail.
 */
export function directCall(
  regs: RegisterMap,
  pc: number,
  next: number,
  callee: ReturnType<CallShape>,
  protocol: ValueShape,
  code: Int32Array,
  self: SelfCall | null,
): string {
  const f = code[pc + 1], q = code[pc + 2];
  const params = callee === undefined ? Infinity : q + callee.params;
  const results = callee === undefined ? Infinity : 2 * (q + callee.results);
  // A call to itself names its own binding (the instance's compiled code
  // for this function is this closure) and its frame size as a literal:
  // no loads of the callee (fib_rec: about 3% less CPU time).
  const own = self !== null && self.index === f;
  const lookup = own ? "" : `$ce = funcs[${f}];
$cj = $ce.direct;
`;
  const target = own ? self.name : "$cj";
  // Arguments: the registers from the callee's frame on, as values or in
  // the file. (A split slot's value is the file's once spilled here.)
  const splitArgs = exitSpill(regs, pc, "before", pc, q, params);
  const args = protocol.args === null
    ? { before: spillWords(regs, 2 * q, 2 * params), list: "" }
    : {
      before: protocol.fileSlots.map((s) => spillWords(regs, 2 * (q + s), 2 * (q + s) + 2))
        .join(" "),
      list: protocol.args.map((a) => {
        const w = 2 * q + a.at;
        return `, ${regs.split.has(w >> 1) ? `I32[fp + ${w}]` : regs.bits(w)}`;
      }).join(""),
    };
  // The result: from the return value, else reloaded from the callee's frame base.
  const result = protocol.result === null
    ? reloadWords(regs, 2 * q, results)
    : regs.split.has(q) || callee === undefined
    ? `I32[fp + ${2 * q}] = $y; ${reloadWords(regs, 2 * q, results)}`
    : regs.setBits(2 * q, "$y", false);
  // A signalling NaN among the results held as doubles (signalling.ts):
  // the call has run; the results go back into the file over the spill.
  const doubles = loadedDoubles(regs, 2 * q, results, false);
  const n = Math.min(results, regs.home.length) - 2 * q;
  const resultCheck = protocol.result !== null && !regs.split.has(q) && callee !== undefined ||
      doubles.length === 0
    ? ""
    : `if (${anySignalling(doubles)}) ${
      snanExit(
        regs,
        pc,
        next,
        `for (let i = 0; i < ${n}; i++) $sv[i] = I32[fp + ${2 * q} + i];`,
        2 * q,
        n,
      )
    }`;
  // The nesting ($dn) leaves room for each level's frame within
  // DIRECT_SLOTS of its caller's: a callee whose frame ends within that
  // needs no test of the register file's room (runtime.ts's jitNesting).
  const frameSlots = own ? String(self.frameSlots) : "$ce.frameSlots";
  // (Farther: the room tested, and the nesting made to fit from there.)
  const fits = `fd + ${q} + ${frameSlots} <= $m.capSlots`;
  const far = `$nestFor($m, fd + ${q}, $depth + 1, $dn + 1)`;
  const near = `${frameSlots} <= ${DIRECT_SLOTS - q}`;
  const [room, nest] = own
    ? q + self.frameSlots <= DIRECT_SLOTS ? ["", "$dn + 1"] : [` && ${fits}`, far]
    : q <= DIRECT_SLOTS
    ? [` && (${near} || ${fits})`, `${near} ? $dn + 1 : ${far}`]
    : [` && ${fits}`, far];
  return `${args.before} ${splitArgs}
$p = ${next};
${lookup}if (${own ? "" : "$cj !== null && "}budget > 0 && $dn < ${MAX_NESTING}${room}) {
  $m.budget = budget - 1;
  $dc = 1;
  $y = ${target}($m, fd + ${q}, $depth + 1, ${nest}${args.list});
  $dc = 0;
  budget = $m.budget;
  if (budget === ${EXITED}) {
    $f = $m.directExit;
    $m.directExit = 0;
    $m.budget = $m.exitBudget;
    ${exitSpill(regs, pc, "before", next, 0, q)}
    $x = ${X_UNWIND}; $q = ${2 * q}; break X;
  }
  ${result} ${resultCheck}
} else { ${protocol.args === null ? "" : spillWords(regs, 2 * q, 2 * params)} ${
    exitSpill(regs, pc, "before", pc)
  } $x = ${X_CALL}; $f = ${f}; $q = ${q}; break X; }`;
}
