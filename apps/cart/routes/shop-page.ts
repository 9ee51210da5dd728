// The shop as a person sees it: server-rendered catalog and cart with a large badge naming the serving instance.
import { Router } from 'express';
import { type CartView, viewCart } from '../cart.ts';
import { catalogItems, toPrice } from '../catalog.ts';
import type { SessionDesign } from '../sessions/design.ts';

const lessons: Record<string, string> = {
  memory:
    'Sessions live in this instance’s memory: only a sticky load balancer keeps you here, and a crash loses the cart.',
  redis:
    'Sessions live in Redis: any instance can serve you, and the cart survives instances, ' +
    'not a Redis without persistence.',
  jwt: 'The cart travels in a signed cookie: no server state at all, limited to 4 KB and impossible to revoke early.',
};

/** `GET /` under the mode's base path. */
export function shopPage(design: SessionDesign, instanceId: string, basePath: string): Router {
  const router = Router();
  router.get('/', design.middleware, async (req, res) => {
    const cart = viewCart(await design.load(req, res), instanceId, design.mode);
    const reset = res.getHeader('X-Session-Reset');
    res
      .setHeader('Cache-Control', 'no-store')
      .type('html')
      .send(renderPage(cart, basePath, design.cartWrites, typeof reset === 'string' ? reset : undefined));
  });
  return router;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const money = (amount: number) => amount.toFixed(2);

/** What each cart-write method means for two tabs changing the cart at once. */
const writeNotes: Record<string, string> = {
  atomic: 'Cart writes: atomic. Two tabs adding at once both keep their lines.',
  'whole-session': 'Cart writes: whole-session. Two tabs adding at once: the last save wins, and a line can vanish.',
  token: 'Cart writes: token. Two tabs adding at once: the browser keeps the last answer\u2019s token only.',
};

function renderPage(cart: CartView, basePath: string, cartWrites: string, reset: string | undefined): string {
  const mode = escapeHtml(cart.mode);
  const instance = escapeHtml(cart.instance);
  const catalogRows = catalogItems()
    .map(
      (item) => `<tr><td>${escapeHtml(item.name)}</td><td class="num">${money(toPrice(item.unitPriceCents))}</td>
<td><button type="button" data-add="${escapeHtml(item.sku)}">Add</button></td></tr>`,
    )
    .join('\n');
  const cartRows = cart.items.length
    ? cart.items
        .map((line) => {
          const note = line.note ? `<br><small>Note: ${escapeHtml(line.note)}</small>` : '';
          const sum = money(line.unitPrice * line.qty);
          return `<tr><td>${escapeHtml(line.name)}${note}</td>
<td class="num" data-qty="${escapeHtml(line.sku)}">${line.qty}</td><td class="num">${sum}</td>
<td><button type="button" data-remove="${escapeHtml(line.sku)}">Remove</button></td></tr>`;
        })
        .join('\n')
    : '<tr><td colspan="4" id="empty-cart">The cart is empty.</td></tr>';
  const resetNotice = reset
    ? '<p class="notice" role="status">' +
      `Your cart token was ignored (${escapeHtml(reset)}); you start with an empty cart.</p>`
    : '';
  const cartTitle =
    `Cart: <span id="cart-count">${cart.count}</span> items, ` +
    `total <span id="cart-total">${money(cart.total)}</span>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${mode} shop, served by ${instance}</title>
<style>
  body { font: 18px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; color: #1b1b1b; }
  .badge { display: inline-block; font-size: 2rem; font-weight: 700; padding: .4rem 1rem; border-radius: .5rem;
           color: #fff; background: ${{ memory: '#8a2be2', redis: '#b22222', jwt: '#006400' }[cart.mode] ?? '#333'}; }
  table { border-collapse: collapse; width: 100%; margin-bottom: 1.5rem; }
  td, th { border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: left; }
  .num { text-align: right; font-variant-numeric: tabular-nums; }
  .notice { background: #fff3cd; padding: .5rem 1rem; border-radius: .3rem; }
  button { font: inherit; padding: .2rem .8rem; }
  .columns { display: grid; grid-template-columns: 1fr 1fr; gap: 2rem; }
  @media (max-width: 50rem) { .columns { grid-template-columns: 1fr; } }
</style>
</head>
<body data-base="${escapeHtml(basePath)}">
<header>
  <p class="badge" id="served-by" aria-label="served by">${instance} · ${mode}</p>
  <p>${escapeHtml(lessons[cart.mode] ?? '')}</p>
  <p id="cart-writes">${escapeHtml(writeNotes[cartWrites] ?? '')}</p>
  ${resetNotice}
  <p class="notice" role="alert" id="error" hidden></p>
</header>
<div class="columns">
<section aria-labelledby="cart-title">
  <h2 id="cart-title">${cartTitle}</h2>
  <table><thead><tr><th>Item</th><th class="num">Qty</th><th class="num">Sum</th><th></th></tr></thead>
  <tbody id="cart-lines">${cartRows}</tbody></table>
  <button type="button" data-clear>Empty the cart</button>
</section>
<section aria-labelledby="catalog-title">
  <h2 id="catalog-title">Catalog</h2>
  <label>Gift note for the next item added (optional, at most 200 characters)
    <input id="note" maxlength="200" style="width: 100%"></label>
  <table><thead><tr><th>Item</th><th class="num">Price</th><th></th></tr></thead>
  <tbody>${catalogRows}</tbody></table>
</section>
</div>
<script>
  const base = document.body.dataset.base;
  async function send(method, path, body) {
    const response = await fetch(base + path, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (response.ok) { location.reload(); return; }
    const problem = await response.json().catch(() => ({ error: { message: response.statusText } }));
    const box = document.getElementById('error');
    box.textContent = problem.error.message + ' (served by ' + (response.headers.get('x-served-by') || '?') + ')';
    box.hidden = false;
  }
  document.addEventListener('click', (event) => {
    const button = event.target.closest('button');
    if (!button) return;
    if (button.dataset.add) {
      const note = document.getElementById('note').value.trim();
      const item = { sku: button.dataset.add, qty: 1 };
      send('POST', '/api/cart/items', note ? { ...item, note } : item);
    } else if (button.dataset.remove) {
      send('DELETE', '/api/cart/items/' + encodeURIComponent(button.dataset.remove));
    } else if ('clear' in button.dataset) {
      send('DELETE', '/api/cart');
    }
  });
</script>
</body>
</html>`;
}
