import type { ChecklistResult, ItemResult, ItemState } from './evaluate';

// A summary of a checklist run for a pull-request description or a release ticket: the verdict
// first, what blocks it, then every section as a task list with the evidence behind each item.

const MARK: Record<ItemState, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  na: '➖ n/a',
  'not-evaluated': '❔ not evaluated',
  open: '⬜ open',
  done: '✅ done',
  waived: '⚠️ waived',
};

/** At most this many findings per item; the rest are counted. */
const MAX_REFS = 10;

export function checklistMarkdown(result: ChecklistResult): string {
  const out: string[] = [];
  const verdict = result.verdict === 'ready' ? '✅ **Ready**' : '⛔ **Blocked**';
  out.push(`## ${result.title}${result.run ? ` — run \`${result.run}\`` : ''}`, '');
  out.push(`${verdict}: ${result.progress.settled} of ${result.progress.total} items settled.`, '');
  if (result.blocking.length) {
    out.push('Blocked by:', '');
    for (const id of result.blocking) {
      const item = result.items.find((i) => i.id === id)!;
      const why = item.kind === 'manual' ? 'not ticked' : item.state === 'not-evaluated' ? 'not evaluated' : `${item.evidence.length} finding${item.evidence.length === 1 ? '' : 's'}`;
      out.push(`- \`${item.id}\` ${escape(item.text)} (${why})`);
    }
    out.push('');
  }
  let section = '';
  for (const item of result.items) {
    if (item.section !== section) {
      section = item.section;
      out.push(`### ${escape(item.sectionTitle)}`, '');
    }
    out.push(...itemLines(item));
  }
  out.push('');
  if (result.notes.length) {
    out.push('<details><summary>Not evaluated</summary>', '');
    for (const n of result.notes) out.push(`- ${escape(n)}`);
    out.push('', '</details>', '');
  }
  out.push(`<sub>Checklist \`${result.checklist}\` evaluated by OpsReview from the repository's files${result.run ? ` and \`.opsreview/runs/${result.checklist}/${result.run}.yml\`` : ''}.</sub>`, '');
  return out.join('\n');
}

function itemLines(item: ItemResult): string[] {
  const box = item.state === 'fail' || item.state === 'open' || item.state === 'not-evaluated' ? '[ ]' : '[x]';
  const lines = [`- ${box} ${MARK[item.state]} — ${escape(item.text)}`];
  const who = item.run && item.state !== 'open' && item.run.state !== 'open' ? [item.run.by, item.run.at?.slice(0, 10)].filter(Boolean).join(', ') : '';
  if (who || (item.run?.note && item.state !== 'open')) lines.push(`  - ${[who, item.run?.note ? escape(item.run.note) : ''].filter(Boolean).join(': ')}`);
  if (item.reason && item.kind === 'auto' && (item.state === 'na' || item.state === 'not-evaluated')) lines.push(`  - ${escape(item.reason)}.`);
  if (item.kind === 'auto' && (item.state === 'fail' || item.state === 'waived' || item.state === 'not-evaluated')) {
    for (const ref of item.evidence.slice(0, MAX_REFS)) {
      const where = ref.file ? `\`${ref.file}${ref.line ? `:${ref.line}` : ''}\` ` : '';
      lines.push(`  - ${where}${escape(ref.message)} (${ref.ruleId})`);
    }
    if (item.evidence.length > MAX_REFS) lines.push(`  - … and ${item.evidence.length - MAX_REFS} more`);
  }
  return lines;
}

/** Keeps text from turning into markdown it was not meant to be (tables, HTML). */
function escape(s: string): string {
  return s.replace(/[<>|]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}
