/**
 * Hosts and drivers for the value-type components of
 * `../shared/components/p2-custom-world` (after jco's runtime fixtures and
 * wit-bindgen's runtime tests): flavorful, lists, numbers, records,
 * strings, variants, options, results.
 */
import assert from "node:assert/strict";
import { call, type ComponentCase, host, type Log } from "./_component_transcript.ts";

/** Every function of `names` returns its arguments (one: itself; several: a tuple). */
function echoes(log: Log, names: string[]): Record<string, unknown> {
  return Object.fromEntries(
    names.map((n) => [n, host(log, n, (...a: unknown[]) => a.length === 1 ? a[0] : a)]),
  );
}

export const flavorful: ComponentCase = {
  file: "p2-custom-world/flavorful.component.wasm",
  imports(log) {
    let firstErr = true;
    return {
      "test:flavorful/test": {
        fListInRecord1: host(log, "f-list-in-record1", () => {}),
        fListInRecord2: host(log, "f-list-in-record2", () => ({ a: "list_in_record2" })),
        fListInRecord3: host(log, "f-list-in-record3", (x: { a: string }) => {
          assert.equal(x.a, "list_in_record3 input");
          return { a: "list_in_record3 output" };
        }),
        fListInRecord4: host(log, "f-list-in-record4", () => ({ a: "result4" })),
        fListInVariant1: host(log, "f-list-in-variant1", () => {}),
        fListInVariant2: host(log, "f-list-in-variant2", () => "list_in_variant2"),
        fListInVariant3: host(log, "f-list-in-variant3", () => "output3"),
        errnoResult: host(log, "errno-result", () => {
          if (firstErr) {
            firstErr = false;
            throw "b";
          }
        }),
        listTypedefs: host(log, "list-typedefs", (x: string, y: string[]) => {
          assert.equal(x, "typedef1");
          assert.deepEqual(y, ["typedef2"]);
          return [new TextEncoder().encode("typedef3"), ["typedef4"]];
        }),
        listOfVariants: host(log, "list-of-variants", () => [
          [false, true],
          [{ tag: "err", val: undefined }, { tag: "ok", val: undefined }],
          ["a", "b"],
        ]),
      },
    };
  },
  run(e, log) {
    call(log, "test-imports", () => e.testImports());
    assert.equal(e.test, e["test:flavorful/test"]);
    const t = e.test;
    call(log, "f-list-in-record1", () => t.fListInRecord1({ a: "list_in_record1" }));
    assert.deepEqual(call(log, "f-list-in-record2", () => t.fListInRecord2()), {
      a: "list_in_record2",
    });
    call(log, "f-list-in-record3", () => t.fListInRecord3({ a: "list_in_record3 input" }));
    call(log, "f-list-in-record4", () => t.fListInRecord4({ a: "input4" }));
    call(log, "f-list-in-variant1", () => t.fListInVariant1("foo", { tag: "err", val: "bar" }));
    call(log, "f-list-in-variant2", () => t.fListInVariant2());
    call(log, "f-list-in-variant3", () => t.fListInVariant3("input3"));
    call(log, "errno-result", () => t.errnoResult());
    call(log, "list-typedefs", () => t.listTypedefs("typedef1", ["typedef2"]));
    // (This fixture's own list-of-variants export is unimplemented; test-imports called the host's.)
  },
};

