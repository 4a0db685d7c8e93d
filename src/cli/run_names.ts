/**
 * Function names from a module's `name` custom section (subsection 1), for
 * the backtraces `gannet run` prints after a trap.
 *
 * @module
 */
import type { ModuleStruct } from "../binary/types.ts";

function leb(data: Uint8Array, at: { pos: number }): number {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (at.pos >= data.length) throw new RangeError("truncated name section");
    const b = data[at.pos++];
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return result;
    shift += 7;
    if (shift > 35) throw new RangeError("bad LEB128 in name section");
  }
}

/** Function index → name; empty when there is no (well-formed) name section. */
export function functionNames(struct: ModuleStruct): Map<number, string> {
  const names = new Map<number, string>();
  const section = struct.customs.find((c) => c.name === "name");
  if (section === undefined) return names;
  const data = section.data;
  const dec = new TextDecoder("utf-8", { fatal: true });
  try {
    const at = { pos: 0 };
    while (at.pos < data.length) {
      const id = data[at.pos++];
      const size = leb(data, at);
      const end = at.pos + size;
      if (id === 1) {
        const count = leb(data, at);
        for (let i = 0; i < count; i++) {
          const index = leb(data, at);
          const len = leb(data, at);
          names.set(index, dec.decode(data.subarray(at.pos, at.pos + len)));
          at.pos += len;
        }
      }
      at.pos = end;
    }
  } catch {
    // A malformed name section only costs the names.
  }
  return names;
}
