// npm postinstall: point node_modules/.bin/deno at deno's JS launcher.
// deno's own postinstall replaces that link with the native binary, but
// `deno task` runs anything it finds in node_modules/.bin as a JS script, so
// every task starting with `deno …` would fail. The launcher spawns the same
// pinned binary, for `npx deno`, `deno task` and PATH lookups alike.
const fs = require("node:fs");
const path = require("node:path");
const bin = path.join(__dirname, "..", "node_modules", ".bin", "deno");
const launcher = path.join("..", "deno", "bin.cjs");
try {
  fs.rmSync(bin, { force: true });
  fs.symlinkSync(launcher, bin);
} catch (err) {
  console.warn(`could not relink ${bin}: ${err.message}`);
}
