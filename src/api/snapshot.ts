/**
 * Snapshots: an instance's state — memories, tables, globals, dropped
 * segments, and the module itself — or a paused resumable call's too (its
 * frames and registers), as bytes that another process restores
 * ({@link restore} in `snapshot_restore.ts`) to continue with identical
 * behaviour. The first use is wizer-style pre-initialization: run an
 * initialization export once, snapshot, and start later runs from the
 * snapshot instead of initializing again.
 *
 * What cannot be saved is refused with a {@link SnapshotError}, never
 * dropped: references to JS values (externref) or to another instance's
 * functions in tables, globals or a paused call's reference parameters and
 * locals, a call running in several instances, a JSPI-suspended call. (A
 * paused call's other registers may hold stale references from slots used
 * before; those that cannot be saved are saved as null.)
 *
 * Layout (little-endian, sealed by a 64-bit FNV-1a hash of everything
 * before it): magic, version; module hash, length, bytes (optional) and
 * features; memories (pages, then each non-zero 64 KiB page); tables
 * (each element: null or a function index); globals (words or a
 * reference); dropped segments; the call (entry, registers, frame records,
 * register file, references, and a hash of each running function's IR so
 * a different Gannet build refuses it).
 *
 * @module
 */

import { isRef, valTypeName } from "../binary/valtype.ts";
import { GcArray, GcStruct } from "../runtime/gc_objects.ts";
import type { Features } from "../binary/features.ts";
import type { FuncInst } from "../runtime/func.ts";
import { globalStore } from "../runtime/globals.ts";
import type { InstanceState } from "../runtime/instance_state.ts";
import { PAGE } from "../runtime/memory.ts";
import { type Instance, instanceModule, instanceState } from "./instance.ts";
import { moduleInternals } from "./module.ts";
import { pausedCallOf, type ResumableCall } from "./resumable.ts";
import { fnv1a64, SnapshotError, Writer } from "./snapshot_codec.ts";

/** "\0gsn": the first word of every snapshot. */
export const MAGIC = 0x6e736700;
/** Format version; a snapshot of another version is refused. */
export const VERSION = 1;
/** Why a call paused, as stored. */
export const REASONS = ["fuel", "interrupt", "deadline"] as const;

/** Reference kinds in a snapshot. */
export const NULL_REF = 0, FUNC_REF = 1;

/**
 * Options of {@link snapshot}.
 *
 * @example
 * ```ts
 * import type { SnapshotOptions } from "@gannet/wasm";
 * const options: SnapshotOptions = { includeModule: false };
 * ```
 */
export interface SnapshotOptions {
  /** A paused resumable call on the instance, saved with it (frames and registers). */
  call?: ResumableCall;
  /** Embed the module's bytes, so the snapshot restores on its own (default true). */
  includeModule?: boolean;
}

/**
 * Saves `instance` (and `options.call`, paused) as bytes.
 *
 * @example
 * ```ts
 * import { Instance, Module, parseWat, restore, snapshot } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const module = new Module(parseWat(`(module
 *   (global $n (mut i32) (i32.const 0))
 *   (func (export "init") (global.set $n (i32.const 41)))
 *   (func (export "next") (result i32)
 *     (global.set $n (i32.add (global.get $n) (i32.const 1))) (global.get $n)))`));
 * const warm = new Instance(module);
 * (warm.exports.init as () => void)();
 * const bytes = snapshot(warm);
 * // Later, maybe in another process: no init needed.
 * const { instance } = restore(bytes);
 * assert.equal((instance.exports.next as () => number)(), 42);
 * ```
 */
export function snapshot(instance: Instance, options: SnapshotOptions = {}): Uint8Array {
  const inst = instanceState(instance);
  const compiled = moduleInternals(instanceModule(instance));
  const w = new Writer();
  w.u32(MAGIC);
  w.u32(VERSION);
  const [lo, hi] = fnv1a64(compiled.bytes);
  w.u32(lo);
  w.u32(hi);
  w.u32(compiled.bytes.length);
  const embed = options.includeModule ?? true;
  w.u8(embed ? 1 : 0);
  if (embed) w.raw(compiled.bytes);
  w.string(JSON.stringify(compiled.features satisfies Features));
  const funcIndex = new Map<FuncInst, number>(inst.funcs.map((f, i) => [f, i]));
  const ref = (v: unknown, what: string): void => {
    if (v === null) return w.u8(NULL_REF);
    const i = funcIndex.get(v as FuncInst);
    if (i === undefined) {
      throw new SnapshotError(
        `${what} holds ${
          typeof v === "object" && v !== null && "typeId" in v
            ? "another instance's function"
            : v instanceof GcStruct || v instanceof GcArray || typeof v === "number"
            ? "a GC reference (struct, array or i31)"
            : "a JS value (externref)"
        }, which cannot be saved`,
      );
    }
    w.u8(FUNC_REF);
    w.u32(i);
  };
  saveMemories(w, inst);
  w.u32(inst.tables.length);
  inst.tables.forEach((t, k) => {
    w.u32(t.elems.length);
    t.elems.forEach((e) => ref(e, `table ${k}`));
  });
  w.u32(inst.globals.length);
  inst.globals.forEach((g, k) => {
    const t = g.type.type;
    if (isRef(t) && t !== 0x70 && t !== 0x6f) {
      throw new SnapshotError(
        `global ${k} has type ${valTypeName(t)}: GC references cannot be saved`,
      );
    }
    w.u8(t);
    if (t === 0x70 || t === 0x6f) return ref(globalStore.refs[g.cell], `global ${k}`);
    for (let i = 0, n = t === 0x7b ? 4 : 2; i < n; i++) w.u32(globalStore.i32[g.cell * 2 + i]);
  });
  w.u32(inst.elems.length);
  for (const e of inst.elems) w.u8(e.length === 0 ? 1 : 0);
  w.u32(inst.datas.length);
  for (const d of inst.datas) w.u8(d.length === 0 ? 1 : 0);
  if (options.call === undefined) w.u8(0);
  else saveCall(w, inst, options.call, funcIndex, ref);
  return w.finish();
}

