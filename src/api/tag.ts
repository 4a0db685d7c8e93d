/**
 * `WebAssembly.Tag` and `WebAssembly.JSTag`: exception tags as JS objects.
 * One API object per tag instance, so exporting a tag twice, or importing
 * it and exporting it again, gives the same object.
 *
 * @module
 */
import { funcTypeDef, valTypeName } from "../binary/types.ts";
import { JS_TAG, TagInst } from "../runtime/tags.ts";
import { canonicalizeGroup, canonType } from "../validate/type_store.ts";
import { apiObject, descriptor, valueTypeCode } from "./_internals.ts";

const tagOf = new WeakMap<object, TagInst>();

/**
 * Descriptor of {@link Tag}.
 *
 * @example
 * ```ts
 * import { Tag, type TagDescriptor } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const descriptor: TagDescriptor = { parameters: ["i32", "f64"] };
 * assert.deepEqual(new Tag(descriptor).type(), { parameters: ["i32", "f64"] });
 * ```
 */
export interface TagDescriptor {
  /** The payload's value types: "i32", "i64", "f32", "f64", "v128", "funcref", "externref"… */
  parameters: Iterable<string>;
}

/** The tag instance behind a Tag object (undefined for anything else). */
export function tagInstOf(v: unknown): TagInst | undefined {
  return typeof v === "object" && v !== null ? tagOf.get(v) : undefined;
}

/** The Tag object of a tag instance (created on first use). */
export function wrapTag(t: TagInst): Tag {
  const o = apiObject.get(t);
  if (o !== undefined) return o as Tag;
  const tag = Object.create(Tag.prototype) as Tag;
  tagOf.set(tag, t);
  apiObject.set(t, tag);
  return tag;
}

/** The JS API name of a value type (type reflection). */
function typeName(t: number): string {
  switch (t) {
    case 0x70:
      return "funcref";
    case 0x6f:
      return "externref";
    case 0x69:
      return "exnref";
    default:
      return valTypeName(t);
  }
}

/**
 * An exception tag: what a wasm `catch` matches. Tags are compared by
 * identity, not by their parameter types.
 *
 * @example
 * ```ts
 * import { Exception, Instance, Module, parseWat, Tag } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const tag = new Tag({ parameters: ["i32"] });
 * const module = new Module(parseWat(`(module
 *   (import "env" "tag" (tag $t (param i32)))
 *   (func (export "raise") (param i32) (throw $t (local.get 0))))`));
 * const { exports } = new Instance(module, { env: { tag } });
 * assert.throws(() => (exports.raise as (x: number) => void)(7), (e: unknown) => {
 *   return e instanceof Exception && e.is(tag) && e.getArg(tag, 0) === 7;
 * });
 * ```
 */
export class Tag {
  /** A new tag whose payload has the types `desc.parameters`. */
  constructor(desc: TagDescriptor) {
    if (new.target === undefined) throw new TypeError("WebAssembly.Tag must be called with new");
    const d = descriptor(desc, "WebAssembly.Tag");
    const list = d.parameters;
    if (
      list === undefined || list === null || typeof list !== "object" && typeof list !== "string"
    ) {
      throw new TypeError("WebAssembly.Tag: parameters must be a sequence of value types");
    }
    const params = Array.from(
      list as Iterable<unknown>,
      (p) => valueTypeCode(p, "WebAssembly.Tag"),
    );
    const ids = new Int32Array(1);
    canonicalizeGroup([funcTypeDef(params, [])], 0, 1, ids);
    const t = new TagInst(canonType(ids[0]));
    tagOf.set(this, t);
    apiObject.set(t, this);
  }

  /** Type reflection: the payload's value types. */
  type(): { parameters: string[] } {
    const t = tagOf.get(this);
    if (t === undefined) throw new TypeError("WebAssembly.Tag.type: receiver is not a Tag");
    return { parameters: t.type.params.map(typeName) };
  }
}

Object.defineProperty(Tag.prototype, Symbol.toStringTag, {
  value: "WebAssembly.Tag",
  configurable: true,
});

/**
 * `WebAssembly.JSTag`: the tag of JS exceptions inside wasm. A module that
 * imports it can catch what JS code throws (`catch $js` gets the thrown
 * value as an `externref`) and throw JS values itself.
 */
export const JSTag: Tag = wrapTag(JS_TAG);
