import type { HclBody, HclExpr, TerraformFile } from '../../parsers/hclAst';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { isLiteralSecretValue, isPasswordHash, isSecretName } from '../secretNames';
import { attr } from './hcl';

// A password, secret, token or key argument set to a literal string. Variables (marked
// sensitive), data sources (aws_secretsmanager_secret_version, vault_generic_secret …),
// `manage_master_user_password` and friends are the way; literals end up in every clone.

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
      if (v.type !== 'string' || !isSecretName(name) || !isLiteralSecretValue(v.value)) return;
      if (isPasswordHash(v.value)) {
        out.push({
          range: v.range,
          severity: 'warning',
          message: `\`${name}\` in ${where} is a password hash: a hash in the repository can be cracked offline, so it still belongs in a sensitive variable or secrets manager.`,
        });
        return;
      }
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
