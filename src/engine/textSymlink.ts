import * as path from 'node:path';

// Git stores a symlink as a one-line blob holding its target. Checked out where symlinks are not
// made (git on Windows, `core.symlinks=false`, some archive downloads), the link becomes a small
// text file: `roles/web/tasks/main.yml` holding `../../common/tasks/main.yml`. Parsed as YAML or
// markdown it is nonsense (a string, a paragraph); the file it points to is checked on its own.

/**
 * The workspace-relative target when `text` is a symlink checked out as text: one line, a
 * relative path with no spaces, leading to a file or folder the workspace holds (`exists`,
 * relative to the root). A path that leaves the root cannot be confirmed and is not one.
 */
export function textSymlinkTarget(relPath: string, text: string, exists: (rel: string) => boolean): string | undefined {
  if (text.length > 1024) return undefined;
  const body = text.replace(/^\uFEFF/, '').replace(/\r?\n$/, '');
  if (!body || /[\s]/.test(body) || body.startsWith('/') || /^[a-z][\w+.-]*:/i.test(body) || /[{}<>|*?"'`$#]/.test(body)) return undefined;
  // A path: a folder part or a file extension, nothing that reads as a word of prose or a scalar.
  if (!body.includes('/') && !/\.[A-Za-z0-9]+$/.test(body)) return undefined;
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(relPath), body));
  if (target === '.' || target.startsWith('../') || target === '..' || target === relPath) return undefined;
  return exists(target) ? target : undefined;
}
