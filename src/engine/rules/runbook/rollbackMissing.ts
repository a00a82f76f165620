import type { Heading, MarkdownFile } from '../../parsers/markdown';
import type { Fix, Range } from '../../types';
import type { Rule } from '../types';
import { ChangingStep, changingSteps, mdOf, rollbackHeadings, RUNBOOK_KINDS } from './runbookUtil';

// Every change to production carries a rollback plan, prepared before the change and tested: in
// the middle of a failed deploy nobody should be working out how to undo it. A runbook changes
// production when its frontmatter `type` is one of `runbooks.changeTypes` or when its steps (code
// blocks, list items) run state-changing commands; it then needs a section whose heading names a
// rollback (`runbooks.rollbackHeadings`).
//
// The finding sits on the evidence: the `type` value when the type says so, otherwise the first
// state-changing command. That is where a reviewer sees why the rule asks for a rollback.
export const rule: Rule<MarkdownFile> = {
  meta: {
    id: 'runbook/rollback-missing',
    description: 'A runbook that changes production has no rollback section.',
    defaultSeverity: 'warning',
    productionOnly: true,
    practice: 'rollback-plan',
    kinds: RUNBOOK_KINDS,
    fixable: true,
  },
  check(ctx) {
    const md = mdOf(ctx.parsed);
    if (!md) return [];
    const fm = md.frontmatter;
    const type = fm?.valid && typeof fm.data.type === 'string' ? fm.data.type.trim() : undefined;
    const changeType = type && ctx.config.runbooks.changeTypes.some((t) => t.toLowerCase() === type.toLowerCase()) ? type : undefined;
    const steps = changingSteps(md);
    if (!changeType && !steps.length) return [];
    if (rollbackHeadings(md, ctx.config).length) return [];
    let range: Range;
    let why: string;
    if (changeType) {
      range = fm!.valueRanges.get('type')!;
      why = `is a \`${changeType}\` runbook${steps.length ? ` and runs \`${steps[0].text}\` (line ${steps[0].range.start.line + 1})` : ''}`;
    } else {
      range = steps[0].range;
      why = `runs \`${steps[0].text}\`${steps.length > 1 ? ` and ${steps.length - 1} more state-changing step${steps.length > 2 ? 's' : ''}` : ''}`;
    }
    const words = ctx.config.runbooks.rollbackHeadings;
    return [
      {
        range,
        message: `This runbook ${why} but has no rollback section: add a "## ${words[0] ?? 'Rollback'}" section that says when and how to undo the change, and how to verify it.`,
        fixes: [rollbackTemplateFix(md, words[0] ?? 'Rollback', steps[0])],
      },
    ];
  },
};

/** Sections a runbook usually ends with; the rollback goes before them. */
const TRAILING = /^(references?|escalations?|escalation path|contacts?|see also|related(\s+(runbooks|links|documents))?|links|further reading|resources|appendix)\b/i;

/** Inserts a numbered rollback template before trailing reference-like sections, or at the end. */
export function rollbackTemplateFix(md: MarkdownFile, word: string, step?: ChangingStep): Fix {
  const lines = md.lines;
  const eol = lines.eol;
  const sub = md.headings.filter((h) => h.level > 1);
  const level = sub.length ? Math.min(...sub.map((h) => h.level)) : 2;
  const top = md.headings.filter((h) => h.level === level);
  let before: Heading | undefined;
  for (let i = top.length - 1; i >= 0 && TRAILING.test(top[i].text); i--) before = top[i];
  const body = [
    `${'#'.repeat(level)} ${word}`,
    '',
    '1. <how to tell the change must be rolled back: the alert, metric or error that says so>',
    `2. <the exact commands that undo the change${undoHint(step)}>`,
    '3. <how to verify the rollback worked: dashboards, health checks, error rate back to normal>',
  ];
  if (before) {
    const prev = before.line > 0 ? lines.line(before.line - 1) : '';
    const text = (prev.trim() ? eol : '') + body.join(eol) + eol + eol;
    const at = { line: before.line, character: 0 };
    return { title: `Insert a ${word} section template`, isPreferred: true, edits: [{ range: { start: at, end: at }, newText: text }] };
  }
  // At the end: exactly one blank line between the last content and the new heading.
  const text = lines.text;
  const trimmed = text.replace(/(\r?\n|\r|[ \t])*$/, '');
  const start = lines.positionAt(trimmed.length);
  const end = lines.positionAt(text.length);
  const newText = (trimmed.length ? eol + eol : '') + body.join(eol) + eol;
  return { title: `Insert a ${word} section template`, isPreferred: true, edits: [{ range: { start, end }, newText }] };
}

function undoHint(step?: ChangingStep): string {
  switch (step?.label) {
    case 'kubectl':
      return ', e.g. `kubectl rollout undo`';
    case 'helm':
      return ', e.g. `helm rollback <release> <revision>`';
    case 'terraform':
      return ', e.g. re-apply the previous commit';
    case 'flyway migrate':
    case 'alembic':
    case 'rails db:migrate':
    case 'manage.py migrate':
    case 'liquibase update':
    case 'prisma migrate deploy':
    case 'database migration':
    case 'migrate':
    case 'SQL':
      return ', e.g. the down migration or the restore from backup';
    default:
      return '';
  }
}
