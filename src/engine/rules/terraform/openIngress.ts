import type { HclBlock, HclExpr, TerraformFile } from '../../parsers/hclAst';
import type { Range, RuleFinding } from '../../types';
import type { Rule } from '../types';
import { attachedOnlyPrivately, groupTexts, isDescribedPublicService, securityGroupAddress } from './sgExposure';
import { attr, blocksOf, isTrueExpr, moduleScope, ModuleScope, num, posixDir, resolveReference, resources, str, stringList, TfContext } from './hcl';

// Ingress open to the whole internet on a port that is not a public service port: AWS security
// groups, Google Cloud firewall rules, Azure network security rules and OpenStack security group
// rules, with the source written in the rule or coming from a variable's value or default.

const WORLD = new Set(['0.0.0.0/0', '::/0']);
/** Azure's source prefixes that mean "anywhere". */
const AZURE_WORLD = new Set(['*', '0.0.0.0/0', '::/0', 'internet', 'any']);
const ICMP = new Set(['icmp', 'icmpv6', '1', '58']);

interface Cidr {
  value: string;
  range: Range;
  /** How the value reached the rule: `var.allowed_cidrs (its default)`. */
  via?: string;
}

interface IngressRule {
  protocol: HclExpr | undefined;
  from: HclExpr | undefined;
  to: HclExpr | undefined;
  cidrs: Cidr[];
}

type Ports = 'all' | [number, number];

