/**
 * Typed-array views over the interpreter's register file, through which every
 * SIMD lane operation reads and writes its operands.
 *
 * The register file is one `ArrayBuffer` of 8-byte slots; a v128 occupies two
 * consecutive slots (16 bytes, 8-byte aligned). Operands are passed to the
 * lane operations as BYTE offsets, so `i32[off >> 2]` is lane 0 of an i32x4
 * at `off`, `f64[off >> 3]` lane 0 of an f64x2, and so on.
 *
 * Lanes are little-endian in the wasm sense (lane 0 at the lowest address).
 * Typed arrays use the host's byte order, so Gannet requires a little-endian
 * host (every platform Deno and Bun ship for is); {@link simdViews} refuses a
 * big-endian one rather than compute wrong lanes silently.
 *
 * @module
 */

/** The register file seen through every lane width the SIMD operations need. */
export interface SimdViews {
  /** Bytes, unsigned. */
  readonly u8: Uint8Array;
  /** Bytes, signed. */
  readonly i8: Int8Array;
  /** 16-bit lanes, unsigned. */
  readonly u16: Uint16Array;
  /** 16-bit lanes, signed. */
  readonly i16: Int16Array;
  /** 32-bit lanes, unsigned. */
  readonly u32: Uint32Array;
  /** 32-bit lanes, signed (also the halves of i64 lanes: low word first). */
  readonly i32: Int32Array;
  /** f32 lanes. Arithmetic only: bit-exact moves go through `u32`. */
  readonly f32: Float32Array;
  /** f64 lanes. Arithmetic only: bit-exact moves go through `u32` pairs. */
  readonly f64: Float64Array;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Builds the views over `buffer` (whose length must be a multiple of 8).
 * Call it once per register file, and again only if the buffer is replaced.
 */
export function simdViews(buffer: ArrayBufferLike): SimdViews {
  if (!littleEndian) {
    throw new TypeError("Gannet SIMD needs a little-endian host (typed arrays use host order)");
  }
  if (buffer.byteLength % 8 !== 0) {
    throw new TypeError(
      `register file length ${buffer.byteLength} is not a multiple of 8 bytes`,
    );
  }
  return {
    u8: new Uint8Array(buffer),
    i8: new Int8Array(buffer),
    u16: new Uint16Array(buffer),
    i16: new Int16Array(buffer),
    u32: new Uint32Array(buffer),
    i32: new Int32Array(buffer),
    f32: new Float32Array(buffer),
    f64: new Float64Array(buffer),
  };
}

let viewsOf: ArrayBufferLike | null = null;
let views: SimdViews | null = null;

/**
 * The views of the machine's register file `buf`, cached: rebuilt only when
 * the machine replaced the buffer (it grew). Shared by the SIMD executor and
 * the interpreter's SIMD loop, which see the same register file.
 */
export function registerViews(buf: ArrayBufferLike): SimdViews {
  if (buf !== viewsOf) {
    viewsOf = buf;
    views = simdViews(buf);
  }
  return views!;
}

/**
 * A register-to-register SIMD operation. `dst`, `a`, `b`, `c` are byte
 * offsets into the register file; see `SIMD_OPS` in `table.ts` for which of
 * them each family reads (operands in signature order go to `a`, `b`, `c`;
 * a lane index or a shuffle mask's pool offset goes to `c`, a `v128.const`
 * pool offset to `a`). Unused parameters are ignored. `dst` may alias any
 * operand.
 */
export type SimdOp = (r: SimdViews, dst: number, a: number, b: number, c: number) => void;

/**
 * A SIMD memory operation. `v` is the byte offset of the v128 register
 * (destination of a load, source of a store), `mem` the memory's bytes and
 * `addr` the effective address, already bounds-checked by the caller.
 * `lane` is the lane immediate of the `*_lane` forms, and `src` is the byte
 * offset of the input vector of `load*_lane` (copied into `v` before the lane
 * is replaced; it may equal `v`). Other forms ignore `lane` and `src`.
 */
export type SimdMemOp = (
  r: SimdViews,
  v: number,
  mem: Uint8Array,
  addr: number,
  lane: number,
  src: number,
) => void;
