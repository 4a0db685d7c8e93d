/**
 * Core module types in components: the type of a compiled core module
 * (its imports and exports), module types declared in a component
 * (`(core type (module …))`), and the exports of core instances.
 *
 * @module
 */
import type { Limits, ModuleStruct, TableType } from "../../binary/types.ts";
import type { CoreExternDesc, ModuleTypeDecl } from "../binary/model.ts";
import { invalid } from "./errors.ts";
import { type CoreEntity, type CoreType, importKey, type ModuleType } from "./types.ts";

/** The type of a compiled module: what it imports and exports. */
export function moduleTypeOf(m: ModuleStruct, offset: number): ModuleType {
  const funcs: number[] = [];
  const tables: TableType[] = [];
  const memories: Limits[] = [];
  const globals: CoreEntity[] = [];
  const tags: number[] = [];
  const imports = new Map<string, { module: string; name: string; type: CoreEntity }>();
  for (const imp of m.imports) {
    const key = importKey(imp.module, imp.name);
    if (imports.has(key)) {
      invalid(
        offset,
        `module has a duplicate import name \`${imp.module}:${imp.name}\` that is not allowed in components`,
      );
    }
    let type: CoreEntity;
    const d = imp.desc;
    switch (d.kind) {
      case 0:
        funcs.push(d.type);
        type = { kind: "func", type: m.types[d.type] };
        break;
      case 1:
        tables.push(d.type);
        type = { kind: "table", type: d.type };
        break;
      case 2:
        memories.push(d.type.limits);
        type = { kind: "memory", type: d.type };
        break;
      case 3:
        type = { kind: "global", type: d.type };
        globals.push(type);
        break;
      default:
        tags.push(d.type);
        type = { kind: "tag", type: m.types[d.type] };
    }
    imports.set(key, { module: imp.module, name: imp.name, type });
  }
  funcs.push(...m.funcs);
  tables.push(...m.tables);
  memories.push(...m.memories.map((x) => x.limits));
  for (const g of m.globals) globals.push({ kind: "global", type: g.type });
  tags.push(...m.tags);
  const exports = new Map<string, CoreEntity>();
  for (const e of m.exports) {
    let type: CoreEntity;
    switch (e.kind) {
      case 0:
        type = { kind: "func", type: m.types[funcs[e.index]] };
        break;
      case 1:
        type = { kind: "table", type: tables[e.index] };
        break;
      case 2:
        type = { kind: "memory", type: { limits: memories[e.index] } };
        break;
      case 3:
        type = globals[e.index];
        break;
      default:
        type = { kind: "tag", type: m.types[tags[e.index]] };
    }
    exports.set(e.name, type);
  }
  return { kind: "module", imports, exports };
}

function checkLimits(l: Limits, max: bigint, message: string, offset: number): void {
  if (l.min > max || (l.max !== null && l.max > max)) invalid(offset, message);
  if (l.max !== null && l.min > l.max) {
    invalid(offset, "size minimum must not be greater than maximum");
  }
}

/**
 * A module type declared in a component. `outerType(count, index)` looks a
 * core type up in an enclosing scope (`count` ≥ 1 levels out).
 */
export function createModuleType(
  decls: readonly ModuleTypeDecl[],
  outerType: (count: number, index: number, offset: number) => CoreType,
  offset: number,
): ModuleType {
  const types: CoreType[] = [];
  const imports = new Map<string, { module: string; name: string; type: CoreEntity }>();
  const exports = new Map<string, CoreEntity>();
  const entity = (d: CoreExternDesc, at: number): CoreEntity => {
    switch (d.kind) {
      case 0:
      case 4: {
        const t = types[d.type];
        if (t === undefined) invalid(at, `unknown type ${d.type}: type index out of bounds`);
        if (t.kind !== "func") invalid(at, `type index ${d.type} is not a function type`);
        if (d.kind === 4) {
          if (t.type.results.length > 0) {
            invalid(at, "invalid exception type: non-empty tag result type");
          }
          return { kind: "tag", type: t.type };
        }
        return { kind: "func", type: t.type };
      }
      case 1:
        checkLimits(
          d.type.limits,
          d.type.limits.index64 ? 0xffff_ffff_ffff_ffffn : 0xffff_ffffn,
          `table size must be at most 2^${d.type.limits.index64 ? 64 : 32}-1`,
          at,
        );
        return { kind: "table", type: d.type };
      case 2:
        if (d.type.limits.index64) {
          checkLimits(
            d.type.limits,
            1n << 48n,
            "memory size must be at most 2^48 pages (16 EiB)",
            at,
          );
        } else {
          checkLimits(
            d.type.limits,
            0x1_0000n,
            "memory size must be at most 65536 pages (4GiB)",
            at,
          );
        }
        if (d.type.limits.shared && d.type.limits.max === null) {
          invalid(at, "shared memory must have maximum size");
        }
        return { kind: "memory", type: d.type };
      case 3:
        return { kind: "global", type: d.type };
    }
  };
  let duplicateImport: string | null = null;
  for (const d of decls) {
    switch (d.kind) {
      case "type":
        types.push({ kind: "func", type: d.type });
        break;
      case "alias": {
        const t = d.count === 0
          ? types[d.index]
          : outerType(d.count - 1, d.index, d.offset || offset);
        if (t === undefined) {
          invalid(d.offset || offset, `unknown type ${d.index}: type index out of bounds`);
        }
        if (t.kind === "module") {
          invalid(
            d.offset || offset,
            "not implemented: aliasing core module types into a core module's types index space",
          );
        }
        types.push(t);
        break;
      }
      case "import": {
        const type = entity(d.desc, d.offset || offset);
        const key = importKey(d.module, d.name);
        if (imports.has(key)) duplicateImport ??= `${d.module}:${d.name}`;
        else imports.set(key, { module: d.module, name: d.name, type });
        break;
      }
      case "export": {
        const type = entity(d.desc, d.offset || offset);
        if (exports.has(d.name)) {
          invalid(d.offset || offset, `duplicate export name \`${d.name}\` already defined`);
        }
        exports.set(d.name, type);
        break;
      }
    }
  }
  if (duplicateImport !== null) {
    invalid(
      offset,
      `module has a duplicate import name \`${duplicateImport}\` that is not allowed in components`,
    );
  }
  return { kind: "module", imports, exports };
}