export const rule: Rule<TerraformFile> = {
  meta: {
    id: 'terraform/open-ingress',
    description: 'A security group or firewall rule (AWS, Google Cloud, Azure, OpenStack) allows ingress from anywhere (0.0.0.0/0, ::/0, Internet) on a port that is not an allowed public port.',
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
      { tool: 'checkov', id: 'CKV_GCP_2' },
      { tool: 'checkov', id: 'CKV_GCP_3' },
      { tool: 'trivy', id: 'AVD-GCP-0027' },
      { tool: 'checkov', id: 'CKV_AZURE_9' },
      { tool: 'checkov', id: 'CKV_AZURE_10' },
      { tool: 'trivy', id: 'AVD-AZU-0047' },
    ],
    // a CIDR list may come from a variable defined in another file of the module, or from its callers
    crossFile: true,
  },
  check(ctx) {
    const allowed = new Set(ctx.config.terraform.allowedIngressPorts);
    const scope = moduleScope(ctx, posixDir(ctx.file.path));
    const out: RuleFinding[] = [];
    const cidrs = (...exprs: (HclExpr | undefined)[]): Cidr[] => cidrsOf(ctx, scope, exprs);
    /** Reports each open source of a rule whose ports are not all allowed public ports. */
    const judge = (where: string, open: Cidr[], ranges: Ports[] | undefined, texts: string[] = []): void => {
      if (open.length === 0 || !ranges) return;
      const exposed = ranges.filter(
        (p) => !(p !== 'all' && ((p[0] === p[1] ? allowed.has(p[0]) : allowed.size > 0 && rangeOnlyAllowed(p, allowed)) || isDescribedPublicService(p, texts))),
      );
      if (exposed.length === 0) return;
      const desc = exposed.map((p) => (p === 'all' ? 'all ports' : p[0] === p[1] ? `port ${p[0]}` : `ports ${p[0]}-${p[1]}`)).join(', ');
      for (const c of open) {
        out.push({
          range: c.range,
          message:
            `${where} allows ingress from ${c.value}${c.via ? ` (through ${c.via})` : ''} on ${desc}; restrict the source to known CIDRs or a security group ` +
            `(a bastion, VPN or load balancer), or reach the host through an identity-aware proxy (SSM Session Manager, IAP, Azure Bastion).`,
        });
      }
    };
    /** The AWS security groups of this module, by address. */
    const groups = new Map<string, HclBlock>();
    for (const f of scope.files) for (const b of resources(f, 'aws_security_group')) groups.set(`aws_security_group.${b.labels[1]}`, b);
    /**
     * `sg`: the address of the AWS group the rule belongs to. A group its module attaches only to
     * things without a public address is not reachable from the internet, whatever its CIDRs say.
     */
    const report = (r: IngressRule, where: string, sg?: string, ruleDescription?: HclExpr): void => {
      const ports = portRange(r);
      const open = r.cidrs.filter((c) => WORLD.has(c.value));
      if (open.length === 0) return;
      if (sg && attachedOnlyPrivately(scope, sg)) return;
      const texts = [...groupTexts(sg ? groups.get(sg) : undefined), ...(ruleDescription ? [str(ruleDescription) ?? ruleDescription.raw] : [])];
      judge(where, open, ports ? [ports] : undefined, texts);
    };
    for (const b of resources(ctx.parsed, 'aws_security_group', 'aws_default_security_group')) {
      const where = `${b.labels[0]}.${b.labels[1]}`;
      for (const ing of blocksOf(b, 'ingress')) {
        report(
          { protocol: attr(ing, 'protocol')?.value, from: attr(ing, 'from_port')?.value, to: attr(ing, 'to_port')?.value, cidrs: cidrs(attr(ing, 'cidr_blocks')?.value, attr(ing, 'ipv6_cidr_blocks')?.value) },
          where,
          b.labels[0] === 'aws_security_group' ? where : undefined,
          attr(ing, 'description')?.value,
        );
      }
      // `ingress = [{ … }]` (attributes-as-blocks syntax)
      const list = attr(b, 'ingress')?.value;
      if (list?.type === 'tuple') {
        for (const it of list.items) {
          if (it.type !== 'object') continue;
          const get = (k: string): HclExpr | undefined => it.items.find((i) => i.key === k)?.value;
          report({ protocol: get('protocol'), from: get('from_port'), to: get('to_port'), cidrs: cidrs(get('cidr_blocks'), get('ipv6_cidr_blocks')) }, where, b.labels[0] === 'aws_security_group' ? where : undefined, get('description'));
        }
      }
    }
    for (const b of resources(ctx.parsed, 'aws_security_group_rule')) {
      if (str(attr(b, 'type')?.value) !== 'ingress') continue;
      report(
        { protocol: attr(b, 'protocol')?.value, from: attr(b, 'from_port')?.value, to: attr(b, 'to_port')?.value, cidrs: cidrs(attr(b, 'cidr_blocks')?.value, attr(b, 'ipv6_cidr_blocks')?.value) },
        `aws_security_group_rule.${b.labels[1]}`,
        securityGroupAddress(attr(b, 'security_group_id')?.value.raw),
        attr(b, 'description')?.value,
      );
    }
    for (const b of resources(ctx.parsed, 'aws_vpc_security_group_ingress_rule')) {
      report(
        { protocol: attr(b, 'ip_protocol')?.value, from: attr(b, 'from_port')?.value, to: attr(b, 'to_port')?.value, cidrs: cidrs(attr(b, 'cidr_ipv4')?.value, attr(b, 'cidr_ipv6')?.value) },
        `aws_vpc_security_group_ingress_rule.${b.labels[1]}`,
        securityGroupAddress(attr(b, 'security_group_id')?.value.raw),
        attr(b, 'description')?.value,
      );
    }

    // OpenStack: a rule per resource (no protocol: every protocol), or inline `rule {}` blocks.
    for (const b of resources(ctx.parsed, 'openstack_networking_secgroup_rule_v2')) {
      if (str(attr(b, 'direction')?.value) !== 'ingress') continue;
      const protocol = attr(b, 'protocol')?.value;
      const min = attr(b, 'port_range_min')?.value;
      const max = attr(b, 'port_range_max')?.value;
      const r: IngressRule = { protocol: protocol ?? literal('-1'), from: min ?? (protocol ? literal('0') : undefined), to: max ?? (protocol ? literal('65535') : undefined), cidrs: cidrs(attr(b, 'remote_ip_prefix')?.value) };
      report(r, `openstack_networking_secgroup_rule_v2.${b.labels[1]}`);
    }
    for (const b of resources(ctx.parsed, 'openstack_compute_secgroup_v2')) {
      for (const rule of blocksOf(b, 'rule')) {
        report({ protocol: attr(rule, 'ip_protocol')?.value, from: attr(rule, 'from_port')?.value, to: attr(rule, 'to_port')?.value, cidrs: cidrs(attr(rule, 'cidr')?.value) }, `openstack_compute_secgroup_v2.${b.labels[1]}`);
      }
    }

    // Google Cloud: INGRESS (the default direction) `allow` rules from source_ranges.
    for (const b of resources(ctx.parsed, 'google_compute_firewall')) {
      const direction = str(attr(b, 'direction')?.value);
      if ((direction && direction.toUpperCase() !== 'INGRESS') || isTrueExpr(attr(b, 'disabled')?.value)) continue;
      const open = cidrs(attr(b, 'source_ranges')?.value).filter((c) => WORLD.has(c.value));
      const ranges: Ports[] = [];
      let unknown = false;
      for (const allow of blocksOf(b, 'allow')) {
        const p = str(attr(allow, 'protocol')?.value)?.toLowerCase();
        if (p === undefined) unknown = true;
        else if (p === 'all') ranges.push('all');
        else if (p === 'tcp' || p === 'udp' || p === 'sctp') {
          // No `ports`: every port of the protocol.
          const ports = attr(allow, 'ports');
          const list = ports ? stringList(ports.value) : [];
          if (!list) unknown = true;
          else if (list.length === 0) ranges.push('all');
          for (const x of list ?? []) {
            const r = parsePorts(x.value);
            if (r) ranges.push(r);
            else unknown = true;
          }
        }
        // icmp, esp, ah…: not judged.
      }
      if (!unknown) judge(`google_compute_firewall.${b.labels[1]}`, open, ranges);
    }

    // Azure: Inbound Allow rules, standalone or inline in a network security group.
    const azure = (rule: { get: (k: string) => HclExpr | undefined }, where: string): void => {
      if (str(rule.get('direction'))?.toLowerCase() !== 'inbound' || str(rule.get('access'))?.toLowerCase() !== 'allow') return;
      const protocol = str(rule.get('protocol'))?.toLowerCase();
      if (!protocol || protocol === 'icmp') return;
      const open = [...cidrs(rule.get('source_address_prefix')), ...cidrs(rule.get('source_address_prefixes'))].filter((c) => AZURE_WORLD.has(c.value.toLowerCase()));
      const portExprs = [...(stringListOrEmpty(rule.get('destination_port_range')) ?? [undefined]), ...(stringListOrEmpty(rule.get('destination_port_ranges')) ?? [undefined])];
      if (portExprs.some((p) => p === undefined)) return;
      const ranges = portExprs.map((p) => (p === '*' ? 'all' : parsePorts(p!)));
      if (ranges.some((r) => r === undefined)) return;
      judge(where, open, ranges as Ports[]);
    };
    for (const b of resources(ctx.parsed, 'azurerm_network_security_rule')) azure({ get: (k) => attr(b, k)?.value }, `azurerm_network_security_rule.${b.labels[1]}`);
    for (const b of resources(ctx.parsed, 'azurerm_network_security_group')) {
      for (const rule of blocksOf(b, 'security_rule')) azure({ get: (k) => attr(rule, k)?.value }, `azurerm_network_security_group.${b.labels[1]} (rule ${str(attr(rule, 'name')?.value) ?? ''})`.replace(' (rule )', ''));
    }
    return out;
  },
};

