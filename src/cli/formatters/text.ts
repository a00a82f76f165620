import { summariseSkipped } from '../../engine/discovery';
import { FormatInput, skippedLines, suppressedLines, toCliFinding, unmatchedBaselineLines } from './types';

/** `file:line:col severity message rule-id`, like other linters, then a summary line (and one for skips). */
export function formatText(input: FormatInput, color = false): string {
  const paint = (code: string, s: string): string => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sev = { error: paint('31', 'error'), warning: paint('33', 'warning'), info: paint('36', 'info') };
  const lines = input.findings.map((f) => {
    const c = toCliFinding(input.root, f);
    return `${c.file}:${c.line}:${c.column} ${sev[c.severity]} ${c.message} ${paint('2', c.ruleId)}`;
  });
  const n = { error: 0, warning: 0, info: 0 };
  for (const f of input.findings) n[f.severity]++;
  const total = input.findings.length;
  const plural = (k: number, w: string): string => `${k} ${w}${k === 1 ? '' : 's'}`;
  if (input.conventions) lines.push(paint('2', input.conventions));
  lines.push(
    total === 0
      ? `No problems found in ${plural(input.filesChecked, 'file')}.`
      : `${plural(total, 'problem')} (${plural(n.error, 'error')}, ${plural(n.warning, 'warning')}, ${n.info} info) in ${plural(input.filesChecked, 'file')}.`,
  );
  if (input.baseline?.hidden) lines.push(`${plural(input.baseline.hidden, 'finding')} in the baseline (${input.baseline.file}) not shown; --no-baseline shows them.`);
  lines.push(...unmatchedBaselineLines(input));
  // What other tools' comments suppressed stays auditable: counted, and listed with --verbose.
  const suppressed = input.suppressed ?? [];
  if (suppressed.length) {
    if (input.verbose) lines.push(...suppressedLines(input.root, suppressed).map((l) => paint('2', l)));
    lines.push(`Suppressed ${suppressed.length} finding${suppressed.length === 1 ? '' : 's'} by other tools' comments or config (${[...new Set(suppressed.map((s) => s.suppressedBy.tool))].join(', ')})${input.verbose ? '.' : '; --verbose lists them.'}`);
  }
  // Nothing is left out silently: say what was skipped (and, with --verbose, list it).
  const skipped = input.skipped ?? [];
  if (skipped.length) {
    if (input.verbose) lines.push(...skippedLines(skipped).map((l) => paint('2', l)));
    lines.push(`Skipped ${summariseSkipped(skipped)}${input.verbose ? '.' : '; --verbose lists them.'}`);
  }
  return lines.join('\n') + '\n';
}
