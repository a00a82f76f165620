import { highEntropy, isCredentialShaped } from '../nonProduction';
// One answer, for every rule pack, to "does this name denote a secret?" and "is this value the
// secret itself?". Names are split into words (snake_case, kebab-case, camelCase, and
// concatenations of a known secret word such as `dbpassword`, `upassword`, `clientsecret`); the
// secret word must end the name: `password_length`, `token_url`, `secret_name`, `key_id`,
// `ssh_key_path` name something about a secret, not the secret.

/** Words that are a secret on their own (`password`, `db_password`, `vault_token`). */
const SECRET_WORDS = new Set([
  'password', 'passwd', 'passphrase', 'pwd', 'secret', 'token', 'apikey', 'credential', 'credentials', 'psk', 'authorization',
]);

/** Secret words long enough to be found at the end of a concatenated word (`dbpassword`, `upassword`). */
const CONCAT_SECRET_WORDS = ['password', 'passwd', 'passphrase', 'secret', 'apikey'];
/** Concatenated `<qualifier>key` / `<qualifier>token` forms that are secrets (`secretkey`, `authtoken`). */
const CONCAT_WHOLE: Record<string, string[]> = {
  apikey: ['api', 'key'], accesskey: ['access', 'key'], secretkey: ['secret', 'key'], privatekey: ['private', 'key'],
  authtoken: ['auth', 'token'], accesstoken: ['access', 'token'], refreshtoken: ['refresh', 'token'], bearertoken: ['bearer', 'token'],
  apitoken: ['api', 'token'], clientsecret: ['client', 'secret'],
};
/** Concatenations that end in a secret word but mean something else. */
const NOT_CONCAT = new Set(['nosecret', 'nopassword', 'haspassword', 'usepassword', 'passwordless']);

/** `<x>_key` is a secret only for these `<x>` (`api_key`, `private_key`, `aws_secret_access_key`). */
const KEY_QUALIFIERS = new Set([
  'api', 'private', 'secret', 'access', 'encryption', 'signing', 'master', 'license', 'client', 'auth', 'shared', 'hmac',
  'tls', 'ssl', 'gpg', 'pgp', 'app', 'account', 'storage', 'session', 'jwt', 'webhook', 'sas', 'subscription', 'preshared',
]);
// Not `ssh_key`, `deploy_key`, `primary_key`: most often the name of a key pair or a column.

/** `<x>_pass` is a password (`ansible_become_pass`, `nsc_pass`), except for these `<x>` (a pass of a process). */
const NOT_PASS_QUALIFIERS = new Set([
  'by', 'first', 'second', 'third', 'last', 'next', 'single', 'multi', 'double', 'one', 'two', 'over', 'sub', 'test', 'tests',
  'check', 'checks', 'health', 'render', 'compile', 'build', 'lint', 'boarding', 'hall', 'mountain', 'free', 'must', 'should',
]);

/** `<x>_token` that are request ids or cursors, not credentials (`idempotency_token`, `next_token`). */
const NOT_TOKEN_QUALIFIERS = new Set([
  'creation', 'idempotency', 'client', 'request', 'next', 'page', 'pagination', 'continuation', 'sync', 'cancel', 'cancellation',
  'csrf_header', 'lexer', 'parser', 'max', 'min', 'num', 'count', 'start', 'end', 'stop', 'bos', 'eos', 'pad', 'unk',
]);

/** `<x>_secret` that name a Kubernetes Secret object, not its contents (`image_pull_secret: regcred`). */
const SECRET_OBJECT_QUALIFIERS = new Set(['pull', 'existing', 'k8s', 'kube', 'kubernetes', 'sealed', 'external', 'config', 'tls', 'cert', 'env', 'from', 'ref']);

