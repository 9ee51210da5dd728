// @ts-check
// What the proxy decided and why: reasons counted over the last minute per pool, the latest sampled decisions, and
// the latest changes (state, drain, retries), all from the proxy's event stream.
import { h, replaceChildren } from './dom.js';
import { HISTORY_MS } from './live.js';

/** @typedef {import('./live.js').Live} Live */
/** @typedef {{ pool: string, target: string | null, reason: string | null, count: number }} DecisionCount */
/** @typedef {{ pool: string, target: string | null, status: number, reason: string | null }} DecisionSample */

const SAMPLES_SHOWN = 10;
const CHANGES_SHOWN = 8;

/**
 * Keeps `container` showing the routing decisions `live` hears about.
 * @param {HTMLElement} container
 * @param {Live} live
 */
export function createDecisionLog(container, live) {
  /** @type {{ at: number, decisions: DecisionCount[] }[]} */
  let batches = [];
  /** @type {(DecisionSample & { at: number })[]} */
  let samples = [];
  /** @type {{ at: number, text: string }[]} */
  let changes = [];
  const counts = h('div', { class: 'reason-counts' });
  const sampleBody = h('tbody');
  const changeList = h('ol', { class: 'changes', 'aria-label': 'latest changes' });
  replaceChildren(
    container,
    h('h3', {}, 'Last minute, by reason'),
    counts,
    h('h3', {}, 'Latest decisions (samples)'),
    h(
      'table',
      { class: 'decisions' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['time', 'pool', 'instance', 'status', 'why'].map((title) => h('th', { scope: 'col' }, title)),
        ),
      ),
      sampleBody,
    ),
    h('h3', {}, 'Latest changes'),
    changeList,
  );

  /** @param {string | null} reason @param {string} pool */
  const why = (reason, pool) => {
    if (reason) return reason;
    const stickiness = live.pools.find((candidate) => candidate.name === pool)?.stickiness.type ?? 'none';
    return stickiness === 'none' ? 'balanced' : 'sticky hit';
  };

  const render = () => {
    const byPool = new Map();
    for (const batch of batches) {
      for (const decision of batch.decisions) {
        const reasons = byPool.get(decision.pool) ?? new Map();
        const label = decision.target === null ? `refused: ${decision.reason}` : why(decision.reason, decision.pool);
        reasons.set(label, (reasons.get(label) ?? 0) + decision.count);
        byPool.set(decision.pool, reasons);
      }
    }
    replaceChildren(
      counts,
      byPool.size === 0
        ? h('p', { class: 'hint' }, 'No requests in the last minute.')
        : [...byPool].map(([pool, reasons]) =>
            h(
              'p',
              {},
              h('b', {}, `${pool || 'no pool'}: `),
              [...reasons].map(([label, count]) => `${count} ${label}`).join(' · '),
            ),
          ),
    );
    replaceChildren(
      sampleBody,
      samples.map((sample) =>
        h(
          'tr',
          {},
          h('td', {}, clock(sample.at)),
          h('td', {}, sample.pool || '–'),
          h('td', {}, sample.target ?? 'none'),
          h('td', {}, sample.status === 0 ? '–' : String(sample.status)),
          h('td', {}, why(sample.reason, sample.pool)),
        ),
      ),
    );
    replaceChildren(
      changeList,
      changes.map((change) => h('li', {}, h('span', { class: 'time' }, clock(change.at)), ' ', change.text)),
    );
  };

  live.onEvent((type, data) => {
    const now = Date.now();
    if (type === 'decisions') {
      batches = [...batches, { at: data.at, decisions: data.decisions }].filter(
        (batch) => batch.at >= now - HISTORY_MS,
      );
      samples = [
        .../** @type {DecisionSample[]} */ (data.samples).map((sample) => ({ ...sample, at: data.at })).reverse(),
        ...samples,
      ].slice(0, SAMPLES_SHOWN);
    } else {
      const text = describeChange(type, data);
      if (!text) return;
      changes = [{ at: data.at ?? now, text }, ...changes].slice(0, CHANGES_SHOWN);
    }
    render();
  });
  render();
}

/**
 * @param {string} type
 * @param {any} data
 */
function describeChange(type, data) {
  switch (type) {
    case 'state':
      return `${data.target}: ${data.from} → ${data.to} (${data.cause})`;
    case 'drained':
      return `${data.target}: deregistration delay over, its sessions move`;
    case 'target-added':
      return `${data.target} joined pool ${data.pool}`;
    case 'target-removed':
      return `${data.target} left pool ${data.pool}`;
    case 'pool-changed':
      return `pool ${data.pool} changed: ${data.changes.join(', ')}`;
    case 'retry':
      return data.retries
        .map(
          (/** @type {{ target: string, cause: string, count: number }} */ each) =>
            `retried ${each.count} request(s) away from ${each.target} (${each.cause})`,
        )
        .join('; ');
    case 'dropped':
      return `this page read too slowly: ${data.messages} messages skipped`;
    default:
      return undefined;
  }
}

/** @param {number} at */
function clock(at) {
  return new Date(at).toLocaleTimeString([], { hour12: false });
}
