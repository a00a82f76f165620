import type { HclBlock, TerraformFile } from '../../parsers/hclAst';
import * as path from 'node:path';
import type { Range, RuleFinding } from '../../types';
import type { Rule } from '../types';
import {
  attr,
  blocksOf,
  isFalseExpr,
  labelsRange,
  moduleScope,
  policyDocumentRef,
  policyDocuments,
  policyDocumentStatements,
  policyStatements,
  policyValue,
  posixDir,
  publicPrincipal,
  resources,
  str,
} from './hcl';

// An S3 bucket made readable or writable by anyone: public canned ACLs, a public access block
// that leaves a protection off, or a bucket policy that grants `Principal: "*"` without conditions.

// `website` is not an S3 canned ACL, but old configurations (and some generators) write it for
// website buckets, meaning public-read.
const PUBLIC_ACLS = new Set(['public-read', 'public-read-write', 'authenticated-read', 'website']);
const PUBLIC_GRANTEES = ['http://acs.amazonaws.com/groups/global/AllUsers', 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers'];
const BLOCK_SETTINGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];

export const rule: Rule<TerraformFile> = {
  meta: {
    id: 'terraform/public-bucket',
    description: 'An S3 bucket is made public (public ACL, a public access block setting off, or a policy granting Principal "*").',
    defaultSeverity: 'error',
    profile: 'all',
    practice: 'data-protection',
    kinds: ['terraform'],
    crossFile: true,
    equivalents: [
      { tool: 'checkov', id: 'CKV_AWS_20' },
      { tool: 'checkov', id: 'CKV_AWS_57' },
      { tool: 'checkov', id: 'CKV_AWS_53' },
      { tool: 'checkov', id: 'CKV_AWS_54' },
      { tool: 'checkov', id: 'CKV_AWS_55' },
      { tool: 'checkov', id: 'CKV_AWS_56' },
      { tool: 'trivy', id: 'AVD-AWS-0086' },
      { tool: 'trivy', id: 'AVD-AWS-0087' },
      { tool: 'trivy', id: 'AVD-AWS-0091' },
      { tool: 'trivy', id: 'AVD-AWS-0092' },
      { tool: 'trivy', id: 'AVD-AWS-0093' },
    ],
  },
  check(ctx) {
    const scope = moduleScope(ctx, posixDir(ctx.file.path));
    const docs = policyDocuments(scope);
    const all = scope.files.flatMap((f) => moduleCauses(f, scope, docs).map((c) => ({ ...c, here: f === ctx.parsed })));
    let blocks: HclBlock[] | undefined;
    const moduleResources = (): HclBlock[] => (blocks ??= scope.files.flatMap((f) => f.body.blocks.filter((b) => b.type === 'resource' && b.labels.length >= 2)));
    const out: RuleFinding[] = [];
    // One decision per bucket: a public ACL or policy needs the access block's flags off, so the
    // block's settings are the same cause; a bucket served as a website (or named public) is
    // public by design: one info finding.
    const byBucket = new Map<string, Cause[]>();
    for (const c of all) if (c.bucket) byBucket.set(c.bucket, [...(byBucket.get(c.bucket) ?? []), c]);
    for (const c of all) {
      if (!c.here) continue;
      const same = c.bucket ? byBucket.get(c.bucket)! : [c];
      const grants = same.filter((x) => x.kind === 'grant');
      if (c.kind === 'block' && grants.length) continue;
      const deliberate = c.bucket ? deliberatelyPublic(moduleResources(), c.bucket, scope.dir, ctx.file.path) : undefined;
      if (deliberate) {
        const first = (grants.length ? grants : same)[0];
        if (first !== c) continue;
        out.push({
          range: c.range,
          severity: 'info',
          message: `aws_s3_bucket.${c.bucket} is public by design (${deliberate}): ${c.message.replace(/; [^;]*$/, '')}. Make sure it holds only content meant for anyone, and prefer serving it through CloudFront with origin access control.`,
        });
        continue;
      }
      out.push({ range: c.range, message: c.message });
    }
    return out;
  },
};

interface Cause {
  /** `grant`: a public ACL, grant or policy; `block`: a public access block setting off. */
  kind: 'grant' | 'block';
  bucket: string | undefined;
  range: Range;
  message: string;
}

/** The `aws_s3_bucket` a resource is about (its own label, or the one its `bucket` argument references). */
function bucketOf(b: HclBlock): string | undefined {
  if (b.labels[0] === 'aws_s3_bucket') return b.labels[1];
  return /\baws_s3_bucket\.([\w-]+)\b/.exec(attr(b, 'bucket')?.value.raw ?? '')?.[1];
}

/** Why a bucket is public by design: a website configuration, or its name, file or module says public. */
function deliberatelyPublic(blocks: HclBlock[], bucket: string, dir: string, file: string): string | undefined {
  const b = blocks.find((x) => x.labels[0] === 'aws_s3_bucket' && x.labels[1] === bucket);
  if (blocks.some((x) => x.labels[0] === 'aws_s3_bucket_website_configuration' && bucketOf(x) === bucket) || (b && blocksOf(b, 'website').length)) return 'it is served as a website';
  const says = (n: string | undefined) => !!n && /(^|[^a-z])public(?![-_ ]?access)([^a-z]|$)/i.test(n);
  if (says(bucket) || says(str(b && attr(b, 'bucket')?.value)) || says(path.posix.basename(dir)) || says(path.posix.basename(file).replace(/\.tf$/, ''))) return 'its name says public';
  return undefined;
}

