import type { HclBlock, HclExpr, TerraformFile } from '../../parsers/hclAst';
import { attr, blocksOf, moduleScope, ModuleScope, str, TfContext } from './hcl';

// Is a load balancer reachable from the internet at large, or only from listed networks? Its
// `security_groups` are read in the module (and through local modules' outputs): when every group
// is found and every ingress source of theirs is a specific CIDR range, a prefix list (the
// CloudFront origin-facing list) or another security group, and none is 0.0.0.0/0 or ::/0, the
// balancer is not an open public endpoint.

const OPEN = /0\.0\.0\.0\/0|::\/0/;

/** True when every security group of `lb` (in `scope`) admits only specific sources. */
export function admitsOnlyListedSources(ctx: TfContext, scope: ModuleScope, lb: HclBlock): boolean {
  const sgs = attr(lb, 'security_groups')?.value;
  if (!sgs) return false;
  return groupsRestricted(ctx, scope, sgs.raw, 0);
}

function groupsRestricted(ctx: TfContext, scope: ModuleScope, raw: string, depth: number): boolean {
  if (depth > 4) return false;
  const groups = [...raw.matchAll(/\baws_security_group\.([\w-]+)/g)].map((m) => m[1]);
  const outputs = [...raw.matchAll(/\bmodule\.([\w-]+)(?:\[[^\]]*\])?\.([\w-]+)/g)].map((m) => ({ module: m[1], output: m[2] }));
  // Anything else (a variable, a data source, a local) may be any group: not judged.
  const rest = raw.replace(/\baws_security_group\.[\w-]+(\[[^\]]*\])?\.id/g, '').replace(/\bmodule\.[\w-]+(\[[^\]]*\])?\.[\w-]+/g, '');
  if (/\b(var|local|data|each|module)\./.test(rest) || /\baws_security_group\./.test(rest)) return false;
  if (groups.length + outputs.length === 0) return false;
  for (const g of groups) if (!groupRestricted(scope, g)) return false;
  for (const o of outputs) {
    const dir = moduleDir(ctx, scope.dir, o.module);
    if (!dir) return false;
    const child = moduleScope(ctx, dir);
    const out = child.files.flatMap((f) => f.body.blocks).find((b) => b.type === 'output' && b.labels[0] === o.output);
    const value = out && attr(out, 'value')?.value;
    if (!value || !groupsRestricted(ctx, child, value.raw, depth + 1)) return false;
  }
  return true;
}

/** Every ingress source of security group `name` of the module is specific; at least one rule is found. */
function groupRestricted(scope: ModuleScope, name: string): boolean {
  const blocks = scope.files.flatMap((f: TerraformFile) => f.body.blocks.filter((b) => b.type === 'resource' && b.labels.length >= 2));
  const sg = blocks.find((b) => b.labels[0] === 'aws_security_group' && b.labels[1] === name);
  if (!sg) return false;
  const ref = new RegExp(`\\baws_security_group\\.${name}(\\[[^\\]]*\\])?\\.id\\b`);
  const sources: (HclExpr | undefined)[] = [];
  let rules = 0;
  for (const ing of blocksOf(sg, 'ingress')) {
    rules++;
    sources.push(attr(ing, 'cidr_blocks')?.value, attr(ing, 'ipv6_cidr_blocks')?.value);
  }
  for (const b of blocks) {
    const target = attr(b, 'security_group_id')?.value;
    if (!target || !ref.test(target.raw)) continue;
    if (b.labels[0] === 'aws_security_group_rule' && str(attr(b, 'type')?.value) === 'ingress') {
      rules++;
      sources.push(attr(b, 'cidr_blocks')?.value, attr(b, 'ipv6_cidr_blocks')?.value);
    } else if (b.labels[0] === 'aws_vpc_security_group_ingress_rule') {
      rules++;
      sources.push(attr(b, 'cidr_ipv4')?.value, attr(b, 'cidr_ipv6')?.value);
      // `for_each = toset(var.cidrs)` with `cidr_ipv4 = each.key`: the list is the source.
      const fe = attr(b, 'for_each')?.value;
      if (fe) sources.push(fe);
    }
  }
  return rules > 0 && sources.every((s) => !s || !open(scope, s.raw, 0));
}

/** Does an expression (or the variable defaults and locals it names) hold 0.0.0.0/0 or ::/0? */
function open(scope: ModuleScope, raw: string, depth: number): boolean {
  if (OPEN.test(raw)) return true;
  if (depth > 3) return false;
  for (const m of raw.matchAll(/\bvar\.([\w-]+)/g)) {
    const d = scope.variables.get(m[1]) && attr(scope.variables.get(m[1]), 'default')?.value;
    if (d && open(scope, d.raw, depth + 1)) return true;
  }
  for (const m of raw.matchAll(/\blocal\.([\w-]+)/g)) {
    const l = scope.locals.get(m[1]);
    if (l && open(scope, l.raw, depth + 1)) return true;
  }
  return false;
}

/** The folder of local module `name` called from module `dir`. */
function moduleDir(ctx: TfContext, dir: string, name: string): string | undefined {
  for (const f of ctx.index.inDir(dir)) {
    if (f.kind !== 'terraform' || f.parsed.type !== 'terraform') continue;
    const m = (f.parsed as TerraformFile).body.blocks.find((b) => b.type === 'module' && b.labels[0] === name);
    const src = m && attr(m, 'source')?.value;
    if (!src) continue;
    const r = f.references.find((x) => x.kind === 'module_source' && x.range.start.line === src.range.start.line && x.range.start.character === src.range.start.character);
    return r?.target;
  }
  return undefined;
}
