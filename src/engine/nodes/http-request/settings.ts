import type { buildConnector } from 'undici';
import { type AddressPolicy, createAddressPolicy, DEFAULT_BLOCKED_RANGES } from '../../../lib/net/address-policy.ts';
import type { Lookup } from '../../../lib/net/guarded-connector.ts';

/** What the server's configuration decides for every HTTP Request node run. */
export interface HttpRequestSettings {
  /** Largest response body, counted after decompression (N8N_HTTP_REQUEST_MAX_RESPONSE_MB). */
  maxResponseBytes: number;
  /** Which addresses a request (and every redirect hop) may connect to. */
  addressPolicy: AddressPolicy;
  /** How names are resolved and sockets opened: the system's by default; tests pass fakes so nothing leaves. */
  network?: {
    lookup?: Lookup;
    connector?: (options: buildConnector.BuildOptions) => buildConnector.connector;
  };
}

/** As with the configuration's defaults, but without knowing this server's own ports (tests, tools). */
export const DEFAULT_HTTP_REQUEST_SETTINGS: HttpRequestSettings = {
  maxResponseBytes: 64 * 1024 * 1024,
  addressPolicy: createAddressPolicy({
    blockPrivate: false,
    blockedRanges: DEFAULT_BLOCKED_RANGES,
    allowedRanges: [],
    allowedHostnames: [],
    internalPorts: [],
  }),
};
