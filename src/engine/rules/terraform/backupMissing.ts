import type { HclBlock, TerraformFile } from '../../parsers/hclAst';
import type { Fix, RuleFinding } from '../../types';
import type { Rule } from '../types';
import { appendToBlockEdit, attr, blocksOf, isStateLockTable, isTrueExpr, labelsRange, moduleScope, num, posixDir, resolveReference, resources, str, TfContext } from './hcl';

// A database without backups cannot be restored after a bad migration, a dropped table or a
// deleted instance, and a one-day retention means a problem found on Monday morning cannot be
// undone past Sunday. RDS instances and Aurora clusters need `backup_retention_period` of at
// least `terraform.minBackupRetentionDays` (0 disables backups; absent means the AWS default of
// 1 day); DynamoDB tables need point-in-time recovery.
export const rule: Rule<TerraformFile> = {
  meta: {
    id: 'terraform/backup-missing',
    description: 'An RDS instance or Aurora cluster keeps automated backups for fewer days than the configured minimum (0 or unset: none or 1 day), or a DynamoDB table has no point-in-time recovery.',
    defaultSeverity: 'warning',
    practice: 'backup-restore',
    kinds: ['terraform'],
    productionOnly: true,
    fixable: true,
    crossFile: true,
    equivalents: [
      { tool: 'checkov', id: 'CKV_AWS_133' },
      { tool: 'checkov', id: 'CKV_AWS_28' },
      { tool: 'trivy', id: 'AVD-AWS-0077' },
      { tool: 'trivy', id: 'AVD-AWS-0024' },
    ],
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    const min = ctx.config.terraform.minBackupRetentionDays;
    for (const b of resources(ctx.parsed, 'aws_db_instance', 'aws_rds_cluster')) {
      // Read replicas are restored from their source; Aurora members from their cluster.
      if (attr(b, 'replicate_source_db') || (b.labels[0] === 'aws_db_instance' && str(attr(b, 'engine')?.value)?.startsWith('aurora'))) continue;
      const a = attr(b, 'backup_retention_period');
      const days = a ? retentionDays(ctx, a.value) : 1;
      if (days === undefined || days >= min) continue;
      const what = b.labels[0] === 'aws_rds_cluster' ? 'cluster' : 'instance';
      const said = !a ? 'does not set `backup_retention_period`, so AWS keeps automated backups for 1 day' : days === 0 ? 'sets `backup_retention_period` to 0, which turns automated backups off' : `keeps automated backups for ${days} day${days === 1 ? '' : 's'}`;
      const fix = retentionFix(ctx, b, min, a);
      out.push({
        range: a ? a.range : labelsRange(b),
        message: `${b.labels[0]}.${b.labels[1]} ${said}: a problem found after that cannot be restored. Keep at least ${min} days (terraform.minBackupRetentionDays) and test a restore of the ${what}.`,
        fixes: fix ? [fix] : undefined,
      });
    }
    // Module calls (terraform-aws-modules/rds and the like) pass the same argument through; its
    // meaning does not change on the way, so a literal below the minimum is reported where it is set.
    for (const b of ctx.parsed.body.blocks.filter((x) => x.type === 'module')) {
      const a = attr(b, 'backup_retention_period');
      const days = a ? num(a.value) : undefined;
      if (!a || days === undefined || days >= min || attr(b, 'replicate_source_db')) continue;
      out.push({
        range: a.range,
        message: `module.${b.labels[0]} passes \`backup_retention_period = ${days}\`: ${days === 0 ? 'automated backups are off' : `backups are kept for ${days} day${days === 1 ? '' : 's'}`}, so a problem found after that cannot be restored. Keep at least ${min} days (terraform.minBackupRetentionDays).`,
        fixes: [{ title: `Set backup_retention_period = ${min}`, isPreferred: true, edits: [{ range: a.value.range, newText: String(min) }] }],
      });
    }
    for (const b of resources(ctx.parsed, 'aws_dynamodb_table')) {
      // A Terraform state lock table (`hash_key = "LockID"`) holds locks held for seconds: nothing to restore.
      if (isStateLockTable(b)) continue;
      const pitr = blocksOf(b, 'point_in_time_recovery')[0];
      const enabled = pitr ? attr(pitr, 'enabled') : undefined;
      if (enabled && (isTrueExpr(enabled.value) || (enabled.value.type !== 'bool' && enabled.value.type !== 'string'))) continue;
      const edit = pitr ? undefined : appendToBlockEdit(ctx.parsed.lines, b, ['', 'point_in_time_recovery {', '  enabled = true', '}']);
      out.push({
        range: enabled ? enabled.range : pitr ? pitr.typeRange : labelsRange(b),
        message: `aws_dynamodb_table.${b.labels[1]} has no point-in-time recovery: a bad write or delete cannot be undone. Add \`point_in_time_recovery { enabled = true }\` (35 days of continuous backups).`,
        fixes: enabled
          ? [{ title: 'Enable point-in-time recovery', isPreferred: true, edits: [{ range: enabled.value.range, newText: 'true' }] }]
          : edit
            ? [{ title: 'Enable point-in-time recovery', isPreferred: true, edits: [edit] }]
            : undefined,
      });
    }
    return out;
  },
};

/**
 * The retention in days, following var./local. references through module callers to literals;
 * the smallest when callers differ; undefined when any path ends in something not literal.
 */
function retentionDays(ctx: TfContext, e: Parameters<typeof num>[0], scope = moduleScope(ctx, posixDir(ctx.file.path)), depth = 0): number | undefined {
  const direct = num(e);
  if (direct !== undefined) return direct;
  if (e?.type !== 'reference' || depth > 6) return undefined;
  const resolved = resolveReference(ctx, e.path, scope);
  if (!resolved?.length) return undefined;
  const values = resolved.map((r) => retentionDays(ctx, r.expr, r.scope, depth + 1));
  return values.every((v) => v !== undefined) ? Math.min(...(values as number[])) : undefined;
}

function retentionFix(ctx: TfContext, b: HclBlock, min: number, existing: ReturnType<typeof attr>): Fix | undefined {
  const title = `Set backup_retention_period = ${min}`;
  if (existing) return num(existing.value) !== undefined ? { title, isPreferred: true, edits: [{ range: existing.value.range, newText: String(min) }] } : undefined;
  const edit = appendToBlockEdit(ctx.parsed.lines, b, [`backup_retention_period = ${min}`]);
  return edit ? { title, isPreferred: true, edits: [edit] } : undefined;
}
