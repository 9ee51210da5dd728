// Translation to Kubernetes: a Service per pool and one Ingress with ingress-nginx affinity annotations.
import { type RoutedPool, routedPools, seconds, type Translator } from './translator.ts';

function annotations(pool: RoutedPool): string[] {
  const sticky = pool.settings.stickiness;
  const lines: string[] = [];
  if (pool.settings.algorithm === 'least-outstanding') {
    lines.push(
      '    # least-outstanding: ingress-nginx offers "ewma" (least latency), the nearest',
      '    nginx.ingress.kubernetes.io/load-balance: "ewma"',
    );
  }
  switch (sticky.type) {
    case 'lb-cookie':
      lines.push(
        '    nginx.ingress.kubernetes.io/affinity: "cookie"',
        `    nginx.ingress.kubernetes.io/session-cookie-name: "${sticky.cookie.name}"`,
        `    nginx.ingress.kubernetes.io/session-cookie-max-age: "${seconds(sticky.duration)}"`,
        `    nginx.ingress.kubernetes.io/session-cookie-path: "${sticky.cookie.path ?? pool.path}"`,
        `    nginx.ingress.kubernetes.io/session-cookie-samesite: "${sticky.cookie.sameSite}"`,
        '    # failover re-stick: "balanced" moves sessions when pods change; ' +
          '"persistent" keeps them where they are',
        '    nginx.ingress.kubernetes.io/affinity-mode: ' +
          `"${pool.settings.failover === 'strict' ? 'persistent' : 'balanced'}"`,
      );
      break;
    case 'app-cookie':
      lines.push(
        `    # app-cookie: ingress-nginx cannot learn ${sticky.cookieName}; ` +
          'it hashes it (a session may start on another pod)',
        `    nginx.ingress.kubernetes.io/upstream-hash-by: "$cookie_${sticky.cookieName}"`,
      );
      break;
    case 'source-ip':
      lines.push(
        '    # source-ip: a consistent hash of the client address ' +
          "(the Service's sessionAffinity: ClientIP is the L4 alternative)",
        '    nginx.ingress.kubernetes.io/upstream-hash-by: "$remote_addr"',
      );
      break;
    case 'none':
      break;
  }
  lines.push(`    nginx.ingress.kubernetes.io/proxy-next-upstream-tries: "${pool.settings.retries.count + 1}"`);
  return lines;
}

function documents(pool: RoutedPool): string[] {
  const check = pool.settings.healthCheck;
  return [
    '---',
    `# pool ${pool.name}: ${pool.settings.targets.length} instances; ` +
      `run them as a Deployment labelled pool=${pool.name} with`,
    `#   readinessProbe: { httpGet: { path: ${check.path}, port: 3000 }, periodSeconds: ${seconds(check.interval)}, ` +
      `failureThreshold: ${check.unhealthyThreshold}, successThreshold: 1 }`,
    `#   terminationGracePeriodSeconds: ${seconds(pool.settings.deregistrationDelay)}  (the lab's deregistrationDelay)`,
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: lab-${pool.name}`,
    'spec:',
    '  selector:',
    '    app: cart',
    `    pool: ${pool.name}`,
    '  ports:',
    '    - port: 80',
    '      targetPort: 3000',
    ...(pool.settings.stickiness.type === 'source-ip'
      ? ['  sessionAffinity: ClientIP', '  sessionAffinityConfig:', '    clientIP:', '      timeoutSeconds: 10800']
      : []),
    '---',
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata:',
    `  name: lab-${pool.name}`,
    '  annotations:',
    ...annotations(pool),
    'spec:',
    '  ingressClassName: nginx',
    '  rules:',
    '    - http:',
    '        paths:',
    `          - path: ${pool.path}`,
    '            pathType: Prefix',
    '            backend:',
    '              service:',
    `                name: lab-${pool.name}`,
    '                port:',
    '                  number: 80',
  ];
}

/** `--to k8s`. */
export const k8s: Translator = {
  name: 'k8s',
  summary: 'a Kubernetes Service and an ingress-nginx Ingress per pool',
  translate(config) {
    return [
      '# Kubernetes translation of the lab proxy config ' +
        '(ingress-nginx; affinity is set per Ingress, hence one per pool).',
      ...routedPools(config).flatMap(documents),
      '',
    ].join('\n');
  },
};
