// Translation to open-source nginx: an upstream per pool and a location per rule, with NGINX Plus lines where only Plus
// can do it.
import { hostPort, type RoutedPool, routedPools, seconds, type Translator } from './translator.ts';

function stickiness(pool: RoutedPool): string[] {
  const sticky = pool.settings.stickiness;
  switch (sticky.type) {
    case 'none':
      return pool.settings.algorithm === 'least-outstanding'
        ? ['    least_conn;  # the nearest to least outstanding requests']
        : pool.settings.algorithm === 'random'
          ? ['    random;']
          : [];
    case 'lb-cookie':
      return [
        '    # lb-cookie: open-source nginx cannot insert a cookie of its own. NGINX Plus can:',
        `    #   sticky cookie ${sticky.cookie.name} expires=${seconds(sticky.duration)}s ` +
          `path=${sticky.cookie.path ?? pool.path}${sticky.cookie.httpOnly ? ' httponly' : ''}` +
          `${sticky.cookie.secure ? ' secure' : ''} samesite=${sticky.cookie.sameSite.toLowerCase()};`,
        '    # The nearest open-source stickiness is by client address. ip_hash uses only the first three octets of an',
        '    # IPv4 address (a whole /24 lands on one server) and, unlike a cookie, ' +
          "follows the client's network, not its browser.",
        '    ip_hash;',
      ];
    case 'app-cookie':
      return [
        `    # app-cookie: NGINX Plus learns the application's cookie:`,
        `    #   sticky learn create=$upstream_cookie_${sticky.cookieName} lookup=$cookie_${sticky.cookieName} ` +
          `zone=${pool.name}_sessions:1m timeout=${seconds(sticky.duration)}s;`,
        '    # Open-source nginx can only hash the cookie: the first request (no cookie yet) and the hashed one ' +
          'may land on',
        '    # different servers, so the session survives only where the hash happens to pick the server ' +
          'that created it.',
        `    hash $cookie_${sticky.cookieName} consistent;`,
      ];
    case 'source-ip':
      return sticky.hash === 'consistent'
        ? [
            '    # source-ip, consistent: a ketama ring, adding a server moves about 1/N of the clients',
            '    hash $remote_addr consistent;',
          ]
        : [
            '    # source-ip, modulo: hash mod N, adding a server moves most clients ' +
              '(ip_hash would hash only three octets)',
            '    hash $remote_addr;',
          ];
  }
}

function upstream(pool: RoutedPool): string[] {
  const { settings } = pool;
  const lines = [`upstream ${pool.name} {`, ...stickiness(pool)];
  lines.push(
    `    # health: open-source nginx checks passively (max_fails within fail_timeout); ` +
      'active checks need NGINX Plus:',
    `    #   health_check uri=${settings.healthCheck.path} interval=${seconds(settings.healthCheck.interval)} ` +
      `fails=${settings.healthCheck.unhealthyThreshold} passes=${settings.healthCheck.healthyThreshold};`,
  );
  for (const target of settings.targets) {
    const { host, port } = hostPort(target.url);
    const weight = target.weight === 0 ? ' down' : target.weight === 1 ? '' : ` weight=${target.weight}`;
    const note =
      target.weight === 0 ? ' (weight 0: nginx has no "no new sessions" weight; down takes it out entirely)' : '';
    lines.push(
      `    server ${host}:${port} max_fails=${settings.healthCheck.unhealthyThreshold} ` +
        `fail_timeout=${seconds(settings.healthCheck.interval)}s${weight};  # ${target.id}${note}`,
    );
  }
  lines.push('    keepalive 32;', '}');
  return lines;
}

function location(pool: RoutedPool, trusted: readonly string[]): string[] {
  const { settings } = pool;
  const lines = [`    location ${pool.path} {`, `        proxy_pass http://${pool.name};`];
  lines.push(
    '        proxy_http_version 1.1;',
    '        proxy_set_header Connection "";',
    '        proxy_set_header Host $host;',
    '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '        proxy_set_header X-Forwarded-Proto $scheme;',
    '        proxy_set_header X-Forwarded-Host $host;',
    `        proxy_read_timeout ${seconds(settings.timeout)}s;`,
    '        # retries: another server on a connection error or timeout; nginx never retries a POST that was sent',
    '        proxy_next_upstream error timeout;',
    `        proxy_next_upstream_tries ${settings.retries.count + 1};`,
    `        proxy_next_upstream_timeout ${seconds(settings.retries.within)}s;`,
  );
  if (settings.failover === 'strict')
    lines.push('        # failover strict has no nginx equivalent: nginx always tries another server when one is down');
  if (settings.stickiness.type === 'source-ip' && trusted.length > 0) {
    lines.push(
      '        # believe X-Forwarded-For from the trusted proxies (ngx_http_realip_module) ' +
        'so that hashing sees the client',
    );
  }
  lines.push('    }');
  return lines;
}

/** `--to nginx`. */
export const nginx: Translator = {
  name: 'nginx',
  summary: 'open-source nginx upstreams and locations (NGINX Plus lines as comments)',
  translate(config) {
    const pools = routedPools(config);
    const trusted = config.trustedProxies;
    return [
      '# nginx translation of the lab proxy config (the http { } part of nginx.conf).',
      ...pools.flatMap((pool) => [...upstream(pool), '']),
      'server {',
      `    listen ${config.listener.host === '0.0.0.0' ? '' : `${config.listener.host}:`}${config.listener.port};`,
      ...trusted.flatMap((address) => [`    set_real_ip_from ${address};`]),
      ...(trusted.length > 0 ? ['    real_ip_header X-Forwarded-For;'] : []),
      ...pools.flatMap((pool) => location(pool, trusted)),
      '}',
      '',
    ].join('\n');
  },
};
