// The network guard: private-address refusal for every spelling, redirects into loopback, DNS answers, schemes, proxies.
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchSchema } from '../../src/config/schema.ts';
import type { FetchConfig } from '../../src/config/schema.ts';
import { createAddressPolicy, createFetchAgent, fetchFeed, FetchError } from '../../src/fetch/index.ts';
import type { FetchAgent } from '../../src/fetch/index.ts';
import { createGuardedLookup } from '../../src/fetch/guard.ts';
import type { LookupFunction } from '../../src/fetch/guard.ts';
import { startFaultServer } from '../helpers/fault-server.ts';
import type { FaultServer } from '../helpers/fault-server.ts';

const base = { timeout: '1s', connect_timeout: '500ms', max_body: 64 * 1024 };
const guarded: FetchConfig = fetchSchema.parse(base); // allow_private_networks: false, the default
const loopbackAllowed: FetchConfig = fetchSchema.parse({ ...base, allow_private_networks: ['127.0.0.1'] });

let server: FaultServer;
let guardedAgent: FetchAgent;
let allowedAgent: FetchAgent;
beforeAll(async () => {
  server = await startFaultServer();
  guardedAgent = createFetchAgent(guarded, { env: {} });
  allowedAgent = createFetchAgent(loopbackAllowed, { env: {} });
});
afterAll(async () => {
  await Promise.all([guardedAgent.close(), allowedAgent.close()]);
  await server.close();
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(FetchError);
    return (error as FetchError).code;
  }
  return 'OK';
}

describe('network guard, allow_private_networks: false', () => {
  const spellings: Array<[string, (port: number) => string]> = [
    ['loopback 127.0.0.1', (p) => `http://127.0.0.1:${p}/feed`],
    ['decimal 2130706433', (p) => `http://2130706433:${p}/feed`],
    ['hex 0x7f000001', (p) => `http://0x7f000001:${p}/feed`],
    ['dotted hex 0x7f.0.0.1', (p) => `http://0x7f.0.0.1:${p}/feed`],
    ['octal 0177.0.0.1', (p) => `http://0177.0.0.1:${p}/feed`],
    ['short 127.1', (p) => `http://127.1:${p}/feed`],
    ['IPv6 loopback [::1]', (p) => `http://[::1]:${p}/feed`],
    ['IPv4-mapped [::ffff:127.0.0.1]', (p) => `http://[::ffff:127.0.0.1]:${p}/feed`],
    ['IPv4-mapped public [::ffff:8.8.8.8]', (p) => `http://[::ffff:8.8.8.8]:${p}/feed`],
    ['unspecified 0.0.0.0', (p) => `http://0.0.0.0:${p}/feed`],
    ['unspecified [::]', (p) => `http://[::]:${p}/feed`],
    ['private 10.0.0.1', (p) => `http://10.0.0.1:${p}/feed`],
    ['private 172.16.5.4', (p) => `http://172.16.5.4:${p}/feed`],
    ['private 192.168.1.1', (p) => `http://192.168.1.1:${p}/feed`],
    ['link-local 169.254.169.254 (cloud metadata)', (p) => `http://169.254.169.254:${p}/feed`],
    ['link-local [fe80::1]', (p) => `http://[fe80::1]:${p}/feed`],
    ['unique-local [fd00::1]', (p) => `http://[fd00::1]:${p}/feed`],
    ['CGNAT 100.64.0.1', (p) => `http://100.64.0.1:${p}/feed`],
    ['multicast 224.0.0.1', (p) => `http://224.0.0.1:${p}/feed`],
    ['multicast [ff02::1]', (p) => `http://[ff02::1]:${p}/feed`],
    ['broadcast 255.255.255.255', (p) => `http://255.255.255.255:${p}/feed`],
    ['localhost (through DNS)', (p) => `http://localhost:${p}/feed`],
  ];
  it.each(spellings)('refuses %s without sending a request', async (_name, build) => {
    const before = server.requests.length;
    expect(await codeOf(fetchFeed(build(server.port), { config: guarded, agent: guardedAgent }))).toBe('FETCH_BLOCKED_ADDRESS');
    expect(server.requests.length).toBe(before);
  });

  it('refuses a name whose DNS answer is private (rebinding), checked at connect time', async () => {
    const rebinding: LookupFunction = (_host, _options, callback) => callback(null, [{ address: '127.0.0.1', family: 4 }]);
    const agent = createFetchAgent(guarded, { env: {}, lookup: rebinding });
    try {
      const url = `http://feeds.rebind.test:${server.port}/feed`;
      expect(await codeOf(fetchFeed(url, { config: guarded, agent }))).toBe('FETCH_BLOCKED_ADDRESS');
    } finally {
      await agent.close();
    }
  });

  it('the guarded lookup keeps public answers and drops private ones', async () => {
    const mixed: LookupFunction = (_host, _options, callback) =>
      callback(null, [
        { address: '10.0.0.7', family: 4 },
        { address: '93.184.215.14', family: 4 },
      ]);
    const lookup = createGuardedLookup(createAddressPolicy(false), mixed);
    const answer = await new Promise((resolve) => lookup('mixed.test', { all: true }, (_e, addresses) => resolve(addresses)));
    expect(answer).toEqual([{ address: '93.184.215.14', family: 4 }]);
  });
});

