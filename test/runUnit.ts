import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

// Runs the unit tests (plain Node) with the spec reporter and records the counts in
// test-output/unit-result.json for scripts/test.sh's final "N passed, N failed" line.

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? files(p) : n.endsWith('.test.js') ? [p] : [];
  });
}

const repo = path.resolve(__dirname, '../..');
require('source-map-support/register');
const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 20000 });
for (const f of files(path.join(__dirname, 'unit')).sort()) mocha.addFile(f);
const runner = mocha.run((failures) => {
  const stats = runner.stats!;
  mkdirSync(path.join(repo, 'test-output'), { recursive: true });
  writeFileSync(path.join(repo, 'test-output', 'unit-result.json'), JSON.stringify({ passed: stats.passes, failed: stats.failures, pending: stats.pending }));
  process.exitCode = failures ? 1 : 0;
});
