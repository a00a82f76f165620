import type { HclBlock, TerraformFile } from '../../parsers/hclAst';
import type { RuleFinding } from '../../types';
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
    const out: RuleFinding[] = [];
    const file = ctx.parsed;
    // Canned ACLs, on the bucket (provider v3 style) or on aws_s3_bucket_acl.
    for (const b of resources(file, 'aws_s3_bucket', 'aws_s3_bucket_acl')) {
      const acl = attr(b, 'acl')?.value;
      const v = str(acl);
      if (acl && v && PUBLIC_ACLS.has(v)) {
        out.push({ range: acl.range, message: `${b.labels[0]}.${b.labels[1]} uses the ${v === 'website' ? 'ACL' : 'canned ACL'} "${v}", which opens the bucket to ${v === 'authenticated-read' ? 'any AWS account' : 'anyone on the internet'}; use "private" and grant access through a bucket policy to named principals.` });
      }
      for (const grant of [...blocksOf(b, 'grant'), ...blocksOf(blocksOf(b, 'access_control_policy')[0], 'grant')]) {
        const uri = attr(grant, 'uri') ?? attr(blocksOf(grant, 'grantee')[0], 'uri');
        const u = str(uri?.value);
        if (uri && u && PUBLIC_GRANTEES.includes(u)) {
          out.push({ range: uri.value.range, message: `${b.labels[0]}.${b.labels[1]} grants access to ${u.endsWith('AllUsers') ? 'AllUsers (anyone on the internet)' : 'AuthenticatedUsers (any AWS account)'}; remove the grant and use a bucket policy to named principals.` });
        }
      }
    }
    // Public access blocks with a protection off (the provider defaults every setting to false).
    for (const b of resources(file, 'aws_s3_bucket_public_access_block', 'aws_s3_account_public_access_block')) {
      const missing: string[] = [];
      for (const s of BLOCK_SETTINGS) {
        const a = attr(b, s);
        if (!a) missing.push(s);
        else if (isFalseExpr(a.value)) {
          out.push({ range: a.range, message: `${b.labels[0]}.${b.labels[1]} sets \`${s} = false\`, which lets the bucket be made public; set it to true.` });
        }
      }
      if (missing.length) {
        out.push({
          range: labelsRange(b),
          message: `${b.labels[0]}.${b.labels[1]} does not set ${missing.map((m) => `\`${m}\``).join(', ')} (default false), which lets the bucket be made public; set ${missing.length > 1 ? 'them' : 'it'} to true.`,
        });
      }
    }
    // Bucket policies granting everyone.
    const scope = moduleScope(ctx, posixDir(ctx.file.path));
    const docs = policyDocuments(scope);
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
          range: inThisFile ? star : a.value.range,
          message: `${b.labels[0]}.${b.labels[1]} has a bucket policy statement that allows Principal "*" without a condition, making the bucket public; name the principals (account, role, CloudFront origin access) or add a condition such as aws:SourceVpce.`,
        });
      }
    };
    for (const b of resources(file, 'aws_s3_bucket_policy')) checkPolicy(b, 'policy');
    for (const b of resources(file, 'aws_s3_bucket')) checkPolicy(b, 'policy');
    return out;
  },
};
