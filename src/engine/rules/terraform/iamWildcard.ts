import type { HclBlock, TerraformFile } from '../../parsers/hclAst';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { attr, blocksOf, moduleScope, policyDocumentStatements, PolicyStatement, policyStatements, policyValue, posixDir, resources } from './hcl';

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
    // policies behind `local.x` may be defined in another file of the module
    crossFile: true,
    equivalents: [
      { tool: 'checkov', id: 'CKV_AWS_1' },
      { tool: 'checkov', id: 'CKV_AWS_62' },
      { tool: 'checkov', id: 'CKV_AWS_63' },
      { tool: 'trivy', id: 'AVD-AWS-0057' },
    ],
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    const file = ctx.parsed;
    const scope = moduleScope(ctx, posixDir(ctx.file.path));
    const checkStatements = (where: string, statements: PolicyStatement[]): void => {
      for (const s of statements) {
        if (s.effect !== 'Allow' || s.notActions || !s.actions) continue;
        const allResources = !!s.resources?.some((r) => r.kind === 'string' && r.value === '*');
        for (const a of s.actions) {
          if (a.kind !== 'string') continue;
          if (a.value === '*' || a.value === '*:*') {
            out.push({ range: a.range, message: `${where} allows every action ("${a.value}"); list the actions the workload needs (IAM Access Analyzer can generate them from CloudTrail).` });
          } else if (/^[\w-]+:\*$/.test(a.value) && allResources && !s.hasPrincipal) {
            // (In a resource policy — a KMS key policy's `kms:*` for the account root — Resource "*"
            // means the resource itself, so only identity policies are judged here.)
            out.push({ range: a.range, message: `${where} allows every ${a.value.split(':')[0]} action ("${a.value}") on every resource ("*"); name the actions and scope Resource to the ARNs the workload uses.` });
          }
        }
      }
    };
    for (const b of resources(file, ...POLICY_RESOURCES)) {
      const p = attr(b, 'policy');
      if (p) checkStatements(`${b.labels[0]}.${b.labels[1]}`, policyStatements(policyValue(p.value, file.lines, scope)));
    }
    for (const b of resources(file, 'aws_iam_role')) {
      for (const inline of blocksOf(b, 'inline_policy')) {
        const p = attr(inline, 'policy');
        if (p) checkStatements(`aws_iam_role.${b.labels[1]} (inline policy)`, policyStatements(policyValue(p.value, file.lines, scope)));
      }
    }
    for (const d of file.body.blocks) if (isPolicyDocument(d)) checkStatements(`data.aws_iam_policy_document.${d.labels[1]}`, policyDocumentStatements(d));
    return out;
  },
};

function isPolicyDocument(b: HclBlock): boolean {
  return b.type === 'data' && b.labels[0] === 'aws_iam_policy_document' && !!b.labels[1];
}
