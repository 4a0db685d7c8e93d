/**
 * Restoring snapshots (`snapshot.ts` writes them). The bytes are read and
 * checked in full — seal, version, module identity, every count and index
 * against the module — before anything is created; then the module is
 * instantiated without its start function (its effects are in the
 * snapshot) and the saved state written over it. A paused call comes back
 * paused, and refuses to come back if this build translates its functions
 * differently.
 *
 * @module
 */

import type { ImportDesc, ModuleStruct } from "../binary/types.ts";
import { OwnedCall } from "../interp/call.ts";
import { RESUMABLE, stopReason } from "../interp/execute.ts";
import { instrSize } from "../interp/ir_defs.ts";
import { translateFunction } from "../interp/translate.ts";
import type { FuncInst } from "../runtime/func.ts";
import { globalStore } from "../runtime/globals.ts";
import type { InstanceState } from "../runtime/instance_state.ts";
import { PAGE } from "../runtime/memory.ts";
import { MAX_TABLE } from "../runtime/table.ts";
import {
  type Instance,
  type InstanceOptions,
  instanceState,
  instantiateWithoutStart,
} from "./instance.ts";
import { Module, moduleInternals } from "./module.ts";
import { pausedCall, type ResumableCall } from "./resumable.ts";
import { FUNC_REF, MAGIC, NULL_REF, REASONS, VERSION } from "./snapshot.ts";
import { fnv1a64, Reader, SnapshotError } from "./snapshot_codec.ts";

/**
 * Options of {@link restore}.
 *
 * @example
 * ```ts
 * import { Module, parseWat, type RestoreOptions, Store } from "@gannet/wasm";
 * const options: RestoreOptions = {
 *   module: new Module(parseWat(`(module)`)),
 *   store: new Store({ fuel: 1000 }),
 * };
 * ```
 */
export interface RestoreOptions extends InstanceOptions {
  /** The module, when the snapshot does not embed it (it must be the one saved). */
  module?: Module;
}

/** What {@link restore} gives back. */
export interface Restored {
  /** The instance, in the saved state. */
  instance: Instance;
  /** The saved call, paused where it was saved (resume it), or null. */
  call: ResumableCall | null;
}

type Ref = number; // -1: null, else a function index
interface SavedCall {
  reason: (typeof REASONS)[number];
  entry: number;
  fn: number;
  pc: number;
  fd: number;
  depth: number;
  fuelOwed: number;
  records: [number, number, number][];
  top: number;
  words: Uint8Array;
  refs: [number, Ref][];
  ir: [number, number, number][];
}

/** Counts of an instance's index spaces, from its module. */
function spaces(m: ModuleStruct): Record<"funcs" | "tables" | "memories" | "globals", number> {
  const imported = (k: ImportDesc["kind"]) => m.imports.filter((i) => i.desc.kind === k).length;
  return {
    funcs: imported(0) + m.funcs.length,
    tables: imported(1) + m.tables.length,
    memories: imported(2) + m.memories.length,
    globals: imported(3) + m.globals.length,
  };
}

/**
 * Restores a snapshot: a new instance (in `options.store`) in the saved
 * state, and the saved call, if any. Throws {@link SnapshotError} for bytes
 * that are corrupt, of another version, or made from another module.
 */
