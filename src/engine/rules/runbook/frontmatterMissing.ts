import type { MarkdownFile } from '../../parsers/markdown';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { addFrontmatterKeysEdits, frontmatterAnchor, hasValue, mdOf, placeholderValue, RUNBOOK_KINDS, SCALAR_FRONTMATTER_KEYS } from './runbookUtil';

// The frontmatter is what the Runbooks tree, the alert code lenses and the other runbook rules
// read: who owns the runbook (`owner`/`team`), which service it is for, its tags. A runbook without
// them drops out of those views, and nobody is asked to keep it current when the system changes.
// One cause, one finding: every key of `runbooks.requiredFrontmatter` the runbook lacks is listed
// in a single finding, with a single fix that adds them all (this rule replaces
// `runbook/owner-missing`, and the "no tags" half of `runbook/tags-missing`).

export const rule: Rule<MarkdownFile> = {
  meta: {
    id: 'runbook/frontmatter-missing',
    description: 'The runbook lacks frontmatter keys that `runbooks.requiredFrontmatter` requires (owner, service, tags by default).',
    defaultSeverity: 'warning',
    profile: 'all',
    // An example's or a product's user guide (see releaseDocs.ts) has no owning team to name.
    productionOnly: true,
    practice: 'runbook-ownership',
    kinds: RUNBOOK_KINDS,
    fixable: true,
    convention: {
      subjects: (ctx) => {
        const md = mdOf(ctx.parsed);
        return md && ctx.config.runbooks.requiredFrontmatter.length && !(md.frontmatter ? !md.frontmatter.valid : /^---[ \t]*$/.test(md.lines.line(0))) ? 1 : 0;
      },
      noun: 'runbooks',
      follows: (keys) => `has ${codeList(keys)} in its frontmatter`,
      adopt: (keys) => `Add ${codeList(keys.map((k) => `${k}:`))} to the runbook template's frontmatter and fill ${keys.length > 1 ? 'them' : 'it'} in, or drop ${codeList(keys)} from \`runbooks.requiredFrontmatter\` in .opsreview.yml.`,
    },
  },
  check(ctx) {
    const md = mdOf(ctx.parsed);
    if (!md) return [];
    const required = ctx.config.runbooks.requiredFrontmatter;
    if (!required.length) return [];
    const fm = md.frontmatter;
    // Invalid YAML, or an unclosed block: frontmatter-invalid reports it; the keys are unknown.
    if (fm ? !fm.valid : /^---[ \t]*$/.test(md.lines.line(0))) return [];
    const data = fm?.data ?? {};
    // `owner` and `team` stand for each other: either names who maintains the runbook.
    const missing = required.filter((k, i) => !present(data, k) && !(isOwnerKey(k) && required.findIndex(isOwnerKey) !== i));
    if (!missing.length) return [];
    const edits = addFrontmatterKeysEdits(
      md,
      missing.map((k) => [k, placeholderValue(k, ctx.config)]),
    );
    const list = missing.map((k) => `\`${k}\``).join(', ');
    const plural = missing.length > 1;
    // A single key that is there but empty (`owner:`): point at it.
    const empty = missing.length === 1 ? fm?.keyRanges.get(missing[0]) : undefined;
    const why = missing.some(isOwnerKey) ? ' so someone keeps it current and responders can find it' : ' so responders can find it by service, owner and tags';
    const out: RuleFinding = {
      range: empty ?? frontmatterAnchor(md),
      message: empty
        ? `\`${missing[0]}:\` is empty: fill it in${why} (runbooks.requiredFrontmatter).`
        : `${fm ? 'The frontmatter lacks' : 'This runbook has no frontmatter with'} the required key${plural ? 's' : ''} ${list}: add ${plural ? 'them' : 'it'}${why} (runbooks.requiredFrontmatter).`,
      fixes: edits ? [{ title: fm ? `Add ${list} to the frontmatter` : `Add frontmatter with ${list}`, isPreferred: true, edits }] : undefined,
      convention: missing,
    };
    return [out];
  },
};

function isOwnerKey(k: string): boolean {
  return k === 'owner' || k === 'team';
}

function present(data: Record<string, unknown>, key: string): boolean {
  if (isOwnerKey(key)) return hasValue(data.owner) || hasValue(data.team) || wrongShape('owner', data.owner) || wrongShape('team', data.team);
  if (hasValue(data[key]) || wrongShape(key, data[key])) return true;
  if (key === 'last_reviewed') return hasValue(data.lastReviewed);
  return false;
}

/** A value of the wrong shape (`owner: []`, `tags: 5`) is frontmatter-invalid's, not missing. */
function wrongShape(key: string, v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (SCALAR_FRONTMATTER_KEYS.includes(key)) return typeof v !== 'string' && typeof v !== 'number';
  if (key === 'tags') return typeof v !== 'string' && typeof v !== 'object';
  return false;
}

/** `a`, `b` or `c`. */
function codeList(keys: readonly string[]): string {
  const c = keys.map((k) => `\`${k}\``);
  return c.length > 1 ? `${c.slice(0, -1).join(', ')} or ${c[c.length - 1]}` : c.join('');
}
