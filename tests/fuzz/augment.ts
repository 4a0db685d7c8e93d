/**
 * Makes a module's whole final state observable from JS: appends an export
 * for every memory, table and global (imported or defined) to the export
 * section, so the harness can compare final memories, tables and globals.
 * Appending keeps the index of every existing export, which binaryen's
 * `call-export` import refers to.
 *
 * A binary rewrite with its own small section reader (independent of
 * Gannet's decoder, which is under test).
 *
 * @module
 */

/** The prefix of the names {@link exposeState} adds. */
export const STATE_EXPORT_PREFIX = "__fuzz_state_";

class Reader {
  constructor(readonly b: Uint8Array, public at = 0) {}
  byte(): number {
    if (this.at >= this.b.length) throw new Error("unexpected end of module");
    return this.b[this.at++];
  }
  u32(): number {
    let result = 0, shift = 0, byte: number;
    do {
      byte = this.byte();
      if (shift < 32) result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return result >>> 0;
  }
  skipLeb(): void {
    while (this.byte() & 0x80) { /* continuation bytes */ }
  }
  skipName(): void {
    const n = this.u32();
    this.at += n;
  }
  skipValType(): void {
    const t = this.byte();
    // (ref null? ht) carries a heap type: an s33 (abstract types are one byte).
    if (t === 0x63 || t === 0x64) this.skipLeb();
  }
  skipLimits(): void {
    const flags = this.byte();
    this.skipLeb();
    if (flags & 1) this.skipLeb();
    if (flags & 8) this.skipLeb(); // custom page size
  }
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

interface Section {
  id: number;
  start: number; // offset of the id byte
  body: number; // offset of the contents
  end: number;
}

function sections(b: Uint8Array): Section[] {
  const r = new Reader(b, 8);
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

/** Counts of the index spaces that hold state: [tables, memories, globals]. */
function stateCounts(b: Uint8Array, secs: Section[]): [number, number, number] {
  const counts: [number, number, number] = [0, 0, 0];
  for (const s of secs) {
    const r = new Reader(b, s.body);
    if (s.id === 2) {
      for (let n = r.u32(); n > 0; n--) {
        r.skipName();
        r.skipName();
        const kind = r.byte();
        if (kind === 0) r.u32();
        else if (kind === 1) {
          r.skipValType();
          r.skipLimits();
          counts[0]++;
        } else if (kind === 2) {
          r.skipLimits();
          counts[1]++;
        } else if (kind === 3) {
          r.skipValType();
          r.byte();
          counts[2]++;
        } else if (kind === 4) {
          r.byte();
          r.u32();
        } else throw new Error(`unknown import kind ${kind}`);
      }
    } else if (s.id === 4) counts[0] += r.u32();
    else if (s.id === 5) counts[1] += r.u32();
    else if (s.id === 6) counts[2] += r.u32();
  }
  return counts;
}

/** Where the export section goes in the section order (before start/elem/datacount/code/data). */
const AFTER_EXPORTS = new Set([8, 9, 12, 10, 11]);

/**
 * `bytes` with exports `__fuzz_state_{table,memory,global}N` appended for
 * every table, memory and global.
 */
export function exposeState(bytes: Uint8Array): Uint8Array {
  const secs = sections(bytes);
  const [tables, memories, globals] = stateCounts(bytes, secs);
  const added: number[] = [];
  let n = 0;
  const enc = new TextEncoder();
  const add = (name: string, kind: number, index: number) => {
    const nameBytes = enc.encode(STATE_EXPORT_PREFIX + name);
    added.push(...uleb(nameBytes.length), ...nameBytes, kind, ...uleb(index));
    n++;
  };
  for (let i = 0; i < memories; i++) add(`memory${i}`, 2, i);
  for (let i = 0; i < tables; i++) add(`table${i}`, 1, i);
  for (let i = 0; i < globals; i++) add(`global${i}`, 3, i);
  if (n === 0) return bytes;

  const existing = secs.find((s) => s.id === 7);
  let head: Uint8Array, tail: Uint8Array, body: number[];
  if (existing !== undefined) {
    const r = new Reader(bytes, existing.body);
    const count = r.u32();
    body = [...uleb(count + n), ...bytes.subarray(r.at, existing.end), ...added];
    head = bytes.subarray(0, existing.start);
    tail = bytes.subarray(existing.end);
  } else {
    const next = secs.find((s) => AFTER_EXPORTS.has(s.id));
    const at = next === undefined ? bytes.length : next.start;
    body = [...uleb(n), ...added];
    head = bytes.subarray(0, at);
    tail = bytes.subarray(at);
  }
  const section = [7, ...uleb(body.length), ...body];
  const out = new Uint8Array(head.length + section.length + tail.length);
  out.set(head);
  out.set(section, head.length);
  out.set(tail, head.length + section.length);
  return out;
}
