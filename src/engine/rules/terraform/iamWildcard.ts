import type { HclBlock, TerraformFile } from '../../parsers/hclAst';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { deployerOf } from './deployerIdentity';
import { attr, blocksOf, moduleScope, policyDocumentStatements, PolicyStatement, policyStatements, PolicyValue, policyValue, posixDir, resources } from './hcl';

// IAM statements that allow every action (`*`), or every action of a service (`s3:*`) on every
// resource (`*`): least privilege means naming the actions a workload needs.

/** Resources whose `policy` is an identity policy. */
const POLICY_RESOURCES = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'];

export const rule: Rule<TerraformFile> = {
  meta: {
    id: 'terraform/iam-wildcard',
    description: 'An IAM policy statement allows every action ("*"), or every action of a service on every resource.',
    defaultSeverity: 'error',
    practice: 'least-privilege',
    kinds: ['terraform'],
    subject: 'iam-policy',
    // Deprecated modules kept for reference, examples and tests are not the policies that run.
    productionOnly: true,
    // policies behind `local.x` may be defined in another file of the module
    crossFile: true,
    equivalents: [
      { tool: 'checkov', id: 'CKV_AWS_1' },
      { tool: 'checkov', id: 'CKV_AWS_62' },
      { tool: 'checkov', id: 'CKV_AWS_63' },
      { tool: 'checkov', id: 'CKV_AWS_49' },
      { tool: 'checkov', id: 'CKV_AWS_355' },
      { tool: 'checkov', id: 'CKV_AWS_356' },
      // Write access, permissions management, data exfiltration, credentials exposure, privilege
      // escalation "without constraints": what a service wildcard on "*" grants (resources, documents).
      { tool: 'checkov', id: 'CKV_AWS_286' },
      { tool: 'checkov', id: 'CKV_AWS_287' },
      { tool: 'checkov', id: 'CKV_AWS_288' },
      { tool: 'checkov', id: 'CKV_AWS_289' },
      { tool: 'checkov', id: 'CKV_AWS_290' },
      { tool: 'checkov', id: 'CKV_AWS_107' },
      { tool: 'checkov', id: 'CKV_AWS_108' },
      { tool: 'checkov', id: 'CKV_AWS_109' },
      { tool: 'checkov', id: 'CKV_AWS_110' },
      { tool: 'checkov', id: 'CKV_AWS_111' },
      { tool: 'checkov', id: 'CKV2_AWS_40' },
      { tool: 'trivy', id: 'AVD-AWS-0057' },
      { tool: 'trivy', id: 'AVD-AWS-0345' },
      // tfsec's names for the same checks (`#tfsec:ignore:…`, read like trivy's), current and legacy.
      { tool: 'trivy', id: 'aws-iam-no-policy-wildcards' },
      { tool: 'trivy', id: 'AWS097' },
      { tool: 'trivy', id: 'AWS099' },
    ],
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    const file = ctx.parsed;
    const scope = moduleScope(ctx, posixDir(ctx.file.path));
    // One finding per statement, on its first wildcard: a statement granting `ec2:*`, `s3:*` and
    // `iam:*` is one grant to narrow, not three.
    // A deployer identity (Terraform, CI, bootstrap, account vending) is admin by design: one
    // info finding per identity that says what to scope, instead of an error per statement.
    const deployers = new Map<string, { finding: RuleFinding; wildcards: number; where: Set<string> }>();
    const checkStatements = (where: string, statements: PolicyStatement[], owner?: HclBlock): void => {
      const deployer = owner ? deployerOf(scope, owner) : undefined;
      const before = out.length;
      checkEach(where, statements);
      if (!deployer) return;
      for (const f of out.splice(before)) {
        const d = deployers.get(deployer);
        if (d) {
          d.wildcards++;
          d.where.add(where);
        } else deployers.set(deployer, { finding: f, wildcards: 1, where: new Set([where]) });
      }
    };
    const checkEach = (where: string, statements: PolicyStatement[]): void => {
      for (const s of statements) {
        if (s.effect !== 'Allow' || s.notActions || !s.actions) continue;
        const allResources = !!s.resources?.some((r) => r.kind === 'string' && r.value === '*');
        const actions = s.actions.filter((a): a is Extract<PolicyValue, { kind: 'string' }> => a.kind === 'string');
        const every = actions.find((a) => a.value === '*' || a.value === '*:*');
        // (In a resource policy — a KMS key policy's `kms:*` for the account root — Resource "*"
        // means the resource itself, so service wildcards are judged in identity policies only.)
        const services = allResources && !s.hasPrincipal ? actions.filter((a) => /^[\w-]+:\*$/.test(a.value)) : [];
        if (every) {
          const also = services.length ? ` (and ${services.length} service wildcard${services.length > 1 ? 's' : ''})` : '';
          out.push({ range: every.range, message: `${where} allows every action ("${every.value}")${also}; list the actions the workload needs (IAM Access Analyzer can generate them from CloudTrail).` });
        } else if (services.length) {
          const names = services.map((a) => `"${a.value}"`);
          const listed = names.length > 4 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
          const what = services.length > 1 ? `every action of ${services.length} services (${listed})` : `every ${services[0].value.split(':')[0]} action (${listed})`;
          out.push({ range: services[0].range, message: `${where} allows ${what} on every resource ("*") in one statement; name the actions and scope Resource to the ARNs the workload uses.` });
        }
      }
    };
    for (const b of resources(file, ...POLICY_RESOURCES)) {
      const p = attr(b, 'policy');
      if (p) checkStatements(`${b.labels[0]}.${b.labels[1]}`, policyStatements(policyValue(p.value, file.lines, scope)), b);
    }
    for (const b of resources(file, 'aws_iam_role')) {
      for (const inline of blocksOf(b, 'inline_policy')) {
        const p = attr(inline, 'policy');
        if (p) checkStatements(`aws_iam_role.${b.labels[1]} (inline policy)`, policyStatements(policyValue(p.value, file.lines, scope)), b);
      }
    }
    for (const d of file.body.blocks) if (isPolicyDocument(d)) checkStatements(`data.aws_iam_policy_document.${d.labels[1]}`, policyDocumentStatements(d), d);
    for (const [identity, d] of deployers) {
      const grants = d.wildcards > 1 ? `${d.wildcards} wildcard statements (${[...d.where].join(', ')})` : `a wildcard statement (${[...d.where][0]})`;
      out.push({
        range: d.finding.range,
        severity: 'info',
        message:
          `${identity} is a deployer identity (Terraform, CI, bootstrap or account vending) and ${grants} make it administrator by design; ` +
          `bound what it can do instead of listing actions: attach a permissions boundary (deny changes to its own role, to the boundary and to audit trails), ` +
          `restrict who can assume it (a branch or environment in the trust policy), and give pull-request plans a separate read-only role.`,
      });
    }
    return out;
  },
};

function isPolicyDocument(b: HclBlock): boolean {
  return b.type === 'data' && b.labels[0] === 'aws_iam_policy_document' && !!b.labels[1];
}
