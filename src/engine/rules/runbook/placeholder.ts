import type { MarkdownFile } from '../../parsers/markdown';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { findPlaceholders, MARKDOWN_KINDS, mdOf } from './runbookUtil';

// A runbook is read under pressure and followed literally: `kubectl -n <namespace> rollout
// restart` or "TODO: add the failover command" stops the responder exactly when time matters.
// Every TODO, TBD, FIXME, `xxx` and `<placeholder>` left in the text (frontmatter, prose, list
// items, code blocks) is reported, one finding per occurrence. HTML comments are notes for
// authors and are not read; HTML tags (`<br>`, `<details>`) and autolinks (`<https://…>`) are
// not placeholders.
export const rule: Rule<MarkdownFile> = {
  meta: {
    id: 'runbook/placeholder',
    description: 'A placeholder (TODO, TBD, FIXME, xxx, `<value>`) was left in the runbook.',
    defaultSeverity: 'info',
    practice: 'runbook-maintenance',
    kinds: MARKDOWN_KINDS,
  },
  check(ctx) {
    const md = mdOf(ctx.parsed);
    if (!md) return [];
    const text = md.text;
    const skip: [number, number][] = [];
    const comments = /<!--[\s\S]*?(-->|$)/g;
    let m: RegExpExecArray | null;
    while ((m = comments.exec(text))) {
      skip.push([m.index, m.index + m[0].length]);
      if (!m[0].length) comments.lastIndex++;
    }
    const out: RuleFinding[] = [];
    for (const p of findPlaceholders(text, skip)) {
      const word = p.text.startsWith('<') ? undefined : p.text;
      out.push({
        range: md.lines.rangeOf(p.start, p.end),
        message: word
          ? /^x+$/i.test(word)
            ? `\`${word}\` looks like a value that was never filled in: write the real one.`
            : `${word} left in the runbook: write the step or value before someone has to follow it during an incident.`
          : `Placeholder \`${p.text}\` was never filled in: replace it with the real value (or explain how to find it).`,
      });
    }
    return out;
  },
};
