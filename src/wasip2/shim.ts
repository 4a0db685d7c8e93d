/**
 * The one place `@bytecodealliance/preview2-shim` is imported: its namespaces,
 * and the few resource classes Gannet's wiring extends, with the shapes used
 * here. The shim is written for Node (it runs blocking I/O on a worker thread
 * through `Atomics.wait`); Deno and Bun load its Node build.
 *
 * @module
 */
import * as shim from "@bytecodealliance/preview2-shim";
import { callExtension } from "@bytecodealliance/preview2-shim/io-worker";

export { callExtension };

// Type checkers resolve the package's types to its browser build; Deno and Bun
// run its Node build (the "node" export condition). These are the Node build's
// shapes, as far as they are used here.
type Namespace = Record<string, unknown>;
type Classes = Record<string, { prototype: object }>;

/** `wasi:cli` of the shim. */
export const cli = shim.cli as unknown as {
  terminalInput: { TerminalInput: new () => object };
  terminalOutput: { TerminalOutput: new () => object };
};
/** `wasi:clocks` of the shim. */
export const clocks = shim.clocks as unknown as {
  monotonicClock: Namespace & { subscribeDuration(ns: bigint): unknown };
  wallClock: Namespace;
};
/** `wasi:filesystem` of the shim. */
export const filesystem = shim.filesystem as unknown as {
  types: Namespace & { Descriptor: { prototype: object } };
  createFilesystem(config: { preopens: Record<string, string> }): {
    types: Namespace;
    preopens: Namespace;
  };
};
/** `wasi:http` of the shim. */
export const http = shim.http as unknown as {
  types: Namespace & Classes;
  outgoingHandler: { handle(request: unknown, options?: unknown): unknown };
};
/** `wasi:io` of the shim. */
export const io = shim.io as unknown as {
  error: { Error: new (message: string) => Error };
  streams: { InputStream: new () => object; OutputStream: new () => object };
  poll: { Pollable: new () => PollableLike; poll(list: PollableLike[]): Uint32Array };
};
/** `wasi:random` of the shim. */
export const random = shim.random as unknown as {
  random: Namespace;
  insecure: Namespace;
  insecureSeed: Namespace;
};
/** A set of `wasi:sockets` interfaces with one instance-local network. */
export interface SocketInterfaces {
  instanceNetwork: { instanceNetwork(): object };
  network: Namespace;
  ipNameLookup: Namespace;
  tcpCreateSocket: Namespace;
  tcp: Namespace;
  udpCreateSocket: Namespace;
  udp: Namespace;
}
/** `wasi:sockets` of the shim. */
export const sockets = shim.sockets as unknown as {
  tcp: { TcpSocket: { prototype: object } };
  udp: { UdpSocket: { prototype: object }; OutgoingDatagramStream: { prototype: object } };
  createSockets(config: { enableNetwork?: boolean }): SocketInterfaces;
  _denyTcp(network: object): void;
  _denyUdp(network: object): void;
  _denyDnsLookup(network: object): void;
};

/** A `wasi:io/poll` pollable. */
export interface PollableLike {
  /** True when the event happened (never blocks). */
  ready(): boolean;
  /** Waits for the event. */
  block(): void;
}

/** The shim's `Pollable` class (extended by host-side pollables). */
export const ShimPollable = io.poll.Pollable;
/** The shim's `InputStream` class (extended by host-side input streams). */
export const ShimInputStream = io.streams.InputStream;
/** The shim's `OutputStream` class (extended by host-side output streams). */
export const ShimOutputStream = io.streams.OutputStream;
/** The shim's `wasi:io/error` resource class. */
export const IoError = io.error.Error;

/** The shim's `wasi:io/poll.poll`: the indices of the ready pollables. */
export const shimPoll = io.poll.poll;

/** A pollable that is ready at once (the shim's zero-length timer, usable in its `poll`). */
export function readyTimer(): PollableLike {
  return clocks.monotonicClock.subscribeDuration(0n) as PollableLike;
}

/** A timer pollable of the shim's, ready after `ns` nanoseconds. */
export function timer(ns: bigint): PollableLike {
  return clocks.monotonicClock.subscribeDuration(ns) as PollableLike;
}

/** Drops a resource the host created for itself (the shim frees worker-side state). */
export function dispose(resource: object): void {
  (resource as { [Symbol.dispose]?: () => void })[Symbol.dispose]?.();
}
