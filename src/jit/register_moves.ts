/**
 * The statements that move a function's registers between their JS locals
 * and the register file (`registers.ts` says where each register lives and
 * reads and writes it there): the loads where a compiled slice starts or a
 * directly called function enters, and the stores ("spills") wherever the
 * register file must be whole — before a call, at an exit, for a frame's
 * results.
 *
 * @module
 */

import { DOUBLE, FLOAT, INT, MEM, SPLIT } from "./homes.ts";
import { bitsFloat, floatBits, type RegisterMap } from "./registers.ts";
import { CANON_INT } from "./webs.ts";
import type { ValueShape } from "./value_call.ts";
import type { ExitPoint } from "./split.ts";

/**
 * Statements an exit from the instruction at `pc` (`when`: before it,
 * between its parts, after it) makes before leaving, the code resuming
 * at `resume` (-1: nowhere): the split slots among [from, to) live there
 * stored (split.ts), and the satellites that hold their words' values
 * there stored back into their homes.
 */
export function exitSpill(
  regs: RegisterMap,
  pc: number,
  when: ExitPoint,
  resume: number,
  from = 0,
  to = Infinity,
): string {
  const out = [regs.split.spill(pc, when, resume, from, to)];
  for (const s of regs.satellites.liveAt(resume)) {
    if (s.word < 2 * from || s.word >= 2 * to) continue;
    const w = s.word;
    if (s.kind === "d") out.push(`F64[fd + ${w >> 1}] = ${s.name};`);
    else if (s.canon === CANON_INT) {
      out.push(`$r${w} = ${s.kind === "f" ? floatBits(s.name) : s.name};`);
    } else out.push(`${s.kind === "f" ? "F32" : "I32"}[fp + ${w}] = ${s.name};`);
  }
  return out.filter((x) => x !== "").join(" ");
}

/** Statements storing every local into the register file (split slots: {@link exitSpill}). */
export function spill(regs: RegisterMap): string {
  return words(regs, 0, Infinity, (w) => store(regs, w));
}

/** Statements reloading every local from the register file (a split slot's both, satellites). */
export function reload(regs: RegisterMap): string {
  const sats = regs.satellites.locals.map((s) =>
    s.kind === "d"
      ? `${s.name} = F64[fd + ${s.word >> 1}];`
      : `${s.name} = ${s.kind === "f" ? "F32" : "I32"}[fp + ${s.word}];`
  );
  return [words(regs, 0, Infinity, (w) => load(regs, w)), ...sats].join(" ");
}

/**
 * The JS doubles that loading words [from, to) from the register file
 * sets ({@link reload}, {@link reloadWords}, a direct call's parameters),
 * by local name and slot; `satellites`: the float64 satellites too.
 */
export function loadedDoubles(
  regs: RegisterMap,
  from: number,
  to: number,
  satellites: boolean,
): { name: string; slot: number }[] {
  const out: { name: string; slot: number }[] = [];
  const end = Math.min(to, regs.home.length);
  for (let w = from + (from & 1); w < end; w += 2) {
    const h = regs.homeOf(w);
    if (h === DOUBLE || h === SPLIT) out.push({ name: `$d${w >> 1}`, slot: w >> 1 });
  }
  if (satellites) {
    for (const s of regs.satellites.locals) {
      if (s.kind === "d" && s.word >= from && s.word < end) {
        out.push({ name: s.name, slot: s.word >> 1 });
      }
    }
  }
  return out;
}

/**
 * Statements starting a directly called function: words below
 * `paramWords` (its parameters) reloaded or taken from `shape`'s JS
 * arguments, words up to `localWords` (its locals) zero, in the register
 * file unless held in a JS local only (a split slot's file words too: its
 * analysis starts from the file) — but for the high words of the `narrow`
 * slots (i32 and f32 locals), which nothing reads.
 */
export function enter(
  regs: RegisterMap,
  paramWords: number,
  localWords: number,
  shape: ValueShape | null = null,
  narrow: ArrayLike<number> = [],
): string {
  const high = new Set(Array.from(narrow));
  let inFile = 0;
  for (let w = paramWords; w < localWords; w++) {
    if (regs.homeOf(w) === MEM && !((w & 1) === 1 && high.has(w >> 1))) inFile++;
  }
  // Many locals in the file: one loop zeroes every local word there.
  // (Counting the high words of i32 locals, sha256's block function had
  // a loop over 40 words for 20 i32 locals, all held in JS locals.)
  const loop = inFile > 16;
  // Every local word, accessed by compiled code or not: a return reads
  // its result slots from the file (fuzz seed 20144: an f64 local that
  // was the result, never touched, kept a caller's argument).
  const zero = allWords(paramWords, localWords, (w) => {
    switch (regs.homeOf(w)) {
      case INT:
        return `$r${w} = 0;`;
      case FLOAT:
        return `$f${w} = 0;`;
      case DOUBLE:
        return (w & 1) === 0 ? `$d${w >> 1} = 0;` : "";
      case SPLIT:
        return (w & 1) === 0 ? `$r${w} = 0; $d${w >> 1} = 0; F64[fd + ${w >> 1}] = 0;` : "";
      default:
        // (No instruction reads an i32 or f32 local's high word: CoreMark's
        // state machine stored eight such zeros per call.)
        return loop || ((w & 1) === 1 && high.has(w >> 1)) ? "" : `I32[fp + ${w}] = 0;`;
    }
  });
  // The other registers (the function's stack) are written before read.
  // A satellite live here holds a local's zero (webs.ts: never a parameter).
  return [
    loop ? zeroLocals(paramWords, localWords) : "",
    shape === null || shape.args === null
      ? words(regs, 0, paramWords, (w) => load(regs, w))
      : takeArgs(regs, shape),
    zero,
    ...regs.satellites.locals.map((s) => `${s.name} = 0;`),
  ].filter((x) => x !== "").join(" ");
}

