// `undrain`: the end of a `drain`.
import type { Fault } from './fault.ts';

const proxyDoes = 'the proxy takes it back into rotation';

/** The instance takes new sessions again. */
export const undrain: Fault = {
  name: 'undrain',
  target: 'instance',
  summary: 'the proxy takes it back into rotation',
  done: 'back in rotation',
  native: proxyDoes,
  compose: { does: proxyDoes },
  via: 'proxy',
  console: true,
  async run({ proxy }, target) {
    await proxy.undrain(target);
    return `${target} is back in rotation`;
  },
};
