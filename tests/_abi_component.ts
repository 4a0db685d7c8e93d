/**
 * A component that passes values of given types through the canonical ABI
 * both ways: its exported `test:abi/guest` functions `f<i>: func(a: T<i>) ->
 * T<i>` hand their flat arguments (or spilled argument pointer) straight to
 * the imported `test:abi/host` function of the same type and return its
 * result (or return pointer). A call lowers the host's value into the
 * guest's memory, lifts it for the import, lowers the import's result and
 * lifts it again. Built from generated WIT and WAT with jco-transpile's
 * wasm-tools (tests only: it needs native WebAssembly).
 */
import {
  alignTo,
  F32,
  F64,
  I32,
  I64,
  layoutOf,
  MAX_FLAT_PARAMS,
} from "../src/component/abi/layout.ts";
import type { ValType } from "../src/component/types.ts";
import { parseWat } from "../src/text/parse_wat.ts";
import { jcoTool } from "./_native_tools.ts";
import { bumpRealloc } from "../src/component/abi/_test_env.ts";

/** WIT for `types`: the named types (records, variants, enums, flags) each get a definition. */
export function witFor(types: ValType[]): string {
  const names = new Map<ValType, string>();
  const defs: string[] = [];
  const ref = (t: ValType): string => {
    switch (t.kind) {
      case "list":
        return t.length === null
          ? `list<${ref(t.element)}>`
          : `list<${ref(t.element)}, ${t.length}>`;
      case "tuple":
        return `tuple<${t.types.map(ref).join(", ")}>`;
      case "option":
        return `option<${ref(t.type)}>`;
      case "result":
        if (t.ok === null && t.error === null) return "result";
        if (t.error === null) return `result<${ref(t.ok!)}>`;
        return `result<${t.ok === null ? "_" : ref(t.ok)}, ${ref(t.error)}>`;
      case "record":
      case "variant":
      case "enum":
      case "flags": {
        let n = names.get(t);
        if (n !== undefined) return n;
        const body = t.kind === "record"
          ? t.fields.map((f) => `${f.name}: ${ref(f.type)}`)
          : t.kind === "variant"
          ? t.cases.map((c) => c.type === null ? c.name : `${c.name}(${ref(c.type)})`)
          : t.names;
        n = `t${names.size}`;
        names.set(t, n);
        defs.push(`  ${t.kind} ${n} {\n${body.map((b) => `    ${b},\n`).join("")}  }`);
        return n;
      }
      default:
        return t.kind;
    }
  };
  const funcs = types.map((t, i) => `  f${i}: func(a: ${ref(t)}) -> ${ref(t)};`).join("\n");
  const used = [...names.values()].join(", ");
  const use = used === "" ? "" : `  use types.{${used}};\n`;
  return `package test:abi;
interface types {
${defs.join("\n")}
}
interface host {
${use}${funcs}
}
interface guest {
${use}${funcs}
}
world abi {
  import host;
  export guest;
}
`;
}

const WAT_TYPE: Record<number, string> = { [I32]: "i32", [I64]: "i64", [F32]: "f32", [F64]: "f64" };

/** The core module: memory, a bump `cabi_realloc`, and one pass-through function per type. */
export function watFor(types: ValType[]): string {
  let area = 1024;
  const funcs = types.map((t, i) => {
    const l = layoutOf(t);
    const params = l.flat.length > MAX_FLAT_PARAMS ? [I32] : [...l.flat];
    const spill = l.flat.length > 1;
    area = alignTo(area, 8);
    const retArea = area;
    if (spill) area += l.size;
    const p = params.map((x) => WAT_TYPE[x]).join(" ");
    const r = spill ? "" : `(result ${WAT_TYPE[l.flat[0]]})`;
    const args = params.map((_, k) => `(local.get ${k})`).join(" ");
    return {
      imp: `(import "test:abi/host" "f${i}" (func $h${i} (param ${p}${spill ? " i32" : ""}) ${r}))`,
      // The arguments were lifted by the time the import's result is lowered, so
      // each call starts the heap afresh: memory stays bounded over any number of calls.
      def: `(func (export "test:abi/guest#f${i}") (param ${p}) (result ${
        spill ? "i32" : WAT_TYPE[l.flat[0]]
      })
    (global.set $next (global.get $heap))
    (call $h${i} ${args}${spill ? ` (i32.const ${retArea})` : ""})${
        spill ? ` (i32.const ${retArea})` : ""
      })`,
    };
  });
  const heap = alignTo(area, 8);
  return `(module
  ${funcs.map((f) => f.imp).join("\n  ")}
  (memory (export "memory") 1)
  (global $heap i32 (i32.const ${heap}))
  (global $next (mut i32) (i32.const ${heap}))
  ${bumpRealloc("cabi_realloc")}
  ${funcs.map((f) => f.def).join("\n  ")})`;
}

/** The component passing `types` through the ABI. */
export async function abiComponent(types: ValType[]): Promise<Uint8Array> {
  const binary = new Uint8Array(parseWat(watFor(types)));
  const embedded = await jcoTool<Uint8Array>("componentEmbed", {
    binary,
    witSource: witFor(types),
    world: "abi",
  });
  return await jcoTool<Uint8Array>("componentNew", embedded);
}
