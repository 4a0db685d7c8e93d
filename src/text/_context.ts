/**
 * Shared state of one WAT module being parsed: the source (for error
 * positions and strings), the module structure being filled in, and the
 * index spaces with their identifiers. Also the small token helpers every
 * part of the parser uses.
 *
 * @module
 */
import { syntaxError } from "./errors.ts";
import { type SAtom, type SList, type SNode, stringBytes } from "./lexer.ts";
import { parseUnsigned, RangeProblem } from "./numbers.ts";
import { isValidUtf8, utf8ToString } from "./strings.ts";
import {
  emptyModule,
  type FuncType,
  funcTypeDef,
  type ModuleStruct,
  ValType,
} from "../binary/types.ts";
import type { Features } from "../binary/features.ts";
import { concreteHeap, Heap, NON_NULL } from "../binary/valtype.ts";

/** One index space: how many entries, and which identifiers name them. */
export class Space {
  /** Number of entries defined so far (pass 1 fills this in). */
  count = 0;
  /** Identifier (without `$`) → index. */
  readonly ids: Map<string, number> = new Map();
  /** Singular name used in messages ("func", "memory", …). */
  readonly what: string;
  /** @param what Singular name used in messages. */
  constructor(what: string) {
    this.what = what;
  }
}

/** Value types by their text names (the nullable reference shorthands included). */
export const VALTYPES: Readonly<Record<string, number>> = {
  i32: ValType.i32,
  i64: ValType.i64,
  f32: ValType.f32,
  f64: ValType.f64,
  v128: ValType.v128,
  funcref: Heap.func,
  externref: Heap.extern,
  anyref: Heap.any,
  eqref: Heap.eq,
  i31ref: Heap.i31,
  structref: Heap.struct,
  arrayref: Heap.array,
  exnref: Heap.exn,
  nullref: Heap.none,
  nullexternref: Heap.noextern,
  nullfuncref: Heap.nofunc,
  nullexnref: Heap.noexn,
};

/** Abstract heap types by their text names. */
const HEAPTYPES: Readonly<Record<string, number>> = Heap;

const SHORT_DECIMAL = /^[0-9]{1,9}$/;

/** Pre-standard type names, rejected with the reference interpreter's wording. */
const OBSOLETE_TYPES = new Set(["anyfunc"]);

/** Folding depth beyond which a JS stack overflow is reported as "nesting too deep". */
export const DEEP = 256;

/** Parser state for one module. */
export class Ctx {
  /** The source text. */
  readonly src: string;
  /** The module being built. */
  readonly m: ModuleStruct = emptyModule();
  /** Features whose syntax is accepted (memory64 off: memarg offsets are u32). */
  readonly features: Readonly<Features>;
  /** Number of explicitly defined types (implicit ones follow). */
  explicitTypes = 0;
  readonly types: Space = new Space("type");
  /** Field identifiers of each type (by type index). */
  readonly fields: Map<string, number>[] = [];
  /** Whether each type may stand for an inline function type (a final, super-less function type alone in its group). */
  readonly implicitOk: boolean[] = [];
  readonly funcs: Space = new Space("function");
  readonly tables: Space = new Space("table");
  readonly mems: Space = new Space("memory");
  readonly globals: Space = new Space("global");
  readonly tags: Space = new Space("tag");
  /** The field (or import description) defining each function, by index (for `@name`). */
  readonly funcNodes: SList[] = [];
  /** The field (or import description) defining each tag, by index (for `@name`). */
  readonly tagNodes: SList[] = [];
  readonly elems: Space = new Space("elem segment");
  readonly datas: Space = new Space("data segment");
  /** Whether each memory (by index) is 64-bit. */
  readonly mem64: boolean[] = [];
  /** Whether each table (by index) is 64-bit. */
  readonly table64: boolean[] = [];
  /** Local identifiers of each defined function, by function index (for the name section). */
  readonly localNames: [number, Map<string, number>][] = [];
  /** Label names of each defined function: (function index, [(block number, name)]). */
  readonly labelNames: [number, [number, string][]][] = [];
  /** The first folded instruction nested deeper than {@link DEEP} (where a stack overflow is blamed). */
  deepNode: SNode | null = null;
  /** Set when `memory.init`/`data.drop` is used: the data count section is then needed. */
  needsDataCount = false;
  /** `(@metadata.code.branch_hint …)` annotations of the source, in text order. */
  hints: SList[] = [];
  /** The hints that function bodies claimed (the rest are outside any function). */
  readonly claimedHints: Set<SList> = new Set();
  /** Resolved branch hints: (function index, [(body offset, value)]), by function index. */
  readonly branchHints: [number, [number, number][]][] = [];

  /**
   * @param src The source text.
   * @param features Accepted proposals.
   */
  constructor(src: string, features: Readonly<Features>) {
    this.src = src;
    this.features = features;
  }

  /** Throws a `WatSyntaxError` located at `node`. */
  fail(node: SNode | { start: number }, reason: string): never {
    // A reserved token (e.g. `0$x`, `"a"b`) is never expected anywhere.
    if (reason === "unexpected token" && "kind" in node && node.kind === "reserved") {
      reason = "unknown operator";
    }
    throw syntaxError(this.src, node.start, reason);
  }

  /** True when `n` is the keyword `kw`. */
  isKeyword(n: SNode | undefined, kw: string): boolean {
    return n !== undefined && n.kind === "keyword" && n.text === kw;
  }

  /** True when `n` is a list whose head is the keyword `kw`. */
  isList(n: SNode | undefined, kw: string): n is SList {
    if (n === undefined || n.kind !== "list") return false;
    const h = n.items[0];
    return h !== undefined && h.kind === "keyword" && h.text === kw;
  }

