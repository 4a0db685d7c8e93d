/**
 * String literals of the text format: scanning (finding the closing quote
 * and rejecting illegal characters and escapes) and decoding to bytes. A
 * string is a byte sequence: `\hh` escapes may produce invalid UTF-8, which
 * only matters where a string is used as a name.
 *
 * @module
 */

/** Thrown by the scanner with the offset of the problem; the reader adds the position. */
export class StringProblem extends Error {
  /** Offset in the source of the offending character. */
  readonly at: number;
  /**
   * @param reason What is wrong, in the spec suite's words.
   * @param at Offset of the problem.
   */
  constructor(reason: string, at: number) {
    super(reason);
    this.at = at;
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/**
 * Scans the string literal whose opening quote is at `start`, checking every
 * character and escape. Returns the offset just past the closing quote.
 */
export function scanString(src: string, start: number): number {
  let i = start + 1;
  const n = src.length;
  for (;;) {
    if (i >= n) throw new StringProblem("unclosed string", start);
    const c = src.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20 || c === 0x7f) {
      throw new StringProblem(c === 0x0a ? "unclosed string" : "illegal character", i);
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      // A lone surrogate is how undecodable source bytes arrive (see wast.ts).
      const pair = c <= 0xdbff && i + 1 < n && (src.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (!pair) throw new StringProblem("malformed UTF-8 encoding", i);
      i += 2;
      continue;
    }
    if (c !== 0x5c) {
      i++;
      continue;
    }
    // Escape sequence.
    if (i + 1 >= n) throw new StringProblem("unclosed string", start);
    const e = src.charCodeAt(i + 1);
    if (
      e === 0x74 || e === 0x6e || e === 0x72 || e === 0x22 || e === 0x27 || e === 0x5c
    ) {
      i += 2;
    } else if (e === 0x75) {
      i = scanUnicodeEscape(src, i);
    } else if (hexValue(e) >= 0 && i + 2 < n && hexValue(src.charCodeAt(i + 2)) >= 0) {
      i += 3;
    } else {
      throw new StringProblem("illegal escape", i);
    }
  }
}

/** Checks `\u{…}` at `i` (the backslash); returns the offset after `}`. */
function scanUnicodeEscape(src: string, i: number): number {
  if (src.charCodeAt(i + 2) !== 0x7b) throw new StringProblem("illegal escape", i);
  let j = i + 3;
  let value = 0;
  let digits = 0;
  let lastUnderscore = true;
  for (;; j++) {
    const c = src.charCodeAt(j);
    if (c === 0x7d) break;
    if (c === 0x5f && !lastUnderscore) {
      lastUnderscore = true;
      continue;
    }
    const h = hexValue(c);
    if (h < 0) throw new StringProblem("illegal escape", i);
    value = Math.min(value * 16 + h, 0x110000);
    digits++;
    lastUnderscore = false;
  }
  if (digits === 0 || lastUnderscore) throw new StringProblem("illegal escape", i);
  if (value >= 0x110000 || (value >= 0xd800 && value < 0xe000)) {
    throw new StringProblem("illegal escape", i);
  }
  return j + 1;
}

function pushUtf8(out: number[], cp: number): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  else if (cp < 0x10000) {
    out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  } else {
    out.push(
      0xf0 | (cp >> 18),
      0x80 | ((cp >> 12) & 0x3f),
      0x80 | ((cp >> 6) & 0x3f),
      0x80 | (cp & 0x3f),
    );
  }
}

/**
 * Decodes an already-scanned string literal (`start` is the opening quote,
 * `end` just past the closing one) to its bytes.
 */
export function decodeString(src: string, start: number, end: number): Uint8Array {
  const out: number[] = [];
  for (let i = start + 1; i < end - 1;) {
    const c = src.charCodeAt(i);
    if (c !== 0x5c) {
      if (c < 0x80) {
        out.push(c);
        i++;
      } else {
        const cp = src.codePointAt(i)!;
        pushUtf8(out, cp);
        i += cp > 0xffff ? 2 : 1;
      }
      continue;
    }
    const e = src.charCodeAt(i + 1);
    switch (e) {
      case 0x74:
        out.push(0x09);
        i += 2;
        break;
      case 0x6e:
        out.push(0x0a);
        i += 2;
        break;
      case 0x72:
        out.push(0x0d);
        i += 2;
        break;
      case 0x22:
      case 0x27:
      case 0x5c:
        out.push(e);
        i += 2;
        break;
      case 0x75: {
        const close = src.indexOf("}", i);
        const cp = parseInt(src.slice(i + 3, close).replaceAll("_", ""), 16);
        pushUtf8(out, cp);
        i = close + 1;
        break;
      }
      default:
        out.push(hexValue(e) * 16 + hexValue(src.charCodeAt(i + 2)));
        i += 3;
    }
  }
  return Uint8Array.from(out);
}

/** True when `bytes` is well-formed UTF-8 (no overlongs, surrogates or values above U+10FFFF). */
export function isValidUtf8(bytes: Uint8Array): boolean {
  const n = bytes.length;
  for (let i = 0; i < n;) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
      cp = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
      cp = b & 0x07;
    } else return false;
    if (i + need >= n) return false;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += need + 1;
  }
  return true;
}

// ignoreBOM: a leading U+FEFF is content (names.wast exports one), not a marker.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** Decodes well-formed UTF-8 bytes (check with {@link isValidUtf8} first). */
export function utf8ToString(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/**
 * Decodes bytes that should be UTF-8 text, mapping each byte of a malformed
 * sequence to a lone surrogate U+DC80–U+DCFF ("surrogate escape"), so that
 * the text parser can still report "malformed UTF-8 encoding" where it
 * meets one. Valid input decodes as usual.
 */
export function decodeSourceBytes(bytes: Uint8Array): string {
  if (isValidUtf8(bytes)) return utf8.decode(bytes);
  let out = "";
  for (let i = 0; i < bytes.length;) {
    const len = validSequenceLength(bytes, i);
    if (len === 0) {
      out += String.fromCharCode(0xdc00 | bytes[i]);
      i++;
    } else {
      out += utf8.decode(bytes.subarray(i, i + len));
      i += len;
    }
  }
  return out;
}

function validSequenceLength(bytes: Uint8Array, i: number): number {
  for (let len = 1; len <= 4; len++) {
    if (i + len > bytes.length) return 0;
    if (isValidUtf8(bytes.subarray(i, i + len))) return len;
  }
  return 0;
}
