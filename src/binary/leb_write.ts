/**
 * A growable byte buffer with the binary format's primitive encodings
 * (LEB128 integers, little-endian floats, length-prefixed names). Used by
 * the encoder and by the text parser, which writes function bodies and
 * constant expressions straight to bytes.
 *
 * @module
 */

const encoder = new TextEncoder();

/** An append-only byte buffer. */
export class ByteWriter {
  /** Backing storage; only the first {@link length} bytes are meaningful. */
  buf: Uint8Array;
  /** Number of bytes written. */
  length = 0;

  /** @param capacity Initial capacity in bytes. */
  constructor(capacity = 64) {
    this.buf = new Uint8Array(capacity);
  }

  /** Makes room for `extra` more bytes. */
  reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  /** Appends one byte. */
  u8(b: number): void {
    if (this.length === this.buf.length) this.reserve(1);
    this.buf[this.length++] = b;
  }

  /** Appends bytes. */
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** Unsigned LEB128 of a u32 (0 ≤ v < 2^32). */
  u32(v: number): void {
    this.reserve(5);
    v = v >>> 0;
    while (v >= 0x80) {
      this.buf[this.length++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.length++] = v;
  }

  /** Signed LEB128 of an i32 (any int32 value). */
  s32(v: number): void {
    this.reserve(5);
    v = v | 0;
    for (;;) {
      const byte = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
        this.buf[this.length++] = byte;
        return;
      }
      this.buf[this.length++] = byte | 0x80;
    }
  }

  /** Signed LEB128 of a 64-bit (or 33-bit) value given as bigint. */
  s64(v: bigint): void {
    this.reserve(10);
    for (;;) {
      const byte = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0)) {
        this.buf[this.length++] = byte;
        return;
      }
      this.buf[this.length++] = byte | 0x80;
    }
  }

  /** Unsigned LEB128 of a u64 given as bigint. */
  u64(v: bigint): void {
    this.reserve(10);
    while (v >= 0x80n) {
      this.buf[this.length++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.length++] = Number(v);
  }

  /** Four little-endian bytes of a u32 bit pattern. */
  f32Bits(bits: number): void {
    this.reserve(4);
    const b = this.buf;
    b[this.length++] = bits & 0xff;
    b[this.length++] = (bits >>> 8) & 0xff;
    b[this.length++] = (bits >>> 16) & 0xff;
    b[this.length++] = (bits >>> 24) & 0xff;
  }

  /** Eight little-endian bytes of a u64 bit pattern. */
  f64Bits(bits: bigint): void {
    this.f32Bits(Number(bits & 0xffffffffn));
    this.f32Bits(Number((bits >> 32n) & 0xffffffffn));
  }

  /** A name: LEB128 byte length, then UTF-8. */
  name(s: string): void {
    const b = encoder.encode(s);
    this.u32(b.length);
    this.bytes(b);
  }

  /** A byte vector: LEB128 length, then the bytes. */
  vecBytes(b: Uint8Array): void {
    this.u32(b.length);
    this.bytes(b);
  }

  /** A copy of the written bytes. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}