export function restore(
  bytes: Uint8Array,
  importObject?: object,
  options?: RestoreOptions,
): Restored {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("restore: bytes must be a Uint8Array");
  const r = new Reader(bytes);
  if (r.u32() !== MAGIC) throw new SnapshotError("not a Gannet snapshot");
  const version = r.u32();
  if (version !== VERSION) {
    throw new SnapshotError(`format version ${version}, expected ${VERSION}`);
  }
  const lo = r.u32(), hi = r.u32(), length = r.u32();
  const embedded = r.u8() === 1 ? r.raw(length) : null;
  let features: unknown;
  try {
    features = JSON.parse(r.string());
  } catch {
    throw new SnapshotError("bad feature list");
  }
  let module = options?.module;
  if (embedded !== null) module = new Module(embedded, { features: features as never });
  if (module === undefined) {
    throw new SnapshotError("the snapshot does not embed its module: pass options.module");
  }
  const code = moduleInternals(module).bytes;
  const [mlo, mhi] = fnv1a64(code);
  if (mlo !== lo || mhi !== hi || code.length !== length) {
    throw new SnapshotError("it was made from another module");
  }
  const struct = moduleInternals(module).struct;
  const n = spaces(struct);
  const ref = (): Ref => {
    const kind = r.u8();
    if (kind === NULL_REF) return -1;
    if (kind !== FUNC_REF) throw new SnapshotError(`bad reference kind ${kind}`);
    return r.count(n.funcs - 1, "function index");
  };
  const memories = Array.from({ length: r.count(n.memories, "memories") }, () => {
    const pages = r.u53();
    const list = Array.from({ length: r.count(pages, "pages") }, () => {
      const p = r.count(pages - 1, "page index");
      return [p, r.raw(PAGE)] as const;
    });
    return { pages, list };
  });
  const tables = Array.from(
    { length: r.count(n.tables, "tables") },
    () => Array.from({ length: r.count(MAX_TABLE, "table size") }, ref),
  );
  const globals = Array.from({ length: r.count(n.globals, "globals") }, () => {
    const type = r.u8();
    if (type === 0x70 || type === 0x6f) return { type, ref: ref(), words: [] as number[] };
    return { type, ref: -1, words: Array.from({ length: type === 0x7b ? 4 : 2 }, () => r.i32()) };
  });
  const elems = Array.from({ length: r.count(struct.elems.length, "element segments") }, r.u8, r);
  const datas = Array.from({ length: r.count(struct.datas.length, "data segments") }, r.u8, r);
  const call = r.u8() === 1 ? readCall(r, n.funcs) : null;
  r.done();
  if (memories.length !== n.memories || tables.length !== n.tables) {
    throw new SnapshotError("memory or table count differs from the module's");
  }
  if (globals.length !== n.globals || elems.length !== struct.elems.length) {
    throw new SnapshotError("global or segment count differs from the module's");
  }
  const instance = instantiateWithoutStart(module, importObject, options);
  const state = instanceState(instance);
  apply(state, { memories, tables, globals, elems, datas });
  return { instance, call: call === null ? null : restoreCall(state, call) };
}

function readCall(r: Reader, funcs: number): SavedCall {
  const why = r.u8();
  if (why >= REASONS.length) throw new SnapshotError(`bad pause reason ${why}`);
  const reason = REASONS[why];
  const fnIndex = () => r.count(funcs - 1, "function index");
  const entry = fnIndex(), fn = fnIndex(), pc = r.u32(), fd = r.u32();
  const depth = r.count(1 << 24, "call depth");
  if (depth < 1) throw new SnapshotError("a call without frames");
  const fuelOwed = r.u32();
  const records = Array.from(
    { length: depth - 1 },
    () => [r.u32(), r.u32(), fnIndex()] as [number, number, number],
  );
  const top = r.count(1 << 26, "register file size");
  const words = r.raw(top * 8);
  const refs = Array.from({ length: r.count(top, "references") }, () => {
    const slot = r.count(top - 1, "register");
    const kind = r.u8();
    if (kind !== FUNC_REF) throw new SnapshotError(`bad reference kind ${kind}`);
    return [slot, fnIndex()] as [number, Ref];
  });
  const ir = Array.from(
    { length: r.count(depth, "functions") },
    () => [fnIndex(), r.u32(), r.u32()] as [number, number, number],
  );
  return { reason, entry, fn, pc, fd, depth, fuelOwed, records, top, words, refs, ir };
}

interface SavedState {
  memories: { pages: number; list: (readonly [number, Uint8Array])[] }[];
  tables: Ref[][];
  globals: { type: number; ref: Ref; words: number[] }[];
  elems: number[];
  datas: number[];
}

