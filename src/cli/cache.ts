import type { SkippedFile } from '../engine/discovery';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { OpsReviewConfig } from '../engine/config/schema';
import { discover } from '../engine/discovery';
import { readTextSafe, realRootSync } from '../engine/fsSafe';
import type { Finding } from '../engine/types';

// `opsreview check --cache`, after ESLint's convention: results stored under
// node_modules/.cache/opsreview/ (or --cache-location), used only when nothing they depend on
// changed. The key holds the OpsReview version and the code that runs (a changed rule never
// serves stale findings), the effective configuration, the rules selected, today's date (review
// rules depend on it) and a fingerprint of the workspace: every checked file's content hash,
// every other path (links may point at scripts and images) and every skip note. Cross-file
// findings depend on other files, so any change to any of them re-runs the check in full; an
// unchanged workspace (the common CI re-run, a pre-commit hook) is answered from the cache after
// one read of every file, without parsing anything.

export const DEFAULT_CACHE_LOCATION = path.join('node_modules', '.cache', 'opsreview');
const CACHE_FORMAT = 1;

export interface CachedRun {
  key: string;
  /** Findings with paths relative to the root (so a moved checkout can still use them). */
  findings: (Omit<Finding, 'path'> & { rel: string })[];
  filesChecked: number;
  /** What the summary reports besides findings: skipped folders and files, detected conventions. */
  skipped?: readonly SkippedFile[];
  conventions?: string;
}

export interface CacheKeyParts {
  version: string;
  config: OpsReviewConfig;
  only?: readonly string[];
  now?: Date;
  /** The cache file, left out of the fingerprint when it lives inside the workspace. */
  cacheFile?: string;
}

/** The cache file: `location` itself, or a file inside it when it is (or ends like) a folder. */
export function cacheFile(location: string | undefined, cwd = process.cwd()): string {
  const loc = path.resolve(cwd, location ?? DEFAULT_CACHE_LOCATION);
  let isDir = /[\\/]$/.test(location ?? '/') ;
  try {
    isDir ||= statSync(loc).isDirectory();
  } catch {
    /* does not exist yet */
  }
  return isDir ? path.join(loc, 'check-cache.json') : loc;
}

/** Hash of the code running now: any change to rules or parsers changes it, even without a version bump. */
let codeHash: string | undefined;
function runningCodeHash(): string {
  if (codeHash) return codeHash;
  try {
    codeHash = createHash('sha1').update(readFileSync(__filename)).digest('hex');
  } catch {
    codeHash = 'unknown';
  }
  return codeHash;
}

/** The key of a run over `root`: reads every checked file once (safely), parses nothing. */
export async function cacheKey(root: string, parts: CacheKeyParts): Promise<string> {
  const h = createHash('sha1');
  const day = (parts.now ?? new Date()).toISOString().slice(0, 10);
  h.update(JSON.stringify({ format: CACHE_FORMAT, version: parts.version, code: runningCodeHash(), config: parts.config, only: parts.only ?? null, day }));
  const found = await discover(root, parts.config);
  // The cache file and the folders made to hold it appear after the first run: not a change.
  const own = new Set<string>();
  if (parts.cacheFile) {
    const rel = path.relative(root, parts.cacheFile).split(path.sep).join('/');
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) for (let r = rel; r && r !== '.'; r = path.posix.dirname(r)) own.add(r);
  }
  h.update('\0paths\0');
  for (const p of [...found.allPaths].sort()) if (!own.has(p)) h.update(p + '\n');
  const rootReal = realRootSync(root);
  const maxBytes = parts.config.maxFileSizeKb * 1024;
  const notes = found.skipped.map((s) => `${s.relPath}\0${s.reason}`);
  const BATCH = 64;
  h.update('\0files\0');
  for (let i = 0; i < found.candidates.length; i += BATCH) {
    const batch = found.candidates.slice(i, i + BATCH);
    const reads = await Promise.all(batch.map((c) => readTextSafe(c.path, rootReal, maxBytes)));
    reads.forEach((r, k) => {
      if (r.ok) h.update(`${batch[k].relPath}\0${createHash('sha1').update(r.text).digest('hex')}\n`);
      else notes.push(`${batch[k].relPath}\0${r.reason}`);
    });
  }
  h.update('\0skipped\0' + notes.sort().join('\n'));
  return h.digest('hex');
}

export function readCache(file: string, key: string): CachedRun | undefined {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as CachedRun;
    return data.key === key && Array.isArray(data.findings) ? data : undefined;
  } catch {
    return undefined; // missing or corrupt: a cold run rewrites it
  }
}

export function writeCache(file: string, key: string, root: string, findings: Finding[], filesChecked: number, extra: Pick<CachedRun, 'skipped' | 'conventions'> = {}): void {
  const prefix = root.replace(/\\/g, '/') + '/';
  const run: CachedRun = {
    key,
    filesChecked,
    findings: findings.map(({ path: p, ...rest }) => ({ ...rest, rel: p.startsWith(prefix) ? p.slice(prefix.length) : p })),
    ...extra,
  };
  mkdirSync(path.dirname(file), { recursive: true });
  // Written beside and renamed, so a killed run never leaves half a cache behind.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(run));
  renameSync(tmp, file);
}

export function cachedFindings(run: CachedRun, root: string): Finding[] {
  const base = root.replace(/\\/g, '/');
  return run.findings.map(({ rel, ...rest }) => ({ ...rest, path: path.posix.isAbsolute(rel) ? rel : `${base}/${rel}` }));
}
