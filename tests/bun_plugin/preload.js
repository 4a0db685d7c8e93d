// The preload script bunfig.toml names: registers Gannet's plugin with the
// imports and WASI options the fixture's modules need.
import { register } from "../../src/bun_plugin.ts";

/** What hello.wasm writes to stdout, collected for main.js to print. */
globalThis.helloOutput = [];
const decoder = new TextDecoder();

register({
  imports: { env: { log: (x) => console.log(`result log ${x}`) } },
  wasi: { env: { GREETING: "hi from preload" } },
  files: {
    "./hello.wasm": {
      wasi: {
        args: ["hello", "one", "two words"],
        preopens: { "/data": "./data" },
        stdout: (chunk) => globalThis.helloOutput.push(decoder.decode(chunk)),
      },
    },
  },
});
