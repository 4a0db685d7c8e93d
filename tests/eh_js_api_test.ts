/**
 * Exceptions across the JS boundary (JS API `Tag`, `Exception`, `JSTag`),
 * differential: every scenario runs on Gannet's namespace and on the host's
 * native `WebAssembly` (V8 under Deno, JavaScriptCore under Bun), and must
 * give the outcome written here on both. Scenarios: wasm exceptions reaching
 * JS as Exception objects, JS exceptions (Exception objects and plain
 * values) thrown through wasm frames, caught by tag, `catch_all` and the
 * JS tag, rethrown with `throw_ref`, exceptions crossing a JS frame between
 * two wasm frames, identity kept both ways, and traps that wasm cannot
 * catch.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseWat, WebAssemblyNamespace } from "../mod.ts";

// deno-lint-ignore no-explicit-any
type NS = any;

const WAT = `(module
  (import "env" "tag" (tag $t (param i32)))
  (import "env" "js" (tag $js (param externref)))
  (import "env" "host" (func $host (param i32)))
  (tag $own (export "own") (param i64 f64))
  (func (export "throwT") (param i32) (throw $t (local.get 0)))
  (func (export "throwOwn") (throw $own (i64.const -5) (f64.const 2.5)))
  (func (export "trap") (unreachable))
  (func (export "catchHost") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $t $h) (call $host (local.get 0)) (return (i32.const -1)))
      (unreachable))
    (i32.const 100)
    (i32.add))
  (func (export "catchAllHost") (param i32) (result i32)
    (block $h
      (try_table (catch_all $h) (call $host (local.get 0)) (return (i32.const 0))))
    (i32.const 1))
  (func (export "rethrowHost") (param i32)
    (block $h (result exnref)
      (try_table (catch_all_ref $h) (call $host (local.get 0)) (return))
      (unreachable))
    (throw_ref))
  (func (export "catchJs") (param i32) (result externref)
    (block $h (result externref)
      (try_table (catch $js $h) (call $host (local.get 0)) (return (ref.null extern)))
      (unreachable)))
  (func (export "throwJs") (param externref) (throw $js (local.get 0)))
)`;

const bytes = parseWat(WAT);

interface World {
  WA: NS;
  tag: unknown;
  ex: Record<string, (...a: unknown[]) => unknown>;
  /** What the imported host function does when called. */
  setHost(f: (x: number) => void): void;
}

function world(WA: NS): World {
  let hostFn: (x: number) => void = () => {};
  const tag = new WA.Tag({ parameters: ["i32"] });
  const module = new WA.Module(bytes);
  const instance = new WA.Instance(module, {
    env: { tag, js: WA.JSTag, host: (x: number) => hostFn(x) },
  });
  return {
    WA,
    tag,
    ex: instance.exports,
    setHost(f) {
      hostFn = f;
    },
  };
}

