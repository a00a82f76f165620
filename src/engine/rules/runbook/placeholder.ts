import type { Heading, MarkdownFile } from '../../parsers/markdown';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import type { IndexedFile, IndexView } from '../../model';
import type { LineIndex } from '../../text';
import { findPlaceholders, MARKDOWN_KINDS, mdOf, Placeholder } from './runbookUtil';
import { actionItemSections } from '../postmortem/postmortemUtil';

// A runbook is read under pressure and followed literally: "TODO: add the failover command" or
// "escalate to <team>" stops the responder exactly when time matters. Every TODO, TBD, FIXME,
// `xxx` and `<placeholder>` left in the text (frontmatter, prose, list items) is reported, one
// finding per occurrence. HTML comments are notes for authors and are not read; HTML tags
// (`<br>`, `<details>`) and autolinks (`<https://…>`) are not placeholders.
//
// Code is read as code (see inCode below): in a command, `<namespace>` or `xxxx` is the value
// the step takes (the runnable-runbook runner asks for it), in sample output `<none>` is what the
// tool prints, in a quoted error `<project-id>` is the tool's wording; none is a value someone
// forgot. TODO/FIXME in code counts on a comment line or a line of its own, and a template
// instruction (`<insert the failover command>`) counts anywhere. A placeholder the text explains
// is not reported (see explainedPlaceholders), nor one in prose of a repository whose runbooks
// use that notation throughout (see placeholderNotation), nor `xxxx-xxxx` redacting a name, nor a
// link target (`[runbook](TBD)`: runbook/link-broken reports it). In a postmortem, the template
// dates and times of one section (`HH:mm` in eight timeline rows) are one finding, on its heading.
export const rule: Rule<MarkdownFile> = {
  meta: {
    id: 'runbook/placeholder',
    description: 'A placeholder (TODO, TBD, TBA, FIXME, xxx, `<value>`, a template date or time such as `HH:mm`) was left in the runbook or postmortem.',
    defaultSeverity: 'info',
    profile: 'all',
    practice: 'runbook-maintenance',
    kinds: MARKDOWN_KINDS,
  },
  check(ctx) {
    const md = mdOf(ctx.parsed);
    if (!md) return [];
    // A template (`PMyyyy-nnn - Postmortem template.md`, `runbook-template.md`) is placeholders by design.
    if (/(^|[^a-z])(template|templates|skeleton|boilerplate)([^a-z]|$)/i.test(ctx.file.relPath.slice(ctx.file.relPath.lastIndexOf('/') + 1))) return [];
    const text = md.text;
    // In a postmortem's action items, "TBD" is the open question the item is about ("decide what
    // 'high' is: TBD"); whether the item is tracked is postmortem/action-item-owner-missing's job.
    const openItems = ctx.file.kind === 'postmortem'
      ? actionItemSections(md, ctx.config).map((sec) => [md.lines.offsetAt({ line: sec.heading.line + 1, character: 0 }), md.lines.offsetAt({ line: sec.endLine + 1, character: 0 })] as [number, number])
      : [];
    const skip: [number, number][] = [];
    const comments = /<!--[\s\S]*?(-->|$)/g;
    let m: RegExpExecArray | null;
    while ((m = comments.exec(text))) {
      skip.push([m.index, m.index + m[0].length]);
      if (!m[0].length) comments.lastIndex++;
    }
    const out: RuleFinding[] = [];
    const found = findPlaceholders(text, skip);
    const explained = explainedPlaceholders(text, found, md.lines);
    // In a repository of generic runbooks, `<namespace>` is the notation for "your value here",
    // not a value someone forgot: TODOs, template instructions and the frontmatter's placeholders
    // (the quick fixes write those) remain.
    const notation = placeholderNotation(ctx.index);
    const code = codeRegions(md);
    const bodyStart = md.frontmatter ? md.lines.offsetAt({ line: md.frontmatter.closeLine + 1, character: 0 }) : 0;
    const postmortem = ctx.file.kind === 'postmortem';
    const kept: Placeholder[] = [];
    // Text the operator copies into a change request and fills in there: its `<values>` are fields
    // for use time, not leftovers (a TODO in it is still a leftover).
    const forms = copiedTemplates(md);
    // `<NODE POOL NAME>` in a step's title names the parameter its command takes.
    const parameters = new Set(found.filter((p) => p.text.startsWith('<') && p.start >= bodyStart && inCode(code, p)).map((p) => p.text));
    for (const p of found) {
      if (explained.has(p)) continue;
      if (!/^(TODO|TBD|TBA|FIXME)$/.test(p.text) && forms.some(([a, b]) => p.start >= a && p.start < b)) continue;
      if (/^(TODO|TBD|TBA)$/.test(p.text) && openItems.some(([a, b]) => p.start >= a && p.start < b)) continue;
      if (/^x+$/i.test(p.text) && isRedaction(text, p)) continue;
      if (text.slice(p.start - 2, p.start) === '](' && text[p.end] === ')') continue;
      const where = p.start >= bodyStart ? inCode(code, p) : undefined;
      if (where && !codeLeftover(text, p, where)) continue;
      if (p.start >= bodyStart && !INSTRUCTION.test(p.text) && (p.text.startsWith('<') || /^x+$/i.test(p.text))) {
        if (notation && p.text.startsWith('<')) continue;
        if (parameters.has(p.text)) continue;
        if (quoted(text, p)) continue;
      }
      const line = md.lines.line(md.lines.positionAt(p.start).line);
      if (TEMPLATE_VALUE.test(p.text) && (SAYS_UNKNOWN.test(line) || postmortem && SAYS_WHY_OPEN.test(line))) continue;
      if (postmortem && /^TB[AD]$/.test(p.text) && SAYS_WHY_OPEN.test(text.slice(p.start, text.indexOf('\n', p.start) >>> 0))) continue;
      kept.push(p);
    }
    // A postmortem timeline written a day at a time keeps `HH:mm` in many rows: one cause.
    const { leaders, members } = postmortem ? groupTemplateValues(md, kept) : { leaders: new Map<Placeholder, { heading: Heading; group: Placeholder[] }>(), members: new Set<Placeholder>() };
    for (const p of kept) {
      if (members.has(p)) continue;
      const lead = leaders.get(p);
      if (lead) {
        const { heading, group } = lead;
        const rows = group.map((q) => md.lines.positionAt(q.start).line + 1);
        const values = [...new Set(group.map((q) => `\`${q.text}\``))];
        out.push({
          range: heading.range,
          message: `${group.length} entries under "${heading.text}" keep a template date or time (${values.slice(0, 3).join(', ')}${values.length > 3 ? ', …' : ''} on lines ${rows.slice(0, 3).join(', ')}${rows.length > 3 ? ` and ${rows.length - 3} more` : ''}): write the real times from the logs and chat history, or say they are not known, and why.`,
        });
        continue;
      }
      const word = p.text.startsWith('<') ? undefined : p.text;
      out.push({
        range: md.lines.rangeOf(p.start, p.end),
        message: word
          ? /^x+$/i.test(word)
            ? `\`${word}\` looks like a value that was never filled in: write the real one.`
            : !/^(TODO|TBD|TBA|FIXME)$/.test(word)
              ? `\`${word}\` is a template value that was never filled in: write the real ${/[-/.]/.test(word) ? (/:/.test(word) ? 'date and time' : 'date') : /:/.test(word) ? 'time' : 'value'}${postmortem ? ' (or say it is not known, and why)' : ''}.`
              : postmortem
                ? `${word} left in the postmortem: fill it in, or turn it into an action item with an owner.`
                : `${word} left in the runbook: write the step or value before someone has to follow it during an incident.`
          : `Placeholder \`${p.text}\` was never filled in: replace it with the real value (or explain how to find it).`,
      });
    }
    return out;
  },
};

