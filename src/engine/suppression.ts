import type { LineIndex } from './text';
import type { Range, SuppressedFinding } from './types';

// Inline suppressions, in whatever comment syntax the file has:
//   # opsreview-disable-next-line alert/for-missing
//   <!-- opsreview-disable-next-line runbook/placeholder -->
//   resource "x" "y" { # opsreview-disable-line terraform/tags-missing
//   # opsreview-disable terraform/prevent-destroy-missing        (whole file)
// Several ids may be given, separated by commas or spaces; a reason may follow `--`.
// A directive must name at least one rule: a blanket switch-off hides exactly what a reviewer
// should see, so it is reported rather than honoured.

export type DirectiveKind = 'file' | 'line' | 'next-line';

export interface Directive {
  kind: DirectiveKind;
  ruleIds: string[];
  /** Range of each rule id as written (for "unknown rule" / "unused" findings). */
  idRanges: Range[];
  /** The directive's own range. */
  range: Range;
  /** The line it applies to (for line/next-line). */
  targetLine: number;
}

const DIRECTIVE = /(#|\/\/|<!--|\/\*)\s*opsreview-disable(-next-line|-line)?\b([^\n]*)/;

export function findDirectives(lines: LineIndex): Directive[] {
  const out: Directive[] = [];
  // Cheap pre-check: most files have none.
  if (!lines.text.includes('opsreview-disable')) return out;
  for (let n = 0; n < lines.lineCount; n++) {
    const text = lines.line(n);
    const m = DIRECTIVE.exec(text);
    if (!m) continue;
    const kind: DirectiveKind = m[2] === '-next-line' ? 'next-line' : m[2] === '-line' ? 'line' : 'file';
    let rest = m[3];
    const restStart = m.index + m[0].length - m[3].length;
    const close = rest.search(/-->|\*\//);
    if (close >= 0) rest = rest.slice(0, close);
    const reason = rest.indexOf('--');
    if (reason >= 0) rest = rest.slice(0, reason);
    const ruleIds: string[] = [];
    const idRanges: Range[] = [];
    const idRe = /[^\s,]+/g;
    let im: RegExpExecArray | null;
    while ((im = idRe.exec(rest))) {
      ruleIds.push(im[0]);
      const col = restStart + im.index;
      idRanges.push({ start: { line: n, character: col }, end: { line: n, character: col + im[0].length } });
    }
    out.push({
      kind,
      ruleIds,
      idRanges,
      range: { start: { line: n, character: m.index }, end: { line: n, character: text.length } },
      targetLine: kind === 'next-line' ? n + 1 : n,
    });
  }
  return out;
}

// What the repository already declares for other tools: a check another linter is told to skip
// suppresses the OpsReview rules whose crosswalk (`meta.equivalents`) names that check.
//   - name: restart  # noqa no-changed-when                (ansible-lint: the task it is on)
//   # tflint-ignore: terraform_module_pinned_source        (tflint: the next block; `-file` the file)
//   #checkov:skip=CKV_AWS_20: public website               (checkov: the block it is in)
//   checkov.io/skip1: CKV_K8S_20=needs host networking      (checkov: the Kubernetes object)
//   #trivy:ignore:AVD-AWS-0086   #tfsec:ignore:…           (trivy/tfsec: the next block)
//   # pint disable alerts/for      # pint ignore/next-line  (pint: the rule it precedes / the lines)
//   ignore-check.kube-linter.io/latest-tag: "pinned by CD"  (kube-linter: the Kubernetes object)
//   tags: [skip_ansible_lint]                                (ansible-lint: every check but credentials, on the task)
// plus `.ansible-lint`'s `skip_list` (everywhere) and `exclude_paths` (those files).

export type ExternalTool = 'ansible-lint' | 'tflint' | 'checkov' | 'trivy' | 'pint' | 'kube-linter';

export interface ExternalDirective {
  tool: ExternalTool;
  /** Check ids as the other tool spells them; `*` is every check of that tool. */
  ids: string[];
  /** Lines covered, inclusive (0-based). */
  from: number;
  to: number;
  /** The comment or annotation as written, for the audit trail. */
  text: string;
  /** Where it is written (0-based line; -1 for a repository config file). */
  line: number;
  /** The file that declares it, when it is not the file itself (`.ansible-lint`). */
  source?: string;
}

/** What `.ansible-lint` declares for the whole repository. */
export interface AnsibleLintDeclarations {
  /** Its path relative to the root, for the audit trail. */
  source: string;
  skipList: string[];
  excludePaths: string[];
}

/** Syntax of the file the directives are read from. */
export type DirectiveSyntax = 'yaml' | 'hcl' | 'other';

const EXTERNAL_HINT = /noqa|skip_ansible_lint|tflint-ignore|checkov|trivy:ignore|tfsec:ignore|pint\s|kube-linter\.io/;

export function findExternalDirectives(lines: LineIndex, syntax: DirectiveSyntax): ExternalDirective[] {
  const out: ExternalDirective[] = [];
  if (syntax === 'other' || !EXTERNAL_HINT.test(lines.text)) return out;
  const last = lines.lineCount - 1;
  for (let n = 0; n < lines.lineCount; n++) {
    const text = lines.line(n);
    const comment = commentOf(text, syntax);
    const push = (tool: ExternalTool, ids: string[], from: number, to: number, what = comment ?? text.trim()) => {
      if (ids.length) out.push({ tool, ids, from, to, text: what.trim(), line: n });
    };
    if (comment !== undefined) {
      const own = text.trim().startsWith(comment.trim()); // a comment line of its own
      let m: RegExpExecArray | null;
      if ((m = /(?:^|\s)noqa(?::)?\s+([^#]+)/.exec(comment)) && syntax === 'yaml') {
        const [from, to] = yamlItem(lines, n, own);
        push('ansible-lint', words(m[1]), from, to);
      }
      if ((m = /tflint-ignore(-file)?:\s*([\w, -]+)/.exec(comment))) {
        const ids = words(m[2]).map((id) => (id === 'all' ? '*' : id));
        if (m[1]) push('tflint', ids, 0, last);
        else if (own) push('tflint', ids, ...blockAfter(lines, n, syntax));
        else push('tflint', ids, n, blockEnd(lines, n, syntax));
      }
      if ((m = /checkov:skip=([\w-]+)/.exec(comment))) push('checkov', [m[1]], ...(syntax === 'hcl' ? enclosingHclBlock(lines, n) : yamlDocument(lines, n)));
      const trivy = /(?:trivy|tfsec):ignore:([\w-]+)/g;
      while ((m = trivy.exec(comment))) push('trivy', [m[1]], ...(own ? blockAfter(lines, n, syntax) : ([n, blockEnd(lines, n, syntax)] as [number, number])));
      if ((m = /\bpint\s+(file\/)?disable\s+(\S+)/.exec(comment))) {
        const id = m[2];
        if (m[1]) push('pint', [id], 0, last);
        else push('pint', [id], ...(own ? blockAfter(lines, n, syntax) : yamlItem(lines, n, false)));
      }
      if ((m = /\bpint\s+ignore\/(file|line|next-line|begin)\b/.exec(comment))) {
        if (m[1] === 'file') push('pint', ['*'], 0, last);
        else if (m[1] === 'line') push('pint', ['*'], n, n);
        else if (m[1] === 'next-line') push('pint', ['*'], n + 1, n + 1);
        else {
          let end = last;
          for (let k = n + 1; k <= last; k++) if (/\bpint\s+ignore\/end\b/.test(lines.line(k))) { end = k; break; }
          push('pint', ['*'], n, end);
        }
      }
    }
    if (syntax === 'yaml') {
      const k = /^\s*["']?ignore-check\.kube-linter\.io\/([\w-]+)["']?\s*:/.exec(text);
      if (k) push('kube-linter', [k[1]], ...yamlDocument(lines, n), text);
      if (/^\s*["']?kube-linter\.io\/ignore-all["']?\s*:/.test(text)) push('kube-linter', ['*'], ...yamlDocument(lines, n), text);
      const c = /^\s*["']?checkov\.io\/skip\d*["']?\s*:\s*["']?([\w-]+)/.exec(text);
      if (c) push('checkov', [c[1]], ...yamlDocument(lines, n), text);
      // ansible-lint's task-level opt-out: a task tagged `skip_ansible_lint` is not checked at all
      // (see SKIP_TAG in externalIdMatches for what it does not cover here).
      if (skipAnsibleLintTag(lines, n)) push('ansible-lint', [SKIP_TAG], ...yamlItem(lines, n, false), 'tags: skip_ansible_lint');
    }
  }
  return out;
}

/**
 * Does line `n` give the `skip_ansible_lint` tag: `tags: skip_ansible_lint`, `tags: [web,
 * skip_ansible_lint]`, or `- skip_ansible_lint` in the list under a `tags:` key?
 */
function skipAnsibleLintTag(lines: LineIndex, n: number): boolean {
  const text = lines.line(n);
  if (!/\bskip_ansible_lint\b/.test(text)) return false;
  if (/^\s*(- +)?["']?tags["']?\s*:\s*[^#]*\bskip_ansible_lint\b/.test(text)) return true;
  if (!/^\s*- +["']?skip_ansible_lint["']?\s*(#.*)?$/.test(text)) return false;
  const indent = indentOf(text);
  for (let k = n - 1; k >= 0; k--) {
    const t = lines.line(k);
    if (isBlankOrComment(t)) continue;
    if (indentOf(t) === indent && /^\s*- /.test(t)) continue; // another tag of the list
    return indentOf(t) <= indent && /^\s*(- +)?["']?tags["']?\s*:\s*(#.*)?$/.test(t);
  }
  return false;
}

/** The ids of `.ansible-lint`'s `skip_list` as directives over the file, and all checks when `exclude_paths` names it. */
export function ansibleLintDirectives(relPath: string, decl: AnsibleLintDeclarations | undefined, lineCount: number, excluded: (relPath: string) => boolean): ExternalDirective[] {
  if (!decl) return [];
  const out: ExternalDirective[] = [];
  const to = Math.max(0, lineCount - 1);
  if (decl.skipList.length) out.push({ tool: 'ansible-lint', ids: decl.skipList, from: 0, to, text: `skip_list: ${decl.skipList.join(', ')}`, line: -1, source: decl.source });
  if (excluded(relPath)) out.push({ tool: 'ansible-lint', ids: ['*'], from: 0, to, text: 'exclude_paths names this file', line: -1, source: decl.source });
  return out;
}

/** The comment part of a line (`# …`, or `// …` in HCL), outside quotes; undefined without one. */
function commentOf(text: string, syntax: DirectiveSyntax): string | undefined {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || (ch === "'" && syntax === 'yaml' && (i === 0 || /[\s:[{,-]/.test(text[i - 1])))) quote = ch;
    else if (ch === '#' && (i === 0 || /\s/.test(text[i - 1]) || syntax === 'hcl')) return text.slice(i);
    else if (syntax === 'hcl' && ch === '/' && text[i + 1] === '/') return text.slice(i);
  }
  return undefined;
}

/** Ids separated by commas or spaces, up to a reason. */
function words(s: string): string[] {
  return s
    .split(/\s+--|\s+#/)[0]
    .split(/[\s,]+/)
    .map((w) => w.trim())
    .filter((w) => /^[\w./[\]()|-]+$/.test(w));
}

function indentOf(text: string): number {
  return text.length - text.trimStart().length;
}

function isBlankOrComment(text: string): boolean {
  const t = text.trim();
  return t === '' || t.startsWith('#') || t.startsWith('//');
}

/**
 * The YAML sequence item (a task, an alerting rule) a line belongs to: from its `- ` line to the
 * line before the next item at that indentation or less. `own` (a comment line of its own)
 * covers the item that starts on the next content line.
 */
function yamlItem(lines: LineIndex, n: number, own: boolean): [number, number] {
  if (own) {
    let start = n + 1;
    while (start < lines.lineCount && isBlankOrComment(lines.line(start))) start++;
    if (start >= lines.lineCount) return [n, n];
    return [start, yamlBlockEnd(lines, start)];
  }
  // The nearest enclosing item that is a mapping (`- name: …`, `- alert: …`): walking up, each
  // line indented less than everything seen so far is an ancestor. A scalar list entry
  // (`- git  # noqa …` under a module's `name:`) belongs to the task around it; a mapping nested
  // in the task (a module's arguments) is passed through. Without an enclosing item (a vars
  // file), the outermost key above the line.
  const first = lines.line(n);
  if (MAPPING_ITEM.test(first)) return [n, yamlBlockEnd(lines, n)];
  let min = indentOf(first);
  let outer = n;
  for (let k = n - 1; k >= 0 && min > 0; k--) {
    const t = lines.line(k);
    if (isBlankOrComment(t) || indentOf(t) >= min) continue;
    if (MAPPING_ITEM.test(t)) return [k, yamlBlockEnd(lines, k)];
    min = indentOf(t);
    outer = k;
  }
  return [outer, yamlBlockEnd(lines, outer)];
}

/** A sequence item that opens a mapping: `- key:` (or `- key: value`). */
const MAPPING_ITEM = /^\s*- +["']?[^\s"'#][^:#]*["']?:(\s|$)/;

/** The last line of the YAML node starting on line `start` (a `- ` item or a `key:` with children). */
function yamlBlockEnd(lines: LineIndex, start: number): number {
  const first = lines.line(start);
  const dash = /^(\s*)- /.exec(first);
  const indent = dash ? dash[1].length : indentOf(first);
  let end = start;
  for (let k = start + 1; k < lines.lineCount; k++) {
    const t = lines.line(k);
    if (isBlankOrComment(t)) continue;
    if (/^(---|\.\.\.)\s*$/.test(t) || indentOf(t) < indent || (indentOf(t) === indent && (dash ? /^\s*- /.test(t) : true))) break;
    end = k;
  }
  return end;
}

/** The YAML document (between `---` lines) holding line `n`. */
function yamlDocument(lines: LineIndex, n: number): [number, number] {
  let from = n;
  while (from > 0 && !/^---/.test(lines.line(from - 1))) from--;
  let to = n;
  while (to + 1 < lines.lineCount && !/^---/.test(lines.line(to + 1))) to++;
  return [from, to];
}

/** The block that starts on the first content line after a comment line. */
function blockAfter(lines: LineIndex, n: number, syntax: DirectiveSyntax): [number, number] {
  let k = n + 1;
  while (k < lines.lineCount && isBlankOrComment(lines.line(k))) k++;
  if (k >= lines.lineCount) return [n, n];
  return [k, blockEnd(lines, k, syntax)];
}

/** The last line of the block opening on line `n` (its closing brace in HCL, its children in YAML). */
function blockEnd(lines: LineIndex, n: number, syntax: DirectiveSyntax): number {
  if (syntax === 'yaml') return yamlBlockEnd(lines, n);
  if (!stripHclComment(lines.line(n)).includes('{')) return n;
  let depth = 0;
  for (let k = n; k < lines.lineCount; k++) {
    for (const ch of stripHclComment(lines.line(k))) {
      if (ch === '{') depth++;
      else if (ch === '}') depth--;
    }
    if (depth <= 0) return k;
  }
  return lines.lineCount - 1;
}

/** The top-level HCL block (`resource "x" "y" {` … `}`) holding line `n`. */
function enclosingHclBlock(lines: LineIndex, n: number): [number, number] {
  let start = n;
  while (start > 0 && !/^[A-Za-z_][\w-]*(\s+"[^"]*")*\s*\{/.test(lines.line(start))) start--;
  return [start, blockEnd(lines, start, 'hcl')];
}

function stripHclComment(text: string): string {
  const c = commentOf(text, 'hcl');
  const code = c === undefined ? text : text.slice(0, text.length - c.length);
  return code.replace(/"(?:[^"\\]|\\.)*"/g, '""');
}

/**
 * The `skip_ansible_lint` tag switches every check off for a task, without naming one: it is
 * honoured for the checks of style and idempotence it is written for (names, `changed_when`,
 * `ignore_errors`, `state: latest`), not for a credential shown in the run output
 * (`no-log-password`): a blanket opt-out is no decision about a secret, and a leak is a leak.
 */
const SKIP_TAG = 'skip_ansible_lint';
const CREDENTIAL_CHECKS = new Set(['no-log-password']);

/**
 * Does a check id another tool is told to skip name this crosswalk entry? Case-insensitive;
 * `name` covers `name[missing]` (ansible-lint's sub-rules); `alerts/annotation(runbook_url)`
 * (pint's check with its argument) covers `alerts/annotation` when `finding` names the argument.
 */
export function externalIdMatches(directiveId: string, equivalentId: string, finding: string): boolean {
  const d = directiveId.toLowerCase();
  const e = equivalentId.toLowerCase();
  if (d === SKIP_TAG) return !CREDENTIAL_CHECKS.has(e);
  if (d === '*' || d === e) return true;
  if (!d.includes('[') && e.startsWith(d + '[')) return true;
  const arg = /^([^()]+)\((.*)\)$/.exec(d);
  if (arg && arg[1] === e) {
    const words = arg[2].split(/[^\w-]+/).filter((w) => w.length > 1);
    return !words.length || words.some((w) => finding.toLowerCase().includes(w));
  }
  return false;
}

/** `.ansible-lint`'s `exclude_paths` as a matcher of workspace-relative paths (a folder, a file or a glob). */
export function excludedPathMatcher(paths: readonly string[]): (relPath: string) => boolean {
  const prefixes: string[] = [];
  const globs: RegExp[] = [];
  for (const raw of paths) {
    const p = raw.trim().replace(/^\.\//, '').replace(/\/+$/, '');
    if (!p) continue;
    if (/[*?[]/.test(p)) globs.push(new RegExp('^' + p.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*\*\/?/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]').replace(/\u0000/g, '(?:.*/)?') + '(?:/.*)?$'));
    else prefixes.push(p);
  }
  return (rel) => prefixes.some((p) => rel === p || rel.startsWith(p + '/')) || globs.some((g) => g.test(rel));
}

/** Who suppressed a finding: "ansible-lint `# noqa no-changed-when` (tasks/main.yml:12)". */
export function suppressedByText(root: string, f: SuppressedFinding): string {
  const by = f.suppressedBy;
  return `${by.tool} \`${by.text}\` (${relative(root, by.path)}${by.line >= 0 ? `:${by.line + 1}` : ''})`;
}

/** One line for a log: "suppressed roles/web/tasks/main.yml:12:7 <rule> by <who>: <message>" (1-based). */
export function suppressedLine(root: string, f: SuppressedFinding): string {
  return `suppressed ${relative(root, f.path)}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.ruleId} by ${suppressedByText(root, f)}: ${f.message}`;
}

function relative(root: string, p: string): string {
  return p.startsWith(root + '/') ? p.slice(root.length + 1) : p;
}
