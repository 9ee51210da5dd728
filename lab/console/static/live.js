// @ts-check
// The live picture of the lab: the proxy's targets every second, the supervisor's processes every two seconds, and
// the proxy's event stream (state changes at once, routing decisions batched twice a second) in between.
import { getJson } from './api.js';

/**
 * @typedef {import('../../../contract/wire.ts').TargetView} TargetRow
 * @typedef {import('../../../contract/wire.ts').ServiceStatus} ServiceRow
 * @typedef {import('../../../contract/wire.ts').PoolView} PoolView
 * @typedef {import('../../../contract/wire.ts').LabInfo} LabInfo
 * @typedef {{ at: number, rate: number }} RatePoint
 * @typedef {'connecting' | 'live' | 'reconnecting'} Connection
 */

const TARGETS_EVERY_MS = 1_000;
const SERVICES_EVERY_MS = 2_000;
/** How much request-rate history the chart keeps. */
export const HISTORY_MS = 60_000;
const EVENT_TYPES = [
  'state',
  'drained',
  'target-added',
  'target-removed',
  'pool-changed',
  'retry',
  'decisions',
  'dropped',
];

/** The lab as the console last saw it; modules subscribe to changes and to the proxy's events. */
export class Live {
  /** @param {LabInfo} lab */
  constructor(lab) {
    this.lab = lab;
    /** @type {PoolView[]} */
    this.pools = [];
    /** @type {TargetRow[]} */
    this.targets = [];
    /**
     * Processes by id, or null when no supervisor can be asked (compose, a proxy started alone). @type {Map<string,
     * ServiceRow> | null}
     */
    this.services = null;
    /** Requests per second by target, oldest first. @type {Map<string, RatePoint[]>} */
    this.rates = new Map();
    /** @type {Connection} */
    this.connection = 'connecting';
    /** @type {Map<string, { at: number, requests: number }>} */
    this.lastCounts = new Map();
    /** @type {Set<() => void>} */
    this.changeListeners = new Set();
    /** @type {Set<(type: string, data: any) => void>} */
    this.eventListeners = new Set();
  }

  /** Loads everything once, then keeps it fresh. */
  async start() {
    await Promise.all([this.refreshPools(), this.refreshTargets(), this.refreshServices()]);
    this.repeat(() => this.refreshTargets(), TARGETS_EVERY_MS);
    if (this.lab.orchestrator !== null) this.repeat(() => this.refreshServices(), SERVICES_EVERY_MS);
    this.listen();
  }

  /** @param {() => void} listener called after any change of the picture */
  onChange(listener) {
    this.changeListeners.add(listener);
  }

  /** @param {(type: string, data: any) => void} listener called with each message of the proxy's event stream */
  onEvent(listener) {
    this.eventListeners.add(listener);
  }

  /** Fetches targets, pools and processes now (after a fault or a settings change). */
  async refreshAll() {
    await Promise.all([this.refreshPools(), this.refreshTargets(), this.refreshServices()]);
  }

  async refreshPools() {
    const pools = await getJson('/api/pools');
    if (!Array.isArray(pools)) return;
    this.pools = pools;
    this.changed();
  }

  async refreshTargets() {
    const rows = await getJson('/api/targets');
    if (!Array.isArray(rows)) return;
    this.targets = rows;
    this.recordRates(rows, Date.now());
    this.changed();
  }

  async refreshServices() {
    if (this.lab.orchestrator === null) return;
    const rows = await getJson('/api/console/services');
    if (!Array.isArray(rows)) return;
    this.services = new Map(rows.map((row) => [row.id, row]));
    this.changed();
  }

  /** @param {string} id */
  latestRate(id) {
    return this.rates.get(id)?.at(-1)?.rate ?? 0;
  }

  /**
   * Rates from the proxy's request counters: the difference since the last poll over the time between them.
   * @param {TargetRow[]} rows
   * @param {number} now
   */
  recordRates(rows, now) {
    const present = new Set(rows.map((row) => row.id));
    for (const id of [...this.rates.keys()]) {
      if (!present.has(id)) {
        this.rates.delete(id);
        this.lastCounts.delete(id);
      }
    }
    for (const row of rows) {
      const last = this.lastCounts.get(row.id);
      this.lastCounts.set(row.id, { at: now, requests: row.requests });
      if (!last || now <= last.at) continue;
      const rate = Math.max(0, (row.requests - last.requests) / ((now - last.at) / 1000));
      const points = this.rates.get(row.id) ?? [];
      points.push({ at: now, rate });
      while (points.length > 0 && (points[0]?.at ?? now) < now - HISTORY_MS - TARGETS_EVERY_MS) points.shift();
      this.rates.set(row.id, points);
    }
  }

  /**
   * Calls `task` every `everyMs` after the previous call ended, so a slow answer never piles up requests.
   * @param {() => Promise<void>} task
   * @param {number} everyMs
   */
  repeat(task, everyMs) {
    const next = () => setTimeout(() => void task().finally(next), everyMs);
    next();
  }

  listen() {
    // One stream per page; the browser reconnects by itself after an error.
    const stream = new EventSource('/api/events');
    stream.addEventListener('open', () => this.setConnection('live'));
    stream.addEventListener('error', () => this.setConnection('reconnecting'));
    for (const type of EVENT_TYPES) {
      stream.addEventListener(type, (message) => {
        const data = JSON.parse(/** @type {MessageEvent} */ (message).data);
        for (const listener of this.eventListeners) listener(type, data);
        this.react(type);
      });
    }
  }

  /** @param {string} type */
  react(type) {
    if (type === 'state' || type === 'drained') void Promise.all([this.refreshTargets(), this.refreshServices()]);
    if (type === 'target-added' || type === 'target-removed' || type === 'pool-changed') void this.refreshAll();
  }

  /** @param {Connection} connection */
  setConnection(connection) {
    if (this.connection === connection) return;
    this.connection = connection;
    this.changed();
  }

  changed() {
    for (const listener of this.changeListeners) listener();
  }
}
