// The HTTP dispatcher for feed fetches: guarded connections, proxy variables honoured, one per fetch config.
import dns from 'node:dns';
import { EnvHttpProxyAgent } from 'undici';
import type { Dispatcher } from 'undici';
import type { FetchConfig } from '../config/schema.ts';
import { createAddressPolicy, createGuardedConnector, createGuardedLookup } from './guard.ts';
import type { AddressPolicy, LookupFunction } from './guard.ts';

export interface FetchAgent {
  dispatcher: Dispatcher;
  policy: AddressPolicy;
  /** Resolves a host through the guard (used before handing a request to a proxy, which resolves on its own). */
  checkHostViaDns(hostname: string): Promise<void>;
  close(): Promise<void>;
}

export interface FetchAgentOptions {
  /** A dns.lookup-compatible resolver, for tests (DNS rebinding) or custom resolution. */
  lookup?: LookupFunction;
  /** Environment to read HTTP(S)_PROXY/NO_PROXY from; defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** True when HTTP_PROXY/HTTPS_PROXY (either case) is set: requests may then leave through a proxy. */
export function hasProxyEnv(env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean(env.http_proxy || env.HTTP_PROXY || env.https_proxy || env.HTTPS_PROXY);
}

/**
 * Builds the dispatcher: undici's EnvHttpProxyAgent (HTTP_PROXY, HTTPS_PROXY, NO_PROXY, RFC-less but de facto
 * standard) whose direct connections go through the guarded connector. Idle keep-alive sockets are dropped
 * after 4 s and unreferenced, so a one-shot `wiredesk fetch` exits promptly.
 */
export function createFetchAgent(config: FetchConfig, options: FetchAgentOptions = {}): FetchAgent {
  const env = options.env ?? process.env;
  const policy = createAddressPolicy(config.allow_private_networks);
  const connect = createGuardedConnector(policy, { connectTimeoutMs: config.connect_timeout, ...(options.lookup ? { lookup: options.lookup } : {}) });
  const proxyOptions: ConstructorParameters<typeof EnvHttpProxyAgent>[0] = {
    connect,
    headersTimeout: config.timeout,
    bodyTimeout: config.timeout,
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 30_000,
  };
  const httpProxy = env.http_proxy ?? env.HTTP_PROXY;
  const httpsProxy = env.https_proxy ?? env.HTTPS_PROXY;
  const noProxy = env.no_proxy ?? env.NO_PROXY;
  if (httpProxy !== undefined) proxyOptions.httpProxy = httpProxy;
  if (httpsProxy !== undefined) proxyOptions.httpsProxy = httpsProxy;
  if (noProxy !== undefined) proxyOptions.noProxy = noProxy;
  const dispatcher = new EnvHttpProxyAgent(proxyOptions);
  const lookup = createGuardedLookup(policy, options.lookup ?? (dns.lookup as LookupFunction));
  const proxied = hasProxyEnv(env);
  return {
    dispatcher,
    policy,
    checkHostViaDns(hostname) {
      if (!proxied || policy.isOpen) return Promise.resolve();
      return new Promise((resolve, reject) => {
        lookup(hostname, { all: true }, (error) => (error ? reject(error) : resolve()));
      });
    },
    close: () => dispatcher.close(),
  };
}

const shared = new WeakMap<FetchConfig, FetchAgent>();

/** The agent shared by every fetch made with this (frozen) config object. */
export function getSharedFetchAgent(config: FetchConfig): FetchAgent {
  let agent = shared.get(config);
  if (!agent) {
    agent = createFetchAgent(config);
    shared.set(config, agent);
  }
  return agent;
}

/** Closes the shared agent of a config (at shutdown). */
export async function closeSharedFetchAgent(config: FetchConfig): Promise<void> {
  const agent = shared.get(config);
  shared.delete(config);
  await agent?.close();
}
