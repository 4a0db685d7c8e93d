/**
 * The host's HTTP server for `gannet serve`: `Deno.serve` under Deno,
 * `Bun.serve` under Bun, `node:http` elsewhere (each in its own adapter
 * file). Requests and responses cross as {@link ServedRequest} and
 * {@link ServedResponse}, bodies whole.
 *
 * @module
 */
import type { ServedRequest, ServedResponse } from "../wasip2/http_server.ts";

/** Answers one request. */
export type HttpHandler = (request: ServedRequest) => Promise<ServedResponse>;

/** A listening server. */
export interface HttpListener {
  /** The port it listens on (the one chosen when 0 was asked for). */
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Where to listen. */
export interface ListenOptions {
  /** The address (e.g. `127.0.0.1`). */
  hostname: string;
  /** The port; 0 picks a free one. */
  port: number;
}

/** Starts the host's HTTP server with `handler`. */
export async function listen(handler: HttpHandler, options: ListenOptions): Promise<HttpListener> {
  const g = globalThis as { Deno?: { serve?: unknown }; Bun?: unknown };
  if (typeof g.Deno?.serve === "function") {
    return (await import("./serve_deno.ts")).listenDeno(handler, options);
  }
  if (g.Bun !== undefined) return (await import("./serve_bun.ts")).listenBun(handler, options);
  return await (await import("./serve_node.ts")).listenNode(handler, options);
}

/** A web `Request` as a {@link ServedRequest}. */
export async function fromWebRequest(request: Request): Promise<ServedRequest> {
  const url = new URL(request.url);
  return {
    method: request.method,
    scheme: url.protocol.replace(/:$/, ""),
    authority: request.headers.get("host") ?? url.host,
    pathWithQuery: url.pathname + url.search,
    headers: [...request.headers],
    body: new Uint8Array(await request.arrayBuffer()),
  };
}

/** A {@link ServedResponse} as a web `Response`. */
export function toWebResponse(r: ServedResponse): Response {
  const headers = new Headers();
  for (const [k, v] of r.headers) headers.append(k, v);
  const nullBody = r.status === 204 || r.status === 304 || r.status < 200;
  return new Response(nullBody ? null : r.body as Uint8Array<ArrayBuffer>, {
    status: r.status,
    headers,
  });
}
