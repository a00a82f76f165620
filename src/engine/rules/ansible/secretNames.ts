// Deciding whether a variable or argument name denotes a secret, shared by
// ansible/secret-plaintext and ansible/no-log-missing. The secret word must end the name
// (`db_password`, `api_key`, `vault_token`): `ssh_key_path`, `key_name`, `api_key_header`,
// `token_ttl` and `password_min_length` name something about a secret, not the secret.

const SECRET_WORDS = new Set([
  'password', 'passwd', 'passphrase', 'pwd', 'secret', 'token', 'apikey', 'credential', 'credentials', 'psk', 'authorization',
]);
/** `<x>_key` is a secret only for these `<x>` (`api_key`, `private_key`, `secret_key`…). */
const KEY_QUALIFIERS = new Set([
  'api', 'private', 'secret', 'access', 'encryption', 'signing', 'master', 'license', 'client', 'auth', 'shared', 'hmac',
  'ssh', 'tls', 'ssl', 'gpg', 'pgp', 'app', 'account', 'storage', 'session', 'jwt', 'webhook', 'deploy',
]);
/** `<x>_pass` is a password for these `<x>` (`ansible_become_pass`, `ansible_ssh_pass`). */
const PASS_QUALIFIERS = new Set(['ssh', 'become', 'sudo', 'su', 'db', 'admin', 'root', 'user', 'login', 'smtp', 'ldap', 'bind']);
/** Trailing words that keep the name a secret (`db_password_hash`, `api_token_value`). */
const SECRET_SUFFIXES = new Set(['value', 'plain', 'plaintext', 'raw', 'b64', 'base64', 'hash', 'hashed']);
/** Module arguments that name a secret-ish word but are settings, not secrets. */
const NOT_SECRETS = new Set(['update_password', 'password_lock', 'no_password_changes', 'token_type', 'generate_ssh_key', 'ssh_key_type', 'ssh_key_bits']);

export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function isSecretName(name: string): boolean {
  if (NOT_SECRETS.has(name.toLowerCase())) return false;
  const tokens = nameTokens(name);
  while (tokens.length > 1 && SECRET_SUFFIXES.has(tokens[tokens.length - 1])) tokens.pop();
  const last = tokens[tokens.length - 1];
  const prev = tokens[tokens.length - 2];
  if (!last) return false;
  if (SECRET_WORDS.has(last)) return true;
  if (last === 'key' && prev !== undefined && KEY_QUALIFIERS.has(prev)) return true;
  if (last === 'pass' && prev !== undefined && PASS_QUALIFIERS.has(prev)) return true;
  return false;
}

/** True when a value is a literal secret (not a template, env reference, file path or empty). */
export function isLiteralSecretValue(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const v = value.trim();
  if (v === '') return false;
  if (/\{\{|\{%/.test(v)) return false; // jinja: a lookup or another (vaulted) variable
  if (/^\$\{?[A-Za-z_]\w*\}?$/.test(v)) return false; // an environment variable reference
  if (/^(\/|~\/|\.\.?\/)\S*$/.test(v) || /^\S+\.(pem|key|crt|cer|p12|pfx|jks|pub|asc|gpg)$/i.test(v)) return false; // a file path
  if (/^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i.test(v)) return false; // a URL without credentials
  if (/^(true|false|yes|no|on|off|none|null|~)$/i.test(v)) return false;
  return true;
}