function literal(value: string): HclExpr {
  const r = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { type: 'string', value, range: r, raw: JSON.stringify(value) };
}

/** `"22"`, `"8000-8080"` -> a port range; `undefined` when not literal. */
function parsePorts(s: string): [number, number] | undefined {
  const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(s);
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] ? Number(m[2]) : from;
  return from === 0 && to === 65535 ? [0, 65535] : [from, to];
}

/** Values of a string or list of strings; an absent attribute is `[]`; `undefined` when not literal. */
function stringListOrEmpty(e: HclExpr | undefined): (string | undefined)[] | undefined {
  if (!e) return [];
  const l = stringList(e);
  return l ? l.map((x) => x.value) : undefined;
}

/**
 * The source CIDRs of a rule: literal strings where they stand, and the values of `var.x` /
 * `local.x` (what callers or .tfvars pass, else the variable's default), reported on the reference.
 */
function cidrsOf(ctx: TfContext, scope: ModuleScope, exprs: (HclExpr | undefined)[]): Cidr[] {
  const out: Cidr[] = [];
  for (const e of exprs) {
    if (!e) continue;
    if (e.type === 'tuple') {
      for (const it of e.items) {
        if (it.type === 'string') out.push({ value: it.value, range: it.range });
        else if (it.type === 'reference') out.push(...fromReference(ctx, scope, it));
      }
    } else if (e.type === 'reference') {
      out.push(...fromReference(ctx, scope, e));
    } else {
      out.push(...(stringList(e) ?? []));
    }
  }
  return out;
}

function fromReference(ctx: TfContext, scope: ModuleScope, ref: Extract<HclExpr, { type: 'reference' }>): Cidr[] {
  const m = /^(var|local)\.([A-Za-z_][\w-]*)$/.exec(ref.path);
  if (!m) return [];
  let values = resolveReference(ctx, ref.path, scope)?.map((v) => v.expr);
  // A reusable module nobody in the workspace calls: its default is what callers get unless they say otherwise.
  if (!values && m[1] === 'var') {
    const def = attr(scope.variables.get(m[2]), 'default')?.value;
    values = def ? [def] : undefined;
  }
  const out: Cidr[] = [];
  for (const v of values ?? []) {
    for (const c of stringList(v) ?? []) {
      if (out.some((o) => o.value === c.value)) continue;
      out.push({ value: c.value, range: ref.range, via: `${ref.path}${isDefault(scope, m, v) ? ', its default' : ''}` });
    }
  }
  return out;
}

function isDefault(scope: ModuleScope, m: RegExpExecArray, e: HclExpr): boolean {
  return m[1] === 'var' && attr(scope.variables.get(m[2]), 'default')?.value === e;
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
