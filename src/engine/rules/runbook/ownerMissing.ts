import type { MarkdownFile } from '../../parsers/markdown';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { addFrontmatterKeysEdits, frontmatterAnchor, hasValue, mdOf, placeholderValue, RUNBOOK_KINDS } from './runbookUtil';

// A runbook nobody owns is not kept up to date: when the system it describes changes, nobody is
// asked to change the runbook, and the responder at 3 a.m. follows steps for last year's setup.
// `owner:` (or `team:`) in the frontmatter names who maintains it; the Runbooks tree groups by it.
export const rule: Rule<MarkdownFile> = {
  meta: {
    id: 'runbook/owner-missing',
    description: 'The runbook does not name an owner (or team) in its frontmatter.',
    defaultSeverity: 'warning',
    practice: 'runbook-ownership',
    kinds: RUNBOOK_KINDS,
    fixable: true,
  },
  check(ctx) {
    const md = mdOf(ctx.parsed);
    if (!md) return [];
    const required = ctx.config.runbooks.requiredFrontmatter;
    if (!required.includes('owner') && !required.includes('team')) return [];
    const fm = md.frontmatter;
    // Invalid YAML, or an unclosed block: frontmatter-invalid reports it; the keys are unknown.
    if (fm ? !fm.valid : /^---[ \t]*$/.test(md.lines.line(0))) return [];
    const data = fm?.data ?? {};
    if (hasValue(data.owner) || hasValue(data.team)) return [];
    // A key that is there with the wrong shape (`owner: []`) is frontmatter-invalid's.
    if ([data.owner, data.team].some((v) => v !== undefined && v !== null && typeof v !== 'string')) return [];
    const key = required.includes('owner') || !required.includes('team') ? 'owner' : 'team';
    // Creating the block: add every required key at once, so one fix gets the runbook in shape.
    const keys = fm ? [key] : required.filter((k) => k !== (key === 'owner' ? 'team' : 'owner'));
    const edits = addFrontmatterKeysEdits(
      md,
      keys.map((k) => [k, placeholderValue(k, ctx.config)]),
    );
    const empty = fm?.keyRanges.get(key);
    const out: RuleFinding = {
      range: empty ?? frontmatterAnchor(md),
      message: empty
        ? `\`${key}:\` is empty: name the team that maintains this runbook.`
        : `This runbook names no owner: add \`owner:\` (or \`team:\`) to its ${fm ? 'frontmatter' : 'frontmatter (there is none yet)'} so someone keeps it current.`,
      fixes: edits ? [{ title: fm ? `Add \`${key}:\` to the frontmatter` : `Add frontmatter with ${keys.map((k) => `\`${k}\``).join(', ')}`, isPreferred: true, edits }] : undefined,
    };
    return [out];
  },
};
