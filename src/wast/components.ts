/**
 * Component commands of WAST scripts: `(component …)` (text, binary,
 * quote), `(component definition $C …)` / `(component instance $i $C)`,
 * `invoke` of component exports with component values, `assert_return`,
 * `assert_trap` (on a call or on instantiation), `assert_invalid` and
 * `assert_malformed`.
 *
 * Assertions on components check the expected message too (a substring,
 * as wasmtime's runner does): the suite is written against wasm-tools'
 * wording, which Gannet's component decoder and validator use. Where
 * Gannet's core text and core decoder word a problem as the spec's
 * reference interpreter does, {@link MESSAGE_ALIASES} says so.
 *
 * Core modules inside components are compiled with every core proposal
 * on: component-model scripts are written for wasmtime's defaults (wasm
 * 3.0 and threads), not for the wasm 2.0 baseline of the core scripts.
 *
 * @module
 */
import { ALL_FEATURES, type Features } from "../binary/features.ts";
import { CompileError, LinkError, RuntimeError } from "../errors.ts";
import { WatSyntaxError } from "../text/errors.ts";
import { wastModuleBytes } from "../text/wast.ts";
import type { WastAction, WastCommand, WastModuleSource } from "../text/wast_types.ts";
import { decodeComponent } from "../component/binary/decode.ts";
import { validateComponent } from "../component/validate/validate.ts";
import { Component, componentInternals } from "../component/component.ts";
import { instantiateDef } from "../component/instantiate.ts";
import type { RuntimeInstance } from "../component/runtime_values.ts";
import {
  matchesJs,
  scriptValue,
  showJs,
  showValue,
  toJs,
  UnsupportedValue,
} from "./component_values.ts";
import type { ScriptInstance, Session } from "./runner.ts";

/**
 * Gannet's wording → wasm-tools' wording, for problems that Gannet reports
 * in the spec reference interpreter's words (core text lexer, core decoder).
 */
export const MESSAGE_ALIASES: Readonly<Record<string, string>> = {
  "illegal escape": "invalid string escape",
  "unexpected content after last section": "section out of order",
};

/** A component instance a script made. */
export class ComponentScriptInstance implements ScriptInstance {
  /** Components have no core-style exports object. */
  readonly exports: Record<string, unknown> = {};
  /** The instance's exports by name. */
  readonly runtime: RuntimeInstance;
  constructor(runtime: RuntimeInstance) {
    this.runtime = runtime;
  }
}

/** Thrown for assertions outside the runner's scope. */
export class SkipComponent extends Error {}

/**
 * A decoded and validated script component. The `Component` (which
 * prepares instantiation) is made when it is first instantiated, so that a
 * definition only has to be valid.
 */
export class ScriptComponent {
  readonly bytes: Uint8Array;
  readonly features: Readonly<Features>;
  private compiled: Component | null = null;
  constructor(bytes: Uint8Array, features: Readonly<Features>) {
    this.bytes = bytes;
    this.features = features;
  }
  /** The component, ready to instantiate. */
  component(): Component {
    this.compiled ??= new Component(this.bytes, { features: { ...this.features } });
    return this.compiled;
  }
}

const definitions = new WeakMap<Session, Map<string, ScriptComponent>>();

function definitionsOf(s: Session): Map<string, ScriptComponent> {
  let m = definitions.get(s);
  if (m === undefined) definitions.set(s, m = new Map());
  return m;
}

/** Decodes and validates a script's component. */
export function compileComponent(s: Session, src: WastModuleSource): ScriptComponent {
  const features = { ...ALL_FEATURES, componentModel: s.features.componentModel };
  const bytes = wastModuleBytes(src);
  validateComponent(decodeComponent(bytes, features), features);
  return new ScriptComponent(bytes, features);
}

/** Instantiates a script's component (its imports come from registered component instances). */
export function instantiate(s: Session, c: ScriptComponent): ComponentScriptInstance {
  const runtime = instantiateDef(componentInternals(c.component()), (name, desc) => {
    const registered = s.registry.get(name) as unknown;
    if (registered instanceof ComponentScriptInstance && desc.kind === "instance") {
      return { sort: "instance", value: registered.runtime };
    }
    throw new LinkError(`missing import "${name}"`);
  }, null);
  return new ComponentScriptInstance(runtime);
}

function isComponentSource(m: unknown): boolean {
  return typeof m === "object" && m !== null && (m as WastModuleSource).component === true;
}

/** True when `c` is a component command (or acts on a component instance). */
export function isComponentCommand(s: Session, c: WastCommand): boolean {
  switch (c.type) {
    case "module":
    case "assert_invalid":
    case "assert_malformed":
    case "assert_unlinkable":
    case "assert_trap_module":
      return isComponentSource(c.module);
    case "module_instance":
      return c.component === true;
    case "action":
    case "assert_return":
    case "assert_trap":
    case "assert_exhaustion":
      return s.instance(c.action.module) instanceof ComponentScriptInstance;
    default:
      return false;
  }
}

