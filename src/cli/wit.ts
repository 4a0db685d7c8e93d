/**
 * `gannet wit COMPONENT.wasm`: prints the component's WIT world as
 * `wasm-tools component wit` does (exit 0), or why it cannot (exit 1).
 * Exit 2 for usage errors and unreadable files.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import { Component } from "../component/component.ts";
import { printWorld } from "../component/wit.ts";

const USAGE = "usage: gannet wit COMPONENT.wasm";

/** Runs the command; returns the exit status. */
export function main(args: string[]): Promise<number> {
  if (args.length === 1 && (args[0] === "-h" || args[0] === "--help")) {
    console.log(USAGE);
    return Promise.resolve(0);
  }
  if (args.length !== 1 || (args[0].startsWith("-") && args[0] !== "-")) {
    console.error(`gannet wit: expected one component file\n${USAGE}`);
    return Promise.resolve(2);
  }
  const file = args[0];
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file === "-" ? 0 : file));
  } catch (e) {
    console.error(`gannet wit: cannot read ${file}: ${(e as Error).message}`);
    return Promise.resolve(2);
  }
  try {
    process.stdout.write(printWorld(new Component(bytes)));
    return Promise.resolve(0);
  } catch (e) {
    console.error(`${file}: ${(e as Error).message}`);
    return Promise.resolve(1);
  }
}
