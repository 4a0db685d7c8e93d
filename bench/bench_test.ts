/**
 * Smoke tests of the benchmark harnesses: option parsing, output checking,
 * a quick in-process run of `noop`, and the micro kernels' agreement. No
 * timing is asserted.
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { corpus } from "../tests/_shared.ts";
import { checkNames, parseBenchArgs, UsageError } from "./_args.ts";
import {
  checkExpected,
  compareOutputs,
  loadPrograms,
  type Output,
  type Program,
  selectPrograms,
} from "./_catalog.ts";
import { gannetEngine, nativeEngine } from "./_inproc.ts";
import { geomean, table } from "./_report.ts";
import { formatInProcess, runInProcess } from "./main.ts";
import { kernelRun } from "./micro.ts";
import { MICRO_KERNELS } from "./_micro_kernels.ts";
import { startHarness } from "./_start.ts";

const fake: Program = {
  name: "fake",
  group: "kernel",
  wasm: "/nonexistent.wasm",
  args: { quick: ["1"], default: ["10"] },
  dir: null,
  expectStdout: "fake n=10\n",
  expectStderr: null,
  acceptance: false,
  inQuick: true,
};
const out = (stdout: string, status = 0): Output => ({ stdout, stderr: "", status });

describe("bench options", () => {
  it("parses every option", () => {
    const a = parseBenchArgs([
      "--quick",
      "--only",
      "noop,sieve",
      "--only=fib_rec",
      "--runs",
      "3",
      "--json=/tmp/x.json",
      "--arg",
      "sieve=1000",
      "--micro",
    ]);
    assert.equal(a.scale, "quick");
    assert.deepEqual(a.only, ["noop", "sieve", "fib_rec"]);
    assert.equal(a.runs, 3);
    assert.equal(a.json, "/tmp/x.json");
    assert.deepEqual(a.argOverrides, { sieve: ["1000"] });
    assert.equal(a.micro, true);
    assert.equal(parseBenchArgs([]).scale, "default");
    assert.equal(parseBenchArgs(["--scale", "quick"]).scale, "quick");
  });
  it("rejects bad options with the option's name", () => {
    assert.throws(() => parseBenchArgs(["--runs", "0"]), /--runs 0/);
    assert.throws(() => parseBenchArgs(["--runs"]), /--runs needs a value/);
    assert.throws(() => parseBenchArgs(["--scale", "huge"]), /--scale huge/);
    assert.throws(() => parseBenchArgs(["--arg", "=5"]), /NAME=ARGS/);
    assert.throws(() => parseBenchArgs(["--fast"]), UsageError);
    assert.throws(
      () => checkNames(parseBenchArgs(["--only", "nope"]), ["noop"]),
      /unknown program "nope"/,
    );
  });

  it("starts a harness: selection, its filter, and exit statuses for bad input", () => {
    const errors: string[] = [];
    const error = console.error;
    console.error = (m: string) => errors.push(m);
    try {
      assert.equal(startHarness("t", ["--fast"]), 2);
      assert.equal(
        startHarness("t", ["--only", "coremark"], { keep: (p) => p.name !== "coremark" }),
        2,
      );
      assert.deepEqual(startHarness("t", ["--micro"], { needsCorpus: (a) => !a.micro }), {
        args: parseBenchArgs(["--micro"]),
        all: [],
        programs: [],
      });
    } finally {
      console.error = error;
    }
    assert.match(errors[0], /^t: unknown option --fast\n/);
    assert.match(errors[1], /^t: unknown program "coremark"/);
    if (corpus("bench") === null) return; // the corpus tests below report its absence
    const start = startHarness("t", ["--only", "noop,sieve"]);
    assert.ok(typeof start !== "number");
    assert.deepEqual(start.programs.map((p) => p.name), ["noop", "sieve"]);
  });
});

describe("bench output checking", () => {
  it("checks the expected stdout only at the default size", () => {
    assert.deepEqual(checkExpected(fake, ["10"], out("fake n=10\n")), []);
    assert.equal(checkExpected(fake, ["10"], out("fake n=11\n")).length, 1);
    assert.deepEqual(checkExpected(fake, ["1"], out("fake n=1\n")), []);
    assert.match(checkExpected(fake, ["1"], out("", 134)).join(), /exit status 134/);
  });
  it("reports a mismatch between engines", () => {
    assert.equal(compareOutputs(fake, out("a\n"), out("a\n")), null);
    assert.match(compareOutputs(fake, out("a\n"), out("b\n")) ?? "", /native printed "a\\n"/);
    assert.notEqual(compareOutputs(fake, out("a\n"), out("a\n", 1)), null);
  });
  it("compares CoreMark without its timings", () => {
    const cm: Program = { ...fake, group: "coremark", expectStdout: null };
    const run = (secs: string, crc: string, extra = "") =>
      out(
        `CoreMark Size    : 666\nTotal time (secs): ${secs}\nIterations/Sec   : 9.5\n${extra}` +
          `seedcrc          : 0xe9f5\n[0]crclist       : ${crc}\n[0]crcmatrix     : 0x1fd7\n` +
          `[0]crcstate      : 0x8e3a\n[0]crcfinal      : 0x${secs}\n`,
      );
    const short = "ERROR! Must execute for at least 10 secs for a valid result!\n";
    assert.equal(compareOutputs(cm, run("10", "0xe714"), run("12", "0xe714")), null);
    assert.equal(compareOutputs(cm, run("10", "0xe714"), run("8", "0xe714", short)), null);
    assert.notEqual(compareOutputs(cm, run("10", "0xe714"), run("10", "0xe715")), null);
    assert.deepEqual(checkExpected(cm, [], run("10", "0xe714")), []);
    assert.deepEqual(checkExpected(cm, [], run("8", "0xe714", short)), []);
    const bad = "ERROR! list crc 0xe715 - should be 0xe714\n";
    assert.match(checkExpected(cm, [], run("10", "0xe715", bad)).join(), /list crc/);
    assert.match(checkExpected(cm, [], out("no score\n")).join(), /no CRCs/);
  });
  it("formats tables and means", () => {
    assert.equal(geomean([2, 8]), 4);
    assert.ok(Number.isNaN(geomean([])));
    assert.equal(table(["a", "b"], [["x", "1"]]), "| a | b |\n|---|--:|\n| x | 1 |");
  });
});

describe("bench harness runs", () => {
  const dir = corpus("bench");
  it("runs noop on both engines and compares", { skip: dir === null }, async () => {
    const programs = selectPrograms(loadPrograms(dir!), ["noop"], "quick");
    assert.equal(programs.length, 1);
    const lines: string[] = [];
    const rep = await runInProcess(parseBenchArgs(["--quick"]), programs, (l) => lines.push(l));
    assert.equal(rep.failed, false, lines.join("\n"));
    assert.equal(rep.rows[0].native?.last.stdout, "noop n=0\n");
    assert.equal(rep.rows[0].gannet?.last.stdout, "noop n=0\n");
    assert.ok(Number.isFinite(rep.rows[0].ratio));
    assert.match(formatInProcess(rep), /\| noop °/);
  });
  it("fails loudly when the output is not the expected one", { skip: dir === null }, async () => {
    const [noop] = selectPrograms(loadPrograms(dir!), ["noop"], "default");
    const wrong = { ...noop, expectStdout: "noop n=1\n" };
    const lines: string[] = [];
    const rep = await runInProcess(parseBenchArgs([]), [wrong], (l) => lines.push(l));
    assert.equal(rep.failed, true);
    assert.ok(lines.some((l) => l.startsWith("!!! noop: native: stdout")), lines.join("\n"));
    assert.match(formatInProcess(rep), /FAILED/);
  });
  it("micro kernels agree between the engines", () => {
    for (const k of MICRO_KERNELS) {
      const n = k.name === "calls" ? 15 : 1000;
      assert.equal(kernelRun(gannetEngine, k)(n), kernelRun(nativeEngine, k)(n), k.name);
    }
  });
});
