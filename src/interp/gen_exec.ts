/**
 * Generates `exec_loop.ts` from `exec_template.ts` and the IR table:
 * `IR["name"]` becomes the literal opcode number and the regular op families
 * are inserted at the GENERATED marker. Run after changing either input:
 *
 *     deno run -A src/interp/gen_exec.ts
 *
 * (`gen_exec_test.ts` fails when the checked-in loop is stale.) It then prints
 * the loop's bytecode size and its largest cases (`loop_bytes.ts`).
 *
 * @module
 */

import { IR, IR_DEFS, type IrDef } from "./ir_defs.ts";
import * as SLICE_EXITS from "./slice.ts";
import { measureLoop, report } from "./loop_bytes.ts";

const MARKER = "// @@GENERATED_CASES@@";
const COLD_MARKER = "// @@GENERATED_COLD_CASES@@";

/** Whether an op's body mentions the variable `v`. */
function uses(def: IrDef, v: string): boolean {
  return new RegExp(`\\b${v}\\b`).test(def.body!);
}

/** Declarations that load an op's operands, then its body. */
function caseBody(def: IrDef): string {
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

/** Function-level scratch variables the generated cases assign (declared once). */
const scratch = new Set<string>();

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
    if (name === "d") {
      const base = kind === "d" || kind === "r" || kind === "s" ? "fd" : "fp";
      loads.push(["d", `${base} + ${at}`, false]);
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
        case "L":
          loads.push([`${name}l`, at, false]);
          loads.push([`${name}h`, `code[pc + ${k + 1}]`, false]);
          break;
        default:
          throw new Error(`gen_exec: operand kind ${kind} of ${def.name} has no loader`);
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

/** The generated source (before formatting). */
export function generate(template: string): string {
  if (!template.includes(MARKER)) throw new Error("gen_exec: marker missing in template");
  if (!template.includes(COLD_MARKER)) throw new Error("gen_exec: cold marker missing");
  const cases: string[] = [], cold: string[] = [];
  const declare = () => {
    const decl = `let ${[...scratch].sort().map((v) => `${v} = 0`).join(", ")};`;
    scratch.clear();
    return decl;
  };
  IR_DEFS.forEach((def, op) => {
    if (def.body === null && def.parts === undefined || def.cold) return;
    cases.push(`case ${op}: { // ${def.name}\n${caseBody(def)}\n}`);
  });
  const hotDecl = declare();
  IR_DEFS.forEach((def, op) => {
    if (def.body === null && def.parts === undefined || !def.cold) return;
    cold.push(`case ${op}: { // ${def.name}\n${caseBody(def)}\n}`);
  });
  const coldDecl = declare();
  let src = template.replace(MARKER, cases.join("\n")).replace(COLD_MARKER, cold.join("\n"));
  src = src.replace("// @@SCRATCH@@", hotDecl).replace("// @@SCRATCH@@", coldDecl);
  src = src.replace(/^import \{ IR \} from "\.\/ir_defs\.ts";\n/m, "");
  src = src.replace(
    /^\/\/ The regular families are inserted[^\n]*\n\/\/ deno-lint-ignore-file [^\n]*\n/m,
    "// deno-lint-ignore-file no-fallthrough\n",
  );
  src = src.replace(
    /^\/\*\*\n \* SOURCE of the interpreter's dispatch loop\.[\s\S]*?\*\/\n/,
    "/**\n * GENERATED by gen_exec.ts from exec_template.ts and ir_defs.ts: do not edit.\n" +
      " * The interpreter's dispatch loop.\n *\n * @module\n */\n",
  );
  src = src.replace(/IR\["([^"]+)"\]/g, (_, name: string) => {
    const n = IR[name];
    if (n === undefined) throw new Error(`gen_exec: unknown IR op ${name} in template`);
    return `${n} /* ${name} */`;
  });
  // Exit codes as literals too: an imported constant costs a module-cell
  // load and a hole check (5 bytes of bytecode) per use, a literal 2.
  src = src.replace(/^import \{ [A-Z_, ]+ \} from "\.\/slice\.ts";\n/m, "");
  src = src.replace(/\b(RETURNED|YIELDED|CALL_OUT)\b/g, (_, name: keyof typeof SLICE_EXITS) => {
    return `${SLICE_EXITS[name]} /* ${name} */`;
  });
  src = aliasImports(src);
  for (const def of IR_DEFS) {
    if (def.body === null && def.parts === undefined && !template.includes(`IR["${def.name}"]`)) {
      throw new Error(`gen_exec: hand-written op ${def.name} missing from the template`);
    }
  }
  return src;
}

/**
 * Rebinds imported functions as module-level constants. V8 reads an import
 * binding through its module cell on every use, and in the dispatch loop
 * those reads (even on cold paths) cost a third of the speed of a simple
 * loop (measured: 30M iterations, 400 ms vs 300 ms CPU). Function
 * declarations are initialised before any module body runs, so the aliases
 * are safe even inside import cycles.
 */
function aliasImports(src: string): string {
  const names: string[] = [];
  src = src.replace(
    /^import \{([^}]*)\} from "((?:\.\/|\.\.\/numeric\/)(?:numeric|exec_helpers|frame)\.ts)";$/gm,
    (_, list: string, from: string) => {
      const ids = list.split(",").map((x) => x.trim()).filter((x) => x !== "");
      names.push(...ids);
      return `import {\n${ids.map((n) => `  ${n} as ${n}_,`).join("\n")}\n} from "${from}";`;
    },
  );
  const decls = names.map((n) => `const ${n}: typeof ${n}_ = ${n}_;`).join("\n");
  const at = src.indexOf("\n/**", src.lastIndexOf("\nimport "));
  return src.slice(0, at) + "\n" + decls + "\n" + src.slice(at);
}

/**
 * Whitespace- and parenthesis-insensitive form, to compare with the
 * formatted file (the formatter drops redundant parentheses).
 */
export function normalize(src: string): string {
  return src.replace(/\s+/g, "").replace(/,([)\]}])/g, "$1").replace(/[()]/g, "");
}

if (import.meta.main) {
  const dir = new URL(".", import.meta.url);
  const template = await Deno.readTextFile(new URL("exec_template.ts", dir));
  const out = new URL("exec_loop.ts", dir);
  await Deno.writeTextFile(out, generate(template));
  const fmt = new Deno.Command(Deno.execPath(), { args: ["fmt", "-q", out.pathname] });
  const { code } = await fmt.output();
  if (code !== 0) throw new Error("gen_exec: deno fmt failed on the generated loop");
  console.log(`wrote ${out.pathname}`);
  // The byte budget, as data (`deno run -A src/interp/loop_bytes.ts --all` lists every case).
  console.log(report(measureLoop(), 10));
}
