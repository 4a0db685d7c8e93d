/**
 * The one code generator of the IR table's semantics. An IR op's `body`
 * (`ir_defs.ts`) is JS written against the register file — `I32[d] = …`,
 * operands as locals named after them, `JUMP(t);` for a taken branch — and
 * this module turns it into code for both tiers:
 *
 * - {@link loopCase}: a `case` of the interpreter's dispatch loop, operands
 *   loaded from the code array at `pc` (`gen_exec.ts` assembles the loop);
 * - {@link staticCase}: straight-line JS for one instruction whose operand
 *   words are known, as compiled code runs it (`src/jit`): registers become
 *   whatever {@link RegisterEnv} says (JS locals, conversions), immediates
 *   literals, `JUMP` the compiled code's branch.
 *
 * What a body may say, so that both expansions stay exact: register writes
 * only as `I32[d] = E;`, `I32[d + 1] = E;` (an `l` destination; up to
 * `I32[d + 3]` for a `V` one), `F32[d] = E;`, `F64[d] = E;`
 * (`d` the destination operand), `I32[fp + x] = E;` (`x` an immediate word
 * index), or a helper call `f(I32, d, …);` writing the two words of an i64
 * destination; register reads only through operands (`a`, `al`/`ah`, `a0`…`a3`); an
 * index operand (kinds `w`, `s`, `r`, `v`: the register file index itself)
 * for anything else, which compiled code spills before and reloads after.
 * The inline bounds check is `if (ea > memLen - N) memoryFault();`.
 * `staticCase` throws on a body outside these forms, and a test expands
 * every op of the table.
 *
 * @module
 */

import type { IrDef } from "./ir_defs.ts";
import { withoutBoundsCheck } from "./bounds_check.ts";

// ---------------------------------------------------------------- loop ----

/** Whether an op's body mentions the variable `v`. */
function uses(def: IrDef, v: string): boolean {
  return new RegExp(`\\b${v}\\b`).test(def.body!);
}

/**
 * Function-level scratch variables the generated loop cases assign
 * (declared once per function: see {@link takeScratch}).
 */
const scratch = new Set<string>();

/** The scratch variables used since the last call, as one `let` declaration. */
export function takeScratch(): string {
  const decl = `let ${[...scratch].sort().map((v) => `${v} = 0`).join(", ")};`;
  scratch.clear();
  return decl;
}

/** Register kinds whose operand is the register file index rather than a value. */
const INDEX_KINDS = new Set(["w", "s", "r", "v"]);

/** Whether operand kind `kind` names a slot index (Float64/reference views) rather than a word. */
export function slotIndexed(kind: string): boolean {
  return kind === "d" || kind === "r" || kind === "s";
}

/** Declarations that load an op's operands, then its body: one `case` of the dispatch loop. */
export function loopCase(def: IrDef): string {
  if (def.parts !== undefined) {
    // A bundle: each part in its own block (the first's results are written
    // before the second loads its operands); the second's operands follow
    // the first's, so its fall-through skips the whole pair.
    const [p, x] = def.parts;
    const first = partLines(p, 1, null);
    const second = partLines(x, p.size, def.size);
    const jumps = x.operands.some((o) => o.kind === "@");
    return [
      "{",
      ...first,
      "}",
      "{",
      ...second,
      "}",
      ...(jumps ? [] : [`pc += ${def.size};`]),
      "break;",
    ]
      .join("\n");
  }
  const lines = partLines(def, 1, def.size);
  if (def.cold) lines.push(`return pc + ${def.size};`);
  else {
    if (!def.operands.some((o) => o.kind === "@")) lines.push(`pc += ${def.size};`);
    lines.push("break;");
  }
  return lines.join("\n");
}

