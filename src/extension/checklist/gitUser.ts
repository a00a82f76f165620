import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';

// Who ticks an item: git's user.name for the folder (what the commit will say), else the OS user.
const cache = new Map<string, Promise<string | undefined>>();

export function gitUserName(folder: string): Promise<string | undefined> {
  let p = cache.get(folder);
  if (!p) {
    p = new Promise((resolve) => {
      execFile('git', ['config', 'user.name'], { cwd: folder, timeout: 3000 }, (err, stdout) => {
        const name = err ? '' : stdout.trim();
        if (name) return resolve(name);
        try {
          resolve(userInfo().username || undefined);
        } catch {
          resolve(undefined);
        }
      });
    });
    cache.set(folder, p);
  }
  return p;
}