/** Each memory: pages, then its non-zero pages (index, bytes). */
function saveMemories(w: Writer, inst: InstanceState): void {
  w.u32(inst.memories.length);
  for (const mem of inst.memories) {
    w.u53(mem.pages);
    const pages: number[] = [];
    const words = new Int32Array(mem.buf as ArrayBuffer, 0, mem.len >> 2);
    for (let p = 0; p < mem.pages; p++) {
      for (let i = p * (PAGE >> 2), e = i + (PAGE >> 2); i < e; i++) {
        if (words[i] !== 0) {
          pages.push(p);
          break;
        }
      }
    }
    w.u32(pages.length);
    for (const p of pages) {
      w.u32(p);
      w.raw(mem.u8.subarray(p * PAGE, (p + 1) * PAGE));
    }
  }
}

/** The paused call: entry, registers, frame records, register file, IR hashes. */
function saveCall(
  w: Writer,
  inst: InstanceState,
  c: ResumableCall,
  funcIndex: Map<FuncInst, number>,
  ref: (v: unknown, what: string) => void,
): void {
  const paused = pausedCallOf(c);
  if (paused === null) throw new SnapshotError("the call is not paused");
  const { call, reason } = paused;
  const m = call.machine;
  const index = (f: FuncInst | null | undefined): number => {
    const i = f === null || f === undefined ? undefined : funcIndex.get(f);
    if (i === undefined || f!.inst !== inst) {
      throw new SnapshotError("the call runs in another instance too; only one can be saved");
    }
    return i;
  };
  w.u8(1);
  w.u8(REASONS.indexOf(reason));
  w.u32(index(call.fn));
  w.u32(index(m.fn));
  w.u32(m.pc);
  w.u32(m.fd);
  w.u32(m.depth);
  w.u32(m.fuelOwed);
  // Frame records from the entry's callee up: return pc, caller frame, caller.
  const running = new Set<FuncInst>([m.fn!]);
  for (let k = m.baseDepth; k < m.depth; k++) {
    const fi = m.fstack[k * 3 + 2];
    const caller = fi >= 0 ? m.fn!.inst!.funcs[fi] : m.fframes[k];
    w.u32(m.fstack[k * 3]);
    w.u32(m.fstack[k * 3 + 1]);
    w.u32(index(caller));
    running.add(caller!);
  }
  const top = m.fd + m.fn!.frameSlots;
  w.u32(top);
  w.raw(new Uint8Array(m.i32.buffer, 0, top * 8));
  // A register's reference may be stale (a slot reused since): only the
  // reference parameters and locals of live frames must be saveable; any
  // other slot holding something unsaveable is saved as null.
  const declared = new Set<number>();
  const frames: [FuncInst, number][] = [[m.fn!, m.fd]];
  for (let k = m.baseDepth; k < m.depth; k++) {
    const fi = m.fstack[k * 3 + 2];
    frames.push([fi >= 0 ? inst.funcs[fi] : m.fframes[k]!, m.fstack[k * 3 + 1]]);
  }
  for (const [f, fd] of frames) {
    let slot = fd;
    for (const t of f.type.params) {
      if (t === 0x70 || t === 0x6f) declared.add(slot);
      slot += t === 0x7b ? 2 : 1;
    }
    for (const r of f.refLocals ?? []) declared.add(fd + r);
  }
  const refs: number[] = [];
  for (let s = 0; s < top; s++) {
    const v = m.refs[s];
    if (v !== null && (declared.has(s) || funcIndex.has(v as FuncInst))) refs.push(s);
  }
  w.u32(refs.length);
  for (const s of refs) {
    w.u32(s);
    ref(m.refs[s], `register ${s} of the call`);
  }
  // The IR the registers point into: a different translation is refused.
  w.u32(running.size);
  for (const f of running) {
    w.u32(index(f));
    const [lo, hi] = fnv1a64(
      new Uint8Array(f.code!.buffer, f.code!.byteOffset, f.code!.byteLength),
    );
    w.u32(lo);
    w.u32(hi);
  }
}
