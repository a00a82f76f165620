import type { HclBody, HclExpr, TerraformFile } from '../../parsers/hclAst';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { isLiteralSecretValue, isNotSecretValueFor, isPasswordHash, isSecretName, secretEvidence } from '../secretNames';
import { attr } from './hcl';
import { throwAwaySample } from '../../nonProduction';

/** Units and words a setting takes (`access_token = "minutes"` is the unit of a token's validity). */
const SETTING_WORDS = /^(seconds?|minutes?|hours?|days?|weeks?|months?|years?|ms|default|custom|standard|basic|bearer|jwt|opaque|plain|plaintext|text|string|securestring|hmac|sha\d*|md5|aes\d*|rsa\d*)$/i;
/** A variable described as the name, key, path or ARN of a secret (where it is stored), not its value. */
const REFERENCE_DESCRIPTION = /\b(?:the\s+)?(?:name|path|arn|identifier|location|prefix)\s+(?:of|for|to|under|in|where)\b|\b(?:ssm|parameter store|secrets? manager|vault)\s+(?:key|path|parameter|name)\b/i;

/**
 * A literal under a secret's name that is not a secret: a unit or setting word, a value that says
 * it is an example (`AKIAIOSFODNN7EXAMPLE`), the name of a secret (`spotinst_token`) or a path to
 * one in a parameter store (`admin/db_password`), or the default of a variable whose description
 * says it holds such a name, key or path.
 */
function notASecret(name: string, value: string, description?: string): boolean {
  const v = value.trim();
  if (SETTING_WORDS.test(v) || /example/i.test(v)) return true;
  // A reference another tool resolves (Argo CD notifications' `$slack-token`, a `$secret:key`).
  if (/^\$[A-Za-z_][\w.:-]*$/.test(v)) return true;
  // An identifier that itself names a secret (`spotinst_token`), or a path of such names (`admin/db_password`).
  const segments = v.replace(/^\//, '').split('/');
  if (segments.length === 1 && /^[a-z]+([_.-][a-z]+)+$/.test(v) && isSecretName(v)) return true;
  if (segments.length >= 2 && segments.every((s) => /^[a-z0-9_.-]+$/.test(s)) && isSecretName(segments[segments.length - 1])) return true;
  if (description && REFERENCE_DESCRIPTION.test(description)) return true;
  // `ssm_path_password`, `secret_name_token`: the name says the value is where the secret is.
  return /(^|_)(name|path|arn|ssm|parameter|param)_/.test(name.toLowerCase()) && /^[a-z0-9_./-]+$/.test(v) && /[/_]/.test(v);
}

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
    credentialsOnlyOffProduction: true,
    equivalents: [
      { tool: 'checkov', id: 'CKV_AWS_41' },
      { tool: 'checkov', id: 'CKV_SECRET_6' },
    ],
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    const vars = ctx.file.kind === 'terraform-vars';
    const visitValue = (name: string, v: HclExpr, where: string, about?: string): void => {
      if (v.type === 'object') {
        for (const it of v.items) visitValue(it.key, it.value, where, about);
        return;
      }
      if (v.type === 'tuple') {
        for (const it of v.items) if (it.type === 'object') visitValue(name, it, where, about);
        return;
      }
      // `secret_string = jsonencode({ password = "…" })`, `environment = merge(…, { API_TOKEN = "…" })`
      if (v.type === 'call' && ENCODERS.has(v.name)) {
        for (const a of v.args) visitValue(name, a, where, about);
        return;
      }
      if (v.type !== 'string' || !isSecretName(name) || !isLiteralSecretValue(v.value)) return;
      if (notASecret(name, v.value, about) || isNotSecretValueFor(name, v.value) || throwAwaySample(ctx.file, ctx.config, ctx.index, v.value, name)) return;
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
        ...secretEvidence(v.value),
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
          const description = attr(b, 'description')?.value;
          if (def && b.labels[0]) visitValue(b.labels[0], def.value, `variable "${b.labels[0]}"`, description?.type === 'string' ? description.value : undefined);
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
