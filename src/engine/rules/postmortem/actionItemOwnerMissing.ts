import type { MarkdownFile } from '../../parsers/markdown';
import type { Range, RuleFinding } from '../../types';
import type { Rule, RuleContext } from '../types';
import { actionItemSections, mdOf } from './postmortemUtil';

// Action items nobody owns do not get done, and ones without a ticket or a due date are never
// checked on: the next incident finds them still open. Each action item (a list item or a table
// row of the action-items section) needs an owner and a ticket or a due date.

/** `@name`, `owner: x`, `assignee x`, `(team: x)` (plain "team" is too common a word without the colon). */
const OWNER = /(^|[\s(\[])@[\w.-]+|\b(owner|owners|owned by|assignee|assigned to|responsible)\b\s*[:=—–-]?\s*[\w@]|\b(team|dri)\s*[:=]\s*[\w@]/i;
/** A ticket key (OPS-412), an issue number (#123), a link, or a date. */
const TRACKED = /\b[A-Z][A-Z0-9]{1,9}-\d+\b|(^|\s|\()#\d+\b|https?:\/\/|\]\([^)]+\)|\b\d{4}-\d{2}-\d{2}\b|\b(due|by|until|before)\b\s*[:=]?\s*(\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|q[1-4]|end of|next)/i;
const EMPTY_CELL = /^\s*(|-|—|–|\?+|n\/a|tbd|tba|todo|none|nobody|unassigned|unknown|<[^<>]*>|(YYYY|yyyy|20xx)-(MM|mm|xx)-(DD|dd|xx))\s*$/i;
/** `Owner: TBD`, `assignee: ??`, `owner: <name>`: the owner is a placeholder, not a name. */
const PLACEHOLDER_OWNER = /\b(owner|owners|owned by|assignee|assigned to|responsible)\b\s*[:=—–-]?\s*(tbd|tba|todo|\?+|unknown|none|nobody|unassigned|n\/a|<[^<>]*>)(?![\w@])/i;
const OWNER_COLUMN = /owner|assignee|who|responsible|team|dri/i;
const TRACK_COLUMN = /ticket|issue|jira|link|tracking|due|date|deadline|when|eta|pr\b/i;

export const rule: Rule<MarkdownFile> = {
  meta: {
    id: 'postmortem/action-item-owner-missing',
    description: 'A postmortem action item has no owner, or no ticket or due date, so nobody is accountable for it and nobody checks it is done.',
    defaultSeverity: 'warning',
    practice: 'blameless-postmortem',
    kinds: ['postmortem'],
    convention: {
      subjects: (ctx) => {
        const md = mdOf(ctx.parsed);
        return md ? actionItems(md, ctx.config).length : 0;
      },
      noun: 'postmortem action items',
      follows: (keys) => keys.map((key) => (key === 'owner' ? 'names an owner (a team or @person)' : 'links a ticket or sets a due date')).join(' or '),
      adopt: (keys) =>
        `Add ${keys.map((key) => (key === 'owner' ? 'an Owner' : 'a Ticket or Due')).join(' and ')} column (or \`owner: @x\` / a ticket link in each item) to the postmortem template and fill it in, or set \`postmortem/action-item-owner-missing: off\` under \`rules:\` in .opsreview.yml if action items are tracked elsewhere.`,
    },
  },
  check(ctx) {
    const md = mdOf(ctx.parsed);
    if (!md) return [];
    const out: RuleFinding[] = [];
    for (const item of actionItems(md, ctx.config)) report(out, item.range, item.action, item.owner, item.tracked);
    return out;
  },
};

/** Every action item of the postmortem (top-level list items and table rows of its action-item sections), judged. */
function actionItems(md: MarkdownFile, config: RuleContext['config']): Row[] {
  const out: Row[] = [];
  for (const section of actionItemSections(md, config)) {
    const from = section.heading.line + 1;
    const to = section.endLine;
    const items = md.listItems.filter((i) => i.line >= from && i.line <= to);
    const minIndent = Math.min(...items.map((i) => i.range.start.character));
    for (const item of items) {
      if (item.range.start.character > minIndent) continue;
      const text = itemText(md, item.line, to);
      out.push({ range: item.range, action: text.replace(/\s+/g, ' ').trim(), owner: OWNER.test(text.replace(PLACEHOLDER_OWNER, '')), tracked: TRACKED.test(text) });
    }
    out.push(...tableRows(md, from, to));
  }
  return out;
}

function report(out: RuleFinding[], range: Range, action: string, owner: boolean, tracked: boolean): void {
  if (owner && tracked) return;
  const what = !owner && !tracked ? 'no owner and no ticket or due date' : !owner ? 'no owner' : 'no ticket or due date';
  const short = action.length > 60 ? `${action.slice(0, 57)}…` : action;
  out.push({
    range,
    message: `Action item "${short}" has ${what}: name who owns it (a team or @person) and link its ticket or set a due date, so it gets done and someone checks.`,
    convention: [...(owner ? [] : ['owner']), ...(tracked ? [] : ['tracked'])],
  });
}

/** The item's text with its continuation lines (up to the next list item or blank line). */
function itemText(md: MarkdownFile, line: number, last: number): string {
  const parts = [md.lines.line(line)];
  for (let n = line + 1; n <= last; n++) {
    const t = md.lines.line(n);
    if (!t.trim() || /^\s*([-*+]|\d+[.)])\s/.test(t) || /^\s*#/.test(t)) break;
    parts.push(t);
  }
  return parts.join(' ');
}

interface Row {
  range: Range;
  action: string;
  owner: boolean;
  tracked: boolean;
}

/** Rows of the pipe tables between two lines, judged by their header's owner and ticket/due columns. */
function tableRows(md: MarkdownFile, from: number, to: number): Row[] {
  const out: Row[] = [];
  let n = from;
  while (n <= to) {
    if (!isRow(md.lines.line(n)) || !/^\s*\|?\s*:?-{2,}/.test(md.lines.line(n + 1))) {
      n++;
      continue;
    }
    const header = cells(md.lines.line(n));
    const ownerCol = header.findIndex((h) => OWNER_COLUMN.test(h));
    const trackCols = header.map((h, i) => (TRACK_COLUMN.test(h) ? i : -1)).filter((i) => i >= 0);
    const actionCol = Math.max(0, header.findIndex((h) => /action|item|what|task|description/i.test(h)));
    for (n += 2; n <= to && isRow(md.lines.line(n)); n++) {
      const row = cells(md.lines.line(n));
      if (row.every((c) => !c.trim())) continue;
      const filled = (i: number): boolean => i >= 0 && i < row.length && !EMPTY_CELL.test(row[i]);
      const joined = row.join(' ');
      out.push({
        range: md.lines.lineRange(n),
        action: (row[actionCol] ?? joined).trim(),
        // Without an owner column the owner may still be written in the text (`@sre`).
        owner: ownerCol >= 0 ? filled(ownerCol) : OWNER.test(joined.replace(PLACEHOLDER_OWNER, '')),
        tracked: trackCols.some(filled) || TRACKED.test(joined),
      });
    }
  }
  return out;
}

function isRow(line: string): boolean {
  return /^\s*\|.*\|\s*$/.test(line);
}

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}
