// The attempts sent to one target that still wait for its answer, linked through the requests themselves.
import type { ClientRequest } from 'node:http';
import type { RoutedRequest } from '../routing/routed-request.ts';

/**
 * A target's attempts without an answer yet that could be sent elsewhere, so that they can move when it leaves
 * service (forwarding/redispatch.ts). Kept as a list through fields of the requests, not a Map from request to outgoing
 * request: a long-lived Map written and emptied on every request made the young generation promote about 2 KB of
 * each request's objects, and tripled the proxy's time in garbage collection (docs/benchmarks.md).
 */
export class AwaitingAnswers {
  private first: RoutedRequest | undefined = undefined;
  private count = 0;

  /** How many attempts wait. */
  get size(): number {
    return this.count;
  }

  /** Adds `req`, whose current attempt is `outbound`; a request waits in one list at a time. */
  add(req: RoutedRequest, outbound: ClientRequest): void {
    if (req.awaitingIn !== undefined) req.awaitingIn.remove(req);
    req.awaitingIn = this;
    req.outbound = outbound;
    req.awaitingNext = this.first;
    if (this.first !== undefined) this.first.awaitingPrevious = req;
    this.first = req;
    this.count++;
  }

  /** Removes `req` if it waits here; nothing else is touched. */
  remove(req: RoutedRequest): void {
    if (req.awaitingIn !== this) return;
    const previous = req.awaitingPrevious;
    const next = req.awaitingNext;
    if (previous === undefined) this.first = next;
    else previous.awaitingNext = next;
    if (next !== undefined) next.awaitingPrevious = previous;
    // nothing of a finished request keeps its neighbours, or its outgoing request, alive
    req.awaitingIn = undefined;
    req.awaitingPrevious = undefined;
    req.awaitingNext = undefined;
    req.outbound = undefined;
    this.count--;
  }

  /** The waiting requests, newest first, as a copy: the caller may remove them while it goes through. */
  list(): RoutedRequest[] {
    const requests: RoutedRequest[] = [];
    for (let req = this.first; req !== undefined; req = req.awaitingNext) requests.push(req);
    return requests;
  }
}
