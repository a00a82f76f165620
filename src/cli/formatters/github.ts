import type { Severity } from '../../engine/types';
import { ciPath, FormatInput, toCliFinding, unmatchedBaselineLines } from './types';

// GitHub Actions workflow commands: one `::error file=…,line=…::message` line per finding, which
// the runner turns into annotations on the pull request's changed lines. Escaping follows the
// runner (actions/toolkit `command.ts`): in the message `%`, CR and LF; in property values also
// `:` and `,`.

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(input: FormatInput): string {
  const lines = input.findings.map((f) => {
    const c = toCliFinding(input.root, f);
    const props: [string, string | number][] = [
      ['file', ciPath(input, c.file)],
      ['line', c.line],
      ['col', c.column],
      ['endLine', c.endLine],
      ...(c.endLine === c.line ? [['endColumn', Math.max(c.endColumn, c.column)] as [string, number]] : []),
      ['title', `OpsReview ${c.ruleId}`],
    ];
    return `::${COMMAND[c.severity]} ${props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',')}::${escapeData(c.message)}`;
  });
  const n = input.findings.length;
  // The log also says how many there were (annotations beyond GitHub's per-step limit are not shown).
  lines.push(n ? `OpsReview: ${n} problem${n === 1 ? '' : 's'} in ${input.filesChecked} file${input.filesChecked === 1 ? '' : 's'}.` : `OpsReview: no problems found in ${input.filesChecked} file${input.filesChecked === 1 ? '' : 's'}.`);
  if (input.baseline?.hidden) lines.push(`OpsReview: ${input.baseline.hidden} finding${input.baseline.hidden === 1 ? '' : 's'} in the baseline (${input.baseline.file}) not shown.`);
  for (const l of unmatchedBaselineLines(input)) lines.push(`::notice title=OpsReview baseline::${escapeData(l)}`);
  return lines.join('\n') + '\n';
}
