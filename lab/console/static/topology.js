// @ts-check
// The topology, drawn: proxy, then one column per pool with its instances (and where its carts live, Redis included),
// each coloured and labelled by state, with its figures and fault buttons. Updated in place, so focus stays put.
import { h, replaceChildren } from './dom.js';
import { faultHelp, faultsOn } from './faults.js';

/** @typedef {import('./live.js').Live} Live */
/** @typedef {import('./live.js').TargetRow} TargetRow */
/** @typedef {import('./live.js').ServiceRow} ServiceRow */
/** @typedef {(action: string, target: string) => Promise<void>} FaultHandler */

/** State as symbol plus word: never colour alone. */
const stateLook = {
  healthy: '✔',
  unhealthy: '⚠',
  draining: '⇣',
  down: '✖',
  paused: '⏸',
  running: '✔',
  unknown: '?',
};

/** Where each shop keeps its carts, shown under its pool. */
const cartHome = {
  memory: 'Carts live in the memory of the instance that made them.',
  redis: 'Carts live in Redis, shared by every instance:',
  jwt: 'Carts live in the shopper\u2019s cookie (a signed token): no server state.',
};

/**
 * @typedef {{ root: HTMLElement, badge: HTMLElement, process: HTMLElement, figures: HTMLElement, faults: HTMLElement }}
 *   Card
 * @typedef {{ root: HTMLElement, title: HTMLElement, lines: HTMLElement, faults: HTMLElement, home: HTMLElement, list:
 *   HTMLElement, store: Card | undefined }} Column
 */

/**
 * Keeps `poolsElement` and `proxyNode` drawing what `live` sees.
 * @param {HTMLElement} proxyNode
 * @param {HTMLElement} poolsElement
 * @param {Live} live
 * @param {FaultHandler} onFault
 */
export function createTopology(proxyNode, poolsElement, live, onFault) {
  replaceChildren(
    proxyNode,
    h('span', { class: 'node-title' }, 'proxy'),
    h('span', {}, `public listener ${live.lab.publicUrl}`),
    h('span', {}, `control port ${location.origin}`),
  );
  /** @type {Map<string, Column>} */
  const columns = new Map();
  /** @type {Map<string, Card>} */
  const cards = new Map();

  const render = () => {
    for (const pool of live.pools) {
      let column = columns.get(pool.name);
      if (!column) {
        column = poolColumn(pool.name, live);
        columns.set(pool.name, column);
        poolsElement.append(column.root);
      }
      const rows = live.targets.filter((row) => row.pool === pool.name);
      updatePool(column, pool, rows, live, onFault);
      for (const row of rows) {
        let card = cards.get(row.id);
        if (!card) {
          card = emptyCard('li', row.id, row.id);
          cards.set(row.id, card);
        }
        if (card.root.parentElement !== column.list) column.list.append(card.root);
        updateInstance(card, row, live, onFault);
      }
      if (column.store) updateRedis(column.store, live, onFault);
    }
    const present = new Set(live.targets.map((row) => row.id));
    for (const [id, card] of cards) {
      if (!present.has(id)) {
        card.root.remove();
        cards.delete(id);
      }
    }
  };
  live.onChange(render);
  render();
}

/**
 * One pool's column: head, instance list, and where its carts live (the Redis node for redis).
 * @param {string} name
 * @param {Live} live
 * @returns {Column}
 */
function poolColumn(name, live) {
  const title = h('h3', {}, `${name} pool`);
  const lines = h('div', {});
  const faults = h('div', {});
  const list = h('ul', { class: 'instances', 'aria-label': `instances of ${name}` });
  // a pool such as redis-whole-session runs the shop of its first word
  const mode = name.split('-')[0] ?? name;
  const home = h('div', { class: 'store' }, h('p', {}, /** @type {Record<string, string>} */ (cartHome)[mode] ?? ''));
  const store = mode === 'redis' && live.lab.orchestrator !== null ? emptyCard('div', 'redis', 'Redis') : undefined;
  if (store) home.append(store.root);
  const root = h(
    'div',
    { class: 'pool', 'data-pool': name },
    h('div', { class: 'pool-head' }, title, lines, faults),
    list,
    home,
  );
  return { root, title, lines, faults, home, list, store };
}

/**
 * @param {Column} column
 * @param {import('./live.js').PoolView} pool
 * @param {TargetRow[]} rows
 * @param {Live} live
 * @param {FaultHandler} onFault
 */
