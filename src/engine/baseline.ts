import { fingerprintOf, relativeTo } from './fingerprint';
import type { Finding } from './types';

// The baseline: the findings a repository already had when it adopted OpsReview, written by
// `opsreview baseline` to `.opsreview-baseline.json`. `check` reports only findings that are not
// in it, the editor shows baselined ones as hints. One entry hides one finding (entries match by
// fingerprint, which carries an occurrence index); entries that match nothing any more (fixed,
// or changed so much they are a new finding) are reported, as unused suppressions are.

export const BASELINE_FILE = '.opsreview-baseline.json';
export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  /** Workspace-relative, `/`-separated. */
  file: string;
  /** Where it was when the baseline was written (for people reading the file; matching ignores it). */
  line: number;
  message: string;
}

export interface Baseline {
  version: number;
  entries: BaselineEntry[];
}

export function makeBaseline(findings: readonly Finding[], root: string): Baseline {
  const entries = findings.map((f) => ({
    fingerprint: fingerprintOf(f, root),
    ruleId: f.ruleId,
    file: relativeTo(root, f.path),
    line: f.range.start.line + 1,
    message: f.message,
  }));
  entries.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint));
  return { version: BASELINE_VERSION, entries };
}

/** The file's text: one entry per line, so a refreshed baseline diffs line by line in review. */
export function serialiseBaseline(b: Baseline): string {
  return `{\n  "version": ${b.version},\n  "entries": [\n${b.entries.map((e) => '    ' + JSON.stringify(e)).join(',\n')}\n  ]\n}\n`;
}

/** Reads a baseline file's text; a clear message (never a throw) when it is not one. */
export function parseBaseline(text: string): { baseline: Baseline } | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { error: `not valid JSON (${(e as Error).message})` };
  }
  const d = data as { version?: unknown; entries?: unknown };
  if (!d || typeof d !== 'object' || !Array.isArray(d.entries)) return { error: 'not an OpsReview baseline (expected an object with "entries"); `opsreview baseline` writes one' };
  if (d.version !== BASELINE_VERSION) return { error: `baseline version ${JSON.stringify(d.version)} is not ${BASELINE_VERSION}; run \`opsreview baseline\` to rewrite it` };
  const entries: BaselineEntry[] = [];
  for (const [i, e] of (d.entries as unknown[]).entries()) {
    const x = e as Partial<BaselineEntry>;
    if (!x || typeof x.fingerprint !== 'string' || typeof x.ruleId !== 'string' || typeof x.file !== 'string') return { error: `entry ${i + 1} lacks fingerprint, ruleId or file` };
    entries.push({ fingerprint: x.fingerprint, ruleId: x.ruleId, file: x.file, line: typeof x.line === 'number' ? x.line : 0, message: typeof x.message === 'string' ? x.message : '' });
  }
  return { baseline: { version: BASELINE_VERSION, entries } };
}

export interface BaselineScope {
  /** Only entries of these workspace-relative files are judged (a check of some files, --changed-since). */
  files?: ReadonlySet<string>;
  /** Only entries of these rules are judged (--rule). */
  rules?: readonly string[];
}

export interface BaselineResult {
  /** Findings not in the baseline: what `check` reports. */
  fresh: Finding[];
  /** Findings the baseline holds. */
  baselined: Finding[];
  /** Entries in scope that matched no finding. */
  unmatched: BaselineEntry[];
}

/** Splits findings into new and baselined; one entry matches at most one finding. */
export function applyBaseline(findings: readonly Finding[], baseline: Baseline, root: string, scope: BaselineScope = {}): BaselineResult {
  const open = new Map<string, BaselineEntry>();
  for (const e of baseline.entries) open.set(entryKey(e), e);
  const fresh: Finding[] = [];
  const baselined: Finding[] = [];
  for (const f of findings) {
    if (open.delete(baselineKey(f, root))) baselined.push(f);
    else fresh.push(f);
  }
  const unmatched = [...open.values()].filter((e) => (!scope.files || scope.files.has(e.file)) && (!scope.rules || scope.rules.includes(e.ruleId)));
  return { fresh, baselined, unmatched };
}

/** The set of fingerprints a baseline holds, keyed as `applyBaseline` matches (for the editor). */
export function baselineKeys(baseline: Baseline): Set<string> {
  return new Set(baseline.entries.map(entryKey));
}

export function baselineKey(f: Finding, root: string): string {
  return `${relativeTo(root, f.path)}\0${f.ruleId}\0${fingerprintOf(f, root)}`;
}

function entryKey(e: BaselineEntry): string {
  return `${e.file}\0${e.ruleId}\0${e.fingerprint}`;
}
