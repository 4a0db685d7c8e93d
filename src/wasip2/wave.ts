/**
 * WAVE (the WebAssembly Value Encoding, as `wasmtime run --invoke` takes
 * component arguments): parse a call `name(arg, …)` and its arguments by
 * their WIT types into jco's JS values, and print values back as WAVE.
 *
 * jco's conventions: s64/u64 as BigInt, char as a one-character string,
 * records as objects with camelCase fields, tuples as arrays, variants as
 * `{ tag, val }`, enums as their case name, options as the value or
 * `undefined`, results as `{ tag: "ok" | "err", val }`, flags as objects of
 * booleans, `list<u8>` (and other numeric lists) as typed arrays.
 *
 * @module
 */
import type { ValType } from "../component/types.ts";
import { TYPED_ARRAYS } from "../component/abi/lists.ts";

/** A WAVE text that does not fit the expected type (says where and what). */
export class WaveError extends Error {
  /** @param message What is wrong, with the offset. */
  constructor(message: string) {
    super(message);
    this.name = "WaveError";
  }
}

const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const RANGES: Record<string, [bigint, bigint]> = {
  u8: [0n, 255n],
  s8: [-128n, 127n],
  u16: [0n, 65535n],
  s16: [-32768n, 32767n],
  u32: [0n, 2n ** 32n - 1n],
  s32: [-(2n ** 31n), 2n ** 31n - 1n],
  u64: [0n, 2n ** 64n - 1n],
  s64: [-(2n ** 63n), 2n ** 63n - 1n],
};

/** A cursor over WAVE text. */
class Reader {
  pos = 0;
  constructor(readonly text: string) {}
  /** Fails at the start of the last token. */
  bad(what: string): never {
    this.pos = this.start;
    return this.fail(what);
  }
  fail(what: string): never {
    throw new WaveError(`${what} at offset ${this.pos} of ${JSON.stringify(this.text)}`);
  }
  skip(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }
  peek(): string {
    this.skip();
    return this.text[this.pos] ?? "";
  }
  eat(c: string): boolean {
    if (this.peek() !== c) return false;
    this.pos++;
    return true;
  }
  expect(c: string): void {
    if (!this.eat(c)) this.fail(`expected '${c}'`);
  }
  /** A label (kebab-case name, `%` allowed as in WIT). */
  label(): string {
    this.skip();
    const m = /^%?[a-zA-Z][a-zA-Z0-9-]*/.exec(this.text.slice(this.pos));
    if (m === null) this.fail("expected a name");
    this.pos += m[0].length;
    return m[0].replace(/^%/, "");
  }
  /** Where the last token began (errors about a token point there). */
  start = 0;
  token(): string {
    this.skip();
    this.start = this.pos;
    const m = /^[^\s,()[\]{}]+/.exec(this.text.slice(this.pos));
    if (m === null) this.fail("expected a value");
    this.pos += m[0].length;
    return m[0];
  }
  /** A quoted string or char body, with WAVE's escapes. */
  quoted(q: string): string {
    this.expect(q);
    let out = "";
    for (;;) {
      const c = this.text[this.pos++];
      if (c === undefined) this.fail("unterminated literal");
      if (c === q) return out;
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = this.text[this.pos++];
      const simple: Record<string, string> = {
        n: "\n",
        t: "\t",
        r: "\r",
        "'": "'",
        '"': '"',
        "\\": "\\",
      };
      if (e in simple) out += simple[e];
      else if (e === "u" && this.text[this.pos] === "{") {
        const end = this.text.indexOf("}", this.pos);
        if (end < 0) this.fail("bad \\u{} escape");
        out += String.fromCodePoint(parseInt(this.text.slice(this.pos + 1, end), 16));
        this.pos = end + 1;
      } else this.fail(`bad escape \\${e}`);
    }
  }
}

function list<T>(r: Reader, close: string, item: () => T): T[] {
  const out: T[] = [];
  while (!r.eat(close)) {
    out.push(item());
    if (!r.eat(",")) {
      r.expect(close);
      break;
    }
  }
  return out;
}

function parseValue(r: Reader, t: ValType): unknown {
  switch (t.kind) {
    case "bool": {
      const v = r.token();
      if (v !== "true" && v !== "false") r.bad("expected true or false");
      return v === "true";
    }
    case "u8":
    case "s8":
    case "u16":
    case "s16":
    case "u32":
    case "s32":
    case "u64":
    case "s64": {
      const v = r.token();
      if (!/^[-+]?\d+$/.test(v)) r.bad(`expected a ${t.kind}`);
      const n = BigInt(v);
      const [lo, hi] = RANGES[t.kind];
      if (n < lo || n > hi) r.bad(`${v} is out of range for ${t.kind}`);
      return t.kind === "u64" || t.kind === "s64" ? n : Number(n);
    }
    case "f32":
    case "f64": {
      const v = r.token();
      if (v === "nan") return NaN;
      if (v === "inf") return Infinity;
      if (v === "-inf") return -Infinity;
      if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) r.bad(`expected a ${t.kind}`);
      return t.kind === "f32" ? Math.fround(Number(v)) : Number(v);
    }
    case "char": {
      const s = r.quoted("'");
      if ([...s].length !== 1) r.fail("expected one character");
      return s;
    }
    case "string":
      return r.quoted('"');
    case "list": {
      r.expect("[");
      const items = list(r, "]", () => parseValue(r, t.element));
      const typed = TYPED_ARRAYS[t.element.kind] as unknown as
        | { from(items: unknown[]): ArrayLike<unknown> }
        | undefined;
      return typed !== undefined ? typed.from(items) : items;
    }
    default:
      return parseCompound(r, t);
  }
}

