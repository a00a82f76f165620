import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

// The standard launcher for contributors who are online: @vscode/test-electron downloads
// VS Code 1.100.3 and runs the same suites (out/test/integration/index.js) in its extension
// host, on a copy of the sample workspace. It cannot run on the offline CI machines, which
// use runInCodeServer.ts instead.
//   npx tsc -p . && node esbuild.mjs && node out/test/integration/runWithTestElectron.js

async function main(): Promise<void> {
  const repo = path.resolve(__dirname, '../../..');
  const ws = path.join(mkdtempSync(path.join(tmpdir(), 'opsreview-it-')), 'ws');
  cpSync(path.join(repo, 'runbooks'), ws, { recursive: true });
  await runTests({
    version: '1.100.3',
    extensionDevelopmentPath: repo,
    extensionTestsPath: path.join(repo, 'out/test/integration/index.js'),
    launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust'],
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
