/**
 * `parseComponentWat`: the component text format → a component binary.
 * Accepts `(component $id? field*)`, `(component $id? binary "…"*)`,
 * `(component $id? quote "…"*)` or a bare sequence of component fields.
 * Like `parseWat`, it checks syntax and resolves names but does not
 * validate: a well-formed but invalid component encodes, and the validator
 * reports it. The encoding follows wasm-tools' (inline types, bundles and
 * aliases are expanded in the same order), so the bytes match
 * `wasm-tools parse` up to custom sections.
 *
 * @module
 */
import { readSexprs, type SAtom, type SList, type SNode, stringBytes } from "../lexer.ts";
import { Ctx } from "../_context.ts";
import { decodeSourceBytes } from "../strings.ts";
import { ALL_FEATURES, type Features } from "../../binary/features.ts";
import type { ComponentModel } from "../../component/binary/model.ts";
import { encodeComponent } from "../../component/binary/encode.ts";
import { planFields, runPlan } from "./fields.ts";

/**
 * Options of {@link parseComponentWat}.
 *
 * @example
 * ```ts
 * import { parseComponentWat, type ParseComponentWatOptions } from "./parse_component.ts";
 * import assert from "node:assert/strict";
 *
 * const options: ParseComponentWatOptions = { names: true };
 * const bytes = parseComponentWat(`(component $c (type $t string))`, options);
 * assert.ok(new TextDecoder().decode(bytes).includes("component-name"));
 * ```
 */
export interface ParseComponentWatOptions {
  /** Emit `component-name` (and core `name`) sections for the `$identifiers`. Default: false. */
  names?: boolean;
  /** Proposals whose syntax embedded core modules may use (default: all). */
  features?: Partial<Features>;
}

/**
 * Parses component text to a component binary. Throws `WatSyntaxError` on
 * malformed text (unknown names included).
 *
 * @example
 * ```ts
 * import { parseComponentWat } from "./parse_component.ts";
 * import assert from "node:assert/strict";
 *
 * const bytes = parseComponentWat(`(component
 *   (core module $m (func (export "f") (result i32) i32.const 7))
 *   (core instance $i (instantiate $m))
 *   (func (export "f") (result u32) (canon lift (core func $i "f"))))`);
 * assert.deepEqual([...bytes.subarray(4, 8)], [0x0d, 0x00, 0x01, 0x00]); // a component
 * ```
 */
export function parseComponentWat(source: string, options?: ParseComponentWatOptions): Uint8Array {
  const r = parseComponentStruct(source, options);
  return r instanceof Uint8Array ? r : encodeComponent(r);
}

/**
 * Parses component text to the component model, or to bytes for
 * `(component binary …)`.
 */
export function parseComponentStruct(
  source: string,
  options?: ParseComponentWatOptions,
): ComponentModel | Uint8Array {
  const nodes = readSexprs(source);
  const first = nodes[0];
  const features = { ...ALL_FEATURES, ...options?.features };
  const ctx = new Ctx(source, features);
  if (first !== undefined && ctx.isList(first, "component")) {
    if (nodes.length > 1) ctx.fail(nodes[1], "unexpected token");
    return componentFromList(ctx, first, 1, options);
  }
  return build(ctx, nodes, null, options);
}

/**
 * The component of `(component …)` whose contents start at `l.items[i]`
 * (after the keyword, and after `definition` in scripts): `$id?` then
 * fields, `binary "…"*` or `quote "…"*`.
 */
export function componentFromList(
  ctx: Ctx,
  l: SList,
  i: number,
  options?: ParseComponentWatOptions,
): ComponentModel | Uint8Array {
  const it = l.items;
  if (ctx.isKeyword(it[i], "definition")) i++;
  let id: SAtom | null = null;
  if (it[i]?.kind === "id") id = it[i++] as SAtom;
  if (ctx.isKeyword(it[i], "binary") || ctx.isKeyword(it[i], "quote")) {
    const bytes = concatStrings(ctx, it.slice(i + 1), l);
    if ((it[i] as SAtom).text === "binary") return bytes;
    return parseComponentStruct(`(component ${decodeSourceBytes(bytes)})`, options);
  }
  return build(ctx, it.slice(i), id, options);
}

function build(
  ctx: Ctx,
  fields: SNode[],
  id: SAtom | null,
  options?: ParseComponentWatOptions,
): ComponentModel {
  const opts = { names: options?.names === true };
  try {
    return runPlan(ctx, planFields(ctx, fields, opts), id, null, opts);
  } catch (e) {
    // Components and types nest on the JS stack; absurd depth is malformed input, not a crash.
    if (e instanceof RangeError && !(e.message.includes("alias") || e.message.includes("sort"))) {
      ctx.fail(fields[0] ?? { start: 0 }, "nesting too deep");
    }
    throw e;
  }
}

/** The bytes of a run of string tokens. */
export function concatStrings(ctx: Ctx, nodes: SNode[], parent: SNode): Uint8Array {
  const parts = nodes.map((n) => {
    if (n.kind !== "string") ctx.fail(n, "unexpected token");
    return stringBytes(ctx.src, n);
  });
  const out = new Uint8Array(parts.reduce((a, b) => a + b.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  void parent;
  return out;
}
