import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { corpus } from "../../tests/_shared.ts";

const here = new URL(".", import.meta.url).pathname;

/** Runs `gannet wit …` in a child process of this runtime (Deno or Bun). */
function gannetWit(args: string[]) {
  const isBun = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined";
  const cmd = isBun
    ? [join(here, "main.ts"), "wit", ...args]
    : ["run", "-A", join(here, "main.ts"), "wit", ...args];
  return spawnSync(process.execPath, cmd, { encoding: "utf8" });
}

test(
  "gannet wit prints a component's world; bad input is a clear error",
  { timeout: 60_000 },
  () => {
    const file = corpus("components/no-wasi/resource-borrow-simple.component.wasm");
    if (file === null) return;
    const ok = gannetWit([file]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(
      ok.stdout,
      "package root:component;\n\nworld root {\n  resource r {\n    constructor();\n  }\n" +
        "  import test: func(r: borrow<r>);\n\n  export test-imports: func();\n}\n",
    );
    const bad = join(tmpdir(), `gannet-wit-${process.pid}.wasm`);
    writeFileSync(bad, new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    const r = gannetWit([bad]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /not a component binary/);
    assert.equal(gannetWit([]).status, 2);
  },
);
