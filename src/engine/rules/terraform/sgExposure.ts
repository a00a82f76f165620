import type { HclBlock, HclExpr } from '../../parsers/hclAst';
import { attr, isFalseExpr, isTrueExpr, ModuleScope, str } from './hcl';

// Whether an AWS security group can be reached from the internet at all, judged from what its
// own module attaches it to. An interface VPC endpoint has private addresses only; a Lambda
// function in a VPC never gets a public address; an ECS task without `assign_public_ip = true`,
// an instance or launch template with `associate_public_ip_address = false` has none either.
// A group attached to anything else (a load balancer, a database, an instance whose subnet
// decides, a module call, a local) or attached nowhere in its module stays judged as exposed.

/** The address `aws_security_group.NAME` an expression such as `aws_security_group.x.id` names, if any. */
export function securityGroupAddress(raw: string | undefined): string | undefined {
  const m = raw && /^\s*(aws_security_group\.[A-Za-z_][\w-]*)(?:\[[^\]]*\])?\.id\s*$/.exec(raw);
  return m ? m[1] : undefined;
}

type Use = 'private' | 'none' | 'other';

/**
 * Is every attachment of `sg` (an address like `aws_security_group.task`) in `scope` one that
 * carries no public address? False when any use may expose it, or when it is attached nowhere.
 */
export function attachedOnlyPrivately(scope: ModuleScope, sg: string): boolean {
  const re = new RegExp(`(?<![\\w.])${sg.replace(/[.]/g, '\\.')}(?![\\w-])`);
  let privateUse = false;
  for (const f of scope.files) {
    for (const b of f.body.blocks) {
      const use = useIn(b, re);
      if (use === 'other') return false;
      if (use === 'private') privateUse = true;
    }
  }
  return privateUse;
}

/** How the top-level block `b` uses the group (`re` matches its address). */
function useIn(b: HclBlock, re: RegExp): Use | undefined {
  const hits = referencing(b, re);
  if (hits.length === 0) return undefined;
  // Exporting the id is not an attachment (what a caller does with it is judged at the caller, if ever).
  if (b.type === 'output') return 'none';
  // A module that creates interface VPC endpoints (terraform-aws-modules' `vpc-endpoints`, or a
  // local one so named) given the group as its endpoints' groups.
  if (b.type === 'module') {
    const source = str(attr(b, 'source')?.value) ?? '';
    return /vpc[-_]?endpoints?(?:$|[/?])/i.test(source) && hits.every((h) => h.block === b && h.name === 'security_group_ids') ? 'private' : 'other';
  }
  if (b.type !== 'resource') return 'other';
  const type = b.labels[0];
  let result: Use = 'none';
  for (const { block, name } of hits) {
    let use: Use;
    switch (type) {
      // Rules of a group (its own, or naming it as a source) and other groups admitting it: not attachments.
      case 'aws_security_group':
      case 'aws_security_group_rule':
      case 'aws_vpc_security_group_ingress_rule':
      case 'aws_vpc_security_group_egress_rule':
        use = 'none';
        break;
      case 'aws_vpc_endpoint':
        use = name === 'security_group_ids' ? 'private' : 'other';
        break;
      case 'aws_lambda_function':
        use = block.type === 'vpc_config' ? 'private' : 'other';
        break;
      case 'aws_ecs_service':
        use = block.type === 'network_configuration' && !isTrueExpr(attr(block, 'assign_public_ip')?.value) && attr(block, 'assign_public_ip')?.value?.type !== 'other' && attr(block, 'assign_public_ip')?.value?.type !== 'reference' ? 'private' : 'other';
        break;
      case 'aws_instance':
      case 'aws_launch_configuration':
        use = isFalseExpr(attr(b, 'associate_public_ip_address')?.value) ? 'private' : 'other';
        break;
      case 'aws_launch_template':
        use = block.type === 'network_interfaces' && isFalseExpr(attr(block, 'associate_public_ip_address')?.value) ? 'private' : 'other';
        break;
      default:
        use = 'other';
    }
    if (use === 'other') return 'other';
    if (use === 'private') result = 'private';
  }
  return result;
}

/** The (innermost block, attribute name) pairs of `b` whose value mentions `re`. */
function referencing(b: HclBlock, re: RegExp): { block: HclBlock; name: string }[] {
  const out: { block: HclBlock; name: string }[] = [];
  for (const a of b.attributes) if (re.test(a.value.raw)) out.push({ block: b, name: a.name });
  for (const c of b.blocks) out.push(...referencing(c, re));
  return out;
}

// Ports whose service is public by design, recognised only when the group or its rule says that
// is what it serves ("Allow incoming DNS traffic" on 53). Administration and database ports
// never appear here: they stay reported whatever the description says.
const PUBLIC_SERVICES: { ports: number[]; words: RegExp }[] = [
  { ports: [53], words: /\b(dns|name ?servers?|authoritative)\b/i },
  { ports: [25, 465, 587], words: /\b(smtp|mail|mx)\b/i },
  { ports: [123], words: /\bntp\b/i },
  { ports: [500, 4500, 1194, 51820], words: /\b(vpn|ipsec|openvpn|wireguard)\b/i },
  { ports: [3478, 5349], words: /\b(turn|stun)\b/i },
];

/** Is every port of `[from, to]` a public service that `texts` (descriptions, names) say the group serves? */
export function isDescribedPublicService([from, to]: [number, number], texts: (string | undefined)[]): boolean {
  if (to - from > 16) return false;
  const text = texts.filter(Boolean).join(' ');
  if (!text) return false;
  for (let p = from; p <= to; p++) {
    if (!PUBLIC_SERVICES.some((s) => s.ports.includes(p) && s.words.test(text))) return false;
  }
  return true;
}

/** Descriptions and names a group carries: `name`, `description`, the `Name` tag. */
export function groupTexts(b: HclBlock | undefined): string[] {
  if (!b) return [];
  const text = (e: HclExpr | undefined): string | undefined => (e ? str(e) ?? e.raw : undefined);
  const tags = attr(b, 'tags')?.value;
  const nameTag = tags?.type === 'object' ? text(tags.items.find((i) => i.key === 'Name')?.value) : undefined;
  return [text(attr(b, 'name')?.value), text(attr(b, 'description')?.value), nameTag].filter((x): x is string => !!x);
}
