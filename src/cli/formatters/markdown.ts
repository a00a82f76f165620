import { docsUrl } from '../../engine/docs';
import type { Severity } from '../../engine/types';
import { ciPath, CliFinding, FormatInput, toCliFinding } from './types';

// A summary for a CI job summary ($GITHUB_STEP_SUMMARY) or a pull-request comment: counts by
// rule and by file, then the first findings of each rule with links. GitHub refuses a summary or
// comment over 65,536 characters; this one stays under MARKDOWN_LIMIT by construction: every line
// is added only while it fits the budget, and what does not fit is counted ("and N more").

export const MARKDOWN_LIMIT = 60_000;
/** Room kept for the closing lines (counts only, so their length is bounded). */
const RESERVE = 1_000;
const PER_RULE = 5;
const RULE_ROWS = 40;
const FILE_ROWS = 20;
const MAX_TEXT = 300;

class Budget {
  readonly lines: string[] = [];
  private used = 0;
  constructor(private readonly limit: number) {}
  /** Adds the line if it fits within the limit less the reserve. */
  add(line: string): boolean {
    if (this.used + line.length + 1 > this.limit - RESERVE) return false;
    this.lines.push(line);
    this.used += line.length + 1;
    return true;
  }
  /** Adds a closing line into the reserve (cut short if even that would overflow). */
  close(line: string): void {
    const room = this.limit - 1 - this.used - 1;
    if (room <= 0) return;
    const l = line.length > room ? line.slice(0, room) : line;
    this.lines.push(l);
    this.used += l.length + 1;
  }
  text(): string {
    return this.lines.join('\n') + '\n';
  }
}

/** Text shown as is: markdown syntax and HTML escaped, one line, at most `max` characters. */
export function escapeMarkdown(s: string, max = MAX_TEXT): string {
  const one = s.replace(/\s+/g, ' ').trim();
  const cut = one.length > max ? one.slice(0, max - 1) + '…' : one;
  return cut.replace(/[\\`*_{}[\]()<>#+!|~]/g, '\\$&');
}

function linkTarget(url: string): string {
  return encodeURI(url).replace(/\(/g, '%28').replace(/\)/g, '%29');
}

const plural = (k: number, w: string): string => `${k} ${w}${k === 1 ? '' : 's'}`;

export function formatMarkdown(input: FormatInput, limit = MARKDOWN_LIMIT): string {
  const b = new Budget(limit);
  const all = input.findings.map((f) => toCliFinding(input.root, f));
  const n: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const c of all) n[c.severity]++;
  const url = (c: CliFinding): string => {
    const p = ciPath(input, c.file);
    return linkTarget(input.fileUrl ? input.fileUrl(p, c.line) : `${p}#L${c.line}`);
  };

  b.add('## OpsReview');
  b.add('');
  b.add(
    all.length
      ? `**${plural(all.length, 'problem')}** (${plural(n.error, 'error')}, ${plural(n.warning, 'warning')}, ${n.info} info) in ${plural(input.filesChecked, 'file')} checked.`
      : `No problems found in ${plural(input.filesChecked, 'file')} checked.`,
  );
  const base = input.baseline;
  if (base?.hidden || base?.unmatched.length) {
    b.add('');
    const parts: string[] = [];
    if (base.hidden) parts.push(`${plural(base.hidden, 'finding')} already in the baseline (\`${escapeMarkdown(base.file, 200)}\`) not shown`);
    if (base.unmatched.length) parts.push(`${plural(base.unmatched.length, 'baseline entry')} no longer ${base.unmatched.length === 1 ? 'matches' : 'match'} a finding (run \`opsreview baseline\` to drop ${base.unmatched.length === 1 ? 'it' : 'them'})`);
    b.add(parts.join('; ') + '.');
  }
  if (!all.length) return b.text();

  // Rules by severity then count, files by count, most first (ties by name, so the summary is stable).
  const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  const byRule = group(all, (c) => c.ruleId).sort((a, b) => rank[a[1][0].severity] - rank[b[1][0].severity]);
  const byFile = group(all, (c) => ciPath(input, c.file));
  const sevOf = new Map(all.map((c) => [c.ruleId, c.severity]));

  let stopped = false;
  b.add('');
  b.add('### By rule');
  b.add('');
  b.add('| Rule | Severity | Problems |');
  b.add('| --- | --- | ---: |');
  let shown = 0;
  for (const [rule, list] of byRule) {
    if (shown >= RULE_ROWS || !b.add(`| [${escapeMarkdown(rule, 120)}](${linkTarget(docsUrl(rule, input.docsBaseUrl))}) | ${sevOf.get(rule)} | ${list.length} |`)) break;
    shown++;
  }
  if (shown < byRule.length) b.close(`| and ${plural(byRule.length - shown, 'more rule')} | | ${byRule.slice(shown).reduce((s, [, l]) => s + l.length, 0)} |`);

  if (b.add('') && b.add('### By file') && b.add('') && b.add('| File | Problems |') && b.add('| --- | ---: |')) {
    shown = 0;
    for (const [file, list] of byFile) {
      if (shown >= FILE_ROWS || !b.add(`| ${escapeMarkdown(file, 200)} | ${list.length} |`)) break;
      shown++;
    }
    if (shown < byFile.length) b.close(`| and ${plural(byFile.length - shown, 'more file')} | ${byFile.slice(shown).reduce((s, [, l]) => s + l.length, 0)} |`);
  } else stopped = true;

  // The first findings of each rule, with links; the rest counted.
  let rulesListed = 0;
  if (!stopped && b.add('') && b.add('### Findings')) {
    for (const [rule, list] of byRule) {
      if (!b.add('') || !b.add(`#### [${escapeMarkdown(rule, 120)}](${linkTarget(docsUrl(rule, input.docsBaseUrl))}) (${list.length})`) || !b.add('')) {
        stopped = true;
        break;
      }
      let k = 0;
      for (const c of list.slice(0, PER_RULE)) {
        if (!b.add(`- [${escapeMarkdown(ciPath(input, c.file), 200)}:${c.line}](${url(c)}) ${escapeMarkdown(c.message)}`)) break;
        k++;
      }
      const rest = list.length - k;
      if (rest > 0 && !b.add(`- and ${rest} more`)) {
        b.close(`- and ${rest} more`);
        stopped = true;
      }
      rulesListed++;
      if (stopped || k < Math.min(PER_RULE, list.length)) {
        stopped = true;
        break;
      }
    }
  } else stopped = true;
  if (stopped && rulesListed < byRule.length) {
    const left = byRule.slice(rulesListed);
    b.close('');
    b.close(`_Findings of ${plural(left.length, 'more rule')} (${left.reduce((s, [, l]) => s + l.length, 0)} problems) not listed to keep this summary short; the SARIF or text output lists every one._`);
  }
  return b.text();
}

function group(all: CliFinding[], key: (c: CliFinding) => string): [string, CliFinding[]][] {
  const m = new Map<string, CliFinding[]>();
  for (const c of all) {
    const k = key(c);
    const l = m.get(k);
    if (l) l.push(c);
    else m.set(k, [c]);
  }
  return [...m.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
}
