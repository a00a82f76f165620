import type { LineIndex } from './text';
import type { Range } from './types';

// Inline suppressions, in whatever comment syntax the file has:
//   # opsreview-disable-next-line alert/for-missing
//   <!-- opsreview-disable-next-line runbook/placeholder -->
//   resource "x" "y" { # opsreview-disable-line terraform/tags-missing
//   # opsreview-disable terraform/prevent-destroy-missing        (whole file)
// Several ids may be given, separated by commas or spaces; a reason may follow `--`.
// A directive must name at least one rule: a blanket switch-off hides exactly what a reviewer
// should see, so it is reported rather than honoured.

export type DirectiveKind = 'file' | 'line' | 'next-line';

export interface Directive {
  kind: DirectiveKind;
  ruleIds: string[];
  /** Range of each rule id as written (for "unknown rule" / "unused" findings). */
  idRanges: Range[];
  /** The directive's own range. */
  range: Range;
  /** The line it applies to (for line/next-line). */
  targetLine: number;
}

const DIRECTIVE = /(#|\/\/|<!--|\/\*)\s*opsreview-disable(-next-line|-line)?\b([^\n]*)/;

export function findDirectives(lines: LineIndex): Directive[] {
  const out: Directive[] = [];
  // Cheap pre-check: most files have none.
  if (!lines.text.includes('opsreview-disable')) return out;
  for (let n = 0; n < lines.lineCount; n++) {
    const text = lines.line(n);
    const m = DIRECTIVE.exec(text);
    if (!m) continue;
    const kind: DirectiveKind = m[2] === '-next-line' ? 'next-line' : m[2] === '-line' ? 'line' : 'file';
    let rest = m[3];
    const restStart = m.index + m[0].length - m[3].length;
    const close = rest.search(/-->|\*\//);
    if (close >= 0) rest = rest.slice(0, close);
    const reason = rest.indexOf('--');
    if (reason >= 0) rest = rest.slice(0, reason);
    const ruleIds: string[] = [];
    const idRanges: Range[] = [];
    const idRe = /[^\s,]+/g;
    let im: RegExpExecArray | null;
    while ((im = idRe.exec(rest))) {
      ruleIds.push(im[0]);
      const col = restStart + im.index;
      idRanges.push({ start: { line: n, character: col }, end: { line: n, character: col + im[0].length } });
    }
    out.push({
      kind,
      ruleIds,
      idRanges,
      range: { start: { line: n, character: m.index }, end: { line: n, character: text.length } },
      targetLine: kind === 'next-line' ? n + 1 : n,
    });
  }
  return out;
}
