import type { HclAttribute, HclBlock, TerraformFile } from '../../parsers/hclAst';
import type { Fix, RuleFinding } from '../../types';
import type { Rule } from '../types';
import { appendToBlockEdit, attr, blocksOf, isFalseExpr, isTrueExpr, labelsRange, posixDir, resources, str, TfContext } from './hcl';
import { moduleResources } from './moduleFacts';

// Storage without encryption at rest: EBS volumes, RDS instances and clusters. S3 has encrypted
// every object (SSE-S3) since January 2023, so a bucket without an encryption configuration is not
// stored in the clear; whether the configuration must say so (SSE-KMS with a customer-managed key
// for sensitive data) is a policy the team opts into with `terraform.s3EncryptionConfig`.

export const rule: Rule<TerraformFile> = {
  meta: {
    id: 'terraform/unencrypted-storage',
    description: 'A storage resource (EBS volume, RDS instance or cluster) is not encrypted at rest; S3 buckets without an encryption configuration only under `terraform.s3EncryptionConfig`.',
    defaultSeverity: 'warning',
    practice: 'encryption-at-rest',
    kinds: ['terraform'],
    fixable: true,
    crossFile: true,
    equivalents: [
      { tool: 'checkov', id: 'CKV_AWS_3' },
      { tool: 'checkov', id: 'CKV_AWS_16' },
      { tool: 'checkov', id: 'CKV_AWS_19' },
      { tool: 'checkov', id: 'CKV_AWS_145' },
      { tool: 'trivy', id: 'AVD-AWS-0026' },
      { tool: 'trivy', id: 'AVD-AWS-0080' },
      { tool: 'trivy', id: 'AVD-AWS-0079' },
      { tool: 'trivy', id: 'AVD-AWS-0088' },
    ],
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    const file = ctx.parsed;
    const dir = posixDir(ctx.file.path);
    const ebsDefault = moduleResources(ctx, dir, ['aws_ebs_encryption_by_default']).some((b) => b.labels[0] === 'aws_ebs_encryption_by_default' && (!attr(b, 'enabled') || isTrueExpr(attr(b, 'enabled')!.value)));

    const flag = (b: HclBlock, argName: string, what: string): void => {
      const a = attr(b, argName);
      if (a && !isFalseExpr(a.value)) return; // true, or an expression we cannot judge
      out.push({
        range: a ? a.range : labelsRange(b),
        message: `${b.labels[0]}.${b.labels[1]} ${a ? `sets \`${argName} = false\`` : `does not set \`${argName}\``}: the ${what} is stored unencrypted; set \`${argName} = true\` (optionally with a customer-managed \`kms_key_id\`). Encryption cannot be switched on in place: plan a replacement or a snapshot copy.`,
        fixes: [setTrueFix(ctx, b, argName, a)].filter((f): f is Fix => !!f),
      });
    };

    if (!ebsDefault) for (const b of resources(file, 'aws_ebs_volume')) if (!attr(b, 'snapshot_id')) flag(b, 'encrypted', 'volume');
    for (const b of resources(file, 'aws_db_instance')) {
      // Replicas and Aurora members inherit encryption from their source / cluster.
      if (attr(b, 'replicate_source_db') || str(attr(b, 'engine')?.value)?.startsWith('aurora')) continue;
      flag(b, 'storage_encrypted', 'database storage');
    }
    for (const b of resources(file, 'aws_rds_cluster')) {
      if (str(attr(b, 'engine_mode')?.value) === 'serverless') continue; // always encrypted
      if (attr(b, 'replication_source_identifier') || attr(b, 'snapshot_identifier')) continue;
      flag(b, 'storage_encrypted', 'cluster storage');
    }

    // S3: an encryption configuration for the bucket anywhere in the module.
    const sse = moduleResources(ctx, dir, ['aws_s3_bucket_server_side_encryption_configuration']);
    const covered = new Set<string>();
    let unknown = false;
    for (const c of sse) {
      const v = attr(c, 'bucket')?.value;
      const m = v?.type === 'reference' ? /^aws_s3_bucket\.([\w-]+)\.(id|bucket)$/.exec(v.path) : null;
      if (m) covered.add(m[1]);
      else unknown = true;
    }
    if (!unknown && ctx.config.terraform.s3EncryptionConfig) {
      for (const b of resources(file, 'aws_s3_bucket')) {
        if (covered.has(b.labels[1]) || blocksOf(b, 'server_side_encryption_configuration').length) continue;
        // The data is not stored in the clear (SSE-S3), the configuration just does not say how:
        // hence a milder severity, under a policy the team chose.
        out.push({
          range: labelsRange(b),
          severity: 'info',
          message: `aws_s3_bucket.${b.labels[1]} has no server-side encryption configuration in this module, so it gets S3's default SSE-S3 (AWS-managed keys, no key policy, no separate audit trail); add an aws_s3_bucket_server_side_encryption_configuration, with SSE-KMS and a customer-managed key for sensitive data, so the encryption is explicit and reviewable.`,
        });
      }
    }
    return out;
  },
};

function setTrueFix(ctx: TfContext, b: HclBlock, argName: string, existing: HclAttribute | undefined): Fix | undefined {
  if (existing) return { title: `Set ${argName} = true`, edits: [{ range: existing.value.range, newText: 'true' }], isPreferred: true };
  const edit = appendToBlockEdit(ctx.parsed.lines, b, [`${argName} = true`]);
  return edit ? { title: `Set ${argName} = true`, edits: [edit], isPreferred: true } : undefined;
}
