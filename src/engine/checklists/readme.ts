import { getRuleMeta } from '../rules';
import { currentRuleId } from '../rules/retired';
import { isSubjectId, SUBJECTS } from '../rules/subjects';
import { docsPath } from '../rules/types';
import { queryLabel } from './evaluate';
import { builtinChecklists } from './load';
import type { ChecklistItem } from './schema';

// Renders the README's list of built-in checklist items and what proves each (between
// <!-- checklists:start --> and <!-- checklists:end -->, by scripts/gen-readme.mjs), so the
// README cannot promise an item the built-ins do not have, or evidence they do not read.

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function examines(ruleId: string): string {
  const meta = getRuleMeta(ruleId);
  if (!meta) return 'unknown rule';
  return meta.subject ? `each ${SUBJECTS[meta.subject].noun}` : `each ${meta.kinds.join(' / ')} file`;
}

function provedBy(item: ChecklistItem): string {
  if (item.manual) return 'manual: a person ticks it in the run';
  const parts: string[] = [];
  for (const named of item.evidence?.rules ?? []) {
    const id = currentRuleId(named);
    const link = getRuleMeta(id) ? `[\`${id}\`](${docsPath(id)})` : `\`${id}\``;
    parts.push(`${link} (${examines(id)})`);
  }
  for (const q of item.evidence?.queries ?? []) {
    const kinds = ('exists' in q ? [q.exists, q.when ?? []] : [q.every]).flat();
    const subjects = kinds.filter(isSubjectId);
    parts.push(`query: ${queryLabel(q)}${subjects.length ? ` (${subjects.map((s) => SUBJECTS[s].noun).join('; ')})` : ''}`);
  }
  const scope = item.evidence?.path ? ` under \`${item.evidence.path}\`` : '';
  return parts.join('; ') + scope;
}

export function renderChecklistItems(): string {
  const out: string[] = [];
  for (const c of builtinChecklists()) {
    out.push(`**\`${c.id}\`**: ${cell(c.description)}`, '', '| Item | What it checks | Proved by |', '|---|---|---|');
    for (const s of c.sections) {
      for (const i of s.items) out.push(`| \`${i.id}\` | ${cell(i.text)} | ${cell(provedBy(i))} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
