import type { HclBlock, TerraformFile } from '../../parsers/hclAst';
import type { Fix, RuleFinding } from '../../types';
import type { Rule } from '../types';
import { attr, blocksOf, indentOf, indentUnit, isFalseExpr, isReusableModule, isTrueExpr, labelsRange, moduleScope, posixDir, resources, TfContext } from './hcl';

// Stateful resources (databases, buckets, volumes, keys, tables) can be destroyed by a plan that
// renames or replaces them. `lifecycle { prevent_destroy = true }` or the service's own deletion
// protection turns that into an error instead of data loss. Root modules only: `lifecycle` cannot
// take a variable, so a reusable module (called by another module of the workspace, or not set up
// to be applied on its own) cannot decide it for its callers' data.

/**
 * Stateful resource types and the argument (if any) that is their own deletion protection, with
 * its provider default. `deletion_window_in_days` (KMS) is a grace period, not protection.
 */
const STATEFUL: Record<string, { arg: string; defaultOn: boolean } | undefined> = {
  aws_db_instance: { arg: 'deletion_protection', defaultOn: false },
  aws_rds_cluster: { arg: 'deletion_protection', defaultOn: false },
  aws_docdb_cluster: { arg: 'deletion_protection', defaultOn: false },
  aws_neptune_cluster: { arg: 'deletion_protection', defaultOn: false },
  aws_dynamodb_table: { arg: 'deletion_protection_enabled', defaultOn: false },
  aws_s3_bucket: undefined,
  aws_ebs_volume: undefined,
  aws_efs_file_system: undefined,
  aws_kms_key: undefined,
  aws_redshift_cluster: undefined,
  aws_elasticache_replication_group: undefined,
  google_sql_database_instance: { arg: 'deletion_protection', defaultOn: true },
  google_spanner_database: { arg: 'deletion_protection', defaultOn: true },
  google_bigtable_instance: { arg: 'deletion_protection', defaultOn: true },
  google_storage_bucket: undefined,
  google_compute_disk: undefined,
  google_bigquery_dataset: undefined,
  azurerm_storage_account: undefined,
  azurerm_managed_disk: undefined,
  azurerm_cosmosdb_account: undefined,
  azurerm_mssql_database: undefined,
  azurerm_mssql_server: undefined,
  azurerm_postgresql_flexible_server: undefined,
  azurerm_mysql_flexible_server: undefined,
  azurerm_postgresql_server: undefined,
  azurerm_mysql_server: undefined,
};

/** Other Azure databases (`azurerm_*_database`): state, protected by lifecycle or a management lock. */
function isStateful(type: string): boolean {
  return type in STATEFUL || /^azurerm_[a-z0-9_]+_database$/.test(type);
}

export const rule: Rule<TerraformFile> = {
  meta: {
    id: 'terraform/prevent-destroy-missing',
    description: 'A stateful resource (database, bucket, volume, KMS key, DynamoDB table) of a root module has neither `prevent_destroy` nor deletion protection.',
    defaultSeverity: 'info',
    practice: 'data-protection',
    kinds: ['terraform'],
    productionOnly: true,
    fixable: true,
    equivalents: [{ tool: 'checkov', id: 'CKV_AWS_139' }],
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    if (isReusableModule(ctx, moduleScope(ctx, posixDir(ctx.file.path)))) return out;
    for (const b of resources(ctx.parsed)) {
      if (!isStateful(b.labels[0])) continue;
      const spec = STATEFUL[b.labels[0]];
      const protection = spec?.arg;
      const prot = protection ? attr(b, protection) : undefined;
      if (prot && isTrueExpr(prot.value)) continue;
      // `deletion_protection = var.x`: the value is decided elsewhere
      if (prot && !isFalseExpr(prot.value)) continue;
      // Google's deletion_protection defaults to true.
      if (!prot && spec?.defaultOn) continue;
      const lifecycle = blocksOf(b, 'lifecycle')[0];
      const pd = lifecycle ? attr(lifecycle, 'prevent_destroy') : undefined;
      if (pd && !isFalseExpr(pd.value)) continue;
      const name = `${b.labels[0]}.${b.labels[1]}`;
      const alt = protection ? ` or \`${protection} = true\`` : '';
      out.push({
        range: labelsRange(b),
        message: `${name} holds state but can be destroyed by a plan${pd ? ' (prevent_destroy = false)' : prot ? ` (${protection} = false)` : ''}; add \`lifecycle { prevent_destroy = true }\`${alt} so a rename or replacement cannot delete its data.`,
        fixes: [
          // `deletion_protection = false` written out: flipping it is the smaller change.
          prot && !pd ? { title: `Set ${protection} = true`, edits: [{ range: prot.value.range, newText: 'true' }], isPreferred: true } : undefined,
          fix(ctx, b, lifecycle, pd, !(prot && !pd)),
        ].filter((f): f is Fix => !!f),
      });
    }
    return out;
  },
};

function fix(ctx: TfContext, b: HclBlock, lifecycle: HclBlock | undefined, pd: ReturnType<typeof attr>, preferred: boolean): Fix | undefined {
  const lines = ctx.parsed.lines;
  const eol = lines.eol;
  const unit = indentUnit(lines);
  const title = 'Add lifecycle { prevent_destroy = true }';
  if (pd) return { title: 'Set prevent_destroy = true', edits: [{ range: pd.value.range, newText: 'true' }], isPreferred: preferred };
  const target = lifecycle ?? b;
  const close = target.closeBrace;
  if (close.start.line === target.openBrace.start.line || lines.line(close.start.line).trim() !== '}') return undefined;
  const inner = indentOf(lines, close.start.line) + unit;
  const pos = { line: close.start.line, character: 0 };
  const newText = lifecycle
    ? `${inner}prevent_destroy = true${eol}`
    : `${lines.line(close.start.line - 1).trim() === '' ? '' : eol}${inner}lifecycle {${eol}${inner}${unit}prevent_destroy = true${eol}${inner}}${eol}`;
  return { title, edits: [{ range: { start: pos, end: pos }, newText }], isPreferred: preferred };
}
