// The raw header lists sent to a target and back to the client: one pass over Node's rawHeaders, hop-by-hop headers dropped.
import type { RoutedRequest } from '../routing/routed-request.ts';
import { sameName } from '../stickiness/answer-headers.ts';

/**
 * The request's headers for the target, as a raw `[name, value, …]` list (which `http.request` takes
 * without validating each header again). Drops the hop-by-hop headers (Connection, Keep-Alive,
 * Proxy-Connection, TE, Trailer, Upgrade) and Expect (Node has already answered 100 Continue), and
 * extends X-Forwarded-For, -Port and -Proto with this hop while keeping the first X-Forwarded-Host (or the Host).
 */
export function upstreamHeaders(req: RoutedRequest, defaultHost: string): string[] {
  const raw = req.rawHeaders;
  const list: string[] = [];
  let host: string | undefined;
  let forwardedFor: string | undefined;
  let forwardedPort: string | undefined;
  let forwardedProto: string | undefined;
  let forwardedHost: string | undefined;
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index]!;
    const value = raw[index + 1]!;
    // Switching on the length first keeps the common headers (Accept, Cookie, User-Agent) to one comparison.
    switch (name.length) {
      case 2:
        if (sameName(name, 'te')) continue;
        break;
      case 4:
        if (sameName(name, 'host')) host ??= value;
        break;
      case 6:
        if (sameName(name, 'expect')) continue;
        break;
      case 7:
        if (sameName(name, 'trailer') || sameName(name, 'upgrade')) continue;
        break;
      case 10:
        if (sameName(name, 'connection') || sameName(name, 'keep-alive')) continue;
        break;
      case 15:
        if (sameName(name, 'x-forwarded-for')) {
          forwardedFor = joined(forwardedFor, value);
          continue;
        }
        break;
      case 16:
        if (sameName(name, 'x-forwarded-port')) {
          forwardedPort = joined(forwardedPort, value);
          continue;
        }
        if (sameName(name, 'x-forwarded-host')) {
          forwardedHost ??= value;
          continue;
        }
        if (sameName(name, 'proxy-connection')) continue;
        break;
      case 17:
        if (sameName(name, 'x-forwarded-proto')) {
          forwardedProto = joined(forwardedProto, value);
          continue;
        }
        break;
    }
    list.push(name, value);
  }
  if (host === undefined) list.push('host', defaultHost);
  list.push(
    'x-forwarded-for', joined(forwardedFor, req.socket.remoteAddress ?? ''),
    'x-forwarded-port', joined(forwardedPort, portOf(host, req.socket.localPort)),
    'x-forwarded-proto', joined(forwardedProto, 'http'),
  );
  // Without a Host header the client named no host, so there is none to pass on.
  const originalHost = forwardedHost ?? host;
  if (originalHost !== undefined) list.push('x-forwarded-host', originalHost);
  return list;
}

/**
 * The target's answer headers for the client, as a raw list: Connection, Keep-Alive, Proxy-Connection
 * and Transfer-Encoding belong to the hop between proxy and target (Node frames the client's side itself).
 */
export function answerHeaders(raw: readonly string[]): string[] {
  const list: string[] = [];
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index]!;
    const length = name.length;
    if (length === 10 && (sameName(name, 'connection') || sameName(name, 'keep-alive'))) continue;
    if ((length === 16 && sameName(name, 'proxy-connection')) || (length === 17 && sameName(name, 'transfer-encoding'))) continue;
    list.push(name, raw[index + 1]!);
  }
  return list;
}

function joined(existing: string | undefined, value: string): string {
  return existing === undefined ? value : `${existing}, ${value}`;
}

/** The port the client addressed: from the Host header, else the port it connected to. */
function portOf(host: string | undefined, localPort: number | undefined): string {
  const colon = host === undefined ? -1 : host.lastIndexOf(':');
  if (host !== undefined && colon !== -1 && !host.endsWith(']')) return host.slice(colon + 1);
  return String(localPort ?? 80);
}
