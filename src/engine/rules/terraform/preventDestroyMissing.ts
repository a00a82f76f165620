import type { HclBlock, TerraformFile } from '../../parsers/hclAst';
import type { Fix, RuleFinding } from '../../types';
import type { Rule } from '../types';
import { attr, blocksOf, isStateLockTable, str, indentOf, indentUnit, isFalseExpr, isReusableModule, isTrueExpr, labelsRange, moduleScope, posixDir, resources, TfContext } from './hcl';

// Stateful resources (databases, buckets, volumes, keys, tables) can be destroyed by a plan that
// renames or replaces them. `lifecycle { prevent_destroy = true }` or the service's own deletion
// protection turns that into an error instead of data loss. Root modules only: `lifecycle` cannot
// take a variable, so a reusable module (called by another module of the workspace, or not set up
// to be applied on its own) cannot decide it for its callers' data.

/**
 * The provider's own guard against deleting a resource's data, per type:
 * - `protection`: a deletion-protection switch (`deletion_protection = true`), with its default;
 * - `keepsContents`: an argument that, while false (its default), makes the provider refuse to
 *   delete a container that still holds data (`force_destroy` on buckets,
 *   `delete_contents_on_destroy` on BigQuery datasets): a plan that replaces a bucket holding
 *   objects fails instead of emptying it, so only `= true` loses data;
 * - `finalSnapshot`: for types without a deletion-protection switch, a final snapshot taken on
 *   deletion keeps the data (Redshift, ElastiCache, EBS volumes). Where the service has a switch
 *   (RDS, DocumentDB, Neptune), the switch is asked for: a final snapshot keeps a copy, but the
 *   replacement starts empty and restoring takes hours.
 * `deletion_window_in_days` (KMS) is a grace period, not protection.
 */
interface Guards {
  protection?: { arg: string; defaultOn: boolean };
  keepsContents?: string;
  finalSnapshot?: (b: HclBlock) => boolean;
}

/** Names of buckets whose contents are disposable or rebuilt by design (`build_cache`, `tmp-uploads`, `ci-scratch`, `delivery_artifacts`). */
const DISPOSABLE = /(^|[-_.])(cache|caches|tmp|temp|scratch|artifact|artifacts)([-_.]|$)/i;

/** `final_snapshot_identifier` set and `skip_final_snapshot` not true. */
const snapshotIdentifier = (b: HclBlock): boolean => !!attr(b, 'final_snapshot_identifier') && !isTrueExpr(attr(b, 'skip_final_snapshot')?.value);

const STATEFUL: Record<string, Guards> = {
  aws_db_instance: { protection: { arg: 'deletion_protection', defaultOn: false } },
  aws_rds_cluster: { protection: { arg: 'deletion_protection', defaultOn: false } },
  aws_docdb_cluster: { protection: { arg: 'deletion_protection', defaultOn: false } },
  aws_neptune_cluster: { protection: { arg: 'deletion_protection', defaultOn: false } },
  aws_dynamodb_table: { protection: { arg: 'deletion_protection_enabled', defaultOn: false } },
  aws_s3_bucket: { keepsContents: 'force_destroy' },
  aws_ebs_volume: { finalSnapshot: (b) => isTrueExpr(attr(b, 'final_snapshot')?.value) },
  aws_efs_file_system: {},
  aws_kms_key: {},
  aws_redshift_cluster: { finalSnapshot: snapshotIdentifier },
  aws_elasticache_replication_group: { finalSnapshot: (b) => !!attr(b, 'final_snapshot_identifier') },
  google_sql_database_instance: { protection: { arg: 'deletion_protection', defaultOn: true } },
  google_spanner_database: { protection: { arg: 'deletion_protection', defaultOn: true } },
  google_bigtable_instance: { protection: { arg: 'deletion_protection', defaultOn: true } },
  google_storage_bucket: { keepsContents: 'force_destroy' },
  google_compute_disk: {},
  google_bigquery_dataset: { keepsContents: 'delete_contents_on_destroy' },
  azurerm_storage_account: {},
  azurerm_managed_disk: {},
  azurerm_cosmosdb_account: {},
  azurerm_mssql_database: {},
  azurerm_mssql_server: {},
  azurerm_postgresql_flexible_server: {},
  azurerm_mysql_flexible_server: {},
  azurerm_postgresql_server: {},
  azurerm_mysql_server: {},
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
      if (!isStateful(b.labels[0]) || isStateLockTable(b)) continue;
      const spec: Guards = STATEFUL[b.labels[0]] ?? {};
      const lifecycle = blocksOf(b, 'lifecycle')[0];
      const pd = lifecycle ? attr(lifecycle, 'prevent_destroy') : undefined;
      if (pd && !isFalseExpr(pd.value)) continue;
      const name = `${b.labels[0]}.${b.labels[1]}`;
      // Buckets and datasets: the provider refuses to delete one that holds data unless told to.
      if (spec.keepsContents) {
        const arg = attr(b, spec.keepsContents);
        if (!arg || !isTrueExpr(arg.value)) continue; // unset or false keeps the data; a variable is decided elsewhere
        // A cache or scratch bucket emptied on purpose: its name says the contents are disposable.
        if ([b.labels[1], str(attr(b, 'bucket')?.value), str(attr(b, 'name')?.value)].some((n) => !!n && DISPOSABLE.test(n))) continue;
        out.push({
          range: labelsRange(b),
          message: `${name} holds data and \`${spec.keepsContents} = true\` deletes it with the resource: a plan that renames or replaces it empties it without asking. Set \`${spec.keepsContents} = false\` (the provider then refuses to delete it while it holds data), or add \`lifecycle { prevent_destroy = true }\`.`,
          fixes: [
            { title: `Set ${spec.keepsContents} = false`, edits: [{ range: arg.value.range, newText: 'false' }], isPreferred: true },
            fix(ctx, b, lifecycle, pd, false),
          ].filter((f): f is Fix => !!f),
        });
        continue;
      }
      if (spec.finalSnapshot?.(b)) continue;
      const protection = spec.protection?.arg;
      const prot = protection ? attr(b, protection) : undefined;
      if (prot && isTrueExpr(prot.value)) continue;
      // `deletion_protection = var.x`: the value is decided elsewhere
      if (prot && !isFalseExpr(prot.value)) continue;
      // Google's deletion_protection defaults to true.
      if (!prot && spec.protection?.defaultOn) continue;
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