export const lists: ComponentCase = {
  file: "p2-custom-world/lists.component.wasm",
  imports(log) {
    return {
      "test:lists/test": {
        ...echoes(log, [
          "listRoundtrip",
          "stringRoundtrip",
          "listMinmax8",
          "listMinmax16",
          "listMinmax32",
          "listMinmax64",
          "listMinmaxFloat",
        ]),
        emptyListParam: host(log, "empty-list-param", (a: Uint8Array) => assert.equal(a.length, 0)),
        emptyStringParam: host(log, "empty-string-param", (a: string) => assert.equal(a, "")),
        emptyListResult: host(log, "empty-list-result", () => new Uint8Array()),
        emptyStringResult: host(log, "empty-string-result", () => ""),
        listParam: host(
          log,
          "list-param",
          (a: Uint8Array) => assert.deepEqual([...a], [1, 2, 3, 4]),
        ),
        listParam2: host(log, "list-param2", (a: string) => assert.equal(a, "foo")),
        listParam3: host(
          log,
          "list-param3",
          (a: string[]) => assert.deepEqual(a, ["foo", "bar", "baz"]),
        ),
        listParam4: host(log, "list-param4", () => {}),
        listParam5: host(log, "list-param5", () => {}),
        listParamLarge: host(
          log,
          "list-param-large",
          (a: string[]) => assert.equal(a.length, 1000),
        ),
        listResult: host(log, "list-result", () => new Uint8Array([1, 2, 3, 4, 5])),
        listResult2: host(log, "list-result2", () => "hello!"),
        listResult3: host(log, "list-result3", () => ["hello,", "world!"]),
      },
    };
  },
  run(e, log) {
    const bytes = call(log, "allocated-bytes", () => e.allocatedBytes());
    call(log, "test-imports", () => e.testImports());
    const t = e.test;
    call(log, "empty-list-param", () => t.emptyListParam(new Uint8Array([])));
    call(log, "empty-string-param", () => t.emptyStringParam(""));
    call(log, "list-param", () => t.listParam(new Uint8Array([1, 2, 3, 4])));
    call(
      log,
      "list-param-large",
      () => t.listParamLarge("blah ".repeat(1000).slice(0, -1).split(" ")),
    );
    call(log, "list-param2", () => t.listParam2("foo"));
    call(log, "list-param3", () => t.listParam3(["foo", "bar", "baz"]));
    call(log, "list-param4", () => t.listParam4([["foo", "bar"], ["baz"]]));
    call(log, "list-param5", () => t.listParam5([[1, 2, 3], [4, 5, 6]]));
    call(log, "empty-list-result", () => t.emptyListResult());
    call(log, "empty-string-result", () => t.emptyStringResult());
    assert.deepEqual([...call(log, "list-result", () => t.listResult())], [1, 2, 3, 4, 5]);
    call(log, "list-result2", () => t.listResult2());
    call(log, "list-result3", () => t.listResult3());
    const buffer = new ArrayBuffer(8);
    new Uint8Array(buffer).set([1, 2, 3, 4], 2);
    const view = new Uint8Array(buffer, 2, 4);
    assert.deepEqual([...call(log, "list-roundtrip view", () => t.listRoundtrip(view))], [
      1,
      2,
      3,
      4,
    ]);
    for (const s of ["x", "", "hello ⚑ world"]) {
      call(log, "string-roundtrip", () => t.stringRoundtrip(s));
    }
    // (The guest's own list-minmax* exports are `assert(0)` in this C fixture; its
    // test-imports exercised the host's.)
    assert.equal(call(log, "allocated-bytes after", () => e.allocatedBytes()), bytes, "no leaks");
  },
};

export const numbers: ComponentCase = {
  file: "p2-custom-world/numbers.component.wasm",
  imports(log) {
    let scalar = 0;
    return {
      "test:numbers/test": {
        ...echoes(
          log,
          ["U8", "S8", "U16", "S16", "U32", "S32", "U64", "S64", "F32", "F64", "Char"].map((t) =>
            `roundtrip${t}`
          ),
        ),
        setScalar: host(log, "set-scalar", (x: number) => void (scalar = x)),
        getScalar: host(log, "get-scalar", () => scalar),
      },
    };
  },
  run(e, log) {
    call(log, "test-imports", () => e.testImports());
    const t = e.test;
    const cases: [string, unknown[]][] = [
      ["U8", [1, 255]],
      ["S8", [1, 127, -128]],
      ["U16", [1, 65535]],
      ["S16", [1, 32767, -32768]],
      ["U32", [1, 2 ** 32 - 1]],
      ["S32", [1, 2 ** 31 - 1, -(2 ** 31)]],
      ["U64", [1n, 2n ** 64n - 1n]],
      ["S64", [1n, 2n ** 63n - 1n, -(2n ** 63n)]],
      ["F32", [1, Infinity, -Infinity, NaN, -0]],
      ["F64", [1, Infinity, -Infinity, NaN, -0, 0.1]],
      ["Char", ["a", " ", "🚩"]],
    ];
    for (const [ty, vs] of cases) {
      for (const v of vs) {
        const r = call(log, `roundtrip-${ty}`, () => t[`roundtrip${ty}`](v));
        assert.ok(Object.is(r, v), `roundtrip-${ty}(${String(v)}) gave ${String(r)}`);
      }
    }
    call(log, "set-scalar", () => t.setScalar(2));
    assert.equal(call(log, "get-scalar", () => t.getScalar()), 2);
  },
};