/** Writes the saved state over a fresh instance; checks every fit before writing anything. */
function apply(state: InstanceState, s: SavedState): void {
  s.memories.forEach(({ pages }, k) => {
    const mem = state.memories[k];
    if (mem.pages > pages || pages > mem.maxPages) {
      throw new SnapshotError(`memory ${k} cannot hold ${pages} pages (it has ${mem.pages})`);
    }
  });
  s.tables.forEach((elems, k) => {
    const t = state.tables[k];
    if (t.elems.length > elems.length || elems.length > t.max) {
      throw new SnapshotError(`table ${k} cannot hold ${elems.length} elements`);
    }
    if (elems.some((i) => i >= 0) && t.elemType !== 0x70) {
      throw new SnapshotError(`table ${k} is not a funcref table`);
    }
  });
  s.globals.forEach((g, k) => {
    if (state.globals[k].type.type !== g.type) throw new SnapshotError(`global ${k}: type differs`);
  });
  s.memories.forEach(({ pages, list }, k) => {
    const mem = state.memories[k];
    if (mem.grow(pages - mem.pages) < 0) throw new SnapshotError(`memory ${k} cannot grow`);
    mem.u8.fill(0);
    for (const [p, bytes] of list) mem.u8.set(bytes, p * PAGE);
  });
  s.tables.forEach((elems, k) => {
    const t = state.tables[k];
    if (t.grow(elems.length - t.elems.length, null) < 0) {
      throw new SnapshotError(`table ${k} cannot grow`);
    }
    elems.forEach((i, e) => t.elems[e] = i < 0 ? null : state.funcs[i]);
  });
  s.globals.forEach((g, k) => {
    const gi = state.globals[k];
    if (!gi.type.mutable && k < importedGlobals(state)) return;
    if (g.words.length === 0) globalStore.refs[gi.cell] = g.ref < 0 ? null : state.funcs[g.ref];
    else g.words.forEach((w, i) => globalStore.i32[gi.cell * 2 + i] = w);
  });
  s.elems.forEach((dropped, i) => {
    if (dropped) state.elems[i] = [];
  });
  s.datas.forEach((dropped, i) => {
    if (dropped) state.datas[i] = new Uint8Array(0);
  });
}

function importedGlobals(state: InstanceState): number {
  return state.module.imports.filter((i) => i.desc.kind === 3).length;
}

/** Whether `pc` starts an instruction of `code`. */
function boundary(code: Int32Array, pc: number): boolean {
  let at = 0;
  while (at < pc) at += instrSize(code, at);
  return at === pc && pc < code.length;
}

/** The saved call, paused again on a new machine. */
function restoreCall(state: InstanceState, c: SavedCall): ResumableCall {
  const wasm = (i: number): FuncInst => {
    const f = state.funcs[i];
    if (f.inst !== state) throw new SnapshotError(`function ${i} is not defined in the module`);
    return f;
  };
  for (const [i, lo, hi] of c.ir) {
    const f = wasm(i);
    const code = f.code ?? translateFunction(f);
    const [clo, chi] = fnv1a64(new Uint8Array(code.buffer, code.byteOffset, code.byteLength));
    if (clo !== lo || chi !== hi) {
      throw new SnapshotError("the call was saved by another Gannet build (its code differs)");
    }
  }
  const fn = wasm(c.fn);
  const frames = [...c.records.map(([pc, fd, caller]) => [pc, fd, wasm(caller)] as const)];
  if (fn.code === null || !boundary(fn.code, c.pc) || c.top !== c.fd + fn.frameSlots) {
    throw new SnapshotError("the call's registers do not fit its function");
  }
  for (const [pc, fd, caller] of frames) {
    if (caller.code === null || !boundary(caller.code, pc) || fd + caller.frameSlots > c.top) {
      throw new SnapshotError("a frame record does not fit its function");
    }
  }
  const call = new OwnedCall(wasm(c.entry), RESUMABLE);
  const m = call.machine;
  if (c.depth > m.maxDepth) throw new SnapshotError(`${c.depth} frames exceed the stack limit`);
  m.grow(c.top + 1);
  new Uint8Array(m.i32.buffer, 0, c.top * 8).set(c.words);
  for (const [slot, f] of c.refs) m.refs[slot] = state.funcs[f];
  while (m.frameCap < c.depth) m.growFrames();
  frames.forEach(([pc, fd, caller], i) => {
    const at = (i + 1) * 3;
    m.fstack[at] = pc;
    m.fstack[at + 1] = fd;
    m.fstack[at + 2] = caller.index;
  });
  m.fn = fn;
  m.pc = c.pc;
  m.fd = c.fd;
  m.depth = c.depth;
  m.baseDepth = 1;
  m.top = c.top;
  m.fuelOwed = c.fuelOwed;
  stopReason.set(m, c.reason);
  return pausedCall(call);
}