/**
 * Every file of a module is read for every file of it: the causes of a file without a bucket
 * policy depend on that file alone, so they are worked out once per parse (a policy may name a
 * document or locals elsewhere in the module, so those files are read each time).
 */
const ownCauses = new WeakMap<TerraformFile, Cause[]>();

function moduleCauses(file: TerraformFile, scope: ReturnType<typeof moduleScope>, docs: Map<string, HclBlock>): Cause[] {
  const cached = ownCauses.get(file);
  if (cached) return cached;
  const causes = causesOf(file, scope, docs);
  if (!resources(file, 'aws_s3_bucket_policy', 'aws_s3_bucket').some((b) => attr(b, 'policy'))) ownCauses.set(file, causes);
  return causes;
}

function causesOf(file: TerraformFile, scope: ReturnType<typeof moduleScope>, docs: Map<string, HclBlock>): Cause[] {
  const out: Cause[] = [];
  // Canned ACLs, on the bucket (provider v3 style) or on aws_s3_bucket_acl.
  for (const b of resources(file, 'aws_s3_bucket', 'aws_s3_bucket_acl')) {
    const acl = attr(b, 'acl')?.value;
    const v = str(acl);
    if (acl && v && PUBLIC_ACLS.has(v)) {
      out.push({ kind: 'grant', bucket: bucketOf(b), range: acl.range, message: `${b.labels[0]}.${b.labels[1]} uses the ${v === 'website' ? 'ACL' : 'canned ACL'} "${v}", which opens the bucket to ${v === 'authenticated-read' ? 'any AWS account' : 'anyone on the internet'}; use "private" and grant access through a bucket policy to named principals.` });
    }
    for (const grant of [...blocksOf(b, 'grant'), ...blocksOf(blocksOf(b, 'access_control_policy')[0], 'grant')]) {
      const uri = attr(grant, 'uri') ?? attr(blocksOf(grant, 'grantee')[0], 'uri');
      const u = str(uri?.value);
      if (uri && u && PUBLIC_GRANTEES.includes(u)) {
        out.push({ kind: 'grant', bucket: bucketOf(b), range: uri.value.range, message: `${b.labels[0]}.${b.labels[1]} grants access to ${u.endsWith('AllUsers') ? 'AllUsers (anyone on the internet)' : 'AuthenticatedUsers (any AWS account)'}; remove the grant and use a bucket policy to named principals.` });
      }
    }
  }
  // Public access blocks with protections off (the provider defaults every setting to false): one
  // finding per block, on the first setting that is off.
  for (const b of resources(file, 'aws_s3_bucket_public_access_block', 'aws_s3_account_public_access_block')) {
    const off = BLOCK_SETTINGS.filter((s) => attr(b, s) && isFalseExpr(attr(b, s)!.value));
    const missing = BLOCK_SETTINGS.filter((s) => !attr(b, s));
    if (!off.length && !missing.length) continue;
    const list = (l: string[]) => l.map((m) => `\`${m}\``).join(', ');
    const what = [off.length ? `sets ${list(off)} to false` : undefined, missing.length ? `does not set ${list(missing)} (default false)` : undefined].filter(Boolean).join(' and ');
    const n = off.length + missing.length;
    out.push({
      kind: 'block',
      bucket: bucketOf(b),
      range: off.length ? attr(b, off[0])!.range : labelsRange(b),
      message: `${b.labels[0]}.${b.labels[1]} ${what}, which lets the bucket be made public; set ${n > 1 ? 'them' : 'it'} to true.`,
    });
  }
  // Bucket policies granting everyone.
  const checkPolicy = (b: HclBlock, policyAttr: string): void => {
    const a = attr(b, policyAttr);
    if (!a) return;
    const docName = policyDocumentRef(a.value);
    const statements = docName ? (docs.get(docName) ? policyDocumentStatements(docs.get(docName)!) : []) : policyStatements(policyValue(a.value, file.lines, scope));
    for (const s of statements) {
      if (s.effect !== 'Allow' || s.hasCondition) continue;
      const star = publicPrincipal(s.principal);
      if (!star) continue;
      // A document in another file of the module: the finding goes on this file's `policy` value.
      const inThisFile = !docName || file.body.blocks.includes(docs.get(docName)!);
      out.push({
        kind: 'grant',
        bucket: bucketOf(b),
        range: inThisFile ? star : a.value.range,
        message: `${b.labels[0]}.${b.labels[1]} has a bucket policy statement that allows Principal "*" without a condition, making the bucket public; name the principals (account, role, CloudFront origin access) or add a condition such as aws:SourceVpce.`,
      });
    }
  };
  for (const b of resources(file, 'aws_s3_bucket_policy')) checkPolicy(b, 'policy');
  for (const b of resources(file, 'aws_s3_bucket')) checkPolicy(b, 'policy');
  return out;
}
