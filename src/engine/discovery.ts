import { promises as fsp, readdirSync, statSync, Stats } from 'node:fs';
import * as path from 'node:path';
import ignore, { Ignore } from 'ignore';
import type { OpsReviewConfig } from './config/schema';
import { classifyByPath, globMatcher } from './classify';
import { realRootSync, specialFileNote, symlinkNote } from './fsSafe';

// Walks a workspace folder and lists the files OpsReview should look at. It honours .gitignore
// files (nested ones too), the config's include/exclude globs and a size limit checked with
// stat() before anything is read, and it never follows symlinked folders (no cycles).

/** Folders never worth walking: dependencies, VCS data, tool caches. */
export const ALWAYS_SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '.terraform', '.terragrunt-cache', '.venv', 'venv', '__pycache__', '.tox', 'dist', 'out', '.vscode-test', '.cache']);

export interface DiscoveredFile {
  path: string;
  relPath: string;
  size: number;
}

export interface SkippedFile {
  relPath: string;
  reason: string;
}

export interface DiscoveryResult {
  /** Files whose kind may interest OpsReview (by path), within the size limit. */
  candidates: DiscoveredFile[];
  /** Every file and folder seen (relative paths), for link checks. */
  allPaths: Set<string>;
  skipped: SkippedFile[];
}

export function toPosix(p: string): string {
  return p.replace(/\\/g, '/');
}

/** Whether a workspace-relative path passes the config's include/exclude globs. */
export function isIncluded(relPath: string, config: OpsReviewConfig): boolean {
  if (config.exclude.length && globMatcher(config.exclude)(relPath)) return false;
  if (config.include.length && !globMatcher(config.include)(relPath)) return false;
  return true;
}

export async function discover(root: string, config: OpsReviewConfig): Promise<DiscoveryResult> {
  const result: DiscoveryResult = { candidates: [], allPaths: new Set(), skipped: [] };
  const maxBytes = config.maxFileSizeKb * 1024;
  const rootAbs = path.resolve(root);
  const rootReal = realRootSync(rootAbs);

  async function walk(dir: string, ignores: { base: string; ig: Ignore }[]): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true }); // synchronous: see statSync below
    } catch (e) {
      result.skipped.push({ relPath: toPosix(path.relative(rootAbs, dir)) || '.', reason: `cannot read folder: ${(e as Error).message}` });
      return;
    }
    const gi = entries.find((e) => e.name === '.gitignore' && e.isFile());
    let scoped = ignores;
    if (gi) {
      try {
        const text = await fsp.readFile(path.join(dir, '.gitignore'), 'utf8');
        scoped = [...ignores, { base: dir, ig: ignore().add(text) }];
      } catch {
        /* an unreadable .gitignore ignores nothing */
      }
    }
    const isIgnored = (abs: string, isDir: boolean): boolean =>
      scoped.some(({ base, ig }) => {
        const rel = toPosix(path.relative(base, abs));
        return rel !== '' && !rel.startsWith('..') && ig.ignores(isDir ? rel + '/' : rel);
      });

    const subdirs: string[] = [];
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      const rel = toPosix(path.relative(rootAbs, abs));
      if (entry.isDirectory()) {
        if (ALWAYS_SKIPPED_DIRS.has(entry.name) || isIgnored(abs, true)) continue;
        result.allPaths.add(rel);
        subdirs.push(abs);
        continue;
      }
      if (!entry.isFile() && !entry.isSymbolicLink()) {
        // Pipes, sockets, devices: never opened (a read of a pipe blocks).
        if (classifyByPath(rel) && !isIgnored(abs, false)) result.skipped.push({ relPath: rel, reason: specialFileNote(entry) });
        continue;
      }
      if (isIgnored(abs, false)) continue;
      if (entry.isSymbolicLink()) {
        // A link out of the folder (runbooks/passwd.md -> /etc/passwd) is never read or linted.
        const note = await symlinkNote(abs, rootReal);
        if (note) {
          // Noted when OpsReview would have checked it; a link to /usr/bin/tool is just not read.
          if (note.folder || classifyByPath(rel)) result.skipped.push({ relPath: rel, reason: note.reason });
          continue;
        }
      }
      result.allPaths.add(rel);
      if (!classifyByPath(rel) || !isIncluded(rel, config)) continue;
      let st: Stats;
      try {
        st = statSync(abs); // synchronous: one awaited stat per file left the process idle
      } catch {
        continue; // dangling symlink
      }
      if (!st.isFile()) {
        if (!st.isDirectory()) result.skipped.push({ relPath: rel, reason: specialFileNote(st) });
        continue;
      }
      if (st.size > maxBytes) {
        result.skipped.push({ relPath: rel, reason: `larger than maxFileSizeKb (${Math.round(st.size / 1024)} KB > ${config.maxFileSizeKb} KB); not read` });
        continue;
      }
      result.candidates.push({ path: toPosix(abs), relPath: rel, size: st.size });
    }
    for (const sub of subdirs) await walk(sub, scoped);
  }

  await walk(rootAbs, []);
  result.candidates.sort((a, b) => a.relPath.localeCompare(b.relPath));
  return result;
}
