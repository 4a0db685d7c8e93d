/**
 * Generates the inline cases of the interpreter's SIMD loop (`simd_run.ts`,
 * between its GENERATED markers) from the lane templates
 * (`src/simd/lane_templates.ts`), which compiled code expands too
 * (`src/jit/simd_emit.ts`). Run after changing the table:
 *
 *     deno run -A src/interp/gen_simd_run.ts
 *
 * (`gen_simd_run_test.ts` fails when the checked-in loop is stale.)
 *
 * In the loop, `w` is the first operand word's index in `code` and `d`
 * the first operand as a register file word (`fp + code[w]`); a case
 * `break`s to the next instruction or `continue`s after handing the
 * instruction to the executor.
 *
 * @module
 */

import { LANE_TEMPLATES, type LaneTemplate, REGISTER_KINDS } from "../simd/lane_templates.ts";
import { normalize } from "./gen_exec.ts";

/** Start of the generated region of `simd_run.ts` (the line holding it stays). */
export const BEGIN = "// @@GENERATED_SIMD_CASES@@";
/** End of the generated region (the line holding it stays). */
export const END = "// @@END_GENERATED_SIMD_CASES@@";

/** Names of the loop's own locals, which a template must not use for anything else. */
const RESERVED = new Set(
  ["m", "inst", "fp", "code", "pc", "w", "jumps", "op", "mem", "dv", "SV"].concat(
    ["I32", "F32", "I16", "F64", "DV", "memLen", "memoryFault", "trapOob", "simdExecute"],
  ),
);

/** The code word of operand `k`. */
const word = (k: number) => (k === 0 ? "code[w]" : `code[w + ${k}]`);

/** [start, end) ranges of the body's `for` loops (header to closing brace). */
function loopRanges(body: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of body.matchAll(/\bfor \(/g)) {
    let depth = 0, i = body.indexOf("{", m.index!);
    for (; i < body.length; i++) {
      if (body[i] === "{") depth++;
      else if (body[i] === "}" && --depth === 0) break;
    }
    out.push([m.index!, i + 1]);
  }
  return out;
}

