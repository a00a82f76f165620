import { isCredentialShaped } from '../../nonProduction';
import { isPathValue, isSecretName, nameTokens } from '../secretNames';

// What in a Secret's `data`/`stringData` is a credential. A Secret is also where tools keep
// configuration that holds none (a proxy's authorization rules, an Alertmanager routing tree, a
// Grafana timezone, a datasource URL): an entry is a literal secret only when its key or value is
// credential-shaped, and a whole configuration file shipped in a Secret only when it holds a
// credential field or credential-shaped text.

/** Entry keys that are whole configuration files. */
export const CONFIG_FILE = /\.(ya?ml|ini|json|conf|cfg|toml|properties|tmpl|xml)$/i;

/** Words that make an entry key a credential in a Secret (`tls.key`, `db-pass`, `api_token`, `.htpasswd`). */
const KEY_WORDS = new Set(['password', 'passwd', 'pass', 'pwd', 'passphrase', 'secret', 'token', 'key', 'apikey', 'credential', 'credentials', 'creds', 'htpasswd', 'auth', 'cookie', 'salt', 'dsn', 'private', 'psk', 'jwt']);
/** Files of key material (`tls.key`, `server.pem`, `keystore.jks`). */
const KEY_FILE = /\.(key|pem|p12|pfx|jks|keystore|htpasswd|kdbx)$/i;

/** True when a Secret entry (key and literal value as the pod sees it) is a credential. */
export function isCredentialEntry(key: string, value: string): boolean {
  if (CONFIG_FILE.test(key)) return configHoldsCredential(value);
  if (KEY_FILE.test(key) || isSecretName(key)) return true;
  if (key.split(/[^A-Za-z0-9]+/).filter(Boolean).flatMap((w) => nameTokens(w)).some((w) => KEY_WORDS.has(w))) return true;
  return isCredentialValue(value);
}

/** A value that is a credential whatever its key: key material, a provider token, a password in a URL or connection string, a random string. */
export function isCredentialValue(value: string): boolean {
  const v = value.trim();
  if (isCredentialShaped(v) || /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(v)) return true;
  if (/[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(v)) return true; // user:password@ in a URL
  if (/(^|[;\s])(password|pwd)\s*=\s*[^;\s]+/i.test(v)) return true; // a connection string
  return isRandomString(v);
}

/** A token that looks generated: a JWT, 32+ hex digits, or 20+ mixed-case letters and digits of high entropy. */
export function isRandomString(v: string): boolean {
  if (/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/.test(v)) return true;
  if (/^[0-9a-f]{32,}$/i.test(v)) return true;
  if (v.length < 20 || !/^[A-Za-z0-9+/_=-]+$/.test(v) || !/[a-z]/.test(v) || !/[A-Z]/.test(v) || !/\d/.test(v)) return false;
  const counts = new Map<string, number>();
  for (const ch of v) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / v.length) * Math.log2(n / v.length);
  return h >= 4;
}

/** A field of a configuration file (YAML, JSON, INI, properties): its name and value. */
const FIELD = /^\s*(?:-\s*)?["']?([A-Za-z_][\w.-]*)["']?\s*[:=]\s*(.*?)\s*,?\s*$/;

/**
 * True when a configuration file kept in a Secret holds a credential: a field named for one
 * (`password`, `client_secret`, `api_key`, `bearer_token`, `slack_api_url`, a Slack webhook…) with a literal value
 * that is not a file path (`bearer_token_file`, `ca_file` name where it is), or credential-shaped
 * text anywhere (key material, a provider token, a password in a URL).
 */
export function configHoldsCredential(text: string): boolean {
  if (isCredentialShaped(text) || /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) return true;
  if (/[a-z][a-z0-9+.-]*:\/\/[^/\s:@"']+:[^/\s@"']+@/i.test(text)) return true;
  for (const line of text.split(/\r?\n/)) {
    const m = FIELD.exec(line);
    if (!m) continue;
    const name = m[1];
    const value = m[2].replace(/^(["'])(.*)\1$/, '$2').trim();
    if (!value || /^[[{|>]$/.test(value) || /^(null|~|""|''|<.*>)$/i.test(value) || /\{\{|\$\{|\$\(/.test(value)) continue;
    if (/(^|[_.-])(file|path)$/i.test(name) || isPathValue(value)) continue;
    if (isSecretName(name) || /(^|_)(slack_api_url|service_key|routing_key)$/i.test(name) || /hooks\.slack\.com\/services\//.test(value)) return true;
  }
  return false;
}