export const records: ComponentCase = {
  file: "p2-custom-world/records.component.wasm",
  imports(log) {
    return {
      "test:records/test": {
        ...echoes(log, [
          "roundtripFlags1",
          "roundtripFlags2",
          "roundtripFlags3",
          "roundtripRecord1",
          "tuple1",
        ]),
        multipleResults: host(log, "multiple-results", () => [4, 5]),
        swapTuple: host(log, "swap-tuple", ([a, b]: number[]) => [b, a]),
      },
    };
  },
  run(e, log) {
    call(log, "test-imports", () => e.testImports());
    const t = e.test;
    assert.deepEqual(call(log, "multiple-results", () => t.multipleResults()), [100, 200]);
    assert.deepEqual(call(log, "swap-tuple", () => t.swapTuple([1, 2])), [2, 1]);
    assert.deepEqual(call(log, "flags1", () => t.roundtripFlags1({ a: true })), {
      a: true,
      b: false,
    });
    call(log, "flags1 {}", () => t.roundtripFlags1({}));
    call(log, "flags2", () => t.roundtripFlags2({ c: true, e: true }));
    const f = (n: number, on: number[]) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`b${i}`, on.includes(i)]));
    call(log, "flags3", () => t.roundtripFlags3(f(8, [0, 7]), f(16, [1, 15]), f(32, [2, 31])));
    assert.deepEqual(call(log, "record1", () => t.roundtripRecord1({ a: 8, b: {} })), {
      a: 8,
      b: { a: false, b: false },
    });
    assert.deepEqual(call(log, "tuple1", () => t.tuple1([1])), [1]);
  },
};

export const strings: ComponentCase = {
  file: "p2-custom-world/strings.component.wasm",
  imports(log) {
    return {
      "test:strings/imports": {
        takeBasic: host(log, "take-basic", (s: string) => assert.equal(s, "latin utf16")),
        returnUnicode: host(log, "return-unicode", () => "🚀🚀🚀 𠈄𓀀"),
      },
    };
  },
  run(e, log) {
    call(log, "test-imports", () => e.testImports());
    assert.equal(call(log, "return-empty", () => e.returnEmpty()), "");
    for (const s of ["str", "🚀🚀🚀 𠈄𓀀", "x".repeat(5000)]) {
      assert.equal(call(log, "roundtrip", () => e.roundtrip(s)), s);
    }
  },
};

export const variants: ComponentCase = {
  file: "p2-custom-world/variants.component.wasm",
  imports(log) {
    return {
      "test:variants/test": {
        ...echoes(log, ["roundtripOption", "roundtripEnum", "variantCasts", "variantZeros"]),
        roundtripResult: host(log, "roundtrip-result", (x: { tag: string; val: number }) => {
          if (x.tag === "ok") return x.val;
          throw Object.assign(new Error(""), { payload: Math.round(x.val) });
        }),
        invertBool: host(log, "invert-bool", (x: boolean) => !x),
        variantTypedefs: host(log, "variant-typedefs", () => {}),
        variantEnums: host(log, "variant-enums", (a: boolean, b: unknown, c: string) => {
          assert.deepStrictEqual([a, b, c], [true, { tag: "ok", val: undefined }, "success"]);
          return [false, { tag: "err", val: undefined }, "a"];
        }),
      },
    };
  },
  run(e, log) {
    call(log, "test-imports", () => e.testImports());
    const t = e.test;
    for (const v of [1, undefined, 2]) call(log, "roundtrip-option", () => t.roundtripOption(v));
    call(log, "roundtrip-result ok", () => t.roundtripResult({ tag: "ok", val: 2 }));
    call(
      log,
      "roundtrip-result err",
      () => t.roundtripResult({ tag: "err", val: Math.fround(5.2) }),
    );
    for (const v of ["a", "b"]) call(log, "roundtrip-enum", () => t.roundtripEnum(v));
    for (const v of [true, false]) call(log, "invert-bool", () => t.invertBool(v));
    call(
      log,
      "variant-casts a",
      () =>
        t.variantCasts([{ tag: "a", val: 1 }, { tag: "a", val: 2 }, { tag: "a", val: 3 }, {
          tag: "a",
          val: 4n,
        }, {
          tag: "a",
          val: 5n,
        }, { tag: "a", val: 6 }]),
    );
    call(
      log,
      "variant-casts b",
      () =>
        t.variantCasts([{ tag: "b", val: 1n }, { tag: "b", val: 2 }, { tag: "b", val: 3 }, {
          tag: "b",
          val: 4,
        }, {
          tag: "b",
          val: 5,
        }, { tag: "b", val: 6 }]),
    );
    call(
      log,
      "variant-zeros",
      () =>
        t.variantZeros([{ tag: "a", val: 1 }, { tag: "a", val: 2n }, { tag: "a", val: 3 }, {
          tag: "a",
          val: 4,
        }]),
    );
    call(
      log,
      "variant-zeros b",
      () => t.variantZeros([{ tag: "b" }, { tag: "b" }, { tag: "b" }, { tag: "b" }]),
    );
    call(
      log,
      "variant-typedefs",
      () => t.variantTypedefs(undefined, false, { tag: "err", val: undefined }),
    );
    // (This fixture's own variant-enums export is unimplemented; test-imports called the host's.)
  },
};

