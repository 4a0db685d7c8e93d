/**
 * The `component-name` custom section (Binary.md "Name Section"). As for
 * core wasm, its validity is not required: a broken one decodes to null
 * and the component is still accepted.
 *
 * @module
 */
import { CompileError } from "../../errors.ts";
import type { ComponentNames, NameSort } from "./model.ts";
import { ComponentReader } from "./reader.ts";

/** Name-map sorts after `0x00` (core sorts), by their `core:sort` byte. */
const CORE_SORTS: Readonly<Record<number, NameSort>> = {
  0x00: "core func",
  0x01: "core table",
  0x02: "core memory",
  0x03: "core global",
  0x04: "core tag",
  0x10: "core type",
  0x11: "core module",
  0x12: "core instance",
};

/** Component-level sorts, by their `sort` byte. */
const SORTS: Readonly<Record<number, NameSort>> = {
  0x01: "func",
  0x02: "value",
  0x03: "type",
  0x04: "component",
  0x05: "instance",
};

/** Decodes the body of a `component-name` section; null when it is malformed. */
export function decodeComponentNames(data: Uint8Array): ComponentNames | null {
  const r = new ComponentReader(data);
  const out: ComponentNames = { component: null, sorts: new Map() };
  try {
    while (!r.eof()) {
      const id = r.u8();
      const size = r.u32();
      const end = r.pos + size;
      if (end > data.length) return null;
      if (id === 0) {
        out.component = r.string(Infinity);
      } else if (id === 1) {
        const b = r.u8();
        const sort = b === 0 ? CORE_SORTS[r.u8()] : SORTS[b];
        if (sort !== undefined) {
          const map = new Map<number, string>();
          const n = r.u32();
          for (let i = 0; i < n; i++) {
            const index = r.u32();
            map.set(index, r.string(Infinity));
          }
          out.sorts.set(sort, map);
        }
      }
      if (r.pos > end) return null;
      r.pos = end;
    }
  } catch (e) {
    if (e instanceof CompileError) return null;
    throw e;
  }
  return out;
}

/** The `sort` bytes of a name-map sort (for the encoder). */
export function nameSortBytes(sort: NameSort): number[] {
  for (const [b, s] of Object.entries(CORE_SORTS)) if (s === sort) return [0, Number(b)];
  for (const [b, s] of Object.entries(SORTS)) if (s === sort) return [Number(b)];
  throw new RangeError(`unknown name sort ${sort}`);
}
