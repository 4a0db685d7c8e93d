/**
 * `gannet validate [--features LIST] FILE.wasm|FILE.wat`: decodes and
 * validates a module; prints "valid" (exit 0) or the first error (exit 1).
 * Exit 2 for usage errors and unreadable files. Features default to every
 * proposal Gannet implements; `--features wasm2` gives the 2.0 baseline,
 * a list such as `threads,memory64` the baseline plus those.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { compileBytes, DEFAULT_FEATURES } from "../api/module.ts";
import { type Features, parseFeatureList, WASM2_FEATURES } from "../binary/features.ts";
import { CompileError } from "../errors.ts";

const USAGE = "usage: gannet validate [--features all|wasm2|LIST] FILE.wasm|FILE.wat";

/** Runs the command; returns the exit status. */
export async function main(args: string[]): Promise<number> {
  let features: Features = { ...DEFAULT_FEATURES };
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--features" || a.startsWith("--features=")) {
      const list = a === "--features" ? args[++i] : a.slice("--features=".length);
      if (list === undefined) return usage("--features needs a value");
      try {
        features = list === "wasm2" ? { ...WASM2_FEATURES } : parseFeatureList(list);
      } catch (e) {
        return usage((e as Error).message);
      }
    } else if (a === "-h" || a === "--help") {
      console.log(USAGE);
      return 0;
    } else if (a.startsWith("-") && a !== "-") {
      return usage(`unknown option ${a}`);
    } else {
      files.push(a);
    }
  }
  if (files.length !== 1) return usage("expected one file");
  const file = files[0];
  let raw: Uint8Array;
  try {
    raw = new Uint8Array(readFileSync(file === "-" ? 0 : file));
  } catch (e) {
    console.error(`gannet validate: cannot read ${file}: ${(e as Error).message}`);
    return 2;
  }
  let bytes = raw;
  if (isText(file, raw)) {
    try {
      const { parseWat } = await import("../text/parse_wat.ts");
      bytes = parseWat(new TextDecoder().decode(raw));
    } catch (e) {
      console.error(`${file}: ${(e as Error).message}`);
      return 1;
    }
  }
  try {
    compileBytes(bytes, features);
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    console.error(`${file}: ${e.message}`);
    return 1;
  }
  console.log("valid");
  return 0;
}

/** A `.wat` file, or anything that does not start with the binary magic. */
function isText(file: string, raw: Uint8Array): boolean {
  if (file.endsWith(".wat") || file.endsWith(".wast")) return true;
  if (file.endsWith(".wasm")) return false;
  return !(raw[0] === 0 && raw[1] === 0x61 && raw[2] === 0x73 && raw[3] === 0x6d);
}

function usage(problem: string): number {
  console.error(`gannet validate: ${problem}\n${USAGE}`);
  return 2;
}