function updatePool(column, pool, rows, live, onFault) {
  const stickiness =
    pool.stickiness.type === 'source-ip' ? `source-ip (${pool.stickiness.hash})` : pool.stickiness.type;
  const taking = rows.filter((row) => row.state === 'healthy' && row.weight > 0).length;
  // how the pool's shops write cart changes, as the supervisor started them (unknown under compose)
  const writes = rows.map((row) => live.services?.get(row.id)?.cartWrites).find(Boolean);
  const summary = JSON.stringify([stickiness, pool.algorithm, taking, rows.length, writes]);
  if (column.lines.dataset.summary !== summary) {
    column.lines.dataset.summary = summary;
    replaceChildren(
      column.lines,
      h(
        'p',
        { class: 'pool-line' },
        'sticky: ',
        h('b', {}, stickiness),
        ' · algorithm: ',
        h('b', {}, pool.algorithm),
        ` · ${taking} of ${rows.length} take new sessions`,
      ),
      ...(writes ? [h('p', { class: 'pool-line' }, 'cart writes: ', h('b', {}, writes))] : []),
    );
  }
  const scaling = live.lab.orchestrator === null ? [] : faultsOn('pool');
  setFaults(column, scaling, pool.name, `scaling of ${pool.name}`, onFault, (action) => action.replace('-', ' '));
}

/**
 * @param {string} tag
 * @param {string} id
 * @param {string} title
 * @returns {Card}
 */
function emptyCard(tag, id, title) {
  const badge = h('span', { class: 'state' });
  const process = h('p', { class: 'process' });
  const figures = h('dl', { class: 'figures' });
  const faults = h('div', {});
  const root = h(
    tag,
    { class: 'node', 'data-instance': id },
    h('div', { class: 'instance-head' }, h('span', { class: 'instance-id' }, title), badge),
    process,
    figures,
    faults,
  );
  return { root, badge, process, figures, faults };
}

/**
 * @param {Card} card
 * @param {TargetRow} row
 * @param {Live} live
 * @param {FaultHandler} onFault
 */
function updateInstance(card, row, live, onFault) {
  const service = live.services?.get(row.id);
  const state = service?.state === 'paused' ? 'paused' : row.state;
  setState(card, state);
  setText(
    card.process,
    service
      ? `process ${service.state}${state !== row.state ? ` · proxy: ${row.state}` : ''}`
      : 'process: not watched here',
  );
  const figures = [
    ['req/s', live.latestRate(row.id).toFixed(1)],
    ['in flight', String(row.inflight)],
    // bound sessions exist only under a sticky method
    ...(row.boundSessions === null
      ? []
      : [[row.boundSessions === 1 ? 'session bound' : 'sessions bound', String(row.boundSessions)]]),
  ];
  const key = JSON.stringify(figures);
  if (card.figures.dataset.key !== key) {
    card.figures.dataset.key = key;
    replaceChildren(
      card.figures,
      figures.map(([name, value]) => h('div', {}, h('dt', {}, name), h('dd', {}, value))),
    );
  }
  const actions = [...processActionsFor(service, live), row.state === 'draining' ? 'undrain' : 'drain'];
  setFaults(card, actions, row.id, `faults for ${row.id}`, onFault);
}

/**
 * @param {Card} card
 * @param {Live} live
 * @param {FaultHandler} onFault
 */
function updateRedis(card, live, onFault) {
  const rows = [...(live.services?.values() ?? [])];
  const servers = rows.filter((row) => row.kind === 'redis' && row.role);
  if (servers.length > 0) {
    updateReplicatedRedis(
      card,
      servers,
      rows.filter((row) => row.kind === 'sentinel'),
      live,
      onFault,
    );
    return;
  }
  const service = live.services?.get('redis');
  const processState = service?.state ?? (live.lab.orchestrator === 'native' ? 'unavailable' : 'unknown');
  setState(
    card,
    processState === 'running' || processState === 'paused' || processState === 'unknown' ? processState : 'down',
  );
  const toxic = service?.toxic && service.toxic !== 'none' ? ` · relay: ${service.toxic}` : '';
  setText(
    card.process,
    processState === 'unknown' ? 'process: not watched here' : `single · process ${processState}${toxic}`,
  );
  setFaults(
    card,
    [...processActionsFor(service, live), ...toxicActionsFor(service, live)],
    'redis',
    'faults for Redis',
    onFault,
  );
}

