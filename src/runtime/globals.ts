/**
 * The global store: every global's value lives in one ArrayBuffer of 8-byte
 * cells (v128 takes two) plus a JS array for references, so the interpreter
 * reads a global with one typed-array access at an index fixed at
 * translation time. A global shared between instances (imported/exported)
 * is one cell.
 *
 * @module
 */

import type { GlobalType } from "../binary/types.ts";

/** The store's cells. Views are replaced when it grows. */
export class GlobalStore {
  /** Backing buffer. */
  buf: ArrayBuffer = new ArrayBuffer(8 * 256);
  /** Int32 view (word index = 2 × cell). */
  i32: Int32Array = new Int32Array(this.buf);
  /** Reference values by cell. */
  refs: unknown[] = new Array(256).fill(null);
  /** Cells in use. */
  used = 0;

  /** Allocates `n` consecutive cells; returns the first. */
  alloc(n: number): number {
    const cell = this.used;
    this.used += n;
    let cap = this.i32.length >> 1;
    if (this.used > cap) {
      while (cap < this.used) cap *= 2;
      const buf = new ArrayBuffer(cap * 8);
      new Int32Array(buf).set(this.i32);
      this.buf = buf;
      this.i32 = new Int32Array(buf);
      for (let i = this.refs.length; i < cap; i++) this.refs.push(null);
    }
    return cell;
  }
}

/** The thread's global store. */
export const globalStore: GlobalStore = new GlobalStore();

/** A global instance: its type and its cell. */
export class GlobalInst {
  /** Value type and mutability. */
  readonly type: GlobalType;
  /** Cell index in {@link globalStore}. */
  readonly cell: number;

  /**
   * Allocates the global's cell.
   * @param type the global's type */
  constructor(type: GlobalType) {
    this.type = type;
    this.cell = globalStore.alloc(type.type === 0x7b ? 2 : 1);
  }
}
