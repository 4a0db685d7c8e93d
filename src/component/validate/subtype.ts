/**
 * Subtyping (Explainer.md "Type Checking"), as wasm-tools implements it: value and function types must be equal (wasm-tools is
 * stricter than the spec here, and the suite expects it), instances may
 * export more, modules may import less, and components are compared by
 * "opening" them — resources of the expected side are mapped to those of
 * the actual side and substituted before the remaining checks.
 *
 * @module
 */
import { invalid, withContext } from "./errors.ts";
import { remapEntity, Remapping } from "./remap.ts";
import { moduleSubtype } from "./core_subtype.ts";
import {
  type AnyType,
  anyTypeDesc,
  type ComponentType,
  definedDesc,
  type DefinedType,
  type Entity,
  entityDesc,
  type FuncType,
  type InstanceType,
  type ResourceRef,
  type ValType,
} from "./types.ts";

/** Checks that an item of type `a` can be used where `b` is expected. */
export function entitySubtype(a: Entity, b: Entity, offset: number): void {
  if (a.kind !== b.kind) invalid(offset, `expected ${entityDesc(b)}, found ${entityDesc(a)}`);
  switch (a.kind) {
    case "module":
      return moduleSubtype(a.type, (b as typeof a).type, offset);
    case "func":
      return funcSubtype(a.type, (b as typeof a).type, offset);
    case "value":
      return valSubtype(a.type, (b as typeof a).type, offset);
    case "type":
      return anySubtype(a.referenced, (b as typeof a).referenced, offset);
    case "instance":
      return instanceSubtype(a.type, (b as typeof a).type, offset);
    case "component":
      return componentSubtype(a.type, (b as typeof a).type, offset);
  }
}

/** Subtyping of anything in the type index space. */
export function anySubtype(a: AnyType, b: AnyType, offset: number): void {
  const ak = kindGroup(a), bk = kindGroup(b);
  if (ak !== bk) {
    const found = a.kind === "resource"
      ? "resource"
      : ak === "defined"
      ? "defined type"
      : anyTypeDesc(a);
    invalid(offset, `expected ${anyTypeDesc(b)}, found ${found}`);
  }
  switch (a.kind) {
    case "resource":
      if (a.resource !== (b as ResourceRef).resource) {
        invalid(
          offset,
          `resource types are not the same (resource ${a.resource.id} vs. resource ${
            (b as ResourceRef).resource.id
          })`,
        );
      }
      return;
    case "func":
      return funcSubtype(a, b as FuncType, offset);
    case "instance":
      return instanceSubtype(a, b as InstanceType, offset);
    case "component":
      return componentSubtype(a, b as ComponentType, offset);
    default:
      return definedSubtype(a, b as DefinedType, offset);
  }
}

function kindGroup(t: AnyType): string {
  return t.kind === "resource" || t.kind === "func" || t.kind === "instance" ||
      t.kind === "component"
    ? t.kind
    : "defined";
}

/** Function types must be equal. */
export function funcSubtype(a: FuncType, b: FuncType, offset: number): void {
  if (a.async !== b.async) {
    const d = (x: FuncType) => x.async ? "async" : "sync";
    invalid(offset, `expected ${d(a)} function, found ${d(b)} function`);
  }
  if (a.params.length !== b.params.length) {
    invalid(offset, `expected ${b.params.length} parameters, found ${a.params.length}`);
  }
  a.params.forEach(([an, at], i) => {
    const [bn, bt] = b.params[i];
    if (an !== bn) invalid(offset, `expected parameter named \`${bn}\`, found \`${an}\``);
    withContext(
      () => `type mismatch in function parameter \`${an}\``,
      () => valSubtype(at, bt, offset),
    );
  });
  if (a.result !== null && b.result !== null) {
    withContext(
      () => "type mismatch with result type",
      () => valSubtype(a.result!, b.result!, offset),
    );
  } else if (a.result !== null) invalid(offset, "expected a result, found none");
  else if (b.result !== null) invalid(offset, "expected no result, found one");
}