/** Trailing words that keep the name a secret (`db_password_hash`, `api_token_value`, `secret_string`). */
const SECRET_SUFFIXES = new Set(['value', 'plain', 'plaintext', 'raw', 'b64', 'base64', 'hash', 'hashed', 'string', 'binary', 'literal', 'clear', 'cleartext', 'pem', 'wo']);

/** Leading words that make the name a setting about secrets (`no_password`, `generate_ssh_key`, `update_password`). */
const SETTING_PREFIXES = new Set([
  'no', 'use', 'has', 'generate', 'update', 'expire', 'allow', 'enable', 'disable', 'require', 'reset', 'rotate', 'create',
  'manage', 'show', 'hide', 'prompt', 'ask', 'empty', 'random', 'forgot', 'change', 'is', 'with', 'without', 'validate',
  'persist', 'skip', 'get', 'save', 'send', 'check', 'encrypt', 'mask', 'redact', 'inherit',
]);
/** Whole names that are secrets although their last word is not (`secret_key_base`). */
const SECRET_NAMES = new Set(['secret_key_base']);

/** Whole names that look like secrets but are settings of well-known modules and resources. */
const NOT_SECRET_NAMES = new Set(['password_lock', 'no_password_changes', 'token_type', 'ssh_key_type', 'ssh_key_bits', 'key_name', 'secret_name', 'public_key', 'ssh_public_key']);

/**
 * Tokens that tools document as identifiers, not credentials: etcd's `--initial-cluster-token`
 * (`etcd_initial_cluster_token`) keeps two clusters from joining each other by mistake, and is
 * printed in its logs and member list.
 */
const IDENTIFIER_TOKENS = /(^|_)initial_cluster_token$/;

/** Splits a name into lowercase words: `dbPassword` / `db-password` / `DB_PASSWORD` / `dbpassword` -> `db`, `password`. */
export function nameTokens(name: string): string[] {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return words.flatMap(splitConcatenated);
}

function splitConcatenated(raw: string): string[] {
  // `password2`, `token1`: a numbered secret is still a secret.
  const word = /(password|passwd|pass|pwd|secret|token|key)\d+$/.test(raw) ? raw.replace(/\d+$/, '') : raw;
  if (NOT_CONCAT.has(word)) return [word];
  if (CONCAT_WHOLE[word]) return CONCAT_WHOLE[word];
  for (const s of CONCAT_SECRET_WORDS) {
    if (word.length > s.length && word.endsWith(s)) {
      const head = word.slice(0, -s.length);
      return [...(CONCAT_WHOLE[head] ?? [head]), s];
    }
  }
  // `<x>pass` only for short, known prefixes (`dbpass`, `rootpass`): `bypass`, `compass` are words.
  const pass = /^(db|root|admin|user|sudo|become|ssh|login|mysql|pg|smtp|ldap|bind|store|key|trust|u)(pass|pwd)$/.exec(word);
  if (pass) return [pass[1], 'pass'];
  return [word];
}

/** True when the name denotes a secret value (a password, token, key or credential). */
export function isSecretName(name: string): boolean {
  const lower = name.trim().toLowerCase().replace(/-/g, '_');
  if (NOT_SECRET_NAMES.has(lower) || IDENTIFIER_TOKENS.test(lower)) return false;
  if (SECRET_NAMES.has(lower)) return true;
  const tokens = nameTokens(name);
  // `password2`, `db_password_1`, `smtp_password_v4`: a numbered secret is still a secret.
  while (tokens.length > 1 && (SECRET_SUFFIXES.has(tokens[tokens.length - 1]) || /^v?\d+$/.test(tokens[tokens.length - 1]))) tokens.pop();
  if (tokens.length > 1 && SETTING_PREFIXES.has(tokens[0])) return false;
  const last = tokens[tokens.length - 1];
  const prev = tokens[tokens.length - 2];
  if (!last) return false;
  if (last === 'token') return prev === undefined || !NOT_TOKEN_QUALIFIERS.has(prev);
  if (last === 'secret') return prev === undefined || !SECRET_OBJECT_QUALIFIERS.has(prev);
  if (SECRET_WORDS.has(last)) return true;
  if (last === 'key') return prev !== undefined && (KEY_QUALIFIERS.has(prev) || (prev === 'access' && tokens[tokens.length - 3] === 'secret'));
  if (last === 'pass') return prev !== undefined && !NOT_PASS_QUALIFIERS.has(prev);
  return false;
}

