import type { OpsReviewConfig } from '../../config/schema';
import type { ParsedFile } from '../../model';
import type { Heading, MarkdownFile } from '../../parsers/markdown';
import type { FileKind, Range, TextEdit } from '../../types';

// Helpers the runbook rules share: where a finding about the whole runbook goes, how frontmatter
// keys are added, which headings are rollback sections and which steps change production.

export const RUNBOOK_KINDS: readonly FileKind[] = ['runbook'];
export const MARKDOWN_KINDS: readonly FileKind[] = ['runbook', 'postmortem'];

export function mdOf(parsed: ParsedFile): MarkdownFile | undefined {
  return parsed.type === 'markdown' ? parsed : undefined;
}

/** The first H1, the runbook's title. */
export function titleHeading(md: MarkdownFile): Heading | undefined {
  return md.headings.find((h) => h.level === 1);
}

/**
 * Where a finding about the runbook's frontmatter goes: the opening `---` of the block, or the
 * title when there is no frontmatter, or the first line.
 */
export function frontmatterAnchor(md: MarkdownFile): Range {
  if (md.frontmatter) return { start: { line: 0, character: 0 }, end: { line: 0, character: md.lines.line(0).length } };
  const title = titleHeading(md);
  return title ? title.range : md.lines.lineRange(0);
}

/** Frontmatter keys that must be a single value (a string; numbers pass). */
export const SCALAR_FRONTMATTER_KEYS: readonly string[] = ['owner', 'team', 'service', 'title', 'type', 'severity'];

/** A frontmatter value that says something: not missing, null or blank. */
export function hasValue(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object' && !(v instanceof Date)) return Object.keys(v as object).length > 0;
  return true;
}

/** Placeholder value the fixes write for a frontmatter key (the placeholder rule then points at it). */
export function placeholderValue(key: string, config: OpsReviewConfig): string {
  if (key === 'tags') return tagsPlaceholder(config.runbooks.requiredTags);
  if (key === 'owner' || key === 'team') return '<team>';
  if (key === 'last_reviewed') return '<YYYY-MM-DD>';
  return `<${key.replace(/[^\w-]/g, '-')}>`;
}

/** `[<tag>]`, or one `key:<key>` entry per required tag key. */
export function tagsPlaceholder(requiredTags: readonly string[]): string {
  return `[${requiredTags.length ? requiredTags.map((k) => `${k}:<${k}>`).join(', ') : '<tag>'}]`;
}

/**
 * Edits that give the frontmatter these keys: a line each before the closing fence (a blank
 * `key:` line is completed in place), or a new frontmatter block at the top of the file.
 * Undefined when the frontmatter is not a valid mapping (frontmatter-invalid reports that).
 */
export function addFrontmatterKeysEdits(md: MarkdownFile, entries: [string, string][]): TextEdit[] | undefined {
  const eol = md.lines.eol;
  const fm = md.frontmatter;
  if (!fm) {
    return [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: ['---', ...entries.map(([k, v]) => `${k}: ${v}`), '---', ''].join(eol) }];
  }
  if (!fm.valid) return undefined;
  const edits: TextEdit[] = [];
  const append: string[] = [];
  for (const [k, v] of entries) {
    const keyRange = fm.keyRanges.get(k);
    const valueRange = fm.valueRanges.get(k);
    if (keyRange && valueRange && (valueRange.start.line !== valueRange.end.line || valueRange.start.character !== valueRange.end.character)) {
      // `owner: ""`: replace the empty value.
      edits.push({ range: valueRange, newText: v });
      continue;
    }
    if (keyRange) {
      // `owner:` with nothing after it: complete the line (keeping a trailing comment out of it).
      const line = md.lines.line(keyRange.start.line);
      const colon = line.indexOf(':', keyRange.end.character);
      if (colon >= 0) {
        edits.push({ range: { start: { line: keyRange.start.line, character: colon + 1 }, end: { line: keyRange.start.line, character: colon + 1 } }, newText: ` ${v}` });
        continue;
      }
    }
    append.push(`${k}: ${v}${eol}`);
  }
  if (append.length) edits.push({ range: { start: { line: fm.closeLine, character: 0 }, end: { line: fm.closeLine, character: 0 } }, newText: append.join('') });
  return edits;
}

