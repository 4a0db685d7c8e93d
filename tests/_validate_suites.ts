/**
 * Runs the validation-related commands of spec test scripts through the
 * public API (`parseWast` → `validate`/`Module`) and tallies the outcome.
 * Shared by `validate_spec_test.ts` and the `--report` command-line mode.
 *
 * @module
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ALL_FEATURES, type Features, WASM2_FEATURES } from "../src/binary/features.ts";
import { Module, validate } from "../src/api/module.ts";
import { parseWast, wastModuleBytes } from "../src/text/wast.ts";
import type { WastCommand, WastModuleSource } from "../src/text/wast.ts";

/** One group of scripts run with one feature set. */
export interface Suite {
  name: string;
  dir: string;
  features: Features;
  /** File names (relative to dir) to skip. */
  skip?: (file: string) => boolean;
}

/** The suites of the acceptance criteria, relative to the testsuite folder. */
export function suites(testsuite: string): Suite[] {
  const p = (d: string) => join(testsuite, d);
  return [
    { name: "core", dir: p("core"), features: { ...WASM2_FEATURES } },
    {
      name: "memory64",
      dir: p("proposals/memory64"),
      features: { ...WASM2_FEATURES, memory64: true },
    },
    {
      name: "multi-memory",
      dir: p("proposals/multi-memory"),
      features: { ...WASM2_FEATURES, multiMemory: true },
    },
    {
      name: "extended-const",
      dir: p("proposals/extended-const"),
      features: { ...WASM2_FEATURES, extendedConst: true },
    },
    {
      name: "tail-call",
      dir: p("proposals/tail-call"),
      features: { ...WASM2_FEATURES, tailCall: true },
    },
    {
      name: "threads",
      dir: p("proposals/threads"),
      features: { ...WASM2_FEATURES, threads: true },
    },
    { name: "wasm3", dir: p("core-wasm3/in-scope"), features: { ...ALL_FEATURES } },
    { name: "gc-eh-fr", dir: p("core-wasm3/gc-eh-fr"), features: { ...ALL_FEATURES } },
    // Each proposal on, over the core files it does not supersede (SOURCE.md):
    // switching a feature on must not change any other 2.0 verdict.
    ...Object.entries(SUPERSEDED).filter(([f]) => !WASM3_WHOLE.includes(f)).map((
      [feature, files],
    ) => ({
      name: `core+${feature}`,
      dir: p("core"),
      features: { ...WASM2_FEATURES, [feature]: true },
      skip: (file: string) => files.includes(file.replace(/\.wast$/, "")),
    })),
  ];
}

/** Proposals tested only as part of wasm 3.0 (their files are in core-wasm3/gc-eh-fr). */
const WASM3_WHOLE = ["exceptions", "legacyExceptions", "functionReferences", "gc"];

/**
 * Core files that a proposal's own version supersedes (testsuite/SOURCE.md).
 * The component model is not a core proposal (it is on in the 2.0 baseline).
 */
const SUPERSEDED: Record<Exclude<keyof Features, "componentModel">, string[]> = {
  multiMemory: "align binary data imports load memory memory_grow memory_size store".split(" "),
  memory64: ("address binary-leb128 binary call_indirect memory memory_copy memory_fill " +
    "memory_init simd_address table table_copy table_fill table_get table_grow table_init " +
    "table_set table_size").split(" "),
  extendedConst: ["data", "elem", "global"],
  tailCall: [],
  threads: ["binary", "exports", "memory"],
  relaxedSimd: [],
  // The wasm 3.0 proposals are tested as a whole (core-wasm3/), not over core/.
  exceptions: [],
  legacyExceptions: [],
  functionReferences: [],
  gc: [],
};

/** Tallies for one suite. */
export interface Tally {
  valid: number;
  validFailed: string[];
  invalid: number;
  invalidAccepted: string[];
  malformed: number;
  malformedAccepted: string[];
  /** Rejected modules whose message contains the expected text. */
  messageMatch: number;
  messageMiss: string[];
  /** Text modules the text parser could not turn into bytes. */
  textErrors: string[];
  /** Text/quote malformed modules the text parser accepted and we validated. */
  textMalformedAccepted: string[];
}