/** A crypt(3) hash (`$1$…` MD5, `$5$`/`$6$` SHA, `$2b$` bcrypt, `$y$` yescrypt, `$argon2id$`). */
export function isPasswordHash(value: string): boolean {
  return /^\$(1|2[abxy]?|5|6|7|y|gy|sha1|md5|argon2(i|d|id))\$[^\s$]*\$?\S*$/.test(value.trim());
}

/**
 * True when a value is a literal secret: not a template or variable reference, not a file path,
 * URL or reference into a secrets store, not a boolean, an enum word or a placeholder for "none".
 */
export function isLiteralSecretValue(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && String(Math.abs(value)).length >= 4;
  if (typeof value !== 'string') return false;
  const v = value.trim();
  if (v === '') return false;
  if (/\{\{|\{%/.test(v)) return false; // jinja: a lookup or another (vaulted) variable
  if (/\$\{[^}]+\}/.test(v) || /^\$[A-Za-z_]\w*$/.test(v)) return false; // a shell/Terraform/old-Ansible reference
  if (/^(\/|~\/|\.\.?\/)\S*$/.test(v) || /^\S+\.(pem|key|crt|cer|p12|pfx|jks|pub|asc|gpg|json|txt)$/i.test(v)) return false; // a file path
  if (/^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i.test(v)) return false; // a URL without credentials
  if (/^(arn:aws[\w-]*:(secretsmanager|ssm|kms):|\{\{resolve:|vault:|projects\/[^/]+\/secrets\/|https:\/\/[\w-]+\.vault\.azure\.net\/)/i.test(v)) return false; // a secrets-store reference
  if (/^(true|false|yes|no|on|off|none|null|nil|~|undefined|disabled|enabled|required|optional|auto|random|prompt)$/i.test(v)) return false;
  if (/^[!*]+$/.test(v)) return false; // a locked or disabled account (`password: '!'`), not a password
  if (/^(\{\s*\}|\[\s*\]|""|'')$/.test(v)) return false; // an empty JSON object or list: a seed, no secret in it
  if (/^(%[a-zA-Z]|[:@/ -])+$/.test(v) && v.includes('%')) return false; // a format placeholder (`%p`: the user's own password, filled in at run time)
  if (/^\{[A-Z][A-Z0-9-]*\}$/.test(v)) return false; // a hash scheme's name (`{CRYPT}`, `{SSHA}`), not a hash
  if (/(^|[^A-Za-z])(TODO|FIXME|TBD)([^A-Za-z]|$)/.test(v) || /^lookup\b/.test(v)) return false; // a marker to fill in, or an unrendered lookup expression
  if (/^[A-Z]+(_[A-Z]+)*$/.test(v) && v.length > 1) return false; // an enum such as `NONE`, `AWS_IAM`
  if (/^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-\S+|sk-\S+@openssh\.com) /.test(v) || /^-----BEGIN (PUBLIC KEY|CERTIFICATE|SSH2 PUBLIC KEY)/.test(v)) return false; // public key material
  return true;
}

/** Extensions of files that hold keys, certificates and credentials: the value names the file. */
const KEY_FILE_EXTENSION = /\.(pem|key|crt|cer|csr|der|p12|pfx|jks|keystore|truststore|pub|asc|gpg|kdbx|json|txt|conf|cfg|ini|ya?ml|env|j2|tpl)$/i;
/** Variable names that hold a location (`tls_key_path`, `cert_dir`, `password_file`, `item.key_file`). */
const PATH_VARIABLE = /(^|[_.])(path|paths|dir|directory|folder|file|filename|files|location|dest|src)$/i;

/**
 * True when a value is where a secret is kept, not the secret: a file path (`/etc/ssl/private/api.key`,
 * `~/.ssh/id_ed25519`, `files/tls.key`, `{{ cert_dir }}/{{ inventory_hostname }}.pem`) or a
 * template of one variable named for a location (`{{ tls_key_path }}`, `{{ item.key_file }}`).
 * A lookup that reads the file (`{{ lookup('file', 'tls.key') }}`) is the secret itself, and a
 * base64 string with slashes (an AWS secret access key) is not a path.
 */
export function isPathValue(value: string): boolean {
  const v = value.trim().replace(/^(["'])(.*)\1$/s, '$2').trim();
  if (!v || /\s/.test(v.replace(/\{\{.*?\}\}/g, 'X'))) return false;
  const whole = /^\{\{-?\s*([A-Za-z_][\w.]*(?:\[['"]?\w+['"]?\])*)\s*(\|\s*(default|d|quote|string|trim|expanduser|realpath|basename)\b[^}]*)?-?\}\}$/.exec(v);
  if (whole) return PATH_VARIABLE.test(whole[1].replace(/\[['"]?(\w+)['"]?\]/g, '.$1'));
  // Templates that read or generate something are content, not a location.
  if (/\{\{[^}]*\b(lookup|query|q|password_hash|b64decode|vault|from_json|hashi_vault)\b/.test(v)) return false;
  const shape = v.replace(/\{\{.*?\}\}/g, 'x');
  if (!/^[\w.@+~%-]*(\/[\w.@+%-]*)*$/.test(shape)) return false;
  const segments = shape.split('/').filter(Boolean);
  // A base64 secret may hold slashes: a long mixed-case segment with digits is not a folder name.
  if (segments.some((s) => s.length >= 16 && /[a-z]/.test(s) && /[A-Z]/.test(s) && /\d/.test(s))) return false;
  const templated = v.includes('{{');
  if (/^(\/|~\/|\.\.?\/)/.test(shape) && segments.length >= (templated ? 1 : 2)) return true;
  if (templated && shape.includes('/')) return true; // `{{ pki_dir }}/server.key`
  return KEY_FILE_EXTENSION.test(shape) && (shape.includes('/') || /^[\w.@+-]+$/.test(shape));
}

/**
 * True when the name denotes a credential a provider issues (an API key or token, an access key, a
 * client secret), as opposed to one the owner chooses (a password, a passphrase, a signing secret).
 * A dummy word there (`test`, `changeme`) cannot be a working credential; a chosen password of the
 * same word is a weak password that works.
 */
export function isIssuedCredentialName(name: string): boolean {
  if (!isSecretName(name)) return false;
  const tokens = nameTokens(name);
  while (tokens.length > 1 && (SECRET_SUFFIXES.has(tokens[tokens.length - 1]) || /^v?\d+$/.test(tokens[tokens.length - 1]))) tokens.pop();
  const last = tokens[tokens.length - 1];
  const prev = tokens[tokens.length - 2];
  if (last === 'token' || last === 'apikey') return true;
  if (last === 'key') return prev !== undefined && ['api', 'access', 'secret', 'license', 'subscription', 'account', 'storage', 'sas', 'client', 'app'].includes(prev);
  if (last === 'secret') return prev !== undefined && ['client', 'consumer', 'app', 'api', 'oauth'].includes(prev);
  return false;
}

/** Words that stand in for a value: nobody's API key or token is `test` or `changeme`. */
const DUMMY_VALUE = /^(test(ing)?|foo(bar)?|bar|baz|dummy|fake|mock|change[-_ ]?me|example|sample|placeholder|xx+|none|secret|token|key|api[-_]?key|abc(123)?|123(4\d*)?|0+|todo|tbd|replace[-_ ]?me|your[-_ ].*|<[^>]*>)$/i;
/** A sentence that says the value is to be set elsewhere (`Replace after build`, `set manually`). */
const PLACEHOLDER_PHRASE = /^(replace|change|set|fill|update|enter|put|insert|add|populate|overwrite|override)\b.*\s.*\b(after|later|manually|here|me|this|value|console|out of band|by hand|in)\b/i;

/** Values that stand in for a secret someone is meant to set: `changeme`, `password`, `your-token-here`. */
const PLACEHOLDER_SECRET = /^(change[-_ ]?me|change[-_ ]?it|replace[-_ ]?me|set[-_ ]?me|update[-_ ]?me|to[-_ ]?do|tbd|fixme|password|passw0rd|secret|token|example|sample|dummy|fake|placeholder|redacted|your[-_ ].*|my[-_ ]?(password|secret|token))$/i;

/**
 * True when a literal under a secret's name is not a secret after all, by what it says:
 * - with `placeholders` (where values are defaults meant to be overridden), a placeholder to be
 *   replaced (`changeme`, `password`, `your-api-token`); elsewhere `changeme` is what gets set;
 * - the name repeated (`admin_secret: 'admin_secret'`), or a label that names the thing
 *   (`ssh_signing_key: "OpenStack-SSH-Signing-Key"`, `smtp_password: "smtp password"`);
 * - for a `credential(s)` name, the name of a stored credential object (`credential: "Workshop
 *   Credential"`, `scm_credential: git`), as AWX/Automation Controller modules take it;
 * - for a GPG/PGP key, its fingerprint or key id (public, 40 or 16 hex digits).
 */
export function isNotSecretValueFor(name: string, value: unknown, opts: { placeholders?: boolean } = {}): boolean {
  if (typeof value !== 'string') return false;
  const v = value.trim();
  if (opts.placeholders && PLACEHOLDER_SECRET.test(v)) return true;
  if (PLACEHOLDER_PHRASE.test(v)) return true;
  // A provider-issued credential set to a dummy word: a placeholder, not a key that works (a
  // password of the same word is chosen, works, and is reported).
  if (DUMMY_VALUE.test(v) && isIssuedCredentialName(name)) return true;
  const nameWords = nameTokens(name);
  // A PEM block's armor (`-----BEGIN OPENSSH PRIVATE KEY-----`) is not the value echoing its name.
  const valueWords = v.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, ' ').split(/[^A-Za-z0-9]+/).filter(Boolean).flatMap((w) => nameTokens(w));
  const tail = nameWords.slice(-2);
  if (valueWords.length >= tail.length && tail.every((w) => valueWords.includes(w))) return true;
  const last = nameWords[nameWords.length - 1];
  if ((last === 'credential' || last === 'credentials') && (/\s/.test(v) || /^[a-z][a-z0-9]*([-_.][a-z0-9]+)*$/.test(v))) return true;
  if (nameWords.some((w) => w === 'gpg' || w === 'pgp') && /^(0x)?([0-9A-F]{16}|[0-9A-F]{40}|([0-9A-F]{4}\s*){10})$/i.test(v)) return true;
  return false;
}

/**
 * What a literal secret's evidence is worth (profile.ts): a value shaped like a real credential,
 * random-looking (a generated key) or a password hash is reported under every profile; a value
 * only its key name calls a secret (`password: changeme`, `db_pass: admin`) is reported under
 * `profile: all`. On public repositories nobody tuned on, most of the latter were sample values
 * of examples and local stacks (docs/precision.md, profiles).
 */
export function secretEvidence(value: string): { profile?: 'all' } {
  // A value that says it is an example (AWS documents `AKIAIOSFODNN7EXAMPLE`) is random-looking by design.
  return isCredentialShaped(value) || (highEntropy(value) && !/example/i.test(value)) || /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value) || isPasswordHash(value) ? {} : { profile: 'all' };
}
