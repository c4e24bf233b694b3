import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** Where webhooks may go. */
export interface AddressPolicy {
  /** FLAGSHIP_WEBHOOK_ALLOW_PRIVATE: loopback, private and link-local addresses allowed (metadata addresses never). */
  allowPrivate: boolean;
}

// Cloud instance metadata services hand out credentials to whoever asks from
// inside the machine: never a webhook target, whatever the setting says.
const METADATA_ADDRESSES = ['169.254.169.254', 'fd00:ec2::254', '100.100.100.200'].map((address) =>
  ipaddr.parse(address).toNormalizedString(),
);

/** A webhook URL or the address it resolves to is not allowed; the message says why. */
export class AddressRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AddressRefusedError';
  }
}

function normalize(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const parsed = ipaddr.parse(address);
  // ::ffff:127.0.0.1 reaches 127.0.0.1: judge it as the IPv4 address it is.
  return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()
    ? (parsed as ipaddr.IPv6).toIPv4Address()
    : parsed;
}

/** Why `address` (an IP literal) may not receive webhooks under `policy`, or undefined when it may. */
export function refusalOf(address: string, policy: AddressPolicy): string | undefined {
  const parsed = normalize(address);
  if (METADATA_ADDRESSES.includes(parsed.toNormalizedString())) {
    return `${address} is a cloud metadata address, never allowed`;
  }
  if (policy.allowPrivate) return undefined;
  const range = parsed.range();
  // Anything but public unicast (loopback, private, link-local, unique-local,
  // CGNAT, NAT64 and 6to4 wrappings of those, multicast, reserved…) is refused.
  if (range !== 'unicast') {
    return `${address} is a ${range} address; set FLAGSHIP_WEBHOOK_ALLOW_PRIVATE=1 to allow private addresses`;
  }
  return undefined;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** The host of a URL as DNS or an IP literal gives it (`[::1]` → `::1`). */
function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Resolves the URL's host and checks every address it resolves to (one bad
 * address in a round-robin answer refuses the lot). Returns the address to
 * connect to, so the request goes where the check looked: a DNS answer that
 * changes between check and connect (rebinding) cannot redirect it.
 */
export async function resolveAllowedAddress(url: URL, policy: AddressPolicy): Promise<ResolvedAddress> {
  const host = hostOf(url);
  let addresses: Array<{ address: string; family: number }>;
  if (ipaddr.isValid(host)) {
    addresses = [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }];
  } else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch (error) {
      throw new AddressRefusedError(`${host} does not resolve (${(error as { code?: string }).code ?? String(error)})`);
    }
  }
  if (addresses.length === 0) throw new AddressRefusedError(`${host} does not resolve`);
  for (const { address } of addresses) {
    const refusal = refusalOf(address, policy);
    if (refusal) throw new AddressRefusedError(host === address ? refusal : `${host} resolves to ${refusal}`);
  }
  const first = addresses[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
