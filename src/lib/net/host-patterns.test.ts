import { describe, expect, it } from 'vitest';
import { hostMatches, parseHostPattern, splitList } from './host-patterns.ts';

describe('hostMatches', () => {
  it('matches an exact host, ignoring case and a trailing dot', () => {
    expect(hostMatches('api.example.com', 'api.example.com')).toBe(true);
    expect(hostMatches('API.Example.COM.', 'api.example.com')).toBe(true);
    expect(hostMatches('api.example.com', ' API.EXAMPLE.COM ')).toBe(true);
    expect(hostMatches('other.example.com', 'api.example.com')).toBe(false);
  });

  it('matches subdomains of a wildcard at any depth', () => {
    expect(hostMatches('api.example.org', '*.example.org')).toBe(true);
    expect(hostMatches('a.b.example.org', '*.example.org')).toBe(true);
  });

  it('does not match the bare domain with a wildcard (as n8n: subdomains only)', () => {
    expect(hostMatches('example.org', '*.example.org')).toBe(false);
  });

  it('does not match a host that only ends with the same letters', () => {
    expect(hostMatches('badexample.org', '*.example.org')).toBe(false);
    expect(hostMatches('example.org.evil.com', '*.example.org')).toBe(false);
  });

  it('compares IPv6 hosts with or without brackets, and never matches an empty pattern', () => {
    expect(hostMatches('[::1]', '::1')).toBe(true);
    expect(hostMatches('::1', '[::1]')).toBe(true);
    expect(hostMatches('example.org', '')).toBe(false);
    expect(hostMatches('example.org', '*.')).toBe(false);
  });
});

describe('splitList', () => {
  it('splits on commas and drops blanks', () => {
    expect(splitList(' api.example.com, *.example.org ,,')).toEqual(['api.example.com', '*.example.org']);
    expect(splitList('')).toEqual([]);
  });
});

describe('parseHostPattern', () => {
  it('reads hosts, wildcards, IP literals and an optional port', () => {
    expect(parseHostPattern('api.internal')).toEqual({ host: 'api.internal' });
    expect(parseHostPattern('*.Example.com')).toEqual({ host: '*.example.com' });
    expect(parseHostPattern('localhost:5678')).toEqual({ host: 'localhost', port: 5678 });
    expect(parseHostPattern('10.0.0.5:8080')).toEqual({ host: '10.0.0.5', port: 8080 });
    expect(parseHostPattern('[::1]:5678')).toEqual({ host: '::1', port: 5678 });
    expect(parseHostPattern('[::1]')).toEqual({ host: '::1' });
    expect(parseHostPattern('fd00::1')).toEqual({ host: 'fd00::1' });
  });

  it('refuses URLs, bare wildcards, bad ports and odd characters', () => {
    for (const text of [
      'http://api.internal',
      '*',
      '*.',
      'api.*.com',
      'a b',
      'host:0',
      'host:65536',
      'host:',
      'host:1:2',
      '[nope]:1',
      '',
    ]) {
      expect(parseHostPattern(text), text).toBeUndefined();
    }
  });
});
