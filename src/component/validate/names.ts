/**
 * Names of the component model (Explainer.md "Import and Export
 * Definitions"): kebab-case labels, `[constructor]`/`[method]`/`[static]`
 * annotated names, interface names (`ns:pkg/iface@1.0.0`), dependency,
 * URL and integrity-hash names; and the "strongly-unique" comparison of
 * names within one scope (labels compare ASCII-case-insensitively, and
 * `[method]a.a` clashes with `a`).
 *
 * @module
 */

/** True when `s` is a kebab-case label: words of lowercase or uppercase letters and digits. */
export function isKebab(s: string): boolean {
  if (s.length === 0 || s.endsWith("-")) return false;
  let lower = false, upper = false, first = true, digit = false;
  for (const c of s) {
    if (c >= "a" && c <= "z") {
      if (upper) return false;
      lower = true;
    } else if (c >= "A" && c <= "Z") {
      if (lower) return false;
      upper = true;
    } else if (c >= "0" && c <= "9") {
      if (!lower && !upper && first) return false;
      digit = true;
    } else if (c === "-") {
      if (!lower && !upper && !digit) return false;
      lower = upper = digit = false;
      first = false;
    } else return false;
  }
  return true;
}

/** The kinds of names. */
export type NameKind =
  | "label"
  | "constructor"
  | "method"
  | "static"
  | "interface"
  | "dependency"
  | "url"
  | "hash";

/** A parsed import or export name. */
export interface ComponentName {
  readonly raw: string;
  readonly kind: NameKind;
  /** For constructors, methods and statics: the resource's label. */
  readonly resource?: string;
  /** For methods and statics: the function's label. */
  readonly method?: string;
}

/** A malformed name; `message` is wasm-tools' wording. */
export class NameError extends Error {}

const CONSTRUCTOR = "[constructor]";
const METHOD = "[method]";
const STATIC = "[static]";

/** Parses an import or export name. Throws {@link NameError}. */
export function parseComponentName(name: string): ComponentName {
  const p = new NameParser(name);
  const kind = p.parse();
  if (p.next !== "") throw new NameError(`trailing characters found: \`${p.next}\``);
  if (kind === "constructor") return { raw: name, kind, resource: name.slice(CONSTRUCTOR.length) };
  if (kind === "method" || kind === "static") {
    const f = name.slice(kind === "method" ? METHOD.length : STATIC.length);
    const dot = f.indexOf(".");
    return { raw: name, kind, resource: f.slice(0, dot), method: f.slice(dot + 1) };
  }
  return { raw: name, kind };
}

/**
 * The key two names share exactly when they are not strongly-unique
 * (wasm-tools' equality of names).
 */
export function nameKey(n: ComponentName): string {
  switch (n.kind) {
    case "label":
      return `l:${n.raw.toLowerCase()}`;
    case "constructor":
      return `c:${n.resource!.toLowerCase()}`;
    case "method":
    case "static":
      if (n.resource!.toLowerCase() === n.method!.toLowerCase()) {
        return `l:${n.resource!.toLowerCase()}`;
      }
      return `m:${n.resource}.${n.method}`;
    default:
      return `${n.kind}:${n.raw}`;
  }
}

class NameParser {
  next: string;
  constructor(s: string) {
    this.next = s;
  }

  parse(): NameKind {
    if (this.eat(CONSTRUCTOR)) {
      this.expectKebab();
      return "constructor";
    }
    if (this.eat(METHOD) || this.eat(STATIC)) {
      const kind = this.lastEaten === METHOD ? "method" : "static";
      const resource = this.takeUntil(".");
      this.kebab(resource);
      this.expectKebab();
      return kind;
    }
    if (this.eat("unlocked-dep=")) {
      this.expect("<");
      this.pkgNameQuery();
      this.expect(">");
      return "dependency";
    }
    if (this.eat("locked-dep=")) {
      this.expect("<");
      this.pkgName(false);
      this.expect(">");
      this.optionalHash();
      return "dependency";
    }
    if (this.eat("url=")) {
      this.expect("<");
      const url = this.takeUpTo(">");
      if (url.includes("<")) throw new NameError("url cannot contain `<`");
      this.expect(">");
      this.optionalHash();
      return "url";
    }
    if (this.eat("integrity=")) {
      this.expect("<");
      this.hash();
      this.expect(">");
      return "hash";
    }
    if (this.next.includes(":")) {
      this.pkgName(true);
      return "interface";
    }
    this.expectKebab();
    return "label";
  }

  private lastEaten = "";

  private eat(prefix: string): boolean {
    if (!this.next.startsWith(prefix)) return false;
    this.next = this.next.slice(prefix.length);
    this.lastEaten = prefix;
    return true;
  }

  private expect(prefix: string): void {
    if (!this.eat(prefix)) throw new NameError(`expected \`${prefix}\` at \`${this.next}\``);
  }

  private takeUpTo(c: string): string {
    const i = this.next.indexOf(c);
    if (i < 0) throw new NameError(`failed to find \`${c}\` character`);
    const s = this.next.slice(0, i);
    this.next = this.next.slice(i);
    return s;
  }

  private takeUntil(c: string): string {
    const s = this.takeUpTo(c);
    this.next = this.next.slice(c.length);
    return s;
  }

  private kebab(s: string): string {
    if (!isKebab(s)) throw new NameError(`\`${s}\` is not in kebab case`);
    return s;
  }

  private expectKebab(): string {
    const s = this.next;
    this.next = "";
    return this.kebab(s);
  }

  private takeKebab(): string {
    const m = /[^a-zA-Z0-9-]/.exec(this.next);
    if (m === null) return this.expectKebab();
    const s = this.next.slice(0, m.index);
    this.next = this.next.slice(m.index);
    return this.kebab(s);
  }

