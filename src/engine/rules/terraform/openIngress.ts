import type { HclExpr, TerraformFile } from '../../parsers/hclAst';
import type { Range, RuleFinding } from '../../types';
import type { Rule } from '../types';
import { attr, blocksOf, num, resources, str, stringList } from './hcl';

// Security group ingress open to the whole internet on a port that is not a public service port.

const WORLD = new Set(['0.0.0.0/0', '::/0']);
const ICMP = new Set(['icmp', 'icmpv6', '1', '58']);

interface IngressRule {
  protocol: HclExpr | undefined;
  from: HclExpr | undefined;
  to: HclExpr | undefined;
  cidrs: { value: string; range: Range }[];
}

export const rule: Rule<TerraformFile> = {
  meta: {
    id: 'terraform/open-ingress',
    description: 'A security group allows ingress from 0.0.0.0/0 or ::/0 on a port that is not an allowed public port.',
    defaultSeverity: 'error',
    practice: 'network-exposure',
    kinds: ['terraform'],
    subject: 'network-ingress',
    equivalents: [
      { tool: 'checkov', id: 'CKV_AWS_24' },
      { tool: 'checkov', id: 'CKV_AWS_25' },
      { tool: 'checkov', id: 'CKV_AWS_260' },
      { tool: 'checkov', id: 'CKV_AWS_277' },
      { tool: 'trivy', id: 'AVD-AWS-0107' },
    ],
  },
  check(ctx) {
    const allowed = new Set(ctx.config.terraform.allowedIngressPorts);
    const out: RuleFinding[] = [];
    const report = (r: IngressRule, where: string): void => {
      const open = r.cidrs.filter((c) => WORLD.has(c.value));
      if (open.length === 0) return;
      const ports = portRange(r);
      if (!ports) return;
      const desc = ports === 'all' ? 'all ports' : ports[0] === ports[1] ? `port ${ports[0]}` : `ports ${ports[0]}-${ports[1]}`;
      if (ports !== 'all' && ports[0] === ports[1] && allowed.has(ports[0])) return;
      if (ports !== 'all' && ports[0] !== ports[1] && allowed.size > 0 && rangeOnlyAllowed(ports, allowed)) return;
      for (const c of open) {
        out.push({
          range: c.range,
          message:
            `${where} allows ingress from ${c.value} on ${desc}; restrict the source to known CIDRs or a security group ` +
            `(a bastion, VPN or load balancer), or reach the host through SSM Session Manager.`,
        });
      }
    };
    for (const b of resources(ctx.parsed, 'aws_security_group', 'aws_default_security_group')) {
      const where = `${b.labels[0]}.${b.labels[1]}`;
      for (const ing of blocksOf(b, 'ingress')) {
        report({ protocol: attr(ing, 'protocol')?.value, from: attr(ing, 'from_port')?.value, to: attr(ing, 'to_port')?.value, cidrs: cidrs(attr(ing, 'cidr_blocks')?.value, attr(ing, 'ipv6_cidr_blocks')?.value) }, where);
      }
      // `ingress = [{ … }]` (attributes-as-blocks syntax)
      const list = attr(b, 'ingress')?.value;
      if (list?.type === 'tuple') {
        for (const it of list.items) {
          if (it.type !== 'object') continue;
          const get = (k: string): HclExpr | undefined => it.items.find((i) => i.key === k)?.value;
          report({ protocol: get('protocol'), from: get('from_port'), to: get('to_port'), cidrs: cidrs(get('cidr_blocks'), get('ipv6_cidr_blocks')) }, where);
        }
      }
    }
    for (const b of resources(ctx.parsed, 'aws_security_group_rule')) {
      if (str(attr(b, 'type')?.value) !== 'ingress') continue;
      report(
        { protocol: attr(b, 'protocol')?.value, from: attr(b, 'from_port')?.value, to: attr(b, 'to_port')?.value, cidrs: cidrs(attr(b, 'cidr_blocks')?.value, attr(b, 'ipv6_cidr_blocks')?.value) },
        `aws_security_group_rule.${b.labels[1]}`,
      );
    }
    for (const b of resources(ctx.parsed, 'aws_vpc_security_group_ingress_rule')) {
      report(
        { protocol: attr(b, 'ip_protocol')?.value, from: attr(b, 'from_port')?.value, to: attr(b, 'to_port')?.value, cidrs: cidrs(attr(b, 'cidr_ipv4')?.value, attr(b, 'cidr_ipv6')?.value) },
        `aws_vpc_security_group_ingress_rule.${b.labels[1]}`,
      );
    }
    return out;
  },
};

function cidrs(...exprs: (HclExpr | undefined)[]): { value: string; range: Range }[] {
  const out: { value: string; range: Range }[] = [];
  for (const e of exprs) {
    if (!e) continue;
    if (e.type === 'tuple') {
      for (const it of e.items) if (it.type === 'string') out.push({ value: it.value, range: it.range });
    } else {
      out.push(...(stringList(e) ?? []));
    }
  }
  return out;
}

/** The port range a rule opens: 'all', [from, to], or undefined when it cannot be known (or is ICMP). */
function portRange(r: IngressRule): 'all' | [number, number] | undefined {
  const proto = r.protocol ? (r.protocol.type === 'number' ? String(r.protocol.value) : str(r.protocol)) : undefined;
  if (r.protocol && proto === undefined) return undefined;
  const p = proto?.toLowerCase();
  if (p === '-1' || p === 'all') return 'all';
  if (p && ICMP.has(p)) return undefined;
  const from = num(r.from);
  const to = num(r.to);
  if (from === undefined || to === undefined) return undefined;
  if (from === 0 && (to === 0 || to === 65535)) return 'all';
  return [from, to];
}

function rangeOnlyAllowed([from, to]: [number, number], allowed: Set<number>): boolean {
  if (to - from > 65535) return false;
  for (let p = from; p <= to; p++) if (!allowed.has(p)) return false;
  return true;
}
