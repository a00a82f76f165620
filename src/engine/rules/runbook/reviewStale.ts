import type { MarkdownFile } from '../../parsers/markdown';
import type { Rule } from '../types';
import { mdOf, RUNBOOK_KINDS } from './runbookUtil';

// Systems change under their runbooks: hosts are renamed, dashboards move, commands gain flags.
// A runbook nobody has read in half a year is likely to send a responder down a path that no
// longer exists. `last_reviewed:` records when someone last walked through it; this rule asks for
// a review once that is older than `runbooks.reviewMaxAgeDays`. A runbook without the key is not
// judged here (list `last_reviewed` in `runbooks.requiredFrontmatter` to require it; then
// frontmatter-invalid reports its absence).
export const rule: Rule<MarkdownFile> = {
  meta: {
    id: 'runbook/review-stale',
    description: 'The runbook\'s `last_reviewed` date is older than the configured review interval, or is not a date.',
    defaultSeverity: 'info',
    practice: 'runbook-maintenance',
    kinds: RUNBOOK_KINDS,
  },
  check(ctx) {
    const md = mdOf(ctx.parsed);
    const fm = md?.frontmatter;
    if (!fm || !fm.valid) return [];
    const key = fm.data.last_reviewed !== undefined ? 'last_reviewed' : fm.data.lastReviewed !== undefined ? 'lastReviewed' : undefined;
    if (!key) return [];
    const v = fm.data[key];
    if (v === null || (typeof v === 'string' && !v.trim())) return [];
    if (typeof v === 'object' && !(v instanceof Date)) return []; // a list or map: frontmatter-invalid
    const range = fm.valueRanges.get(key)!;
    const date = parseDate(v);
    if (!date) {
      return [{ range, message: `\`${key}: ${String(v)}\` is not a date: write the day of the last review as YYYY-MM-DD.` }];
    }
    const max = ctx.config.runbooks.reviewMaxAgeDays;
    const now = Date.UTC(ctx.now.getUTCFullYear(), ctx.now.getUTCMonth(), ctx.now.getUTCDate());
    const days = Math.floor((now - date.getTime()) / 86_400_000);
    if (days <= max) return [];
    const day = date.toISOString().slice(0, 10);
    return [
      {
        range,
        message: `Last reviewed ${day}, ${days} days ago (review interval: ${max} days): walk through the runbook, fix what changed and update \`${key}\`.`,
      },
    ];
  },
};

/** A calendar day from `YYYY-MM-DD` (optionally followed by a time) or a YAML timestamp. */
export function parseDate(v: unknown): Date | undefined {
  if (v instanceof Date) return isNaN(v.getTime()) ? undefined : v;
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(v.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return date;
}
