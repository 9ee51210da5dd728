// Translation to HAProxy: a frontend with one ACL per rule and a backend per pool.
import { hostPort, type RoutedPool, routedPools, seconds, type Translator } from './translator.ts';

const balance: Record<string, string> = {
  'round-robin': 'roundrobin',
  'weighted-round-robin': 'roundrobin',
  'least-outstanding': 'leastconn',
  random: 'random',
};

function stickiness(pool: RoutedPool): string[] {
  const sticky = pool.settings.stickiness;
  switch (sticky.type) {
    case 'none':
      return [];
    case 'lb-cookie':
      return [
        `    # lb-cookie, ${seconds(sticky.duration)} s sliding: ` +
          "HAProxy inserts the server's name in clear (ours is HMAC-signed,",
        '    # ALB\'s encrypted); "indirect" hides it from the server, "nocache" keeps shared caches from storing it.',
        `    cookie ${sticky.cookie.name} insert indirect nocache maxidle ${seconds(sticky.duration)}s ` +
          `httponly${sticky.cookie.secure ? ' secure' : ''} attr "SameSite=${sticky.cookie.sameSite}"`,
      ];
    case 'app-cookie':
      return [
        `    # app-cookie: learn the application's ${sticky.cookieName} from answers and route requests that carry it`,
        `    stick-table type string len 128 size ${sticky.maxSessions} expire ${seconds(sticky.duration)}s`,
        `    stick store-response res.cook(${sticky.cookieName})`,
        `    stick match req.cook(${sticky.cookieName})`,
      ];
    case 'source-ip':
      return [
        `    # source-ip, ${sticky.hash}: ` +
          (sticky.hash === 'consistent'
            ? 'a hash ring, adding a server moves about 1/N of the clients'
            : "hash mod N (HAProxy's default map-based), adding a server moves most clients"),
        '    balance source',
        `    hash-type ${sticky.hash === 'consistent' ? 'consistent' : 'map-based'}`,
      ];
  }
}

function backend(pool: RoutedPool, trusted: readonly string[]): string[] {
  const { settings } = pool;
  const check = settings.healthCheck;
  const lines = [`backend ${pool.name}`];
  if (settings.stickiness.type !== 'source-ip') lines.push(`    balance ${balance[settings.algorithm]}`);
  if (settings.algorithm === 'least-outstanding')
    lines.push('    # least-outstanding: leastconn counts open connections, the nearest to outstanding requests');
  if (settings.stickiness.type === 'source-ip' && trusted.length > 0) {
    lines.push(
      `    # believe X-Forwarded-For only from the trusted proxies, as the lab proxy does`,
      `    http-request set-src hdr_ip(x-forwarded-for,-1) if { src ${trusted.join(' ')} }`,
    );
  }
  lines.push(...stickiness(pool));
  if (settings.failover === 're-stick') {
    lines.push(
      '    # failover re-stick: a client whose server is down is sent to another one',
      '    option redispatch',
    );
  } else {
    lines.push(
      '    # failover strict: no redispatch, the client keeps asking its server (the lab proxy answers 503 at once)',
    );
  }
  lines.push(
    `    retries ${settings.retries.count}`,
    '    # HAProxy retries only connection failures by default, like the lab proxy for requests already sent',
    `    option httpchk GET ${check.path}`,
    '    http-check expect status 200',
    `    default-server inter ${check.interval}ms fall ${check.unhealthyThreshold} rise ${check.healthyThreshold}`,
    `    timeout check ${check.timeout}ms`,
    `    timeout server ${settings.timeout}ms`,
    `    # deregistrationDelay ${seconds(settings.deregistrationDelay)} s: ` +
      `drain with "set server ${pool.name}/<id> state drain" on the runtime API`,
  );
  for (const target of settings.targets) {
    const { host, port } = hostPort(target.url);
    const cookie = settings.stickiness.type === 'lb-cookie' ? ` cookie ${target.id}` : '';
    const weight =
      target.weight === 0
        ? ' weight 0  # weight 0: no new sessions, bound ones still served (as here)'
        : ` weight ${target.weight}`;
    lines.push(`    server ${target.id} ${host}:${port} check${cookie}${weight}`);
  }
  return lines;
}

/** `--to haproxy`. */
export const haproxy: Translator = {
  name: 'haproxy',
  summary: 'an HAProxy frontend and one backend per pool',
  translate(config) {
    const pools = routedPools(config);
    return [
      '# HAProxy translation of the lab proxy config.',
      'global',
      '    nbthread 1',
      '',
      'defaults',
      '    mode http',
      '    option forwardfor',
      '    timeout connect 1s',
      '    timeout client 30s',
      '    timeout server 15s',
      '',
      'frontend lab',
      `    bind ${config.listener.host === '0.0.0.0' ? '' : config.listener.host}:${config.listener.port}`,
      // the lab's rules match whole path segments: /redis must not take /redis-whole-session
      ...pools.flatMap((pool) =>
        pool.path.endsWith('/')
          ? [`    acl is_${pool.name} path_beg ${pool.path}`]
          : [`    acl is_${pool.name} path ${pool.path}`, `    acl is_${pool.name} path_beg ${pool.path}/`],
      ),
      ...pools.map((pool) => `    use_backend ${pool.name} if is_${pool.name}`),
      "    # the lab proxy answers 404 no_route and serves a landing page at /; here: HAProxy's 503",
      '',
      ...pools.flatMap((pool) => [...backend(pool, config.trustedProxies), '']),
    ].join('\n');
  },
};
