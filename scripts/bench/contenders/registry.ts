// Every contender by name, in the order the report lists them.
import type { Contender, ContenderName } from '../contender.ts';
import { direct } from './direct.ts';
import { floorHttpProxy3, floorNodeHttp } from './floors.ts';
import { haproxy } from './haproxy.ts';
import { nginx } from './nginx.ts';
import { proxyAppCookie, proxyRoundRobin, proxySourceIp, proxySticky } from './our-proxy.ts';

/** The registered contenders: no proxy, ours twice, HAProxy, nginx. */
export const contenders: readonly Contender[] = [direct, proxyRoundRobin, proxySticky, haproxy, nginx];

/** The names `--only` accepts without `--floors`. */
export const contenderNames: readonly ContenderName[] = contenders.map((contender) => contender.name);

/**
 * Measured only with `--floors` (or by name in `--only`): the pass-through proxies, what Node and http-proxy-3 cost by
 * themselves, and our proxy with each other stickiness kind, so every kind is set against that floor.
 */
export const floors: readonly Contender[] = [proxyAppCookie, proxySourceIp, floorNodeHttp, floorHttpProxy3];