const WRITE = /\b(?:I32|F32|F64|R)\[[^\]]+\]\s*=[^=]|\w+\(I32, /;

/**
 * Operand loads (the first operand at `pc + first`) and the body of `def`.
 * `total`, when given, replaces the op's own size in its fall-through.
 *
 * Bytecode size matters (V8 optimizes nothing above 60 KB), so operands
 * used once are inlined into the body where that cannot change what they
 * read (immediates always; registers when every use precedes the body's
 * first register write), and the rest go to function-level scratch
 * variables instead of per-case `const`s: each `const` would get its own
 * interpreter register, pushing every access to the wide encoding.
 */
function partLines(def: IrDef, first: number, total: number | null): string[] {
  let body = def.body!.replace(/JUMP\((\w+)\);/g, "pc = $1;\nif (--budget < 0) break run;");
  if (total !== null) body = body.replaceAll(`pc += ${def.size};`, `pc += ${total};`);
  body = body.replace(/\bconst (\w+) =/g, (_, v: string) => {
    scratch.add(v);
    return `${v} =`;
  });
  // [variable, load expression, reads a register (mutable)]
  const loads: [string, string, boolean][] = [];
  let k = first;
  for (const { name, kind } of def.operands) {
    const at = `code[pc + ${k}]`;
    if (name === "d" || INDEX_KINDS.has(kind)) {
      loads.push([name, `${slotIndexed(kind) ? "fd" : "fp"} + ${at}`, false]);
    } else {
      switch (kind) {
        case "i":
          loads.push([name, `I32[fp + ${at}]`, true]);
          break;
        case "f":
          loads.push([name, `F32[fp + ${at}]`, true]);
          break;
        case "d":
          loads.push([name, `F64[fd + ${at}]`, true]);
          break;
        case "l":
          if (uses(def, `${name}l`) && uses(def, `${name}h`)) {
            loads.push([`${name}_`, `fp + ${at}`, false]);
            loads.push([`${name}l`, `I32[${name}_]`, true]);
            loads.push([`${name}h`, `I32[${name}_ + 1]`, true]);
          } else {
            loads.push([`${name}l`, `I32[fp + ${at}]`, true]);
            loads.push([`${name}h`, `I32[fp + ${at} + 1]`, true]);
          }
          break;
        case "#":
        case "@":
          loads.push([name, at, false]);
          break;
        case "V":
          for (let w = 0; w < 4; w++) {
            if (uses(def, `${name}${w}`)) {
              loads.push([`${name}${w}`, `I32[fp + ${at} + ${w}]`, true]);
            }
          }
          break;
        case "L":
          loads.push([`${name}l`, at, false]);
          loads.push([`${name}h`, `code[pc + ${k + 1}]`, false]);
          break;
        default:
          throw new Error(`codegen: operand kind ${kind} of ${def.name} has no loader`);
      }
    }
    k += kind === "L" ? 2 : 1;
  }
  let lines: string[] = [];
  // Reads before the end of the first statement that writes a register happen
  // before that write (a right-hand side, or a helper's arguments).
  const w = body.search(WRITE);
  const firstWrite = w < 0 ? -1 : body.indexOf(";", w);
  // Later loads may refer to earlier ones (`a_`), so decide from the last to the first.
  for (let i = loads.length - 1; i >= 0; i--) {
    const [v, expr, mutable] = loads[i];
    const re = new RegExp(`\\b${v}\\b`, "g");
    const inBody = [...body.matchAll(re)];
    const inLines = lines.reduce((n, l) => n + [...l.matchAll(re)].length, 0);
    const count = inBody.length + inLines;
    if (count === 0) continue;
    const early = firstWrite < 0 || inBody.every((m) => m.index! < firstWrite);
    if (count === 1 && (!mutable || early)) {
      body = body.replace(re, `(${expr})`);
      lines = lines.map((l) => l.replace(re, `(${expr})`));
    } else {
      scratch.add(v);
      lines.unshift(`${v} = ${expr};`);
    }
  }
  lines.push(body);
  return lines;
}

// -------------------------------------------------------------- static ----

/**
 * How compiled code holds the frame's registers: the JIT's side of
 * {@link staticCase}. Word indices are relative to the frame (`2 × slot`),
 * slot indices for the `d` kind.
 */
export interface RegisterEnv {
  /**
   * An expression reading register `at` as an int32 (`i`, word `at`), a
   * float32 (`f`, word `at`) or a float64 (`d`, slot `at`). It must have
   * no effect: the generator may evaluate it where the body reads it.
   */
  value(kind: "i" | "f" | "d", at: number): string;
  /**
   * A statement storing `value`, a JS expression, as an int32 (`i`, word
   * `at`), a float32 (`f`, word `at`) or a float64 (`d`, slot `at`).
   */
  write(kind: "i" | "f" | "d", at: number, value: string): string;
  /** An expression for the register file index of index operand kind `kind` at `at`. */
  index(kind: string, at: number): string;
  /** Statements for a taken branch to code position `target`. */
  jump(target: number): string;
  /** Statements for the inline bounds check's failure at `ea` on an access of `bytes`. */
  fault(bytes: number): string;
  /**
   * Where memory 0's DataView traps out-of-bounds accesses itself (an
   * unshared memory), an expression throwing the out-of-bounds trap: the
   * bodies that can then go without their inline check do
   * (`bounds_check.ts`).
   */
  boundsTrap?: string;
}

/** The words of an operand list, from `first`: [name, kind, position]. */
export function operandWords(
  def: IrDef,
  first = 1,
): { name: string; kind: string; at: number }[] {
  const out: { name: string; kind: string; at: number }[] = [];
  let k = first;
  for (const { name, kind } of def.operands) {
    out.push({ name, kind, at: k });
    k += kind === "L" ? 2 : 1;
  }
  return out;
}

/**
 * Finds the end (index of the `;`) of the statement whose right-hand side
 * (or a call's argument list, past its opening parenthesis) starts at `from`.
 */
function statementEnd(body: string, from: number): number {
  let depth = 0;
  for (let i = from; i < body.length; i++) {
    const c = body[i];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === ";" && depth <= 0) return i;
  }
  throw new Error(`codegen: unterminated statement in ${body}`);
}

