/**
 * A minimal reader of the binary format for the harness (`augment.ts`,
 * `signatures.ts`): sections, LEB128 numbers, names, value types and limits.
 * The harness must not depend on Gannet's decoder, which is under test.
 *
 * @module
 */

/** A cursor over module bytes. */
export class BinaryReader {
  /** Starts reading `b` at `at`. */
  constructor(readonly b: Uint8Array, public at: number) {}

  /** One byte. */
  byte(): number {
    if (this.at >= this.b.length) throw new Error("unexpected end of module");
    return this.b[this.at++];
  }

  /** An unsigned LEB128 number (32 bits). */
  u32(): number {
    let result = 0, shift = 0, byte: number;
    do {
      byte = this.byte();
      if (shift < 32) result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return result >>> 0;
  }

  /** Skips a LEB128 number of any size. */
  skipLeb(): void {
    while (this.byte() & 0x80) { /* continuation bytes */ }
  }

  /** Skips a name (length and bytes). */
  skipName(): void {
    const n = this.u32();
    this.at += n;
  }

  /** A value type: "i32", "i64", "f32", "f64", "v128", or "ref" for any reference. */
  valType(): string {
    const t = this.byte();
    // (ref null? ht) carries a heap type: an s33 (abstract heap types are one byte).
    if (t === 0x63 || t === 0x64) this.skipLeb();
    return VALUE_TYPES[t] ?? "ref";
  }

  /** Skips memory or table limits (flags: max, shared, 64-bit, custom page size). */
  skipLimits(): void {
    const flags = this.byte();
    this.skipLeb();
    if (flags & 1) this.skipLeb();
    if (flags & 8) this.skipLeb();
  }
}

const VALUE_TYPES: Record<number, string> = {
  0x7f: "i32",
  0x7e: "i64",
  0x7d: "f32",
  0x7c: "f64",
  0x7b: "v128",
};

/** A section's place in the module. */
export interface Section {
  /** The section id. */
  id: number;
  /** Offset of the id byte. */
  start: number;
  /** Offset of the contents. */
  body: number;
  /** Offset just past the contents. */
  end: number;
}

/** The module's sections, in order. */
export function sections(b: Uint8Array): Section[] {
  const r = new BinaryReader(b, 8);
  const out: Section[] = [];
  while (r.at < b.length) {
    const start = r.at;
    const id = r.byte();
    const size = r.u32();
    out.push({ id, start, body: r.at, end: r.at + size });
    r.at += size;
  }
  return out;
}

/** Calls `visit(kind, reader)` for each import, the reader placed after the kind byte; skips the rest. */
export function forEachImport(
  b: Uint8Array,
  section: Section,
  visit: (kind: number, r: BinaryReader) => void,
): void {
  const r = new BinaryReader(b, section.body);
  for (let n = r.u32(); n > 0; n--) {
    r.skipName();
    r.skipName();
    const kind = r.byte();
    const at = r.at;
    visit(kind, r);
    r.at = at;
    if (kind === 0) r.u32();
    else if (kind === 1) {
      r.valType();
      r.skipLimits();
    } else if (kind === 2) r.skipLimits();
    else if (kind === 3) {
      r.valType();
      r.byte();
    } else if (kind === 4) {
      r.byte();
      r.u32();
    } else throw new Error(`unknown import kind ${kind}`);
  }
}
