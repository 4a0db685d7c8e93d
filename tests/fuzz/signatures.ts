/**
 * The parameter types of a module's exported functions, read from the
 * binary (the JS API reveals only their count), so the harness can call
 * exports with values of the right types — binaryen's shell passes `null`
 * for everything, which makes every export with an i64 parameter throw
 * before it runs. Its own small reader, like `augment.ts`: the harness must
 * not depend on the decoder under test.
 *
 * @module
 */

const NAMES: Record<number, string> = {
  0x7f: "i32",
  0x7e: "i64",
  0x7d: "f32",
  0x7c: "f64",
  0x7b: "v128",
};

class Reader {
  constructor(readonly b: Uint8Array, public at: number) {}
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
    while (this.byte() & 0x80) { /* continuation */ }
  }
  skipName(): void {
    const n = this.u32();
    this.at += n;
  }
  valType(): string {
    const t = this.byte();
    if (t === 0x63 || t === 0x64) this.skipLeb();
    return NAMES[t] ?? "ref";
  }
  skipLimits(): void {
    const flags = this.byte();
    this.skipLeb();
    if (flags & 1) this.skipLeb();
    if (flags & 8) this.skipLeb();
  }
}

/** A composite type: a function's params, or null for struct/array/continuation types. */
function compositeType(r: Reader, form: number): string[] | null {
  if (form === 0x60) {
    const params = Array.from({ length: r.u32() }, () => r.valType());
    for (let n = r.u32(); n > 0; n--) r.valType();
    return params;
  }
  if (form === 0x5f || form === 0x5e) {
    for (let n = form === 0x5e ? 1 : r.u32(); n > 0; n--) {
      const t = r.byte();
      if (t === 0x63 || t === 0x64) r.skipLeb();
      r.byte(); // mutability
    }
    return null;
  }
  if (form === 0x5d) { // cont $ft
    r.skipLeb();
    return null;
  }
  throw new Error(`unknown type form 0x${form.toString(16)}`);
}

function subType(r: Reader, types: (string[] | null)[]): void {
  let form = r.byte();
  if (form === 0x50 || form === 0x4f) {
    for (let n = r.u32(); n > 0; n--) r.u32();
    form = r.byte();
  }
  if (form === 0x4d || form === 0x4c) { // custom descriptors: describes/descriptor
    r.u32();
    form = r.byte();
  }
  types.push(compositeType(r, form));
}

/** Export name → parameter types, for every exported function. */
export function exportParams(bytes: Uint8Array): Map<string, string[]> {
  const types: (string[] | null)[] = [];
  const funcs: number[] = [];
  const out = new Map<string, string[]>();
  const r = new Reader(bytes, 8);
  while (r.at < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const end = r.at + size;
    const s = new Reader(bytes, r.at);
    if (id === 1) {
      for (let n = s.u32(); n > 0; n--) {
        if (s.b[s.at] === 0x4e) {
          s.byte();
          for (let k = s.u32(); k > 0; k--) subType(s, types);
        } else subType(s, types);
      }
    } else if (id === 2) {
      for (let n = s.u32(); n > 0; n--) {
        s.skipName();
        s.skipName();
        const kind = s.byte();
        if (kind === 0) funcs.push(s.u32());
        else if (kind === 1) {
          s.valType();
          s.skipLimits();
        } else if (kind === 2) s.skipLimits();
        else if (kind === 3) {
          s.valType();
          s.byte();
        } else if (kind === 4) {
          s.byte();
          s.u32();
        }
      }
    } else if (id === 3) {
      for (let n = s.u32(); n > 0; n--) funcs.push(s.u32());
    } else if (id === 7) {
      for (let n = s.u32(); n > 0; n--) {
        const len = s.u32();
        const name = new TextDecoder().decode(s.b.subarray(s.at, s.at + len));
        s.at += len;
        const kind = s.byte();
        const index = s.u32();
        const params = kind === 0 ? types[funcs[index]] : null;
        if (params) out.set(name, params);
      }
    }
    r.at = end;
  }
  return out;
}
