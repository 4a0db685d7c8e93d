/**
 * Real TCP sockets for WASI, which is synchronous, over `node:net`, which
 * is asynchronous: a helper thread owns the sockets and answers one request
 * at a time through a shared buffer, while the WASI thread blocks on it
 * with `Atomics.wait`. {@link TcpListener} and the connections it accepts
 * are ordinary {@link WasiSocket}s.
 *
 * @module
 */
import type { Worker } from "node:worker_threads";
import { nodeModule } from "./host_process.ts";
import { Filetype, Sdflags } from "./constants.ts";
import { Errno, WasiError } from "./errno.ts";
import type { WasiSocket } from "./socket.ts";

/** Bytes one request or reply can carry. */
export const TCP_CHUNK = 1 << 16;
/** Control words: reply sequence number, result (≥ 0, or -errno), payload length. */
export const TCP_HEADER = 16;

/** A request to the helper thread (the payload, if any, is in the shared buffer). */
export interface TcpRequest {
  seq: number;
  op: "listen" | "accept" | "recv" | "send" | "shutdown" | "close" | "wait" | "address";
  id?: number;
  host?: string;
  port?: number;
  len?: number;
  peek?: boolean;
  block?: boolean;
  how?: number;
  timeoutMs?: number;
}

class Bridge {
  #worker: Worker;
  #ctrl: Int32Array;
  #data: Uint8Array;
  #seq = 0;

  constructor() {
    const sab = new SharedArrayBuffer(TCP_HEADER + TCP_CHUNK);
    this.#ctrl = new Int32Array(sab, 0, TCP_HEADER / 4);
    this.#data = new Uint8Array(sab, TCP_HEADER, TCP_CHUNK);
    const { Worker } = nodeModule("node:worker_threads");
    this.#worker = new Worker(new URL("./tcp_worker.ts", import.meta.url), { workerData: { sab } });
    this.#worker.unref();
  }

  /** Sends a request and blocks until the reply; returns [result, payload]. */
  call(req: Omit<TcpRequest, "seq">, payload?: Uint8Array): [number, Uint8Array] {
    const seq = ++this.#seq | 0;
    if (payload !== undefined) this.#data.set(payload);
    this.#worker.postMessage({ ...req, seq, len: payload?.length ?? req.len });
    for (;;) {
      const cur = Atomics.load(this.#ctrl, 0);
      if (cur === seq) break;
      Atomics.wait(this.#ctrl, 0, cur);
    }
    const result = Atomics.load(this.#ctrl, 1);
    if (result < 0) throw new WasiError(-result as Errno);
    const len = Atomics.load(this.#ctrl, 2);
    return [result, this.#data.slice(0, len)];
  }
}

let bridge: Bridge | null = null;
function shared(): Bridge {
  bridge ??= new Bridge();
  return bridge;
}

/** A connected TCP socket (from {@link TcpListener}'s accept). */
class TcpConnection implements WasiSocket {
  readonly filetype: Filetype = Filetype.SOCKET_STREAM;
  #id: number;
  constructor(id: number) {
    this.#id = id;
  }
  accept(): WasiSocket {
    throw new WasiError(Errno.INVAL, "not a listening socket");
  }
  recv(bufs: Uint8Array[], peek: boolean, nonblocking: boolean): number {
    let want = 0;
    for (const b of bufs) want += b.length;
    if (want === 0) return 0;
    const [, data] = shared().call({
      op: "recv",
      id: this.#id,
      len: Math.min(want, TCP_CHUNK),
      peek,
      block: !nonblocking,
    });
    let at = 0;
    for (const b of bufs) {
      if (at >= data.length) break;
      const n = Math.min(b.length, data.length - at);
      b.set(data.subarray(at, at + n));
      at += n;
    }
    return data.length;
  }
  send(bufs: Uint8Array[]): number {
    let total = 0;
    for (const b of bufs) {
      for (let at = 0; at < b.length; at += TCP_CHUNK) {
        const part = b.subarray(at, Math.min(b.length, at + TCP_CHUNK));
        shared().call({ op: "send", id: this.#id }, part);
        total += part.length;
      }
    }
    return total;
  }
  shutdown(how: number): void {
    shared().call({ op: "shutdown", id: this.#id, how: how & (Sdflags.RD | Sdflags.WR) });
  }
  waitReadable(timeoutMs: number): number {
    return shared().call({ op: "wait", id: this.#id, timeoutMs: finite(timeoutMs) })[0] - 1;
  }
  close(): void {
    shared().call({ op: "close", id: this.#id });
  }
}

function finite(ms: number): number {
  return ms === Infinity ? -1 : Math.max(0, Math.ceil(ms));
}

/**
 * A listening TCP socket, to preopen (`sockets: [TcpListener.listen(...)]`,
 * or `gannet run --tcplisten HOST:PORT`). Port 0 picks a free port; see
 * {@link TcpListener.port}.
 *
 * @example
 * ```ts
 * import { TcpListener } from "./tcp_bridge.ts";
 * const listener = TcpListener.listen("127.0.0.1", 0);
 * console.log(listener.port > 0); // true
 * listener.close();
 * ```
 */
export class TcpListener implements WasiSocket {
  readonly filetype: Filetype = Filetype.SOCKET_STREAM;
  /** The port it listens on. */
  readonly port: number;
  #id: number;

  private constructor(id: number, port: number) {
    this.#id = id;
    this.port = port;
  }

  /** Binds and listens (throws a WasiError such as EADDRINUSE). */
  static listen(host: string, port: number): TcpListener {
    const [id] = shared().call({ op: "listen", host, port });
    const [bound] = shared().call({ op: "address", id });
    return new TcpListener(id, bound);
  }

  accept(nonblocking: boolean): WasiSocket {
    const [id] = shared().call({ op: "accept", id: this.#id, block: !nonblocking });
    return new TcpConnection(id);
  }
  recv(): number {
    throw new WasiError(Errno.NOTCONN);
  }
  send(): number {
    throw new WasiError(Errno.NOTCONN);
  }
  shutdown(): void {
    throw new WasiError(Errno.NOTCONN);
  }
  waitReadable(timeoutMs: number): number {
    return shared().call({ op: "wait", id: this.#id, timeoutMs: finite(timeoutMs) })[0] - 1;
  }
  close(): void {
    shared().call({ op: "close", id: this.#id });
  }
}