/**
 * Rewrites the register writes of a body through `write(view, offset, rhs)`,
 * for every `VIEW[target] = rhs;` where `target` matches `lhs`.
 */
function rewriteWrites(
  body: string,
  lhs: RegExp,
  write: (m: RegExpExecArray, rhs: string) => string,
): string {
  let out = "";
  for (;;) {
    lhs.lastIndex = 0;
    const m = lhs.exec(body);
    if (m === null) return out + body;
    const end = statementEnd(body, m.index + m[0].length);
    out += body.slice(0, m.index) + write(m, body.slice(m.index + m[0].length, end).trim());
    body = body.slice(end + 1);
  }
}

const SCRATCH = "$S";

/**
 * The JS statements of one instruction of `def` whose operand words start
 * at `code[pc + first]`, with registers held as `env` says. Throws when the
 * body writes registers in a form the generator does not know (see the
 * module documentation), so no op is compiled on a guess.
 */
export function staticCase(
  def: IrDef,
  code: Int32Array,
  pc: number,
  env: RegisterEnv,
  first = 1,
): string {
  if (def.parts !== undefined) {
    const [p, x] = def.parts;
    return `{\n${staticCase(p, code, pc, env, 1)}\n}\n{\n${
      staticCase(x, code, pc, env, p.size)
    }\n}`;
  }
  if (def.body === null) throw new Error(`codegen: ${def.name} has no body`);
  const ops = operandWords(def, first);
  const value = (name: string) => {
    const o = ops.find((x) => x.name === name);
    if (o === undefined || o.kind !== "#") {
      throw new Error(`codegen: ${def.name}: ${name} is not an immediate`);
    }
    return code[pc + o.at];
  };
  // Operand bindings: [variable, expression, reads a register (or is an index)].
  const binds: [string, string, boolean][] = [];
  const indexes = new Set<string>();
  let dest: { kind: string; at: number } | null = null;
  for (const { name, kind, at } of ops) {
    const w = code[pc + at];
    // Index operands stay bound: the check below finds register accesses by them.
    if (INDEX_KINDS.has(kind)) {
      binds.push([name, env.index(kind, w), true]);
      indexes.add(name);
    } else if (name === "d") dest = { kind, at: w };
    else if (kind === "#") binds.push([name, String(w), false]);
    else if (kind === "L") {
      binds.push([`${name}l`, String(w), false], [`${name}h`, String(code[pc + at + 1]), false]);
    } else if (kind === "l") {
      binds.push([`${name}l`, env.value("i", w), true], [`${name}h`, env.value("i", w + 1), true]);
    } else if (kind === "V") {
      for (let k = 0; k < 4; k++) binds.push([`${name}${k}`, env.value("i", w + k), true]);
    } else if (kind !== "@") binds.push([name, env.value(kind as "i" | "f" | "d", w), true]);
  }
  // The environment's code goes in last (as placeholders until then), so
  // that the checks below see only the body's own code.
  const late: string[] = [];
  const hold = (s: string) => `⟦${late.push(s) - 1}⟧`;
  let body = def.body.replace(/JUMP\((\w+)\);/g, (_, t: string) => {
    const o = ops.find((x) => x.name === t && x.kind === "@");
    if (o === undefined) throw new Error(`codegen: ${def.name}: JUMP to ${t}`);
    return hold(env.jump(code[pc + o.at]));
  });
  body = body.replace(/\bpc \+= \d+;/g, ";");
  if (env.boundsTrap !== undefined) body = withoutBoundsCheck(body, env.boundsTrap);
  body = body.replace(
    /if \(ea > memLen - (\d+)\) memoryFault\(\);/g,
    (_, n: string) => `if (ea > memLen - ${n}) { ${hold(env.fault(Number(n)))} }`,
  );
  // Operands go into the body where that cannot change what they read, as
  // in the loop (constants always; a register read once before the body's
  // first register write); the rest are bound first.
  const lines: string[] = [];
  // Immediates naming a register (`I32[fp + x]`) stay for the rewrite below.
  const named = new Set([...body.matchAll(/\bI32\[fp \+ (\w+)\]/g)].map((m) => m[1]));
  for (const [v, expr, register] of binds) {
    const uses = [...body.matchAll(new RegExp(`\\b${v}\\b`, "g"))];
    if (uses.length === 0) continue;
    const w0 = body.search(WRITE);
    const firstWrite = w0 < 0 ? -1 : body.indexOf(";", w0);
    const early = firstWrite < 0 || uses.every((m) => m.index! < firstWrite);
    if (named.has(v)) lines.push(`const ${v} = ${expr};`);
    else if (!register || (uses.length === 1 && early && !indexes.has(v))) {
      body = body.replace(new RegExp(`\\b${v}\\b`, "g"), hold(`(${expr})`));
    } else lines.push(`const ${v} = ${hold(expr)};`);
  }
  if (dest !== null) {
    const d = dest;
    // A helper writing an i64 destination writes a scratch pair first.
    body = rewriteWrites(body, /(\w+)\(I32, d, /, (m, rest) => {
      if (d.kind !== "l") throw new Error(`codegen: ${def.name}: ${m[1]} writes a ${d.kind}`);
      // One block: the call may be a branch's statement (`else f(I32, d, …);`).
      return `{ ${
        m[1]
      }(${SCRATCH}, 0, ${rest}; { const $lo = ${SCRATCH}[0]; const $hi = ${SCRATCH}[1]; ` +
        `${hold(env.write("i", d.at, "$lo"))} ${hold(env.write("i", d.at + 1, "$hi"))} } }`;
    });
    body = rewriteWrites(body, /\b(I32|F32|F64)\[d(?: \+ ([123]))?\]\s*=(?!=)/, (m, rhs) => {
      const view = m[1], k = m[2] === undefined ? 0 : Number(m[2]);
      if (k > (d.kind === "V" ? 3 : d.kind === "l" ? 1 : 0)) {
        throw new Error(`codegen: ${def.name}: ${m[0]} past a ${d.kind} destination`);
      }
      if (view === "F64") return hold(env.write("d", d.at, rhs));
      if (view === "F32") return hold(env.write("f", d.at, rhs));
      return hold(env.write("i", d.at + k, rhs));
    });
  }
  body = rewriteWrites(
    body,
    /\bI32\[fp \+ (\w+)\]\s*=(?!=)/,
    (m, rhs) => hold(env.write("i", value(m[1]), rhs)),
  );
  const index = new Set(ops.filter((o) => INDEX_KINDS.has(o.kind)).map((o) => o.name));
  for (const m of body.matchAll(/\b(I32|F32|F64|R)\[([^\]]*)\]/g)) {
    const base = /^\s*(\w+)/.exec(m[2])?.[1];
    if (base === undefined || !index.has(base)) {
      throw new Error(`codegen: ${def.name}: register access ${m[0]} is not through an operand`);
    }
  }
  if (/\b(code|memoryFault)\b|\bpc\b/.test(body)) {
    throw new Error(`codegen: ${def.name}: body reads the code array or pc`);
  }
  lines.push(body);
  let out = lines.join("\n");
  // Placeholders nest (an operand inside a held write): resolve until none is left.
  while (out.includes("⟦")) out = out.replace(/⟦(\d+)⟧/g, (_, i: string) => late[Number(i)]);
  return out;
}

/** The scratch pair compiled code's `staticCase` output uses for i64 helpers (an Int32Array of 2). */
export const SCRATCH_NAME: string = SCRATCH;
