/**
 * Helper thread of `stdin_pump.ts`: reads a host descriptor into the
 * shared ring until end of input, waiting while the ring is full.
 *
 * @module
 */
import fs from "node:fs";
import { workerData } from "node:worker_threads";
import {
  PUMP_CSEQ,
  PUMP_END,
  PUMP_HEAD,
  PUMP_HEADER,
  PUMP_RING,
  PUMP_SEQ,
  PUMP_TAIL,
} from "./stdin_pump.ts";

const { sab, fd } = workerData as { sab: SharedArrayBuffer; fd: number };
const ctrl = new Int32Array(sab, 0, PUMP_HEADER / 4);
const ring = new Uint8Array(sab, PUMP_HEADER, PUMP_RING);
const chunk = new Uint8Array(PUMP_RING);

function publish(): void {
  Atomics.add(ctrl, PUMP_SEQ, 1);
  Atomics.notify(ctrl, PUMP_SEQ);
}

for (;;) {
  const cseq = Atomics.load(ctrl, PUMP_CSEQ);
  const head = Atomics.load(ctrl, PUMP_HEAD);
  const free = PUMP_RING - ((head - Atomics.load(ctrl, PUMP_TAIL)) | 0);
  if (free === 0) {
    Atomics.wait(ctrl, PUMP_CSEQ, cseq);
    continue;
  }
  let n: number;
  try {
    n = fs.readSync(fd, chunk, 0, free, null);
  } catch (e) {
    if ((e as { code?: string }).code === "EAGAIN") {
      Atomics.wait(ctrl, PUMP_CSEQ, cseq, 5);
      continue;
    }
    Atomics.store(ctrl, PUMP_END, 2);
    publish();
    break;
  }
  if (n === 0) {
    Atomics.store(ctrl, PUMP_END, 1);
    publish();
    break;
  }
  for (let i = 0; i < n; i++) ring[(head + i) & (PUMP_RING - 1)] = chunk[i];
  Atomics.store(ctrl, PUMP_HEAD, (head + n) | 0);
  publish();
}
