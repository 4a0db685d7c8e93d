/**
 * The byte layer of snapshots: a growable little-endian writer, a reader
 * that throws {@link SnapshotError} on anything short or out of range, and
 * the 64-bit FNV-1a hash that identifies modules and seals the bytes.
 *
 * @module
 */

/**
 * Snapshot bytes that cannot be restored (corrupt, truncated, of another
 * version or module), or state that cannot be saved.
 *
 * @example
 * ```ts
 * import { restore, SnapshotError } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => restore(new Uint8Array(16)), SnapshotError);
 * ```
 */
export class SnapshotError extends Error {
  /**
   * Creates the error.
   *
   * @param message What is wrong.
   */
  constructor(message: string) {
    super(`invalid snapshot: ${message}`);
    this.name = "SnapshotError";
  }
}

/** Appends little-endian values to a growing buffer. */
export class Writer {
  #buf = new Uint8Array(1024);
  #view = new DataView(this.#buf.buffer);
  /** Bytes written. */
  length = 0;

  #room(n: number): void {
    if (this.length + n <= this.#buf.length) return;
    let cap = this.#buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const buf = new Uint8Array(cap);
    buf.set(this.#buf.subarray(0, this.length));
    this.#buf = buf;
    this.#view = new DataView(buf.buffer);
  }

  /** A u8. */
  u8(v: number): void {
    this.#room(1);
    this.#buf[this.length++] = v;
  }

  /** A u32 (or an int32's bits). */
  u32(v: number): void {
    this.#room(4);
    this.#view.setUint32(this.length, v >>> 0, true);
    this.length += 4;
  }

  /** A whole number below 2^53, as two u32s. */
  u53(v: number): void {
    this.u32(v % 0x100000000);
    this.u32(Math.floor(v / 0x100000000));
  }

  /** Raw bytes, after their length. */
  bytes(b: Uint8Array): void {
    this.u32(b.length);
    this.raw(b);
  }

  /** Raw bytes, no length. */
  raw(b: Uint8Array): void {
    this.#room(b.length);
    this.#buf.set(b, this.length);
    this.length += b.length;
  }

  /** A UTF-8 string, after its byte length. */
  string(s: string): void {
    this.bytes(new TextEncoder().encode(s));
  }

  /** The bytes written, sealed with their hash (8 bytes). */
  finish(): Uint8Array {
    const [lo, hi] = fnv1a64(this.#buf.subarray(0, this.length));
    this.u32(lo);
    this.u32(hi);
    return this.#buf.slice(0, this.length);
  }
}

/** Reads what {@link Writer} wrote; every read is bounds-checked. */
export class Reader {
  readonly #buf: Uint8Array;
  readonly #view: DataView;
  #at = 0;
  readonly #end: number;

  /** Checks the seal first: SnapshotError if the bytes were changed or cut. */
  constructor(bytes: Uint8Array) {
    if (bytes.length < 8) throw new SnapshotError("too short");
    this.#buf = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#end = bytes.length - 8;
    const [lo, hi] = fnv1a64(bytes.subarray(0, this.#end));
    if (
      this.#view.getUint32(this.#end, true) !== lo ||
      this.#view.getUint32(this.#end + 4, true) !== hi
    ) {
      throw new SnapshotError("checksum mismatch (corrupt or truncated)");
    }
  }

  #need(n: number): number {
    if (n < 0 || this.#at + n > this.#end) throw new SnapshotError("truncated");
    const at = this.#at;
    this.#at += n;
    return at;
  }

  /** A u8. */
  u8(): number {
    return this.#buf[this.#need(1)];
  }

  /** A u32. */
  u32(): number {
    return this.#view.getUint32(this.#need(4), true);
  }

  /** An int32. */
  i32(): number {
    return this.#view.getInt32(this.#need(4), true);
  }

  /** A whole number below 2^53. */
  u53(): number {
    const lo = this.u32();
    return lo + this.u32() * 0x100000000;
  }

  /** A u32 that must be at most `max` (what it counts). */
  count(max: number, what: string): number {
    const n = this.u32();
    if (n > max) throw new SnapshotError(`${what}: ${n} exceeds ${max}`);
    return n;
  }

  /** Length-prefixed bytes (a view into the snapshot). */
  bytes(): Uint8Array {
    const n = this.u32();
    return this.raw(n);
  }

  /** `n` raw bytes (a view into the snapshot). */
  raw(n: number): Uint8Array {
    const at = this.#need(n);
    return this.#buf.subarray(at, at + n);
  }

  /** A UTF-8 string. */
  string(): string {
    return new TextDecoder().decode(this.bytes());
  }

  /** Throws unless everything was read. */
  done(): void {
    if (this.#at !== this.#end) throw new SnapshotError("unexpected bytes at the end");
  }
}

/** 64-bit FNV-1a of `b`, as [low, high] u32 halves. */
export function fnv1a64(b: Uint8Array): [number, number] {
  // 64-bit arithmetic in 16-bit limbs (prime 2^40 + 0x1b3).
  let h0 = 0x2325, h1 = 0x8422, h2 = 0x9ce4, h3 = 0xcbf2;
  for (let i = 0; i < b.length; i++) {
    h0 ^= b[i];
    const t0 = h0 * 0x1b3,
      t1 = h1 * 0x1b3,
      t2 = h2 * 0x1b3 + (h0 << 8),
      t3 = h3 * 0x1b3 + (h1 << 8);
    const c1 = t1 + (t0 >>> 16);
    const c2 = t2 + (c1 >>> 16);
    h0 = t0 & 0xffff;
    h1 = c1 & 0xffff;
    h2 = c2 & 0xffff;
    h3 = (t3 + (c2 >>> 16)) & 0xffff;
  }
  return [((h1 << 16) | h0) >>> 0, ((h3 << 16) | h2) >>> 0];
}
