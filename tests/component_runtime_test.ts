/**
 * Every component of `../shared/components/no-wasi` and `p2-custom-world`
 * that runs under jco runs on Gannet with the same results: hosts for their
 * `test:*` imports (modelled on jco's and wit-bindgen's fixture hosts),
 * drivers calling their exports, and transcripts compared with jco's run on
 * native wasm (see `_component_transcript.ts`). The hard assertions keep
 * the runs meaningful where there is no native wasm (jitless).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { call, type ComponentCase, differential, host, type Log } from "./_component_transcript.ts";
import {
  flavorful,
  lists,
  numbers,
  options,
  records,
  results,
  strings,
  variants,
} from "./_component_cases_values.ts";
import { resourceCases } from "./_component_cases_resources.ts";

/** No trap or unexpected error anywhere in a transcript (but where a label says "moved"). */
function noTraps(log: Log | null): void {
  if (log === null) return;
  for (const entry of log) {
    if (String((entry as unknown[])[0]).includes("moved")) continue;
    assert.ok(
      !JSON.stringify(entry).includes('"error":'),
      `unexpected error: ${JSON.stringify(entry)}`,
    );
  }
}

const basics: ComponentCase[] = [
  {
    file: "no-wasi/asmjs_bigint.component.wasm",
    run(e, log) {
      assert.equal(call(log, "add", () => e.add(1n, 2n)), 3n);
      assert.equal(call(log, "add wraps", () => e.add(2n ** 63n - 1n, 1n)), -(2n ** 63n));
    },
  },
  {
    file: "no-wasi/adder.component.wasm",
    run(e, log) {
      assert.equal(call(log, "add", () => e.add.add(3, 4)), 7);
      assert.equal(e["docs:adder/add@0.1.0"], e.add);
      call(log, "add max", () => e.add.add(0xffffffff, 2));
    },
  },
  {
    file: "no-wasi/adder.wasm",
    run(e, log) {
      assert.equal(call(log, "add", () => e["docs:adder/add@0.1.0"].add(40, 2)), 42);
    },
  },
  ...["simple-nested", "simple-nested-optimized"].map((name): ComponentCase => ({
    file: `no-wasi/${name}.component.wasm`,
    imports: (log) => ({
      "calvinrp:test-async-funcs/hello": {
        helloWorld: host(log, "hello-world", () => "hello from the host"),
      },
    }),
    run(e, log) {
      const r = call(log, "hello-world", () => e.hello.helloWorld());
      assert.equal(typeof r, "string");
    },
  })),
  {
    file: "no-wasi/example_guest_export.wasm",
    run(e, log) {
      const b = e.backend;
      const s = call(log, "new Scalars", () => new b.Scalars());
      call(log, "Scalars.getA", () => b.Scalars.getA());
      call(log, "getB", () => s.getB());
      call(log, "scalarArg", () => b.scalarArg(s));
      call(log, "fetch", () => b.fetch("https://example.com/"));
      call(log, "dispose", () => s[Symbol.dispose]());
    },
  },
  (() => {
    let HostScalars: new () => unknown;
    return {
      file: "no-wasi/example_guest_import.wasm",
      imports(log: Log) {
        class Scalars {
          getB = host(log, "Scalars.getB", () => 7);
        }
        HostScalars = Scalars;
        return {
          "example2:component/backend": {
            Scalars,
            fetch: host(log, "fetch", (_s: Scalars) => new Scalars()),
          },
        };
      },
      run(e, log) {
        call(log, "handle", () => e.front.handle(new HostScalars()));
      },
    } satisfies ComponentCase;
  })(),
  {
    file: "p2-custom-world/smoke.component.wasm",
    imports: (log) => ({ "test:smoke/imports": { thunk: host(log, "thunk", () => {}) } }),
    run(e, log) {
      call(log, "thunk", () => e.thunk());
      assert.equal(log.length, 2, "the export called the import once");
    },
  },
  ...["many-arguments", "many_arguments"].map((name): ComponentCase => ({
    file: `p2-custom-world/${name}.component.wasm`,
    imports: (log) => ({
      imports: {
        manyArguments: host(log, "many-arguments", (...args: bigint[]) => {
          assert.deepEqual(args, Array.from({ length: 16 }, (_, i) => BigInt(i + 1)));
        }),
      },
    }),
    run(e, log) {
      call(
        log,
        "many-arguments",
        () => e.manyArguments(...Array.from({ length: 16 }, (_, i) => BigInt(i + 1))),
      );
    },
  })),
  {
    file: "p2-custom-world/versions.component.wasm",
    jcoBug: {
      labels: ["*"],
      why:
        "jco's glue looks both test:dep/test@0.1.0 and @0.2.0 up as 'test:dep/test', so one host serves both versions and the guest's test-imports fails",
    },
    imports: (log) => ({
      "test:dep/test@0.1.0": {
        x: host(log, "0.1 x", () => 1),
        y: host(log, "0.1 y", (a: number) => a + 1),
      },
      "test:dep/test@0.2.0": {
        x: host(log, "0.2 x", () => 2),
        z: host(log, "0.2 z", (a: number, b: number) => 2 + a + b),
      },
    }),
    run(e, log) {
      call(log, "test-imports", () => e.testImports());
      assert.equal(call(log, "0.1 x", () => e["test:dep/test@0.1.0"].x()), 1);
      assert.equal(call(log, "0.1 y", () => e["test:dep/test@0.1.0"].y(1)), 2);
      assert.equal(call(log, "0.2 x", () => e["test:dep/test@0.2.0"].x()), 2);
      assert.equal(call(log, "0.2 z", () => e["test:dep/test@0.2.0"].z(1, 1)), 4);
    },
  },
  {
    file: "p2-custom-world/type_section_suffix.component.wasm",
    imports: (log) => ({
      "test:suffix/imports": { foo: host(log, "imports.foo", () => {}) },
      foo: { default: host(log, "foo", () => {}) },
      bar: { default: host(log, "bar", () => {}) },
    }),
    run(e, log) {
      call(log, "run", () => e.run());
    },
  },
  {
    file: "p2-custom-world/other-dependencies.component.wasm",
    jcoBug: { labels: ["*"], why: "jco's glue leaves out the exported interface, which is empty" },
    run(e) {
      assert.deepEqual(e["other:test/test"], {});
      assert.equal(e.test, e["other:test/test"]);
    },
  },
];