function parseCompound(r: Reader, t: ValType): unknown {
  switch (t.kind) {
    case "record": {
      r.expect("{");
      const out: Record<string, unknown> = {};
      const seen = new Set<string>();
      list(r, "}", () => {
        const name = r.label();
        const f = t.fields.find((x) => x.name === name);
        if (f === undefined) r.fail(`no field ${name}`);
        r.expect(":");
        out[camel(name)] = parseValue(r, f.type);
        seen.add(name);
      });
      for (const f of t.fields) {
        if (!seen.has(f.name) && f.type.kind !== "option") r.fail(`missing field ${f.name}`);
      }
      return out;
    }
    case "variant": {
      const name = r.label();
      const c = t.cases.find((x) => x.name === name);
      if (c === undefined) r.fail(`no case ${name}`);
      if (c.type === null) return { tag: name };
      r.expect("(");
      const val = parseValue(r, c.type);
      r.expect(")");
      return { tag: name, val };
    }
    case "enum": {
      const name = r.label();
      if (!t.names.includes(name)) r.fail(`no case ${name}`);
      return name;
    }
    case "option": {
      const name = r.label();
      if (name === "none") return undefined;
      if (name !== "some") r.fail("expected some(…) or none");
      r.expect("(");
      const v = parseValue(r, t.type);
      r.expect(")");
      return v;
    }
    case "result": {
      const name = r.label();
      if (name !== "ok" && name !== "err") r.fail("expected ok or err");
      const payload = name === "ok" ? t.ok : t.error;
      if (payload === null || r.peek() !== "(") return { tag: name };
      r.expect("(");
      const val = parseValue(r, payload);
      r.expect(")");
      return { tag: name, val };
    }
    case "flags": {
      r.expect("{");
      const out: Record<string, boolean> = Object.fromEntries(
        t.names.map((n) => [camel(n), false]),
      );
      list(r, "}", () => {
        const name = r.label();
        if (!t.names.includes(name)) r.fail(`no flag ${name}`);
        out[camel(name)] = true;
      });
      return out;
    }
    case "tuple": {
      r.expect("(");
      const out: unknown[] = [];
      t.types.forEach((ty, i) => {
        if (i > 0) r.expect(",");
        out.push(parseValue(r, ty));
      });
      r.eat(",");
      r.expect(")");
      return out;
    }
    default:
      return r.fail(`values of type ${t.kind} cannot be written in WAVE`);
  }
}

/** Parses `name(arg, …)`: the function name and the argument texts' values by `params`. */
export function parseCall(
  text: string,
  params: (name: string) => readonly { type: ValType }[] | null,
): { name: string; args: unknown[] } {
  const r = new Reader(text);
  const name = r.label();
  const types = params(name);
  if (types === null) return r.fail(`no exported function ${name}`);
  r.expect("(");
  const args: unknown[] = [];
  types.forEach((p, i) => {
    if (i > 0) r.expect(",");
    args.push(parseValue(r, p.type));
  });
  r.eat(",");
  r.expect(")");
  if (r.peek() !== "") r.fail("unexpected text after the call");
  return { name, args };
}

const escape = (s: string, q: string) =>
  s.replace(/[\\\n\t\r]/g, (c) => ({ "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r" })[c]!)
    .replaceAll(q, `\\${q}`);

/** Prints `v` (a jco JS value of type `t`) as WAVE. */
export function formatValue(v: unknown, t: ValType): string {
  switch (t.kind) {
    case "bool":
      return String(v);
    case "f32":
    case "f64": {
      const n = v as number;
      return Number.isNaN(n)
        ? "nan"
        : n === Infinity
        ? "inf"
        : n === -Infinity
        ? "-inf"
        : String(n);
    }
    case "char":
      return `'${escape(v as string, "'")}'`;
    case "string":
      return `"${escape(v as string, '"')}"`;
    case "list":
      return `[${
        Array.from(v as ArrayLike<unknown>, (x) => formatValue(x, t.element)).join(", ")
      }]`;
    case "tuple":
      return `(${t.types.map((ty, i) => formatValue((v as unknown[])[i], ty)).join(", ")})`;
    case "record":
      return `{${
        t.fields.filter((f) => (v as Record<string, unknown>)[camel(f.name)] !== undefined)
          .map((f) =>
            `${f.name}: ${formatValue((v as Record<string, unknown>)[camel(f.name)], f.type)}`
          )
          .join(", ")
      }}`;
    case "variant": {
      const { tag, val } = v as { tag: string; val?: unknown };
      const c = t.cases.find((x) => x.name === tag);
      return c?.type ? `${tag}(${formatValue(val, c.type)})` : tag;
    }
    case "enum":
      return v as string;
    case "option":
      return v === undefined || v === null ? "none" : `some(${formatValue(v, t.type)})`;
    case "result": {
      const { tag, val } = v as { tag: "ok" | "err"; val?: unknown };
      const payload = tag === "ok" ? t.ok : t.error;
      return payload === null ? tag : `${tag}(${formatValue(val, payload)})`;
    }
    case "flags":
      return `{${t.names.filter((n) => (v as Record<string, boolean>)[camel(n)]).join(", ")}}`;
    default:
      return String(v);
  }
}
