/**
 * Peephole passes over a translated function's finished code, in place
 * (instruction lengths never change, so branch targets stay valid):
 * branches to returns become the return, and adjacent instructions that
 * have a bundle op (or runs of register moves) execute in one dispatch.
 *
 * @module
 */

import { instrSize, IR, IR_DEFS } from "./ir_defs.ts";

const RETURNS = new Set([IR["return"], IR["ret32"], IR["ret64"]]);

/**
 * Replaces each `br` to a return instruction by a copy of it (padded with
 * an unreachable filler word), saving a dispatch on every early exit.
 */
export function threadJumps(code: Int32Array, n: number): void {
  let prev = -1;
  for (let pc = 0; pc < n;) {
    const op = code[pc];
    const size = instrSize(code, pc);
    if (op === IR["br"] && RETURNS.has(code[code[pc + 1]])) {
      const t = code[pc + 1];
      const rsize = IR_DEFS[code[t]].size;
      for (let i = 0; i < rsize; i++) code[pc + i] = code[t + i];
      if (rsize < size) code[pc + rsize] = IR["unreachable"];
      // `mov X, Y; ret X` → `ret Y` (the br stays for other paths into it).
      const mov = code[t] === IR["ret32"]
        ? IR["mov32"]
        : code[t] === IR["ret64"]
        ? IR["mov64"]
        : -1;
      if (prev >= 0 && code[prev] === mov && code[prev + 1] === code[t + 1]) {
        code[prev] = code[t];
        code[prev + 1] = code[prev + 2];
        code[prev + 2] = IR["unreachable"];
      }
    }
    prev = pc;
    pc += size;
  }
}

/** Bundle opcode by (first op × 1024 + second op). */
const BUNDLE = new Map<number, number>();
IR_DEFS.forEach((d, op) => {
  if (d.parts !== undefined) BUNDLE.set(IR[d.parts[0].name] * 1024 + IR[d.parts[1].name], op);
});

const sizeAt = instrSize;

/**
 * Merges adjacent instruction pairs that have a bundle op into it, in
 * place (a bundle is as long as the pair), unless a branch lands on the
 * second one. `extra` lists other positions to keep apart (exception
 * handlers and the bounds of the code they protect).
 */
export function bundlePairs(code: Int32Array, n: number, extra: readonly number[] = []): void {
  const target = new Uint8Array(n + 1);
  for (const p of extra) target[p] = 1;
  for (let pc = 0; pc < n; pc += sizeAt(code, pc)) {
    const def = IR_DEFS[code[pc]];
    let k = pc + 1;
    for (const o of def.operands) {
      if (o.kind === "@") target[code[k]] = 1;
      k += o.kind === "L" ? 2 : 1;
    }
    if (code[pc] === IR["br_table"]) {
      for (let i = 0; i <= code[pc + 2]; i++) target[code[pc + 3 + i]] = 1;
    }
  }
  fuseRotations(code, n, target);
  fuseAddTo(code, n, target);
  // Runs of three or more mov32s (register rotations) become one `movs`.
  for (let pc = 0; pc < n;) {
    let k = 0;
    while (
      pc + 3 * k < n && code[pc + 3 * k] === IR["mov32"] && (k === 0 || target[pc + 3 * k] === 0)
    ) k++;
    if (k >= 3) {
      const pairs: number[] = [];
      for (let i = 0; i < k; i++) pairs.push(code[pc + 3 * i + 1], code[pc + 3 * i + 2]);
      code[pc] = IR["movs"];
      code[pc + 1] = k;
      for (let i = 0; i < pairs.length; i++) code[pc + 2 + i] = pairs[i];
      for (let i = pc + 2 + pairs.length; i < pc + 3 * k; i++) code[i] = 0;
      // A rotation at a loop's back edge (sha256's eight working variables)
      // is followed by the loop's `br`: the interpreter's movs jumps for it
      // (the `br` stays, for compiled code and other paths into it).
      const next = pc + 3 * k;
      code[pc + 2 + pairs.length] = next < n && code[next] === IR["br"] ? code[next + 1] : -1;
      pc += 3 * k;
    } else pc += k > 0 ? 3 * k : sizeAt(code, pc);
  }
  let prev = -1;
  for (let pc = 0; pc < n;) {
    const size = sizeAt(code, pc);
    const b = prev >= 0 && target[pc] === 0 ? BUNDLE.get(code[prev] * 1024 + code[pc]) : undefined;
    if (b !== undefined) {
      code[prev] = b;
      for (let i = 1; i < size; i++) code[pc + i - 1] = code[pc + i];
      code[pc + size - 1] = 0;
      prev = -1;
    } else prev = pc;
    pc += size;
  }
}

const ROT = IR["i32.rotl_i"], ROT_XOR = IR["i32.rotl_i>i32.xor"];
const SHR_XOR = IR["i32.shr_u_i>i32.xor"];

/**
 * `rotl_i x a b1; rotl_i>xor y a b2 x; (rotl_i|shr_u_i)>xor d a b3 y` → one
 * `i32.xrot3`/`i32.xrot2shr` (same length, 14 words), when no branch lands
 * inside and neither x nor y is `a` (the later parts must read the same `a`).
 */
function fuseRotations(code: Int32Array, n: number, target: Uint8Array): void {
  for (let pc = 0; pc + 14 <= n;) {
    const a = code[pc + 2], x = code[pc + 1], y = code[pc + 5];
    if (
      code[pc] === ROT && code[pc + 4] === ROT_XOR && target[pc + 4] === 0 &&
      target[pc + 9] === 0 && code[pc + 6] === a && code[pc + 8] === x &&
      (code[pc + 9] === ROT_XOR || code[pc + 9] === SHR_XOR) && code[pc + 11] === a &&
      code[pc + 13] === y && x !== a && y !== a
    ) {
      const op = code[pc + 9] === ROT_XOR ? IR["i32.xrot3"] : IR["i32.xrot2shr"];
      const b1 = code[pc + 3], b2 = code[pc + 7], b3 = code[pc + 12], d = code[pc + 10];
      code.fill(0, pc, pc + 14);
      code[pc] = op;
      code[pc + 1] = d;
      code[pc + 2] = a;
      code[pc + 3] = b1;
      code[pc + 4] = b2;
      code[pc + 5] = b3;
      code[pc + 6] = x;
      code[pc + 7] = y;
      pc += 14;
    } else pc += sizeAt(code, pc);
  }
}

const MUL_MUL = IR["f64.mul>f64.mul"], ADD_TO = IR["f64.load>f64.add>f64.store"];
const MUL_ADD_TO = IR["f64.mul>f64.mul>f64.load>f64.add>f64.store"];

/**
 * `f64.mul>f64.mul d x y z; f64.load>f64.add>f64.store a o d` → one
 * instruction of the same length (9 words) when no branch lands on the
 * second and `a` is another register than d (the fused op reads it first):
 * the product is still written to d, so later readers see it.
 */
function fuseAddTo(code: Int32Array, n: number, target: Uint8Array): void {
  for (let pc = 0; pc + 9 <= n;) {
    if (
      code[pc] === MUL_MUL && code[pc + 5] === ADD_TO && target[pc + 5] === 0 &&
      code[pc + 8] === code[pc + 1] && code[pc + 6] >> 1 !== code[pc + 1]
    ) {
      const a = code[pc + 6], o = code[pc + 7];
      code[pc] = MUL_ADD_TO;
      code[pc + 5] = a;
      code[pc + 6] = o;
      code[pc + 7] = 0;
      code[pc + 8] = 0;
      pc += 9;
    } else pc += sizeAt(code, pc);
  }
}
