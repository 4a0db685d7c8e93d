/**
 * The static size of value types (CanonicalABI.md "Element Size"), with
 * 64-bit pointers: validation requires `elem_size(t, i64) < 2^28` for every
 * defined value type, so that no size computation can overflow. The rules
 * are the run-time ABI's (`../layout_rules.ts`), over validation's types.
 *
 * @module
 */
import {
  fixedListSizeAlign,
  flagsSizeAlign,
  pointerPair,
  recordSizeAlign,
  scalar,
  type SizeAlign,
  variantSizeAlign,
} from "../layout_rules.ts";
import type { DefinedType, ValType } from "./types.ts";

/** The bound on `elem_size(t, i64)`. */
export const MAX_ELEM_SIZE = 2 ** 28;

const POINTER_PAIR = pointerPair(8);
const HANDLE = scalar(4);

const PRIM: Readonly<Record<string, SizeAlign>> = {
  bool: scalar(1),
  s8: scalar(1),
  u8: scalar(1),
  s16: scalar(2),
  u16: scalar(2),
  s32: scalar(4),
  u32: scalar(4),
  s64: scalar(8),
  u64: scalar(8),
  f32: scalar(4),
  f64: scalar(8),
  char: scalar(4),
  string: POINTER_PAIR,
  "error-context": HANDLE,
};

const cache = new WeakMap<DefinedType, SizeAlign>();

/** Size and alignment of a value type in linear memory, with 64-bit pointers. */
export function layout(t: ValType): SizeAlign {
  if (typeof t === "string") return PRIM[t];
  let l = cache.get(t);
  if (l === undefined) {
    l = compute(t);
    cache.set(t, l);
  }
  return l;
}

const payload = (c: ValType | null) => c === null ? null : layout(c);

function compute(t: DefinedType): SizeAlign {
  switch (t.kind) {
    case "prim":
      return PRIM[t.type];
    case "list":
      return t.length === null ? POINTER_PAIR : fixedListSizeAlign(layout(t.element), t.length);
    case "map":
      return POINTER_PAIR;
    case "record":
      return recordSizeAlign(t.fields.map(([, f]) => layout(f)));
    case "tuple":
      return recordSizeAlign(t.types.map(layout));
    case "variant":
      return variantSizeAlign(t.cases.map(([, c]) => payload(c)));
    case "enum":
      return variantSizeAlign(t.names.map(() => null));
    case "option":
      return variantSizeAlign([null, layout(t.type)]);
    case "result":
      return variantSizeAlign([payload(t.ok), payload(t.err)]);
    case "flags":
      return flagsSizeAlign(t.names.length);
    default:
      return HANDLE;
  }
}