  private takeLowercaseKebab(): string {
    const s = this.takeKebab();
    for (const c of s) {
      if (c >= "A" && c <= "Z") {
        throw new NameError(`character \`${c}\` is not lowercase in package name/namespace`);
      }
    }
    return s;
  }

  private pkgPath(requireProjection: boolean): void {
    this.takeLowercaseKebab();
    this.expect(":");
    this.takeLowercaseKebab();
    if (this.next.startsWith("/")) {
      this.expect("/");
      this.takeKebab();
    } else if (requireProjection) {
      throw new NameError("expected `/` after package name");
    }
  }

  private pkgName(interfaceName: boolean): void {
    this.pkgPath(interfaceName);
    if (this.eat("@")) {
      const i = this.next.indexOf(">");
      let version: string;
      if (i >= 0) {
        version = this.next.slice(0, i);
        this.next = this.next.slice(i);
      } else {
        version = this.next;
        this.next = "";
      }
      if (!interfaceName) semver(version);
    }
  }

  private pkgNameQuery(): void {
    this.pkgPath(false);
    if (this.eat("@")) {
      if (this.eat("*")) return;
      this.expect("{");
      const range = this.takeUpTo("}");
      this.expect("}");
      semverRange(range);
    }
  }

  private optionalHash(): void {
    if (!this.eat(",")) return;
    this.expect("integrity=<");
    this.hash();
    this.expect(">");
  }

  private hash(): void {
    const integrity = this.takeUpTo(">");
    let any = false;
    for (const h of integrity.split(/\s+/).filter((x) => x !== "")) {
      any = true;
      const alg = ["sha256", "sha384", "sha512"].find((a) => h.startsWith(a));
      if (alg === undefined) throw new NameError(`unrecognized hash algorithm: \`${h}\``);
      let rest = h.slice(alg.length);
      if (!rest.startsWith("-")) throw new NameError(`expected \`-\` after hash algorithm: ${h}`);
      rest = rest.slice(1);
      const q = rest.indexOf("?");
      const b64 = q < 0 ? rest : rest.slice(0, q);
      if (!/^[0-9a-zA-Z+/]+={0,2}$/.test(b64)) throw new NameError(`not valid base64: \`${b64}\``);
    }
    if (!any) throw new NameError("integrity hash cannot be empty");
  }
}

function semverRange(range: string): void {
  if (range === "*") return;
  if (range.startsWith(">=")) {
    const r = range.slice(2);
    const sp = r.indexOf(" ");
    semver(sp < 0 ? r : r.slice(0, sp));
    if (sp >= 0) {
      const upper = r.slice(sp + 1);
      if (!upper.startsWith("<")) {
        throw new NameError("expected `<` at start of version range upper bounds");
      }
      semver(upper.slice(1));
    }
  } else if (range.startsWith("<")) {
    semver(range.slice(1));
  } else {
    throw new NameError("expected `>=` or `<` at start of version range");
  }
}

/**
 * Checks a semantic version (semver.org); throws {@link NameError} with the
 * wording of the Rust `semver` crate, which wasm-tools uses.
 */
export function semver(s: string): void {
  const e = semverError(s);
  if (e !== null) throw new NameError(`\`${s}\` is not a valid semver: ${e}`);
}

const NUMBER_POS = ["major version number", "minor version number", "patch version number"];

/** What is wrong with a semantic version, or null. */
export function semverError(s: string): string | null {
  if (s === "") return "empty string, expected a semver version";
  let i = 0;
  const ch = (j: number) => JSON.stringify(s[j]).replaceAll('"', "'");
  for (let part = 0; part < 3; part++) {
    const pos = NUMBER_POS[part];
    if (i >= s.length) return `unexpected end of input while parsing ${pos}`;
    const start = i;
    while (i < s.length && s[i] >= "0" && s[i] <= "9") i++;
    if (i === start) return `unexpected character ${ch(i)} while parsing ${pos}`;
    if (s[start] === "0" && i - start > 1) return `invalid leading zero in ${pos}`;
    if (part < 2) {
      if (i >= s.length) return `unexpected end of input while parsing ${NUMBER_POS[part + 1]}`;
      if (s[i] !== ".") return `unexpected character ${ch(i)} after ${pos}`;
      i++;
    }
  }
  const idents = (what: string, pre: boolean): string | null => {
    for (;;) {
      const start = i;
      while (i < s.length && /[0-9A-Za-z-]/.test(s[i])) i++;
      if (i === start) {
        return i >= s.length || s[i] === "." || s[i] === "+"
          ? `empty identifier segment in ${what}`
          : `unexpected character ${ch(i)} while parsing ${what}`;
      }
      const seg = s.slice(start, i);
      if (pre && /^0[0-9]+$/.test(seg)) return `invalid leading zero in ${what}`;
      if (i < s.length && s[i] === ".") {
        i++;
        continue;
      }
      return null;
    }
  };
  if (s[i] === "-") {
    i++;
    const e = idents("pre-release identifier", true);
    if (e !== null) return e;
  }
  if (s[i] === "+") {
    i++;
    const e = idents("build metadata", false);
    if (e !== null) return e;
  }
  if (i < s.length) {
    const after = s.includes("+")
      ? "build metadata"
      : s.includes("-")
      ? "pre-release identifier"
      : "patch version number";
    return `unexpected character ${ch(i)} after ${after}`;
  }
  return null;
}

/** The version part of an interface name (after `@`), with a version suffix appended. */
export function interfaceVersion(name: string, suffix: string | null): string | null {
  const at = name.indexOf("@");
  if (at < 0) return null;
  return name.slice(at + 1) + (suffix ?? "");
}
