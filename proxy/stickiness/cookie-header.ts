// Reading one cookie from a Cookie header and adding Set-Cookie to an answer, without parsing every cookie.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** The value of cookie `name` in a `Cookie` header (the first one if repeated), or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  let from = 0;
  for (;;) {
    const at = header.indexOf(name, from);
    if (at === -1) return undefined;
    const end = at + name.length;
    const startsPair = at === 0 || header.charCodeAt(at - 1) === 0x3b /* ; */ || header.charCodeAt(at - 1) === 0x20;
    if (startsPair && header.charCodeAt(end) === 0x3d /* = */) {
      const stop = header.indexOf(';', end + 1);
      return header.slice(end + 1, stop === -1 ? undefined : stop).trim();
    }
    from = end;
  }
}

/** The value a `Set-Cookie` line gives cookie `name`, or undefined when the line sets another cookie. */
export function setCookieValue(line: string, name: string): string | undefined {
  if (!line.startsWith(name) || line.charCodeAt(name.length) !== 0x3d /* = */) return undefined;
  const stop = line.indexOf(';', name.length + 1);
  return line.slice(name.length + 1, stop === -1 ? undefined : stop).trim();
}

/** Adds a `Set-Cookie` line to the answer's headers, keeping the ones the target set. */
export function appendSetCookie(headers: IncomingHttpHeaders | OutgoingHttpHeaders, line: string): void {
  const existing = headers['set-cookie'];
  if (existing === undefined) headers['set-cookie'] = [line];
  else if (Array.isArray(existing)) existing.push(line);
  else headers['set-cookie'] = [String(existing), line];
}

/**
 * Keeps shared caches from storing the proxy's cookie (`no-cache="Set-Cookie"`), unless the answer is already private
 * or uncacheable.
 */
export function keepCookieOutOfCaches(headers: IncomingHttpHeaders | OutgoingHttpHeaders): void {
  const existing = headers['cache-control'];
  if (existing === undefined) {
    headers['cache-control'] = 'no-cache="Set-Cookie"';
    return;
  }
  const value = String(existing);
  if (!/no-store|private|no-cache(?!=)/i.test(value)) headers['cache-control'] = `${value}, no-cache="Set-Cookie"`;
}
