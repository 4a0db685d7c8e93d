/**
 * `parseWat`: WebAssembly text → binary module. Accepts a `(module …)`
 * form (also `(module binary …)`, `(module quote …)` and `(module
 * definition …)`) or, as the text format allows, a bare sequence of module
 * fields; a `(component …)` goes to `parseComponentWat` and gives a
 * component binary. Parsing does not validate: a well-formed but invalid module
 * encodes, and the validator reports it.
 *
 * @example
 * ```ts
 * import { parseWat } from "./parse_wat.ts";
 * const bytes = parseWat(`(module (func (export "f") (result i32) i32.const 42))`);
 * ```
 *
 * @module
 */
import { readSexprsLenient, type SList, type SNode, stringBytes } from "./lexer.ts";
import { Ctx } from "./_context.ts";
import { parseModuleFields } from "./module_fields.ts";
import { parseComponentWat } from "./component/parse_component.ts";
import { nameSection } from "./names.ts";
import { annotatedNames } from "./name_annotations.ts";
import { customSections } from "./custom_sections.ts";
import { branchHintSection } from "./branch_hints.ts";
import { encodeModule } from "../binary/encode.ts";
import { decodeSourceBytes } from "./strings.ts";
import { ALL_FEATURES, type Features } from "../binary/features.ts";
import type { ModuleStruct } from "../binary/types.ts";

export { WatSyntaxError } from "./errors.ts";

/**
 * Options of {@link parseWat}.
 *
 * @example
 * ```ts
 * import { parseWat, type ParseWatOptions } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const options: ParseWatOptions = { names: true };
 * const bytes = parseWat(`(module (func $main))`, options);
 * // The name section carries "$main" (as "main") for backtraces.
 * assert.ok(new TextDecoder().decode(bytes).includes("main"));
 * ```
 */
export interface ParseWatOptions {
  /**
   * Emit a `name` custom section for the `$identifiers` (module, functions,
   * locals, types, tables, memories, globals, segments). Default: false.
   */
  names?: boolean;
  /**
   * Proposals whose syntax is accepted (default: all). With `memory64` off,
   * memarg offsets are u32 as in wasm 2.0, so `offset=4294967296` is
   * malformed ("i32 constant out of range") rather than invalid.
   */
  features?: Partial<Features>;
}

/**
 * Parses WAT text to a binary module. Throws `WatSyntaxError` on malformed text.
 *
 * @example
 * ```ts
 * import { parseWat } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const bytes = parseWat(`(module (func (export "f") (result i32) i32.const 42))`);
 * assert.deepEqual([...bytes.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d]); // "\0asm"
 * // With `names`, the $identifiers go into a name section (for backtraces).
 * const named = parseWat(`(module (func $answer))`, { names: true });
 * assert.ok(named.length > parseWat(`(module (func $answer))`).length);
 * ```
 */
export function parseWat(source: string, options?: ParseWatOptions): Uint8Array {
  const r = parseWatStruct(source, options);
  return r instanceof Uint8Array ? r : encodeModule(r);
}

/**
 * Parses WAT text to a module structure, or to bytes for `(module binary
 * …)`. Throws `WatSyntaxError` on malformed text.
 */
export function parseWatStruct(
  source: string,
  options?: ParseWatOptions,
): ModuleStruct | Uint8Array {
  const features = { ...ALL_FEATURES, ...options?.features };
  const { nodes, stray, customs, hints, names } = readSexprsLenient(source);
  const ctx = new Ctx(source, features);
  ctx.hints = hints;
  let fields: SNode[] = nodes;
  let moduleName: string | null = null;
  let moduleList: SList | null = null;
  const first = nodes[0];
  if (first?.kind === "list" && ctx.isKeyword(first.items[0], "component")) {
    return parseComponentWat(source, options);
  }
  if (ctx.isList(first, "module")) {
    moduleList = first;
    if (nodes.length > 1) ctx.fail(nodes[1], "unexpected token");
    if (stray !== null) throw stray;
    const it = first.items;
    let i = 1;
    if (ctx.isKeyword(it[i], "definition")) i++;
    if (it[i]?.kind === "id") moduleName = (it[i++] as { text: string }).text;
    if (ctx.isKeyword(it[i], "binary") || ctx.isKeyword(it[i], "quote")) {
      const bytes = concatStrings(ctx, first, i + 1);
      if ((it[i] as { text: string }).text === "binary") return bytes;
      return parseWatStruct(decodeSourceBytes(bytes), options);
    }
    fields = it.slice(i);
  }
  parseModuleFields(ctx, fields);
  if (stray !== null) throw stray;
  ctx.m.customs.push(...customSections(ctx, customs));
  const hinted = branchHintSection(ctx);
  if (hinted !== null) ctx.m.customs.push(hinted);
  const annotated = annotatedNames(ctx, moduleList, fields, names);
  if (options?.names === true || names.length > 0) {
    const section = nameSection(ctx, moduleName, annotated);
    if (section !== null) ctx.m.customs.push(section);
  }
  return ctx.m;
}

function concatStrings(ctx: Ctx, l: SList, from: number): Uint8Array {
  const parts = l.items.slice(from).map((n) => {
    if (n.kind !== "string") ctx.fail(n, "unexpected token");
    return stringBytes(ctx.src, n);
  });
  const out = new Uint8Array(parts.reduce((a, b) => a + b.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
