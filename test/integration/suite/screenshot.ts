import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { harnessDir } from './harness';

/**
 * Asks the driver (which holds the browser showing this VS Code) to save a screenshot of the
 * real UI as test-output/<name>.png, and waits until it has. Returns false where no driver
 * is watching (e.g. under @vscode/test-electron).
 */
export async function screenshot(name: string, timeoutMs = 15000): Promise<boolean> {
  const dir = harnessDir();
  if (!dir) return false;
  const req = path.join(dir, `screenshot-${name}.request`);
  const done = path.join(dir, `screenshot-${name}.done`);
  writeFileSync(req, name);
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(done)) {
    if (Date.now() > deadline) throw new Error(`screenshot ${name}: the driver did not answer in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}
