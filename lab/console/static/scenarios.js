// @ts-check
// Runs one scenario of the suite through the demo's supervisor and shows its verdict table when it ends.
import { call, describeError, getJson } from './api.js';
import { h, replaceChildren } from './dom.js';

/** @typedef {{ name: string, summary: string, modes: string[], ownStackOnly: boolean }} ScenarioInfo */
/**
 * @typedef {{ name: string, mode: string, stickiness: string, verdict: 'kept' | 'lost' | 'failed', carts: { checked:
 * number, kept: number }, requests: { total: number, failed: number }, seconds: number, notes: string }} ScenarioRow
 */
/**
 * @typedef {{ name: string, lab: 'own' | 'this', state: 'running' | 'done', startedAt: number, rows: ScenarioRow[],
 * table: string, log: string[] }} ScenarioRun
 */

const POLL_EVERY_MS = 1_000;
const verdictLook = { kept: '✔ kept', lost: '✖ lost', failed: '⚠ failed' };

/**
 * Fills `container` with the scenario picker, its progress and the last verdict table.
 * @param {HTMLElement} container
 */
export async function createScenarioPanel(container) {
  const listed = await call('GET', '/api/console/scenarios');
  if (!listed.ok) {
    const commands = /** @type {{ commands?: string[] } | undefined} */ (listed.error.details)?.commands ?? [];
    replaceChildren(
      container,
      h('p', {}, listed.error.message),
      commands.length > 0 &&
        h(
          'ul',
          { class: 'commands' },
          commands.map((command) => h('li', {}, h('code', {}, command))),
        ),
    );
    return;
  }
  /** @type {ScenarioInfo[]} */
  const scenarios = listed.body.scenarios;
  const picker = h(
    'select',
    { id: 'scenario-name' },
    scenarios.map((scenario) => h('option', { value: scenario.name }, `${scenario.name}: ${scenario.summary}`)),
  );
  const ownLab = h('input', {
    type: 'radio',
    name: 'scenario-lab',
    id: 'scenario-lab-own',
    value: 'own',
    checked: true,
  });
  const thisLab = h('input', { type: 'radio', name: 'scenario-lab', id: 'scenario-lab-this', value: 'this' });
  const runButton = h('button', { type: 'submit' }, 'Run scenario');
  const status = h('p', { class: 'scenario-status', role: 'status' });
  const verdicts = h('div', { class: 'verdicts' });
  const form = h(
    'form',
    { class: 'scenario-form' },
    h('div', { class: 'field' }, h('label', { for: 'scenario-name' }, 'Scenario'), picker),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Where'),
      h('label', {}, ownLab, ' on a stack of its own (every scenario; this lab stays as it is)'),
      h('label', {}, thisLab, ' on this lab: watch it live above (its faults stay in place afterwards)'),
    ),
    runButton,
  );
  replaceChildren(container, form, status, verdicts);

  const onlyOwn = () => {
    const chosen = scenarios.find((scenario) => scenario.name === /** @type {HTMLSelectElement} */ (picker).value);
    const input = /** @type {HTMLInputElement} */ (thisLab);
    input.disabled = chosen?.ownStackOnly ?? false;
    if (input.disabled) /** @type {HTMLInputElement} */ (ownLab).checked = true;
  };
  picker.addEventListener('change', onlyOwn);
  onlyOwn();

  /** @param {ScenarioRun | null} run */
  const show = (run) => {
    /** @type {HTMLButtonElement} */ (runButton).disabled = run?.state === 'running';
    if (!run) return;
    const where = run.lab === 'this' ? 'on this lab' : 'on a stack of its own';
    const seconds = Math.round((Date.now() - run.startedAt) / 1000);
    status.dataset.state = run.state;
    status.textContent =
      run.state === 'running'
        ? `Running ${run.name} ${where}… ${seconds} s · ${run.log.at(-1) ?? ''}`
        : `${run.name} ended ${where}; verdicts:`;
    if (run.state === 'done') replaceChildren(verdicts, verdictTable(run.rows));
  };

  const follow = async () => {
    const answer = await getJson('/api/console/scenarios/run');
    /** @type {ScenarioRun | null} */
    const run = answer?.run ?? null;
    show(run);
    if (run?.state === 'running') setTimeout(() => void follow(), POLL_EVERY_MS);
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = /** @type {HTMLSelectElement} */ (picker).value;
    const lab = /** @type {HTMLInputElement} */ (thisLab).checked ? 'this' : 'own';
    replaceChildren(verdicts);
    const started = await call('POST', `/api/console/scenarios/${encodeURIComponent(name)}/run`, { lab });
    if (!started.ok) {
      status.dataset.state = 'failed';
      status.textContent = `Refused: ${describeError(started.error)}`;
      return;
    }
    show(started.body);
    setTimeout(() => void follow(), POLL_EVERY_MS);
  });
  await follow();
}

/** @param {ScenarioRow[]} rows */
function verdictTable(rows) {
  const titles = ['scenario', 'mode', 'stickiness', 'verdict', 'carts kept', 'failed requests', 'seconds', 'notes'];
  return h(
    'table',
    { class: 'verdict-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        titles.map((title) => h('th', { scope: 'col' }, title)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((row) =>
        h(
          'tr',
          {},
          h('td', {}, row.name),
          h('td', {}, row.mode),
          h('td', {}, row.stickiness),
          h('td', { class: 'verdict', 'data-verdict': row.verdict }, verdictLook[row.verdict]),
          h('td', { class: 'number' }, `${row.carts.kept}/${row.carts.checked}`),
          h('td', { class: 'number' }, `${row.requests.failed}/${row.requests.total}`),
          h('td', { class: 'number' }, row.seconds.toFixed(1)),
          h('td', {}, row.notes),
        ),
      ),
    ),
  );
}
