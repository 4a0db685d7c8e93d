/**
 * `gannet serve` on `node:http` (for hosts with neither `Deno.serve` nor
 * `Bun.serve`).
 *
 * @module
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Buffer } from "node:buffer";
import type { HttpHandler, HttpListener, ListenOptions } from "./serve_host.ts";

/** Listens with `node:http`. */
export async function listenNode(
  handler: HttpHandler,
  options: ListenOptions,
): Promise<HttpListener> {
  const server = http.createServer(async (req, res) => {
    const chunks: Uint8Array[] = [];
    for await (const c of req) chunks.push(c as Uint8Array);
    const headers: [string, string][] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      headers.push([req.rawHeaders[i].toLowerCase(), req.rawHeaders[i + 1]]);
    }
    const r = await handler({
      method: req.method ?? "GET",
      scheme: "http",
      authority: req.headers.host ?? `${options.hostname}:${options.port}`,
      pathWithQuery: req.url ?? "/",
      headers,
      body: new Uint8Array(Buffer.concat(chunks)),
    });
    res.writeHead(r.status, r.headers.flat());
    res.end(r.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
