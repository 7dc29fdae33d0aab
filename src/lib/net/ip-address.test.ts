import { describe, expect, it } from 'vitest';
import { ipRangeSet, parseIpAddress, parseIpRange } from './ip-address.ts';

describe('parseIpAddress', () => {
  it('reads IPv4 and IPv6 addresses, IPv6 in its canonical form', () => {
    expect(parseIpAddress('169.254.169.254')).toEqual({ address: '169.254.169.254', family: 'ipv4' });
    expect(parseIpAddress('0:0:0:0:0:0:0:1')).toEqual({ address: '::1', family: 'ipv6' });
    expect(parseIpAddress('FD00:EC2::254')).toEqual({ address: 'fd00:ec2::254', family: 'ipv6' });
    expect(parseIpAddress('[::1]')).toEqual({ address: '::1', family: 'ipv6' });
    expect(parseIpAddress('fe80::1%eth0')).toEqual({ address: 'fe80::1', family: 'ipv6' });
  });

  it('turns IPv4-mapped IPv6 into the IPv4 address the kernel connects to', () => {
    expect(parseIpAddress('::ffff:169.254.169.254')).toEqual({ address: '169.254.169.254', family: 'ipv4' });
    expect(parseIpAddress('::ffff:a9fe:a9fe')).toEqual({ address: '169.254.169.254', family: 'ipv4' });
    expect(parseIpAddress('0:0:0:0:0:ffff:7f00:1')).toEqual({ address: '127.0.0.1', family: 'ipv4' });
  });

  it('is undefined for anything that is not an address', () => {
    for (const text of ['localhost', 'example.com', '', '1.2.3', '::ffff:1.2.3', '2130706433'])
      expect(parseIpAddress(text)).toBeUndefined();
  });
});

describe('parseIpRange', () => {
  it('reads CIDR ranges and bare addresses', () => {
    expect(parseIpRange('10.0.0.0/8')).toEqual({ network: { address: '10.0.0.0', family: 'ipv4' }, prefix: 8 });
    expect(parseIpRange('192.168.1.7')).toEqual({ network: { address: '192.168.1.7', family: 'ipv4' }, prefix: 32 });
    expect(parseIpRange('fd00::/8')).toEqual({ network: { address: 'fd00::', family: 'ipv6' }, prefix: 8 });
    expect(parseIpRange('::ffff:10.0.0.0/104')).toEqual({ network: { address: '10.0.0.0', family: 'ipv4' }, prefix: 8 });
  });

  it('refuses what is not a range', () => {
    for (const text of ['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/8/8', 'example.com/8', '10/8', '::ffff:0:0/95', '1.2.3.4/x']) {
      expect(parseIpRange(text), text).toBeUndefined();
    }
  });
});

describe('ipRangeSet', () => {
  const set = ipRangeSet(['10.0.0.0/8', 'fc00::/7', '100.100.100.200']);

  it('holds the addresses inside its ranges, whatever the notation', () => {
    expect(set.has({ address: '10.200.3.4', family: 'ipv4' })).toBe(true);
    expect(set.has({ address: 'fd12::1', family: 'ipv6' })).toBe(true);
    expect(set.has({ address: '100.100.100.200', family: 'ipv4' })).toBe(true);
  });

  it('does not hold the addresses outside them', () => {
    expect(set.has({ address: '11.0.0.1', family: 'ipv4' })).toBe(false);
    expect(set.has({ address: 'fe80::1', family: 'ipv6' })).toBe(false);
    expect(set.has({ address: '100.100.100.201', family: 'ipv4' })).toBe(false);
  });

  it('refuses a bad range when it is built', () => {
    expect(() => ipRangeSet(['nope'])).toThrow('Not an IP range: nope');
  });
});
