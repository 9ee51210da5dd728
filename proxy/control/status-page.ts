// The control port's status page, modelled on HAProxy's stats page: one table per pool, one row per target.
import type { Fleet } from '../pool/fleet.ts';
import type { Pool } from '../pool/pool.ts';
import type { TargetState } from '../pool/target.ts';
import { stickinessLabel } from '../stickiness/registry.ts';
import type { ControlLink } from './control-server.ts';
import { escapeHtml } from './html.ts';

const stateColours: Record<TargetState, string> = {
  healthy: '#c0f0c0',
  unhealthy: '#f0e0a0',
  draining: '#a0c8f0',
  down: '#f0a0a0',
};

function poolTable(pool: Pool, now: number): string {
  const bound = pool.stickiness.boundSessions(now);
  const stickiness = pool.settings.stickiness;
  const rows = pool.targets
    .map(
      (target) => `
      <tr style="background:${stateColours[target.state]}">
        <td>${escapeHtml(target.id)}</td><td>${escapeHtml(target.url.origin)}</td><td>${target.state}</td>
        <td>${target.weight}</td><td>${target.inflight}</td><td>${target.requests}</td><td>${target.errors}</td>
        <td>${bound === undefined ? '&ndash;' : (bound.get(target.id) ?? 0)}</td>
      </tr>`,
    )
    .join('');
  const totals = pool.targets.reduce(
    (sum, target) => ({
      inflight: sum.inflight + target.inflight,
      requests: sum.requests + target.requests,
      errors: sum.errors + target.errors,
    }),
    { inflight: 0, requests: 0, errors: 0 },
  );
  const boundTotal = bound === undefined ? '&ndash;' : [...bound.values()].reduce((sum, count) => sum + count, 0);
  return `
  <h2>${escapeHtml(pool.name)}</h2>
  <p>algorithm <b>${pool.settings.algorithm}</b>
    &middot; stickiness <b>${escapeHtml(stickinessLabel(stickiness))}</b>
    &middot; failover <b>${pool.settings.failover}</b></p>
  <table>
    <thead><tr><th>target</th><th>url</th><th>state</th><th>weight</th><th>in flight</th><th>requests</th>
      <th>errors</th><th>bound sessions</th></tr></thead>
    <tbody>${rows}
      <tr class="total"><td>total</td><td></td>
        <td>${pool.eligible().length} of ${pool.targets.length} take new sessions</td><td></td>
        <td>${totals.inflight}</td><td>${totals.requests}</td><td>${totals.errors}</td><td>${boundTotal}</td></tr>
    </tbody>
  </table>`;
}

/** One extra link, in bold: it leads to a page of its own (the lab's console). */
function linkHtml(link: ControlLink): string {
  return `&middot; <a href="${escapeHtml(link.path)}"><b>${escapeHtml(link.label)}</b></a>`;
}

/** The whole page, with the mounted routes' `extraLinks`; it reloads itself every two seconds. */
export function statusPage(fleet: Fleet, extraLinks: readonly ControlLink[] = []): string {
  const now = Date.now();
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta http-equiv="refresh" content="2">
  <title>proxy status</title>
  <style>
    body { font: 13px sans-serif; margin: 1em 2em; }
    table { border-collapse: collapse; margin-bottom: 1.5em; }
    th, td { border: 1px solid #888; padding: 2px 8px; text-align: right; }
    th { background: #304070; color: #fff; }
    td:first-child, td:nth-child(2), td:nth-child(3) { text-align: left; }
    tr.total { font-weight: bold; background: #e8e8e8; }
  </style>
</head>
<body>
  <h1>proxy status</h1>
  <p>${new Date(now).toISOString()}
    ${extraLinks.map(linkHtml).join(' ')}
    &middot; <a href="/api/targets">targets</a> &middot; <a href="/api/pools">pools</a>
    &middot; <a href="/metrics">metrics</a> &middot; <a href="/api/events">events</a></p>
  ${[...fleet.pools.values()].map((pool) => poolTable(pool, now)).join('\n')}
</body>
</html>
`;
}
