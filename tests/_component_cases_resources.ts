/**
 * Hosts and drivers for the resource components of
 * `../shared/components/{no-wasi,p2-custom-world}` (after wit-bindgen's
 * runtime tests): host resources as JS classes, exported resources as the
 * classes the bindings give, own/borrow in every aggregate, destructors.
 */
import assert from "node:assert/strict";
import { call, type ComponentCase, host, type Log } from "./_component_transcript.ts";

type Any = Record<string, unknown>;

/** A host resource class recording its life (wit-bindgen's leaf `thing`: stores v + 1). */
function thingClass(log: Log, name: string) {
  return class Thing {
    value: number;
    constructor(v: number) {
      log.push([`host new ${name}`, v]);
      this.value = v + 1;
    }
    foo() {
      log.push([`host ${name}.foo`, this.value]);
      return this.value + 2;
    }
    bar(v: number) {
      log.push([`host ${name}.bar`, v]);
      this.value = v + 3;
    }
    static baz(a: Thing, b: Thing) {
      log.push([`host ${name}.baz`]);
      return new Thing(a.foo() + b.foo() + 4);
    }
    [Symbol.dispose]() {
      log.push([`host drop ${name}`, this.value]);
    }
  };
}

const importAndExport = (file: string): ComponentCase => {
  let HostThing: ReturnType<typeof thingClass>;
  return {
    file,
    imports(log) {
      HostThing = thingClass(log, "thing");
      return {
        "test:resource-import-and-export/test": { Thing: HostThing },
        "toplevel-import": { default: host(log, "toplevel-import", (a: unknown) => a) },
      };
    },
    run(e, log) {
      const T = e.test.Thing;
      const t1 = call(log, "new", () => new T(42));
      call(log, "foo", () => t1.foo());
      call(log, "bar", () => t1.bar(33));
      call(log, "foo", () => t1.foo());
      const t2 = call(log, "new", () => new T(81));
      const t3 = call(log, "baz", () => T.baz(t1, t2));
      call(log, "foo", () => t3.foo());
      call(log, "t1 was moved", () => t1.foo());
      const h = new HostThing(7);
      const t4 = call(log, "toplevel-export", () => e.toplevelExport(h));
      call(log, "same host object back", () => t4 === h);
      call(log, "export thing is not the import thing (moved)", () => e.toplevelExport(t3));
    },
  };
};

const borrowSimple = (file: string): ComponentCase => ({
  file,
  imports(log) {
    class R {
      constructor() {
        log.push(["host new r"]);
      }
    }
    return {
      r: { default: R },
      test: { default: host(log, "test", (r: R) => assert.ok(r instanceof R)) },
    };
  },
  run(e, log) {
    call(log, "test-imports", () => e.testImports());
  },
});

const ownership = (file: string): ComponentCase => ({
  file,
  imports(log) {
    class TheResource {
      list: string[];
      constructor(list: string[]) {
        log.push(["host new the-resource", list]);
        this.list = list;
      }
    }
    return {
      lists: { foo: host(log, "foo", (l: string[][]) => l) },
      "thing-in": { bar: host(log, "bar", () => {}) },
      "thing-in-and-out": { baz: host(log, "baz", (t: unknown) => t) },
      "test:ownership/both-list-and-resource": {
        TheResource,
        listAndResource: host(log, "list-and-resource", (t: { a: string[]; b: TheResource }) => {
          assert.deepEqual(t.a, t.b.list);
        }),
      },
    };
  },
  run(e, log) {
    call(log, "foo", () => e.foo());
  },
});

/** A host resource made from a string (wit-bindgen's `thing` of the alias and record tests). */
function stringThing() {
  return class Thing {
    s: string;
    constructor(s: string) {
      this.s = s + " HostThing";
    }
    get() {
      return this.s + " HostThing.get";
    }
  };
}

const redux = { Host: null as unknown as new (s: string) => unknown };
const floats = { Host: null as unknown as new (v: number) => unknown };

