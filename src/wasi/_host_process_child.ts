/**
 * Test helper for host_process_test.ts, run as a child process: `kinds`
 * prints the standard descriptors' kinds; `upper` copies standard input
 * to standard output in upper case and writes "err" to standard error;
 * `trapped FILE` runs `gannet run FILE` with a trap on the `process`
 * global and fails if anything touched it.
 *
 * @module
 */
import { fdFiletype, readFd, writeFd } from "./host_process.ts";

const [mode, file] = (globalThis as { Deno?: typeof Deno }).Deno?.args ??
  (globalThis as unknown as { process: { argv: string[] } }).process.argv.slice(2);

if (mode === "kinds") console.log(JSON.stringify([0, 1, 2].map(fdFiletype)));
else if (mode === "upper") {
  const buf = new Uint8Array(3);
  let all = "";
  for (let n; (n = readFd(0, buf)) > 0;) all += new TextDecoder().decode(buf.subarray(0, n));
  const out = new TextEncoder().encode(all.toUpperCase());
  for (let done = 0; done < out.length;) done += writeFd(1, out.subarray(done));
  writeFd(2, new TextEncoder().encode("err"));
} else if (mode === "trapped") {
  // Deno starts its Node compatibility layer where `process` is first used.
  let touched = "";
  Object.defineProperty(globalThis, "process", {
    configurable: true,
    get() {
      touched = new Error().stack ?? "?";
      return undefined;
    },
  });
  const { cli } = await import("../cli/main.ts");
  const code = await cli(["run", file]);
  if (touched !== "") throw new Error(`process touched: ${touched}`);
  Deno.exit(code);
} else throw new Error(`unknown mode ${mode}`);
