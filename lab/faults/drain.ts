// `drain`: the proxy's gentle way to take an instance out, as a load balancer's deregistration does.
import type { Fault } from './fault.ts';

const proxyDoes = 'the proxy gives it no new sessions, and bound ones only for its pool\u2019s deregistrationDelay';

/** No new sessions for the instance; its bound sessions until the pool's deregistration delay. */
export const drain: Fault = {
  name: 'drain',
  target: 'instance',
  summary: 'the proxy gives it no new sessions; bound ones until the pool\u2019s deregistrationDelay',
  done: 'draining',
  native: proxyDoes,
  compose: { does: proxyDoes },
  via: 'proxy',
  console: true,
  async run({ proxy }, target) {
    const delay = await proxy.drain(target);
    return `${target} is draining: no new sessions, bound sessions for ${delay} (the pool's deregistrationDelay)`;
  },
};