/** The statement zeroing words [paramWords, localWords) of the frame in the register file. */
function zeroLocals(paramWords: number, localWords: number): string {
  return `for (let i = fp + ${paramWords}; i < fp + ${localWords}; i++) I32[i] = 0;`;
}

/**
 * Statements a directly called function makes where it leaves on entry
 * (signalling.ts): its frame in the register file as the loop's call
 * would have made it — the parameters passed as JS values stored, every
 * local zero (those passed in the file are there already).
 */
export function enterInFile(paramWords: number, localWords: number, shape: ValueShape): string {
  const args = (shape.args ?? []).map((a, k) => `I32[fp + ${a.at}] = $a${k};`);
  return [...args, zeroLocals(paramWords, localWords)].join(" ");
}

/**
 * Statements putting the parameters passed as JS values (`$a<k>`) in
 * their homes: a local of the value's own kind directly, any other home
 * through the register file; and loading those passed in the file (the
 * words of a parameter not passed are never read before written).
 */
function takeArgs(regs: RegisterMap, shape: ValueShape): string {
  const direct: string[] = [], viaFile: string[] = [], reload: number[] = [];
  (shape.args ?? []).forEach((a, k) => {
    const v = `$a${k}`, h = regs.homeOf(a.at);
    if (h === INT) direct.push(`$r${a.at} = ${v};`);
    else if (h === FLOAT) direct.push(`$f${a.at} = ${bitsFloat(v)};`);
    else {
      viaFile.push(`I32[fp + ${a.at}] = ${v};`);
      reload.push(a.at);
    }
  });
  for (const s of shape.fileSlots) reload.push(2 * s, 2 * s + 1);
  return [...direct, ...viaFile, ...reload.map((w) => load(regs, w))].filter((x) => x !== "")
    .join(" ");
}

/** Statements reloading the locals among words [from, to) (a callee's results). */
export function reloadWords(regs: RegisterMap, from: number, to: number): string {
  return words(regs, from, to, (w) => load(regs, w));
}

/** Statements storing the locals below word `limit` (a JS expression). */
export function spillBelow(regs: RegisterMap, limit: string): string {
  return words(regs, 0, Infinity, (w) => {
    const s = store(regs, w);
    return s === "" ? "" : `if (${w} < ${limit}) ${s}`;
  });
}

/** Statements storing the locals among words [from, to) (a frame's results). */
export function spillWords(regs: RegisterMap, from: number, to: number): string {
  return words(regs, from, to, (w) => store(regs, w));
}

/** The statements `f` gives for words [from, to), accessed by compiled code or not. */
function allWords(from: number, to: number, f: (w: number) => string): string {
  const out: string[] = [];
  for (let w = from; w < to; w++) {
    const s = f(w);
    if (s !== "") out.push(s);
  }
  return out.join(" ");
}

/** The statements `f` gives for words [from, to) of the registers accessed (past them: none). */
function words(regs: RegisterMap, from: number, to: number, f: (w: number) => string): string {
  return allWords(from, Math.min(to, regs.home.length), f);
}

/** Loading word `w`'s local from the register file ("": none; a split slot's both locals). */
function load(regs: RegisterMap, w: number): string {
  switch (regs.homeOf(w)) {
    case INT:
      return `$r${w} = I32[fp + ${w}];`;
    case FLOAT:
      return `$f${w} = F32[fp + ${w}];`;
    case DOUBLE:
      return (w & 1) === 0 ? `$d${w >> 1} = F64[fd + ${w >> 1}];` : "";
    case SPLIT:
      return (w & 1) === 0 ? `$r${w} = I32[fp + ${w}]; $d${w >> 1} = F64[fd + ${w >> 1}];` : "";
    default:
      return "";
  }
}

/**
 * Storing word `w`'s local into the register file ("": none). Not a split
 * slot's: which of its locals holds the value depends on where (split.ts).
 */
function store(regs: RegisterMap, w: number): string {
  switch (regs.homeOf(w)) {
    case INT:
      return `I32[fp + ${w}] = $r${w};`;
    case FLOAT:
      return `F32[fp + ${w}] = $f${w};`;
    case DOUBLE:
      return (w & 1) === 0 ? `F64[fd + ${w >> 1}] = $d${w >> 1};` : "";
    default:
      return "";
  }
}
