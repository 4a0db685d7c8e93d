/**
 * Defined value types and function types of a scope, checked as the spec
 * and wasm-tools check them: kebab-case labels unique within a type,
 * non-empty records, variants, tuples, flags (at most 32) and enums, no
 * `borrow` in results, no `stream<char>`, a bounded size in memory and a
 * bounded nesting depth.
 *
 * @module
 */
import type { DefValType, TypeDef, ValTypeRef } from "../binary/model.ts";
import { invalid } from "./errors.ts";
import { layout, MAX_ELEM_SIZE } from "./layout.ts";
import { isKebab } from "./names.ts";
import type { ComponentState } from "./state.ts";
import {
  type AnyType,
  combine,
  type DefinedType,
  type FuncType,
  LEAF,
  type TypeInfo,
  valInfo,
  type ValType,
} from "./types.ts";

const MAX_TYPE_DEPTH = 100;

function kebabLabel(s: string, desc: string, offset: number): string {
  if (isKebab(s)) return s;
  if (s === "") invalid(offset, `${desc} name cannot be empty`);
  invalid(offset, `${desc} name \`${s}\` is not in kebab case`);
}

function checkLabels(
  names: readonly string[],
  desc: string,
  what: string,
  prevWhat: string,
  offset: number,
): void {
  const seen = new Map<string, string>();
  for (const n of names) {
    kebabLabel(n, desc, offset);
    const prev = seen.get(n.toLowerCase());
    if (prev !== undefined) {
      invalid(offset, `${what} \`${n}\` conflicts with ${prevWhat} \`${prev}\``);
    }
    seen.set(n.toLowerCase(), n);
  }
}

function optValType(s: ComponentState, t: ValTypeRef | null, offset: number): ValType | null {
  return t === null ? null : s.valType(t, offset);
}

/** Builds a defined value type; its size in memory must stay under 2^28 bytes. */
export function defineValueType(s: ComponentState, d: DefValType, offset: number): DefinedType {
  const t = buildDefined(s, d, offset);
  if (layout(t).size >= MAX_ELEM_SIZE) {
    invalid(offset, "type exceeds maximum byte size (elem_size(t, i64) must be less than 2^28)");
  }
  return t;
}

function buildDefined(s: ComponentState, d: DefValType, offset: number): DefinedType {
  const val = (t: ValTypeRef) => s.valType(t, offset);
  switch (d.kind) {
    case "prim":
      return { kind: "prim", type: d.type, info: LEAF };
    case "record": {
      if (d.fields.length === 0) invalid(offset, "record type must have at least one field");
      const seen = new Map<string, string>();
      const fields = d.fields.map((f) => {
        const name = kebabLabel(f.name, "record field", offset);
        const type = val(f.type);
        const prev = seen.get(name.toLowerCase());
        if (prev !== undefined) {
          invalid(
            offset,
            `record field name \`${f.name}\` conflicts with previous field name \`${prev}\``,
          );
        }
        seen.set(name.toLowerCase(), name);
        return [name, type] as const;
      });
      return { kind: "record", fields, info: combine(fields.map(([, t]) => valInfo(t)), offset) };
    }
    case "variant": {
      if (d.cases.length === 0) invalid(offset, "variant type must have at least one case");
      const seen = new Map<string, string>();
      const cases = d.cases.map((c) => {
        const name = kebabLabel(c.name, "variant case", offset);
        const type = c.type === null ? null : val(c.type);
        const prev = seen.get(name.toLowerCase());
        if (prev !== undefined) {
          invalid(
            offset,
            `variant case name \`${c.name}\` conflicts with previous case name \`${prev}\``,
          );
        }
        seen.set(name.toLowerCase(), name);
        return [name, type] as const;
      });
      return { kind: "variant", cases, info: combine(cases.map(([, t]) => valInfo(t)), offset) };
    }
    case "list": {
      if (d.length !== null && d.length < 1) {
        invalid(offset, "Fixed-length lists must have more than zero elements");
      }
      if (d.length !== null && d.length > 1_073_741_824) {
        invalid(offset, "fixed-length list element count exceeds limit of 1073741824");
      }
      const element = val(d.element);
      return {
        kind: "list",
        element,
        length: d.length,
        info: combine([valInfo(element)], offset),
      };
    }
    case "map": {
      const key = val(d.key);
      const value = val(d.value);
      return { kind: "map", key, value, info: combine([valInfo(key), valInfo(value)], offset) };
    }
    case "tuple": {
      if (d.types.length === 0) invalid(offset, "tuple type must have at least one type");
      const types = d.types.map(val);
      return { kind: "tuple", types, info: combine(types.map(valInfo), offset) };
    }
    case "flags": {
      if (d.names.length === 0) invalid(offset, "flags must have at least one entry");
      if (d.names.length > 32) invalid(offset, "cannot have more than 32 flags");
      checkLabels(d.names, "flag", "flag name", "previous flag name", offset);
      return { kind: "flags", names: d.names, info: LEAF };
    }
    case "enum": {
      if (d.names.length === 0) invalid(offset, "enum type must have at least one variant");
      checkLabels(d.names, "enum tag", "enum tag name", "previous tag name", offset);
      return { kind: "enum", names: d.names, info: LEAF };
    }
    case "option": {
      const type = val(d.type);
      return { kind: "option", type, info: combine([valInfo(type)], offset) };
    }
    case "result": {
      const ok = optValType(s, d.ok, offset);
      const err = optValType(s, d.err, offset);
      return { kind: "result", ok, err, info: combine([valInfo(ok), valInfo(err)], offset) };
    }
    case "own":
      return { kind: "own", resource: s.resourceAt(d.resource, offset), info: LEAF };
    case "borrow":
      return {
        kind: "borrow",
        resource: s.resourceAt(d.resource, offset),
        info: { size: 1, depth: 1, borrow: true },
      };
    case "stream":
    case "future": {
      const element = optValType(s, d.element, offset);
      if (d.kind === "stream" && element !== null) {
        const p = typeof element === "string"
          ? element
          : element.kind === "prim"
          ? element.type
          : null;
        if (p === "char") {
          invalid(
            offset,
            "`stream<char>` is not valid at this time, use `stream<u8>` with a defined by encoding instead for now",
          );
        }
      }
      return { kind: d.kind, element, info: combine([valInfo(element)], offset) };
    }
  }
}

/** Builds a function type. */
export function defineFuncType(
  s: ComponentState,
  d: TypeDef & { kind: "func" },
  offset: number,
): FuncType {
  const seen = new Map<string, string>();
  const infos: TypeInfo[] = [];
  const params = d.params.map((p) => {
    const name = kebabLabel(p.name, "function parameter", offset);
    const prev = seen.get(name.toLowerCase());
    if (prev !== undefined) {
      invalid(
        offset,
        `function parameter name \`${name}\` conflicts with previous parameter name \`${prev}\``,
      );
    }
    seen.set(name.toLowerCase(), name);
    const type = s.valType(p.type, offset);
    infos.push(valInfo(type));
    return [name, type] as const;
  });
  const result = d.result === null ? null : s.valType(d.result, offset);
  if (result !== null) {
    if (valInfo(result).borrow) invalid(offset, "function result cannot contain a `borrow` type");
    infos.push(valInfo(result));
  }
  return { kind: "func", async: d.async, params, result, info: combine(infos, offset) };
}

/** Checks a type's nesting depth. */
export function checkDepth(t: AnyType, offset: number): void {
  if (t.info.depth > MAX_TYPE_DEPTH) invalid(offset, "type nesting is too deep");
}
