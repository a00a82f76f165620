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
  return headingWordsRe(config.runbooks.rollbackHeadings);
}

/** Matches a heading holding any of the words (or phrases), case-insensitive, as words. */
export function headingWordsRe(list: readonly string[]): RegExp | undefined {
  const words = list.map((w) => w.trim()).filter(Boolean);
  if (!words.length) return undefined;
  // "Roll back" also matches "Roll-back" and "Roll  back".
  const alts = words.map((w) => w.split(/[\s-]+/).map(escapeRe).join('[\\s-]+'));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alts.join('|')})(?![\\p{L}\\p{N}])`, 'iu');
}

export function rollbackHeadings(md: MarkdownFile, config: OpsReviewConfig): Heading[] {
  const re = rollbackHeadingRe(config);
  return re ? md.headings.filter((h) => re.test(h.text)) : [];
}

// Shared with the runnable-runbook lenses: they live in the engine's runbook modules.
export { changingSteps } from '../../runbook/steps';
export type { ChangingStep } from '../../runbook/steps';
export { findPlaceholders, HTML_TAGS, onlyPlaceholders } from '../../runbook/placeholders';
export type { Placeholder } from '../../runbook/placeholders';
