/**
 * Test support: a core instance (on Gannet) with a memory and a bump
 * allocator as `cabi_realloc` (it grows the memory when full, so views must
 * be refreshed), and a component instance state to lift and lower in.
 *
 * @module
 */

import { memOf } from "../../api/_internals.ts";
import { Instance } from "../../api/instance.ts";
import { Module } from "../../api/module.ts";
import { funcInstOf } from "../../api/exported.ts";
import type { FuncInst } from "../../runtime/func.ts";
import type { MemInst } from "../../runtime/memory.ts";
import { parseWat } from "../../text/parse_wat.ts";
import { type CanonOptions, Context, type Encoding, UTF8 } from "./context.ts";
import { ComponentState } from "./instance_state.ts";
import type { FuncType, ValType } from "../types.ts";

/**
 * A bump allocator for `cabi_realloc` (exported as `name`; it needs a
 * memory and a mutable i32 global `$next`): aligns, grows the memory when
 * full, copies the old block on a reallocation, never frees.
 */
export function bumpRealloc(name: string): string {
  return `(func (export "${name}") (param $old i32) (param $osize i32) (param $align i32) (param $nsize i32) (result i32)
    (local $r i32) (local $need i32)
    (local.set $r (i32.and (i32.add (global.get $next) (i32.sub (local.get $align) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get $align))))
    (global.set $next (i32.add (local.get $r) (local.get $nsize)))
    (local.set $need (i32.sub (global.get $next) (i32.mul (memory.size) (i32.const 65536))))
    (if (i32.gt_s (local.get $need) (i32.const 0))
      (then (drop (memory.grow (i32.add (i32.shr_u (local.get $need) (i32.const 16)) (i32.const 1))))))
    (if (local.get $old)
      (then (memory.copy (local.get $r) (local.get $old)
        (select (local.get $osize) (local.get $nsize) (i32.lt_u (local.get $osize) (local.get $nsize))))))
    (local.get $r))`;
}

/** A function type with params named p0, p1, … (tests). */
export function funcType(params: ValType[], result: ValType | null = null): FuncType {
  return {
    kind: "func",
    params: params.map((type, i) => ({ name: `p${i}`, type })),
    result,
    async: false,
  };
}

/**
 * The allocator module; `extra` adds fields (functions using memory 0 and
 * `$next`), `imports` adds import fields (they must come first).
 */
export function allocatorWat(extra = "", imports = ""): string {
  return `(module
  ${imports}
  (memory (export "mem") 1)
  (global $next (export "next") (mut i32) (i32.const 64))
  ${bumpRealloc("realloc")}
  ${extra})`;
}

/** A core instance with memory and realloc, plus helpers. */
export interface TestEnv {
  /** The core instance's exports. */
  exports: Record<string, unknown>;
  /** Its memory. */
  mem: MemInst;
  /** Its realloc. */
  realloc: FuncInst;
  /** A component instance state to use it from. */
  inst: ComponentState;
  /** Canonical options with this memory and realloc. */
  opts(encoding?: Encoding, postReturn?: string): CanonOptions;
  /** A fresh per-call context. */
  cx(encoding?: Encoding, peerIsHost?: boolean): Context;
  /** The function instance of export `name`. */
  func(name: string): FuncInst;
}

/** Instantiates {@link allocatorWat} with `extra` fields, `importFields` and import object `imports`. */
export function testEnv(extra = "", importFields = "", imports: object = {}): TestEnv {
  const instance = new Instance(new Module(parseWat(allocatorWat(extra, importFields))), imports);
  const exports = instance.exports;
  const func = (name: string) => funcInstOf(exports[name])!;
  const mem = memOf.get(exports.mem as object)!;
  const realloc = func("realloc");
  const inst = new ComponentState();
  const opts = (encoding: Encoding = UTF8, postReturn?: string): CanonOptions => ({
    memory: mem,
    realloc,
    postReturn: postReturn === undefined ? null : func(postReturn),
    encoding,
  });
  return {
    exports,
    mem,
    realloc,
    inst,
    opts,
    cx: (encoding = UTF8, peerIsHost = true) => new Context(opts(encoding), inst, peerIsHost),
    func,
  };
}
