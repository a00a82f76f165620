import type { HclBlock, HclExpr } from '../../parsers/hclAst';
import { attr, ModuleScope, str } from './hcl';

// The identity Terraform or a CI pipeline itself runs as (the deployer, a bootstrap or
// account-vending role) is administrator of what it manages by design: "list the actions the
// workload needs" does not fit it. Recognised only from what its own name, description or
// display name says, never from the breadth of its grants.

export const DEPLOYER = /(?:^|[^a-z0-9])(terraform|tfc|atlantis|spacelift|env0|deployer|bootstrap|provision|provisioner|provisioning|cicd|ci|pipeline|concourse|vending|plan-apply)(?:[^a-z0-9]|$)/i;

/** Words that name the identity: its name, account id, display name, description and labels. */
function texts(b: HclBlock): string[] {
  const text = (e: HclExpr | undefined): string | undefined => (e ? str(e) ?? e.raw : undefined);
  return [
    ...b.labels.slice(1).map((l) => l.replace(/_/g, '-')),
    ...['name', 'name_prefix', 'account_id', 'display_name', 'description'].map((k) => text(attr(b, k)?.value)),
  ].filter((x): x is string => !!x);
}

export function saysDeployer(b: HclBlock | undefined): boolean {
  return !!b && texts(b).some((t) => DEPLOYER.test(t.replace(/([a-z])([A-Z])/g, '$1 $2')));
}

/** Every top-level block of the module. */
function* blocks(scope: ModuleScope): Generator<HclBlock> {
  for (const f of scope.files) yield* f.body.blocks;
}

function refersTo(b: HclBlock, address: string): boolean {
  const re = new RegExp(`(?<![\\w.])${address.replace(/\./g, '\\.')}(?![\\w-])`);
  const walk = (x: HclBlock): boolean => x.attributes.some((a) => re.test(a.value.raw)) || x.blocks.some(walk);
  return walk(b);
}

export function findResource(scope: ModuleScope, type: string, name: string): HclBlock | undefined {
  for (const b of blocks(scope)) if (b.type === 'resource' && b.labels[0] === type && b.labels[1] === name) return b;
  return undefined;
}

/** The `aws_iam_role.X` an expression like `aws_iam_role.X.name` names. */
function roleOf(scope: ModuleScope, e: HclExpr | undefined): HclBlock | undefined {
  const m = e && /^\s*aws_iam_role\.([\w-]+)(?:\[[^\]]*\])?\.(?:name|id|arn)\s*$/.exec(e.raw);
  return m ? findResource(scope, 'aws_iam_role', m[1]) : undefined;
}

/**
 * The deployer identity a policy-bearing block (an `aws_iam_policy`, `aws_iam_role_policy`,
 * `aws_iam_role` or `data.aws_iam_policy_document`) grants to, as its address, or undefined when
 * neither the policy nor an identity it is attached to in this module says it is a deployer.
 */
export function deployerOf(scope: ModuleScope, b: HclBlock, depth = 0): string | undefined {
  if (depth > 3) return undefined;
  const address = b.type === 'data' ? `data.${b.labels[0]}.${b.labels[1]}` : `${b.labels[0]}.${b.labels[1]}`;
  if (b.type === 'resource' && b.labels[0] === 'aws_iam_role') return saysDeployer(b) ? address : undefined;
  if (b.type === 'resource' && b.labels[0] === 'aws_iam_role_policy') {
    const role = roleOf(scope, attr(b, 'role')?.value);
    if (role) return saysDeployer(role) || saysDeployer(b) ? `aws_iam_role.${role.labels[1]}` : undefined;
    const literal = str(attr(b, 'role')?.value);
    return saysDeployer(b) || (literal && DEPLOYER.test(literal)) ? address : undefined;
  }
  // A managed policy or a policy document: through what uses it.
  for (const u of blocks(scope)) {
    if (u === b || u.type !== 'resource' || !refersTo(u, address)) continue;
    if (u.labels[0] === 'aws_iam_role_policy_attachment' || u.labels[0] === 'aws_iam_policy_attachment') {
      const role = roleOf(scope, attr(u, 'role')?.value) ?? blocksFromList(scope, attr(u, 'roles')?.value)[0];
      if (role && saysDeployer(role)) return `aws_iam_role.${role.labels[1]}`;
    } else if (['aws_iam_role', 'aws_iam_role_policy', 'aws_iam_policy'].includes(u.labels[0])) {
      const d = deployerOf(scope, u, depth + 1);
      if (d) return d;
    }
  }
  if (b.labels[0] === 'aws_iam_policy' && saysDeployer(b)) return address;
  return undefined;
}

function blocksFromList(scope: ModuleScope, e: HclExpr | undefined): HclBlock[] {
  if (e?.type !== 'tuple') return [];
  return e.items.map((i) => roleOf(scope, i)).filter((x): x is HclBlock => !!x);
}

/** A Google service account block named by a member such as `serviceAccount:${google_service_account.x.email}`. */
export function googleServiceAccountOf(scope: ModuleScope, member: string): HclBlock | undefined {
  const m = /google_service_account\.([\w-]+)\.(?:email|member)/.exec(member);
  if (m) return findResource(scope, 'google_service_account', m[1]);
  return undefined;
}