const wasiComposed: ComponentCase[] = [
  {
    // Composed with WASI-Virt: an allow-listed environment (its other exports are unimplemented).
    file: "p2-custom-world/env-allow.composed.wasm",
    run(e, log) {
      assert.deepEqual(call(log, "test-get-env", () => e.testGetEnv()), [["CUSTOM", "VAL"]]);
    },
  },
  {
    file: "p2-custom-world/stdio.composed.wasm",
    run(e, log) {
      call(log, "test-stdio", () => e.testStdio());
    },
  },
  {
    file: "no-wasi/async_call.component.wasm",
    imports: (log) => ({
      "something:test/test-interface": {
        callAsync: host(log, "call-async", () => "from call-async"),
        callSync: host(log, "call-sync", () => "from call-sync"),
      },
    }),
    run(e, log) {
      assert.equal(call(log, "run-async", () => e.runAsync()), "from call-async");
      assert.equal(call(log, "run-sync", () => e.runSync()), "from call-sync");
    },
  },
];

const all: ComponentCase[] = [
  ...wasiComposed,
  ...basics,
  flavorful,
  lists,
  numbers,
  records,
  strings,
  variants,
  options,
  results,
  ...resourceCases,
];

for (const c of all) {
  test(`component ${c.file} runs on Gannet as on jco`, async () => {
    noTraps(await differential(c));
  });
}
