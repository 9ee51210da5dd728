// @ts-check
// The three shops side by side, each a real shopper through the proxy (same-origin via /console/public/): its cart,
// the instance that served the last request, and why the proxy picked it.
import { call, describeError } from './api.js';
import { h, replaceChildren } from './dom.js';

/** @typedef {import('./live.js').Live} Live */
/** @typedef {{ sku: string, name: string, qty: number, unitPrice: number }} CartLine */
/** @typedef {{ instance: string, mode: string, items: CartLine[], count: number, total: number }} Cart */

const MIRROR = '/console/public';

const lessons = {
  memory: 'Session in one instance\u2019s memory: kept only while the proxy sends you back there.',
  redis: 'Session in Redis: any instance can serve you.',
  jwt: 'Session in a signed cookie: nothing on the server.',
};

/** The proxy's `X-Upstream-Reason`, in words. @type {Record<string, string>} */
const reasons = {
  new: 'a new session: balanced',
  expired: 'its binding had expired: balanced again',
  invalid: 'its sticky cookie was invalid: balanced again',
  unknown: 'the proxy did not know its session: balanced',
  'target-gone': 'its instance left the pool: re-stuck elsewhere',
  'target-down': 'its instance is down: re-stuck elsewhere',
  draining: 'its instance was drained: re-stuck elsewhere',
};

/**
 * One panel per pool; `lookAgain()` reloads every cart (after a fault or a settings change).
 * @param {HTMLElement} container
 * @param {Live} live
 */
export function createShops(container, live) {
  const panels = live.pools.map((pool) => shopPanel(pool.name, live));
  replaceChildren(
    container,
    panels.map((panel) => panel.root),
  );
  for (const panel of panels) void panel.start();
  return {
    async lookAgain() {
      await Promise.all(panels.map((panel) => panel.load()));
    },
  };
}

/**
 * @param {string} pool
 * @param {Live} live
 */
function shopPanel(pool, live) {
  const base = `${MIRROR}/${pool}`;
  const servedBy = h('strong', { class: 'served-by' }, '…');
  const reason = h('span', { class: 'reason' });
  const summary = h('p', { class: 'cart-summary' });
  const lines = h('ul', { class: 'cart-lines', 'aria-label': `${pool} cart` });
  const problem = h('p', { class: 'shop-error', role: 'alert', hidden: true });
  const catalog = h('select', { id: `catalog-${pool}`, name: 'sku' });
  const addButton = h('button', { type: 'submit', 'aria-label': `add to the ${pool} cart` }, 'Add to cart');
  const form = h('form', { class: 'add-item' }, h('label', { for: `catalog-${pool}` }, 'Item'), catalog, addButton);
  const root = h(
    'section',
    { class: 'shop', 'data-shop': pool, 'aria-labelledby': `shop-${pool}-title` },
    h('h3', { id: `shop-${pool}-title` }, `${pool} shop`),
    h('p', { class: 'lesson' }, /** @type {Record<string, string>} */ (lessons)[pool] ?? ''),
    h('p', { class: 'served' }, 'served by ', servedBy, h('br'), reason),
    summary,
    lines,
    problem,
    form,
    h(
      'div',
      { class: 'shop-actions' },
      h(
        'button',
        { type: 'button', 'aria-label': `look at the ${pool} cart again`, onclick: () => void load() },
        'Look again',
      ),
      h(
        'button',
        { type: 'button', 'aria-label': `empty the ${pool} cart`, onclick: () => void send('DELETE', '/api/cart') },
        'Empty cart',
      ),
    ),
  );
  /** How many answers the panel has shown: lets a reader (or a test) tell a fresh look from an old one. */
  let answers = 0;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send('POST', '/api/cart/items', { sku: /** @type {HTMLSelectElement} */ (catalog).value, qty: 1 });
  });

  /**
   * @param {string} method
   * @param {string} path
   * @param {unknown} [body]
   */
  async function send(method, path, body) {
    root.setAttribute('aria-busy', 'true');
    const answer = await call(method, base + path, body);
    root.removeAttribute('aria-busy');
    answers += 1;
    root.dataset.answers = String(answers);
    const instance = answer.headers.get('x-served-by');
    servedBy.textContent = instance ?? 'no instance';
    const why = answer.headers.get('x-upstream-reason');
    const stickiness = live.pools.find((candidate) => candidate.name === pool)?.stickiness.type ?? 'none';
    reason.textContent = why
      ? (reasons[why] ?? why)
      : answer.ok
        ? stickiness === 'none'
          ? 'no stickiness: balanced'
          : 'sticky: the same instance as before'
        : '';
    if (!answer.ok) {
      problem.hidden = false;
      problem.textContent = `${answer.status}: ${describeError(answer.error)}`;
      return;
    }
    problem.hidden = true;
    showCart(/** @type {Cart} */ (answer.body));
  }

  /** @param {Cart} cart */
  function showCart(cart) {
    summary.textContent = `Cart: ${cart.count} ${cart.count === 1 ? 'item' : 'items'} · total ${cart.total.toFixed(2)}`;
    summary.dataset.count = String(cart.count);
    replaceChildren(
      lines,
      cart.items.length === 0
        ? h('li', { class: 'empty' }, 'The cart is empty.')
        : cart.items.map((line) => h('li', {}, `${line.qty} × ${line.name}`)),
    );
  }

  function load() {
    return send('GET', '/api/cart');
  }

  async function start() {
    const answer = await call('GET', `${base}/api/catalog`);
    if (answer.ok) {
      /** @type {{ sku: string, name: string, unitPrice: number }[]} */
      const items = answer.body.items;
      replaceChildren(
        catalog,
        items.map((item) => h('option', { value: item.sku }, `${item.name} · ${item.unitPrice.toFixed(2)}`)),
      );
    }
    await load();
  }

  return { root, load, start };
}
