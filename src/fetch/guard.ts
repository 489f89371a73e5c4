// Network guard: refuses to connect to loopback, private and other non-public addresses unless the config allows them.
import dns from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { buildConnector } from 'undici';
import { FetchError } from './errors.ts';

/** Decides whether a host name or an address may be fetched from. */
export interface AddressPolicy {
  /** True when no guard applies at all (`allow_private_networks: true`). */
  isOpen: boolean;
  /** Is this host name explicitly allowed (then any address it resolves to is accepted)? */
  isHostAllowed(hostname: string): boolean;
  /** May we connect to this IP address? */
  isAddressAllowed(address: string): boolean;
}

type Parsed = ipaddr.IPv4 | ipaddr.IPv6;

/** Parses an IP literal in any spelling (decimal, hex, octal, short IPv4; bracketed IPv6); undefined for host names. */
export function parseAddress(text: string): Parsed | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const withoutZone = bare.replace(/%.*$/, '');
  // ipaddr.js accepts the legacy inet_aton spellings (0x7f.1, 2130706433, 0177.0.0.1) that browsers and libc honour.
  if (!ipaddr.isValid(withoutZone)) return undefined;
  try {
    return ipaddr.parse(withoutZone);
  } catch {
    return undefined;
  }
}

/**
 * Public unicast only. ipaddr.js names every special-purpose range of the IANA registries (RFC 6890):
 * loopback, private (RFC 1918), linkLocal, carrierGradeNat (RFC 6598), multicast, unspecified, broadcast,
 * uniqueLocal (RFC 4193), ipv4Mapped, NAT64 (rfc6052/rfc6145), 6to4, teredo, reserved... all are refused.
 * IPv4-mapped IPv6 is refused outright: no public feed needs it and it is a classic guard bypass.
 */
export function isPublicAddress(address: Parsed): boolean {
  return address.range() === 'unicast';
}

function compileEntry(entry: string): { host?: string; cidr?: [Parsed, number] } {
  const trimmed = entry.trim().toLowerCase();
  if (trimmed.includes('/')) {
    try {
      return { cidr: ipaddr.parseCIDR(trimmed) };
    } catch {
      return { host: trimmed };
    }
  }
  const address = parseAddress(trimmed);
  if (address) return { cidr: [address, address.kind() === 'ipv4' ? 32 : 128] };
  return { host: trimmed };
}

function matchesCidr(address: Parsed, cidr: [Parsed, number]): boolean {
  const [network] = cidr;
  if (address.kind() !== network.kind()) {
    // Let an allowed IPv4 range also cover its IPv4-mapped IPv6 spelling (a dual-stack socket reports ::ffff:a.b.c.d).
    if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
      return matchesCidr((address as ipaddr.IPv6).toIPv4Address(), cidr);
    }
    return false;
  }
  return address.match(cidr);
}

/** Builds the policy from `fetch.allow_private_networks` (false, true, or a list of host names, IPs and CIDRs). */
export function createAddressPolicy(allow: boolean | readonly string[]): AddressPolicy {
  if (allow === true) return { isOpen: true, isHostAllowed: () => true, isAddressAllowed: () => true };
  const entries = (allow === false ? [] : allow).map(compileEntry);
  const hosts = new Set(entries.flatMap((e) => (e.host ? [e.host] : [])));
  const cidrs = entries.flatMap((e) => (e.cidr ? [e.cidr] : []));
  return {
    isOpen: false,
    isHostAllowed: (hostname) => hosts.has(hostname.toLowerCase().replace(/\.$/, '')),
    isAddressAllowed(text) {
      const address = parseAddress(text);
      if (!address) return false;
      if (cidrs.some((cidr) => matchesCidr(address, cidr))) return true;
      return isPublicAddress(address);
    },
  };
}

function blocked(hostname: string, address: string): FetchError {
  return new FetchError(
    'FETCH_BLOCKED_ADDRESS',
    `${hostname} resolves to ${address}, a non-public address (allow it with fetch.allow_private_networks)`,
  );
}

/** Checks a URL's host before any connection: IP literals are judged here, names at lookup time. */
export function checkHostLiteral(hostname: string, policy: AddressPolicy): FetchError | undefined {
  if (policy.isOpen || policy.isHostAllowed(hostname)) return undefined;
  const address = parseAddress(hostname);
  if (address && !policy.isAddressAllowed(hostname)) return blocked(hostname, address.toString());
  return undefined;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
export type LookupFunction = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

/**
 * A dns.lookup replacement for net.connect: resolves every address, drops the refused ones, and fails when none
 * is left. Because the socket connects to what this returns, DNS rebinding cannot slip a private address past it.
 */
export function createGuardedLookup(policy: AddressPolicy, resolve: LookupFunction = dns.lookup as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, result) => {
      if (error) return callback(error, options.all ? [] : '');
      const all = Array.isArray(result) ? result : [{ address: result, family: options.family === 6 ? 6 : 4 }];
      const hostOk = policy.isOpen || policy.isHostAllowed(hostname);
      const kept = hostOk ? all : all.filter((entry) => policy.isAddressAllowed(entry.address));
      const first = kept[0];
      if (!first) return callback(blocked(hostname, all[0]?.address ?? '?') as NodeJS.ErrnoException, options.all ? [] : '');
      if (options.all) return callback(null, kept);
      return callback(null, first.address, first.family);
    });
  };
}

/**
 * An undici connector that refuses non-public hosts: IP literals before connecting, names through the guarded
 * lookup, and, as a last check, the socket's actual remote address once connected.
 */
export function createGuardedConnector(
  policy: AddressPolicy,
  options: { connectTimeoutMs: number; lookup?: LookupFunction },
): buildConnector.connector {
  const lookup = createGuardedLookup(policy, options.lookup);
  const connect = buildConnector({ timeout: options.connectTimeoutMs, lookup } as buildConnector.BuildOptions);
  return (opts, callback) => {
    const early = checkHostLiteral(opts.hostname, policy);
    if (early) return callback(early, null);
    connect(opts, (error, socket) => {
      if (error || !socket) return callback(error ?? new Error('no socket'), null);
      const remote = socket.remoteAddress;
      if (!policy.isOpen && !policy.isHostAllowed(opts.hostname) && remote && !policy.isAddressAllowed(remote)) {
        socket.destroy();
        return callback(blocked(opts.hostname, remote), null);
      }
      return callback(null, socket);
    });
  };
}
