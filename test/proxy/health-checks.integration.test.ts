// Integration: health checks keep one connection per target, and a reset of that kept connection is not a dead target.
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../../scripts/process/wait.ts';
import { getJson, openEvents, targetState } from './support/http.ts';
import { startOddBackend, startProxy } from './support/processes.ts';

describe('active health checks', () => {
  it('keep a target healthy when its kept connection is reset as a check is sent; mark a dead one down', async () => {
    const backend = await startOddBackend('kept', { ODD_RESET_KEPT_CHECKS: '1' });
    const proxy = await startProxy({
      rules: [{ path: '/p', pool: 'p' }],
      pools: {
        p: {
          // One refused check would be enough to mark the target down.
          healthCheck: { interval: '500ms', timeout: '500ms', unhealthyThreshold: 1 },
          targets: [{ id: 'kept', url: backend.url }],
        },
      },
    });
    const events = await openEvents(`${proxy.control}/api/events`);
    try {
      // Every second check reuses the kept connection and meets a reset; each must be sent again, not counted.
      await waitUntil(
        async () =>
          (await getJson<{ keptChecksReset: number }>(`${backend.url}/odd/kept-checks-reset`)).keptChecksReset >= 5,
        'five checks reset on a kept connection',
      );
      expect(await targetState(proxy.control, 'kept')).toBe('healthy');
      expect(events.text()).not.toContain('"to":"down"');

      await backend.child.kill();
      await waitUntil(
        async () => (await targetState(proxy.control, 'kept')) === 'down',
        'the killed target to be down',
      );
      expect(events.text()).toMatch(/"to":"down","cause":"1 health checks failed \(connection refused\)"/);
    } finally {
      events.close();
    }
  });
});
