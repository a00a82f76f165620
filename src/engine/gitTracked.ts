import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

// Git never ignores a file it tracks: a .gitignore line written for a downloaded binary
// (`kustomize`) or for generated output (`/*.yml`) does not hide the committed `kustomize/`
// folder or `dashboard.yml`. Discovery asks the local git (no network) which tracked files a
// .gitignore names, and reads them anyway. Only when the folder is inside a git work tree (a
// `.git` at or above it) and git answers within a few seconds; otherwise .gitignore is honoured
// as written.

export interface TrackedIgnored {
  /** Root-relative paths of tracked files a .gitignore names. */
  files: Set<string>;
  /** Their folders (and every folder above them, up to the root). */
  folders: Set<string>;
}

function insideWorkTree(root: string): boolean {
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

/** The tracked files under `root` that a .gitignore names; undefined when git cannot tell. */
export function trackedIgnored(root: string): Promise<TrackedIgnored | undefined> {
  if (!insideWorkTree(root)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-c', 'core.quotepath=off', 'ls-files', '-z', '--cached', '--ignored', '--exclude-standard', '--', '.'],
      { cwd: root, encoding: 'utf8', timeout: 5000, maxBuffer: 64 * 1024 * 1024, windowsHide: true, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } },
      (err, stdout) => {
        if (err) return resolve(undefined);
        const files = new Set(stdout.split('\0').filter(Boolean));
        const folders = new Set<string>();
        for (const f of files) for (let d = path.posix.dirname(f); d !== '.' && !folders.has(d); d = path.posix.dirname(d)) folders.add(d);
        resolve({ files, folders });
      },
    );
  });
}
