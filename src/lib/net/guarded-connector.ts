import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { buildConnector } from 'undici';
import type { AddressPolicy, Refusal } from './address-policy.ts';

/** Every address a hostname resolves to, in the order to try them. */
export type Lookup = (hostname: string) => Promise<string[]>;

/** A connection the address policy refused; no socket was opened. */
export class AddressRefusedError extends Error {
  readonly code = 'ADDRESS_REFUSED';
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
    this.name = 'AddressRefusedError';
  }
}

export const systemLookup: Lookup = async (hostname) => (await dnsLookup(hostname, { all: true })).map((entry) => entry.address);

/**
 * An undici `connect` function that resolves the host itself, checks every address it resolves to, and then connects
 * to a checked address, never to the name: a DNS answer that changes between the check and the connection (DNS
 * rebinding) cannot reach an address that was not checked. TLS still verifies the certificate for (and sends SNI
 * with) the original hostname, and the Host header is undici's, from the URL. undici calls this for every new
 * connection, so each redirect hop to another origin is checked too.
 */
export function createGuardedConnector(options: {
  policy: AddressPolicy;
  /** Opens the socket (undici's `buildConnector(...)`); it is handed an IP address as `hostname`. */
  connect: buildConnector.connector;
  lookup?: Lookup;
}): buildConnector.connector {
  const lookup = options.lookup ?? systemLookup;
  return (connectOptions, callback) => {
    const { hostname, protocol } = connectOptions;
    const port = Number(connectOptions.port) || (protocol === 'https:' ? 443 : 80);
    // An IP literal skips DNS but not the check.
    const resolved = (async () => (isIP(hostname) ? [hostname] : await lookup(hostname)))();
    resolved
      .then((addresses) => {
        if (addresses.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
        // One refused address refuses the name: a name that also points inside is not one to trust with the others.
        for (const address of addresses) {
          const refusal = options.policy.check({ hostname, address, port });
          if (refusal) throw new AddressRefusedError(refusal);
        }
        const servername = connectOptions.servername || (isIP(hostname) ? undefined : hostname);
        connectInTurn(options.connect, addresses, { ...connectOptions, ...(servername ? { servername } : {}) }, callback);
      })
      .catch((error: Error) => callback(error, null));
  };
}

/**
 * The address to open a connection to `hostname`:`port` on, for clients that connect by themselves (database nodes):
 * resolved once, every address checked, and the first one returned, so the client connects to a checked address.
 */
export async function checkedAddress(
  policy: AddressPolicy,
  hostname: string,
  port: number,
  lookup: Lookup = systemLookup,
): Promise<string> {
  const addresses = isIP(hostname) ? [hostname] : await lookup(hostname);
  if (addresses.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  for (const address of addresses) {
    const refusal = policy.check({ hostname, address, port });
    if (refusal) throw new AddressRefusedError(refusal);
  }
  return addresses[0]!;
}

/** Tries the checked addresses one after another (as Node does for a name), until one answers. */
function connectInTurn(
  connect: buildConnector.connector,
  addresses: string[],
  connectOptions: buildConnector.Options,
  callback: buildConnector.Callback,
): void {
  const [address, ...rest] = addresses;
  connect({ ...connectOptions, hostname: address ?? '' }, (...result) => {
    const [error] = result;
    if (error && rest.length > 0 && isUnreachable(error)) {
      connectInTurn(connect, rest, connectOptions, callback);
      return;
    }
    callback(...result);
  });
}

function isUnreachable(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL';
}
