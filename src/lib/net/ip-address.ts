import { BlockList, isIP } from 'node:net';

/** An IP address in the form the checks compare: IPv4-mapped IPv6 (`::ffff:169.254.169.254`) is its IPv4 address. */
export interface IpAddress {
  address: string;
  family: 'ipv4' | 'ipv6';
}

/** A network in CIDR notation; a bare address is a network of one. */
export interface IpRange {
  network: IpAddress;
  prefix: number;
}

/**
 * Parses an IP address, or undefined for anything else (a hostname). IPv6 zone ids (`fe80::1%eth0`) are dropped, and
 * an IPv4 address written as IPv6 becomes IPv4: the kernel connects `::ffff:a.b.c.d` to `a.b.c.d`, so it must be
 * judged as that address.
 */
export function parseIpAddress(text: string): IpAddress | undefined {
  const unbracketed = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const address = unbracketed.split('%')[0] ?? '';
  const version = isIP(address);
  if (version === 4) return { address, family: 'ipv4' };
  if (version !== 6) return undefined;
  const groups = ipv6Groups(address);
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (mapped) return { address: ipv4FromGroups(groups[6] ?? 0, groups[7] ?? 0), family: 'ipv4' };
  // The WHATWG URL parser writes IPv6 in its canonical (RFC 5952) form: `::1`, not `0:0:0:0:0:0:0:1`.
  return { address: new URL(`http://[${address}]`).hostname.slice(1, -1), family: 'ipv6' };
}

/** `10.0.0.0/8`, `fd00::/8` or a bare address; undefined when it is neither. */
export function parseIpRange(text: string): IpRange | undefined {
  const [addressText = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const parsed = parseIpAddress(addressText);
  if (!parsed) return undefined;
  const mappedToIpv4 = parsed.family === 'ipv4' && isIP(addressText.split('%')[0] ?? '') === 6;
  const bits = parsed.family === 'ipv4' && !mappedToIpv4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  // `::ffff:10.0.0.0/104` is the IPv4 network 10.0.0.0/8; a shorter prefix also covers non-IPv4 addresses, refused.
  if (mappedToIpv4) return prefix >= 96 ? { network: parsed, prefix: prefix - 96 } : undefined;
  return { network: parsed, prefix };
}

/** A set of networks, asked whether it holds an address. */
export interface IpRangeSet {
  has(address: IpAddress): boolean;
}

export function ipRangeSet(ranges: readonly (string | IpRange)[]): IpRangeSet {
  const list = new BlockList();
  for (const entry of ranges) {
    const range = typeof entry === 'string' ? parseIpRange(entry) : entry;
    if (!range) throw new Error(`Not an IP range: ${String(entry)}`);
    list.addSubnet(range.network.address, range.prefix, range.network.family);
  }
  return { has: (address) => list.check(address.address, address.family) };
}

/** The eight 16-bit groups of a valid IPv6 address (a trailing dotted IPv4 part becomes the last two). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16)));
  const before = parse(head);
  if (tail === undefined) return before;
  const after = parse(tail);
  return [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
}

function ipv4FromGroups(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}
