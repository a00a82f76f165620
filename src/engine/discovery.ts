import { promises as fsp, readdirSync, statSync, Stats } from 'node:fs';
import * as path from 'node:path';
import ignore, { Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { OpsReviewConfig } from './config/schema';
import { classifyByPath, globMatcher, isExtensionlessDocName, isMarkdownName } from './classify';
import { ReadSkipCode, realRootSync, specialFileNote, symlinkNote } from './fsSafe';
import { trackedIgnored } from './gitTracked';

// Walks a workspace folder and lists the files OpsReview should look at. It honours .gitignore
// files (nested ones too), the config's include/exclude globs and a size limit checked with
// stat() before anything is read, and it never follows symlinked folders (no cycles). Nothing is
// skipped silently: every folder and file left out is listed with a reason code, so the CLI, the
// output channel and the status bar can say what was not checked and why.

/**
 * Folders never worth walking: VCS data, dependencies, tool caches and virtualenvs. Build output
 * (`dist/`, `out/`, `build/`) is left to .gitignore and `exclude`: some repositories publish
 * their alert rules or manifests there.
 */
export const ALWAYS_SKIPPED_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules', '.terraform', '.terragrunt-cache', '.venv', 'venv', '__pycache__', '.tox', '.vscode-test', 'vendor', 'third_party', 'third-party']);

/**
 * Vendored upstream code (Go's `vendor/`, `third_party/`): copies of other projects' manifests,
 * test fixtures and docs. Not checked at all, not even by the security rules: a fix there belongs
 * upstream, and the next vendoring overwrites any local edit. `include` can name them.
 */
export const VENDORED_DIRS = new Set(['vendor', 'third_party', 'third-party']);

/**
 * Why a folder or file was left out:
 * - `built-in`: a VCS, dependency, vendored or tool-cache folder (ALWAYS_SKIPPED_DIRS);
 * - `gitignore`: matched by a .gitignore;
 * - `exclude`: matched by the config's `exclude` globs;
 * - `not-included`: the config has `include` globs and this file matches none;
 * - `too-large`: over `maxFileSizeKb`, never read;
 * - `unreadable`: the folder or file could not be read;
 * - `template`: a Helm/Go template that is not YAML before rendering.
 */
export type SkipCode = 'built-in' | 'gitignore' | 'exclude' | 'not-included' | 'template' | 'symlink-text' | ReadSkipCode;

export interface SkippedFile {
  relPath: string;
  /** One line for people: what was skipped and why. */
  reason: string;
  kind: 'folder' | 'file';
  code: SkipCode;
}

export interface DiscoveredFile {
  path: string;
  relPath: string;
  size: number;
}

export interface DiscoveryResult {
  /** Files whose kind may interest OpsReview (by path), within the size limit. */
  candidates: DiscoveredFile[];
  /** Every file and folder seen (relative paths), for link checks. */
  allPaths: Set<string>;
  skipped: SkippedFile[];
}

/** The note for a file over the size limit (discovery and the index's updates say it the same way). */
export function tooLarge(relPath: string, bytes: number, config: OpsReviewConfig): SkippedFile {
  return { relPath, kind: 'file', code: 'too-large', reason: `larger than maxFileSizeKb (${Math.round(bytes / 1024)} KB > ${config.maxFileSizeKb} KB); not read` };
}

/**
 * Does an `include` glob name a path at or under `relPath` (so a built-in or .gitignore skip of
 * that folder or file is overridden)? A glob names it when its fixed leading folders reach into
 * it (`dist/rules/*.yml` names `dist`), or when it spells the folder's name as a path segment
 * (a `dist` segment after a leading globstar). Catch-alls (any `.yml` anywhere) name nothing.
 */
export function includeNames(relPath: string, config: OpsReviewConfig): boolean {
  const segments = relPath.split('/');
  return config.include.some((g) => {
    const { base } = picomatch.scan(g);
    // The glob's fixed folders and the path lie on one line: one reaches into the other. (Whether
    // a file matches the glob itself is checked against `include` later.)
    if (base) return base === relPath || base.startsWith(relPath + '/') || relPath.startsWith(base + '/');
    // `**/dist/**` names `dist` and everything below it.
    const named = g.split('/');
    return segments.some((seg) => named.includes(seg));
  });
}

/** The built-in skip of a folder or file path (any folder on the way), unless `include` names it. */
export function builtInSkip(relPath: string, config: OpsReviewConfig): string | undefined {
  const segs = relPath.split('/');
  for (let i = 0; i < segs.length - 1; i++) {
    if (ALWAYS_SKIPPED_DIRS.has(segs[i]) && !includeNames(segs.slice(0, i + 1).join('/'), config)) return segs.slice(0, i + 1).join('/');
  }
  return undefined;
}

export function toPosix(p: string): string {
  return p.replace(/\\/g, '/');
}

/** Whether a workspace-relative path passes the config's include/exclude globs. */
export function isIncluded(relPath: string, config: OpsReviewConfig): boolean {
  return configSkip(relPath, config) === undefined;
}

/** `exclude` or `not-included` when the config's globs leave this file out. */
export function configSkip(relPath: string, config: OpsReviewConfig): 'exclude' | 'not-included' | undefined {
  if (config.exclude.length && globMatcher(config.exclude)(relPath)) return 'exclude';
  if (config.include.length && !globMatcher(config.include)(relPath)) return 'not-included';
  return undefined;
}

export async function discover(root: string, config: OpsReviewConfig, opts: { onSlice?: () => Promise<void> } = {}): Promise<DiscoveryResult> {
  const result: DiscoveryResult = { candidates: [], allPaths: new Set(), skipped: [] };
  const maxBytes = config.maxFileSizeKb * 1024;
  const rootAbs = path.resolve(root);
  const skip = (relPath: string, kind: SkippedFile['kind'], code: SkipCode, reason: string): void => {
    result.skipped.push({ relPath, kind, code, reason });
  };
  const rootReal = realRootSync(rootAbs);
  // Files git tracks are read even when a .gitignore names them (see gitTracked.ts).
  const tracked = await trackedIgnored(rootAbs);

  async function walk(dir: string, ignores: { base: string; ig: Ignore }[]): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true }); // synchronous: see statSync below
    } catch (e) {
      skip(toPosix(path.relative(rootAbs, dir)) || '.', 'folder', 'unreadable', `cannot read folder: ${(e as Error).message}`);
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
        // `include` names this folder (or something in it): it overrides both kinds of skip.
        const named = config.include.length > 0 && includeNames(rel, config);
        if (!named && ALWAYS_SKIPPED_DIRS.has(entry.name)) {
          skip(
            rel,
            'folder',
            'built-in',
            VENDORED_DIRS.has(entry.name)
              ? 'vendored upstream code: a fix belongs upstream (built-in skip; name it in `include` to check it)'
              : 'dependency, VCS or tool-cache folder (built-in skip; name it in `include` to check it)',
          );
          continue;
        }
        if (!named && isIgnored(abs, true) && !tracked?.folders.has(rel)) {
          skip(rel, 'folder', 'gitignore', 'listed in .gitignore (name it in `include` to check it)');
          continue;
        }
        result.allPaths.add(rel);
        subdirs.push(abs);
        continue;
      }
      if (!entry.isFile() && !entry.isSymbolicLink()) {
        // Pipes, sockets, devices: never opened (a read of a pipe blocks).
        if (classifyByPath(rel) && !isIgnored(abs, false)) skip(rel, 'file', 'not-regular', specialFileNote(entry));
        continue;
      }
      // A document saved without its extension, among markdown files, is read too (classify decides).
      const candidate = !!classifyByPath(rel) || (isExtensionlessDocName(entry.name) && entries.some((e) => isMarkdownName(e.name.toLowerCase())));
      if (isIgnored(abs, false) && !(config.include.length && includeNames(rel, config)) && !tracked?.files.has(rel)) {
        // Only files OpsReview would have read are worth a line; other ignored files are noise.
        if (candidate) skip(rel, 'file', 'gitignore', 'listed in .gitignore');
        continue;
      }
      if (entry.isSymbolicLink()) {
        // A link out of the folder (runbooks/passwd.md -> /etc/passwd) is never read or linted.
        const note = await symlinkNote(abs, rootReal);
        if (note) {
          // Noted when OpsReview would have checked it; a link to /usr/bin/tool is just not read.
          if (note.folder || candidate) skip(rel, note.folder ? 'folder' : 'file', 'outside-root', note.reason);
          continue;
        }
      }
      result.allPaths.add(rel);
      if (!candidate) continue;
      const byConfig = configSkip(rel, config);
      if (byConfig) {
        skip(rel, 'file', byConfig, byConfig === 'exclude' ? 'matched by `exclude`' : 'matched by no `include` glob');
        continue;
      }
      let st: Stats;
      try {
        st = statSync(abs); // synchronous: one awaited stat per file left the process idle
      } catch {
        continue; // dangling symlink
      }
      if (!st.isFile()) {
        if (!st.isDirectory()) skip(rel, 'file', 'not-regular', specialFileNote(st));
        continue;
      }
      if (st.size > maxBytes) {
        result.skipped.push(tooLarge(rel, st.size, config));
        continue;
      }
      result.candidates.push({ path: toPosix(abs), relPath: rel, size: st.size });
    }
    // A caller that serves open files meanwhile (the language server) gets a turn every few ms.
    if (opts.onSlice && Date.now() - sliceStart > 30) {
      await opts.onSlice();
      sliceStart = Date.now();
    }
    for (const sub of subdirs) await walk(sub, scoped);
  }
  let sliceStart = Date.now();

  await walk(rootAbs, []);
  result.candidates.sort((a, b) => a.relPath.localeCompare(b.relPath));
  result.skipped.sort((a, b) => a.relPath.localeCompare(b.relPath));
  return result;
}

/** `3 folders, 2 files (1 .gitignore, 2 built-in, 2 too large)`: the skip list in one line. */
export function summariseSkipped(skipped: readonly SkippedFile[]): string {
  const folders = skipped.filter((s) => s.kind === 'folder').length;
  const files = skipped.length - folders;
  const byCode = new Map<SkipCode, number>();
  for (const s of skipped) byCode.set(s.code, (byCode.get(s.code) ?? 0) + 1);
  const label: Record<SkipCode, string> = {
    'built-in': 'built-in',
    gitignore: '.gitignore',
    exclude: 'exclude',
    'not-included': 'not in include',
    'too-large': 'too large',
    unreadable: 'unreadable',
    template: 'template',
    'symlink-text': 'symlink checked out as text',
    'not-regular': 'not a regular file',
    'outside-root': 'outside the folder',
    'symlink-broken': 'broken symlink',
    binary: 'binary',
  };
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  const reasons = [...byCode].sort(([a], [b]) => label[a].localeCompare(label[b])).map(([code, n]) => `${n} ${label[code]}`);
  const counts = [folders ? plural(folders, 'folder') : '', files ? plural(files, 'file') : ''].filter(Boolean).join(', ');
  return `${counts} (${reasons.join(', ')})`;
}
