// How names are compared: a service or a team is written many ways across kinds of files
// (`team-payments`, `payments`, `@acme/payments`, `Payments Team`), and the service model must
// see one name where a person would.

/** A service name as the model keys it: lowercase, words joined by `-`. */
const keys = new Map<string, string>();

export function serviceKey(name: string): string {
  const hit = keys.get(name);
  if (hit !== undefined) return hit;
  if (keys.size > 50_000) keys.clear(); // names repeat across a workspace; the cache stays bounded
  const k = name
    .trim()
    .toLowerCase()
    .replace(/[\s_.]+/g, '-')
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  keys.set(name, k);
  return k;
}

/**
 * An owner as compared across kinds: `@org/payments`, `team-payments`, `payments_team`,
 * `Payments Team` and `payments` are one team. Email addresses compare by their local part.
 */
export function ownerKey(owner: string): string {
  let s = owner.trim().toLowerCase();
  s = s.replace(/^@/, '');
  if (s.includes('/')) s = s.slice(s.lastIndexOf('/') + 1);
  if (s.includes('@')) s = s.slice(0, s.indexOf('@'));
  s = s.replace(/[\s_.]+/g, '-').replace(/[^a-z0-9-]/g, '');
  s = s.replace(/^team-(?=.)/, '').replace(/(?<=.)-team$/, '');
  return s.replace(/-+/g, '-').replace(/^-|-$/g, '');
}

/** Names that say nothing about a service (folder names that group by something else). */
const GENERIC = new Set([
  'docs', 'doc', 'runbooks', 'runbook', 'playbooks', 'content', 'src', 'general', 'common', 'shared', 'misc', 'other', 'others',
  'templates', 'template', 'images', 'img', 'assets', 'static', 'includes', 'partials', 'archive', 'old', 'drafts', 'draft',
  'alerts', 'alerting', 'rules', 'postmortems', 'incidents', 'how-to', 'howto', 'guides', 'guide', 'reference', 'tutorials',
  'prod', 'production', 'staging', 'dev', 'test', 'tests', 'examples', 'example', 'default', 'base', 'overlays', 'manifests',
  'k8s', 'kubernetes', 'terraform', 'ansible', 'infra', 'infrastructure', 'modules', 'deploy', 'deployment', 'ops', 'sre',
  'unnamed', 'none', 'unknown', 'all', 'true', 'false',
]);

/** True when `name` can name a service (not empty, not templated, not a generic folder word). */
export function isServiceName(name: string | undefined): name is string {
  if (!name) return false;
  if (/[{}$<>%]/.test(name)) return false; // templated: `{{ $labels.job }}`, `${var.name}`
  const k = serviceKey(name);
  return k.length >= 2 && k.length <= 63 && !GENERIC.has(k) && !/^\d+$/.test(k);
}