// ---- rollback sections ------------------------------------------------------------------

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Matches a heading that starts a rollback section: any configured word, case-insensitive, as a word. */
export function rollbackHeadingRe(config: OpsReviewConfig): RegExp | undefined {
  const words = config.runbooks.rollbackHeadings.map((w) => w.trim()).filter(Boolean);
  if (!words.length) return undefined;
  // "Roll back" also matches "Roll-back" and "Roll  back".
  const alts = words.map((w) => w.split(/[\s-]+/).map(escapeRe).join('[\\s-]+'));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alts.join('|')})(?![\\p{L}\\p{N}])`, 'iu');
}

export function rollbackHeadings(md: MarkdownFile, config: OpsReviewConfig): Heading[] {
  const re = rollbackHeadingRe(config);
  return re ? md.headings.filter((h) => re.test(h.text)) : [];
}

// ---- steps that change production -------------------------------------------------------

const FLAGS = String.raw`(?:\s+--?[\w.][\w.-]*(?:[= ](?!-)[^\s]+)?)*`;

/** State-changing commands, each with the label the message uses. */
const CHANGING: { re: RegExp; label: string }[] = [
  { re: new RegExp(String.raw`\bkubectl${FLAGS}\s+(?:apply|delete|scale|patch|replace|create|edit|drain|set\s+(?:image|env|resources)|rollout\s+restart|label|annotate|cordon|taint)\b`), label: 'kubectl' },
  { re: new RegExp(String.raw`\bhelm${FLAGS}\s+(?:install|upgrade|uninstall|delete)\b`), label: 'helm' },
  { re: new RegExp(String.raw`\b(?:terraform|tofu|terragrunt)${FLAGS}\s+(?:apply|destroy|import|state\s+(?:rm|mv))\b`), label: 'terraform' },
  { re: /\bansible-playbook\b(?!.*\s--check\b)(?!.*\s-C\b)/, label: 'ansible-playbook' },
  { re: /\bsystemctl\s+(?:--[\w-]+\s+)*(?:restart|stop|start|reload|disable|enable|mask|kill)\b/, label: 'systemctl' },
  { re: /\bservice\s+[\w@.-]+\s+(?:restart|stop|reload)\b/, label: 'service' },
  { re: /\bflyway\b.*\bmigrate\b/, label: 'flyway migrate' },
  { re: /\balembic\b.*\b(?:upgrade|downgrade)\b/, label: 'alembic' },
  { re: /\b(?:rails|rake|bin\/rails)\s+db:(?:migrate|rollback|schema:load)\b/, label: 'rails db:migrate' },
  { re: /\bmanage\.py\s+migrate\b/, label: 'manage.py migrate' },
  { re: /\bliquibase\b.*\bupdate\b/, label: 'liquibase update' },
  { re: /\bprisma\s+migrate\s+deploy\b/, label: 'prisma migrate deploy' },
  { re: /\b(?:knex\s+migrate:latest|sqitch\s+deploy|dbmate\s+(?:up|migrate)|goose\b.*\bup)\b/, label: 'database migration' },
  { re: /(?:^|[\s$>;&|])migrate\b(?:\s+(?:up|-path|-database|-source)\b)/, label: 'migrate' },
  { re: /\bnpm\s+run\s+(?:db:)?migrate\b|\bmake\s+(?:db-)?migrate\b/, label: 'database migration' },
  { re: /\b(?:ALTER|DROP)\s+(?:TABLE|INDEX|DATABASE|SCHEMA)\b|\bTRUNCATE\s+(?:TABLE\s+)?\w|\bDELETE\s+FROM\b|\bUPDATE\s+\w+\s+SET\b/i, label: 'SQL' },
  { re: /\bargocd\s+app\s+(?:sync|set|delete)\b/, label: 'argocd' },
  { re: /\baws\s+ecs\s+update-service\b|\baws\s+lambda\s+update-function-code\b|\baws\s+autoscaling\s+(?:update|set)-/, label: 'aws' },
  { re: /\bgcloud\s+.*\bdeploy\b|\bdocker\s+(?:service|stack)\s+(?:update|deploy|rm)\b/, label: 'deploy command' },
];

export interface ChangingStep {
  label: string;
  /** The command as matched, and its range in the file. */
  text: string;
  range: Range;
}

/** State-changing commands in code blocks and list items, in file order. */
export function changingSteps(md: MarkdownFile): ChangingStep[] {
  const lineNumbers = new Set<number>();
  for (const b of md.codeBlocks) {
    const fenced = /^\s*(```|~~~)/.test(md.lines.line(b.line));
    const first = fenced ? b.line + 1 : b.line;
    const last = fenced ? b.endLine - 1 : b.endLine;
    for (let n = first; n <= last; n++) lineNumbers.add(n);
  }
  for (const item of md.listItems) lineNumbers.add(item.line);
  const out: ChangingStep[] = [];
  for (const n of [...lineNumbers].sort((a, b) => a - b)) {
    const text = md.lines.line(n);
    // A shell comment is not a step (and `# opsreview-disable…` lives there).
    if (/^\s*#/.test(text)) continue;
    let best: { label: string; index: number; length: number } | undefined;
    for (const c of CHANGING) {
      const m = c.re.exec(text);
      if (m && (!best || m.index < best.index)) best = { label: c.label, index: m.index, length: m[0].length };
    }
    if (!best) continue;
    let start = best.index;
    while (/\s|[$>;&|]/.test(text[start] ?? '') && start < best.index + best.length) start++;
    const end = best.index + best.length;
    out.push({ label: best.label, text: text.slice(start, end), range: { start: { line: n, character: start }, end: { line: n, character: end } } });
  }
  return out;
}

