// The page at "/" of the public listener: links to the shops behind the proxy.
import { escapeHtml } from '../control/html.ts';
import type { Rule } from '../routing/route-table.ts';

/** The landing page for `rules`, in config order; built once at start. */
export function landingPage(rules: readonly Rule[]): string {
  const items = rules
    .map((rule) => {
      const stickiness = rule.pool.settings.stickiness.type;
      const link = `<a href="${escapeHtml(rule.path.replace(/\/?$/, '/'))}">${escapeHtml(rule.path)}</a>`;
      return (
        `    <li>${link} &middot; pool <b>${escapeHtml(rule.pool.name)}</b>, ` +
        `stickiness at start: ${escapeHtml(stickiness)}</li>`
      );
    })
    .join('\n');
  const intro =
    'The same shop, three session designs, one load balancer in front. ' +
    'Fill a cart, then crash the instance in the badge.';
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>session-stickiness lab</title>
<style>body { font: 16px sans-serif; margin: 2em; max-width: 40em; } li { margin: .5em 0; }</style></head>
<body>
  <h1>session-stickiness lab</h1>
  <p>${intro}</p>
  <ul>
${items}
  </ul>
</body>
</html>
`;
}
