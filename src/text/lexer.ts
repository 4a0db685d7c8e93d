/**
 * The text format's lexer and S-expression reader. Tokens follow the spec's
 * maximal-munch rule: a run of identifier characters and strings with no
 * whitespace, parenthesis or comment between them is ONE token, and unless
 * it is exactly a keyword, number, identifier (`$x` or `$"x"`) or string it
 * is a reserved token (rejected wherever it is used). Comments (`;; …`,
 * nested `(; … ;)`) and annotations (`(@id …)`) are dropped here, except
 * `@custom` and `@metadata.code.branch_hint`, which {@link readSexprsLenient}
 * collects for the module parser.
 *
 * @module
 */
import { syntaxError } from "./errors.ts";
import { decodeString, isValidUtf8, scanString, StringProblem, utf8ToString } from "./strings.ts";

/** Kinds of atoms. `num` is anything that matches the numeric literal grammar. */
export type AtomKind = "keyword" | "id" | "num" | "string" | "reserved";

/** A token other than a parenthesis. */
export interface SAtom {
  readonly kind: AtomKind;
  /** Raw text; for `id` the name without `$` (decoded for `$"…"`). */
  readonly text: string;
  /** Offset of the first character. */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
}

/** A parenthesised list. */
export interface SList {
  readonly kind: "list";
  readonly items: SNode[];
  /** Offset of `(`. */
  readonly start: number;
  /** Offset just past `)`. */
  end: number;
}

/** A node of the S-expression tree. */
export type SNode = SAtom | SList;

/**
 * True when `n` is an atom that can spell a literal: a keyword, number or
 * reserved token (not an identifier or a string).
 */
export function isLiteralAtom(n: SNode | undefined): n is SAtom {
  return n !== undefined && (n.kind === "keyword" || n.kind === "num" || n.kind === "reserved");
}

// Identifier characters: printable ASCII except space " ( ) , ; [ ] { }
const IDCHAR = new Uint8Array(128);
for (let c = 0x21; c < 0x7f; c++) IDCHAR[c] = 1;
for (const ch of '"(),;[]{}') IDCHAR[ch.charCodeAt(0)] = 0;

/** The branch hinting proposal's annotation id. */
const BRANCH_HINT = "metadata.code.branch_hint";
/** The annotations proposal's name annotation id. */
const NAME = "name";

const DEC = "[0-9](?:_?[0-9])*";
const HEX = "[0-9a-fA-F](?:_?[0-9a-fA-F])*";
const NUMBER = new RegExp(
  `^[+-]?(?:${DEC}(?:\\.(?:${DEC})?)?(?:[eE][+-]?${DEC})?` +
    `|0x${HEX}(?:\\.(?:${HEX})?)?(?:[pP][+-]?${DEC})?|inf|nan|nan:0x${HEX})$`,
);

/** True when `text` matches the numeric literal grammar (integer or float). */
export function isNumberToken(text: string): boolean {
  return NUMBER.test(text);
}

/**
 * Reads `source` into a list of top-level S-expressions. Throws a
 * `WatSyntaxError` for lexical problems and unbalanced parentheses.
 */
export function readSexprs(source: string): SNode[] {
  const r = new Reader(source);
  const nodes = r.readAll();
  if (r.stray !== null) throw r.stray;
  return nodes;
}

/**
 * Like {@link readSexprs}, but a stray `)` does not throw: reading stops
 * there and the error is returned, so that the caller can first report a
 * problem inside the well-formed part (as the reference parser, which
 * reads incrementally, would).
 */
export function readSexprsLenient(
  source: string,
): { nodes: SNode[]; stray: Error | null; customs: SList[]; hints: SList[]; names: SList[] } {
  const r = new Reader(source);
  r.customs = [];
  r.hints = [];
  r.names = [];
  const nodes = r.readAll();
  return { nodes, stray: r.stray, customs: r.customs, hints: r.hints, names: r.names };
}

/** Decodes a `string` atom to its bytes. */
export function stringBytes(source: string, atom: SAtom): Uint8Array {
  return decodeString(source, atom.start, atom.end);
}

class Reader {
  readonly src: string;
  pos = 0;
  /** The error for a `)` without a matching `(`, where reading stopped. */
  stray: Error | null = null;
  /**
   * When not null, `(@custom …)` annotations at module-field level are kept
   * here (their items without the `@custom` id) instead of being skipped.
   */
  customs: SList[] | null = null;
  /**
   * When not null, `(@metadata.code.branch_hint …)` annotations (anywhere)
   * are kept here, without their id: their source position tells which
   * instruction they hint.
   */
  hints: SList[] | null = null;
  /** When not null, `(@name …)` annotations (anywhere) are kept here, without their id. */
  names: SList[] | null = null;

  constructor(src: string) {
    this.src = src;
  }

