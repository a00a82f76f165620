import type { HclBody, HclExpr, TerraformFile } from '../../parsers/hclAst';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { attr } from './hcl';

// A password, secret, token or key argument set to a literal string. Variables (marked
// sensitive), data sources (aws_secretsmanager_secret_version, vault_generic_secret …),
// `manage_master_user_password` and friends are the way; literals end up in every clone.

/** Names whose last word is a secret word. */
const SECRET_NAME = /(^|[_-])(password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|secret[_-]?key|private[_-]?key|client[_-]?secret|auth[_-]?token|credentials?|master[_-]?password|secret[_-]?string)$/i;
/** Names that end in a secret word but are not secrets. */
const NOT_SECRET = /^(public[_-]?key|(creation|idempotency|client)[_-]?token|key[_-]?name|kms[_-]?key[_-]?id|token[_-]?endpoint|secret[_-]?name|secret[_-]?arn|ssh[_-]?public[_-]?key)$/i;
/** Values that are references to a secret store, not secrets. */
const STORE_REF = /^(arn:aws[\w-]*:(secretsmanager|ssm|kms):|\{\{resolve:(secretsmanager|ssm-secure|ssm):|vault:|projects\/[^/]+\/secrets\/|https:\/\/[\w-]+\.vault\.azure\.net\/)/i;

/** Calls whose arguments end up in the value as they are. */
const ENCODERS = new Set(['jsonencode', 'yamlencode', 'merge', 'tomap', 'sensitive', 'nonsensitive', 'base64encode']);

export const rule: Rule<TerraformFile> = {
  meta: {
    id: 'terraform/hardcoded-secret',
    description: 'A password, secret, token or key argument is set to a literal string instead of a variable, data source or secrets-manager reference.',
    defaultSeverity: 'error',
    practice: 'secrets-management',
    kinds: ['terraform', 'terraform-vars'],
    equivalents: [
      { tool: 'checkov', id: 'CKV_AWS_41' },
      { tool: 'checkov', id: 'CKV_SECRET_6' },
    ],
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    const vars = ctx.file.kind === 'terraform-vars';
    const visitValue = (name: string, v: HclExpr, where: string): void => {
      if (v.type === 'object') {
        for (const it of v.items) visitValue(it.key, it.value, where);
        return;
      }
      if (v.type === 'tuple') {
        for (const it of v.items) if (it.type === 'object') visitValue(name, it, where);
        return;
      }
      // `secret_string = jsonencode({ password = "…" })`, `environment = merge(…, { API_TOKEN = "…" })`
      if (v.type === 'call' && ENCODERS.has(v.name)) {
        for (const a of v.args) visitValue(name, a, where);
        return;
      }
      if (v.type !== 'string' || !isSecretName(name) || !looksLikeSecret(v.value)) return;
      out.push({
        range: v.range,
        message: vars
          ? `\`${name}\` is set to a literal secret in a .tfvars file; pass it from the environment (TF_VAR_${name}) or a secrets manager in CI, keep the variable \`sensitive = true\`, and rotate the value.`
          : `\`${name}\` in ${where} is set to a literal string; read it from a sensitive variable, a secrets-manager or Vault data source (or let the service manage it, e.g. \`manage_master_user_password = true\`), and rotate the value.`,
      });
    };
    const visitBody = (body: HclBody, where: string): void => {
      for (const a of body.attributes) visitValue(a.name, a.value, where);
      for (const b of body.blocks) {
        if (b.type === 'variable') {
          // `variable "db_password" { default = "…" }`
          const def = attr(b, 'default');
          if (def && b.labels[0]) visitValue(b.labels[0], def.value, `variable "${b.labels[0]}"`);
          continue;
        }
        // Nested blocks (provider settings, `environment { variables = {…} }`, connection …) keep the outer name.
        visitBody(b, b.type === 'resource' || b.type === 'data' ? `${b.type === 'data' ? 'data.' : ''}${b.labels.join('.')}` : b.type === 'provider' || b.type === 'module' ? `${b.type} "${b.labels[0] ?? ''}"` : b.type === 'locals' ? 'locals' : where);
      }
    };
    visitBody(ctx.parsed.body, 'this file');
    return out;
  },
};

export function isSecretName(name: string): boolean {
  const n = name.trim();
  return SECRET_NAME.test(n) && !NOT_SECRET.test(n);
}

function looksLikeSecret(value: string): boolean {
  const v = value.trim();
  if (!v) return false;
  if (STORE_REF.test(v)) return false;
  // file paths and bare URLs without credentials are not the secret itself
  if (/^(\.{0,2}\/|~\/)[^\s]*$/.test(v)) return false;
  if (/^https?:\/\/[^@\s]+$/.test(v)) return false;
  if (/^[\w.-]+\.(json|pem|key|crt|p12|pfx)$/i.test(v)) return false;
  return true;
}
