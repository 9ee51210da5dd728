// @ts-check Sends one fault (crash, stop, start, restart, pause, resume, drain, undrain, scale-out, scale-in) and says
// what happened.
import { call, describeError } from './api.js';
import { showNotice } from './notice.js';

/** What each fault does, for buttons' titles. */
export const faultHelp = {
  crash: 'SIGKILL: the process dies at once, with every session it holds',
  stop: 'SIGTERM: a graceful stop that finishes the requests in flight',
  start: 'start the process again (with empty memory)',
  restart: 'graceful stop, then start',
  pause: 'SIGSTOP: the process hangs, holding its connections',
  resume: 'SIGCONT: a paused process continues',
  drain: 'no new sessions; bound ones until the pool\u2019s deregistration delay',
  undrain: 'back into rotation',
  'scale-out': 'start one more instance and register it with the proxy',
  'scale-in': 'deregister the newest instance and stop it',
};

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