  fail(at: number, reason: string): never {
    throw syntaxError(this.src, at, reason);
  }

  readAll(): SNode[] {
    const root: SNode[] = [];
    const stack: SList[] = [];
    let items = root;
    const src = this.src;
    for (;;) {
      this.skipSpace();
      if (this.pos >= src.length) break;
      const c = src.charCodeAt(this.pos);
      if (c === 0x28) {
        if (src.charCodeAt(this.pos + 1) === 0x40) {
          if (this.customs !== null && this.isCustom()) {
            // Only module fields may be custom sections.
            const h = stack[0]?.items[0];
            const top = stack.length === 0 ||
              (stack.length === 1 && h?.kind === "keyword" && h.text === "module");
            if (!top) this.fail(this.pos, "misplaced @custom annotation");
            const list: SList = { kind: "list", items: [], start: this.pos, end: -1 };
            this.customs.push(list);
            stack.push(list);
            items = list.items;
            this.pos += 8;
            continue;
          }
          if (this.hints !== null && this.isAnnotation(BRANCH_HINT)) {
            const list: SList = { kind: "list", items: [], start: this.pos, end: -1 };
            this.hints.push(list);
            stack.push(list);
            items = list.items;
            this.pos += 2 + BRANCH_HINT.length;
            continue;
          }
          if (this.names !== null && this.isAnnotation(NAME)) {
            const list: SList = { kind: "list", items: [], start: this.pos, end: -1 };
            this.names.push(list);
            stack.push(list);
            items = list.items;
            this.pos += 2 + NAME.length;
            continue;
          }
          this.skipAnnotation();
          continue;
        }
        const list: SList = { kind: "list", items: [], start: this.pos, end: -1 };
        items.push(list);
        stack.push(list);
        items = list.items;
        this.pos++;
      } else if (c === 0x29) {
        const list = stack.pop();
        if (list === undefined) {
          this.stray = syntaxError(this.src, this.pos, "unexpected token");
          return root;
        }
        this.pos++;
        list.end = this.pos;
        items = stack.length === 0 ? root : stack[stack.length - 1].items;
      } else {
        items.push(this.readAtom());
      }
    }
    if (stack.length > 0) this.fail(stack[stack.length - 1].start, "unexpected end of input");
    return root;
  }

  /** True at `(@custom` followed by a delimiter. */
  isCustom(): boolean {
    if (!this.src.startsWith("(@custom", this.pos)) return false;
    const c = this.src.charCodeAt(this.pos + 8);
    return !(c < 128 && IDCHAR[c] === 1) && c !== 0x22;
  }

  /** True at `(@` + `id` followed by a delimiter. */
  isAnnotation(id: string): boolean {
    if (!this.src.startsWith(id, this.pos + 2)) return false;
    const c = this.src.charCodeAt(this.pos + 2 + id.length);
    return !(c < 128 && IDCHAR[c] === 1) && c !== 0x22;
  }

