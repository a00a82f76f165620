import picomatch from 'picomatch';
import type { OpsReviewConfig } from './config/schema';
import type { FileKind } from './types';

// Decides what a workspace file is from its path and, where the path is not enough, a glance at
// its text (frontmatter, `apiVersion`/`kind`, `groups:`/`hosts:`). Cheap and total: never throws.

const matcherCache = new WeakMap<readonly string[], (p: string) => boolean>();

export function globMatcher(globs: readonly string[]): (relPath: string) => boolean {
  let m = matcherCache.get(globs);
  if (!m) {
    const compiled = globs.length ? picomatch(globs as string[], { dot: true }) : () => false;
    m = (p: string) => compiled(p);
    matcherCache.set(globs, m);
  }
  return m;
}

// Tested on the frontmatter block alone (see frontmatterBlock): a lazy scan from every `---`
// line of the whole text was quadratic on files full of horizontal rules.
const RUNBOOK_FRONTMATTER = /^(type:\s*["']?(runbook|playbook|deploy|release|change|maintenance|migration|incident|alert)\b|runbook:|owner:|service:)/m;
const POSTMORTEM_FRONTMATTER = /^type:\s*["']?(postmortem|post-mortem|incident-review|pir)\b/m;

/** The text between an opening `---` on the first line and the closing fence (or 64 KB). */
function frontmatterBlock(text: string): string {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!/^---[ \t]*\r?\n/.test(t)) return '';
  const body = t.slice(t.indexOf('\n') + 1, 64_000);
  const close = /^(---|\.\.\.)[ \t]*\r?$/m.exec(body);
  return close ? body.slice(0, close.index) : body;
}

/** The kinds the path alone can settle; `undefined` when the text must be read. */
export function classifyByPath(relPath: string): FileKind | 'markdown' | 'yaml' | undefined {
  const p = relPath.replace(/\\/g, '/');
  const base = p.slice(p.lastIndexOf('/') + 1);
  const lower = base.toLowerCase();
  if (lower === '.opsreview.yml' || lower === '.opsreview.yaml') return 'opsreview-config';
  if (lower.endsWith('.tf')) return 'terraform';
  if (lower.endsWith('.tfvars')) return 'terraform-vars';
  if (lower.endsWith('.md') || lower.endsWith('.markdown')) return 'markdown';
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i.test(p)) return 'github-workflow';
  if (lower === '.gitlab-ci.yml' || lower === '.gitlab-ci.yaml') return 'gitlab-ci';
  if (/(^|\/)(hosts|inventory)(\.ini)?$/i.test(p) && !lower.endsWith('.yml') && !lower.endsWith('.yaml')) {
    return /(^|\/)(ansible|inventor(y|ies))\//i.test(p) || /^(hosts|inventory)(\.ini)?$/i.test(base) ? 'ansible-inventory' : undefined;
  }
  if (lower.endsWith('.yml') || lower.endsWith('.yaml')) return 'yaml';
  return undefined;
}

export function classify(relPath: string, text: string, config: OpsReviewConfig): FileKind | undefined {
  const p = relPath.replace(/\\/g, '/');
  const byPath = classifyByPath(p);
  if (byPath === 'markdown') return classifyMarkdown(p, text, config);
  if (byPath === 'yaml') return classifyYaml(p, text);
  return byPath;
}

function classifyMarkdown(p: string, text: string, config: OpsReviewConfig): FileKind | undefined {
  const base = p.slice(p.lastIndexOf('/') + 1).toLowerCase();
  // A folder's README, CHANGELOG or CONTRIBUTING explains the folder; it is not a runbook.
  if (/^(readme|changelog|contributing|license|code_of_conduct)\.(md|markdown)$/.test(base)) return undefined;
  const fm = frontmatterBlock(text);
  if (POSTMORTEM_FRONTMATTER.test(fm) || globMatcher(config.runbooks.postmortemGlobs)(p)) return 'postmortem';
  if (globMatcher(config.runbooks.globs)(p) || RUNBOOK_FRONTMATTER.test(fm)) return 'runbook';
  return undefined;
}

const ANSIBLE_DIRS = /(^|\/)(group_vars|host_vars)\//;
const ROLE_PART = /(^|\/)roles\/[^/]+\/(tasks|handlers|vars|defaults|meta)\/[^/]+\.ya?ml$/;

function classifyYaml(p: string, text: string): FileKind | undefined {
  const head = text.length > 64_000 ? text.slice(0, 64_000) : text;
  // Kubernetes first: PrometheusRule is an alert file that happens to be a manifest.
  if (/^kind:\s*["']?PrometheusRule\b/m.test(head)) return 'alert-rules';
  if (/^groups:\s*$/m.test(head) && /^\s*-?\s*(alert|record):/m.test(head)) return 'alert-rules';
  if (/^apiVersion:\s*\S+/m.test(head) && /^kind:\s*\S+/m.test(head)) return 'k8s-manifest';
  if (ANSIBLE_DIRS.test(p)) return 'ansible-vars';
  const role = ROLE_PART.exec(p);
  if (role) {
    const part = role[2];
    if (part === 'tasks' || part === 'handlers') return 'ansible-tasks';
    if (part === 'vars' || part === 'defaults') return 'ansible-vars';
    return undefined;
  }
  // A playbook is a list of plays: items with `hosts:` or `import_playbook:`.
  if (/^-\s+(hosts|import_playbook|ansible\.builtin\.import_playbook|name):/m.test(head) && /^\s*-?\s*(hosts|import_playbook|ansible\.builtin\.import_playbook):/m.test(head)) {
    return 'ansible-playbook';
  }
  if (/(^|\/)(inventory|inventories)\//.test(p) && /^\s*(all|children|hosts):/m.test(head)) return 'ansible-inventory';
  if (/(^|\/)(playbooks|ansible)\/[^/]*\.ya?ml$/.test(p) && /^-\s+name:/m.test(head) && /^\s+(ansible\.builtin\.)?\w+:\s*$/m.test(head)) {
    return 'ansible-tasks';
  }
  return undefined;
}
