/**
 * `gannet wat2wasm`: assembles the WebAssembly text format.
 *
 * ```
 * gannet wat2wasm IN.wat [-o OUT.wasm]
 * ```
 *
 * OUT defaults to IN with its extension replaced by `.wasm`. Exit status: 0
 * on success, 1 when IN cannot be read or is malformed (the error is printed
 * as `IN:line:column: message`), 2 for a usage error.
 *
 * @module
 */
import fs from "node:fs";
import { parseWat, WatSyntaxError } from "../text/parse_wat.ts";

const USAGE = "usage: gannet wat2wasm IN.wat [-o OUT.wasm]";

/** Runs the command with its arguments; returns the exit status. */
export function main(args: string[]): Promise<number> {
  return Promise.resolve(wat2wasm(args));
}

function wat2wasm(args: string[]): number {
  let input: string | undefined;
  let output: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-o" || a === "--output") {
      output = args[++i];
      if (output === undefined) return usage(`${a} needs a file name`);
    } else if (a === "-h" || a === "--help") {
      console.log(USAGE);
      return 0;
    } else if (a.startsWith("-") && a !== "-") {
      return usage(`unknown option ${a}`);
    } else if (input === undefined) {
      input = a;
    } else {
      return usage(`unexpected argument ${a}`);
    }
  }
  if (input === undefined) return usage("missing input file");
  output ??= input.replace(/\.wat$|(?<!\.wat)$/, ".wasm");
  let text: string;
  try {
    text = fs.readFileSync(input, "utf8");
  } catch (e) {
    console.error(`wat2wasm: cannot read ${input}: ${(e as Error).message}`);
    return 1;
  }
  let bytes: Uint8Array;
  try {
    bytes = parseWat(text);
  } catch (e) {
    if (!(e instanceof WatSyntaxError)) throw e;
    console.error(`${input}:${e.line}:${e.column}: ${e.reason}`);
    return 1;
  }
  try {
    fs.writeFileSync(output, bytes);
  } catch (e) {
    console.error(`wat2wasm: cannot write ${output}: ${(e as Error).message}`);
    return 1;
  }
  return 0;
}

function usage(problem: string): number {
  console.error(`wat2wasm: ${problem}\n${USAGE}`);
  return 2;
}
