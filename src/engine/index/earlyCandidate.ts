import { lstatSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import ignore from 'ignore';
import { classifyByPath } from '../classify';
import type { OpsReviewConfig } from '../config/schema';
import { builtInSkip, configSkip } from '../discovery';

// Before the folder is listed (discovery walks every folder: a second on a large tree), a file
// open in an editor can be diagnosed already when it is plainly one discovery will list: checked
// here from its own path only (built-in skips, include/exclude, each .gitignore on the way, no
// symlink, a regular file within the size limit). Anything less plain waits for discovery, so
// the answer "yes" is one discovery gives too.

/** Markdown and YAML only: Terraform and Ansible findings need their siblings anyway. */
const EARLY_SHAPES: ReadonlySet<string> = new Set(['markdown', 'yaml']);

export function plainlyListed(root: string, relPath: string, config: OpsReviewConfig, bytes: number): boolean {
  if (!relPath || relPath.startsWith('..') || path.posix.isAbsolute(relPath)) return false;
  if (!EARLY_SHAPES.has(classifyByPath(relPath) ?? '')) return false;
  if (builtInSkip(relPath, config) || configSkip(relPath, config)) return false;
  if (bytes > config.maxFileSizeKb * 1024) return false;
  const segments = relPath.split('/');
  try {
    // No symlink on the way (discovery judges where those lead), and a regular file at the end.
    for (let i = 1; i <= segments.length; i++) {
      const st = lstatSync(path.join(root, ...segments.slice(0, i)));
      if (st.isSymbolicLink() || (i < segments.length ? !st.isDirectory() : !st.isFile())) return false;
    }
    // Every .gitignore from the root down: a file or folder it names waits for discovery (git
    // may track it nonetheless; discovery asks git).
    for (let d = 0; d < segments.length; d++) {
      const dir = path.join(root, ...segments.slice(0, d));
      let text: string;
      try {
        text = readFileSync(path.join(dir, '.gitignore'), 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        return false;
      }
      const ig = ignore().add(text);
      for (let k = d + 1; k <= segments.length; k++) {
        const rel = segments.slice(d, k).join('/');
        if (ig.ignores(k < segments.length ? rel + '/' : rel)) return false;
      }
    }
  } catch {
    return false;
  }
  return true;
}
