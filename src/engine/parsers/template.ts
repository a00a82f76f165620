// Reading a Go/Helm template (`templates/*.yaml` of a chart) as the YAML it will render to.
//
// Every `{{ … }}` action is rewritten in place, each offset and line break kept, so findings on
// the parsed tree land on the original text:
// - a line made only of actions (`{{- if … }}`, `{{- end }}`, `{{- include "labels" . | nindent 4 }}`)
//   becomes spaces, except an output action that is the whole value of the key above it
//   (`resources:` then `{{- toYaml .Values.resources | nindent 12 }}`), which becomes a quoted
//   placeholder scalar in its place;
// - an action inside a plain scalar (`namespace: {{ .Values.ns }}`, `image: {{ .Values.repo }}:{{ .Values.tag }}`,
//   `name: {{ .Release.Name }}-api`) turns the whole scalar into a double-quoted one of the same
//   length that still contains `{{`, so rules read it as a value set at render time (present, not
//   `:latest`, not a literal secret);
// - actions already inside a quoted scalar are valid YAML and stay as written.
// Output actions on a line of their own inside a mapping (`{{- include "probes" . | nindent 10 }}`
// among a container's keys) may add any key there: `templatedKeys` tells rules so.

import { isMap, isScalar, Node, YAMLMap } from 'yaml';
import { LineIndex } from '../text';

export interface TemplateAction {
  start: number;
  end: number;
  /** Alone on its line (with other actions and whitespace only). */
  wholeLine: boolean;
  /** Writes text when rendered (`include`, `toYaml`, `.Values.x`), unlike `if`/`range`/`end`/`$x :=`. */
  output: boolean;
  /** The column its output starts at (`nindent N`/`indent N`, else where it stands). */
  indent: number;
  /** Rewritten as a placeholder scalar (so its value is known to be templated). */
  placeholder: boolean;
}

export interface TemplateText {
  /** The text to parse: same length and line breaks as the original. */
  text: string;
  actions: TemplateAction[];
}

const CONTROL = /^(?:if|else|end|range|with|define|break|continue|\/\*|\$[\w]*\s*:?=)/;

/** The `{{ … }}` actions of a text (a Helm raw string `{{` `` ` ``…`` ` `` `}}` is one action). */
function findActions(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) break;
    let from = open + 2;
    const m = /^-?\s*`/.exec(text.slice(from, from + 8));
    if (m) {
      const tick = text.indexOf('`', from + m[0].length);
      if (tick < 0) break;
      from = tick + 1;
    }
    const close = text.indexOf('}}', from);
    if (close < 0) break;
    out.push({ start: open, end: close + 2 });
    i = close + 2;
  }
  return out;
}

