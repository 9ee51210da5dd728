// Runs scenarios one after another, each in its own lab, and turns a scenario that could not run into `failed` rows.
import type { ExternalBalancerName } from './balancers/external.ts';
import type { Scenario, ScenarioRow } from './definition.ts';
import { isolatedLab, type LeasedLab, sharedLab } from './labs.ts';

/** How to run. */
export interface RunOptions {
  /** Use the running lab at this control URL instead of a fresh stack per scenario. */
  controlUrl?: string;
  /** With `controlUrl`: the lab runs under Docker Compose. */
  compose?: boolean;
  /** Shoppers go through HAProxy or nginx (running the translated proxy config) instead of the lab proxy. */
  balancer?: ExternalBalancerName;
  /** Progress lines. */
  log?: (line: string) => void;
  /** Called with each scenario's rows as soon as it ends. */
  onRows?: (rows: ScenarioRow[]) => void;
}

/** Runs `list` in order and returns every row. */
export async function runScenarios(list: readonly Scenario[], options: RunOptions = {}): Promise<ScenarioRow[]> {
  const rows: ScenarioRow[] = [];
  for (const scenario of list) {
    const started = performance.now();
    const seconds = () => Math.round((performance.now() - started) / 100) / 10;
    options.log?.(`running ${scenario.name}: ${scenario.summary}`);
    let leased: LeasedLab | undefined;
    let scenarioRows: ScenarioRow[];
    try {
      leased = options.controlUrl
        ? await sharedLab(options.controlUrl, scenario.stack, options.compose)
        : await isolatedLab(scenario.stack, options.log, options.balancer);
      const outcomes = await scenario.run(leased.lab);
      scenarioRows = outcomes.map((outcome) => ({ name: scenario.name, ...outcome, seconds: seconds() }));
    } catch (error) {
      scenarioRows = scenario.modes.map((mode) => ({
        name: scenario.name,
        mode,
        stickiness: '?',
        verdict: 'failed' as const,
        carts: { checked: 0, kept: 0, lost: 0 },
        requests: { total: 0, failed: 0, cut: 0 },
        seconds: seconds(),
        notes: (error as Error).message.split('\n')[0] ?? 'failed',
      }));
    } finally {
      await leased
        ?.release()
        .catch((error: Error) => options.log?.(`could not clean up after ${scenario.name}: ${error.message}`));
    }
    for (const row of scenarioRows) row.seconds = seconds();
    rows.push(...scenarioRows);
    options.onRows?.(scenarioRows);
  }
  return rows;
}
