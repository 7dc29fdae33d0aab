import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { buildConnector } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAddressPolicy, DEFAULT_BLOCKED_RANGES } from './address-policy.ts';
import { AddressRefusedError, createGuardedConnector, type Lookup } from './guarded-connector.ts';

const policy = createAddressPolicy({
  blockPrivate: false,
  blockedRanges: DEFAULT_BLOCKED_RANGES,
  allowedRanges: [],
  allowedHostnames: [],
  internalPorts: [{ port: 54329, what: 'the embedded PostgreSQL', setting: 'EMBEDDED_PG_PORT' }],
});

/** Stands in for undici's connector: records what it was asked to connect to, and connects nowhere. */
function recordingConnect(answer: (hostname: string) => Error | null = () => new Error('fake connector: not connecting')) {
  const calls: buildConnector.Options[] = [];
  const connect: buildConnector.connector = (options, callback) => {
    calls.push(options);
    const error = answer(options.hostname);
    if (error) callback(error, null);
    else callback(null, { fake: options.hostname } as unknown as Socket);
  };
  return { connect, calls };
}

function fixedLookup(answers: Record<string, string[]>) {
  const asked: string[] = [];
  const lookup: Lookup = async (hostname) => {
    asked.push(hostname);
    return answers[hostname] ?? [];
  };
  return { lookup, asked };
}

function connectWith(connector: buildConnector.connector, options: Partial<buildConnector.Options>): Promise<unknown> {
  const full = { protocol: 'http:', port: '', hostname: '', host: options.hostname, ...options } as buildConnector.Options;
  return new Promise((resolve, reject) => connector(full, (error, socket) => (error ? reject(error) : resolve(socket))));
}

describe('guarded connector', () => {
  it('refuses http://169.254.169.254/ without resolving or opening a connection', async () => {
    const { connect, calls } = recordingConnect();
    const { lookup, asked } = fixedLookup({});
    const connector = createGuardedConnector({ policy, connect, lookup });
    const error = await connectWith(connector, { hostname: '169.254.169.254' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AddressRefusedError);
    expect((error as AddressRefusedError).refusal.kind).toBe('metadata');
    expect(calls).toEqual([]);
    expect(asked).toEqual([]);
  });

  it('refuses an IPv4-mapped IPv6 literal of the metadata address', async () => {
    const { connect, calls } = recordingConnect();
    const error = await connectWith(createGuardedConnector({ policy, connect }), { hostname: '::ffff:a9fe:a9fe' }).catch((e: unknown) => e);
    expect((error as AddressRefusedError).message).toMatch(/^Request to ::ffff:a9fe:a9fe \(169\.254\.169\.254\) refused/);
    expect(calls).toEqual([]);
  });

  it('refuses a hostname that resolves to a blocked address, also when it resolves to good ones too', async () => {
    const { connect, calls } = recordingConnect();
    const { lookup } = fixedLookup({
      'metadata.attacker.test': ['169.254.169.254'],
      'mixed.attacker.test': ['93.184.216.34', 'fd00:ec2::254'],
    });
    const connector = createGuardedConnector({ policy, connect, lookup });
    await expect(connectWith(connector, { hostname: 'metadata.attacker.test' })).rejects.toThrow(
      'Request to metadata.attacker.test (169.254.169.254) refused',
    );
    await expect(connectWith(connector, { hostname: 'mixed.attacker.test' })).rejects.toThrow(
      'Request to mixed.attacker.test (fd00:ec2::254) refused',
    );
    expect(calls).toEqual([]);
  });

  it('refuses an internal port by the default port of the scheme too', async () => {
    const { connect, calls } = recordingConnect();
    const connector = createGuardedConnector({ policy, connect });
    await expect(connectWith(connector, { hostname: '127.0.0.1', port: '54329' })).rejects.toThrow(
      'Request to 127.0.0.1:54329 refused: port 54329 on this machine is the embedded PostgreSQL (EMBEDDED_PG_PORT)',
    );
    expect(calls).toEqual([]);
  });

  it('connects to the checked address, keeping the hostname for TLS (SNI and the certificate check)', async () => {
    const { connect, calls } = recordingConnect(() => null);
    const { lookup } = fixedLookup({ 'api.example.test': ['93.184.216.34'] });
    const connector = createGuardedConnector({ policy, connect, lookup });
    await connectWith(connector, { hostname: 'api.example.test', host: 'api.example.test', protocol: 'https:', port: '' });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ hostname: '93.184.216.34', servername: 'api.example.test', host: 'api.example.test' });
  });

  it('resolves once per connection and never hands the name on, so a second DNS answer cannot be used unchecked', async () => {
    const answers = [['93.184.216.34'], ['169.254.169.254']];
    const lookup: Lookup = async () => answers.shift() ?? [];
    const { connect, calls } = recordingConnect(() => null);
    const connector = createGuardedConnector({ policy, connect, lookup });
    await connectWith(connector, { hostname: 'rebind.attacker.test' });
    await expect(connectWith(connector, { hostname: 'rebind.attacker.test' })).rejects.toThrow(AddressRefusedError);
    expect(calls.map((call) => call.hostname)).toEqual(['93.184.216.34']);
  });

  it('tries the next checked address when one refuses the connection', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:8080'), { code: 'ECONNREFUSED' });
    const { connect, calls } = recordingConnect((hostname) => (hostname === '::1' ? refused : null));
    const { lookup } = fixedLookup({ localhost: ['::1', '127.0.0.1'] });
    await connectWith(createGuardedConnector({ policy, connect, lookup }), { hostname: 'localhost', port: '8080' });
    expect(calls.map((call) => call.hostname)).toEqual(['::1', '127.0.0.1']);
  });

  it('reports a name that does not resolve as ENOTFOUND', async () => {
    const { connect } = recordingConnect();
    const { lookup } = fixedLookup({});
    await expect(connectWith(createGuardedConnector({ policy, connect, lookup }), { hostname: 'nowhere.test' })).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });
  });
});

describe('guarded connector with undici’s connector', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('opens a real socket to the checked loopback address', async () => {
    const { lookup } = fixedLookup({ 'local.test': ['127.0.0.1'] });
    const connector = createGuardedConnector({ policy, connect: buildConnector({}), lookup });
    const socket = (await connectWith(connector, { hostname: 'local.test', port: String(port) })) as Socket;
    expect(socket.remoteAddress).toBe('127.0.0.1');
    expect(socket.remotePort).toBe(port);
    socket.destroy();
  });
});
