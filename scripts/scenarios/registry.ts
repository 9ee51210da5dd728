// The scenarios by name, in the order the table shows them.
import { baseline } from './baseline.ts';
import { concurrentTabs } from './concurrent-tabs.ts';
import { cookielessClient } from './cookieless-client.ts';
import type { Scenario } from './definition.ts';
import { gracefulStop } from './graceful-stop.ts';
import { instanceBlackhole } from './instance-blackhole.ts';
import { instanceCrash } from './instance-crash.ts';
import { instanceRestart } from './instance-restart.ts';
import { natSkew } from './nat-skew.ts';
import { noStickiness } from './no-stickiness.ts';
import { redisFailover, redisFailoverWait } from './redis-failover.ts';
import { redisOutage, redisRestartNoPersistence } from './redis-outage.ts';
import { redisSlow } from './redis-slow.ts';
import { rollingDeploy } from './rolling-deploy.ts';
import { scaleOut } from './scale-out.ts';

/** Every scenario, by name. */
export const scenarios: ReadonlyMap<string, Scenario> = new Map(
  [
    baseline,
    noStickiness,
    instanceCrash,
    instanceBlackhole,
    gracefulStop,
    instanceRestart,
    redisOutage,
    redisRestartNoPersistence,
    redisSlow,
    redisFailover,
    redisFailoverWait,
    scaleOut,
    rollingDeploy,
    natSkew,
    cookielessClient,
    concurrentTabs,
  ].map((scenario) => [scenario.name, scenario]),
);
