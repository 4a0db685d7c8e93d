// Imports .wasm and .wat files through the plugin and prints what it sees,
// one "result <what> <value>" line each, for bun_plugin_test.ts to check.
import { add, answer, mem, mul, store } from "./math.wasm";
import math from "./math.wasm";
import * as mathNamespace from "./math.wasm";
import { sum } from "./logsum.wat";
import { quadruple } from "./glue.wat";
import counter, { increment } from "./counter.wasm";
import hello from "./hello.wasm";

const show = (what, value) => console.log(`result ${what} ${JSON.stringify(value)}`);

show("add", add(2, 3));
show("mul", String(mul(6n, 7n)));
show("answer", answer.value);
store(8, 0x01020304);
show("mem", Array.from(new Uint8Array(mem.buffer, 8, 4)));
// Compiled and run by Gannet, not by Bun's own WebAssembly.
show("native-memory", mem instanceof WebAssembly.Memory);
show("default-keys", Object.keys(math).sort());
show("default-is-exports", math.add === add);
show("namespace-keys", Object.keys(mathNamespace).sort());
show("sum", sum(20, 22));
show("quadruple", quadruple(5));
show("increment", [increment(1), counter.increment(10)]);
counter.report();
show("hello-start", hello._start());
show("hello-output", globalThis.helloOutput.join(""));

for (const file of ["./broken.wasm", "./missing.wat"]) {
  try {
    await import(file);
    show(`error ${file}`, "none");
  } catch (e) {
    show(`error ${file}`, `${e.name}: ${e.message}`);
  }
}
