import { fingerprintOf } from '../../engine/fingerprint';
import type { Severity } from '../../engine/types';
import { ciPath, FormatInput, toCliFinding } from './types';

// GitLab Code Quality (a subset of the Code Climate issue format), for a job's
// `artifacts: reports: codequality:`. GitLab shows new and fixed issues in the merge request by
// comparing `fingerprint`s between the source and target branch reports, so the fingerprint is
// the baseline's line-independent identity.

/** The fields GitLab reads, in its words. */
export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  location: { path: string; lines: { begin: number; end: number } };
}

// As ESLint's and other linters' Code Climate reports do: an error is major, a warning minor.
const SEVERITY: Record<Severity, CodeQualityIssue['severity']> = { error: 'major', warning: 'minor', info: 'info' };

export function formatGitlab(input: FormatInput): string {
  const issues: CodeQualityIssue[] = input.findings.map((f) => {
    const c = toCliFinding(input.root, f);
    return {
      description: c.message,
      check_name: c.ruleId,
      fingerprint: fingerprintOf(f, input.root),
      severity: SEVERITY[c.severity],
      location: { path: ciPath(input, c.file), lines: { begin: c.line, end: Math.max(c.line, c.endLine) } },
    };
  });
  return JSON.stringify(issues, null, 2) + '\n';
}
