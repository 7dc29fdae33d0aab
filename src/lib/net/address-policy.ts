import { networkInterfaces } from 'node:os';
import { type HostPattern, hostMatches, parseHostPattern } from './host-patterns.ts';
import { type IpAddress, ipRangeSet, parseIpAddress } from './ip-address.ts';

/**
 * Which addresses the HTTP Request node may connect to. Checked for every connection it opens (redirects included),
 * after DNS, on the address it then connects to.
 */
export interface AddressPolicy {
  /** Why a connection to `address` (resolved from `hostname`) on `port` is refused; undefined when it is allowed. */
  check(target: ConnectionTarget): Refusal | undefined;
}

export interface ConnectionTarget {
  /** As the URL names it (an IP literal for IP URLs). */
  hostname: string;
  address: string;
  port: number;
}

export interface Refusal {
  kind: 'metadata' | 'unspecified' | 'internal-port' | 'private';
  message: string;
}

/** A port this server itself uses; on this machine's own addresses it is refused. */
export interface InternalPort {
  port: number;
  /** e.g. "this server's HTTP port". */
  what: string;
  /** The setting that chose the port, e.g. N8N_PORT. */
  setting: string;
}

export interface AddressPolicyOptions {
  /** N8N_SSRF_PROTECTION_ENABLED: also refuse `blockedRanges` (private and reserved networks). */
  blockPrivate: boolean;
  blockedRanges: readonly string[];
  /** Always allowed, even when blocked (except internal ports, see `allowedHostnames`). */
  allowedRanges: readonly string[];
  /** Host patterns always allowed; only an entry with a port (`localhost:5678`) opens an internal port. */
  allowedHostnames: readonly string[];
  internalPorts: readonly InternalPort[];
  /** This machine's own addresses (default: loopback and every interface's). */
  localAddresses?: () => string[];
}

/** Link-local networks hold the cloud metadata services (169.254.169.254 on AWS, GCP, Azure, ...): always refused. */
const METADATA_RANGES = ['169.254.0.0/16', 'fe80::/10', 'fd00:ec2::254/128', '100.100.100.200/32'];
/** Connecting to "any address" reaches this machine itself. */
const UNSPECIFIED_RANGES = ['0.0.0.0/8', '::/128'];
const LOOPBACK_RANGES = ['127.0.0.0/8', '::1/128'];

/**
 * What N8N_SSRF_BLOCKED_IP_RANGES=default blocks: n8n's standard private and reserved ranges, plus carrier-grade NAT
 * (100.64.0.0/10), which is as internal as 10.0.0.0/8 on the networks that use it.
 */
export const DEFAULT_BLOCKED_RANGES: readonly string[] = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  ...LOOPBACK_RANGES,
  '169.254.0.0/16',
  'fe80::/10',
  'fc00::/7',
  '0.0.0.0/8',
  '::/128',
  '100.64.0.0/10',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
];

const ALLOW_HINT = 'add the host to N8N_SSRF_ALLOWED_HOSTNAMES or the address to N8N_SSRF_ALLOWED_IP_RANGES to allow it';

export function createAddressPolicy(options: AddressPolicyOptions): AddressPolicy {
  const metadata = ipRangeSet(METADATA_RANGES);
  const unspecified = ipRangeSet(UNSPECIFIED_RANGES);
  const loopback = ipRangeSet(LOOPBACK_RANGES);
  const blocked = ipRangeSet(options.blockPrivate ? options.blockedRanges : []);
  const allowedRanges = ipRangeSet(options.allowedRanges);
  const allowedHosts = options.allowedHostnames.map(parseHostPattern).filter((p): p is HostPattern => p !== undefined);
  const localAddresses = options.localAddresses ?? interfaceAddresses;

  const isLocal = (ip: IpAddress) =>
    loopback.has(ip) || unspecified.has(ip) || localAddresses().some((local) => parseIpAddress(local)?.address === ip.address);

  return {
    check({ hostname, address, port }) {
      const ip = parseIpAddress(address);
      if (!ip) throw new Error(`Not an IP address: ${address}`);
      const named = allowedHosts.filter((pattern) => hostMatches(hostname, pattern.host));
      const namedWithPort = named.some((pattern) => pattern.port === port);
      const target = labelOf(hostname, ip);

      // Only an allow-list entry for exactly this port opens one of the server's own ports: allowing 127.0.0.1 to
      // reach a local service must not also open the database.
      const internal = options.internalPorts.find((entry) => entry.port === port);
      if (internal && !namedWithPort && isLocal(ip)) {
        return {
          kind: 'internal-port',
          message:
            `Request to ${labelOf(hostname, ip, port)} refused: port ${port} on this machine is ${internal.what} (${internal.setting}) ` +
            `(add "${hostForPattern(hostname)}:${port}" to N8N_SSRF_ALLOWED_HOSTNAMES to allow it)`,
        };
      }
      if (named.some((pattern) => pattern.port === undefined || pattern.port === port) || allowedRanges.has(ip)) return undefined;
      if (metadata.has(ip)) {
        return {
          kind: 'metadata',
          message: `Request to ${target} refused: link-local and cloud-metadata addresses are blocked (${ALLOW_HINT})`,
        };
      }
      if (unspecified.has(ip)) {
        return {
          kind: 'unspecified',
          message: `Request to ${target} refused: the unspecified address reaches this machine itself and is blocked (${ALLOW_HINT})`,
        };
      }
      if (blocked.has(ip)) {
        return {
          kind: 'private',
          message:
            `Request to ${target} refused: private and reserved addresses are blocked because N8N_SSRF_PROTECTION_ENABLED is ` +
            `true (${ALLOW_HINT})`,
        };
      }
      return undefined;
    },
  };
}

/** `169.254.169.254`, `metadata.example.com (169.254.169.254)`, `[::1]:5678`: what was asked for, and what it reached. */
function labelOf(hostname: string, ip: IpAddress, port?: number): string {
  const host = port === undefined ? hostname : `${hostForPattern(hostname)}:${port}`;
  return hostname === ip.address ? host : `${host} (${ip.address})`;
}

function hostForPattern(hostname: string): string {
  return hostname.includes(':') ? `[${hostname}]` : hostname;
}

function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((entries) => (entries ?? []).map((entry) => entry.address));
}
