// @ts-check
// Starts the console: reads what lab this is, then wires the live picture to the topology, shops, chart, log,
// pool settings and scenario panel.
import { getJson } from './api.js';
import { createChart } from './chart.js';
import { createDecisionLog } from './decision-log.js';
import { byId, h, replaceChildren } from './dom.js';
import { loadFaults, runFault } from './faults.js';
import { Live } from './live.js';
import { createPoolSettings } from './pool-settings.js';
import { createScenarioPanel } from './scenarios.js';
import { createShops } from './shops.js';
import { createTopology } from './topology.js';

const orchestratorText = {
  native: 'processes run by npm run demo: every button acts',
  compose: 'processes run by Docker Compose: process buttons show the command to run on the host',
};

async function main() {
  /** @type {import('./live.js').LabInfo | undefined} */
  const lab = await getJson('/api/lab');
  if (!lab) {
    replaceChildren(byId('lab-info'), 'The control port does not answer; reload once the proxy runs.');
    return;
  }
  replaceChildren(
    byId('lab-info'),
    lab.orchestrator === null
      ? 'a proxy started alone: drain and settings act, processes are yours to run'
      : orchestratorText[lab.orchestrator],
  );
  const live = new Live(lab);
  const connection = byId('connection');
  live.onChange(() => {
    if (connection.dataset.connection === live.connection) return;
    connection.dataset.connection = live.connection;
    replaceChildren(
      connection,
      h('span', { 'aria-hidden': 'true' }, live.connection === 'live' ? '●' : '○'),
      ` ${live.connection === 'live' ? 'live' : live.connection === 'connecting' ? 'connecting…' : 'reconnecting…'}`,
    );
  });
  await Promise.all([live.start(), loadFaults()]);

  const shops = createShops(byId('shops'), live);
  createTopology(byId('proxy-node'), byId('pools'), live, async (action, target) => {
    await runFault(action, target);
    await Promise.all([live.refreshAll(), shops.lookAgain()]);
  });
  createChart(byId('chart'), live);
  createDecisionLog(byId('decision-log'), live);
  createPoolSettings(byId('settings'), live, () => void shops.lookAgain());
  await createScenarioPanel(byId('scenarios'));
}

void main();