export const resourceCases: ComponentCase[] = [
  importAndExport("p2-custom-world/resource-import-and-export.component.wasm"),
  importAndExport("p2-custom-world/resource_import_and_export.component.wasm"),
  borrowSimple("no-wasi/resource-borrow-simple.component.wasm"),
  borrowSimple("p2-custom-world/resource_borrow_simple.component.wasm"),
  ownership("p2-custom-world/owning.component.wasm"),
  ownership("p2-custom-world/borrowing.component.wasm"),
  ownership("p2-custom-world/borrowing-duplicate-if-necessary.component.wasm"),
  {
    file: "p2-custom-world/resource_aggregates.component.wasm",
    imports(log) {
      class Thing {
        value: number;
        constructor(v: number) {
          this.value = v + 1;
        }
      }
      const v = (t: unknown) => (t as Thing).value;
      return {
        "test:resource-aggregates/test": {
          Thing,
          foo: host(log, "foo", (...a: Any[]) => {
            const [r1, r2, r3, t1, t2, v1, v2, l1, l2, o1, o2, res1, res2] = a as never as [
              Any,
              Any,
              Any,
              unknown[],
              unknown[],
              Any,
              Any,
              unknown[],
              unknown[],
              unknown,
              unknown,
              Any,
              Any,
            ];
            return v(r1.thing) + v(r2.thing) + v(r3.thing1) + v(r3.thing2) + v(t1[0]) +
              v((t1[1] as Any).thing) + v(t2[0]) + v(v1.val) + v(v2.val) +
              l1.reduce((s: number, t) => s + v(t), 0) + l2.reduce((s: number, t) => s + v(t), 0) +
              (o1 === undefined ? 0 : v(o1)) + (o2 === undefined ? 0 : v(o2)) +
              (res1.tag === "ok" ? v(res1.val) : 0) + (res2.tag === "ok" ? v(res2.val) : 0) + 3;
          }),
        },
      };
    },
    run(e, log) {
      const T = e.test.Thing;
      const n = (x: number) => new T(x);
      const b = n(100);
      call(log, "foo", () =>
        e.test.foo(
          { thing: n(1) },
          { thing: b },
          { thing1: b, thing2: n(2) },
          [n(3), { thing: n(4) }],
          [b],
          { tag: "thing", val: n(5) },
          { tag: "thing", val: b },
          [n(6), n(7)],
          [b, b],
          n(8),
          b,
          { tag: "ok", val: n(9) },
          { tag: "err", val: undefined },
        ));
    },
  },
  {
    file: "p2-custom-world/resource_alias.component.wasm",
    run(e, log) {
      const x = call(log, "new e1.X", () => new e.e1.X(42));
      const l = call(log, "e1.a", () => e.e1.a({ x }));
      call(log, "e1.a result", () => l.length);
      const y = call(log, "new e1.X", () => new e.e1.X(7));
      const y2 = call(log, "new e1.X", () => new e.e1.X(8));
      call(log, "e2.a", () => e.e2.a({ x: y }, { x: y2 }, l[0]));
    },
  },
  {
    file: "p2-custom-world/resource_alias_redux.component.wasm",
    imports(log) {
      const Thing = stringThing();
      redux.Host = Thing;
      return {
        "test:resource-alias-redux/resource-alias1": {
          Thing,
          a: host(log, "alias1.a", (f: { thing: unknown }) => [f.thing]),
        },
        "test:resource-alias-redux/resource-alias2": {
          b: host(
            log,
            "alias2.b",
            (f: { thing: unknown }, g: { thing: unknown }) => [f.thing, g.thing],
          ),
        },
      };
    },
    run(e, log) {
      const T = e.resourceAlias1.Thing;
      const things = call(log, "a", () => e.resourceAlias1.a({ thing: new T("Ni Hao") }));
      call(log, "get", () => things[0].get());
      const l2 = call(
        log,
        "b",
        () => e.resourceAlias2.b({ thing: new T("a") }, { thing: new T("b") }),
      );
      call(log, "gets", () => l2.map((t: { get(): string }) => t.get()));
      const back = call(log, "test", () => e.test([new redux.Host("c"), new redux.Host("d")]));
      call(log, "gets", () => back.map((t: { get(): string }) => t.get()));
    },
  },
  {
    file: "p2-custom-world/resource_borrow_export.component.wasm",
    run(e, log) {
      const t = call(log, "new", () => new e.test.Thing(42));
      call(log, "foo", () => e.test.foo(t));
      call(log, "foo again", () => e.test.foo(t));
    },
  },
  {
    file: "p2-custom-world/resource_borrow_import.component.wasm",
    imports(log) {
      const Thing = thingClass(log, "thing");
      return {
        "test:resource-borrow-import/test": {
          Thing,
          foo: host(log, "foo", (t: InstanceType<typeof Thing>) => t.value + 2),
        },
      };
    },
    run(e, log) {
      call(log, "test", () => e.test(42));
    },
  },
  {
    file: "p2-custom-world/resource_borrow_in_record.component.wasm",
    imports(log) {
      const Thing = stringThing();
      return {
        "test:resource-borrow-in-record/test": {
          Thing,
          test: host(
            log,
            "test",
            (a: { thing: InstanceType<typeof Thing> }[]) =>
              a.map((f) => new Thing(f.thing.get() + " test")),
          ),
        },
      };
    },
    run(e, log) {
      const T = e.test.Thing;
      const things = [new T("Bonjour"), new T("mon cher")];
      const r = call(log, "test", () => e.test.test(things.map((thing) => ({ thing }))));
      call(log, "gets", () => r.map((t: { get(): string }) => t.get()));
      call(log, "originals still usable", () => things.map((t) => t.get()));
    },
  },
  {
    file: "p2-custom-world/resource_floats.component.wasm",
    imports(log) {
      const float = (name: string, add: boolean) => {
        class Float {
          v: number;
          constructor(v: number) {
            log.push([`host new ${name}`, v]);
            this.v = v + 1;
          }
          get() {
            return this.v + 3;
          }
          static add(a: Float, b: number) {
            return new Float(a.v + b + 5);
          }
        }
        if (!add) Reflect.deleteProperty(Float, "add");
        return Float;
      };
      floats.Host = float("test.float", false);
      return {
        "test:resource-floats/test": { Float: floats.Host },
        imports: { Float: float("imports.float", true) },
      };
    },
    run(e, log) {
      const F = e.exports.Float;
      const a = call(log, "new", () => new F(42));
      const b = call(log, "new", () => new F(55));
      call(log, "get", () => a.get());
      const c = call(log, "add", () => F.add(a, 1));
      call(log, "get", () => c.get());
      call(log, "top add takes the imported float (moved)", () => e.add(b, c));
      const top = call(log, "top add", () => e.add(new floats.Host(1), new floats.Host(2)));
      call(log, "get", () => top?.get());
    },
  },
  {
    file: "p2-custom-world/resource_into_inner.component.wasm",
    run(e, log) {
      call(log, "test", () => e.test.test());
      const t = call(log, "new", () => new e.test.Thing("Jabberwocky"));
      call(log, "dispose", () => t[Symbol.dispose]());
    },
  },
  {
    file: "p2-custom-world/resource_with_lists.component.wasm",
    imports(log) {
      class Thing {
        l: Uint8Array;
        constructor(l: Uint8Array) {
          log.push(["host new", l]);
          this.l = Uint8Array.from([...l, ...new TextEncoder().encode(" HostThing")]);
        }
        foo() {
          return Uint8Array.from([...this.l, ...new TextEncoder().encode(" HostThing.foo")]);
        }
        bar(l: Uint8Array) {
          this.l = Uint8Array.from([...l, ...new TextEncoder().encode(" HostThing.bar")]);
        }
        static baz(l: Uint8Array) {
          return Uint8Array.from([...l, ...new TextEncoder().encode(" HostThing.baz")]);
        }
      }
      return { "test:resource-with-lists/test": { Thing } };
    },
    run(e, log) {
      const T = e.test.Thing;
      const enc = (s: string) => new TextEncoder().encode(s);
      const t = call(log, "new", () => new T(enc("Hi")));
      call(log, "foo", () => t.foo());
      call(log, "bar", () => t.bar(enc("Hola")));
      call(log, "foo", () => t.foo());
      call(log, "baz", () => T.baz(enc("Ohayo Gozaimas")));
    },
  },
  {
    file: "p2-custom-world/resources.component.wasm",
    imports(log) {
      class Y {
        a: number;
        constructor(a: number) {
          log.push(["host new y", a]);
          this.a = a;
        }
        getA() {
          return this.a;
        }
        setA(a: number) {
          this.a = a;
        }
        static add(y: Y, a: number) {
          return new Y(y.a + a);
        }
        [Symbol.dispose]() {
          log.push(["host drop y", this.a]);
        }
      }
      return { imports: { Y } };
    },
    run(e, log) {
      const { X, Z, KebabCase } = e.exports;
      call(log, "test-imports", () => e.exports.testImports());
      const x = call(log, "new X", () => new X(5));
      call(log, "get-a", () => x.getA());
      call(log, "set-a", () => x.setA(10));
      call(log, "get-a", () => x.getA());
      const z1 = new Z(10), z2 = new Z(20);
      const xadd = call(log, "X.add", () => X.add(x, 5));
      call(log, "get-a", () => xadd.getA());
      const zadd = call(log, "add", () => e.exports.add(z1, z2));
      call(log, "get-a", () => zadd.getA());
      const start = call(log, "num-dropped", () => Z.numDropped());
      z1[Symbol.dispose]();
      z2[Symbol.dispose]();
      call(log, "consume", () => e.exports.consume(xadd));
      assert.equal(call(log, "num-dropped", () => Z.numDropped()), start + 2);
      const k = call(log, "new KebabCase", () => new KebabCase(3));
      call(log, "kebab get-a", () => k.getA());
      call(log, "take-owned", () => KebabCase.takeOwned(k));
      call(log, "moved", () => k.getA());
      call(log, "x was moved", () => x.getA());
    },
  },
  {
    file: "p2-custom-world/rust_xcrate.component.wasm",
    imports(log) {
      const X = (name: string) =>
        class X {
          constructor() {
            log.push([`host new ${name}.x`]);
          }
          foo() {
            log.push([`host ${name}.x.foo`]);
          }
        };
      return {
        "test:xcrate/a-imports": { X: X("a"), a: host(log, "a", () => {}) },
        "test:xcrate/b-imports": { X: X("b"), b: host(log, "b", () => {}) },
      };
    },
    run(e, log) {
      call(log, "b", () => e.b());
      const x = call(log, "new X", () => new e.anExportedInterface.X());
      call(log, "foo", () => x.foo());
    },
  },
];
