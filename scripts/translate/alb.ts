// Translation to AWS: one Terraform target group and listener rule per pool (ALB), or an NLB target group for
// source-ip.
import { type RoutedPool, routedPools, seconds, type Translator } from './translator.ts';

const algorithm: Record<string, string> = {
  'round-robin': 'round_robin',
  'weighted-round-robin': 'round_robin',
  'least-outstanding': 'least_outstanding_requests',
  random: 'weighted_random',
};

/** ALB health checks run every 5 to 300 s; the lab's are faster than AWS allows. */
const clampInterval = (ms: number) => Math.min(300, Math.max(5, seconds(ms)));

function targetGroup(pool: RoutedPool, priority: number): string[] {
  const { settings, name } = pool;
  const sticky = settings.stickiness;
  const check = settings.healthCheck;
  const nlb = sticky.type === 'source-ip';
  const lines = [`resource "aws_lb_target_group" "${name}" {`, `  name     = "lab-${name}"`, '  port     = 3000'];
  if (nlb) {
    lines.push(
      '  # source-ip stickiness is a Network Load Balancer feature (TCP); an ALB has no source-IP affinity.',
      `  # NLB hashes the flow itself: no modulo/consistent choice (the lab's "${sticky.hash}").`,
      '  protocol = "TCP"',
    );
  } else {
    lines.push('  protocol = "HTTP"');
  }
  lines.push('  vpc_id   = var.vpc_id', '');
  if (!nlb) lines.push(`  load_balancing_algorithm_type = "${algorithm[settings.algorithm]}"`);
  if (settings.algorithm === 'weighted-round-robin') {
    lines.push(
      '  # ALB weights target groups in a forward action, not targets; ' +
        'weighted target groups and stickiness need target group stickiness on the rule.',
    );
  }
  lines.push(`  deregistration_delay = ${seconds(settings.deregistrationDelay)}`, '');
  switch (sticky.type) {
    case 'none':
      lines.push('  stickiness {', '    type    = "lb_cookie"', '    enabled = false', '  }');
      break;
    case 'lb-cookie':
      lines.push(
        '  # duration-based stickiness: ALB sets AWSALB ' +
          "(encrypted; the lab's cookie is signed, readable, and named by you).",
        '  stickiness {',
        '    type            = "lb_cookie"',
        `    cookie_duration = ${seconds(sticky.duration)}`,
        '    enabled         = true',
        '  }',
      );
      break;
    case 'app-cookie':
      lines.push(
        '  # application-based stickiness: ALB follows the app cookie and sets AWSALBAPP alongside it.',
        '  stickiness {',
        '    type            = "app_cookie"',
        `    cookie_name     = "${sticky.cookieName}"`,
        `    cookie_duration = ${seconds(sticky.duration)}`,
        '    enabled         = true',
        '  }',
      );
      break;
    case 'source-ip':
      lines.push('  stickiness {', '    type    = "source_ip"', '    enabled = true', '  }');
      break;
  }
  lines.push(
    '',
    `  # the lab checks every ${check.interval} ms; AWS allows 5 to 300 s`,
    '  health_check {',
    `    path                = "${check.path}"`,
    `    interval            = ${clampInterval(check.interval)}`,
    `    timeout             = ${Math.min(clampInterval(check.interval) - 1, Math.max(2, seconds(check.timeout)))}`,
    `    healthy_threshold   = ${Math.max(2, check.healthyThreshold)}`,
    `    unhealthy_threshold = ${Math.max(2, check.unhealthyThreshold)}`,
    ...(nlb ? ['    protocol            = "HTTP"'] : ['    matcher             = "200-299"']),
    '  }',
    '}',
    '',
  );
  if (settings.failover === 'strict')
    lines.splice(
      lines.length - 2,
      0,
      '# failover strict: ALB always moves a client whose target is unhealthy; there is no "answer 503" setting.',
    );
  if (!nlb) {
    lines.push(
      `resource "aws_lb_listener_rule" "${name}" {`,
      '  listener_arn = var.listener_arn',
      `  priority     = ${priority}`,
      '  action {',
      '    type             = "forward"',
      `    target_group_arn = aws_lb_target_group.${name}.arn`,
      '  }',
      '  condition {',
      '    path_pattern {',
      `      values = ["${pool.path}", "${pool.path}/*"]`,
      '    }',
      '  }',
      '}',
      '',
    );
  }
  for (const target of settings.targets) {
    lines.push(
      `resource "aws_lb_target_group_attachment" "${target.id.replace(/-/g, '_')}" {`,
      `  target_group_arn = aws_lb_target_group.${name}.arn`,
      `  target_id        = var.instance_ids["${target.id}"]`,
      '  port             = 3000',
      '}',
      '',
    );
  }
  return lines;
}

/** `--to alb`. */
export const alb: Translator = {
  name: 'alb',
  summary: 'AWS target groups, listener rules and attachments as Terraform (NLB for source-ip)',
  translate(config) {
    return [
      '# Terraform translation of the lab proxy config for an existing ALB listener (var.listener_arn).',
      '# Retries: an ALB does not retry a failed request on another target; the lab proxy does (retries.count).',
      'variable "vpc_id" { type = string }',
      'variable "listener_arn" { type = string }',
      'variable "instance_ids" { type = map(string) }',
      '',
      ...routedPools(config).flatMap((pool, index) => targetGroup(pool, 10 * (index + 1))),
    ].join('\n');
  },
};
