import { sectionBody, sectionTitle } from '../../alerting/postmortemTemplate';
import type { MarkdownFile } from '../../parsers/markdown';
import type { Fix, RuleFinding } from '../../types';
import { frontmatterAnchor } from '../runbook/runbookUtil';
import type { Rule } from '../types';
import { headingsFor, mdOf } from './postmortemUtil';

// A blameless review answers the same questions every time: what happened (summary), to whom
// (impact), in what order (timeline), why the system allowed it (root cause or contributing
// factors) and what changes (action items). A postmortem missing one of them is either not
// finished or skipped the part that prevents the next incident. The sections are configurable
// (postmortems.requiredSections; `A|B` accepts either heading).
export const rule: Rule<MarkdownFile> = {
  meta: {
    id: 'postmortem/section-missing',
    description: 'A postmortem lacks a section a blameless review needs (summary, impact, timeline, root cause or contributing factors, action items).',
    defaultSeverity: 'warning',
    practice: 'blameless-postmortem',
    kinds: ['postmortem'],
    fixable: true,
    convention: {
      subjects: (ctx) => (mdOf(ctx.parsed) ? 1 : 0),
      noun: 'postmortems',
      follows: (entries) => `has ${entries.map((entry) => `a ${entry.split('|').map((w) => `"${w.trim()}"`).join(' or ')} section`).join(', or ')}`,
      adopt: (entries) =>
        `Add ${entries.length > 1 ? 'the sections' : 'the section'} to the postmortem template (and the postmortems), or drop ${entries.map((e) => `\`${e}\``).join(', ')} from \`postmortems.requiredSections\` in .opsreview.yml if the repository's reviews do not use ${entries.length > 1 ? 'them' : 'it'}.`,
    },
  },
  check(ctx) {
    const md = mdOf(ctx.parsed);
    if (!md) return [];
    const missing = ctx.config.postmortems.requiredSections.filter((entry) => entry.trim() && !headingsFor(md, entry).length);
    if (!missing.length) return [];
    const names = missing.map((e) => e.split('|').map((w) => `"${w.trim()}"`).join(' or '));
    const finding: RuleFinding = {
      range: md.headings.find((h) => h.level === 1)?.range ?? frontmatterAnchor(md),
      message: `This postmortem has no ${names.join(', no ')} section: a blameless review says what happened, its impact, the timeline, why the system allowed it and what changes. Add ${missing.length > 1 ? 'them' : 'it'} (postmortems.requiredSections).`,
      fixes: [appendSections(md, missing.map(sectionTitle), ctx.config)],
      convention: missing,
    };
    return [finding];
  },
};

/** Appends the missing sections, with their guidance, at the end of the file. */
function appendSections(md: MarkdownFile, titles: string[], config: Parameters<typeof sectionBody>[1]): Fix {
  const eol = md.lines.eol;
  const text = md.lines.text;
  const trimmed = text.replace(/(\r?\n|\r|[ \t])*$/, '');
  const sub = md.headings.filter((h) => h.level > 1);
  const level = sub.length ? Math.min(...sub.map((h) => h.level)) : 2;
  const body = titles.map((t) => `${'#'.repeat(level)} ${t}${eol}${eol}${sectionBody(t, config, eol)}`).join(eol + eol);
  const start = md.lines.positionAt(trimmed.length);
  const end = md.lines.positionAt(text.length);
  return { title: `Add the missing section${titles.length > 1 ? 's' : ''}: ${titles.join(', ')}`, isPreferred: true, edits: [{ range: { start, end }, newText: `${trimmed.length ? eol + eol : ''}${body}${eol}` }] };
}