// ---- placeholders ----------------------------------------------------------------------

/** HTML element names markdown allows inline; `<br>` or `<details>` are markup, not placeholders. */
export const HTML_TAGS = new Set(
  (
    'a abbr address area article aside audio b bdi bdo big blockquote body br button caption center cite code col colgroup dd del details dfn dialog div dl dt em embed ' +
    'fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 head header hr html i iframe img input ins kbd label legend li link main map mark meta meter nav ' +
    'noscript object ol optgroup option output p param picture pre progress q rp rt ruby s samp script section select small source span strike strong style sub summary ' +
    'sup table tbody td template textarea tfoot th thead time title tr track tt u ul var video wbr'
  ).split(' '),
);

export interface Placeholder {
  text: string;
  /** Offset in the file text. */
  start: number;
  end: number;
}

const WORD_PLACEHOLDER = /(?<![\p{L}\p{N}_])(?:TODO|TBD|FIXME|[xX]{3,})(?![\p{L}\p{N}_])/gu;
// `<service-name>`, `<pod name>`, `<YYYY-MM-DD>`, `<how to verify the rollback>`: text in angle
// brackets that is not an HTML tag (`<br>`, `<details open>`, `<img src=…>`), not an autolink
// (`<https://…>`, `<ops@example.com>`), not a generic (`List<String>`) or a heredoc (`<<EOF`).
const ANGLE_PLACEHOLDER = /(?<![\w<])<([A-Za-z](?:[^<>\n]*[^<>\s])?)>/g;

function isAnglePlaceholder(content: string): boolean {
  if (/[@="']/.test(content)) return false;
  if (/^[a-z][a-z0-9+.-]*:\S/i.test(content)) return false;
  const first = content.split(/[\s/]/)[0].toLowerCase();
  return !HTML_TAGS.has(first);
}

/** Placeholders in `text`, outside the given skipped spans (offsets). */
export function findPlaceholders(text: string, skip: [number, number][]): Placeholder[] {
  const out: Placeholder[] = [];
  const skipped = (s: number, e: number): boolean => skip.some(([a, b]) => s < b && e > a);
  for (const re of [WORD_PLACEHOLDER, ANGLE_PLACEHOLDER]) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      const start = m.index;
      const end = start + m[0].length;
      if (re === ANGLE_PLACEHOLDER && !isAnglePlaceholder(m[1])) continue;
      if (skipped(start, end)) continue;
      out.push({ text: m[0], start, end });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** True when `s` says nothing once placeholders and punctuation are taken out. */
export function onlyPlaceholders(s: string): boolean {
  const rest = s
    .replace(/(?<![\p{L}\p{N}_])(?:TODO|TBD|FIXME|[xX]{3,})(?![\p{L}\p{N}_])/gu, '')
    .replace(ANGLE_PLACEHOLDER, (m, inner: string) => (isAnglePlaceholder(inner) ? '' : m))
    .replace(/[^\p{L}\p{N}]+/gu, '');
  return rest.length === 0;
}