  /** Skips whitespace and comments; rejects characters that cannot start a token. */
  skipSpace(): void {
    const src = this.src;
    const n = src.length;
    while (this.pos < n) {
      const c = src.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
        this.pos++;
      } else if (c === 0x3b && src.charCodeAt(this.pos + 1) === 0x3b) {
        // A line comment ends at a line feed or a carriage return.
        let end = this.pos + 2;
        while (end < n) {
          const ch = src.charCodeAt(end);
          if (ch === 0x0a || ch === 0x0d) break;
          end++;
        }
        this.checkCommentText(this.pos, end);
        this.pos = end;
      } else if (c === 0x28 && src.charCodeAt(this.pos + 1) === 0x3b) {
        this.skipBlockComment();
      } else {
        return;
      }
    }
  }

  /** Comments may hold any character, but not malformed UTF-8. */
  checkCommentText(from: number, to: number): void {
    const src = this.src;
    for (let i = from; i < to; i++) {
      const c = src.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdfff) {
        if (c <= 0xdbff && (src.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
        else this.fail(i, "malformed UTF-8 encoding");
      }
    }
  }

  skipBlockComment(): void {
    const src = this.src;
    const start = this.pos;
    let depth = 0;
    let i = this.pos;
    for (;;) {
      const open = src.indexOf("(;", i);
      const close = src.indexOf(";)", i);
      if (close === -1) this.fail(start, "unclosed comment");
      if (open !== -1 && open < close) {
        depth++;
        i = open + 2;
      } else {
        depth--;
        i = close + 2;
        if (depth === 0) break;
      }
    }
    this.checkCommentText(start, i);
    this.pos = i;
  }

  /** Skips `(@id …)` with balanced parentheses; its tokens must still be well-formed. */
  skipAnnotation(): void {
    const src = this.src;
    const start = this.pos;
    this.pos += 2;
    const c = src.charCodeAt(this.pos);
    if (c === 0x22) {
      const end = this.scanStringAt(this.pos);
      const bytes = decodeString(src, this.pos, end);
      if (!isValidUtf8(bytes)) this.fail(this.pos, "malformed UTF-8 encoding");
      if (bytes.length === 0) this.fail(this.pos, "empty annotation id");
      this.pos = end;
    } else if (c < 128 && IDCHAR[c] === 1) {
      this.skipChunk();
    } else {
      this.fail(this.pos, "empty annotation id");
    }
    let depth = 1;
    while (depth > 0) {
      this.skipSpace();
      if (this.pos >= src.length) this.fail(start, "unclosed annotation");
      const ch = src.charCodeAt(this.pos);
      if (ch === 0x28) {
        depth++;
        this.pos++;
        if (src.charCodeAt(this.pos) === 0x40) this.pos++;
      } else if (ch === 0x29) {
        depth--;
        this.pos++;
      } else {
        this.skipChunk();
      }
    }
  }

  /** Skips one token inside an annotation: its characters must be legal, its shape is free. */
  skipChunk(): void {
    const src = this.src;
    const start = this.pos;
    let i = start;
    for (;;) {
      const c = src.charCodeAt(i);
      if (c < 128 && IDCHAR[c] === 1) i++;
      else if (c === 0x22) i = this.scanStringAt(i);
      else if (c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d) i++;
      else if (c === 0x3b && src.charCodeAt(i + 1) !== 0x3b) i++;
      else break;
    }
    if (i === start) this.illegal(i);
    this.pos = i;
  }

  illegal(i: number): never {
    const c = this.src.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) this.fail(i, "malformed UTF-8 encoding");
    this.fail(i, "illegal character");
  }

  scanStringAt(at: number): number {
    try {
      return scanString(this.src, at);
    } catch (e) {
      if (e instanceof StringProblem) this.fail(e.at, e.message);
      throw e;
    }
  }

  /** Reads one maximal run of identifier characters and strings, and classifies it. */
  readAtom(): SAtom {
    const src = this.src;
    const start = this.pos;
    let i = start;
    let strings = 0;
    let other = false; // reserved characters such as `,` or a lone `;`
    for (;;) {
      const c = src.charCodeAt(i);
      if (c < 128 && IDCHAR[c] === 1) {
        i++;
      } else if (c === 0x22) {
        i = this.scanStringAt(i);
        strings++;
      } else if (c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d) {
        other = true;
        i++;
      } else if (c === 0x3b && src.charCodeAt(i + 1) !== 0x3b) {
        other = true;
        i++;
      } else {
        break;
      }
    }
    if (i === start) {
      const c = src.charCodeAt(i);
      if (
        c >= 0xd800 && c <= 0xdfff && !(c <= 0xdbff && (src.charCodeAt(i + 1) & 0xfc00) === 0xdc00)
      ) {
        this.fail(i, "malformed UTF-8 encoding");
      }
      this.fail(i, "illegal character");
    }
    const next = src.charCodeAt(i);
    if (next >= 0x80 || (next < 0x20 && next !== 0x09 && next !== 0x0a && next !== 0x0d)) {
      if (next >= 0xd800 && next <= 0xdfff) this.fail(i, "malformed UTF-8 encoding");
      this.fail(i, "illegal character");
    }
    this.pos = i;
    const first = src.charCodeAt(start);
    if (other) return { kind: "reserved", text: src.slice(start, i), start, end: i };
    if (strings === 0) {
      const text = src.slice(start, i);
      if (first === 0x24) {
        if (i === start + 1) this.fail(start, "empty identifier");
        return { kind: "id", text: text.slice(1), start, end: i };
      }
      if (first >= 0x61 && first <= 0x7a) return { kind: "keyword", text, start, end: i };
      return { kind: NUMBER.test(text) ? "num" : "reserved", text, start, end: i };
    }
    if (
      first === 0x22 && strings === 1 && src.charCodeAt(i - 1) === 0x22 &&
      scanString(src, start) === i
    ) {
      return { kind: "string", text: src.slice(start, i), start, end: i };
    }
    if (
      first === 0x24 && strings === 1 && src.charCodeAt(start + 1) === 0x22 &&
      src.charCodeAt(i - 1) === 0x22
    ) {
      const bytes = decodeString(src, start + 1, i);
      if (!isValidUtf8(bytes)) this.fail(start, "malformed UTF-8 encoding");
      if (bytes.length === 0) this.fail(start, "empty identifier");
      return { kind: "id", text: utf8ToString(bytes), start, end: i };
    }
    if (first === 0x24 && i === start + 1) this.fail(start, "empty identifier");
    return { kind: "reserved", text: src.slice(start, i), start, end: i };
  }
}
