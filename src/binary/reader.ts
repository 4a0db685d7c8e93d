/**
 * A cursor over wasm binary bytes: fixed-size reads, LEB128 integers with
 * the spec's edge cases, and names with UTF-8 validation. Every failure is a
 * {@link CompileError} with the byte offset where it was found.
 *
 * Reads are bounded by `end` (normally the end of the whole binary, not the
 * current section: like the reference interpreter, an entry that overruns
 * its section is caught afterwards as "section size mismatch").
 *
 * @module
 */
import { CompileError } from "../errors.ts";

/** Message for a read past the end of the input. */
export const UNEXPECTED_END = "unexpected end of section or function";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Byte reader with a position. Hot paths use `bytes`/`pos` directly. */
export class Reader {
  /** The whole input. */
  readonly bytes: Uint8Array;
  /** Current read position. */
  pos: number;
  /** One past the last readable byte. */
  end: number;
  /** Added to positions in error offsets (where `bytes` sits in the binary). */
  base = 0;

  /**
   * @param bytes The input.
   * @param pos Where to start reading.
   * @param end Where reading stops (defaults to the end of `bytes`).
   */
  constructor(bytes: Uint8Array, pos = 0, end: number = bytes.length) {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
  }

  /** Throws a CompileError at `at` (default: the current position). */
  fail(message: string, at: number = this.pos): never {
    throw new CompileError(message, { offset: at + this.base });
  }

  /** True when no byte is left. */
  eof(): boolean {
    return this.pos >= this.end;
  }

  /** One byte. */
  u8(): number {
    if (this.pos >= this.end) this.fail(UNEXPECTED_END);
    return this.bytes[this.pos++];
  }

  /** The next byte without consuming it, or -1 at the end. */
  peek(): number {
    return this.pos < this.end ? this.bytes[this.pos] : -1;
  }

  /** A little-endian fixed 32-bit word (unsigned). */
  fixed32(): number {
    if (this.pos + 4 > this.end) this.fail(UNEXPECTED_END);
    const b = this.bytes, p = this.pos;
    this.pos = p + 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  }

  /** Skips `n` bytes (fails if fewer are left). */
  skip(n: number): void {
    if (n > this.end - this.pos) this.fail(UNEXPECTED_END);
    this.pos += n;
  }

  /** `n` raw bytes, as a view into the input (no copy). */
  take(n: number): Uint8Array {
    if (n > this.end - this.pos) this.fail(UNEXPECTED_END);
    const p = this.pos;
    this.pos = p + n;
    return this.bytes.subarray(p, p + n);
  }

