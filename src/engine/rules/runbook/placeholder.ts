import type { MarkdownFile } from '../../parsers/markdown';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import type { IndexedFile, IndexView } from '../../model';
import type { LineIndex } from '../../text';
import { findPlaceholders, MARKDOWN_KINDS, mdOf, Placeholder } from './runbookUtil';
import { actionItemSections } from '../postmortem/postmortemUtil';

// A runbook is read under pressure and followed literally: `kubectl -n <namespace> rollout
// restart` or "TODO: add the failover command" stops the responder exactly when time matters.
// Every TODO, TBD, FIXME, `xxx` and `<placeholder>` left in the text (frontmatter, prose, list
// items, code blocks) is reported, one finding per occurrence. HTML comments are notes for
// authors and are not read; HTML tags (`<br>`, `<details>`) and autolinks (`<https://…>`) are
// not placeholders. A generic runbook (one per alert, for every cluster) legitimately writes
// `<pod>` for "the pod the alert names": a placeholder the text explains is not reported (see
// explainedPlaceholders), nor one in a command of a repository whose runbooks use that notation
// throughout (see placeholderNotation), nor `xxxx-xxxx` redacting a name in sample output.
export const rule: Rule<MarkdownFile> = {
  meta: {
    id: 'runbook/placeholder',
    description: 'A placeholder (TODO, TBD, TBA, FIXME, xxx, `<value>`, a template date or time such as `HH:mm`) was left in the runbook or postmortem.',
    defaultSeverity: 'info',
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
    // (the quick fixes write those) remain; so do `xxx` outside code.
    const notation = placeholderNotation(ctx.index);
    const code = notation ? codeSpans(text) : [];
    const bodyStart = md.frontmatter ? md.lines.offsetAt({ line: md.frontmatter.closeLine + 1, character: 0 }) : 0;
    for (const p of found) {
      if (explained.has(p)) continue;
      if (/^(TODO|TBD|TBA)$/.test(p.text) && openItems.some(([a, b]) => p.start >= a && p.start < b)) continue;
      if (/^x+$/i.test(p.text) && isRedaction(text, p)) continue;
      if (notation && p.start >= bodyStart) {
        if (p.text.startsWith('<') && !INSTRUCTION.test(p.text)) continue;
        if (/^x+$/i.test(p.text) && code.some(([a, b]) => p.start >= a && p.end <= b)) continue;
      }
      const word = p.text.startsWith('<') ? undefined : p.text;
      const postmortem = ctx.file.kind === 'postmortem';
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
function placeholderNotation(index: IndexView): boolean {
  const runbooks = index.byKind('runbook');
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
