/**
 * Helper thread of `tcp_bridge.ts`: owns the `node:net` servers and
 * connections, buffers what arrives, and answers each request of the WASI
 * thread by filling the shared buffer and waking it.
 *
 * @module
 */
import net from "node:net";
import { parentPort, workerData } from "node:worker_threads";
import { Errno, toErrno } from "./errno.ts";
import { TCP_CHUNK, TCP_HEADER, type TcpRequest } from "./tcp_bridge.ts";

const { sab } = workerData as { sab: SharedArrayBuffer };
const ctrl = new Int32Array(sab, 0, TCP_HEADER / 4);
const data = new Uint8Array(sab, TCP_HEADER, TCP_CHUNK);

interface Conn {
  sock: net.Socket;
  chunks: Uint8Array[];
  size: number;
  ended: boolean;
  readShut: boolean;
  error: number;
  wake: (() => void)[];
}

interface Listener {
  server: net.Server;
  pending: Conn[];
  wake: (() => void)[];
}

let nextId = 1;
const listeners = new Map<number, Listener>();
const conns = new Map<number, Conn>();

function reply(seq: number, result: number, payload?: Uint8Array): void {
  if (payload !== undefined) data.set(payload);
  Atomics.store(ctrl, 2, payload?.length ?? 0);
  Atomics.store(ctrl, 1, result);
  Atomics.store(ctrl, 0, seq);
  Atomics.notify(ctrl, 0);
}

function wakeAll(list: (() => void)[]): void {
  for (const f of list.splice(0)) f();
}

function track(sock: net.Socket): Conn {
  const c: Conn = { sock, chunks: [], size: 0, ended: false, readShut: false, error: 0, wake: [] };
  sock.on("data", (d: Uint8Array) => {
    c.chunks.push(new Uint8Array(d));
    c.size += d.length;
    wakeAll(c.wake);
  });
  sock.on("end", () => {
    c.ended = true;
    wakeAll(c.wake);
  });
  sock.on("error", (e) => {
    c.error = toErrno(e);
    wakeAll(c.wake);
  });
  return c;
}

function take(c: Conn, len: number, peek: boolean): Uint8Array {
  const out = new Uint8Array(Math.min(len, c.size));
  let at = 0;
  let i = 0;
  while (at < out.length) {
    const chunk = c.chunks[i];
    const n = Math.min(chunk.length, out.length - at);
    out.set(chunk.subarray(0, n), at);
    at += n;
    if (!peek) {
      if (n === chunk.length) c.chunks.shift();
      else c.chunks[0] = chunk.subarray(n);
    } else i++;
  }
  if (!peek) c.size -= out.length;
  return out;
}

/** Readiness as the bridge encodes it: 0 = not ready, 1 = end, n + 1 = n ready. */
function readiness(id: number): number | null {
  const l = listeners.get(id);
  if (l !== undefined) return l.pending.length > 0 ? l.pending.length + 1 : 0;
  const c = conns.get(id);
  if (c === undefined) return null;
  if (c.size > 0 && !c.readShut) return c.size + 1;
  return c.ended || c.readShut || c.error !== 0 ? 1 : 0;
}

function handle(r: TcpRequest): void {
  switch (r.op) {
    case "listen": {
      const id = nextId++;
      const l: Listener = { server: net.createServer(), pending: [], wake: [] };
      l.server.on("connection", (sock) => {
        l.pending.push(track(sock));
        wakeAll(l.wake);
      });
      l.server.once("error", (e) => reply(r.seq, -toErrno(e)));
      l.server.listen(r.port, r.host, () => {
        listeners.set(id, l);
        reply(r.seq, id);
      });
      return;
    }
    case "address": {
      const a = listeners.get(r.id!)?.server.address();
      return reply(r.seq, typeof a === "object" && a !== null ? a.port : -Errno.BADF);
    }
    case "accept": {
      const l = listeners.get(r.id!);
      if (l === undefined) return reply(r.seq, -Errno.BADF);
      const c = l.pending.shift();
      if (c !== undefined) {
        const id = nextId++;
        conns.set(id, c);
        return reply(r.seq, id);
      }
      if (!r.block) return reply(r.seq, -Errno.AGAIN);
      l.wake.push(() => handle(r));
      return;
    }
    case "recv": {
      const c = conns.get(r.id!);
      if (c === undefined) return reply(r.seq, -Errno.BADF);
      if (c.readShut) return reply(r.seq, 0, new Uint8Array(0));
      if (c.size > 0) {
        const got = take(c, r.len ?? 0, r.peek === true);
        return reply(r.seq, got.length, got);
      }
      if (c.error !== 0) return reply(r.seq, -c.error);
      if (c.ended) return reply(r.seq, 0, new Uint8Array(0));
      if (!r.block) return reply(r.seq, -Errno.AGAIN);
      c.wake.push(() => handle(r));
      return;
    }
    case "send": {
      const c = conns.get(r.id!);
      if (c === undefined) return reply(r.seq, -Errno.BADF);
      if (c.error !== 0) return reply(r.seq, -c.error);
      if (c.sock.writableEnded || c.sock.destroyed) return reply(r.seq, -Errno.PIPE);
      c.sock.write(data.slice(0, r.len ?? 0));
      return reply(r.seq, r.len ?? 0);
    }
    case "shutdown": {
      const c = conns.get(r.id!);
      if (c === undefined) return reply(r.seq, -Errno.BADF);
      if ((r.how! & 2) !== 0) c.sock.end();
      if ((r.how! & 1) !== 0) c.readShut = true;
      return reply(r.seq, 0);
    }
    case "close": {
      const l = listeners.get(r.id!);
      if (l !== undefined) {
        listeners.delete(r.id!);
        for (const p of l.pending) p.sock.destroy();
        l.server.close();
      }
      const c = conns.get(r.id!);
      if (c !== undefined) {
        conns.delete(r.id!);
        c.sock.end();
        c.sock.destroySoon();
      }
      return reply(r.seq, 0);
    }
    case "wait": {
      const now = readiness(r.id!);
      if (now === null) return reply(r.seq, -Errno.BADF);
      if (now > 0 || r.timeoutMs === 0) return reply(r.seq, now);
      let done = false;
      const finish = (): void => {
        if (done) return;
        const v = readiness(r.id!) ?? 1;
        if (v === 0 && !timedOut) {
          list.push(finish);
          return;
        }
        done = true;
        clearTimeout(timer);
        reply(r.seq, v);
      };
      let timedOut = false;
      const timer = r.timeoutMs! < 0 ? undefined : setTimeout(() => {
        timedOut = true;
        finish();
      }, r.timeoutMs);
      const list = listeners.get(r.id!)?.wake ?? conns.get(r.id!)!.wake;
      list.push(finish);
      return;
    }
  }
}

parentPort!.on("message", (r: TcpRequest) => handle(r));
