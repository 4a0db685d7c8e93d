/**
 * Keeps TIERS.md honest: every feature the README names has a row; the
 * features the tiers must always cover (each proposal, the WASI versions,
 * components, the JIT, the embedder controls, each host) have rows; every
 * CI suite and fuzz target a row names exists; and every Tier 1 row names
 * at least one of each.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoDir } from "./_shared.ts";
import { TARGETS } from "./fuzz/targets.ts";

interface Row {
  feature: string;
  tier: string;
  suites: string[];
  targets: string[];
}

const tiers = readFileSync(join(repoDir(), "TIERS.md"), "utf8");
const readme = readFileSync(join(repoDir(), "README.md"), "utf8");

/** Backticked words of a table cell. */
const ticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

function rows(): Row[] {
  const section = tiers.slice(tiers.indexOf("## Features"));
  return section.split("\n")
    .filter((l) => l.startsWith("| ") && !l.startsWith("| Feature") && !l.startsWith("| ---"))
    .map((l) => {
      const cells = l.split("|").slice(1, -1).map((c) => c.trim());
      return {
        feature: cells[0],
        tier: cells[1],
        suites: ticked(cells[2]),
        targets: ticked(cells[3]),
      };
    });
}

const table = rows();
const has = (name: string) => table.some((r) => r.feature.includes(name));

/** Words the README may use for a feature → the row that must cover it. */
const README_TERMS: [RegExp, string][] = [
  [/WASI preview1/, "WASI preview1"],
  [/wasi_unstable/, "`wasi_unstable`"],
  [/WASI 0\.2|wasip2|preview2/i, "WASI 0.2"],
  [/wasi-threads/, "wasi-threads"],
  [/\bcomponents?\b/i, "components"],
  [/\bJIT\b|--jit/, "JIT"],
  [/\bfuel\b/i, "fuel"],
  [/\bdeadlines?\b/i, "deadlines"],
  [/Suspending|suspension|suspend/i, "suspension"],
  [/snapshot/i, "snapshots"],
  [/polyfill/, "polyfill"],
  [/\bCLI\b/, "CLI"],
  [/bun-plugin|Bun plugin/, "Bun plugin"],
  [/\bDeno\b/, "host: Deno"],
  [/\bBun\b/, "host: Bun"],
  [/jitless/, "host: jitless"],
  [/`parseWat`|WAT|text format/, "text format"],
  [/Memories grow in place/, "memory growth in place"],
  [/\bthreads\b/, "`threads`"],
];

/** What the tiers must cover whatever the README says (the list). */
const ALWAYS = [
  "`core`",
  "`simd`",
  "`relaxed-simd`",
  "`tail-call`",
  "`memory64`",
  "`multi-memory`",
  "`extended-const`",
  "`threads`",
  "`exceptions`",
  "`gc`",
  "`function-references`",
  "WASI preview1",
  "`wasi_unstable`",
  "WASI 0.2",
  "wasi-threads",
  "components",
  "JIT",
  "fuel",
  "deadlines",
  "suspension",
  "snapshots",
  "host: Deno",
  "host: Bun",
  "host: jitless",
];

describe("TIERS.md", () => {
  it("has a row per feature, each in tier 1, 2 or 3", () => {
    assert.ok(table.length >= ALWAYS.length, `${table.length} rows`);
    for (const r of table) assert.match(r.tier, /^[123]$/, r.feature);
    for (const name of ALWAYS) assert.ok(has(name), `no row for ${name}`);
  });

  it("covers every proposal in the README's --features list", () => {
    const start = readme.indexOf("`--features` takes a comma list of proposal names");
    assert.ok(start >= 0, "README no longer describes --features");
    const list = readme.slice(start, readme.indexOf("or `all`", start));
    const names = ticked(list).filter((n) => n !== "--features");
    assert.ok(names.length >= 6, `only ${names.length} names in the README's list`);
    for (const name of names) assert.ok(has(`\`${name}\``), `README names ${name}; no row`);
  });

  it("covers every feature the README mentions", () => {
    for (const [term, row] of README_TERMS) {
      if (term.test(readme)) assert.ok(has(row), `README mentions ${term}; no row "${row}"`);
    }
  });

  it("names CI suites and fuzz targets that exist", () => {
    for (const r of table) {
      for (const s of r.suites) {
        assert.ok(existsSync(join(repoDir(), s)), `${r.feature}: no CI suite ${s}`);
      }
      for (const t of r.targets) assert.ok(t in TARGETS, `${r.feature}: no fuzz target ${t}`);
    }
  });

  it("backs every Tier 1 row with a CI suite and a fuzz target", () => {
    const tier1 = table.filter((r) => r.tier === "1");
    assert.ok(tier1.length > 0);
    for (const r of tier1) {
      assert.ok(r.suites.length > 0, `${r.feature}: Tier 1 without a CI suite`);
      assert.ok(r.targets.length > 0, `${r.feature}: Tier 1 without a fuzz target`);
    }
  });
});
