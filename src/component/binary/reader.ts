/**
 * The byte reader of component binaries: the core {@link Reader} with the
 * component decoder's wording (wasm-tools', which the component-model test
 * suite is written against) and its size limits. Positions are absolute in
 * the outermost binary, so every error carries the right byte offset.
 *
 * @module
 */
import { Reader, UNEXPECTED_END } from "../../binary/reader.ts";
import { CompileError } from "../../errors.ts";

/** The longest name a component may use (wasm-tools' limit). */
export const MAX_STRING_SIZE = 100_000;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A {@link Reader} that reports a read past the end as "unexpected end-of-file". */
export class ComponentReader extends Reader {
  override fail(message: string, at: number = this.pos): never {
    const text = message === UNEXPECTED_END ? "unexpected end-of-file" : message;
    throw new CompileError(text, { offset: at + this.base });
  }

  /** A size or count (u32) checked against `limit`: "`desc` size is out of bounds". */
  size(limit: number, desc: string): number {
    const at = this.pos;
    const n = this.u32();
    if (n > limit) this.fail(`${desc} size is out of bounds`, at);
    return n;
  }

  /**
   * A `vec(T)` of at most `limit` items. Nothing is preallocated from the
   * count: every item takes at least one byte, so a count larger than the
   * input ends in "unexpected end-of-file" after at most that many bytes.
   */
  vec<T>(limit: number, desc: string, item: (r: this) => T): T[] {
    const n = this.size(limit, desc);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }

  /** A name (`core:name`) of at most {@link MAX_STRING_SIZE} bytes. */
  string(limit: number = MAX_STRING_SIZE): string {
    const n = this.u32();
    if (n > limit) this.fail("string size out of bounds", this.pos - 1);
    const raw = this.take(n);
    let ascii = true;
    for (let i = 0; i < n; i++) {
      if (raw[i] >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      let s = "";
      for (let i = 0; i < n; i += 4096) {
        s += String.fromCharCode.apply(null, raw.subarray(i, i + 4096) as unknown as number[]);
      }
      return s;
    }
    try {
      return utf8.decode(raw);
    } catch {
      this.fail("malformed UTF-8 encoding", this.pos - 1);
    }
  }

  /** Fails with "invalid leading byte (0xNN) for `desc`" for the byte just read at `at`. */
  badByte(byte: number, desc: string, at: number = this.pos - 1): never {
    this.fail(`invalid leading byte (0x${byte.toString(16)}) for ${desc}`, at);
  }

  /** A boolean byte: 0 or 1. */
  bool(): boolean {
    const b = this.u8();
    if (b > 1) this.fail("invalid boolean value", this.pos - 1);
    return b === 1;
  }

  /** `T?` in the binary format: `0x00` (absent) or `0x01 T`. */
  optional<T>(desc: string, item: (r: this) => T): T | null {
    const b = this.u8();
    if (b === 0) return null;
    if (b === 1) return item(this);
    this.badByte(b, desc);
  }

  /**
   * Signed LEB128 of at most 33 bits, as wasm-tools reads a type index in
   * value-type position; a negative one becomes an out-of-range u32.
   */
  s33AsU32(): number {
    const v = this.s33();
    return v < 0 ? v + 2 ** 32 : v;
  }
}
