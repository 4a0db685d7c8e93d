/**
 * Which socket addresses a component may use: rules `ADDRESS[/PREFIX][:PORT]`
 * matched against `wasi:sockets` addresses in jco's shape
 * (`{ tag: "ipv4", val: { port, address: [a, b, c, d] } }`, and `"ipv6"` with
 * eight 16-bit groups).
 *
 * @module
 */
import { isIPv4, isIPv6 } from "node:net";

/** A `wasi:sockets/network.ip-socket-address` as jco passes it. */
export interface IpSocketAddress {
  /** `"ipv4"` or `"ipv6"`. */
  tag: "ipv4" | "ipv6";
  /** The port and the address's parts (4 bytes, or 8 groups of 16 bits). */
  val: { port: number; address: number[] };
}

interface Rule {
  /** The address as 16 bytes (IPv4 mapped into ::ffff:0:0/96). */
  bytes: Uint8Array;
  prefix: number;
  port: number | null;
}

function v4Bytes(parts: number[]): Uint8Array {
  const b = new Uint8Array(16);
  b[10] = 0xff;
  b[11] = 0xff;
  b.set(parts, 12);
  return b;
}

function v6Bytes(groups: number[]): Uint8Array {
  const b = new Uint8Array(16);
  groups.forEach((g, i) => {
    b[2 * i] = g >> 8;
    b[2 * i + 1] = g & 0xff;
  });
  return b;
}

function parseV6(text: string): number[] {
  const [head, tail] = text.includes("::") ? text.split("::") : [text, null];
  const part = (s: string) => (s === "" ? [] : s.split(":").map((h) => parseInt(h, 16)));
  const a = part(head);
  if (tail === null) return a;
  const b = part(tail);
  return [...a, ...new Array(8 - a.length - b.length).fill(0), ...b];
}

/** Parses one rule; throws a TypeError saying what is wrong. */
function parseRule(rule: string): Rule {
  let rest = rule.trim();
  let port: number | null = null;
  const bracket = /^\[([^\]]+)\](\/\d+)?(?::(\d+|\*))?$/.exec(rest);
  let address: string;
  let prefixText: string | undefined;
  if (bracket !== null) {
    address = bracket[1];
    prefixText = bracket[2]?.slice(1);
    if (bracket[3] !== undefined && bracket[3] !== "*") port = Number(bracket[3]);
  } else {
    const v4 = /^([\d.]+)(?:\/(\d+))?(?::(\d+|\*))?$/.exec(rest);
    if (v4 !== null) {
      [, address, prefixText] = v4;
      if (v4[3] !== undefined && v4[3] !== "*") port = Number(v4[3]);
    } else {
      const slash = rest.indexOf("/");
      if (slash >= 0) {
        prefixText = rest.slice(slash + 1);
        rest = rest.slice(0, slash);
      }
      address = rest;
    }
  }
  if (port !== null && !(port >= 0 && port <= 65535)) {
    throw new TypeError(`network rule ${rule}: bad port`);
  }
  let bytes: Uint8Array;
  let bits: number;
  if (isIPv4(address)) {
    bytes = v4Bytes(address.split(".").map(Number));
    bits = 32;
  } else if (isIPv6(address)) {
    bytes = v6Bytes(parseV6(address));
    bits = 128;
  } else {
    throw new TypeError(`network rule ${rule}: not an IP address`);
  }
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!(Number.isInteger(prefix) && prefix >= 0 && prefix <= bits)) {
    throw new TypeError(`network rule ${rule}: bad prefix length`);
  }
  return { bytes, prefix: prefix + (128 - bits), port };
}

function matches(rule: Rule, bytes: Uint8Array, port: number): boolean {
  if (rule.port !== null && rule.port !== port) return false;
  for (let bit = 0; bit < rule.prefix; bit += 8) {
    const take = Math.min(8, rule.prefix - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((rule.bytes[bit >> 3] & mask) !== (bytes[bit >> 3] & mask)) return false;
  }
  return true;
}

/** A set of address rules; `null` rules allow everything. */
export class AddressPolicy {
  #rules: Rule[] | null;
  /** @param rules The rules (see module doc); `undefined` allows every address. */
  constructor(rules: string[] | undefined) {
    this.#rules = rules === undefined ? null : rules.map(parseRule);
  }
  /** Whether `address` may be used. */
  allows(address: IpSocketAddress | undefined): boolean {
    if (this.#rules === null) return true;
    if (address === undefined) return false;
    const { port, address: parts } = address.val;
    const bytes = address.tag === "ipv4" ? v4Bytes(parts) : v6Bytes(parts);
    return this.#rules.some((r) => matches(r, bytes, port));
  }
}
