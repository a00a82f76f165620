import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { resultPath } from './suite/harness';

// Entry point VS Code loads as `extensionTestsPath`: runs the mocha suites in
// out/test/integration/suite inside the real extension host. The same run() serves the
// code-server driver (runInCodeServer.ts) and @vscode/test-electron (runWithTestElectron.ts).
// The browser driving code-server cannot see this process's console, so the spec lines and
// counts are also written as JSON where the driver waits for them.

export interface IntegrationResult {
  vscodeVersion: string;
  passed: number;
  failed: number;
  pending: number;
  lines: string[];
  failures: { title: string; error: string }[];
}

export async function run(): Promise<void> {
  const lines: string[] = [];
  const failures: IntegrationResult['failures'] = [];
  // Lines tests report (harness.report) go into the spec output under the running test.
  const g = globalThis as { __opsreviewReport?: string[] };
  g.__opsreviewReport = [];
  const flushReports = (indent: string): void => {
    for (const l of g.__opsreviewReport!.splice(0)) lines.push(`${indent}  ${l}`);
  };
  // OPSREVIEW_TEST_GREP runs only the matching tests (while working on one feature; CI runs all).
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000, reporter: 'base', ...(process.env.OPSREVIEW_TEST_GREP ? { grep: process.env.OPSREVIEW_TEST_GREP } : {}) });
  const suiteDir = path.join(__dirname, 'suite');
  // Order matters little, but foundation first reads best in the log.
  for (const f of ['foundation.test.js', 'diagnostics.test.js', 'infrastructure.test.js']) {
    try {
      require.resolve(path.join(suiteDir, f));
      mocha.addFile(path.join(suiteDir, f));
    } catch {
      /* a suite not built in this tree */
    }
  }
  const { readdirSync } = await import('node:fs');
  for (const f of readdirSync(suiteDir)) {
    if (f.endsWith('.test.js') && !mocha.files.includes(path.join(suiteDir, f))) mocha.addFile(path.join(suiteDir, f));
  }
  let passed = 0;
  let failed = 0;
  let pending = 0;
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    let depth = 0;
    runner.on('suite', (s) => {
      if (s.title) lines.push(`${'  '.repeat(depth)}${s.title}`);
      if (s.title) depth++;
    });
    runner.on('suite end', (s) => {
      if (s.title) depth--;
    });
    runner.on('pass', (t) => {
      passed++;
      lines.push(`${'  '.repeat(depth)}✔ ${t.title} (${t.duration ?? 0} ms)`);
      flushReports('  '.repeat(depth));
    });
    runner.on('pending', (t) => {
      pending++;
      lines.push(`${'  '.repeat(depth)}- ${t.title}`);
    });
    runner.on('fail', (t, err: Error) => {
      failed++;
      lines.push(`${'  '.repeat(depth)}✘ ${t.title}: ${err.message}`);
      flushReports('  '.repeat(depth));
      failures.push({ title: t.fullTitle(), error: err.stack ?? err.message });
    });
  });
  const result: IntegrationResult = { vscodeVersion: vscode.version, passed, failed, pending, lines, failures };
  const out = resultPath();
  if (out) {
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(result, null, 2));
  }
  if (failed > 0) throw new Error(`${failed} integration test(s) failed`);
}
