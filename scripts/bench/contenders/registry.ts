// Every contender by name, in the order the report lists them.
import type { Contender, ContenderName } from '../contender.ts';
import { direct } from './direct.ts';
import { floorHttpProxy3, floorNodeHttp } from './floors.ts';
import { haproxy } from './haproxy.ts';
import { nginx } from './nginx.ts';
import { baselineSticky, proxyAppCookie, proxyRoundRobin, proxySourceIp, proxySticky } from './our-proxy.ts';

/** The registered contenders: no proxy, ours twice, HAProxy, nginx. */
export const contenders: readonly Contender[] = [direct, proxyRoundRobin, proxySticky, haproxy, nginx];

/** The names `--only` accepts without `--floors`. */
export const contenderNames: readonly ContenderName[] = contenders.map((contender) => contender.name);

/**
 * Measured only with `--floors` (or by name in `--only`): the pass-through proxies, what Node and http-proxy-3 cost by
 * themselves, and our proxy with each other stickiness kind, so every kind is set against that floor.
 */
export const floors: readonly Contender[] = [proxyAppCookie, proxySourceIp, floorNodeHttp, floorHttpProxy3];

/** The contenders named in `only`, in report order; `baseline` (a bundle) adds `baseline-sticky` last. */
export function chosenContenders(only: readonly ContenderName[], baseline: string | undefined): Contender[] {
  const registered = [...contenders, ...floors, ...(baseline === undefined ? [] : [baselineSticky(baseline)])];
  return registered.filter((contender) => only.includes(contender.name));
}
