// The cart API of docs/contract.md; it talks to the session design only through its cart operations.
import { type Request, Router } from 'express';
import { addItemSchema, viewCart, viewCatalog } from '../cart.ts';
import { AppError } from '../errors.ts';
import { jsonBody } from '../http/json-body.ts';
import type { SessionDesign } from '../sessions/design.ts';

const catalogBody = JSON.stringify(viewCatalog());

/** `/api/catalog` and `/api/cart…` for one instance. */
export function cartApi(design: SessionDesign, instanceId: string): Router {
  const router = Router();
  const view = (lines: Parameters<typeof viewCart>[0]) => viewCart(lines, instanceId, design.mode);

  router.get('/api/catalog', (_req, res) => {
    res.type('application/json').send(catalogBody);
  });

  // Carts are personal: no shared cache may keep one.
  router.use('/api/cart', design.middleware, (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  router.get('/api/cart', async (req, res) => {
    res.json(view(await design.load(req, res)));
  });

  router.post('/api/cart/items', jsonBody(), async (req, res) => {
    res.json(view(await design.add(req, res, parseAddItem(req))));
  });

  router.delete('/api/cart/items/:sku', async (req, res) => {
    res.json(view(await design.remove(req, res, String(req.params.sku))));
  });

  router.delete('/api/cart', async (req, res) => {
    await design.clear(req, res);
    res.json(view([]));
  });

  return router;
}

function parseAddItem(req: Request) {
  const parsed = addItemSchema.safeParse(req.body);
  if (!parsed.success) {
    // The proxy's shape for invalid_body details too: one `path: message` line per problem.
    const details = parsed.error.issues.map(
      (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue.message}`,
    );
    throw new AppError('invalid_body', 'Expected { sku, qty (integer 1..99), note? (at most 200 characters) }.', {
      details,
    });
  }
  return parsed.data;
}