/** A template date or time (`HH:mm`, `2022-05-??`), not a word or an angle placeholder. */
const TEMPLATE_VALUE = /^(?!<)(?!(?:TODO|TBD|TBA|FIXME|x+)$)/i;
/** A line that says its date or time is not known: the template value is then the honest answer. */
const SAYS_UNKNOWN = /\b(unknown|not known|unclear|uncertain|approx(imately|\.)?|estimated|sometime|some time)\b/i;

/**
 * In a postmortem, "TBA: the problem remains until the consumers are reworked": the value is open
 * and the row says why, which is what the finding would ask for.
 */
const SAYS_WHY_OPEN = /\bTB[AD]\s*(?::|\s[-–—])\s*\S+\s+\S+\s+\S+/;

/**
 * Inside a quotation that says more than the placeholder: a log line ("XXXX are dead but not yet
 * removable"), an error message, or a name pattern (the '<service> Overview' button).
 */
function quoted(text: string, p: Placeholder): boolean {
  const from = text.lastIndexOf('\n', p.start - 1) + 1;
  const to = text.indexOf('\n', p.end);
  const line = text.slice(from, to < 0 ? text.length : to);
  const a = p.start - from;
  const b = p.end - from;
  for (const m of line.matchAll(/"[^"]+"|“[^”]+”|(?<![\p{L}\p{N}])'[^']+'(?![\p{L}\p{N}])/gu)) {
    const s = m.index!;
    const e = s + m[0].length;
    if (s < a && b < e && m[0].length - 2 > b - a && /[\p{L}\p{N}]/u.test(m[0].slice(1, a - s) + m[0].slice(b - s, -1))) return true;
  }
  return false;
}

