import ipaddr from 'ipaddr.js';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** A webhook target checked against SSRF: the address to connect to is one that was checked. */
export interface CheckedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export class WebhookTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookTargetError';
  }
}

// Cloud metadata services answer on link-local addresses, which are refused anyway; these names are refused
// even when a resolver maps them somewhere else.
const METADATA_NAMES = new Set([
  'metadata.google.internal',
  'metadata',
  'metadata.azure.com',
  'instance-data',
]);

/** Whether `address` is allowed by an allow-list entry: the same address, or inside a CIDR range. */
function allowedAddress(address: ipaddr.IPv4 | ipaddr.IPv6, allow: string[]): boolean {
  return allow.some((entry) => {
    try {
      if (entry.includes('/')) {
        const [range, bits] = ipaddr.parseCIDR(entry);
        return address.kind() === range.kind() && address.match([range, bits]);
      }
      return ipaddr.isValid(entry) && ipaddr.process(entry).toString() === address.toString();
    } catch {
      return false;
    }
  });
}

/**
 * Refuses loopback, private, link-local, unspecified, multicast, reserved and metadata targets (IPv4-mapped
 * IPv6 is read as IPv4), unless the allow-list names the host or the address. Names are resolved and every
 * address is checked; the first one is returned for the connection, so DNS cannot answer differently later.
 */
export async function checkWebhookTarget(raw: string, allow: string[]): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookTargetError('is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebhookTargetError('must be http(s)');
  if (url.username || url.password) throw new WebhookTargetError('must not carry a user name or password');
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const hostAllowed = allow.includes(host);
  if (!hostAllowed && (METADATA_NAMES.has(host) || host === 'localhost' || host.endsWith('.localhost'))) {
    throw new WebhookTargetError(`must not point at ${host}`);
  }
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      throw new WebhookTargetError(`names a host that cannot be resolved (${host})`);
    }
  }
  if (addresses.length === 0) throw new WebhookTargetError(`names a host without addresses (${host})`);
  for (const { address } of addresses) {
    const parsed = ipaddr.process(address);
    if (hostAllowed || allowedAddress(parsed, allow)) continue;
    const range = parsed.range();
    if (range !== 'unicast') {
      throw new WebhookTargetError(`must reach a public address (${host} is ${address}, ${range})`);
    }
  }
  const [first] = addresses;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
