/**
 * Runs WAST spec scripts: modules, registration, actions and every
 * assertion kind the script parser knows; component commands go to
 * `components.ts`. Each assertion counts once
 * (passed, failed or skipped); a failing module or action command counts as
 * a failure too, since the assertions after it would be meaningless.
 *
 * Invocations go through the engine's raw entry point so that NaN payloads
 * survive; modules and imports go through the JS API objects (so linking is
 * exercised as embedders see it).
 *
 * @module
 */

import { isRef } from "../binary/valtype.ts";
import type { Features } from "../binary/features.ts";
import { CompileError, LinkError, RuntimeError } from "../errors.ts";
import { globalOf } from "../api/_internals.ts";
import { Instance } from "../api/instance.ts";
import { Exception } from "../api/exception.ts";
import { Module, moduleInternals } from "../api/module.ts";
import { funcInstOf, invokeRaw, type RawValue } from "../api/exported.ts";
import { globalStore } from "../runtime/globals.ts";
import { WatSyntaxError } from "../text/errors.ts";
import { parseWast, wastModuleBytes } from "../text/wast.ts";
import type { WastAction, WastCommand, WastModuleSource } from "../text/wast_types.ts";
import { validateCustomSections } from "../validate/custom_sections.ts";
import { spectest } from "./spectest.ts";
import { isComponentCommand, runComponentCommand, SkipComponent } from "./components.ts";
import { matches, showExpected, showRaw, toRaw, Unsupported } from "./values.ts";

/** One failed assertion. */
export interface WastFailure {
  /** Script file. */
  file: string;
  /** 1-based line of the command. */
  line: number;
  /** What went wrong. */
  message: string;
}

/** Tallies over one or more scripts. */
export interface WastReport {
  /** Assertions that passed. */
  passed: number;
  /** Assertions (and module/action commands) that failed. */
  failed: number;
  /** Assertions outside Gannet's scope (threads, exceptions, custom annotations). */
  skipped: number;
  /** Each failure. */
  failures: WastFailure[];
}

/** An empty report. */
export function newReport(): WastReport {
  return { passed: 0, failed: 0, skipped: 0, failures: [] };
}

class Skip extends Error {}

/**
 * What a script names as a module instance: an `Instance`, or (in a
 * `thread`) the exports of a module shared with the thread.
 */
export interface ScriptInstance {
  /** The instance's exports. */
  readonly exports: Record<string, unknown>;
}

/** Script state: named modules/instances, the registry, the current instance. */
export class Session {
  /** Features the script's modules are compiled with. */
  readonly features: Readonly<Features>;
  /** Registered module names (`register`), spectest included. */
  readonly registry = new Map<string, Record<string, unknown>>();
  /** Named instances (`(module $M …)`). */
  readonly instances = new Map<string, ScriptInstance>();
  /** Named module definitions. */
  readonly definitions = new Map<string, Module>();
  /** The instance unnamed actions use. */
  current: ScriptInstance | null = null;

  /** A fresh script state with `spectest` registered. */
  constructor(features: Readonly<Features>) {
    this.features = features;
    this.registry.set("spectest", spectest());
  }

  compile(src: WastModuleSource): Module {
    const bytes = wastModuleBytes(src);
    const m = new Module(bytes, { features: { ...this.features } });
    // As the reference interpreter does, known custom sections must be
    // well-formed too (assert_invalid_custom tests that).
    validateCustomSections(moduleInternals(m).struct, this.features);
    return m;
  }

  instantiate(module: Module): Instance {
    const imports: Record<string, Record<string, unknown>> = {};
    for (const imp of Module.imports(module)) {
      if (imports[imp.module] === undefined) {
        // Unknown namespaces are empty objects: the import then fails to link.
        imports[imp.module] = { ...(this.registry.get(imp.module) ?? {}) };
      }
    }
    return new Instance(module, imports);
  }

  instance(name: string | null): ScriptInstance {
    const inst = name === null ? this.current : this.instances.get(name);
    if (!inst) throw new Error(name === null ? "no current module" : `unknown module ${name}`);
    return inst;
  }

  perform(a: WastAction): RawValue[] {
    const inst = this.instance(a.module);
    const ex = inst.exports[a.field];
    if (a.type === "invoke") {
      const fn = funcInstOf(ex);
      if (fn === undefined) throw new Error(`export "${a.field}" is not a function`);
      let args: RawValue[];
      try {
        args = a.args.map(toRaw);
      } catch (e) {
        if (e instanceof Unsupported) throw new Skip(e.message);
        throw e;
      }
      return invokeRaw(fn, args);
    }
    const g = typeof ex === "object" && ex !== null ? globalOf.get(ex) : undefined;
    if (g === undefined) throw new Error(`export "${a.field}" is not a global`);
    const t = g.type.type;
    if (isRef(t)) return [{ ref: globalStore.refs[g.cell] }];
    const n = t === 0x7b ? 4 : t === 0x7e || t === 0x7c ? 2 : 1;
    return [Array.from(globalStore.i32.subarray(2 * g.cell, 2 * g.cell + n))];
  }
}

