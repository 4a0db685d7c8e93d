/**
 * SIMD memory access: `v128.load/store`, the extending loads, splat and zero
 * loads, and the lane loads/stores. Each takes `(r, v, mem, addr, lane, src)`
 * (`SimdMemOp` in `views.ts`): `v` is the register (loaded into, or stored from),
 * `addr` the effective address, already checked against the memory's bounds
 * by the caller (so any alignment is fine: wasm alignment is only a hint).
 *
 * Memory is little-endian bytes; bytes are assembled into words by hand so
 * that any address works and nothing is allocated.
 *
 * @module
 */
import type { SimdViews } from "./views.ts";
import { copy } from "./lanes.ts";

function rd32(m: Uint8Array, p: number): number {
  return m[p] | (m[p + 1] << 8) | (m[p + 2] << 16) | (m[p + 3] << 24);
}

function set4(w: Int32Array, d: number, p: number, q: number, s: number, t: number): void {
  w[d] = p;
  w[d + 1] = q;
  w[d + 2] = s;
  w[d + 3] = t;
}

/** `v128.load` */
export function v128Load(r: SimdViews, v: number, mem: Uint8Array, addr: number): void {
  set4(
    r.i32,
    v >> 2,
    rd32(mem, addr),
    rd32(mem, addr + 4),
    rd32(mem, addr + 8),
    rd32(mem, addr + 12),
  );
}

/** `v128.store` (a word at a time: faster than a 16-byte loop on V8 and JSC). */
export function v128Store(r: SimdViews, v: number, mem: Uint8Array, addr: number): void {
  const w = r.i32, d = v >> 2;
  for (let i = 0; i < 4; i++) {
    const x = w[d + i], p = addr + 4 * i;
    mem[p] = x;
    mem[p + 1] = x >> 8;
    mem[p + 2] = x >> 16;
    mem[p + 3] = x >> 24;
  }
}

/** `v128.load8x8_s` */
export function v128Load8x8S(r: SimdViews, v: number, mem: Uint8Array, addr: number): void {
  const h = r.i16, d = v >> 1;
  for (let i = 0; i < 8; i++) h[d + i] = (mem[addr + i] << 24) >> 24;
}

/** `v128.load8x8_u` */
export function v128Load8x8U(r: SimdViews, v: number, mem: Uint8Array, addr: number): void {
  const h = r.i16, d = v >> 1;
  for (let i = 0; i < 8; i++) h[d + i] = mem[addr + i];
}

/** `v128.load16x4_s` */
export function v128Load16x4S(r: SimdViews, v: number, mem: Uint8Array, addr: number): void {
  const w = r.i32, d = v >> 2;
  for (let i = 0; i < 4; i++) {
    const p = addr + 2 * i;
    w[d + i] = ((mem[p] | (mem[p + 1] << 8)) << 16) >> 16;
  }
}

/** `v128.load16x4_u` */
export function v128Load16x4U(r: SimdViews, v: number, mem: Uint8Array, addr: number): void {
  const w = r.i32, d = v >> 2;
  for (let i = 0; i < 4; i++) {
    const p = addr + 2 * i;
    w[d + i] = mem[p] | (mem[p + 1] << 8);
  }
}

/** `v128.load32x2_s` */
export function v128Load32x2S(r: SimdViews, v: number, mem: Uint8Array, addr: number): void {
  const p = rd32(mem, addr), q = rd32(mem, addr + 4);
  set4(r.i32, v >> 2, p, p >> 31, q, q >> 31);
}

/** `v128.load32x2_u` */
export function v128Load32x2U(r: SimdViews, v: number, mem: Uint8Array, addr: number): void {
  set4(r.i32, v >> 2, rd32(mem, addr), 0, rd32(mem, addr + 4), 0);
}

/** `v128.load8_splat` */
export function v128Load8Splat(r: SimdViews, v: number, mem: Uint8Array, addr: number): void {
  const x = Math.imul(mem[addr], 0x01010101);
  set4(r.i32, v >> 2, x, x, x, x);
}

