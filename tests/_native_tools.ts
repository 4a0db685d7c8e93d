/**
 * jco-transpile's tools for tests (`componentNew`, `componentEmbed`,
 * `transpileBytes`). They are themselves wasm: where this runtime has no
 * native WebAssembly (`--jitless`), they run in a Node child process.
 */
import { spawnSync } from "node:child_process";
import { Buffer } from "node:buffer";
import { repoDir } from "./_shared.ts";

const hasNativeWasm = typeof (globalThis as { WebAssembly?: unknown }).WebAssembly === "object";

const TOOLS = {
  componentNew: "@bytecodealliance/jco-transpile/wasm-tools",
  componentEmbed: "@bytecodealliance/jco-transpile/wasm-tools",
  transpileBytes: "@bytecodealliance/jco-transpile",
};

function encode(v: unknown): unknown {
  if (v instanceof Uint8Array) return { $b64: Buffer.from(v).toString("base64") };
  if (Array.isArray(v)) return v.map(encode);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
  }
  return v;
}

function decode(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return v;
  if ("$b64" in v) return new Uint8Array(Buffer.from((v as { $b64: string }).$b64, "base64"));
  if (Array.isArray(v)) return v.map(decode);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
}

const CHILD = `
const encode = ${encode.toString()};
const decode = ${decode.toString()};
let input = "";
process.stdin.on("data", (d) => input += d).on("end", async () => {
  const { module, fn, args } = JSON.parse(input);
  const tools = await import(module);
  const out = await tools[fn](...args.map(decode));
  process.stdout.write(JSON.stringify(encode(out)));
});`;

/** Calls jco-transpile's `fn` with `args`; resolves to what it returns. */
export async function jcoTool<T>(fn: keyof typeof TOOLS, ...args: unknown[]): Promise<T> {
  if (hasNativeWasm) {
    const tools = await import(TOOLS[fn]);
    return await tools[fn](...args) as T;
  }
  const r = spawnSync("node", [
    "--input-type=module",
    "-e",
    `const Buffer = globalThis.Buffer;${CHILD}`,
  ], {
    cwd: repoDir(),
    input: JSON.stringify({ module: TOOLS[fn], fn, args: args.map(encode) }),
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`jco-transpile ${fn} in node failed: ${r.stderr}`);
  return decode(JSON.parse(r.stdout)) as T;
}
