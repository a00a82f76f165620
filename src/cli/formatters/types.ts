import * as path from 'node:path';
import type { BaselineEntry } from '../../engine/baseline';
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
  /** The baseline in use: how many findings it hid and its entries that match nothing any more. */
  baseline?: { file: string; hidden: number; unmatched: readonly BaselineEntry[] };
  /** The folder CI paths are relative to (the repository checkout); `root` when not given. */
  pathBase?: string;
  /** A link to a file and line (the CI's web view of the commit); relative `path#Lline` when not given. */
  fileUrl?: (ciPath: string, line: number) => string;
}

/** A finding's path as CI reports it: relative to `pathBase` (the checkout), `/`-separated. */
export function ciPath(input: FormatInput, file: string): string {
  if (!input.pathBase || input.pathBase === input.root) return file;
  const rel = path.posix.relative(input.pathBase, path.posix.join(input.root, file));
  return rel.startsWith('..') || path.posix.isAbsolute(rel) ? file : rel;
}

/** "3 baseline entries match nothing now" lines, for the text summary and stderr. */
export function unmatchedBaselineLines(input: FormatInput): string[] {
  const b = input.baseline;
  if (!b?.unmatched.length) return [];
  const lines = input.verbose ? b.unmatched.map((e) => `unused baseline entry ${e.file}:${e.line} ${e.ruleId}: ${e.message}`) : [];
  const n = b.unmatched.length;
  lines.push(`${n} baseline ${n === 1 ? 'entry matches' : 'entries match'} no finding now (fixed, or changed into a new finding)${input.verbose ? '' : '; --verbose lists them'}; \`opsreview baseline\` rewrites ${b.file}.`);
  return lines;
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