/** Instances may export more than expected. */
export function instanceSubtype(a: InstanceType, b: InstanceType, offset: number): void {
  const pairs: [string, Entity, Entity][] = [];
  for (const [k, bt] of b.exports) {
    const at = a.exports.get(k);
    if (at === undefined) invalid(offset, `missing expected export \`${k}\``);
    pairs.push([k, at, bt]);
  }
  for (const [k, at, bt] of pairs) {
    withContext(
      () => `type mismatch in instance export \`${k}\``,
      () => entitySubtype(at, bt, offset),
    );
  }
}

/**
 * Components: B's imports must satisfy A's (mapping A's imported
 * resources to B's), and A's exports, with that substitution, must satisfy
 * B's.
 */
export function componentSubtype(a: ComponentType, b: ComponentType, offset: number): void {
  const importMapping = openInstanceType(b.imports, a, "import", offset);
  const aExports = new Map<string, Entity>();
  for (const [k, e] of a.exports) aExports.set(k, remapEntity(e, importMapping));
  openInstanceType(aExports, b, "export", offset);
}

/**
 * Checks that `args` (by name) satisfy the imports (or exports) of `ct`,
 * first mapping `ct`'s imported (or defined) resources to those `args`
 * supply. Returns that mapping, with the type renamings of type imports.
 */
export function openInstanceType(
  args: ReadonlyMap<string, Entity>,
  ct: ComponentType,
  kind: "import" | "export",
  offset: number,
): Remapping {
  const entities = kind === "import" ? ct.imports : ct.exports;
  const resources = kind === "import" ? ct.importedResources : ct.definedResources;
  const list = [...entities];
  const mapping = new Remapping();
  outer: for (const [resource, path] of resources) {
    const [name, ty0] = list[path[0]];
    let ty = ty0;
    let arg = args.get(name);
    for (const i of path.slice(1)) {
      if (ty.kind !== "instance") continue outer;
      const [n, next] = [...ty.type.exports][i];
      ty = next;
      if (arg?.kind !== "instance") continue outer;
      arg = arg.type.exports.get(n);
    }
    if (arg?.kind === "type" && arg.created.kind === "resource") {
      mapping.resources.set(resource, arg.created.resource);
    }
  }
  const checks: [string, Entity, Entity][] = [];
  for (const [name, expected] of entities) {
    const arg = args.get(name);
    if (arg === undefined) invalid(offset, `missing ${kind} named \`${name}\``);
    checks.push([name, arg, expected]);
  }
  const renamings = new Map<object, object>();
  for (const [name, actual, expected] of checks) {
    withContext(() => `type mismatch for ${kind} \`${name}\``, () => {
      mapping.types = new Map();
      entitySubtype(actual, remapEntity(expected, mapping), offset);
    });
    registerRenamings(actual, expected, renamings);
  }
  mapping.types = renamings;
  return mapping;
}

function registerRenamings(actual: Entity, expected: Entity, map: Map<object, object>): void {
  if (expected.kind === "type" && actual.kind === "type") map.set(expected.created, actual.created);
  else if (expected.kind === "instance" && actual.kind === "instance") {
    for (const [name, e] of expected.type.exports) {
      const a = actual.type.exports.get(name);
      if (a !== undefined) registerRenamings(a, e, map);
    }
  }
}

/** Value types must be equal (resources by identity). */
export function valSubtype(a: ValType, b: ValType, offset: number): void {
  if (typeof a === "string" || typeof b === "string") {
    const ap = typeof a === "string" ? a : a.kind === "prim" ? a.type : null;
    const bp = typeof b === "string" ? b : b.kind === "prim" ? b.type : null;
    if (ap !== null && bp !== null) return primSubtype(ap, bp, offset);
    if (ap === null) invalid(offset, `expected ${bp}, found ${definedDesc(a as DefinedType)}`);
    invalid(offset, `expected ${definedDesc(b as DefinedType)}, found ${ap}`);
  }
  definedSubtype(a, b, offset);
}

function primSubtype(a: string, b: string, offset: number): void {
  if (a !== b) invalid(offset, `expected primitive \`${b}\` found primitive \`${a}\``);
}

