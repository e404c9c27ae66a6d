import ipaddr from 'ipaddr.js';

/**
 * Whether a webhook may be delivered to this IP address in production: only globally
 * routable unicast addresses. Loopback, private (RFC 1918), link-local (which holds the
 * cloud metadata address 169.254.169.254), unique-local IPv6 (fd00:ec2::254), carrier-grade
 * NAT, unspecified, multicast, broadcast, reserved and documentation ranges, IPv4-mapped and
 * translated IPv6 forms are all refused. The classification is ipaddr.js's `range()`, the same
 * rule request-filtering-agent applies when a delivery connects (a range other than
 * 'unicast' is refused), so what is accepted at set time is what a delivery may reach.
 */
export function isPublicAddress(address: string): boolean {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (!ipaddr.isValid(bare)) return false;
  return ipaddr.parse(bare).range() === 'unicast';
}

/** An IP literal (v4, or v6 with or without URL brackets) rather than a host name. */
export function isIpLiteral(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return ipaddr.IPv4.isValidFourPartDecimal(bare) || ipaddr.IPv6.isValid(bare);
}
