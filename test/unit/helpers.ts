import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { Engine } from '../../src/engine/engine';
import { LineIndex } from '../../src/engine/text';
import type { Finding, Fix, TextEdit } from '../../src/engine/types';

export interface FixtureResult {
  engine: Engine;
  root: string;
  findings: Finding[];
  /** Removes the temporary workspace. */
  dispose(): void;
}

const created: string[] = [];
after(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (relative path -> text) into a fresh temp workspace and indexes it. */
export async function writeWorkspace(files: Record<string, string>, config?: object): Promise<string> {
  const root = mkdtempSync(path.join(tmpdir(), 'opsreview-test-'));
  created.push(root);
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
  if (config) writeFileSync(path.join(root, '.opsreview.yml'), stringify(config));
  return root;
}

/**
 * Indexes a small workspace and lints every file in it.
 * `opts.rule` limits the run to one rule id; `opts.now` fixes "today".
 */
export async function lintFixture(
  files: Record<string, string>,
  opts: { config?: object; rule?: string; now?: Date; profile?: 'recommended' | 'all' } = {},
): Promise<FixtureResult> {
  const root = await writeWorkspace(files, opts.config);
  // Rule tests see every rule and finding: what the default `recommended` profile reports is
  // tested on its own (profile.test.ts), through `opts.profile`.
  const engine = await Engine.create(root, { now: opts.now ?? new Date('2026-11-25T00:00:00Z'), only: opts.rule ? [opts.rule] : undefined, profile: opts.profile ?? ((opts.config as { profile?: string } | undefined)?.profile ? undefined : 'all') });
  return { engine, root, findings: engine.allFindings(), dispose: () => rmSync(root, { recursive: true, force: true }) };
}

/** Findings of one file (by relative path), optionally of one rule. */
export function findingsFor(result: FixtureResult, relPath: string, ruleId?: string): Finding[] {
  const abs = path.posix.join(result.engine.index.root, relPath);
  return result.findings.filter((f) => f.path === abs && (!ruleId || f.ruleId === ruleId));
}

/** Applies a fix's edits (all in one file) to `text`, last edit first, as an editor would. */
export function applyFix(text: string, fix: Fix): string {
  return applyEdits(text, fix.edits);
}

export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  const sorted = [...edits].sort((a, b) => lines.offsetAt(b.range.start) - lines.offsetAt(a.range.start));
  let out = text;
  for (const e of sorted) {
    out = out.slice(0, lines.offsetAt(e.range.start)) + e.newText + out.slice(lines.offsetAt(e.range.end));
  }
  return out;
}

/** `[line, character, endLine, endCharacter]` of a finding, for compact exact-range assertions. */
export function rangeOf(f: Finding): [number, number, number, number] {
  return [f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character];
}
