/**
 * The static size of value types (CanonicalABI.md "Element Size"), with
 * 64-bit pointers: validation requires `elem_size(t, i64) < 2^28` for every
 * defined value type, so that no size computation can overflow.
 *
 * @module
 */
import type { DefinedType, ValType } from "./types.ts";

/** The bound on `elem_size(t, i64)`. */
export const MAX_ELEM_SIZE = 2 ** 28;

interface Layout {
  size: number;
  align: number;
}

const PRIM: Readonly<Record<string, Layout>> = {
  bool: { size: 1, align: 1 },
  s8: { size: 1, align: 1 },
  u8: { size: 1, align: 1 },
  s16: { size: 2, align: 2 },
  u16: { size: 2, align: 2 },
  s32: { size: 4, align: 4 },
  u32: { size: 4, align: 4 },
  s64: { size: 8, align: 8 },
  u64: { size: 8, align: 8 },
  f32: { size: 4, align: 4 },
  f64: { size: 8, align: 8 },
  char: { size: 4, align: 4 },
  string: { size: 16, align: 8 },
  "error-context": { size: 4, align: 4 },
};

const POINTER_PAIR: Layout = { size: 16, align: 8 };
const HANDLE: Layout = { size: 4, align: 4 };

const cache = new WeakMap<DefinedType, Layout>();

const alignTo = (n: number, a: number) => Math.ceil(n / a) * a;

function record(fields: readonly ValType[]): Layout {
  let size = 0, align = 1;
  for (const f of fields) {
    const l = layout(f);
    size = alignTo(size, l.align) + l.size;
    align = Math.max(align, l.align);
  }
  return { size: alignTo(size, align), align };
}

function variant(cases: readonly (ValType | null)[]): Layout {
  const n = cases.length;
  const disc = n <= 256 ? 1 : n <= 65536 ? 2 : 4;
  let caseAlign = 1, caseSize = 0;
  for (const c of cases) {
    if (c === null) continue;
    const l = layout(c);
    caseAlign = Math.max(caseAlign, l.align);
    caseSize = Math.max(caseSize, l.size);
  }
  const align = Math.max(disc, caseAlign);
  return { size: alignTo(alignTo(disc, caseAlign) + caseSize, align), align };
}

/** Size and alignment of a value type in linear memory, with 64-bit pointers. */
export function layout(t: ValType): Layout {
  if (typeof t === "string") return PRIM[t];
  let l = cache.get(t);
  if (l === undefined) {
    l = compute(t);
    cache.set(t, l);
  }
  return l;
}

function compute(t: DefinedType): Layout {
  switch (t.kind) {
    case "prim":
      return PRIM[t.type];
    case "list":
      if (t.length === null) return POINTER_PAIR;
      {
        const e = layout(t.element);
        return { size: e.size * t.length, align: e.align };
      }
    case "map":
      return POINTER_PAIR;
    case "record":
      return record(t.fields.map(([, f]) => f));
    case "tuple":
      return record(t.types);
    case "variant":
      return variant(t.cases.map(([, c]) => c));
    case "enum":
      return variant(t.names.map(() => null));
    case "option":
      return variant([null, t.type]);
    case "result":
      return variant([t.ok, t.err]);
    case "flags": {
      const n = t.names.length <= 8 ? 1 : t.names.length <= 16 ? 2 : 4;
      return { size: n, align: n };
    }
    default:
      return HANDLE;
  }
}
