/**
 * Strings across the canonical ABI: lifting from linear memory in utf8,
 * utf16 or latin1+utf16 (invalid code units trap), and lowering a JS string
 * with the instance's realloc. Lowering computes the exact size first and
 * allocates once, as jco does (some guest allocators, the preview1 adapter's
 * among them, support one allocation but not a later shrink), which the
 * spec's allocate-then-shrink sequence leaves to the implementation.
 *
 * @module
 */

import { RuntimeError } from "../../errors.ts";
import { type Context, LATIN1_UTF16, UTF16, UTF8 } from "./context.ts";

/** Largest string, in bytes, the ABI moves (2^28 − 1). */
export const MAX_STRING_BYTE_LENGTH = 2 ** 28 - 1;
/** The top bit of a latin1+utf16 length marks utf16. */
const UTF16_TAG = 0x80000000;

const utf8Decoder = new TextDecoder("utf-8", { fatal: true });
const utf16Decoder = new TextDecoder("utf-16le", { fatal: true });
const encoder = new TextEncoder();

/** Lifts the string at `ptr` with (tagged) length `units`. */
export function loadString(cx: Context, ptr: number, units: number): string {
  const enc = cx.opts.encoding;
  let bytes: number, align: number, utf16: boolean;
  if (enc === UTF8) {
    bytes = units, align = 1, utf16 = false;
  } else if (enc === UTF16) {
    bytes = 2 * units, align = 2, utf16 = true;
  } else {
    utf16 = (units & UTF16_TAG) !== 0;
    bytes = utf16 ? 2 * (units ^ UTF16_TAG) : units;
    align = 2;
  }
  if (bytes > MAX_STRING_BYTE_LENGTH) throw new RuntimeError("string content out-of-bounds");
  cx.checkRange(ptr, bytes, align, "string");
  const u8 = cx.mem.u8;
  if (enc === UTF8) return decodeUtf8(u8, ptr, bytes);
  if (utf16) return decodeUtf16(u8, ptr, bytes);
  return decodeLatin1(u8, ptr, bytes);
}

/** Lowers `s`, returning its pointer and (tagged) length. */
export function storeString(cx: Context, s: unknown, out: number[]): void {
  if (typeof s !== "string") throw new TypeError(`expected a string, got ${typeof s}`);
  const enc = cx.opts.encoding;
  const n = s.length;
  if (enc === UTF8) {
    const bytes = utf8Length(s);
    const ptr = cx.allocate(1, bytes, "string");
    const u8 = cx.mem.u8;
    if (bytes === n) {
      for (let i = 0; i < n; i++) u8[ptr + i] = s.charCodeAt(i);
    } else {
      encoder.encodeInto(s, u8.subarray(ptr, ptr + bytes));
    }
    out[0] = ptr, out[1] = bytes;
    return;
  }
  let latin1 = enc === LATIN1_UTF16;
  if (latin1) {
    for (let i = 0; i < n; i++) {
      if (s.charCodeAt(i) > 0xff) {
        latin1 = false;
        break;
      }
    }
  }
  if (latin1) {
    const ptr = cx.allocate(2, n, "string");
    const u8 = cx.mem.u8;
    for (let i = 0; i < n; i++) u8[ptr + i] = s.charCodeAt(i);
    out[0] = ptr, out[1] = n;
    return;
  }
  const ptr = cx.allocate(2, 2 * n, "string");
  const dv = cx.mem.dv;
  for (let i = 0; i < n; i++) dv.setUint16(ptr + 2 * i, s.charCodeAt(i), true);
  out[0] = ptr, out[1] = enc === UTF16 ? n : (n | UTF16_TAG) >>> 0;
}

/** The UTF-8 length of `s` (a lone surrogate counts as U+FFFD, 3 bytes, as TextEncoder writes it). */
export function utf8Length(s: string): number {
  const n = s.length;
  let len = n;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) len += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      len += 2; // 4 bytes for 2 code units
      i++;
    } else len += 2;
  }
  return len;
}

function view(u8: Uint8Array, ptr: number, bytes: number): Uint8Array {
  const v = u8.subarray(ptr, ptr + bytes);
  // TextDecoder does not read SharedArrayBuffer views on every host.
  return v.buffer instanceof ArrayBuffer ? v : v.slice();
}

function decodeUtf8(u8: Uint8Array, ptr: number, bytes: number): string {
  if (bytes < 24) {
    let s = "";
    for (let i = 0; i < bytes; i++) {
      const c = u8[ptr + i];
      if (c >= 0x80) return decodeUtf8Slow(u8, ptr, bytes);
      s += String.fromCharCode(c);
    }
    return s;
  }
  return decodeUtf8Slow(u8, ptr, bytes);
}

function decodeUtf8Slow(u8: Uint8Array, ptr: number, bytes: number): string {
  try {
    return utf8Decoder.decode(view(u8, ptr, bytes));
  } catch {
    throw new RuntimeError(utf8Error(u8.subarray(ptr, ptr + bytes)));
  }
}

/** Describes the first UTF-8 error in `b` as Rust's `Utf8Error` does. */
function utf8Error(b: Uint8Array): string {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    const need = c < 0x80
      ? 0
      : c >= 0xc2 && c <= 0xdf
      ? 1
      : c >= 0xe0 && c <= 0xef
      ? 2
      : c >= 0xf0 && c <= 0xf4
      ? 3
      : -1;
    if (need < 0) return `invalid utf-8 sequence of 1 bytes from index ${i}`;
    for (let k = 1; k <= need; k++) {
      if (i + k >= b.length) return `incomplete utf-8 byte sequence from index ${i}`;
      const d = b[i + k];
      const lo = k === 1 && c === 0xe0 ? 0xa0 : k === 1 && c === 0xf0 ? 0x90 : 0x80;
      const hi = k === 1 && c === 0xed ? 0x9f : k === 1 && c === 0xf4 ? 0x8f : 0xbf;
      if (d < lo || d > hi) return `invalid utf-8 sequence of ${k} bytes from index ${i}`;
    }
    i += need + 1;
  }
  return "invalid utf-8";
}

function decodeUtf16(u8: Uint8Array, ptr: number, bytes: number): string {
  try {
    return utf16Decoder.decode(view(u8, ptr, bytes));
  } catch {
    throw new RuntimeError("invalid utf-16: unpaired surrogate");
  }
}

function decodeLatin1(u8: Uint8Array, ptr: number, bytes: number): string {
  let s = "";
  for (let i = 0; i < bytes; i += 4096) {
    const end = Math.min(bytes, i + 4096);
    s += String.fromCharCode(...u8.subarray(ptr + i, ptr + end));
  }
  return s;
}