/** An error as `Name: message`. */
export function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** Runs one command; returns "pass" | "skip", or throws the failure message. */
function runCommand(s: Session, c: WastCommand): "pass" | "skip" | "none" {
  if (isComponentCommand(s, c)) return runComponentCommand(s, c);
  switch (c.type) {
    case "module": {
      const m = s.compile(c.module);
      if (c.definition) {
        if (c.name !== null) s.definitions.set(c.name, m);
        return "none";
      }
      const inst = s.instantiate(m);
      s.current = inst;
      if (c.name !== null) s.instances.set(c.name, inst);
      return "none";
    }
    case "module_instance": {
      const def = c.module === null ? undefined : s.definitions.get(c.module);
      if (def === undefined) throw new Error(`unknown module definition ${c.module}`);
      const inst = s.instantiate(def);
      s.current = inst;
      if (c.instance !== null) s.instances.set(c.instance, inst);
      return "none";
    }
    case "register": {
      const inst = s.instance(c.module);
      s.registry.set(c.as, inst.exports);
      return "none";
    }
    case "action":
      s.perform(c.action);
      return "none";
    case "assert_return": {
      const got = s.perform(c.action);
      if (got.length !== c.expected.length) {
        throw new Error(`expected ${c.expected.length} results, got ${got.length}`);
      }
      for (let i = 0; i < got.length; i++) {
        let ok: boolean;
        try {
          ok = matches(got[i], c.expected[i]);
        } catch (e) {
          if (e instanceof Unsupported) throw new Skip(e.message);
          throw e;
        }
        if (!ok) {
          throw new Error(
            `result ${i}: got ${showRaw(got[i])}, expected ${showExpected(c.expected[i])}`,
          );
        }
      }
      return "pass";
    }
    case "assert_trap":
    case "assert_exhaustion":
      expectError(() => s.perform(c.action), RuntimeError, c.text);
      return "pass";
    case "assert_trap_module":
      expectError(() => s.instantiate(s.compile(c.module)), RuntimeError, c.text);
      return "pass";
    case "assert_invalid":
      expectError(() => s.compile(c.module), CompileError, null);
      return "pass";
    case "assert_malformed":
      expectError(() => s.compile(c.module), Error, null);
      return "pass";
    case "assert_unlinkable": {
      const m = s.compile(c.module);
      expectError(() => s.instantiate(m), LinkError, null);
      return "pass";
    }
    case "assert_invalid_custom":
      expectError(() => s.compile(c.module), CompileError, c.text);
      return "pass";
    case "assert_malformed_custom":
      expectError(() => s.compile(c.module), WatSyntaxError, c.text);
      return "pass";
    case "assert_exception":
      expectError(() => s.perform(c.action), Exception, null);
      return "pass";
    case "thread":
    case "wait":
      return "skip";
  }
}

function expectError(
  f: () => unknown,
  cls: new (...args: never[]) => unknown,
  text: string | null,
): void {
  let result: unknown;
  try {
    result = f();
  } catch (e) {
    if (e instanceof Skip) throw e;
    if (!(e instanceof cls)) throw new Error(`expected ${cls.name}, got ${describe(e)}`);
    if (text !== null && !(e as Error).message.includes(text)) {
      throw new Error(`expected "${text}", got ${describe(e)}`);
    }
    return;
  }
  const shown = Array.isArray(result) ? result.map(showRaw).join(", ") : "success";
  throw new Error(`expected ${cls.name}${text === null ? "" : ` "${text}"`}, got ${shown}`);
}

/**
 * Runs one command, adding its outcome to `report` (an assertion counts as
 * passed, failed or skipped; a failing module or action command fails).
 */
export function runOne(s: Session, c: WastCommand, file: string, report: WastReport): void {
  const isAssertion = c.type.startsWith("assert_") || c.type === "thread" || c.type === "wait";
  try {
    const r = runCommand(s, c);
    if (r === "pass") report.passed++;
    else if (r === "skip") report.skipped++;
  } catch (e) {
    if (e instanceof Skip || e instanceof SkipComponent) {
      report.skipped++;
      return;
    }
    report.failed++;
    const what = isAssertion ? c.type : `${c.type} command`;
    report.failures.push({ file, line: c.line, message: `${what}: ${describe(e)}` });
  }
}

/**
 * Runs a script's source, adding to `report`. `thread`/`wait` commands are
 * skipped here (they need workers): use `runWastAsync` from `threads.ts`.
 */
export function runWast(
  source: string,
  file: string,
  features: Readonly<Features>,
  report: WastReport,
): void {
  let commands: WastCommand[];
  try {
    commands = parseWast(source, file);
  } catch (e) {
    report.failed++;
    report.failures.push({ file, line: 0, message: `script does not parse: ${describe(e)}` });
    return;
  }
  const s = new Session(features);
  for (const c of commands) runOne(s, c, file, report);
}