describe('network guard, loopback allowed explicitly', () => {
  it('fetches from the allowed 127.0.0.1, in any spelling', async () => {
    expect((await fetchFeed(server.url('/feed'), { config: loopbackAllowed, agent: allowedAgent })).status).toBe(200);
    const decimal = `http://2130706433:${server.port}/feed`;
    expect((await fetchFeed(decimal, { config: loopbackAllowed, agent: allowedAgent })).status).toBe(200);
  });

  it.each(['/redirect/loopback', '/redirect/hex-loopback'])('refuses a redirect into other loopback addresses (%s)', async (path) => {
    expect(await codeOf(fetchFeed(server.url(path), { config: loopbackAllowed, agent: allowedAgent }))).toBe('FETCH_BLOCKED_ADDRESS');
  });

  it('allows CIDR ranges and host names from the list', () => {
    const policy = createAddressPolicy(['10.0.0.0/8', 'intranet.example', 'fd00::/8']);
    expect(policy.isAddressAllowed('10.1.2.3')).toBe(true);
    expect(policy.isAddressAllowed('::ffff:10.1.2.3')).toBe(true);
    expect(policy.isAddressAllowed('fd12::1')).toBe(true);
    expect(policy.isAddressAllowed('192.168.0.1')).toBe(false);
    expect(policy.isAddressAllowed('8.8.8.8')).toBe(true);
    expect(policy.isHostAllowed('Intranet.Example')).toBe(true);
    expect(policy.isHostAllowed('other.example')).toBe(false);
  });

  it('allow_private_networks: true turns the guard off', async () => {
    const open = fetchSchema.parse({ ...base, allow_private_networks: true });
    const agent = createFetchAgent(open, { env: {} });
    try {
      expect((await fetchFeed(`http://localhost:${server.port}/feed`, { config: open, agent })).status).toBe(200);
    } finally {
      await agent.close();
    }
  });
});

describe('schemes', () => {
  it.each(['file:///etc/passwd', 'data:text/xml,<rss/>', 'gopher://example.org/', 'ftp://example.org/feed.xml', 'javascript:alert(1)'])(
    'refuses %s as a fetch target',
    async (url) => {
      expect(await codeOf(fetchFeed(url, { config: guarded, agent: guardedAgent }))).toBe('FETCH_BAD_SCHEME');
    },
  );

  it('an unparsable URL is FETCH_BAD_URL', async () => {
    expect(await codeOf(fetchFeed('not a url', { config: guarded, agent: guardedAgent }))).toBe('FETCH_BAD_URL');
  });
});

describe('proxy variables', () => {
  let proxy: http.Server;
  let tunnels: string[];
  beforeAll(async () => {
    tunnels = [];
    // A minimal CONNECT proxy (RFC 9110 §9.3.6), as corporate proxies offer.
    proxy = http.createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req: http.IncomingMessage, client: net.Socket) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = net.connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client).pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => (proxy.closeAllConnections(), proxy.close(() => resolve()))));

  const proxyUrl = () => `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;

  it('HTTP_PROXY is used', async () => {
    const agent = createFetchAgent(loopbackAllowed, { env: { HTTP_PROXY: proxyUrl() } });
    try {
      expect((await fetchFeed(server.url('/feed'), { config: loopbackAllowed, agent })).status).toBe(200);
      expect(tunnels).toContain(`127.0.0.1:${server.port}`);
    } finally {
      await agent.close();
    }
  });

  it('NO_PROXY bypasses it', async () => {
    const before = tunnels.length;
    const agent = createFetchAgent(loopbackAllowed, { env: { HTTP_PROXY: proxyUrl(), NO_PROXY: '127.0.0.1' } });
    try {
      expect((await fetchFeed(server.url('/feed'), { config: loopbackAllowed, agent })).status).toBe(200);
      expect(tunnels.length).toBe(before);
    } finally {
      await agent.close();
    }
  });
});
