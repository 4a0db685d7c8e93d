/**
 * Module validation: builds the index spaces, checks every definition in
 * the reference interpreter's order (so the first error is the one the
 * spec tests expect), validates the function bodies, and returns what
 * translation needs.
 *
 * @module
 */
import type { Features } from "../binary/features.ts";
import { type Limits, type ModuleStruct, type TableType, TypeKind } from "../binary/types.ts";
import { isNullable } from "../binary/valtype.ts";
import { CompileError } from "../errors.ts";
import { invalid } from "./_errors.ts";
import { collectRefs } from "./const_expr.ts";
import { isSubVal } from "./type_store.ts";
import { canonVal, validateTypes } from "./validate_types.ts";
import { isWasm3 } from "../binary/decode.ts";
import type { FuncInfo, ModuleContext, ValidationInfo } from "./context.ts";
import { FuncValidator } from "./func_validator.ts";
import { findMalformedBody } from "../binary/decode_bodies.ts";

const I32 = 0x7f, I64 = 0x7e;

/**
 * Validates a decoded module. Throws {@link CompileError}. On any error,
 * the function bodies (which the decoder only sliced) are first re-read for
 * a decoding error, which wins: a malformed binary must be reported as such
 * wherever the problem sits. `bytes` is the binary `m` came from, if any
 * (so that a body can be re-read past its declared end, as the reference
 * decoder does).
 */
export function validateModule(
  m: ModuleStruct,
  features: Readonly<Features>,
  bytes: Uint8Array | null = null,
): ValidationInfo {
  try {
    return validateInner(m, features);
  } catch (e) {
    if (e instanceof CompileError) {
      const malformed = findMalformedBody(m, features, bytes);
      if (malformed !== null) throw malformed;
    }
    throw e;
  }
}