/** `v128.load16_splat` */
export function v128Load16Splat(r: SimdViews, v: number, mem: Uint8Array, addr: number): void {
  const x = Math.imul(mem[addr] | (mem[addr + 1] << 8), 0x10001);
  set4(r.i32, v >> 2, x, x, x, x);
}

/** `v128.load32_splat` */
export function v128Load32Splat(r: SimdViews, v: number, mem: Uint8Array, addr: number): void {
  const x = rd32(mem, addr);
  set4(r.i32, v >> 2, x, x, x, x);
}

/** `v128.load64_splat` */
export function v128Load64Splat(r: SimdViews, v: number, mem: Uint8Array, addr: number): void {
  const lo = rd32(mem, addr), hi = rd32(mem, addr + 4);
  set4(r.i32, v >> 2, lo, hi, lo, hi);
}

/** `v128.load32_zero` */
export function v128Load32Zero(r: SimdViews, v: number, mem: Uint8Array, addr: number): void {
  set4(r.i32, v >> 2, rd32(mem, addr), 0, 0, 0);
}

/** `v128.load64_zero` */
export function v128Load64Zero(r: SimdViews, v: number, mem: Uint8Array, addr: number): void {
  set4(r.i32, v >> 2, rd32(mem, addr), rd32(mem, addr + 4), 0, 0);
}

function loadLane(
  r: SimdViews,
  v: number,
  mem: Uint8Array,
  addr: number,
  src: number,
  at: number,
  n: number,
): void {
  copy(r, v, src);
  const u = r.u8;
  for (let i = 0; i < n; i++) u[at + i] = mem[addr + i];
}

/** `v128.load8_lane`: `src` with lane `lane` replaced by the byte at `addr`. */
export function v128Load8Lane(
  r: SimdViews,
  v: number,
  mem: Uint8Array,
  addr: number,
  lane: number,
  src: number,
): void {
  copy(r, v, src);
  r.u8[v + lane] = mem[addr];
}

/** `v128.load16_lane` */
export function v128Load16Lane(
  r: SimdViews,
  v: number,
  mem: Uint8Array,
  addr: number,
  lane: number,
  src: number,
): void {
  loadLane(r, v, mem, addr, src, v + 2 * lane, 2);
}

/** `v128.load32_lane` */
export function v128Load32Lane(
  r: SimdViews,
  v: number,
  mem: Uint8Array,
  addr: number,
  lane: number,
  src: number,
): void {
  loadLane(r, v, mem, addr, src, v + 4 * lane, 4);
}

/** `v128.load64_lane` */
export function v128Load64Lane(
  r: SimdViews,
  v: number,
  mem: Uint8Array,
  addr: number,
  lane: number,
  src: number,
): void {
  loadLane(r, v, mem, addr, src, v + 8 * lane, 8);
}

/** `v128.store8_lane` */
export function v128Store8Lane(
  r: SimdViews,
  v: number,
  mem: Uint8Array,
  addr: number,
  lane: number,
): void {
  mem[addr] = r.u8[v + lane];
}

function storeLane(r: SimdViews, at: number, mem: Uint8Array, addr: number, n: number): void {
  const u = r.u8;
  for (let i = 0; i < n; i++) mem[addr + i] = u[at + i];
}

/** `v128.store16_lane` */
export function v128Store16Lane(
  r: SimdViews,
  v: number,
  mem: Uint8Array,
  addr: number,
  lane: number,
): void {
  storeLane(r, v + 2 * lane, mem, addr, 2);
}

/** `v128.store32_lane` */
export function v128Store32Lane(
  r: SimdViews,
  v: number,
  mem: Uint8Array,
  addr: number,
  lane: number,
): void {
  storeLane(r, v + 4 * lane, mem, addr, 4);
}

/** `v128.store64_lane` */
export function v128Store64Lane(
  r: SimdViews,
  v: number,
  mem: Uint8Array,
  addr: number,
  lane: number,
): void {
  storeLane(r, v + 8 * lane, mem, addr, 8);
}
