import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { harnessDir } from './harness';

// Acting inside the visible webview from a test: the driver (runInCodeServer.ts), which holds the
// browser, performs the action with playwright and writes the answer back. Undefined where no
// driver is watching (e.g. under @vscode/test-electron).

let counter = 0;

export type WebviewAction = { action: 'click' | 'text' | 'count'; selector: string } | { action: 'fill' | 'press'; selector: string; value: string };

export async function inWebview<T = unknown>(req: WebviewAction, timeoutMs = 20000): Promise<T | undefined> {
  const dir = harnessDir();
  if (!dir) return undefined;
  const id = `${process.pid}-${++counter}`;
  const tmp = path.join(dir, `webview-${id}.json.tmp`);
  writeFileSync(tmp, JSON.stringify(req));
  renameSync(tmp, path.join(dir, `webview-${id}.request`));
  const done = path.join(dir, `webview-${id}.done`);
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(done)) {
    if (Date.now() > deadline) throw new Error(`webview ${req.action} ${req.selector}: the driver did not answer in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const answer = JSON.parse(readFileSync(done, 'utf8')) as { ok: boolean; value?: T; error?: string };
  unlinkSync(done);
  if (!answer.ok) throw new Error(`webview ${req.action} ${req.selector}: ${answer.error}`);
  return answer.value;
}

/** Whether the tests run under a driver that can reach webviews. */
export function canDriveWebviews(): boolean {
  return harnessDir() !== undefined;
}
