import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

// Where the in-VS Code tests and the outside driver meet: a folder beside the workspace copy
// (`<tmp>/ws` is the workspace, `<tmp>/harness/` holds the result and screenshot requests).
// Under @vscode/test-electron there is no such folder and screenshots are skipped.

export function harnessDir(): string | undefined {
  const ws = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!ws) return undefined;
  const dir = path.join(path.dirname(ws), 'harness');
  return existsSync(dir) ? dir : undefined;
}

export function resultPath(): string | undefined {
  const dir = harnessDir();
  return process.env.OPSREVIEW_TEST_RESULT ?? (dir ? path.join(dir, 'result.json') : undefined);
}

/**
 * Prints a line into the integration report. The extension host's console is not the driver's,
 * so lines go through a shared buffer that index.ts writes into the result.
 */
export function report(line: string): void {
  const g = globalThis as { __opsreviewReport?: string[] };
  (g.__opsreviewReport ??= []).push(line);
}
