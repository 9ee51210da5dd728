// @ts-check
// Per pool: the stickiness method, algorithm and failover, changeable with PATCH /api/pools/:pool (the admin API's
// own checks; a refused change lists every problem and changes nothing).
import { call, describeError } from './api.js';
import { h, replaceChildren } from './dom.js';

/** @typedef {import('./live.js').Live} Live */
/** @typedef {import('./live.js').PoolView} PoolView */

const ALGORITHMS = ['round-robin', 'least-outstanding', 'random', 'weighted-round-robin'];
const STICKINESS = ['none', 'lb-cookie', 'app-cookie', 'source-ip'];
const FAILOVER = ['re-stick', 'strict'];

/**
 * One form per pool; `onApplied` runs after a change was accepted.
 * @param {HTMLElement} container
 * @param {Live} live
 * @param {() => void} onApplied
 */
export function createPoolSettings(container, live, onApplied) {
  const forms = live.pools.map((pool) => poolForm(pool, live, onApplied));
  replaceChildren(
    container,
    forms.map((form) => form.root),
  );
  live.onChange(() => {
    for (const form of forms) form.refresh();
  });
}

/**
 * @param {PoolView} initial
 * @param {Live} live
 * @param {() => void} onApplied
 */
function poolForm(initial, live, onApplied) {
  const id = (/** @type {string} */ field) => `${initial.name}-${field}`;
  const algorithm = select(id('algorithm'), ALGORITHMS);
  const stickiness = select(id('stickiness'), STICKINESS);
  const duration = h('input', { id: id('duration'), name: 'duration', size: 6, value: '1d' });
  const cookieName = h('input', { id: id('cookie'), name: 'cookieName', size: 14, value: `cart_${initial.name}_sid` });
  const hash = select(id('hash'), ['consistent', 'modulo']);
  const failover = select(id('failover'), FAILOVER);
  const result = h('p', { class: 'result', role: 'status' });
  const field = (/** @type {string} */ name, /** @type {string} */ label, /** @type {HTMLElement} */ control) =>
    h('div', { class: 'field', 'data-field': name }, h('label', { for: control.id }, label), control);
  const fields = {
    duration: field('duration', 'Duration', duration),
    cookieName: field('cookieName', 'Application cookie', cookieName),
    hash: field('hash', 'Hash', hash),
  };
  const root = h(
    'form',
    { class: 'pool-settings', 'data-pool': initial.name, 'aria-label': `settings of ${initial.name}` },
    h('h3', {}, initial.name),
    field('algorithm', 'Algorithm', algorithm),
    field('stickiness', 'Stickiness', stickiness),
    fields.duration,
    fields.cookieName,
    fields.hash,
    field('failover', 'Failover', failover),
    h('button', { type: 'submit', 'aria-label': `apply to ${initial.name}` }, 'Apply'),
    result,
  );
  let dirty = false;
  const showFields = () => {
    const type = value(stickiness);
    fields.duration.hidden = type !== 'lb-cookie' && type !== 'app-cookie';
    fields.cookieName.hidden = type !== 'app-cookie';
    fields.hash.hidden = type !== 'source-ip';
  };
  root.addEventListener('input', () => {
    dirty = true;
    showFields();
  });

  /** Shows the pool's current settings, unless someone is editing the form. */
  const refresh = () => {
    const pool = live.pools.find((candidate) => candidate.name === initial.name);
    if (!pool || dirty) return;
    setValue(algorithm, pool.algorithm);
    setValue(stickiness, pool.stickiness.type);
    setValue(failover, pool.failover);
    if (pool.stickiness.duration) setValue(duration, pool.stickiness.duration);
    if (pool.stickiness.cookieName) setValue(cookieName, pool.stickiness.cookieName);
    if (pool.stickiness.hash) setValue(hash, pool.stickiness.hash);
    showFields();
  };

  root.addEventListener('submit', async (event) => {
    event.preventDefault();
    const type = value(stickiness);
    const method =
      type === 'lb-cookie'
        ? { type, duration: value(duration) }
        : type === 'app-cookie'
          ? { type, cookieName: value(cookieName), duration: value(duration) }
          : type === 'source-ip'
            ? { type, hash: value(hash) }
            : { type };
    // Only what differs: replacing a stickiness method starts it afresh (learned bindings are forgotten).
    const current = live.pools.find((candidate) => candidate.name === initial.name);
    /** @type {Record<string, unknown>} */
    const patch = {};
    if (value(algorithm) !== current?.algorithm) patch.algorithm = value(algorithm);
    if (
      Object.entries(method).some(
        ([key, setting]) =>
          current?.stickiness[/** @type {keyof import('../../../contract/wire.ts').StickinessView} */ (key)] !==
          setting,
      )
    )
      patch.stickiness = method;
    if (value(failover) !== current?.failover) patch.failover = value(failover);
    if (Object.keys(patch).length === 0) {
      dirty = false;
      result.dataset.kind = 'done';
      result.textContent = 'Nothing to change.';
      return;
    }
    const answer = await call('PATCH', `/api/pools/${encodeURIComponent(initial.name)}`, patch);
    if (answer.ok) {
      dirty = false;
      result.dataset.kind = 'done';
      result.textContent =
        answer.body.changes.length > 0 ? `Changed: ${answer.body.changes.join(', ')}.` : 'Nothing to change.';
      await live.refreshPools();
      onApplied();
    } else {
      result.dataset.kind = 'failed';
      result.textContent = `Refused: ${describeError(answer.error)}`;
    }
  });
  refresh();
  return { root, refresh };
}

/**
 * @param {string} id
 * @param {string[]} options
 */
function select(id, options) {
  return h(
    'select',
    { id, name: id },
    options.map((option) => h('option', { value: option }, option)),
  );
}

/** @param {HTMLElement} control */
function value(control) {
  return /** @type {HTMLInputElement | HTMLSelectElement} */ (control).value.trim();
}

/**
 * @param {HTMLElement} control
 * @param {string} next
 */
function setValue(control, next) {
  const input = /** @type {HTMLInputElement | HTMLSelectElement} */ (control);
  if (input instanceof HTMLSelectElement && ![...input.options].some((option) => option.value === next))
    input.append(h('option', { value: next }, next));
  if (input.value !== next) input.value = next;
}
