import { describe, expect, it } from 'vitest';
import { type AddressPolicyOptions, createAddressPolicy, DEFAULT_BLOCKED_RANGES } from './address-policy.ts';

const OWN_PORTS = [
  { port: 5678, what: "this server's HTTP port", setting: 'N8N_PORT' },
  { port: 54329, what: 'the embedded PostgreSQL', setting: 'EMBEDDED_PG_PORT' },
];

function policy(options: Partial<AddressPolicyOptions> = {}) {
  return createAddressPolicy({
    blockPrivate: false,
    blockedRanges: DEFAULT_BLOCKED_RANGES,
    allowedRanges: [],
    allowedHostnames: [],
    internalPorts: OWN_PORTS,
    localAddresses: () => ['127.0.0.1', '::1', '192.168.1.20', 'fe80::1%eth0'],
    ...options,
  });
}

const at = (address: string, port = 80, hostname = address) => ({ hostname, address, port });

describe('address policy defaults', () => {
  const defaults = policy();

  it('refuses link-local and cloud-metadata addresses, however they are written', () => {
    for (const address of ['169.254.169.254', '169.254.170.2', '::ffff:169.254.169.254', 'fe80::1', 'fd00:ec2::254', '100.100.100.200']) {
      expect(defaults.check(at(address))?.kind, address).toBe('metadata');
    }
    expect(defaults.check(at('169.254.169.254'))?.message).toBe(
      'Request to 169.254.169.254 refused: link-local and cloud-metadata addresses are blocked ' +
        '(add the host to N8N_SSRF_ALLOWED_HOSTNAMES or the address to N8N_SSRF_ALLOWED_IP_RANGES to allow it)',
    );
  });

  it('names the host and the address it resolved to', () => {
    expect(defaults.check(at('169.254.169.254', 80, 'metadata.attacker.test'))?.message).toMatch(
      /^Request to metadata\.attacker\.test \(169\.254\.169\.254\) refused: link-local/,
    );
  });

  it('refuses the unspecified addresses, which reach this machine', () => {
    expect(defaults.check(at('0.0.0.0'))?.kind).toBe('unspecified');
    expect(defaults.check(at('0.1.2.3'))?.kind).toBe('unspecified');
    expect(defaults.check(at('::'))?.kind).toBe('unspecified');
  });

  it('refuses this server’s own ports on every local address, and only there', () => {
    for (const address of ['127.0.0.1', '127.0.0.53', '::1', '::ffff:127.0.0.1', '192.168.1.20', '0.0.0.0']) {
      expect(defaults.check(at(address, 54329))?.kind, address).toBe('internal-port');
    }
    expect(defaults.check(at('127.0.0.1', 5678, 'localhost'))?.message).toBe(
      "Request to localhost:5678 (127.0.0.1) refused: port 5678 on this machine is this server's HTTP port (N8N_PORT) " +
        '(add "localhost:5678" to N8N_SSRF_ALLOWED_HOSTNAMES to allow it)',
    );
    expect(defaults.check(at('::1', 5678))?.message).toMatch(/^Request to \[::1\]:5678 refused: .*add "\[::1\]:5678"/);
    expect(defaults.check(at('192.168.1.30', 5678))).toBeUndefined();
    expect(defaults.check(at('203.0.113.9', 54329))).toBeUndefined();
  });

  it('allows private and loopback addresses on other ports, so LAN services keep working', () => {
    for (const address of ['127.0.0.1', '::1', '10.1.2.3', '172.16.0.1', '192.168.1.1', 'fd12::1', '100.64.0.1']) {
      expect(defaults.check(at(address, 8080)), address).toBeUndefined();
    }
    expect(defaults.check(at('93.184.216.34', 443))).toBeUndefined();
  });
});

describe('address policy with N8N_SSRF_PROTECTION_ENABLED', () => {
  const strict = policy({ blockPrivate: true });

  it('also refuses private, loopback, unique-local, carrier-grade NAT and reserved addresses', () => {
    for (const address of [
      '10.1.2.3',
      '172.31.255.255',
      '192.168.1.1',
      '127.0.0.1',
      '::1',
      'fc00::1',
      'fd12::1',
      '100.64.0.1',
      '198.18.0.1',
    ]) {
      expect(strict.check(at(address, 8080))?.kind, address).toBe('private');
    }
    expect(strict.check(at('10.0.0.5', 8080))?.message).toBe(
      'Request to 10.0.0.5 refused: private and reserved addresses are blocked because N8N_SSRF_PROTECTION_ENABLED is true ' +
        '(add the host to N8N_SSRF_ALLOWED_HOSTNAMES or the address to N8N_SSRF_ALLOWED_IP_RANGES to allow it)',
    );
  });

  it('still allows public addresses', () => {
    expect(strict.check(at('93.184.216.34', 443))).toBeUndefined();
    expect(strict.check(at('2606:2800:220:1::', 443))).toBeUndefined();
  });

  it('blocks what N8N_SSRF_BLOCKED_IP_RANGES lists', () => {
    const custom = policy({ blockPrivate: true, blockedRanges: ['203.0.113.0/24'] });
    expect(custom.check(at('203.0.113.7'))?.kind).toBe('private');
    expect(custom.check(at('10.0.0.1'))).toBeUndefined();
  });
});

describe('address policy allow lists (hostnames, then IP ranges, win over the blocks)', () => {
  it('lets allowed ranges through private and metadata blocks', () => {
    const allowing = policy({ blockPrivate: true, allowedRanges: ['10.0.0.0/8', '169.254.169.254/32'] });
    expect(allowing.check(at('10.9.8.7', 8080))).toBeUndefined();
    expect(allowing.check(at('169.254.169.254'))).toBeUndefined();
    expect(allowing.check(at('192.168.0.1', 8080))?.kind).toBe('private');
    expect(allowing.check(at('169.254.1.1'))?.kind).toBe('metadata');
  });

  it('lets allowed hostnames through whatever they resolve to', () => {
    const allowing = policy({ blockPrivate: true, allowedHostnames: ['*.internal', 'localhost'] });
    expect(allowing.check(at('10.0.0.5', 80, 'api.internal'))).toBeUndefined();
    expect(allowing.check(at('127.0.0.1', 8080, 'localhost'))).toBeUndefined();
    expect(allowing.check(at('10.0.0.5', 80, 'internal'))?.kind).toBe('private');
    expect(allowing.check(at('127.0.0.1', 8080, '127.0.0.1'))?.kind).toBe('private');
  });

  it('opens an internal port only for an entry that names that port', () => {
    const byHost = policy({ allowedHostnames: ['localhost'], allowedRanges: ['127.0.0.0/8'] });
    expect(byHost.check(at('127.0.0.1', 5678, 'localhost'))?.kind).toBe('internal-port');
    const byPort = policy({ blockPrivate: true, allowedHostnames: ['localhost:5678'] });
    expect(byPort.check(at('127.0.0.1', 5678, 'localhost'))).toBeUndefined();
    expect(byPort.check(at('127.0.0.1', 54329, 'localhost'))?.kind).toBe('internal-port');
    expect(byPort.check(at('127.0.0.1', 8080, 'localhost'))?.kind).toBe('private');
  });
});