function optSubtype(
  a: ValType | null,
  b: ValType | null,
  offset: number,
  what: string,
  context: string,
): void {
  if (a !== null && b !== null) {
    withContext(() => `type mismatch in ${context}`, () => valSubtype(a, b, offset));
  } else if (a === null && b !== null) invalid(offset, `expected ${what} type, but found none`);
  else if (a !== null && b === null) invalid(offset, `expected ${what} type to not be present`);
}

function definedSubtype(a: DefinedType, b: DefinedType, offset: number): void {
  if (a === b) return;
  if (a.kind === "prim" && b.kind === "prim") return primSubtype(a.type, b.type, offset);
  const fixed = (t: DefinedType) => t.kind === "list" && t.length !== null;
  if (a.kind !== b.kind || fixed(a) !== fixed(b)) {
    const found = a.kind === "prim" ? a.type : fixed(a) ? "list" : a.kind;
    invalid(offset, `expected ${definedDesc(b)}, found ${found}`);
  }
  switch (a.kind) {
    case "record": {
      const bf = (b as typeof a).fields;
      if (a.fields.length !== bf.length) {
        invalid(offset, `expected ${bf.length} fields, found ${a.fields.length}`);
      }
      a.fields.forEach(([an, at], i) => {
        const [bn, bt] = bf[i];
        if (an !== bn) invalid(offset, `expected field name \`${bn}\`, found \`${an}\``);
        withContext(
          () => `type mismatch in record field \`${an}\``,
          () => valSubtype(at, bt, offset),
        );
      });
      return;
    }
    case "variant": {
      const bc = (b as typeof a).cases;
      if (a.cases.length !== bc.length) {
        invalid(offset, `expected ${bc.length} cases, found ${a.cases.length}`);
      }
      a.cases.forEach(([an, at], i) => {
        const [bn, bt] = bc[i];
        if (an !== bn) invalid(offset, `expected case named \`${bn}\`, found \`${an}\``);
        if (at !== null && bt !== null) {
          withContext(
            () => `type mismatch in variant case \`${an}\``,
            () => valSubtype(at, bt, offset),
          );
        } else if (at === null && bt !== null) {
          invalid(offset, `expected case \`${an}\` to have a type, found none`);
        } else if (at !== null && bt === null) {
          invalid(offset, `expected case \`${an}\` to have no type`);
        }
      });
      return;
    }
    case "list": {
      const bl = b as typeof a;
      if (a.length !== bl.length) {
        invalid(offset, `expected fixed-length ${bl.length}, found size ${a.length}`);
      }
      return valSubtype(a.element, bl.element, offset);
    }
    case "option":
      return valSubtype(a.type, (b as typeof a).type, offset);
    case "map": {
      const bm = b as typeof a;
      withContext(() => "type mismatch in map key", () => valSubtype(a.key, bm.key, offset));
      withContext(() => "type mismatch in map value", () => valSubtype(a.value, bm.value, offset));
      return;
    }
    case "tuple": {
      const bt = (b as typeof a).types;
      if (a.types.length !== bt.length) {
        invalid(offset, `expected ${bt.length} types, found ${a.types.length}`);
      }
      a.types.forEach((t, i) =>
        withContext(() => `type mismatch in tuple field ${i}`, () => valSubtype(t, bt[i], offset))
      );
      return;
    }
    case "flags":
    case "enum": {
      const bn = (b as typeof a).names;
      if (a.names.length !== bn.length || a.names.some((n, i) => n !== bn[i])) {
        invalid(offset, `mismatch in ${a.kind} elements`);
      }
      return;
    }
    case "result": {
      const br = b as typeof a;
      optSubtype(a.ok, br.ok, offset, "ok", "ok variant");
      optSubtype(a.err, br.err, offset, "err", "err variant");
      return;
    }
    case "own":
    case "borrow":
      if (a.resource.resource !== (b as typeof a).resource.resource) {
        invalid(offset, "resource types are not the same");
      }
      return;
    case "stream":
    case "future":
      optSubtype(a.element, (b as typeof a).element, offset, a.kind, a.kind);
      return;
  }
}
