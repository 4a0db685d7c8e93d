/**
 * A tiny hand-assembler for test binaries: LEB128, vectors, sections and
 * small modules built byte by byte (so tests can produce exactly the broken
 * encodings they are about).
 *
 * @module
 */

/** Unsigned LEB128. */
export function uleb(value: number | bigint): number[] {
  let v = BigInt(value);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return out;
}

/** Signed LEB128. */
export function sleb(value: number | bigint): number[] {
  let v = BigInt(value);
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

/** A name: length and UTF-8 bytes. */
export function name(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
}

/** A vector of already-encoded items. */
export function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** A section with its id and size. */
export function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

/** The 8-byte module header. */
export const HEADER: readonly number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** A module from raw section bytes. */
export function moduleOf(...sections: number[][]): Uint8Array {
  return new Uint8Array([...HEADER, ...sections.flat()]);
}

/** A function type entry. */
export function funcType(params: number[], results: number[]): number[] {
  return [0x60, ...vec(params.map((p) => [p])), ...vec(results.map((r) => [r]))];
}

/** A code section entry with local groups `[count, type]` and body bytes (end included). */
export function codeEntry(locals: [number, number][], body: number[]): number[] {
  const content = [...vec(locals.map(([n, t]) => [...uleb(n), t])), ...body];
  return [...uleb(content.length), ...content];
}

/** Options of {@link funcModule}. */
export interface FuncModuleOptions {
  params?: number[];
  results?: number[];
  locals?: [number, number][];
  /** Type section entries after the function's own type 0 (each an encoded subtype). */
  types?: number[][];
  /** Extra sections placed between the function and code sections (ids 4–9, 12). */
  middle?: number[][];
  /** Sections after the code section (id 11). */
  after?: number[][];
}

/** A module with one function (type 0) whose body is `body` (end included). */
export function funcModule(body: number[], o: FuncModuleOptions = {}): Uint8Array {
  return moduleOf(
    section(1, vec([funcType(o.params ?? [], o.results ?? []), ...(o.types ?? [])])),
    section(3, vec([[0]])),
    ...(o.middle ?? []),
    section(10, vec([codeEntry(o.locals ?? [], body)])),
    ...(o.after ?? []),
  );
}
