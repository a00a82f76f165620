import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

// The engine is shared by the CLI, the language server and other editors: it must never
// depend on the VS Code API. Neither may the server.
function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('architecture boundaries', () => {
  const srcRoot = path.join(__dirname, '../../../src');
  for (const part of ['engine', 'server', 'cli']) {
    it(`src/${part} has no vscode import`, () => {
      const offenders = tsFiles(path.join(srcRoot, part)).filter((f) => /(from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/.test(readFileSync(f, 'utf8')));
      assert.deepEqual(offenders, []);
    });
  }
  it('the check itself catches an import of vscode', () => {
    assert.ok(/(from\s+['"]vscode['"])/.test(`import * as vscode from 'vscode';`));
  });
});