type CodeWhere = 'block' | 'inline';

/** Code blocks (fenced or indented) and inline code spans, as offset ranges. */
function codeRegions(md: MarkdownFile): [number, number, CodeWhere][] {
  const out: [number, number, CodeWhere][] = md.codeBlocks.map((b) => [md.lines.offsetAt(b.range.start), md.lines.offsetAt(b.range.end), 'block']);
  // A fence the parser did not take as one (an indented fence in a list whose lines are not
  // indented) is still code to the reader.
  for (const m of md.text.matchAll(/^[ \t]*(```|~~~)[^\n]*\n[\s\S]*?^[ \t]*\1[ \t]*$/gm)) out.push([m.index!, m.index! + m[0].length, 'block']);
  const inBlock = (i: number): boolean => out.some(([a, b]) => i >= a && i < b);
  for (const m of md.text.matchAll(/(`+)(?:[^`\n]|\n(?![ \t]*\n))+?\1(?!`)/g)) if (!inBlock(m.index!)) out.push([m.index!, m.index! + m[0].length, 'inline']);
  return out;
}

function inCode(code: readonly [number, number, CodeWhere][], p: Placeholder): CodeWhere | undefined {
  return code.find(([a, b]) => p.start >= a && p.end <= b)?.[2];
}

/**
 * Is a placeholder in code still a leftover? A template instruction is (`<insert the failover
 * command>`); `<value>` and `xxxx` are the step's parameters, sample output or quoted error text;
 * TODO/TBD/FIXME is when it is a comment (`# TODO: check the lag first`) or a line of its own,
 * not when a log line the block quotes happens to say it.
 */
function codeLeftover(text: string, p: Placeholder, where: CodeWhere): boolean {
  if (p.text.startsWith('<')) return INSTRUCTION.test(p.text);
  if (!/^(TODO|TBD|TBA|FIXME)$/.test(p.text)) return false;
  if (where === 'inline') return true;
  const before = text.slice(text.lastIndexOf('\n', p.start - 1) + 1, p.start);
  return /^\s*$/.test(before) || /(^|\s)(#|\/\/|--|;|\/\*|\*|<!--|REM\s)/.test(before);
}

/**
 * In a postmortem, the template dates and times (not TODOs, not `<value>`) of one section, when
 * on two lines or more: one finding on the section's heading, the others folded into it.
 */
function groupTemplateValues(md: MarkdownFile, kept: readonly Placeholder[]): { leaders: Map<Placeholder, { heading: Heading; group: Placeholder[] }>; members: Set<Placeholder> } {
  const leaders = new Map<Placeholder, { heading: Heading; group: Placeholder[] }>();
  const members = new Set<Placeholder>();
  const bySection = new Map<Heading, Placeholder[]>();
  for (const p of kept) {
    if (!TEMPLATE_VALUE.test(p.text)) continue;
    const line = md.lines.positionAt(p.start).line;
    const section = md.sections.filter((s) => s.heading.level > 1 && s.heading.line < line && line <= s.endLine).pop();
    if (!section) continue;
    let list = bySection.get(section.heading);
    if (!list) bySection.set(section.heading, (list = []));
    list.push(p);
  }
  for (const [heading, group] of bySection) {
    if (new Set(group.map((p) => md.lines.positionAt(p.start).line)).size < 2) continue;
    leaders.set(group[0], { heading, group });
    group.slice(1).forEach((p) => members.add(p));
  }
  return { leaders, members };
}

/** A line that tells the reader to put their own values in. */
const REPLACE_NOTE = /\b(replac(e|ed|es|ing)|substitut\w*)\b/i;
/** Placeholder text that says where its value comes from: `<instance label from alert>`. */
const NAMES_SOURCE = /\b(from|label|labels|alert)\b/i;
/** A template instruction is never an explanation: `<Insert site specific measures …>`. */
const INSTRUCTION = /^<\s*(insert|add|write|describe|fill|explain|document)\b/i;

/**
 * Angle placeholders whose value the runbook tells the reader how to find, so they are not
 * "never filled in":
 * - the placeholder says where the value comes from (`<value of instance label from alert>`);
 * - it names a label of the alert the runbook quotes (`<job>` next to `{{ $labels.job_name }}`);
 * - the text just before it says to replace it ("run this with your namespace and PVC name
 *   replaced"), and then the same placeholder further down too;
 * - it is part of a format description (`<namespace>/<name>/<endpoint-id>`).
 * TODO/TBD/FIXME and template instructions are always reported.
 */
function explainedPlaceholders(text: string, found: Placeholder[], lines: LineIndex): Set<Placeholder> {
  const out = new Set<Placeholder>();
  const labels = new Set([...text.matchAll(/\$labels\.([A-Za-z_]\w*)/g)].map((m) => m[1].toLowerCase()));
  const explainedTexts = new Set<string>();
  const angle = found.filter((p) => p.text.startsWith('<') && !INSTRUCTION.test(p.text));
  for (const p of angle) {
    const inner = p.text.slice(1, -1).trim();
    const key = inner.toLowerCase().replace(/[\s-]+/g, '_');
    const adjacent = angle.some((q) => q !== p && (q.end === p.start - 1 || q.start === p.end + 1) && /[/:.]/.test(text[q.end === p.start - 1 ? q.end : p.end]));
    const line = lines.positionAt(p.start).line;
    const noted = REPLACE_NOTE.test(leadIn(lines, line, p.start - lines.offsetAt({ line, character: 0 })));
    if (NAMES_SOURCE.test(inner) || labels.has(key) || labels.has(`${key}_name`) || adjacent || noted || explainedTexts.has(p.text)) {
      out.add(p);
      if (noted) explainedTexts.add(p.text);
    }
  }
  return out;
}

/**
 * The text that introduces a placeholder: its line up to it and the rest of its paragraph above;
 * inside a fenced code block, the block's lines above it and the paragraph before the fence.
 */
function leadIn(lines: LineIndex, line: number, character: number): string {
  const out = [lines.line(line).slice(0, character)];
  let n = line - 1;
  const paragraph = (): void => {
    for (; n >= 0 && lines.line(n).trim() && !/^\s*(```|~~~)/.test(lines.line(n)); n--) out.push(lines.line(n));
  };
  paragraph();
  if (n >= 0 && /^\s*(```|~~~)/.test(lines.line(n))) {
    for (n--; n >= 0 && !lines.line(n).trim(); n--);
    paragraph();
  }
  return out.join('\n');
}

/** Fenced code blocks and inline code spans, as offset ranges. */
function codeSpans(text: string): [number, number][] {
  return [...text.matchAll(/^[ \t]*(```|~~~)[\s\S]*?^[ \t]*\1|`[^`\n]+`/gm)].map((m) => [m.index!, m.index! + m[0].length]);
}

const ANGLE_IN_CODE = /(?<![\w<])<[A-Za-z][^<>\n]*>/;
const notationOfFile = new WeakMap<IndexedFile, boolean>();

/**
 * Do this workspace's runbooks write `<value>` in their commands as a notation (generic runbooks,
 * one per alert, for every cluster)? At least 10 runbooks, and a quarter of them or more with
 * angle placeholders in code. A team's own runbooks, with a forgotten value here and there, stay
 * below that. Per-file answers are cached (files are replaced on change).
 */
const notationOfIndex = new WeakMap<IndexView, { generation: number; value: boolean }>();

function placeholderNotation(index: IndexView): boolean {
  // The same index generation has the same runbooks: asked by every runbook, answered once.
  const generation = index.generation;
  const hit = generation !== undefined ? notationOfIndex.get(index) : undefined;
  if (hit && hit.generation === generation) return hit.value;
  const value = notationAmong(index.byKind('runbook'));
  if (generation !== undefined) notationOfIndex.set(index, { generation, value });
  return value;
}

function notationAmong(runbooks: IndexedFile[]): boolean {
  if (runbooks.length < 10) return false;
  let withNotation = 0;
  for (const f of runbooks) {
    let has = notationOfFile.get(f);
    if (has === undefined) {
      const md = mdOf(f.parsed);
      has = !!md && codeSpans(md.text).some(([a, b]) => ANGLE_IN_CODE.test(md.text.slice(a, b)));
      notationOfFile.set(f, has);
    }
    if (has) withNotation++;
  }
  return withNotation * 4 >= runbooks.length;
}

/**
 * `xxxxxxx-xxxxxx` (x runs joined by `-` or `.`) or `web-xxxxx` (the random suffix of a pod
 * name): a name redacted in sample output, not a value to fill in. `INC-xxx` still counts.
 */
function isRedaction(text: string, p: Placeholder): boolean {
  const before = text.slice(Math.max(0, p.start - 12), p.start);
  return /[-.]x+$/i.test(before) || /[a-z0-9]-$/.test(before) || /^[-.]x+/i.test(text.slice(p.end, p.end + 12));
}

/**
 * "Copy and paste the below sections into a new change request", "copy the following into the
 * issue": an instruction to copy what follows into a change request, issue, ticket or form, where
 * its `<values>` are filled in. The copied text runs from the instruction to the end of the section
 * that holds it (the sections below the instruction's own heading, up to the next heading above
 * their level). Offsets in the text, `[start, end)`.
 */
function copiedTemplates(md: MarkdownFile): [number, number][] {
  const out: [number, number][] = [];
  for (const m of md.text.matchAll(COPY_INSTRUCTION)) {
    const line = md.lines.positionAt(m.index!).line;
    const own = [...md.headings].reverse().find((h) => h.line < line);
    const level = own ? own.level : 0;
    const next = md.headings.find((h) => h.line > line && h.level < level);
    out.push([m.index!, next ? md.lines.offsetAt({ line: next.line, character: 0 }) : md.text.length]);
  }
  return out;
}

const COPY_INSTRUCTION = /\bcopy(?:[ \t]+(?:and|&)[ \t]+paste)?\s+(?:the\s+|this\s+)?(?:below|following)\b[^\n]{0,60}?\s(?:into|in|to)\s+(?:a\s+|an\s+|the\s+|your\s+)?(?:new\s+)?(?:change[\s-]?requests?|change[\s-]?management|CRs?|issues?|tickets?|merge\s+requests?|pull\s+requests?|forms?)\b/gi;
