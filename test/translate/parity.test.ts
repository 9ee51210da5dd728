// HAProxy and nginx, running `npm run translate` of the lab's proxy config, give the same scenario verdicts as the lab
// proxy.
import { describe, expect, it } from 'vitest';
import type { ExternalBalancerName } from '../../scripts/scenarios/balancers/external.ts';
import { scenarios } from '../../scripts/scenarios/registry.ts';
import { runScenarios } from '../../scripts/scenarios/runner.ts';

const names = ['baseline', 'instance-crash', 'no-stickiness'];
const list = names.map((name) => scenarios.get(name)!);

async function verdicts(balancer?: ExternalBalancerName): Promise<string[]> {
  const rows = await runScenarios(list, { balancer });
  return rows.map((row) => `${row.name} ${row.mode}: ${row.verdict}`);
}

describe('translation parity', () => {
  it('the lab proxy, HAProxy and nginx keep and lose the same carts in baseline, instance-crash and no-stickiness', {
    timeout: 120_000,
  }, async () => {
    const ours = await verdicts();
    expect(ours).toEqual([
      'baseline memory: kept',
      'baseline redis: kept',
      'baseline jwt: kept',
      'instance-crash memory: lost',
      'instance-crash redis: kept',
      'instance-crash jwt: kept',
      'no-stickiness memory: lost',
      'no-stickiness redis: kept',
      'no-stickiness jwt: kept',
    ]);
    expect(await verdicts('haproxy')).toEqual(ours);
    expect(await verdicts('nginx')).toEqual(ours);
  });
});
