import type { Frontmatter, MarkdownFile } from '../../parsers/markdown';
import type { Range, RuleFinding } from '../../types';
import type { Rule } from '../types';
import { MARKDOWN_KINDS, mdOf, SCALAR_FRONTMATTER_KEYS } from './runbookUtil';

// The frontmatter is what the Runbooks tree, the alert code lenses and every other runbook rule
// read: owner, service, tags, type, last_reviewed. When it is not valid YAML, or a key has the
// wrong shape, the runbook silently drops out of those views. Parse errors of runbooks and
// postmortems are reported here (not as opsreview/parse-error), moved onto the line that causes
// them. Keys that are missing are `runbook/frontmatter-missing`'s: valid frontmatter that only
// lacks keys is not invalid, and one cause gets one finding.

/** Keys holding a date. */
const DATE_KEYS = ['last_reviewed', 'lastReviewed'];

export const rule: Rule<MarkdownFile> = {
  meta: {
    id: 'runbook/frontmatter-invalid',
    description: 'The frontmatter is not valid YAML, or a key has the wrong shape (a list where one value belongs, a date that is not a date).',
    defaultSeverity: 'error',
    practice: 'valid-configuration',
    kinds: MARKDOWN_KINDS,
  },
  check(ctx) {
    const md = mdOf(ctx.parsed);
    if (!md) return [];
    const out: RuleFinding[] = [];
    const fm = md.frontmatter;
    for (const e of md.errors) {
      out.push({ range: fm ? relocate(md, fm, e.range) : e.range, message: e.message, severity: e.severity });
    }
    if (fm && fm.valid) out.push(...shapeFindings(fm));
    return out;
  },
};

function shapeFindings(fm: Frontmatter): RuleFinding[] {
  const out: RuleFinding[] = [];
  const where = (k: string): Range => fm.valueRanges.get(k) ?? fm.keyRanges.get(k)!;
  for (const k of SCALAR_FRONTMATTER_KEYS) {
    const v = fm.data[k];
    if (v === undefined || v === null || typeof v === 'string' || typeof v === 'number') continue;
    out.push({ range: where(k), message: `Frontmatter \`${k}\` must be a single value (a string), not ${describe(v)}.` });
  }
  for (const k of DATE_KEYS) {
    const v = fm.data[k];
    if (v === undefined || v === null || typeof v === 'string' || typeof v === 'number' || v instanceof Date) continue;
    out.push({ range: where(k), message: `Frontmatter \`${k}\` must be a date (YYYY-MM-DD), not ${describe(v)}.` });
  }
  const tags = fm.data.tags;
  if (tags !== undefined && tags !== null) {
    let bad: string | undefined;
    if (Array.isArray(tags)) {
      const item = tags.find((t) => t === null || typeof t === 'object' || typeof t === 'boolean');
      if (item !== undefined || tags.includes(null)) bad = `a list holding ${describe(item)}`;
    } else if (typeof tags === 'object' && !(tags instanceof Date)) {
      const val = Object.values(tags as Record<string, unknown>).find((t) => t !== null && typeof t === 'object');
      if (val !== undefined) bad = `a map holding ${describe(val)}`;
    } else if (typeof tags !== 'string') {
      bad = describe(tags);
    }
    if (bad) out.push({ range: where('tags'), message: `Frontmatter \`tags\` must be a list of strings (\`[db, team:payments]\`) or a map of strings (\`{team: payments}\`), not ${bad}.` });
  }
  return out;
}

function describe(v: unknown): string {
  if (v === null) return 'an empty item';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Date) return 'a date';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'boolean') return `\`${v}\``;
  return `\`${String(v)}\``;
}

/**
 * YAML reports an unclosed `[`/`{` or quote where the text ends, i.e. on the closing fence.
 * Point at the line that opened it instead (or the last line of the frontmatter), and give a
 * zero-width range the width of its line.
 */
function relocate(md: MarkdownFile, fm: Frontmatter, r: Range): Range {
  const lines = md.lines;
  if (r.start.line >= fm.closeLine && r.start.line <= fm.closeLine + 1 && fm.closeLine > fm.contentStartLine) {
    let depth = 0;
    let opener: { line: number; character: number } | undefined;
    for (let n = fm.contentStartLine; n < fm.closeLine; n++) {
      const text = lines.line(n);
      let inQuote: string | undefined;
      for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (inQuote) {
          if (c === inQuote) inQuote = undefined;
          continue;
        }
        if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) break;
        if ((c === '"' || c === "'") && (i === 0 || /[\s:[{,]/.test(text[i - 1]))) {
          inQuote = c;
          if (depth === 0) opener = { line: n, character: i };
        } else if (c === '[' || c === '{') {
          if (depth === 0) opener = { line: n, character: i };
          depth++;
        } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
      }
      // A quote left open at the end of a line may continue (multi-line scalar); only the
      // brackets are followed across lines.
      if (inQuote && depth === 0 && n === fm.closeLine - 1) depth = 1;
    }
    if (depth > 0 && opener) return { start: opener, end: { line: opener.line, character: lines.line(opener.line).length } };
    for (let n = fm.closeLine - 1; n >= fm.contentStartLine; n--) if (lines.line(n).trim()) return lines.lineRange(n);
  }
  if (r.start.line === r.end.line && r.start.character === r.end.character) {
    const full = lines.lineRange(r.start.line);
    if (full.end.character > r.start.character) return { start: r.start, end: full.end };
  }
  return r;
}