function invoke(
  s: Session,
  a: WastAction,
): { result: unknown; type: import("../component/types.ts").FuncType } {
  if (a.type !== "invoke") throw new SkipComponent("`get` of a component export");
  const inst = s.instance(a.module);
  if (!(inst instanceof ComponentScriptInstance)) throw new Error("not a component instance");
  const ext = inst.runtime.get(a.field);
  if (ext === undefined || ext.sort !== "func") throw new Error(`no function export "${a.field}"`);
  const f = ext.value;
  if (a.args.length !== f.type.params.length) {
    throw new Error(`expected ${f.type.params.length} arguments, got ${a.args.length}`);
  }
  let args: unknown[];
  try {
    args = a.args.map((v, i) => toJs(scriptValue(v), f.type.params[i].type));
  } catch (e) {
    if (e instanceof UnsupportedValue) throw new SkipComponent(e.message);
    throw e;
  }
  const result = f.call !== null ? f.call(null, args) : f.js(...args);
  return { result, type: f.type };
}

/** Whether `message` says what `expected` says (directly or through an alias). */
export function messageMatches(message: string, expected: string): boolean {
  if (message.includes(expected)) return true;
  for (const [ours, theirs] of Object.entries(MESSAGE_ALIASES)) {
    if (expected.includes(theirs) && message.includes(ours)) return true;
  }
  return false;
}

function expectFailure(
  f: () => unknown,
  ok: (e: unknown) => boolean,
  what: string,
  text: string,
): void {
  try {
    f();
  } catch (e) {
    if (e instanceof SkipComponent) throw e;
    if (!ok(e)) {
      throw new Error(
        `expected ${what}, got ${e instanceof Error ? `${e.name}: ${e.message}` : e}`,
      );
    }
    const message = (e as Error).message;
    if (!messageMatches(message, text)) {
      throw new Error(`expected "${text}", got ${(e as Error).name}: ${message}`);
    }
    return;
  }
  throw new Error(`expected ${what} "${text}", got success`);
}

const isCompileError = (e: unknown) => e instanceof CompileError || e instanceof WatSyntaxError;
const isTrap = (e: unknown) => e instanceof RuntimeError;

/** The text of a trap assertion without wasmtime's `wasm trap: ` prefix. */
function trapText(text: string): string {
  return text.startsWith("wasm trap: ") ? text.slice("wasm trap: ".length) : text;
}

/** Runs a component command; "pass" for a passed assertion, "none" for another command. */
export function runComponentCommand(s: Session, c: WastCommand): "pass" | "none" {
  switch (c.type) {
    case "module": {
      const comp = compileComponent(s, c.module);
      if (c.definition) {
        if (c.name !== null) definitionsOf(s).set(c.name, comp);
        return "none";
      }
      const inst = instantiate(s, comp);
      s.current = inst;
      if (c.name !== null) s.instances.set(c.name, inst);
      return "none";
    }
    case "module_instance": {
      const def = c.module === null ? undefined : definitionsOf(s).get(c.module);
      if (def === undefined) throw new Error(`unknown component definition ${c.module}`);
      const inst = instantiate(s, def);
      s.current = inst;
      if (c.instance !== null) s.instances.set(c.instance, inst);
      return "none";
    }
    case "action":
      invoke(s, c.action);
      return "none";
    case "assert_return": {
      const { result, type } = invoke(s, c.action);
      if (c.expected.length === 0) {
        if (type.result !== null) throw new Error(`expected no result, got ${showJs(result)}`);
        return "pass";
      }
      if (c.expected.length > 1 || type.result === null) {
        throw new Error(
          `expected ${c.expected.length} results, the function has ${type.result === null ? 0 : 1}`,
        );
      }
      const e = c.expected[0];
      if ("nan" in e || e.type === "either" || !("type" in e)) {
        throw new SkipComponent("result pattern");
      }
      const want = scriptValue(e as never);
      let ok: boolean;
      try {
        ok = matchesJs(result, want, type.result);
      } catch (err) {
        if (err instanceof UnsupportedValue) throw new SkipComponent(err.message);
        throw err;
      }
      if (!ok) throw new Error(`got ${showJs(result)}, expected ${showValue(want)}`);
      return "pass";
    }
    case "assert_trap":
    case "assert_exhaustion":
      expectFailure(() => invoke(s, c.action), isTrap, "a trap", trapText(c.text));
      return "pass";
    case "assert_trap_module":
      expectFailure(
        () => instantiate(s, compileComponent(s, c.module)),
        isTrap,
        "a trap",
        trapText(c.text),
      );
      return "pass";
    case "assert_invalid":
    case "assert_malformed":
      expectFailure(() => compileComponent(s, c.module), isCompileError, "a CompileError", c.text);
      return "pass";
    case "assert_unlinkable": {
      const comp = compileComponent(s, c.module);
      expectFailure(
        () => instantiate(s, comp),
        (e) => e instanceof LinkError,
        "a LinkError",
        c.text,
      );
      return "pass";
    }
    default:
      throw new SkipComponent(`${c.type} with components`);
  }
}