  /** The head keyword of a list (fails if it has none). */
  head(l: SList): string {
    const h = l.items[0];
    if (h === undefined || h.kind !== "keyword") this.fail(h ?? l, "unexpected token");
    return h.text;
  }

  /** Fails unless `l` has exactly `n` items. */
  end(l: SList, n: number): void {
    if (l.items.length > n) this.fail(l.items[n], "unexpected token");
    if (l.items.length < n) this.fail({ start: l.end - 1 }, "unexpected token");
  }

  /** A string's bytes. */
  bytes(n: SNode | undefined, parent: SNode): Uint8Array {
    if (n === undefined || n.kind !== "string") this.fail(n ?? parent, "unexpected token");
    return stringBytes(this.src, n);
  }

  /** A string that must be valid UTF-8 (a name). */
  name(n: SNode | undefined, parent: SNode): string {
    const b = this.bytes(n, parent);
    if (!isValidUtf8(b)) this.fail(n!, "malformed UTF-8 encoding");
    return utf8ToString(b);
  }

  /** An unsigned integer of at most `bits` bits. */
  unsigned(n: SNode | undefined, parent: SNode, bits: number): bigint {
    if (n === undefined || (n.kind !== "num" && n.kind !== "reserved")) {
      this.fail(n ?? parent, "unexpected token");
    }
    if (n.kind === "reserved") this.fail(n, "unknown operator");
    try {
      const v = parseUnsigned(n.text, bits);
      if (v === null) this.fail(n, "unexpected token");
      return v;
    } catch (e) {
      if (e instanceof RangeProblem) this.fail(n, e.message);
      throw e;
    }
  }

  /** A u32 (index, lane, count). */
  u32(n: SNode | undefined, parent: SNode): number {
    if (n !== undefined && n.kind === "num" && SHORT_DECIMAL.test(n.text)) return Number(n.text);
    return Number(this.unsigned(n, parent, 32));
  }

  /** True when `n` can be an index (a number or an identifier). */
  isIndex(n: SNode | undefined): n is SAtom {
    return n !== undefined && (n.kind === "num" || n.kind === "id");
  }

  /** Resolves an index (number or `$id`) in `space`. */
  index(n: SNode | undefined, parent: SNode, space: Space): number {
    if (n !== undefined && n.kind === "id") {
      const i = space.ids.get(n.text);
      if (i === undefined) this.fail(n, `unknown ${space.what} $${n.text}`);
      return i;
    }
    return this.u32(n, parent);
  }

  /** Records an identifier for entry `index` of `space`. */
  define(space: Space, id: SAtom | null, index: number): void {
    if (id === null) return;
    if (space.ids.has(id.text)) {
      this.fail(
        id,
        `duplicate ${space.what === "function" ? "func" : space.what.split(" ")[0]} $${id.text}`,
      );
    }
    space.ids.set(id.text, index);
  }

  /** A value type: a keyword, or `(ref null? heaptype)`. */
  valType(n: SNode | undefined, parent: SNode): number {
    if (n !== undefined && n.kind === "keyword") {
      const t = VALTYPES[n.text];
      if (t !== undefined) return t;
      if (OBSOLETE_TYPES.has(n.text)) this.fail(n, `unknown operator ${n.text}`);
    }
    if (this.isList(n, "ref")) return this.refList(n);
    this.fail(n ?? parent, "unexpected token");
  }

  /** A reference type: a shorthand keyword (`funcref`, `anyref`, …) or `(ref null? heaptype)`. */
  refType(n: SNode | undefined, parent: SNode): number {
    if (n !== undefined && n.kind === "keyword") {
      const t = VALTYPES[n.text];
      if (t !== undefined && t < 0x7b) return t;
      if (t !== undefined) this.fail(n, "malformed reference type");
    }
    if (this.isList(n, "ref")) return this.refList(n);
    this.fail(n ?? parent, "unexpected token");
  }

  /** Whether `n` starts a reference type. */
  isRefType(n: SNode | undefined): boolean {
    if (this.isList(n, "ref")) return true;
    if (n === undefined || n.kind !== "keyword") return false;
    const t = VALTYPES[n.text];
    return t !== undefined && t < 0x7b;
  }

  private refList(l: SList): number {
    let i = 1;
    const nullable = this.isKeyword(l.items[1], "null");
    if (nullable) i++;
    const h = this.heapType(l.items[i], l);
    this.end(l, i + 1);
    return nullable ? h : h | NON_NULL;
  }

  /** A heap type: an abstract type's name or a type index. */
  heapType(n: SNode | undefined, parent: SNode): number {
    if (n !== undefined && n.kind === "keyword") {
      const h = HEAPTYPES[n.text];
      if (h !== undefined) return h;
    }
    if (this.isIndex(n)) return concreteHeap(this.index(n, parent, this.types));
    this.fail(n ?? parent, "unexpected token");
  }

  /**
   * The index of a type equal to `t`, appending it as an implicit type
   * definition when there is none (the text format's typeuse rule).
   */
  typeIndexOf(t: FuncType): number {
    const types = this.m.types;
    for (let i = 0; i < types.length; i++) {
      if (this.implicitOk[i] && sameType(types[i], t)) return i;
    }
    types.push(funcTypeDef(t.params, t.results));
    this.m.recs.push(1);
    this.m.recWritten.push(false);
    this.implicitOk.push(true);
    this.fields.push(new Map());
    return types.length - 1;
  }
}

/** Structural equality of function types. */
export function sameType(a: FuncType, b: FuncType): boolean {
  if (a.params.length !== b.params.length || a.results.length !== b.results.length) return false;
  for (let i = 0; i < a.params.length; i++) if (a.params[i] !== b.params[i]) return false;
  for (let i = 0; i < a.results.length; i++) if (a.results[i] !== b.results[i]) return false;
  return true;
}
