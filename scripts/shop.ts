// `npm run shop -- ACTION POOL …`: a shopper in the terminal whose cookies persist between commands, for labs and
// scripts.
import { readCommandLine, usageError } from './cli/command-line.ts';
import { readShoppers, shopperKey, shoppersFile, writeShoppers } from './shopper/saved-shoppers.ts';
import { type CartBody, ShopClient, type ShopResponse } from './shopper/shop-client.ts';

const usage = [
  'usage: npm run shop -- ACTION POOL [SKU] [--qty N] [--note TEXT] [--as NAME] [--no-cookies] [--url URL]',
  '  add POOL SKU     put SKU in the cart (--qty, default 1; --note, a gift message)',
  '  remove POOL SKU  take the line out',
  '  cart POOL        show the cart and the instance that served it',
  '  clear POOL       empty the cart',
  "  forget POOL      drop this shopper's cookies: a new browser",
  "  token jwt        what anyone holding the cart cookie can read: the token's payload, decoded without a key",
  '  POOL is memory, redis or jwt; --as NAME keeps several shoppers apart (default "me")',
  `  --url URL  the proxy (default $LAB_URL or http://127.0.0.1:8080); cookies live in ${shoppersFile}`,
].join('\n');

function describe(pool: string, answer: ShopResponse<CartBody>): string {
  const reset = answer.headers.get('x-session-reset');
  const reason = answer.headers.get('x-upstream-reason');
  const via = `served by ${answer.servedBy ?? 'nobody'}${reason ? ` (proxy: ${reason})` : ''}`;
  if (answer.status !== 200) {
    const error = (answer.body as unknown as { error?: { code?: string; message?: string } }).error;
    return `${pool}: ${answer.status} ${error?.code ?? ''} ${error?.message ?? ''}, ${via}`.replace(/\s+/g, ' ');
  }
  const cart = answer.body;
  const lines = cart.items.map((line) => `${line.qty} × ${line.name}${line.note ? ` ("${line.note}")` : ''}`);
  const contents = lines.length ? `${lines.join(', ')}; total ${cart.total.toFixed(2)}` : 'empty';
  return `${pool} cart, ${via}: ${contents}${reset ? ` [token ignored: ${reset}]` : ''}`;
}

async function main(): Promise<number> {
  const line = readCommandLine('shop', usage, {
    qty: { type: 'string' },
    note: { type: 'string' },
    as: { type: 'string' },
    url: { type: 'string' },
    'no-cookies': { type: 'boolean' },
  });
  if (typeof line === 'number') return line;
  const { values, positionals } = line;
  const [action, pool, sku] = positionals;
  const needsSku = action === 'add' || action === 'remove';
  if (
    !action ||
    !pool ||
    !['add', 'remove', 'cart', 'clear', 'forget', 'token'].includes(action) ||
    (needsSku && !sku) ||
    (!needsSku && sku)
  ) {
    return usageError('shop', `expected ACTION POOL${needsSku ? ' SKU' : ''}`, usage);
  }
  const qty = values.qty === undefined ? 1 : Number(values.qty);
  if (!Number.isInteger(qty)) {
    process.stderr.write(`shop: --qty must be a whole number, got "${values.qty}"\n`);
    return 2;
  }
  const base = (values.url ?? process.env.LAB_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
  const key = shopperKey(values.as ?? 'me', `${base}/${pool}`);
  const shoppers = readShoppers();
  if (action === 'forget') {
    delete shoppers[key];
    writeShoppers(shoppers);
    process.stdout.write(`${pool}: ${values.as ?? 'me'} forgot every cookie (a new browser)\n`);
    return 0;
  }
  if (action === 'token') {
    const token = shoppers[key]?.cookies.cart_jwt;
    if (!token) {
      process.stderr.write(
        `shop: ${values.as ?? 'me'} holds no cart token for ${pool} (add something in the jwt shop first)\n`,
      );
      return 1;
    }
    const [header = '', payload = ''] = token.split('.');
    const decode = (part: string) => Buffer.from(part, 'base64url').toString('utf8');
    process.stdout.write(
      `header:  ${decode(header)}\npayload: ${decode(payload)}\n` +
        `(${Buffer.byteLength(token)} bytes; signed, not encrypted)\n`,
    );
    return 0;
  }
  const client = new ShopClient(`${base}/${pool}`, { dropCookies: values['no-cookies'] });
  for (const [name, value] of Object.entries(values['no-cookies'] ? {} : (shoppers[key]?.cookies ?? {})))
    client.cookies.set(name, value);
  let answer: ShopResponse<CartBody>;
  try {
    answer =
      action === 'add'
        ? await client.add(sku as string, qty, values.note)
        : action === 'remove'
          ? await client.remove(sku as string)
          : action === 'clear'
            ? await client.clear()
            : await client.getCart();
  } catch (error) {
    process.stderr.write(
      `shop: no answer from ${base}/${pool} ` +
        `(${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}); is the lab running?\n`,
    );
    return 1;
  }
  if (!values['no-cookies']) {
    // re-inserted so that the most recent shopper is last: `npm run fault -- crash served:POOL` picks it
    delete shoppers[key];
    shoppers[key] = { cookies: Object.fromEntries(client.cookies), servedBy: answer.servedBy ?? undefined };
    writeShoppers(shoppers);
  }
  process.stdout.write(`${describe(pool, answer)}\n`);
  return answer.status < 400 ? 0 : 1;
}

process.exitCode = await main();