  /** Unsigned LEB128, at most 32 bits. */
  u32(): number {
    const bytes = this.bytes;
    let p = this.pos;
    if (p < this.end) {
      const b0 = bytes[p];
      if (b0 < 0x80) {
        this.pos = p + 1;
        return b0;
      }
    }
    let result = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (p >= this.end) this.fail(UNEXPECTED_END, p);
      const b = bytes[p++];
      result |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = p;
        return result >>> 0;
      }
    }
    const b = this.lastLebByte(p, 0x70, false);
    return (result | (b << 28)) >>> 0;
  }

  /** Signed LEB128, at most 32 bits. */
  s32(): number {
    const bytes = this.bytes;
    let p = this.pos;
    let result = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (p >= this.end) this.fail(UNEXPECTED_END, p);
      const b = bytes[p++];
      result |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = p;
        const unused = 32 - shift - 7;
        return (result << unused) >> unused;
      }
    }
    const b = this.lastLebByte(p, 0x78, true);
    return result | (b << 28);
  }

  /**
   * Signed LEB128 of at most 33 bits (block types), as a JS number in
   * [-2^32, 2^32).
   */
  s33(): number {
    const bytes = this.bytes;
    let p = this.pos;
    if (p < this.end) {
      const b0 = bytes[p];
      if (b0 < 0x80) {
        this.pos = p + 1;
        return b0 < 0x40 ? b0 : b0 - 0x80;
      }
    }
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 4; i++) {
      if (p >= this.end) this.fail(UNEXPECTED_END, p);
      const b = bytes[p++];
      result += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) {
        this.pos = p;
        return (b & 0x40) !== 0 ? result - scale : result;
      }
    }
    const b = this.lastLebByte(p, 0x70, true);
    result += (b & 0x1f) * scale; // 5 payload bits: 28..32
    return (b & 0x10) !== 0 ? result - scale * 32 : result;
  }

  /** Signed LEB128, at most 64 bits, as a bigint. */
  s64(): bigint {
    const start = this.pos;
    this.skipS64();
    const bytes = this.bytes;
    let result = 0n;
    let shift = 0n;
    let b = 0;
    for (let p = start; p < this.pos; p++) {
      b = bytes[p];
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
    }
    return BigInt.asIntN(64, (b & 0x40) !== 0 && shift < 64n ? result - (1n << shift) : result);
  }

  /** Unsigned LEB128, at most 64 bits, as a bigint. */
  u64(): bigint {
    const bytes = this.bytes;
    let p = this.pos;
    let result = 0n;
    for (let i = 0; i < 9; i++) {
      if (p >= this.end) this.fail(UNEXPECTED_END, p);
      const b = bytes[p++];
      result |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) {
        this.pos = p;
        return result;
      }
    }
    const b = this.lastLebByte(p, 0x7e, false);
    return result | (BigInt(b & 1) << 63n);
  }

  /**
   * Unsigned LEB128 of at most 64 bits as a JS number (exact below 2^53;
   * larger values are rounded, which is fine for range checks).
   */
  u64n(): number {
    const bytes = this.bytes;
    let p = this.pos;
    if (p < this.end && bytes[p] < 0x80) {
      this.pos = p + 1;
      return bytes[p];
    }
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 9; i++) {
      if (p >= this.end) this.fail(UNEXPECTED_END, p);
      const b = bytes[p++];
      result += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) {
        this.pos = p;
        return result;
      }
    }
    const b = this.lastLebByte(p, 0x7e, false);
    return result + (b & 1) * scale;
  }

  /** Checks and skips a signed 64-bit LEB128 without building its value. */
  skipS64(): void {
    const bytes = this.bytes;
    let p = this.pos;
    for (let i = 0; i < 9; i++) {
      if (p >= this.end) this.fail(UNEXPECTED_END, p);
      if (bytes[p++] < 0x80) {
        this.pos = p;
        return;
      }
    }
    this.lastLebByte(p, 0x7f, true);
  }

  /**
   * Reads the last byte a LEB128 may have, at `p`, and moves past it. The
   * bits of `unused` lie beyond the integer's width: they must be zero (or,
   * when `signed`, all ones, the sign extension), and the byte must not ask
   * for another.
   */
  lastLebByte(p: number, unused: number, signed: boolean): number {
    if (p >= this.end) this.fail(UNEXPECTED_END, p);
    const b = this.bytes[p];
    const high = b & unused;
    if (high !== 0 && !(signed && high === unused)) this.fail("integer too large", p);
    if ((b & 0x80) !== 0) this.fail("integer representation too long", p + 1);
    this.pos = p + 1;
    return b;
  }

  /** Checks and skips a signed 32-bit LEB128. */
  skipS32(): void {
    const p = this.pos;
    if (p < this.end && this.bytes[p] < 0x80) {
      this.pos = p + 1;
      return;
    }
    this.s32();
  }

  /**
   * A vector or byte length (u32) that must fit in the remaining input:
   * anything larger is "length out of bounds" before any element is read.
   */
  len(): number {
    const at = this.pos;
    const n = this.u32();
    if (n > this.end - this.pos) this.fail("length out of bounds", at);
    return n;
  }

  /** A name: length-prefixed UTF-8 bytes. */
  name(): string {
    const n = this.len();
    const at = this.pos;
    const raw = this.take(n);
    // Fast path: short plain-ASCII names need no decoder.
    let ascii = n <= 64;
    for (let i = 0; ascii && i < n; i++) {
      if (raw[i] >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode.apply(null, raw as unknown as number[]);
    try {
      return utf8.decode(raw);
    } catch {
      this.fail("malformed UTF-8 encoding", at);
    }
  }
}
