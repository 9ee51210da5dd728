// Unit tests of the list of attempts waiting for a target's answer: the requests a target leaves behind when it is
// marked down are exactly those still waiting there, whatever order the others were answered in.
import type { ClientRequest } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AwaitingAnswers } from '../../proxy/pool/awaiting-answers.ts';
import { RoutedRequest } from '../../proxy/routing/routed-request.ts';

const names = new Map<RoutedRequest, string>();
const request = (name: string) => {
  const req = new RoutedRequest(new Socket());
  names.set(req, name);
  return req;
};
/** The names of what waits, in the list's order (by identity: the requests look alike). */
const waiting = (list: AwaitingAnswers) => list.list().map((req) => names.get(req));
const outbound = (name: string) => ({ name }) as unknown as ClientRequest;

describe('AwaitingAnswers', () => {
  it('lists what still waits, newest first, after answers from the middle, the front and the back', () => {
    const list = new AwaitingAnswers();
    const [a, b, c, d] = [request('a'), request('b'), request('c'), request('d')];
    list.add(a, outbound('a'));
    list.add(b, outbound('b'));
    list.add(c, outbound('c'));
    list.add(d, outbound('d'));
    list.remove(b);
    expect(waiting(list)).toEqual(['d', 'c', 'a']);
    list.remove(d);
    list.remove(a);
    expect(waiting(list)).toEqual(['c']);
    expect(list.size).toBe(1);
    expect(c.outbound).toEqual({ name: 'c' });
    list.remove(c);
    expect(waiting(list)).toEqual([]);
    expect(list.size).toBe(0);
  });

  it('lets an answered request go entirely, and ignores a request that waits elsewhere or no longer waits', () => {
    const first = new AwaitingAnswers();
    const second = new AwaitingAnswers();
    const [a, b] = [request('a'), request('b')];
    first.add(a, outbound('a'));
    first.add(b, outbound('b'));
    second.remove(a);
    expect(waiting(first)).toEqual(['b', 'a']);
    first.remove(a);
    first.remove(a);
    expect(first.size).toBe(1);
    // nothing of the answered request keeps its neighbour or its outgoing request alive
    expect([a.awaitingIn, a.awaitingPrevious, a.awaitingNext, a.outbound]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    // a retry on another target moves the request there
    second.add(b, outbound('b again'));
    expect(waiting(first)).toEqual([]);
    expect(waiting(second)).toEqual(['b']);
  });
});
