/**
 * `wasi:sockets` for one component instance: the shim's sockets with an
 * instance-local `network` resource carrying that instance's rights (TCP,
 * UDP, name lookup, and which addresses it may bind, connect and send to).
 *
 * The shim checks only "network allowed or not"; the address rules are
 * checked by wrappers installed once on the shim's socket methods, which look
 * the rights up by the `network` (or socket) the call is about, so sockets of
 * other users of the shim keep the shim's behaviour.
 *
 * Under Deno, `node:dgram` has no `getSendQueueSize`, so the shim's UDP
 * `check-send` failed with `unknown`; the first host created on such a
 * runtime loads {@link ./dgram_fix.ts} into the shim's I/O worker, which
 * adds it (an empty queue: Deno sends each datagram as it is given).
 *
 * @module
 */
import dgram from "node:dgram";
import { callExtension, sockets } from "./shim.ts";
import { AddressPolicy, type IpSocketAddress } from "./net_policy.ts";
import type { NetworkOptions } from "./options.ts";

type Method = (this: object, ...args: unknown[]) => unknown;

/** The rights of one instance's `network`. */
const policies = new WeakMap<object, AddressPolicy>();
/** The rights behind a UDP socket or datagram stream (bound to a network earlier). */
const udpPolicies = new WeakMap<object, AddressPolicy>();

function deny(): never {
  throw "access-denied";
}

function wrap(proto: Record<string, unknown>, name: string, make: (inner: Method) => Method): void {
  proto[name] = make(proto[name] as Method);
}

let installed = false;

/** Installs the address checks on the shim's socket classes (once per process). */
function installChecks(): void {
  if (installed) return;
  installed = true;
  const tcp = sockets.tcp.TcpSocket.prototype as unknown as Record<string, unknown>;
  const udp = sockets.udp.UdpSocket.prototype as unknown as Record<string, unknown>;
  const out = sockets.udp.OutgoingDatagramStream.prototype as unknown as Record<string, unknown>;
  for (const name of ["startBind", "startConnect"]) {
    wrap(tcp, name, (inner) =>
      function (this: object, network: unknown, address: unknown) {
        const policy = policies.get(network as object);
        if (policy !== undefined && !policy.allows(address as IpSocketAddress)) deny();
        return inner.call(this, network, address);
      });
  }
  wrap(udp, "startBind", (inner) =>
    function (this: object, network: unknown, address: unknown) {
      const policy = policies.get(network as object);
      if (policy !== undefined) {
        if (!policy.allows(address as IpSocketAddress)) deny();
        udpPolicies.set(this, policy);
      }
      return inner.call(this, network, address);
    });
  wrap(udp, "stream", (inner) =>
    function (this: object, remote: unknown) {
      const policy = udpPolicies.get(this);
      if (policy !== undefined && remote !== undefined) {
        if (!policy.allows(remote as IpSocketAddress)) deny();
      }
      const pair = inner.call(this, remote) as [object, object];
      if (policy !== undefined) udpPolicies.set(pair[1], policy);
      return pair;
    });
  wrap(out, "send", (inner) =>
    function (this: object, datagrams: unknown) {
      const policy = udpPolicies.get(this);
      const list = datagrams as { remoteAddress?: IpSocketAddress }[];
      if (policy === undefined) return inner.call(this, list);
      const allowed = list.findIndex((d) =>
        d.remoteAddress !== undefined && !policy.allows(d.remoteAddress)
      );
      if (allowed === 0) deny();
      return inner.call(this, allowed < 0 ? list : list.slice(0, allowed));
    });
  const queue = (dgram.Socket.prototype as unknown as Record<string, unknown>).getSendQueueSize;
  if (typeof queue !== "function") {
    callExtension(new URL("./dgram_fix.ts", import.meta.url), "install", []);
  }
}

/** The `wasi:sockets` interfaces of one instance, keyed by interface name. */
export function socketInterfaces(
  options: boolean | NetworkOptions | undefined,
): Record<string, unknown> {
  installChecks();
  const granted = options !== undefined && options !== false;
  const rights: NetworkOptions = typeof options === "object" ? options : {};
  const s = sockets.createSockets({ enableNetwork: granted });
  const network = s.instanceNetwork.instanceNetwork();
  if (granted) {
    if (rights.tcp === false) sockets._denyTcp(network);
    if (rights.udp === false) sockets._denyUdp(network);
    if (rights.dns === false) sockets._denyDnsLookup(network);
    policies.set(network, new AddressPolicy(rights.allow));
  }
  return {
    "wasi:sockets/network": s.network,
    "wasi:sockets/instance-network": s.instanceNetwork,
    "wasi:sockets/ip-name-lookup": s.ipNameLookup,
    "wasi:sockets/tcp": s.tcp,
    "wasi:sockets/tcp-create-socket": s.tcpCreateSocket,
    "wasi:sockets/udp": s.udp,
    "wasi:sockets/udp-create-socket": s.udpCreateSocket,
  };
}
