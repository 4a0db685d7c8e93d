/**
 * Records a regression file from a reduced finding:
 * `deno run -A tests/fuzz/record.ts NAME FILE "what the bug was, fixed in …"`.
 * Runs the module through the wasm target's preparation, records the native
 * engine's trace, and writes `regressions/NAME.wasm` and `NAME.json`.
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { binaryenVersion } from "./binaryen.ts";
import { nativeApi } from "./engines.ts";
import { runModule } from "./execute.ts";
import { recordTrace, type RegressionRecord, REGRESSIONS_DIR } from "./regressions.ts";
import { preparedFor, target } from "./wasm_target.ts";

const [name, file, description, found = ""] = process.argv.slice(2);
if (name === undefined || file === undefined || description === undefined) {
  console.error('usage: record.ts NAME FILE "description" ["where it was found"]');
  process.exit(2);
}
const native = nativeApi();
if (native === null) throw new Error("recording needs the host's native WebAssembly");
console.log(await target.init({}));
const c = await preparedFor(new Uint8Array(readFileSync(file)));
const trace = runModule(native, c.native, false);
const record: RegressionRecord = {
  description,
  found: `${found}${found ? ", " : ""}binaryen ${binaryenVersion()}`,
  nativeSame: c.native === c.gannet,
  expected: recordTrace(trace),
};
writeFileSync(join(REGRESSIONS_DIR, `${name}.wasm`), c.gannet);
writeFileSync(join(REGRESSIONS_DIR, `${name}.json`), JSON.stringify(record, null, 2) + "\n");
console.log(`wrote ${name}.wasm (${c.gannet.length} bytes) and ${name}.json`);
