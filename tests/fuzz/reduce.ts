/**
 * Shrinking a module that makes Gannet and the native engine diverge, in
 * the manner of binaryen's `wasm-reduce` (whose npm build cannot run a test
 * command): candidates from most to least promising — dropping exports in
 * halves, quarters… down to single ones (then dead code with
 * `--remove-unused-module-elements`), binaryen optimization pipelines,
 * dropping other module fields, and finally, inside functions, replacing an
 * expression by `unreachable` or by one of its operands, or deleting a
 * statement. Candidates binaryen rejects as invalid are never yielded; the
 * session keeps a candidate when it still diverges the same way.
 *
 * @module
 */
import { wasmOpt, wasmToWat } from "./binaryen.ts";
import { binaryenFlags } from "./features.ts";
import { head, parseSexpr, printSexpr, type SList, type SNode } from "./sexpr.ts";

const PIPELINES: readonly string[][] = [
  ["--remove-unused-module-elements"],
  ["-Oz"],
  ["-O1"],
  ["--dce", "--vacuum"],
  ["--simplify-locals", "--vacuum"],
  ["--merge-blocks", "--remove-unused-brs", "--vacuum"],
  ["--precompute", "--vacuum"],
  ["--coalesce-locals", "--reorder-locals"],
  ["--remove-unused-names", "--strip-debug", "--strip-producers"],
];

/** Lists that are parts of a definition, not expressions. */
const STRUCTURAL = new Set([
  "param",
  "result",
  "local",
  "type",
  "export",
  "import",
  "then",
  "else",
  "mut",
  "ref",
  "offset",
  "item",
  "elem",
  "data",
  "memory",
  "table",
  "global",
  "tag",
  "func",
  "catch",
  "catch_ref",
  "catch_all",
  "catch_all_ref",
  "do",
  "field",
  "struct",
  "array",
  "sub",
  "rec",
]);

/** Lists whose expression children run in sequence (a child can be deleted). */
const SEQUENCES = new Set(["block", "loop", "then", "else", "func", "do", "try", "try_table"]);

const isExpr = (n: SNode): n is SList => {
  const h = head(n);
  return h !== "" && !STRUCTURAL.has(h) && !h.startsWith("$") && !h.startsWith('"');
};

/** Splits `items` into chunks of `size` (the ddmin schedule). */
function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let size = Math.max(1, items.length >> 1); size >= 1; size >>= 1) {
    for (let at = 0; at < items.length; at += size) yield items.slice(at, at + size);
    if (size === 1) break;
  }
}

/** Smaller variants of `input`, most promising first (see the module doc). */
export async function* shrinkModule(
  input: Uint8Array,
  features: readonly string[],
): AsyncGenerator<Uint8Array> {
  const flags = binaryenFlags(features);
  const assemble = async (nodes: SNode[], passes: readonly string[] = []) =>
    (await wasmOpt(printSexpr(nodes), [...flags, ...passes], { ext: ".wat" })).output;

  const wat = await wasmToWat(input, flags);
  if (wat === null) return;
  const top = parseSexpr(wat);
  const module = top.find((n) => head(n) === "module") as SList | undefined;
  if (module === undefined) return;
  const fields = module.items;
  const without = (drop: Set<SNode>) => [{ items: fields.filter((f) => !drop.has(f)) }];

  const exports = fields.filter((f) => head(f) === "export");
  for (const chunk of chunks(exports)) {
    const out = await assemble(without(new Set(chunk)), ["--remove-unused-module-elements"]);
    if (out !== null) yield out;
  }
  for (const passes of PIPELINES) {
    const out = (await wasmOpt(input, [...flags, ...passes])).output;
    if (out !== null) yield out;
  }
  const others = fields.filter((f) => typeof f !== "string" && head(f) !== "export");
  for (const chunk of chunks(others)) {
    const out = await assemble(without(new Set(chunk)));
    if (out !== null) yield out;
  }
  // Inside functions, largest first, outermost expressions first.
  const funcs = fields.filter((f) => head(f) === "func") as SList[];
  const size = (n: SNode): number =>
    typeof n === "string" ? 1 : n.items.reduce((s, c) => s + size(c), 1);
  funcs.sort((a, b) => size(b) - size(a));
  for (const func of funcs) {
    const queue: SList[] = [func];
    while (queue.length > 0) {
      const parent = queue.shift()!;
      for (let k = 0; k < parent.items.length; k++) {
        const node = parent.items[k];
        if (typeof node === "string") continue;
        if (!isExpr(node)) {
          if (SEQUENCES.has(head(node))) queue.push(node);
          continue;
        }
        queue.push(node);
        const replacements: (SNode | null)[] = [];
        if (SEQUENCES.has(head(parent))) replacements.push(null);
        if (head(node) !== "unreachable" && head(node) !== "nop") {
          replacements.push({ items: ["unreachable"] });
        }
        for (const child of node.items) if (isExpr(child)) replacements.push(child);
        for (const r of replacements) {
          if (r === null) parent.items.splice(k, 1);
          else parent.items[k] = r;
          const out = await assemble(top);
          if (r === null) parent.items.splice(k, 0, node);
          else parent.items[k] = node;
          if (out !== null) yield out;
        }
      }
    }
  }
}
