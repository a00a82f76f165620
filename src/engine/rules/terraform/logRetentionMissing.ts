import type { TerraformFile } from '../../parsers/hclAst';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { appendToBlockEdit, attr, labelsRange, num, resources } from './hcl';

// A CloudWatch log group without `retention_in_days` (or with 0) keeps every log event forever:
// storage cost grows every month, and logs nobody needs any more (with the personal data in
// them) are never deleted. Choose a retention that matches how far back investigations and
// audits look.
const SUGGESTED_DAYS = 90;

export const rule: Rule<TerraformFile> = {
  meta: {
    id: 'terraform/log-retention-missing',
    description: 'A CloudWatch log group has no `retention_in_days` (or 0), so its logs and their cost grow forever.',
    defaultSeverity: 'warning',
    practice: 'log-retention',
    kinds: ['terraform'],
    productionOnly: true,
    fixable: true,
    equivalents: [{ tool: 'checkov', id: 'CKV_AWS_66' }],
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const b of resources(ctx.parsed, 'aws_cloudwatch_log_group')) {
      const a = attr(b, 'retention_in_days');
      if (a && num(a.value) !== 0) continue; // a number of days, or an expression we cannot judge
      const edit = a ? { range: a.value.range, newText: String(SUGGESTED_DAYS) } : appendToBlockEdit(ctx.parsed.lines, b, [`retention_in_days = ${SUGGESTED_DAYS}`]);
      out.push({
        range: a ? a.range : labelsRange(b),
        message: `aws_cloudwatch_log_group.${b.labels[1]} ${a ? 'sets `retention_in_days = 0`' : 'does not set `retention_in_days`'}, so its logs are kept forever and their cost grows every month: set a retention that matches how far back you investigate (e.g. ${SUGGESTED_DAYS} days, 365 for audit logs).`,
        fixes: edit ? [{ title: `Set retention_in_days = ${SUGGESTED_DAYS}`, isPreferred: true, edits: [edit] }] : undefined,
      });
    }
    return out;
  },
};
