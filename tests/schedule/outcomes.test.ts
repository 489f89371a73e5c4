// Fetch outcomes from the fault-injection server, run through the scheduling policy as the daemon does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { createFetchAgent, fetchFeed } from '../../src/fetch/index.ts';
import type { FetchAgent } from '../../src/fetch/index.ts';
import { computeNextCheck, planFetch, toCheckOutcome, HOUR_MS } from '../../src/schedule/index.ts';
import type { CheckOutcome } from '../../src/schedule/index.ts';
import type { SourceState } from '../../src/model/fetch.ts';
import { startFaultServer } from '../helpers/fault-server.ts';
import type { FaultServer } from '../helpers/fault-server.ts';

const config = configSchema.parse({
  fetch: { timeout: '1s', allow_private_networks: ['127.0.0.1'], retry_after_max: '12h', backoff_max: '24h', failing_after: 3 },
  schedule: { every: '10m' },
});
const now = new Date('2026-11-25T12:00:00.000Z');

let server: FaultServer;
let agent: FetchAgent;
beforeAll(async () => {
  server = await startFaultServer();
  agent = createFetchAgent(config.fetch, { env: {} });
});
afterAll(async () => {
  await agent.close();
  await server.close();
});

async function outcomeOf(url: string, state?: Partial<SourceState>): Promise<CheckOutcome> {
  const plan = planFetch({ url }, state as SourceState | undefined, now);
  const options = { config: config.fetch, agent, unconditional: plan.unconditional, ...(plan.validators ? { validators: plan.validators } : {}) };
  try {
    return toCheckOutcome({ result: await fetchFeed(plan.url, options) }, { wasUnconditional: plan.unconditional });
  } catch (error) {
    return toCheckOutcome({ error });
  }
}

const plan = (outcome: CheckOutcome, consecutiveErrors = 0) =>
  computeNextCheck({ source: {}, state: { consecutiveErrors }, outcome, now, fetch: config.fetch, schedule: config.schedule, random: () => 0 });
const delayOf = (patch: { nextCheckAt: string | undefined }) => Date.parse(patch.nextCheckAt ?? '') - now.getTime();

describe('fetch outcomes through the policy', () => {
  it('304 is a success that keeps the source on its interval', async () => {
    const outcome = await outcomeOf(server.url('/feed'), { etag: '"v1"', lastUnconditionalAt: now.toISOString() });
    expect(outcome).toMatchObject({ ok: true, notModified: true, status: 304 });
    expect(plan(outcome, 2)).toMatchObject({ consecutiveErrors: 0, isFailing: false });
  });

  it('301 is remembered as the effective URL; the next fetch uses it', async () => {
    const outcome = await outcomeOf(server.url('/redirect/301'));
    const patch = plan(outcome);
    expect(patch.effectiveUrl).toBe(server.url('/feed'));
    expect(planFetch({ url: server.url('/redirect/301') }, { effectiveUrl: patch.effectiveUrl } as SourceState, now).url).toBe(server.url('/feed'));
  });

  it('302 is not remembered', async () => {
    expect(plan(await outcomeOf(server.url('/redirect/302'))).effectiveUrl).toBeUndefined();
  });

  it('410 marks the source gone', async () => {
    const patch = plan(await outcomeOf(server.url('/gone')));
    expect(patch).toMatchObject({ isGone: true, nextCheckAt: undefined });
  });

  it('429 with Retry-After waits that long', async () => {
    expect(delayOf(plan(await outcomeOf(server.url('/status/429?retry=7200'))))).toBe(2 * HOUR_MS);
  });

  it('429 with an absurd Retry-After is capped at fetch.retry_after_max', async () => {
    expect(delayOf(plan(await outcomeOf(server.url('/status/429?retry=999999999999'))))).toBe(12 * HOUR_MS);
  });

  it('500s back off with growing delays and mark the source failing', async () => {
    let errors = 0;
    const delays: number[] = [];
    let failing = false;
    for (let i = 0; i < 4; i++) {
      const patch = plan(await outcomeOf(server.url('/status/500')), errors);
      errors = patch.consecutiveErrors;
      failing = patch.isFailing;
      delays.push(delayOf(patch));
    }
    expect(errors).toBe(4);
    expect(failing).toBe(true);
    expect(delays).toEqual([10, 20, 40, 80].map((m) => m * 60_000));
  });

  it('network failures (timeout) count as errors too', async () => {
    const outcome = await outcomeOf(server.url('/hang'));
    expect(outcome).toMatchObject({ ok: false, errorCode: 'FETCH_TIMEOUT' });
    expect(plan(outcome).consecutiveErrors).toBe(1);
  });
});