function listWast(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) out.push(...listWast(p).map((g) => join(f, g)));
    else if (f.endsWith(".wast")) out.push(f);
  }
  return out;
}

function compileError(bytes: Uint8Array, features: Features): Error | null {
  try {
    new Module(bytes, { features });
    return null;
  } catch (e) {
    return e as Error;
  }
}

/** Runs one suite. */
export function runSuite(s: Suite): Tally {
  const t: Tally = {
    valid: 0,
    validFailed: [],
    invalid: 0,
    invalidAccepted: [],
    malformed: 0,
    malformedAccepted: [],
    messageMatch: 0,
    messageMiss: [],
    textErrors: [],
    textMalformedAccepted: [],
  };
  for (const file of listWast(s.dir)) {
    if (s.skip?.(file)) continue;
    let cmds: WastCommand[];
    try {
      cmds = parseWast(readFileSync(join(s.dir, file), "utf8"), file);
    } catch (e) {
      t.textErrors.push(`${file}: script: ${(e as Error).message}`);
      continue;
    }
    runCommands(cmds, file, s.features, t);
  }
  return t;
}

function bytesOf(m: WastModuleSource, where: string, t: Tally): Uint8Array | null {
  try {
    return wastModuleBytes(m);
  } catch (e) {
    t.textErrors.push(`${where}: ${(e as Error).message}`);
    return null;
  }
}

function runCommands(cmds: WastCommand[], file: string, features: Features, t: Tally): void {
  for (const c of cmds) {
    const where = `${file}:${c.line}`;
    if (c.type === "thread") {
      runCommands(c.commands, file, features, t);
    } else if (c.type === "module") {
      const bytes = bytesOf(c.module, where, t);
      if (bytes === null) continue;
      t.valid++;
      if (!validate(bytes, { features })) {
        t.validFailed.push(`${where}: ${compileError(bytes, features)?.message}`);
      }
    } else if (c.type === "assert_invalid" || c.type === "assert_malformed") {
      const binary = c.module.kind === "binary";
      if (c.type === "assert_malformed" && !binary) {
        let bytes: Uint8Array;
        try {
          bytes = wastModuleBytes(c.module);
        } catch {
          continue; // the text parser rejected it, as expected
        }
        if (validate(bytes, { features })) t.textMalformedAccepted.push(`${where}: ${c.text}`);
        continue;
      }
      const bytes = bytesOf(c.module, where, t);
      if (bytes === null) continue;
      if (c.type === "assert_invalid") t.invalid++;
      else t.malformed++;
      const err = compileError(bytes, features);
      if (err === null) {
        (c.type === "assert_invalid" ? t.invalidAccepted : t.malformedAccepted).push(
          `${where}: expected "${c.text}"`,
        );
      } else if (err.message.includes(c.text)) {
        t.messageMatch++;
      } else {
        t.messageMiss.push(`${where}: expected "${c.text}", got "${err.message}"`);
      }
    }
  }
}

if (import.meta.main) {
  const { default: process } = await import("node:process");
  const { sharedDir } = await import("./_shared.ts");
  const root = process.argv[2] ?? `${sharedDir()}/testsuite`;
  const only = process.argv[3];
  for (const s of suites(root)) {
    if (only !== undefined && s.name !== only) continue;
    const t = runSuite(s);
    console.log(
      `${s.name}: valid ${t.valid - t.validFailed.length}/${t.valid}, invalid rejected ${
        t.invalid - t.invalidAccepted.length
      }/${t.invalid}, malformed rejected ${
        t.malformed - t.malformedAccepted.length
      }/${t.malformed}, ` +
        `messages ${t.messageMatch}/${
          t.invalid + t.malformed - t.invalidAccepted.length - t.malformedAccepted.length
        }, text errors ${t.textErrors.length}, text-malformed accepted ${t.textMalformedAccepted.length}`,
    );
    for (
      const l of [...t.validFailed, ...t.invalidAccepted, ...t.malformedAccepted, ...t.messageMiss]
    ) {
      console.log("  " + l);
    }
    if (process.env.SHOW_TEXT) {
      for (const l of [...t.textErrors, ...t.textMalformedAccepted]) console.log("  T " + l);
    }
  }
}
