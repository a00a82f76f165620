import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import { toPosix } from '../engine/discovery';

// `check --changed-since REF`: the files a change touches, asked of the local git (no network).
// Changed = what differs between the merge base of REF and HEAD and the working tree (committed,
// staged and unstaged edits; renames followed to their new name; deletions left out) plus
// untracked files that .gitignore does not hide.

export class GitError extends Error {}

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

function tryGit(cwd: string, args: string[]): string | undefined {
  try {
    return git(cwd, args);
  } catch {
    return undefined;
  }
}

/** Absolute, `/`-separated paths (under `root` as the caller spelled it) of the files changed since `ref`. */
export function changedFiles(root: string, ref: string): Set<string> {
  const top = tryGit(root, ['rev-parse', '--show-toplevel'])?.trim();
  if (!top) {
    if (tryGit(root, ['--version']) === undefined) throw new GitError('--changed-since needs git, which was not found on PATH.');
    throw new GitError(`--changed-since needs a git repository, and ${root} is not in one. Check the whole folder instead (leave out --changed-since).`);
  }
  if (ref.startsWith('-')) throw new GitError(`--changed-since takes a git revision, not '${ref}'.`);
  if (tryGit(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]) === undefined) {
    const shallow = tryGit(root, ['rev-parse', '--is-shallow-repository'])?.trim() === 'true';
    throw new GitError(
      `--changed-since: git does not know the revision '${ref}'.` +
        (shallow
          ? ' This is a shallow clone: fetch the history it needs (`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout, or `GIT_DEPTH: 0` in GitLab CI).'
          : ` Fetch it first (e.g. \`git fetch origin ${ref.replace(/^origin\//, '')}\`) or name a revision that exists.`),
    );
  }
  // Against the merge base, so what the target branch gained since the change forked is not "changed".
  const base = tryGit(root, ['merge-base', ref, 'HEAD'])?.trim() || ref;
  const diff = git(root, ['-c', 'core.quotepath=off', 'diff', '--name-status', '-M', '-z', base, '--']);
  const untracked = git(root, ['-c', 'core.quotepath=off', 'ls-files', '--others', '--exclude-standard', '-z', '--full-name', '--', '.']);
  const rel: string[] = [];
  const parts = diff.split('\0');
  for (let i = 0; i < parts.length; ) {
    const status = parts[i++];
    if (!status) continue;
    if (status.startsWith('R') || status.startsWith('C')) {
      i++; // the old name
      rel.push(parts[i++]);
    } else {
      const p = parts[i++];
      if (!status.startsWith('D')) rel.push(p);
    }
  }
  rel.push(...untracked.split('\0').filter(Boolean));
  // Map repository-relative paths onto the root as the caller named it (it may be a symlink or a subfolder).
  const topReal = realpathSync(top);
  const rootReal = realpathSync(root);
  const out = new Set<string>();
  for (const r of rel) {
    const under = path.relative(rootReal, path.join(topReal, r));
    if (under.startsWith('..') || path.isAbsolute(under)) continue;
    out.add(toPosix(path.join(root, under)));
  }
  return out;
}
