import type { SkippedFile } from '../../engine/discovery';
import type { RuleMeta } from '../../engine/rules/types';
import { suppressedLine } from '../../engine/suppression';
import type { Finding, SuppressedFinding } from '../../engine/types';

export interface FormatInput {
  /** The checked folder (absolute, `/`-separated); `file` paths are relative to it. */
  root: string;
  findings: Finding[];
  /** Metas of every rule that ran (SARIF lists them). */
  rules: readonly RuleMeta[];
  filesChecked: number;
  toolVersion: string;
  docsBaseUrl?: string;
  /** Folders and files left out, with why (the index's skip list). */
  skipped?: readonly SkippedFile[];
  /** List every skipped folder and file, not only the count. */
  verbose?: boolean;
  /** "conventions detected: …" (text output prints it above the summary line). */
  conventions?: string;
  /** Findings another tool's comment or config suppressed (`# noqa`, `checkov:skip=`…): SARIF lists them as suppressed, --verbose prints them. */
  suppressed?: readonly SuppressedFinding[];
}

export { suppressedByText } from '../../engine/suppression';

/** `suppressed tasks/main.yml:12:7 ansible/changed-when-missing by ansible-lint \`# noqa no-changed-when\` (tasks/main.yml:12): …`, one line each. */
export function suppressedLines(root: string, list: readonly SuppressedFinding[]): string[] {
  return list.map((f) => suppressedLine(root, f));
}

/** `skipped folder dist: listed in .gitignore`, one line per entry. */
export function skippedLines(skipped: readonly SkippedFile[]): string[] {
  return skipped.map((s) => `skipped ${s.kind} ${s.relPath}: ${s.reason}`);
}

/** A finding as the CLI prints it: 1-based line and column, path relative to the checked folder. */
export interface CliFinding {
  ruleId: string;
  severity: Finding['severity'];
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

export function toCliFinding(root: string, f: Finding): CliFinding {
  const file = f.path.startsWith(root + '/') ? f.path.slice(root.length + 1) : f.path;
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    file,
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
    message: f.message,
  };
}
