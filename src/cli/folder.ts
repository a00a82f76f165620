import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** The folder a command works on (default: the current one), or undefined after saying it is no folder. */
export function folderArg(folder: string | undefined, err: (s: string) => void): string | undefined {
  const root = path.resolve(folder ?? '.');
  if (existsSync(root) && statSync(root).isDirectory()) return root;
  err(`opsreview: no such folder: ${root}\n`);
  return undefined;
}
