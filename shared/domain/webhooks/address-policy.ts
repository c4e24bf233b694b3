import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** Where webhooks may go. */
export interface AddressPolicy {
  /** FLAGSHIP_WEBHOOK_ALLOW_PRIVATE: loopback and private addresses allowed (link-local and metadata addresses never). */
  allowPrivate: boolean;
}

// Cloud instance metadata services hand out credentials to whoever asks from
// inside the machine: never a webhook target, whatever the setting says. All
// of link-local goes, not a list of known addresses: the clouds keep adding
// services there (ECS credentials at 169.254.170.2, AWS DNS at .169.253, …).
const ALWAYS_REFUSED = [
  ['169.254.0.0/16', 'IPv4 link-local, where cloud metadata and credential services answer'],
  ['fe80::/10', 'IPv6 link-local, where cloud metadata services answer (OpenStack: fe80::a9fe:a9fe)'],
  ['fd00:ec2::/32', "AWS's instance metadata, DNS and time services"],
  ['fd20:ce::254/128', "Google Cloud's metadata server"],
  ['fd00:c1::a9fe:a9fe/128', "Oracle Cloud's metadata service"],
  ['100.100.100.200/32', "Alibaba Cloud's metadata service"],
  ['168.63.129.16/32', "Azure's WireServer (host agent and metadata)"],
  ['192.0.0.192/32', "Oracle Cloud's metadata service"],
].map(([cidr, what]) => ({ cidr: cidr!, range: ipaddr.parseCIDR(cidr!), what: what! }));

/** A webhook URL or the address it resolves to is not allowed; the message says why. */
export class AddressRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AddressRefusedError';
  }
}

const ipv4Of = (bytes: number[]) => new ipaddr.IPv4(bytes);

/**
 * The IPv4 address an IPv6 address carries and, through a translator, relay
 * or the kernel, reaches: IPv4-mapped (::ffff:a.b.c.d), IPv4-translated
 * (::ffff:0:a.b.c.d), NAT64 (64:ff9b::/96 and the local-use 64:ff9b:1::/48,
 * in its usual /96 layout), 6to4 (2002:AABB:CCDD::), Teredo (the client, its
 * bits inverted) and the deprecated IPv4-compatible form (::a.b.c.d).
 */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const bytes = address.toByteArray();
  switch (address.range()) {
    case 'ipv4Mapped':
    case 'rfc6145':
    case 'rfc6052':
      return ipv4Of(bytes.slice(12));
    case '6to4':
      return ipv4Of(bytes.slice(2, 6));
    case 'teredo':
      return ipv4Of(bytes.slice(12).map((byte) => byte ^ 0xff));
    case 'unspecified':
    case 'loopback':
      // :: and ::1 are IPv6's own, not IPv4-compatible 0.0.0.0 and 0.0.0.1.
      return undefined;
    default:
      return bytes.slice(0, 12).every((byte) => byte === 0) ? ipv4Of(bytes.slice(12)) : undefined;
  }
}

/** The address a connection to `address` ends up at, as far as FlagShip can tell: judged instead of the wrapper. */
function reachedAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const parsed = ipaddr.parse(address);
  return parsed.kind() === 'ipv6' ? (embeddedIPv4(parsed as ipaddr.IPv6) ?? parsed) : parsed;
}

/** Why `address` (an IP literal) may not receive webhooks under `policy`, or undefined when it may. */
export function refusalOf(address: string, policy: AddressPolicy): string | undefined {
  const reached = reachedAddress(address);
  const shown = reached.toString() === address ? address : `${address} (${reached.toString()})`;
  const never = ALWAYS_REFUSED.find(({ range }) => reached.kind() === range[0].kind() && reached.match(range));
  if (never) return `${shown} is in ${never.cidr}, ${never.what}: never allowed`;
  if (policy.allowPrivate) return undefined;
  const range = reached.range();
  // Anything but public unicast (loopback, private, unique-local, CGNAT,
  // multicast, reserved…) is refused.
  if (range !== 'unicast') {
    return `${shown} is a ${range} address; set FLAGSHIP_WEBHOOK_ALLOW_PRIVATE=1 to allow private addresses`;
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