function validateInner(m: ModuleStruct, features: Readonly<Features>): ValidationInfo {
  const { ids, types } = validateTypes(m);
  const val = (t: number, where: string) => canonVal(t, ids, undefined, where);
  const ctx: ModuleContext = {
    features,
    wasm3: isWasm3(features),
    types,
    typeIds: ids,
    funcTypes: new Uint32Array(0),
    tables: [],
    memories: [],
    globals: [],
    tags: [],
    elemTypes: m.elems.map((e, i) => val(e.type, `element segment ${i}`)),
    dataCount: m.dataCount,
    datas: m.datas.length,
    refs: new Uint8Array(0),
  };
  const funcTypes: number[] = [];
  const funcType = (x: number, where: string) => {
    if (x >= m.types.length) invalid(`unknown type ${x}`, undefined, where);
    if (types[x].kind !== TypeKind.func) invalid(`non-function type ${x}`, undefined, where);
    return types[x];
  };
  const tagType = (x: number, where: string) => {
    if (funcType(x, where).results.length !== 0) {
      invalid("non-empty tag result type", undefined, where);
    }
    ctx.tags.push(ids[x]);
  };
  for (const imp of m.imports) {
    const d = imp.desc;
    const where = `import "${imp.module}" "${imp.name}"`;
    if (d.kind === 0) {
      funcType(d.type, where);
      funcTypes.push(d.type);
    } else if (d.kind === 1) {
      checkTable(d.type, where);
      ctx.tables.push({ ...d.type, elem: val(d.type.elem, where) });
    } else if (d.kind === 2) {
      checkMemory(d.type.limits, where);
      ctx.memories.push(d.type);
    } else if (d.kind === 3) {
      ctx.globals.push({ ...d.type, type: val(d.type.type, where) });
    } else tagType(d.type, where);
  }
  for (const t of m.tags) tagType(t, `tag ${ctx.tags.length}`);
  const importedGlobals = ctx.globals.length;
  for (const t of m.funcs) {
    const where = `function ${funcTypes.length}`;
    funcType(t, where);
    funcTypes.push(t);
  }
  ctx.funcTypes = Uint32Array.from(funcTypes);
  const firstTable = ctx.tables.length;
  m.tables.forEach((t, i) => {
    ctx.tables.push({ ...t, elem: val(t.elem, `table ${firstTable + i}`) });
  });
  ctx.memories.push(...m.memories);

  // C.refs: functions named outside function bodies.
  const refs = new Uint8Array(funcTypes.length);
  ctx.refs = refs;
  for (const g of m.globals) collectRefs(ctx, g.init, refs);
  for (const t of m.tables) if (t.init !== undefined) collectRefs(ctx, t.init, refs);
  for (const e of m.elems) {
    if (e.funcs !== null) { for (const f of e.funcs) if (f < refs.length) refs[f] = 1; }
    if (e.exprs !== null) { for (const x of e.exprs) collectRefs(ctx, x, refs); }
  }
  for (const ex of m.exports) if (ex.kind === 0 && ex.index < refs.length) refs[ex.index] = 1;

  const fv = new FuncValidator(ctx);
  // Tables come before globals (the reference interpreter's order): their
  // initialisers see imported globals only.
  m.tables.forEach((t, i) => {
    const index = firstTable + i;
    const where = `table ${index}`;
    checkTable(t, where);
    const elem = ctx.tables[index].elem;
    if (t.init !== undefined) fv.validateConst(t.init, elem, importedGlobals, where);
    else if (!isNullable(elem)) {
      invalid(`type mismatch: a table of ${fv.name(elem)} needs an initialiser`, undefined, where);
    }
  });
  // Globals: wasm 2.0 initialisers see imported globals only; 3.0 also earlier ones.
  m.globals.forEach((g, i) => {
    const where = `global ${importedGlobals + i}`;
    const type = { ...g.type, type: val(g.type.type, where) };
    const visible = ctx.wasm3 || features.gc ? ctx.globals.length : importedGlobals;
    fv.validateConst(g.init, type.type, visible, where);
    ctx.globals.push(type);
  });
  const offsetGlobals = ctx.wasm3 || features.gc ? ctx.globals.length : importedGlobals;
  m.memories.forEach((mem, i) => {
    checkMemory(mem.limits, `memory ${ctx.memories.length - m.memories.length + i}`);
  });

  m.elems.forEach((e, i) => {
    const where = `element segment ${i}`;
    const at = e.offset?.offset;
    const type = ctx.elemTypes[i];
    if (e.funcs !== null) {
      for (const f of e.funcs) {
        if (f >= funcTypes.length) invalid(`unknown function ${f}`, at, where);
      }
    }
    if (e.exprs !== null) {
      for (const x of e.exprs) fv.validateConst(x, type, offsetGlobals, where);
    }
    if (e.mode === "active") {
      const t = ctx.tables[e.table];
      if (t === undefined) invalid(`unknown table ${e.table}`, at, where);
      if (!isSubVal(type, t.elem)) {
        invalid(
          `type mismatch: element segment's type ${fv.name(type)} does not match table's ` +
            `element type ${fv.name(t.elem)}`,
          at,
          where,
        );
      }
      fv.validateConst(e.offset!, t.limits.index64 ? I64 : I32, offsetGlobals, where);
    }
  });
  m.datas.forEach((d, i) => {
    if (d.mode === "active") {
      const where = `data segment ${i}`;
      const mem = ctx.memories[d.memory];
      const at = d.offset?.offset;
      if (mem === undefined) invalid(`unknown memory ${d.memory}`, at, where);
      fv.validateConst(d.offset!, mem.limits.index64 ? I64 : I32, offsetGlobals, where);
    }
  });

  const funcs: FuncInfo[] = new Array(m.codes.length);
  const firstDefined = funcTypes.length - m.funcs.length;
  for (let i = 0; i < m.codes.length; i++) funcs[i] = fv.validate(firstDefined + i, m.codes[i]);

  if (m.start !== null) {
    const x = m.start;
    if (x >= funcTypes.length) invalid(`unknown function ${x}`, undefined, "start section");
    const t = m.types[funcTypes[x]];
    if (t.params.length !== 0 || t.results.length !== 0) {
      invalid(`start function ${x} must not have parameters or results`);
    }
  }

  const names = new Set<string>();
  for (const ex of m.exports) {
    const space = [funcTypes.length, ctx.tables.length, ctx.memories.length, ctx.globals.length][
      ex.kind
    ] ?? ctx.tags.length;
    if (ex.index >= space) {
      const what = ["function", "table", "memory", "global", "tag"][ex.kind] ?? "export";
      invalid(`unknown ${what} ${ex.index}`, undefined, `export "${ex.name}"`);
    }
    if (names.has(ex.name)) invalid(`duplicate export name "${ex.name}"`);
    names.add(ex.name);
  }

  if (!features.multiMemory && ctx.memories.length > 1) {
    invalid(`multiple memories (${ctx.memories.length}) need the multi-memory feature`);
  }
  return { context: ctx, funcs };
}

function checkLimits(l: Limits, range: bigint, message: string, where: string): void {
  if (l.min > range) invalid(message, undefined, where);
  if (l.max !== null) {
    if (l.max > range) invalid(message, undefined, where);
    if (l.min > l.max) invalid("size minimum must not be greater than maximum", undefined, where);
  }
}

function checkTable(t: TableType, where: string): void {
  if (t.limits.index64) {
    checkLimits(t.limits, 0xffff_ffff_ffff_ffffn, "table size must be at most 2^64-1", where);
  } else {
    checkLimits(t.limits, 0xffff_ffffn, "table size must be at most 2^32-1", where);
  }
}

function checkMemory(l: Limits, where: string): void {
  if (l.index64) {
    checkLimits(l, 1n << 48n, "memory size must be at most 2^48 pages (16 EiB)", where);
  } else {
    checkLimits(l, 0x1_0000n, "memory size must be at most 65536 pages (4GiB)", where);
  }
  if (l.shared && l.max === null) invalid("shared memory must have maximum", undefined, where);
}
