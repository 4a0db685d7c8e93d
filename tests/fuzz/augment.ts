/**
 * Makes a module's whole final state observable from JS: appends an export
 * for every memory, table and global (imported or defined) to the export
 * section, so the harness can compare final memories, tables and globals.
 * Appending keeps the index of every existing export, which binaryen's
 * `call-export` import refers to.
 *
 * A binary rewrite with the harness's own reader (`wasm_reader.ts`).
 *
 * @module
 */
import { BinaryReader, forEachImport, type Section, sections } from "./wasm_reader.ts";

/** The prefix of the names {@link exposeState} adds. */
export const STATE_EXPORT_PREFIX = "__fuzz_state_";

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

/** Counts of the index spaces that hold state: [tables, memories, globals]. */
function stateCounts(b: Uint8Array, secs: Section[]): [number, number, number] {
  const counts: [number, number, number] = [0, 0, 0];
  for (const s of secs) {
    if (s.id === 2) {
      forEachImport(b, s, (kind) => {
        if (kind >= 1 && kind <= 3) counts[kind - 1]++;
      });
    } else if (s.id >= 4 && s.id <= 6) counts[s.id - 4] += new BinaryReader(b, s.body).u32();
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
    const r = new BinaryReader(bytes, existing.body);
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
