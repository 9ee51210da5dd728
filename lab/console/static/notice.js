// @ts-check The message line under the header: what the last action did, or the exact command to run where the console
// cannot act.
import { byId, h, replaceChildren } from './dom.js';

/**
 * Shows `text` as `kind` (working, done, failed or manual); `commands` are shown as code with a copy button.
 * @param {'working' | 'done' | 'failed' | 'manual'} kind
 * @param {string} text
 * @param {string[]} [commands]
 */
export function showNotice(kind, text, commands = []) {
  const notice = byId('notice');
  notice.hidden = false;
  notice.dataset.kind = kind;
  const label = { working: 'Working', done: 'Done', failed: 'Refused', manual: 'Run this yourself' }[kind];
  replaceChildren(
    notice,
    h('strong', {}, `${label}: `),
    text,
    commands.length > 0 &&
      h(
        'ul',
        { class: 'commands' },
        commands.map((command) =>
          h(
            'li',
            {},
            h('code', {}, command),
            ' ',
            h(
              'button',
              { type: 'button', class: 'small', 'aria-label': `copy: ${command}`, onclick: () => void copy(command) },
              'copy',
            ),
          ),
        ),
      ),
  );
}

/** @param {string} text */
async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // no clipboard (an insecure origin): the command stays on screen to type
  }
}
