import { isIP } from 'node:net';

/** How hosts and patterns are compared: lower case, without a trailing dot and without IPv6 brackets. */
export function normaliseHost(host: string): string {
  const lower = host.trim().toLowerCase().replace(/\.$/, '');
  return lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower;
}

/**
 * Whether `host` matches `pattern` the way n8n's `isDomainAllowed` does: an exact host, or `*.example.com`, which
 * matches subdomains only (`api.example.com`, `a.b.example.com`), never `example.com` itself. A plain suffix test
 * would also let `badexample.com` through, so the dot before the suffix is part of the match.
 */
export function hostMatches(host: string, pattern: string): boolean {
  const candidate = normaliseHost(host);
  const wanted = normaliseHost(pattern);
  if (!candidate || !wanted) return false;
  if (wanted.startsWith('*.')) {
    const suffix = wanted.slice(2);
    return suffix !== '' && candidate.endsWith(`.${suffix}`);
  }
  return candidate === wanted;
}

/** A comma-separated list as users write it (`a.example.com, *.example.org`), without empty entries. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** One entry of an allowed-hostnames list: a host pattern, optionally for one port only (`localhost:5678`). */
export interface HostPattern {
  host: string;
  port?: number;
}

const LABELS = /^(\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)*$/;

/** Parses `api.example.com`, `*.internal`, `10.0.0.5:8080` or `[::1]:5678`; undefined when it is none of these. */
export function parseHostPattern(text: string): HostPattern | undefined {
  const entry = text.trim().toLowerCase().replace(/\.$/, '');
  const bracketed = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/.exec(entry);
  if (bracketed) {
    const [, host = '', port] = bracketed;
    return isIP(host) === 6 ? withPort(host, port) : undefined;
  }
  // A bare IPv6 address has colons of its own: it cannot carry a port without brackets.
  if (isIP(entry) === 6) return { host: entry };
  const [host = '', port, extra] = entry.split(':');
  if (extra !== undefined || !LABELS.test(host)) return undefined;
  return withPort(host, port);
}

function withPort(host: string, port: string | undefined): HostPattern | undefined {
  if (port === undefined) return { host };
  const number = Number(port);
  return /^\d{1,5}$/.test(port) && number >= 1 && number <= 65535 ? { host, port: number } : undefined;
}
