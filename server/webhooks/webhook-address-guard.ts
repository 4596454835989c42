/**
 * Which addresses a webhook may be sent to. A merchant's URL is set by an operator, but the
 * server still must not become a way to reach what only it can reach: its own loopback, the
 * private networks it sits in, link-local addresses (cloud metadata services at
 * 169.254.169.254), and the other special-purpose ranges of RFC 6890. The check runs on the
 * address the connection is actually made to (see webhook-transport.ts), after DNS, so a name
 * that resolves to such an address, or starts to (DNS rebinding), is refused as well.
 *
 * @example
 * isPublicAddress('203.0.113.7') // false: TEST-NET-3 (RFC 5737)
 * isPublicAddress('2606:4700::1111') // true
 */
import { BlockList, isIP } from 'node:net';

/** RFC 6890 special-purpose ranges, plus private, shared, documentation and multicast space. */
const IPV4_BLOCKED: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network" (RFC 791)
  ['10.0.0.0', 8], // private (RFC 1918)
  ['100.64.0.0', 10], // shared address space (RFC 6598)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (RFC 3927), cloud metadata
  ['172.16.0.0', 12], // private (RFC 1918)
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1 (RFC 5737)
  ['192.88.99.0', 24], // 6to4 relay anycast (RFC 7526)
  ['192.168.0.0', 16], // private (RFC 1918)
  ['198.18.0.0', 15], // benchmarking (RFC 2544)
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and broadcast
];

const IPV6_BLOCKED: readonly [string, number][] = [
  ['::', 96], // unspecified, loopback, and the deprecated IPv4-compatible ::a.b.c.d (RFC 4291 2.5.5.1)
  ['::ffff:0:0:0', 96], // IPv4-translated (SIIT, RFC 6145)
  ['64:ff9b:1::', 48], // local-use IPv4/IPv6 translation (RFC 8215)
  ['100::', 64], // discard-only (RFC 6666)
  ['2001::', 23], // IETF protocol assignments, Teredo included (RFC 2928, 4380)
  ['2001:db8::', 32], // documentation (RFC 3849)
  ['2002::', 16], // 6to4 (RFC 3056): reaches IPv4 space through a relay
  ['3fff::', 20], // documentation (RFC 9637)
  ['fc00::', 7], // unique local (RFC 4193)
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
];

const blocked = new BlockList();
for (const [network, prefix] of IPV4_BLOCKED) blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of IPV6_BLOCKED) blocked.addSubnet(network, prefix, 'ipv6');

/** IPv6 forms that carry an IPv4 address: IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::/96, RFC 6052). */
const EMBEDDED_IPV4 = /^(?:::ffff:|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i;

/** True when `address` (an IP literal) is a globally routable unicast address. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !blocked.check(address, 'ipv4');
  if (family !== 6) return false;
  const embedded = EMBEDDED_IPV4.exec(address);
  if (embedded) {
    const ipv4 = embedded[1] ?? hexToIpv4(embedded[2] ?? '0', embedded[3] ?? '0');
    return !blocked.check(ipv4, 'ipv4');
  }
  return !blocked.check(address, 'ipv6');
}

function hexToIpv4(high: string, low: string): string {
  const h = parseInt(high, 16);
  const l = parseInt(low, 16);
  return [h >> 8, h & 0xff, l >> 8, l & 0xff].join('.');
}
