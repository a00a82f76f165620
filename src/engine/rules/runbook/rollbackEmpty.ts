import type { MarkdownFile } from '../../parsers/markdown';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { mdOf, onlyPlaceholders, rollbackHeadings, RUNBOOK_KINDS } from './runbookUtil';

// A "Rollback" heading with nothing (or "TODO") under it looks like a plan in review and is no
// plan at 3 a.m. A rollback section must hold at least one concrete step: a list item or a code
// block that says more than a placeholder, a link to the procedure that undoes the change, or a
// sentence that says it ("Put the previous token back and restart Gitaly", or why there is no
// way back and what to do instead).
export const rule: Rule<MarkdownFile> = {
  meta: {
    id: 'runbook/rollback-empty',
    description: 'A rollback section holds no concrete step (no list item, code block, link or sentence, or only placeholders).',
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
      let sentence = false;
      for (let n = from; n <= to; n++) {
        const l = md.lines.line(n);
        if (l.trim() === '' || /^\s*<!--.*-->\s*$/.test(l)) continue;
        hasText = true;
        // "Put the previous token back in Vault and restart Gitaly." or "There is no way back
        // from a control-plane upgrade; open an incident with the vendor." says it in prose.
        if (!onlyPlaceholders(l) && (l.match(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu) ?? []).length >= 6) sentence = true;
      }
      if (sentence) continue;
      const what = items.length || blocks.length ? 'only placeholders' : hasText ? 'no concrete step (no list item, code block, link or sentence)' : 'nothing';
      out.push({
        range: h.range,
        message: `The "${h.text}" section holds ${what}: list the steps that undo the change, with the exact commands, and how to verify the rollback worked.`,
      });
    }
    return out;
  },
};
