/**
 * Servers on 127.0.0.1 for socket tests, each in a child Node process (a
 * component's blocking calls hold this thread, so a server on this thread's
 * event loop could not answer): TCP echo, UDP echo, and an HTTP server
 * answering `GET /hello` with `hello from 127.0.0.1` (anything else: 404). Each stops when asked
 * or after 60 s, whichever is first.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";

const SCRIPTS = {
  tcp: `const s = require("node:net").createServer((c) => c.pipe(c));
    s.listen(0, "127.0.0.1", () => console.log(s.address().port));`,
  udp: `const s = require("node:dgram").createSocket("udp4");
    s.on("message", (m, r) => s.send(m, r.port, r.address));
    s.bind(0, "127.0.0.1", () => console.log(s.address().port));`,
  http: `const s = require("node:http").createServer((q, r) => {
      r.setHeader("content-type", "text/plain");
      r.statusCode = q.url === "/hello" ? 200 : 404;
      r.end(q.url === "/hello" ? "hello from 127.0.0.1" : "not found");
    });
    s.listen(0, "127.0.0.1", () => console.log(s.address().port));`,
};

/** A running server: its port, and how to stop it. */
export interface LocalServer {
  port: number;
  stop(): Promise<void>;
}

/** Starts a `kind` server in a child process; resolves once it listens. */
export async function startServer(kind: keyof typeof SCRIPTS): Promise<LocalServer> {
  const child: ChildProcess = spawn(
    "node",
    ["-e", `setTimeout(() => process.exit(0), 60000).unref(); ${SCRIPTS[kind]}`],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const [line] = await once(child.stdout!, "data");
  const port = Number(String(line).trim());
  return {
    port,
    async stop() {
      if (child.exitCode === null) {
        child.kill();
        await once(child, "exit");
      }
    },
  };
}