function caught(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

/** Each scenario returns a plain description of what happened, compared across engines. */
const SCENARIOS: Record<string, (w: World) => unknown> = {
  "wasm throw reaches JS as an Exception": ({ WA, tag, ex }) => {
    const e = caught(() => ex.throwT(7)) as NS;
    return [e instanceof WA.Exception, e.is(tag), e.getArg(tag, 0), e instanceof Error];
  },
  "payload of a module's own tag (i64, f64)": ({ WA, tag, ex }) => {
    const e = caught(() => ex.throwOwn()) as NS;
    const own = ex.own as unknown;
    return [own instanceof WA.Tag, e.is(own), e.is(tag), e.getArg(own, 0), e.getArg(own, 1)];
  },
  "JS Exception caught by tag in wasm": ({ WA, tag, ex, setHost }) => {
    setHost((x) => {
      throw new WA.Exception(tag, [x + 1]);
    });
    return ex.catchHost(40);
  },
  "JS value caught by catch_all": ({ ex, setHost }) => {
    setHost(() => {
      throw "a string";
    });
    return ex.catchAllHost(0);
  },
  "JS value not caught by a tag: same value out": ({ ex, setHost }) => {
    const thing = { name: "thing" };
    setHost(() => {
      throw thing;
    });
    return caught(() => ex.catchHost(0)) === thing;
  },
  "catch_all_ref + throw_ref keeps a JS value's identity": ({ ex, setHost }) => {
    const thing = new TypeError("mine");
    setHost(() => {
      throw thing;
    });
    return caught(() => ex.rethrowHost(0)) === thing;
  },
  "catch_all_ref + throw_ref keeps an Exception's identity": ({ WA, tag, ex, setHost }) => {
    const e = new WA.Exception(tag, [3]);
    setHost(() => {
      throw e;
    });
    return caught(() => ex.rethrowHost(0)) === e;
  },
  "the JS tag catches a JS value, payload is the value": ({ ex, setHost }) => {
    const thing = { n: 1 };
    setHost(() => {
      throw thing;
    });
    return ex.catchJs(0) === thing;
  },
  "the JS tag catches numbers and undefined as they are": ({ ex, setHost }) => {
    const out: unknown[] = [];
    for (const v of [3.5, 7, undefined, null]) {
      setHost(() => {
        throw v;
      });
      out.push(ex.catchJs(0));
    }
    return out;
  },
  "the JS tag does not catch an Exception": ({ WA, tag, ex, setHost }) => {
    const e = new WA.Exception(tag, [3]);
    setHost(() => {
      throw e;
    });
    return caught(() => ex.catchJs(0)) === e;
  },
  "throw with the JS tag reaches JS as the value": ({ ex }) => {
    const thing = { n: 2 };
    return caught(() => ex.throwJs(thing)) === thing;
  },
  "wasm exception through a JS frame between wasm frames": ({ ex, setHost }) => {
    setHost((x) => {
      ex.throwT(x * 2);
    });
    return ex.catchHost(9);
  },
  "an Exception from wasm, rethrown by JS into wasm, is the same object": ({ ex, setHost }) => {
    const e = caught(() => ex.throwT(5));
    setHost(() => {
      throw e;
    });
    return caught(() => ex.rethrowHost(0)) === e;
  },
  "a trap is not caught by catch_all": ({ WA, ex, setHost }) => {
    setHost(() => {
      ex.trap();
    });
    const e = caught(() => ex.catchAllHost(0));
    return e instanceof WA.RuntimeError;
  },
  "Exception API errors": ({ WA, tag, ex }) => {
    const e = new WA.Exception(tag, [1]);
    const kinds = (f: () => unknown) => (caught(f) as Error).constructor.name;
    return [
      kinds(() => e.getArg(ex.own, 0)),
      kinds(() => e.getArg(tag, 1)),
      kinds(() => new WA.Exception(tag, [])),
      kinds(() => new WA.Exception(WA.JSTag, [1])),
      new WA.Exception(tag, [1], { traceStack: false }).stack,
      typeof new WA.Exception(tag, [1], { traceStack: true }).stack,
      JSON.stringify(new WA.Tag({ parameters: ["i64", "externref"] }).type?.() ?? null),
    ];
  },
};

const EXPECTED: Record<string, unknown> = {
  "wasm throw reaches JS as an Exception": [true, true, 7, false],
  "payload of a module's own tag (i64, f64)": [true, true, false, -5n, 2.5],
  "JS Exception caught by tag in wasm": 141,
  "JS value caught by catch_all": 1,
  "JS value not caught by a tag: same value out": true,
  "catch_all_ref + throw_ref keeps a JS value's identity": true,
  "catch_all_ref + throw_ref keeps an Exception's identity": true,
  "the JS tag catches a JS value, payload is the value": true,
  "the JS tag catches numbers and undefined as they are": [3.5, 7, undefined, null],
  "the JS tag does not catch an Exception": true,
  "throw with the JS tag reaches JS as the value": true,
  "wasm exception through a JS frame between wasm frames": 118,
  "an Exception from wasm, rethrown by JS into wasm, is the same object": true,
  "a trap is not caught by catch_all": true,
  "Exception API errors": [
    "TypeError",
    "RangeError",
    "TypeError",
    "TypeError",
    undefined,
    "string",
    JSON.stringify({ parameters: ["i64", "externref"] }),
  ],
};

/** The host's engine, if it runs this module (it may lack exnref or the JS tag). */
function nativeWorld(): World | null {
  const WA = (globalThis as { WebAssembly?: NS }).WebAssembly;
  if (WA === undefined || WA.JSTag === undefined) return null;
  try {
    return world(WA);
  } catch {
    return null;
  }
}

describe("exceptions across the JS boundary", () => {
  const native = nativeWorld();
  if (native === null) console.warn("native WebAssembly cannot run the EH module: Gannet only");
  for (const [name, run] of Object.entries(SCENARIOS)) {
    it(name, () => {
      assert.deepEqual(run(world(WebAssemblyNamespace)), EXPECTED[name], "Gannet");
      if (native === null) return;
      // Type reflection (`Tag.prototype.type`) is optional in engines.
      let want = EXPECTED[name];
      if (name === "Exception API errors" && typeof native.tag === "object") {
        const t = (native.tag as { type?: unknown }).type;
        if (typeof t !== "function") want = [...(want as unknown[]).slice(0, 6), "null"];
      }
      assert.deepEqual(run(native), want, "native");
    });
  }

  it("Tag, Exception and JSTag are on the namespace and are Gannet's own", () => {
    const WA = WebAssemblyNamespace as NS;
    assert.equal(typeof WA.Tag, "function");
    assert.equal(typeof WA.Exception, "function");
    assert.ok(WA.JSTag instanceof WA.Tag);
    assert.notEqual(WA.Tag, (globalThis as { WebAssembly?: NS }).WebAssembly?.Tag);
  });

  it("an exported tag keeps its identity, and an imported one is the same object", () => {
    const WA = WebAssemblyNamespace as NS;
    const a = world(WA);
    const inst = new WA.Instance(
      new WA.Module(
        parseWat(`(module (import "m" "t" (tag $t (param i64 f64))) (export "t" (tag $t)))`),
      ),
      { m: { t: a.ex.own } },
    );
    assert.equal(inst.exports.t, a.ex.own);
    assert.throws(
      () =>
        new WA.Instance(
          new WA.Module(parseWat(`(module (import "m" "t" (tag (param i32))))`)),
          { m: { t: a.ex.own } },
        ),
      WA.LinkError,
    );
    assert.throws(
      () =>
        new WA.Instance(new WA.Module(parseWat(`(module (import "m" "t" (tag)))`)), {
          m: { t: 1 },
        }),
      WA.LinkError,
    );
  });
});

describe("exceptions and JSPI", () => {
  const text = `(module
    (import "env" "tag" (tag $t (param i32)))
    (import "env" "wait" (func $wait (param i32) (result i32)))
    (func (export "run") (param i32) (result i32)
      (block $all
        (block $h (result i32)
          (try_table (catch $t $h) (catch_all $all) (return (call $wait (local.get 0))))
          (unreachable))
        (i32.const 1000)
        (i32.add)
        (return))
      (i32.const -1))
  )`;

  for (const [name, WA] of [["Gannet", WebAssemblyNamespace as NS], ["native", nativeJspi()]]) {
    it(`${name}: a rejected Suspending import throws at the call, where wasm catches it`, async () => {
      if (WA === null) return;
      const tag = new WA.Tag({ parameters: ["i32"] });
      const wait = new WA.Suspending(async (x: number) => {
        await null;
        if (x === 1) throw new WA.Exception(tag, [5]);
        if (x === 2) throw new Error("plain");
        if (x === 3) throw new RangeError("escapes? no: catch_all");
        return x;
      });
      const inst = new WA.Instance(new WA.Module(parseWat(text)), { env: { tag, wait } });
      const run = WA.promising(inst.exports.run);
      assert.equal(await run(7), 7);
      assert.equal(await run(1), 1005);
      assert.equal(await run(2), -1);
      assert.equal(await run(3), -1);
    });
  }
});

function nativeJspi(): NS | null {
  const WA = (globalThis as { WebAssembly?: NS }).WebAssembly;
  return WA?.Suspending !== undefined && WA?.promising !== undefined ? WA : null;
}