/**
 * The faults on the relay in front of a single Redis (slow, stall, heal): where the supervisor runs such a relay and
 * Redis runs, or all of them under Compose (the console then shows the command to run).
 * @param {ServiceRow | undefined} service
 * @param {Live} live
 */
function toxicActionsFor(service, live) {
  if (live.lab.orchestrator === 'compose') return faultsOn('redis');
  if (service?.toxic === undefined || service.state !== 'running') return [];
  return faultsOn('redis').filter((action) => (service.toxic === 'none' ? action !== 'heal' : action === 'heal'));
}

/**
 * A replicated Redis: which server is primary, each server's role and state, the Sentinels; the process faults act on
 * `redis-primary`, which the supervisor resolves to whichever server is primary when it acts.
 * @param {Card} card
 * @param {ServiceRow[]} servers
 * @param {ServiceRow[]} sentinels
 * @param {Live} live
 * @param {FaultHandler} onFault
 */
function updateReplicatedRedis(card, servers, sentinels, live, onFault) {
  const primary = servers.find((row) => row.role === 'primary');
  setState(card, primary?.state === 'running' || primary?.state === 'paused' ? primary.state : 'down');
  const up = sentinels.filter((row) => row.state === 'running').length;
  setText(
    card.process,
    `replicated · primary ${primary?.id ?? 'none'} · ${up} of ${sentinels.length} Sentinels running`,
  );
  const figures = servers.map((row) => [row.id, `${row.role === 'primary' ? '★ primary' : 'replica'} · ${row.state}`]);
  const key = JSON.stringify(figures);
  if (card.figures.dataset.key !== key) {
    card.figures.dataset.key = key;
    replaceChildren(
      card.figures,
      figures.map(([name, value]) =>
        h(
          'div',
          { 'data-role': value?.startsWith('★') ? 'primary' : 'replica' },
          h('dt', {}, name),
          h('dd', {}, value),
        ),
      ),
    );
  }
  setFaults(card, processActionsFor(primary, live), 'redis-primary', 'faults for the Redis primary', onFault);
}

/**
 * The process faults that make sense now: all of them when the process state is unknown (the console then shows
 * the command to run), none for a proxy started alone.
 * @param {ServiceRow | undefined} service
 * @param {Live} live
 */
function processActionsFor(service, live) {
  if (live.lab.orchestrator === null) return [];
  if (!service) return live.lab.orchestrator === 'compose' ? faultsOn('process') : [];
  if (service.state === 'running') return ['crash', 'stop', 'restart', 'pause'];
  if (service.state === 'paused') return ['resume', 'crash'];
  if (service.state === 'unavailable') return [];
  return ['start'];
}

/**
 * @param {Card} card
 * @param {string} state
 */
function setState(card, state) {
  if (card.root.dataset.state === state) return;
  card.root.dataset.state = state;
  const symbol = /** @type {Record<string, string>} */ (stateLook)[state] ?? '?';
  replaceChildren(
    card.badge,
    h('span', { 'aria-hidden': 'true' }, symbol),
    ' ',
    h('span', { class: 'state-text' }, state),
  );
}

/**
 * @param {HTMLElement} element
 * @param {string} text
 */
function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

/**
 * Replaces the buttons of `holder` only when the list of actions changed, so a focused button survives updates.
 * @param {{ faults: HTMLElement }} holder
 * @param {string[]} actions
 * @param {string} target
 * @param {string} groupLabel
 * @param {FaultHandler} onFault
 * @param {(action: string) => string} [label]
 */
function setFaults(holder, actions, target, groupLabel, onFault, label = (action) => action) {
  if (holder.faults.dataset.actions === actions.join()) return;
  const next = h('div', { class: 'faults', role: 'group', 'aria-label': groupLabel, 'data-actions': actions.join() });
  for (const action of actions) {
    const button = h(
      'button',
      {
        type: 'button',
        class: `fault fault-${action}`,
        'aria-label': `${label(action)} ${target}`,
        title: faultHelp(action),
      },
      label(action),
    );
    button.addEventListener('click', async () => {
      next.setAttribute('aria-busy', 'true');
      for (const each of next.querySelectorAll('button')) each.disabled = true;
      try {
        await onFault(action, target);
      } finally {
        next.removeAttribute('aria-busy');
        for (const each of next.querySelectorAll('button')) each.disabled = false;
      }
    });
    next.append(button);
  }
  if (actions.length === 0) next.hidden = true;
  holder.faults.replaceWith(next);
  holder.faults = next;
}
