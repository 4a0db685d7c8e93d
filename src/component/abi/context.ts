/**
 * The lifting/lowering context of one call (CanonicalABI.md "Lifting and
 * Lowering Context"): the canonical options (memory, realloc, string
 * encoding), the component instance whose memory and handle table are used,
 * the borrow scope, and the flat-value cursor. Also the memory checks and
 * the realloc call, with the trap messages Wasmtime gives (which differ
 * when the other side of the call is the host and when it is a component).
 *
 * @module
 */

import { RuntimeError } from "../../errors.ts";
import type { FuncInst } from "../../runtime/func.ts";
import type { MemInst } from "../../runtime/memory.ts";
import { callCore } from "./core_call.ts";
import type { ComponentState } from "./instance_state.ts";
import type { BorrowScope, ResourceHandle } from "./resources.ts";

/** String encodings of the `string-encoding` option. */
export const UTF8 = 0;
/** UTF-16 (little-endian code units). */
export const UTF16 = 1;
/** latin1, or UTF-16 tagged by the top bit of the length. */
export const LATIN1_UTF16 = 2;
/** A string encoding. */
export type Encoding = typeof UTF8 | typeof UTF16 | typeof LATIN1_UTF16;

/** The canonical options of one `canon lift` / `canon lower`. */
export interface CanonOptions {
  /** The memory, if the type needs one. */
  readonly memory: MemInst | null;
  /** `cabi_realloc`, if the type needs one. */
  readonly realloc: FuncInst | null;
  /** The post-return function (lift only). */
  readonly postReturn: FuncInst | null;
  /** The string encoding. */
  readonly encoding: Encoding;
}

/** Options of a function whose type needs no memory. */
export const NO_OPTIONS: CanonOptions = {
  memory: null,
  realloc: null,
  postReturn: null,
  encoding: UTF8,
};

/** The borrow scope of a lowered call: the caller's handles lent to the callee. */
export class Lenders implements BorrowScope {
  /** Unused by lenders (borrows are counted by the callee's scope). */
  numBorrows = 0;
  /** Handles whose `lends` this call incremented. */
  readonly handles: ResourceHandle[] = [];

  /** Ends the call: the lent handles may be dropped or moved again. */
  release(): void {
    for (const h of this.handles) h.lends--;
    this.handles.length = 0;
  }
}

/** Per-call lifting/lowering state. */
export class Context {
  /** The options. */
  readonly opts: CanonOptions;
  /** The instance whose memory and handles are used. */
  readonly inst: ComponentState;
  /** True when the other side of the call is the host (chooses trap messages). */
  readonly peerIsHost: boolean;
  /** Lifting a lowered call's arguments: the handles lent for it. */
  lenders: Lenders | null = null;
  /** Lowering into a lifted call: its borrow scope. */
  scope: BorrowScope | null = null;
  /** Cursor into the flat values being lifted. */
  pos = 0;

  /**
   * Creates the context of one call.
   *
   * @param opts canonical options
   * @param inst the component instance on this side
   * @param peerIsHost whether the other side is the host
   */
  constructor(opts: CanonOptions, inst: ComponentState, peerIsHost: boolean) {
    this.opts = opts;
    this.inst = inst;
    this.peerIsHost = peerIsHost;
  }

  /** The memory (validation guarantees one wherever the type needs it). */
  get mem(): MemInst {
    const m = this.opts.memory;
    if (m === null) throw new RuntimeError("canonical option `memory` is required");
    return m;
  }

  /** Calls realloc (with may-leave cleared) and checks the result's alignment and bounds. */
  realloc(old: number, oldSize: number, align: number, size: number, what: Content): number {
    const f = this.opts.realloc;
    if (f === null) throw new RuntimeError("canonical option `realloc` is required");
    const inst = this.inst;
    inst.mayLeave = false;
    let ptr: number;
    try {
      ptr = (callCore(f, [old, oldSize, align, size]) as number) >>> 0;
    } finally {
      inst.mayLeave = true;
    }
    if ((ptr & (align - 1)) !== 0) {
      throw new RuntimeError(
        this.peerIsHost ? "realloc return: result not aligned" : "unaligned pointer",
      );
    }
    if (ptr + size > this.mem.len) {
      throw new RuntimeError(
        this.peerIsHost ? "realloc return: beyond end of memory" : `${what} content out-of-bounds`,
      );
    }
    return ptr;
  }

  /** Allocates `size` bytes aligned to `align`. */
  allocate(align: number, size: number, what: Content): number {
    return this.realloc(0, 0, align, size, what);
  }

  /** Traps unless `[ptr, ptr + size)` is in memory and `ptr` is aligned (lifting a range). */
  checkRange(ptr: number, size: number, align: number, what: Content): void {
    if ((ptr & (align - 1)) !== 0) throw new RuntimeError("unaligned pointer");
    if (ptr + size > this.mem.len) {
      throw new RuntimeError(
        this.peerIsHost
          ? `${what} pointer/length out of bounds of memory`
          : `${what} content out-of-bounds`,
      );
    }
  }
}

/** What a range holds, for messages. */
export type Content = "string" | "list" | "pointer";