/** Uses of `name` in `body` (not as a property), with the view indexing each (`""`: bare). */
function usesOf(body: string, name: string): { at: number; view: string }[] {
  return [...body.matchAll(new RegExp(`(?<![.\\w$])${name}\\b`, "g"))].map((m) => {
    const v = /\b(I32|F32|I16|F64)\[\s*$/.exec(body.slice(0, m.index!));
    return { at: m.index!, view: v === null ? "" : v[1] };
  });
}

/**
 * The statements of template `t` as a case of the loop (without its label):
 * operands read from the code array, an operand used once outside loops in
 * place, the others bound to a `const` first.
 */
export function loopCase(t: LaneTemplate): string {
  const lines: string[] = [];
  let body = t.body;
  const mem = t.operands.findIndex((o) => o.kind === "m");
  if (mem >= 0) {
    lines.push(`const mem = inst.memories[${word(mem)}];`);
    const hi = t.operands.findIndex((o) => o.kind === "h");
    if (hi >= 0) {
      // memory64 and high offsets: the executor's general address path.
      lines.push(
        `if (mem.index64 || ${word(hi)} !== 0) {`,
        "pc = simdExecute(m, inst, fp, code, pc);",
        "continue;",
        "}",
      );
    }
    body = body.replace(
      /if \(ea > memLen - (\d+)\) memoryFault\(\);/g,
      (_, n: string) =>
        `if (ea > mem.len - ${n} && !mem.covers(ea + ${n})) trapOob();\nconst dv = mem.dv;`,
    );
    body = body.replace(/\bDV\b/g, "dv");
  }
  if (/\b(memLen|memoryFault)\b/.test(body)) {
    throw new Error(`gen_simd_run: ${t.name}: memory access outside the bounds-check form`);
  }
  const loops = loopRanges(body);
  const inLoop = (at: number) => loops.some(([a, b]) => at >= a && at < b);
  // Replacements are collected first, then applied from the end of the body.
  const edits: { at: number; len: number; text: string }[] = [];
  t.operands.forEach(({ name, kind }, k) => {
    if (RESERVED.has(name)) throw new Error(`gen_simd_run: ${t.name}: operand name ${name}`);
    const uses = usesOf(body, name);
    if (REGISTER_KINDS.has(kind)) {
      const base = k === 0 ? "d" : `fp + ${word(k)}`;
      for (const view of new Set(uses.map((u) => u.view))) {
        const group = uses.filter((u) => u.view === view);
        const scaled = view === "I16" ? `(${base}) << 1` : view === "F64" ? `(${base}) >> 1` : base;
        let text: string;
        if (k === 0 && scaled === base) text = "d";
        else if (group.length === 1 && !inLoop(group[0].at)) text = `(${scaled})`;
        else {
          text = view === "I16" ? `${name}16` : view === "F64" ? `${name}64` : name;
          lines.push(`const ${text} = ${scaled};`);
        }
        for (const u of group) edits.push({ at: u.at, len: name.length, text });
      }
    } else if (kind === "#") {
      if (uses.length > 1 || uses.some((u) => inLoop(u.at))) {
        lines.push(`const ${name} = ${word(k)};`);
      } else for (const u of uses) edits.push({ at: u.at, len: name.length, text: word(k) });
    } else if (uses.length > 0) {
      throw new Error(`gen_simd_run: ${t.name}: the body uses ${kind} operand ${name}`);
    }
  });
  edits.sort((x, y) => y.at - x.at);
  for (const e of edits) body = body.slice(0, e.at) + e.text + body.slice(e.at + e.len);
  return [...lines, body, "break;"].join("\n");
}

/** The generated cases: case `i + 1` runs template `i`; identical bodies share one. */
export function generateCases(templates: readonly LaneTemplate[] = LANE_TEMPLATES): string {
  const bodies = new Map<string, string[]>();
  templates.forEach((t, i) => {
    const body = loopCase(t);
    const labels = bodies.get(body) ?? [];
    labels.push(`case ${i + 1}: // ${t.name}`);
    bodies.set(body, labels);
  });
  return [...bodies].map(([body, labels]) =>
    `${labels.slice(0, -1).join("\n")}${labels.length > 1 ? "\n" : ""}${
      labels.at(-1)!.replace(/: \/\/ (.*)$/, ": { // $1")
    }\n${body}\n}`
  ).join("\n");
}

/** `source` (simd_run.ts) with its generated region replaced by `cases`. */
export function generate(source: string, cases: string = generateCases()): string {
  const a = source.indexOf(BEGIN), b = source.indexOf(END);
  if (a < 0 || b < a) throw new Error("gen_simd_run: markers missing in simd_run.ts");
  const from = source.indexOf("\n", a) + 1, to = source.lastIndexOf("\n", b) + 1;
  return source.slice(0, from) + cases + "\n" + source.slice(to);
}

/** The generated region of `source`, normalized (see gen_exec.ts's `normalize`). */
export function generatedRegion(source: string): string {
  const a = source.indexOf(BEGIN), b = source.indexOf(END);
  if (a < 0 || b < a) throw new Error("gen_simd_run: markers missing in simd_run.ts");
  return normalize(source.slice(source.indexOf("\n", a) + 1, source.lastIndexOf("\n", b) + 1));
}

if (import.meta.main) {
  const out = new URL("simd_run.ts", import.meta.url);
  await Deno.writeTextFile(out, generate(await Deno.readTextFile(out)));
  const fmt = new Deno.Command(Deno.execPath(), { args: ["fmt", "-q", out.pathname] });
  if ((await fmt.output()).code !== 0) throw new Error("gen_simd_run: deno fmt failed");
  console.log(`wrote ${out.pathname}`);
}