/** Whether a line prefix leaves a quoted scalar open (YAML `'…'` doubles quotes, `"…"` escapes with `\\`). */
export function insideQuotes(prefix: string): boolean {
  let q: string | undefined;
  for (let k = 0; k < prefix.length; k++) {
    const c = prefix[k];
    if (q === '"' && c === '\\') k++;
    else if (q && c === q) q = undefined;
    else if (!q && (c === '"' || c === "'") && (k === 0 || /[\s:\[{,-]/.test(prefix[k - 1]))) q = c;
    else if (!q && c === '#' && (k === 0 || /\s/.test(prefix[k - 1]))) return false;
  }
  return q !== undefined;
}

function body(action: string): string {
  return action.replace(/^\{\{-?\s*/, '').replace(/\s*-?\}\}$/, '');
}

/** `"{{…}}"` of exactly `n` characters built from `src` (whitespace dropped, quotes and backslashes neutralised). */
function quotedPlaceholder(src: string, n: number): string | undefined {
  if (n < 6) return undefined;
  let inner = src.replace(/\s+/g, '').replace(/["\\]/g, '_');
  if (!inner.includes('{{') || inner.length > n - 2) inner = '{{' + '_'.repeat(n - 6) + '}}';
  const pad = n - 2 - inner.length;
  const at = inner.indexOf('{{') + 2;
  return '"' + inner.slice(0, at) + '_'.repeat(pad) + inner.slice(at) + '"';
}

/**
 * The text with its template actions rewritten (see the top of this file); undefined when it has
 * none outside quotes (nothing to rewrite).
 */
export function rewriteTemplate(text: string): TemplateText | undefined {
  const found = findActions(text);
  if (!found.length) return undefined;
  const lines = new LineIndex(text);
  const out = text.split('');
  const actions: TemplateAction[] = [];
  const put = (start: number, s: string) => {
    for (let k = 0; k < s.length; k++) if (out[start + k] !== '\n' && out[start + k] !== '\r') out[start + k] = s[k];
  };
  const blank = (start: number, end: number) => {
    for (let k = start; k < end; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' ';
  };
  // Actions grouped by the line they start on.
  const byLine = new Map<number, { start: number; end: number }[]>();
  for (const a of found) {
    const line = lines.positionAt(a.start).line;
    const list = byLine.get(line);
    if (list) list.push(a);
    else byLine.set(line, [a]);
  }
  let changed = false;
  const inBlock = blockScalarLines(lines);
  for (const [line, list] of byLine) {
    // Inside a literal or folded block (`description: |-`) an action is text, as written.
    if (inBlock.has(line)) continue;
    const lineStart = lines.lineStarts[line];
    const lineText = lines.line(line);
    const lineEnd = lineStart + lineText.length;
    // The line with its actions masked out, to read the YAML around them.
    let masked = lineText;
    for (const a of list) {
      const s = Math.max(0, a.start - lineStart);
      const e = Math.min(lineText.length, a.end - lineStart);
      masked = masked.slice(0, s) + 'x'.repeat(Math.max(0, e - s)) + masked.slice(e);
    }
    const rest = list.reduce((t, a) => t.slice(0, Math.max(0, a.start - lineStart)) + ' '.repeat(Math.max(0, Math.min(lineText.length, a.end - lineStart) - Math.max(0, a.start - lineStart))) + t.slice(Math.min(lineText.length, a.end - lineStart)), lineText);
    const wholeLine = rest.trim() === '' || list[list.length - 1].end > lineEnd;
    let runEnd = -1;
    for (const a of list) {
      const src = text.slice(a.start, a.end);
      const b = body(src);
      const ind = /\bn?indent\s+(\d+)/.exec(b);
      const action: TemplateAction = {
        start: a.start,
        end: a.end,
        wholeLine,
        output: !CONTROL.test(b),
        indent: ind ? Number(ind[1]) : a.start - lineStart,
        placeholder: false,
      };
      actions.push(action);
      if (wholeLine) {
        blank(a.start, a.end);
        changed = true;
        continue;
      }
      if (a.start < runEnd) continue; // rewritten with the scalar it is part of
      const col = a.start - lineStart;
      if (insideQuotes(lineText.slice(0, col))) continue;
      changed = true;
      // The plain scalar this action is part of: from the last `: `, `- `, flow opener or
      // indentation before it to the next `: `, ` #`, flow closer or the end of the line.
      const flow = /[\[{]/.test(masked.slice(0, col));
      let s = 0;
      for (let k = col - 1; k >= 0; k--) {
        const c = masked[k];
        if ((c === ' ' || c === '\t') && (masked[k - 1] === ':' || (masked[k - 1] === '-' && masked.slice(0, k - 1).trim().replace(/-\s*/g, '') === ''))) {
          s = k + 1;
          break;
        }
        if (flow && (c === '[' || c === '{' || c === ',')) {
          s = k + 1;
          break;
        }
      }
      while (s < col && /\s/.test(masked[s])) s++;
      let e = col;
      while (e < masked.length) {
        const c = masked[e];
        if (c === ':' && (e + 1 >= masked.length || /\s/.test(masked[e + 1]))) break;
        if (c === '#' && /\s/.test(masked[e - 1] ?? ' ')) break;
        if (flow && (c === ',' || c === ']' || c === '}')) break;
        e++;
      }
      while (e > col && /\s/.test(masked[e - 1])) e--;
      const run = lineText.slice(s, e);
      const ph = /^["']/.test(run) ? undefined : quotedPlaceholder(run, e - s);
      if (ph) {
        put(lineStart + s, ph);
        action.placeholder = true;
      } else blank(a.start, a.end);
      runEnd = lineStart + e;
    }
  }
  if (!changed) return undefined;
  dropElseBranches(lines, out, actions);
  placeWholeValues(text, lines, out, actions);
  return { text: out.join(''), actions };
}

/** Lines of block scalars (`key: |`, `- >-`): their text is the value, whatever it holds. */
function blockScalarLines(lines: LineIndex): Set<number> {
  const out = new Set<number>();
  for (let n = 0; n < lines.lineCount; n++) {
    const t = lines.line(n);
    if (!/(?::|^\s*-)\s+[|>][-+0-9]*\s*(?:#.*)?$/.test(t)) continue;
    const indent = /^\s*/.exec(t)![0].length;
    let k = n + 1;
    for (; k < lines.lineCount; k++) {
      const u = lines.line(k);
      if (u.trim() !== '' && /^\s*/.exec(u)![0].length <= indent) break;
      out.add(k);
    }
    n = k - 1;
  }
  return out;
}

/**
 * Only the first branch of an `{{ if }} … {{ else }} … {{ end }}` written on lines of their own is
 * kept (the others become blank lines): both branches often set the same keys.
 */
function dropElseBranches(lines: LineIndex, out: string[], actions: TemplateAction[]): void {
  const stack: { kind: string; dropFrom?: number }[] = [];
  const drop = (from: number, to: number) => {
    for (let n = from; n < to; n++) {
      const s = lines.lineStarts[n];
      for (let k = s; k < s + lines.line(n).length; k++) out[k] = ' ';
    }
  };
  for (const a of actions) {
    const b = body(lines.text.slice(a.start, a.end));
    const kw = /^(if|range|with|define|block|else|end)\b/.exec(b)?.[1];
    if (!kw) continue;
    const line = lines.positionAt(a.start).line;
    if (kw === 'else') {
      const top = stack[stack.length - 1];
      if (top && a.wholeLine && top.dropFrom === undefined) top.dropFrom = line + 1;
    } else if (kw === 'end') {
      const top = stack.pop();
      if (top?.dropFrom !== undefined && a.wholeLine) drop(top.dropFrom, line);
    } else stack.push({ kind: kw });
  }
}

/**
 * An output action alone under a key with no value (`resources:` then `{{- toYaml … | nindent 12 }}`)
 * is that key's whole value: a placeholder scalar goes where the action stood.
 */
function placeWholeValues(text: string, lines: LineIndex, out: string[], actions: TemplateAction[]): void {
  const lineOf = (a: TemplateAction) => lines.positionAt(a.start).line;
  const actionOnly = new Set(actions.filter((a) => a.wholeLine).map(lineOf));
  const content = (n: number) => !actionOnly.has(n) && lines.line(n).trim() !== '' && !/^\s*#/.test(lines.line(n));
  const indentOf = (n: number) => /^\s*/.exec(lines.line(n))![0].length;
  const byLine = new Map<number, TemplateAction[]>();
  for (const a of actions) if (a.wholeLine) byLine.set(lineOf(a), [...(byLine.get(lineOf(a)) ?? []), a]);
  for (const [n, list] of byLine) {
    const outputs = list.filter((a) => a.output);
    if (outputs.length !== 1 || list.length !== 1) continue;
    const a = outputs[0];
    let prev = n - 1;
    while (prev >= 0 && !content(prev)) prev--;
    if (prev < 0) continue;
    const keyLine = lines.line(prev).replace(/\s+#.*$/, '').trimEnd();
    if (!/:$/.test(keyLine) || /^\s*- *$/.test(keyLine)) continue;
    // Not a sibling key of the action: the key's value must be nothing else.
    const keyIndent = /^[\s-]*/.exec(keyLine)![0].length;
    const col = a.start - lines.lineStarts[n];
    // (`{{ toYaml .Values.resources | indent 10 }}` written at column 0, the `indent` idiom: its
    // output starts at column 10 all the same, and the placeholder goes inside the key's block.)
    const shifted = col <= keyIndent && /\|\s*indent\s+\d+/.test(text.slice(a.start, a.end));
    if ((col <= keyIndent && !shifted) || a.indent <= keyIndent) continue;
    // No other output action between the key and the next line with content.
    let next = prev + 1;
    let others = false;
    while (next < lines.lineCount && !content(next)) {
      if (next !== n && (byLine.get(next) ?? []).some((x) => x.output)) others = true;
      next++;
    }
    if (others) continue;
    if (next < lines.lineCount && indentOf(next) > keyIndent) continue;
    const from = shifted ? lines.lineStarts[n] + keyIndent + 2 : a.start;
    if (from >= a.end) continue;
    const ph = quotedPlaceholder(text.slice(a.start, a.end), a.end - from);
    if (!ph) continue;
    for (let k = 0; k < ph.length; k++) out[from + k] = ph[k];
    a.placeholder = true;
  }
}

/**
 * Whether a mapping of a template may get keys at render time: an output action on a line of its
 * own writes at the mapping's indentation inside it (`{{- include "probes" . | nindent 10 }}`
 * among a container's keys). Rules that report a missing key ask this first.
 */
export function templatedKeys(actions: readonly TemplateAction[] | undefined, lines: LineIndex, map: Node | null | undefined): boolean {
  if (!actions?.length || !isMap(map) || !(map as YAMLMap).items.length) return false;
  const first = (map as YAMLMap).items[0].key as Node | undefined;
  const start = first?.range?.[0] ?? map.range?.[0];
  if (start === undefined) return false;
  const pos = lines.positionAt(start);
  const col = pos.character;
  const loose = actions.filter((a) => a.wholeLine && a.output && !a.placeholder);
  if (!loose.length) return false;
  const actionLines = new Set(actions.filter((a) => a.wholeLine).map((a) => lines.positionAt(a.start).line));
  const writesHere = (n: number) => loose.some((a) => lines.positionAt(a.start).line === n && a.indent === col);
  // Action lines just above the first key belong to the mapping too.
  for (let n = pos.line - 1; n >= 0 && (actionLines.has(n) || lines.line(n).trim() === ''); n--) if (writesHere(n)) return true;
  for (let n = pos.line + 1; n < lines.lineCount; n++) {
    const t = lines.line(n);
    if (actionLines.has(n)) {
      if (writesHere(n)) return true;
      continue;
    }
    if (t.trim() === '' || /^\s*#/.test(t)) continue;
    if (/^\s*/.exec(t)![0].length < col) return false;
  }
  return false;
}

/** A value a template sets at render time (`"{{ … }}"`), or a mapping it may add keys to (see templatedKeys). */
export function templated(actions: readonly TemplateAction[] | undefined, lines: LineIndex, node: Node | null | undefined): boolean {
  if (!actions?.length) return false;
  if (isScalar(node)) return typeof node.value === 'string' && node.value.includes('{{');
  return templatedKeys(actions, lines, node);
}
