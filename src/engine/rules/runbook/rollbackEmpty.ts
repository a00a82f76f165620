import type { MarkdownFile } from '../../parsers/markdown';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { mdOf, onlyPlaceholders, rollbackHeadings, RUNBOOK_KINDS } from './runbookUtil';

// A "Rollback" heading with nothing (or "TODO") under it looks like a plan in review and is no
// plan at 3 a.m. A rollback section must hold at least one concrete step: a list item or a code
// block that says more than a placeholder, or a link to the procedure that undoes the change.
export const rule: Rule<MarkdownFile> = {
  meta: {
    id: 'runbook/rollback-empty',
    description: 'A rollback section holds no concrete step (no list item, code block or link, or only placeholders).',
    defaultSeverity: 'warning',
    practice: 'rollback-plan',
    kinds: RUNBOOK_KINDS,
  },
  check(ctx) {
    const md = mdOf(ctx.parsed);
    if (!md) return [];
    const out: RuleFinding[] = [];
    for (const h of rollbackHeadings(md, ctx.config)) {
      const section = md.sections.find((s) => s.heading === h);
      const from = h.line + 1;
      const to = section?.endLine ?? md.lines.lineCount - 1;
      const inside = (line: number): boolean => line >= from && line <= to;
      const items = md.listItems.filter((i) => inside(i.line));
      const blocks = md.codeBlocks.filter((b) => inside(b.line));
      const links = md.links.filter((l) => inside(l.line) && !l.image && l.href.trim());
      const concrete = items.some((i) => !onlyPlaceholders(i.text)) || blocks.some((b) => !onlyPlaceholders(b.content)) || links.length > 0;
      if (concrete) continue;
      let hasText = false;
      for (let n = from; n <= to && !hasText; n++) hasText = md.lines.line(n).trim() !== '' && !/^\s*<!--.*-->\s*$/.test(md.lines.line(n));
      const what = items.length || blocks.length ? 'only placeholders' : hasText ? 'no concrete step (no list item, code block or link)' : 'nothing';
      out.push({
        range: h.range,
        message: `The "${h.text}" section holds ${what}: list the steps that undo the change, with the exact commands, and how to verify the rollback worked.`,
      });
    }
    return out;
  },
};