export const options: ComponentCase = {
  file: "p2-custom-world/options.component.wasm",
  imports(log) {
    return {
      "test:options/test": {
        optionNoneParam: host(log, "option-none-param", (a: unknown) => assert.equal(a, undefined)),
        optionSomeParam: host(log, "option-some-param", (a: unknown) => assert.equal(a, "foo")),
        optionNoneResult: host(log, "option-none-result", () => undefined),
        optionSomeResult: host(log, "option-some-result", () => "foo"),
        ...echoes(log, ["optionRoundtrip", "doubleOptionRoundtrip"]),
      },
    };
  },
  run(e, log) {
    call(log, "test-imports", () => e.testImports());
    const t = e.test;
    call(log, "option-none-param", () => t.optionNoneParam(undefined));
    call(log, "option-some-param", () => t.optionSomeParam("foo"));
    assert.equal(call(log, "option-none-result", () => t.optionNoneResult()), undefined);
    assert.equal(call(log, "option-some-result", () => t.optionSomeResult()), "foo");
    call(log, "option-roundtrip", () => t.optionRoundtrip("foo"));
    for (const v of [{ tag: "some", val: 42 }, { tag: "some", val: undefined }, { tag: "none" }]) {
      assert.deepEqual(call(log, "double-option-roundtrip", () => t.doubleOptionRoundtrip(v)), v);
    }
  },
};

export const results: ComponentCase = {
  file: "p2-custom-world/results.component.wasm",
  jcoBug: {
    labels: ["doubleError(1)"],
    why:
      'jco lowers the host\'s Ok(Err("one")) for result<result<_, string>, string> as Ok(Ok(()))',
  },
  imports(log) {
    const err = (payload: unknown) => Object.assign(new Error("err"), { payload });
    return {
      "test:results/test": {
        stringError: host(log, "string-error", (a: number) => {
          if (a === 0) throw err("zero");
          return a;
        }),
        enumError: host(log, "enum-error", (a: number) => {
          if (a === 0) throw err("a");
          return a;
        }),
        recordError: host(log, "record-error", (a: number) => {
          if (a === 0) throw err({ line: 420, column: 0 });
          if (a === 1) throw err({ line: 77, column: 2 });
          return a;
        }),
        variantError: host(log, "variant-error", (a: number) => {
          if (a === 0) throw err({ tag: "e2", val: { line: 420, column: 0 } });
          if (a === 1) throw err({ tag: "e1", val: "b" });
          if (a === 2) throw err({ tag: "e1", val: "c" });
          return a;
        }),
        emptyError: host(log, "empty-error", (a: number) => {
          if (a === 0) throw err(undefined);
          return a === 1 ? 42 : a;
        }),
        doubleError: host(log, "double-error", (a: number) => {
          // An outer result object, so the inner one is not taken for it.
          if (a === 0) return { tag: "ok", val: { tag: "ok", val: undefined } };
          if (a === 1) return { tag: "ok", val: { tag: "err", val: "one" } };
          throw err("two");
        }),
      },
    };
  },
  run(e, log, engine) {
    const t = e.test;
    for (
      const [f, args] of [
        ["stringError", [0, 1]],
        ["enumError", [0, 1]],
        ["recordError", [0, 1, 2]],
        ["variantError", [0, 1, 2, 3]],
        ["emptyError", [0, 1, 2]],
        ["doubleError", [0, 1, 2]],
      ] as const
    ) {
      for (const a of args) call(log, `${f}(${a})`, () => t[f](a));
    }
    const inner = call(log, "doubleError(1)", () => t.doubleError(1));
    if (engine === "gannet") assert.deepEqual(inner, { tag: "err", val: "one" });
  },
};
