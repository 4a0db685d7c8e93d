/**
 * The parameter types of a module's exported functions, read from the
 * binary (the JS API reveals only their count), so the harness can call
 * exports with values of the right types — binaryen's shell passes `null`
 * for everything, which makes every export with an i64 parameter throw
 * before it runs. Read with the harness's own reader (`wasm_reader.ts`).
 *
 * @module
 */
import { BinaryReader, forEachImport, sections } from "./wasm_reader.ts";

/** A composite type: a function's params, or null for struct/array/continuation types. */
function compositeType(r: BinaryReader, form: number): string[] | null {
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

function subType(r: BinaryReader, types: (string[] | null)[]): void {
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
  for (const sec of sections(bytes)) {
    const s = new BinaryReader(bytes, sec.body);
    if (sec.id === 1) {
      for (let n = s.u32(); n > 0; n--) {
        if (s.b[s.at] === 0x4e) {
          s.byte();
          for (let k = s.u32(); k > 0; k--) subType(s, types);
        } else subType(s, types);
      }
    } else if (sec.id === 2) {
      forEachImport(bytes, sec, (kind, r) => {
        if (kind === 0) funcs.push(r.u32());
      });
    } else if (sec.id === 3) {
      for (let n = s.u32(); n > 0; n--) funcs.push(s.u32());
    } else if (sec.id === 7) {
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
  }
  return out;
}
