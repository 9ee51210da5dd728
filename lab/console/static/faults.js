// @ts-check
// The fault catalogue as the lab serves it (GET /api/console/faults), and one fault sent with what happened said.
import { call, describeError, getJson } from './api.js';
import { showNotice } from './notice.js';

/** @typedef {import('../../../contract/wire.ts').FaultEntry} FaultEntry */

/** The faults the console offers, by name, once `loadFaults` has read them. @type {Map<string, FaultEntry>} */
let offered = new Map();

/** Reads the catalogue once, before the topology draws its buttons. */
export async function loadFaults() {
  /** @type {{ faults: FaultEntry[] } | undefined} */
  const body = await getJson('/api/console/faults');
  offered = new Map((body?.faults ?? []).filter((fault) => fault.console).map((fault) => [fault.name, fault]));
}

/**
 * What a fault does, for its button's title.
 * @param {string} name
 */
export function faultHelp(name) {
  return offered.get(name)?.summary ?? name;
}

/**
 * The names of the offered faults on one kind of target, in the catalogue's order.
 * @param {FaultEntry['target']} target
 */
export function faultsOn(target) {
  return [...offered.values()].filter((fault) => fault.target === target).map((fault) => fault.name);
}

/**
 * Runs `action` on `target` through the control port; resolves true when it was done.
 * @param {string} action
 * @param {string} target
 */
export async function runFault(action, target) {
  showNotice('working', `${action} ${target}…`);
  const answer = await call('POST', '/api/console/faults', { action, target });
  if (answer.ok) {
    showNotice('done', answer.body.message);
    return true;
  }
  const commands = /** @type {{ commands?: string[] } | undefined} */ (answer.error.details)?.commands ?? [];
  if (answer.error.code === 'orchestrator_unavailable') showNotice('manual', answer.error.message, commands);
  else showNotice('failed', describeError(answer.error));
  return false;
}
