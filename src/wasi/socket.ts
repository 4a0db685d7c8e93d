/**
 * Sockets a guest can use through `sock_accept`, `sock_recv`, `sock_send`
 * and `sock_shutdown`. WASI preview1 cannot create sockets: the embedder
 * preopens them (a listener, or a connected socket). The interface is
 * synchronous like every WASI call; an in-memory implementation
 * ({@link MemoryListener}, {@link MemorySocket}) serves embedding and tests.
 *
 * @module
 */
import { Filetype, Sdflags } from "./constants.ts";
import { Errno, WasiError } from "./errno.ts";

/**
 * A socket as the WASI layer sees it. Failures are thrown as `WasiError`.
 *
 * @example
 * ```ts
 * import { MemoryListener, MemorySocket, WASI, type WasiSocket } from "@gannet/wasm/wasi";
 *
 * const [connected] = MemorySocket.pair();
 * const sockets: WasiSocket[] = [new MemoryListener(), connected];
 * new WASI({ sockets }); // the guest's fds 3 and 4
 * ```
 */
export interface WasiSocket {
  /** SOCKET_STREAM or SOCKET_DGRAM. */
  readonly filetype: Filetype;
  /** Accepts a pending connection (EAGAIN if none and `nonblocking`; EINVAL if not listening). */
  accept(nonblocking: boolean): WasiSocket;
  /** Receives into `bufs`; `peek` leaves the data queued. Returns the count (0 at end). */
  recv(bufs: Uint8Array[], peek: boolean, nonblocking: boolean): number;
  /** Sends all of `bufs`; returns the count. */
  send(bufs: Uint8Array[]): number;
  /** Shuts down reading (`Sdflags.RD`) and/or writing (`Sdflags.WR`). */
  shutdown(how: number): void;
  /** As {@link WasiStream.waitReadable}: bytes (or connections) ready, 0 at end, -1 if not ready. */
  waitReadable(timeoutMs: number): number;
  /** Releases the socket. */
  close(): void;
}

/** One direction of an in-memory connection. */
class Pipe {
  chunks: Uint8Array[] = [];
  closed = false;
  get size(): number {
    let n = 0;
    for (const c of this.chunks) n += c.length;
    return n;
  }
}

/**
 * One end of an in-memory stream connection. Reads never block (the other
 * end lives in the same thread): with nothing queued they report EAGAIN,
 * or 0 once the peer shut down its writing side.
 *
 * @example
 * ```ts
 * import { MemorySocket, WASI } from "@gannet/wasm/wasi";
 * import assert from "node:assert/strict";
 *
 * const [guestEnd, hostEnd] = MemorySocket.pair();
 * const wasi = new WASI({ sockets: [guestEnd] }); // the guest's fd 3
 * console.log(Object.keys(wasi.wasiImport).includes("sock_recv")); // true
 * hostEnd.send([new TextEncoder().encode("ping")]);
 * const buf = new Uint8Array(8);
 * assert.equal(guestEnd.recv([buf], false), 4); // what sock_recv on fd 3 would read
 * ```
 */
export class MemorySocket implements WasiSocket {
  readonly filetype: Filetype = Filetype.SOCKET_STREAM;
  #in: Pipe = new Pipe();
  #out: Pipe = new Pipe();
  #readShut = false;

  /** Two connected ends. */
  static pair(): [MemorySocket, MemorySocket] {
    const a = new MemorySocket();
    const b = new MemorySocket();
    b.#in = a.#out;
    b.#out = a.#in;
    return [a, b];
  }

  accept(): WasiSocket {
    throw new WasiError(Errno.INVAL, "not a listening socket");
  }

  recv(bufs: Uint8Array[], peek: boolean): number {
    if (this.#readShut) return 0;
    if (this.#in.chunks.length === 0) {
      if (this.#in.closed) return 0;
      throw new WasiError(Errno.AGAIN);
    }
    let n = 0;
    let ci = 0;
    let co = 0;
    for (const buf of bufs) {
      let bo = 0;
      while (bo < buf.length && ci < this.#in.chunks.length) {
        const c = this.#in.chunks[ci];
        const k = Math.min(buf.length - bo, c.length - co);
        buf.set(c.subarray(co, co + k), bo);
        bo += k;
        co += k;
        n += k;
        if (co === c.length) {
          ci++;
          co = 0;
        }
      }
    }
    if (!peek) {
      this.#in.chunks.splice(0, ci);
      if (co > 0) this.#in.chunks[0] = this.#in.chunks[0].subarray(co);
    }
    return n;
  }

  send(bufs: Uint8Array[]): number {
    if (this.#out.closed) throw new WasiError(Errno.PIPE);
    let n = 0;
    for (const b of bufs) {
      if (b.length > 0) this.#out.chunks.push(b.slice());
      n += b.length;
    }
    return n;
  }

  shutdown(how: number): void {
    if ((how & Sdflags.RD) !== 0) this.#readShut = true;
    if ((how & Sdflags.WR) !== 0) this.#out.closed = true;
  }

  waitReadable(): number {
    if (this.#readShut) return 0;
    const n = this.#in.size;
    if (n > 0) return n;
    return this.#in.closed ? 0 : -1;
  }

  close(): void {
    this.#out.closed = true;
    this.#readShut = true;
  }

  /** Host side: everything the peer sent and this end has not read, as text. */
  readAllText(): string {
    const bytes: number[] = [];
    for (const c of this.#in.chunks) bytes.push(...c);
    this.#in.chunks = [];
    return new TextDecoder().decode(new Uint8Array(bytes));
  }
}

/**
 * An in-memory listening socket; the host queues connections with {@link MemoryListener.connect}.
 *
 * @example
 * ```ts
 * import { MemoryListener, WASI } from "./mod.ts";
 * const listener = new MemoryListener();
 * const wasi = new WASI({ sockets: [listener] }); // the guest's fd 3 (no preopened dirs)
 * const client = listener.connect(); // sock_accept on fd 3 now returns this connection
 * client.send([new TextEncoder().encode("GET / HTTP/1.0\r\n\r\n")]);
 * ```
 */
export class MemoryListener implements WasiSocket {
  readonly filetype: Filetype = Filetype.SOCKET_STREAM;
  #pending: MemorySocket[] = [];
  #closed = false;

  /** Host side: queues a connection and returns the host's end of it. */
  connect(): MemorySocket {
    const [host, guest] = MemorySocket.pair();
    this.#pending.push(guest);
    return host;
  }

  accept(nonblocking: boolean): WasiSocket {
    const s = this.#pending.shift();
    if (s === undefined) {
      // Nothing can arrive while the guest blocks (same thread), so blocking would hang.
      throw new WasiError(Errno.AGAIN, nonblocking ? undefined : "no pending connection");
    }
    return s;
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

  waitReadable(): number {
    return this.#pending.length > 0 ? this.#pending.length : -1;
  }

  close(): void {
    this.#closed = true;
    this.#pending = [];
  }
}
