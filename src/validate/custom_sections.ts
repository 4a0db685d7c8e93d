/**
 * Checks of custom sections whose contents a proposal defines — today the
 * branch hinting proposal's `metadata.code.branch_hint`. The core spec says
 * custom sections never make a module invalid, so `Module`/`validate` do
 * not run this (wasmtime and V8 ignore a bad hint section too); the spec
 * harness does, as the reference interpreter does for `assert_invalid_custom`.
 *
 * Messages use the reference interpreter's wording, which names the text
 * annotation the section comes from (`@metadata.code.branch_hint
 * annotation: invalid target`).
 *
 * @module
 */
import type { Features } from "../binary/features.ts";
import type { CustomSection, ModuleStruct } from "../binary/types.ts";
import { readOp, skipImmediates } from "../binary/decode_instr.ts";
import { Reader } from "../binary/reader.ts";
import { CompileError } from "../errors.ts";

const BRANCH_HINT = "metadata.code.branch_hint";
const PREFIX = "@metadata.code.branch_hint annotation: ";
const IF = 0x04;
const BR_IF = 0x0d;

/**
 * Throws a {@link CompileError} when a custom section that Gannet knows
 * the format of is malformed or does not fit the module (a branch hint
 * whose target is not an `if` or `br_if`, …). Unknown sections pass.
 */
export function validateCustomSections(m: ModuleStruct, features: Readonly<Features>): void {
  let seen = false;
  for (const c of m.customs) {
    if (c.name !== BRANCH_HINT) continue;
    if (seen) throw new CompileError(`${PREFIX}duplicate section`);
    seen = true;
    checkBranchHints(m, c, features);
  }
}

function checkBranchHints(m: ModuleStruct, c: CustomSection, features: Readonly<Features>): void {
  const r = new Reader(c.data);
  const fail = (what: string): never => {
    throw new CompileError(`${PREFIX}${what}`);
  };
  let imported = 0;
  for (const imp of m.imports) if (imp.desc.kind === 0) imported++;
  let previous = -1;
  for (let n = r.u32(); n > 0; n--) {
    const func = r.u32();
    if (func <= previous) fail(`function ${func} out of order`);
    previous = func;
    const code = m.codes[func - imported];
    if (func < imported || code === undefined) fail(`unknown function ${func}`);
    // Offsets count from the body's start, local declarations included;
    // their size is recomputed (minimal LEB128), as decoding dropped it.
    let localsSize = leb(code.locals.length);
    for (const l of code.locals) localsSize += leb(l.count) + 1;
    const body = new Reader(code.body.bytes);
    let last = -1;
    for (let k = r.u32(); k > 0; k--) {
      const offset = r.u32();
      const size = r.u32();
      if (size !== 1) fail(`invalid hint size ${size} in function ${func}`);
      const value = r.u8();
      if (value > 1) fail(`invalid value ${value} in function ${func}`);
      if (offset <= last) fail(`offset ${offset} out of order in function ${func}`);
      last = offset;
      // Walk to the instruction that starts at `offset` (or past it).
      const target = offset - localsSize;
      let op = -1;
      while (!body.eof() && body.pos <= target) {
        const at = body.pos;
        const info = readOp(body, features);
        if (at === target) op = info.prefix === 0 ? info.code : -1;
        skipImmediates(body, info, features);
      }
      if (op !== IF && op !== BR_IF) {
        fail(`invalid target (offset ${offset} of function ${func} is not an if or br_if)`);
      }
    }
  }
  if (!r.eof()) fail("unexpected content after the last function");
}

function leb(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}
