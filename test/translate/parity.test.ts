// HAProxy and nginx, running `npm run translate` of the lab's proxy config, give the same scenario verdicts as the lab
// proxy.
import { describe, expect, it } from 'vitest';
import type { ExternalBalancerName } from '../../scripts/scenarios/balancers/external.ts';
import { scenarios } from '../../scripts/scenarios/registry.ts';
import { runScenarios } from '../../scripts/scenarios/runner.ts';

const names = ['baseline', 'instance-crash', 'no-stickiness'];
const list = names.map((name) => scenarios.get(name)!);

/** What the lab proxy shows; each translation must show the same. */
const LAB_PROXY_VERDICTS = [
  'baseline memory: kept',
  'baseline redis: kept',
  'baseline jwt: kept',
  'instance-crash memory: lost',
  'instance-crash redis: kept',
  'instance-crash jwt: kept',
  'no-stickiness memory: lost',
  'no-stickiness redis: kept',
  'no-stickiness jwt: kept',
];

async function verdicts(balancer?: ExternalBalancerName): Promise<string[]> {
  const rows = await runScenarios(list, { balancer });
  // a row that could not run carries its reason, so a failure says why and not only that it failed
  return rows.map(
    (row) => `${row.name} ${row.mode}: ${row.verdict}${row.verdict === 'failed' ? ` (${row.notes})` : ''}`,
  );
}

// One test per balancer: each runs three scenarios on a stack of its own, a minute or more on a busy machine.
describe('translation parity in baseline, instance-crash and no-stickiness', () => {
  it('the lab proxy keeps and loses the carts the lab says it does', { timeout: 180_000 }, async () => {
    expect(await verdicts()).toEqual(LAB_PROXY_VERDICTS);
  });

  it('HAProxy, running the translated config, keeps and loses the same carts', { timeout: 180_000 }, async () => {
    expect(await verdicts('haproxy')).toEqual(LAB_PROXY_VERDICTS);
  });

  it('nginx, running the translated config, keeps and loses the same carts', { timeout: 180_000 }, async () => {
    expect(await verdicts('nginx')).toEqual(LAB_PROXY_VERDICTS);
  });
});
