import type { MarkdownFile } from '../../parsers/markdown';
import type { TextEdit } from '../../types';
import type { Rule } from '../types';
import { addFrontmatterKeysEdits, frontmatterAnchor, hasValue, mdOf, placeholderValue, RUNBOOK_KINDS, tagsPlaceholder } from './runbookUtil';

// Tags are how a responder finds the runbook for the thing that is on fire (the Runbooks tree
// groups and filters by them) and how a team sees which of its services have runbooks at all.
// `runbooks.requiredTags` names tag keys every runbook must carry (`team:payments`, `tier:1`),
// written `key:value` in a tag list or as keys of a tag map. A runbook with no tags at all is
// `runbook/frontmatter-missing`'s while `runbooks.requiredFrontmatter` lists `tags` (the default):
// one finding for every missing key, not one per rule.
export const rule: Rule<MarkdownFile> = {
  meta: {
    id: 'runbook/tags-missing',
    description: 'The runbook\'s tags lack a tag key that `runbooks.requiredTags` requires.',
    defaultSeverity: 'warning',
    practice: 'runbook-maintenance',
    kinds: RUNBOOK_KINDS,
    fixable: true,
  },
  check(ctx) {
    const md = mdOf(ctx.parsed);
    if (!md) return [];
    const requiredKeys = ctx.config.runbooks.requiredTags;
    if (!requiredKeys.length) return [];
    const fm = md.frontmatter;
    if (fm ? !fm.valid : /^---[ \t]*$/.test(md.lines.line(0))) return [];
    const tags = fm?.data.tags;
    // A value of the wrong shape is frontmatter-invalid's.
    if (tags !== undefined && tags !== null && typeof tags !== 'string' && typeof tags !== 'object') return [];
    if (!hasValue(tags)) {
      // No tags at all: frontmatter-missing asks for them (its fix writes the required keys).
      const requiredFm = ctx.config.runbooks.requiredFrontmatter;
      if (requiredFm.includes('tags')) return [];
      const keys = fm ? ['tags'] : ['tags', ...requiredFm.filter((k) => k !== 'tags')];
      const edits = addFrontmatterKeysEdits(
        md,
        keys.map((k) => [k, placeholderValue(k, ctx.config)]),
      );
      return [
        {
          range: fm?.valueRanges.get('tags') ?? fm?.keyRanges.get('tags') ?? frontmatterAnchor(md),
          message: `This runbook has no tags: add \`tags:\` with ${requiredKeys.map((k) => `\`${k}:…\``).join(', ')} (runbooks.requiredTags) so responders can find it by service, component and team.`,
          fixes: edits ? [{ title: fm ? `Add \`tags: ${tagsPlaceholder(requiredKeys)}\`` : `Add frontmatter with ${keys.map((k) => `\`${k}\``).join(', ')}`, isPreferred: true, edits }] : undefined,
        },
      ];
    }
    const missing = requiredKeys.filter((k) => !hasTagKey(tags, k));
    if (!missing.length) return [];
    const range = fm!.valueRanges.get('tags')!;
    const edit = addTagsEdit(md, range, tags, missing);
    return [
      {
        range,
        message: `Tags lack the required key${missing.length > 1 ? 's' : ''} ${missing.map((k) => `\`${k}\``).join(', ')} (runbooks.requiredTags): add ${missing.map((k) => `\`${k}:<value>\``).join(', ')}.`,
        fixes: edit ? [{ title: `Add ${missing.map((k) => `\`${k}:<${k}>\``).join(', ')} to the tags`, isPreferred: true, edits: [edit] }] : undefined,
      },
    ];
  },
};

/** `key:value` in a tag list (or comma-separated string), or a key of a tag map. */
export function hasTagKey(tags: unknown, key: string): boolean {
  const k = key.toLowerCase();
  const inList = (items: unknown[]): boolean =>
    items.some((t) => {
      if (t === null || typeof t === 'object') return false;
      const s = String(t).trim().toLowerCase();
      return s.startsWith(`${k}:`) || s.startsWith(`${k}=`) || s.startsWith(`${k} :`);
    });
  if (Array.isArray(tags)) return inList(tags);
  if (tags && typeof tags === 'object') return Object.keys(tags).some((x) => x.trim().toLowerCase() === k);
  if (typeof tags === 'string') return inList(tags.split(','));
  return false;
}

/** Adds entries to the tags value in the form it is written (flow list/map, block list/map, string). */
function addTagsEdit(md: MarkdownFile, r: { start: { line: number; character: number }; end: { line: number; character: number } }, tags: unknown, missing: string[]): TextEdit | undefined {
  const lines = md.lines;
  const eol = lines.eol;
  const first = lines.line(r.start.line).slice(r.start.character);
  const isMap = !!tags && typeof tags === 'object' && !Array.isArray(tags);
  const entry = (k: string): string => (isMap ? `${k}: <${k}>` : `${k}:<${k}>`);
  if (first.startsWith('[') || first.startsWith('{')) {
    // Flow collection: before the closing bracket.
    const text = lines.text.slice(lines.offsetAt(r.start), lines.offsetAt(r.end));
    const close = text.lastIndexOf(first.startsWith('[') ? ']' : '}');
    if (close < 0) return undefined;
    const inner = text.slice(1, close);
    const trimmedEnd = inner.replace(/\s+$/, '');
    const pos = lines.positionAt(lines.offsetAt(r.start) + 1 + trimmedEnd.length);
    return { range: { start: pos, end: pos }, newText: `${trimmedEnd.trim() ? ', ' : ''}${missing.map(entry).join(', ')}` };
  }
  if (typeof tags === 'string') {
    if (/^["'|>]/.test(first)) return undefined;
    return { range: { start: r.end, end: r.end }, newText: `, ${missing.map(entry).join(', ')}` };
  }
  // Block list or map: new lines after the last entry, at the same indentation.
  let last = r.end.character === 0 && r.end.line > r.start.line ? r.end.line - 1 : r.end.line;
  while (last > r.start.line && !lines.line(last).trim()) last--;
  const indent = ' '.repeat(r.start.character);
  const end = { line: last, character: lines.line(last).length };
  return { range: { start: end, end }, newText: missing.map((k) => `${eol}${indent}${Array.isArray(tags) ? '- ' : ''}${entry(k)}`).join('') };
}
