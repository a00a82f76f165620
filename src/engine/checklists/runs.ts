import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { isMap, Node, parseDocument } from 'yaml';
import { zodErrors } from '../config/load';
import { LineIndex } from '../text';
import type { ParseError } from '../types';
import { Run, RunItem, runSchema } from './schema';

// Runs live in the repository: `.opsreview/runs/<checklist-id>/<run-name>.yml`, plain YAML a
// reviewer reads in a diff. Writing one never loses another writer's data or a hand edit: the
// file is re-read under a lock before every write, changed items are set in the parsed document
// (comments and other keys survive), the result is written to a temporary file in the same
// folder and renamed over the old one, and if the file changed since the caller read it, the
// changes are merged item by item; an item both sides changed is reported, not overwritten. A
// file that does not parse is never written.

export const RUNS_DIR = '.opsreview/runs';

/** A run as read from disk; `hash` is undefined when the file does not exist yet. */
export interface RunSnapshot {
  file: string;
  run: Run;
  hash?: string;
}

export type ReadRunResult = { ok: true; snapshot: RunSnapshot } | { ok: false; file: string; errors: ParseError[] };

export type WriteRunResult =
  | { ok: true; snapshot: RunSnapshot; written: string[]; conflicts: RunConflict[] }
  | { ok: false; file: string; errors: ParseError[] };

/** An item changed on disk by someone else since the caller read it, and changed by the caller too. */
export interface RunConflict {
  itemId: string;
  theirs?: RunItem;
  mine: RunItem | null;
}

const RUN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Whether a run name is safe as a file name (no folders, no leading dot). */
export function isValidRunName(name: string): boolean {
  return RUN_NAME.test(name) && !name.endsWith('.yml') && !name.includes('..');
}

export function runFile(root: string, checklistId: string, runName: string): string {
  if (!isValidRunName(runName)) throw new Error(`Invalid run name '${runName}': use letters, digits, dots, dashes and underscores.`);
  return path.join(root, RUNS_DIR, checklistId, `${runName}.yml`);
}

/** Names of the runs of a checklist, sorted. */
export function listRuns(root: string, checklistId: string): string[] {
  const dir = path.join(root, RUNS_DIR, checklistId);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n.endsWith('.yml') && !n.startsWith('.')).map((n) => n.slice(0, -'.yml'.length)).sort();
}

export function readRun(file: string): ReadRunResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, snapshot: { file, run: { items: {} } } };
    return { ok: false, file, errors: [{ message: `Cannot read run file: ${(e as Error).message}`, range: new LineIndex('').lineRange(0), severity: 'error' }] };
  }
  const parsed = parseRunText(text, path.basename(file));
  if (!parsed.run) return { ok: false, file, errors: parsed.errors };
  return { ok: true, snapshot: { file, run: parsed.run, hash: hashOf(text) } };
}

/** Validates run file text; errors are positioned on the offending key or value. */
export function parseRunText(text: string, label = 'run file'): { run?: Run; errors: ParseError[] } {
  const lines = new LineIndex(text);
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      errors: doc.errors.map((e) => ({ message: `Invalid YAML in ${label}: ${e.message.split('\n')[0]}`, range: lines.rangeOf(e.pos[0], Math.max(e.pos[1], e.pos[0] + 1)), severity: 'error' as const })),
    };
  }
  const raw = doc.toJS() ?? {};
  const r = runSchema.safeParse(raw);
  if (!r.success) return { errors: zodErrors(r.error, doc.contents as Node | null, lines, label) };
  return { run: r.data, errors: [] };
}

/**
 * Sets (or, with null, removes) items of a run. `base` is the snapshot the caller's view came
 * from: items someone else changed on disk since then are kept, and a change to an item they
 * changed too is reported as a conflict instead of being written. Without `base` the caller's
 * changes win (the CLI, a fresh read).
 */
export async function updateRun(file: string, changes: Record<string, RunItem | null>, opts: { base?: RunSnapshot; checklistId?: string } = {}): Promise<WriteRunResult> {
  mkdirSync(path.dirname(file), { recursive: true });
  const release = await lock(file);
  try {
    // From here to the rename, everything is synchronous: no other writer in this process can
    // interleave, and the lock keeps out other processes.
    let text = '';
    let exists = true;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      exists = false;
    }
    const current = exists ? parseRunText(text, path.basename(file)) : { run: { items: {} } as Run, errors: [] };
    if (!current.run) return { ok: false, file, errors: current.errors };
    const changedOnDisk = opts.base !== undefined && opts.base.hash !== (exists ? hashOf(text) : undefined);
    const conflicts: RunConflict[] = [];
    const toWrite: [string, RunItem | null][] = [];
    for (const [id, mine] of Object.entries(changes)) {
      const theirs = current.run.items[id];
      const before = opts.base?.run.items[id];
      if (changedOnDisk && !sameItem(theirs, before) && !sameItem(theirs, mine ?? undefined)) {
        conflicts.push({ itemId: id, theirs, mine });
        continue;
      }
      toWrite.push([id, mine]);
    }
    if (!toWrite.length) return { ok: true, snapshot: { file, run: current.run, hash: exists ? hashOf(text) : undefined }, written: [], conflicts };

    const doc = parseDocument(exists && text.trim() ? text : `# OpsReview checklist run: who ticked or waived which item, when and why.\nchecklist: ${opts.checklistId ?? path.basename(path.dirname(file))}\nitems: {}\n`);
    if (!isMap(doc.get('items'))) doc.set('items', doc.createNode({}));
    for (const [id, item] of toWrite) {
      if (item === null) doc.deleteIn(['items', id]);
      else doc.setIn(['items', id], doc.createNode(compact(item)));
    }
    const items = doc.get('items');
    if (isMap(items)) items.flow = items.items.length === 0;
    const out = doc.toString({ lineWidth: 0 });
    const check = parseRunText(out, path.basename(file));
    if (!check.run) return { ok: false, file, errors: check.errors };
    writeAtomically(file, out);
    return { ok: true, snapshot: { file, run: check.run, hash: hashOf(out) }, written: toWrite.map(([id]) => id), conflicts };
  } finally {
    release();
  }
}

/**
 * Writes an empty run file (the header and `items: {}`) unless one exists, so a run exists from
 * the moment it is created: its file can be opened, watched and committed before the first tick.
 * Returns true when it wrote the file.
 */
export async function createRun(file: string, checklistId: string): Promise<boolean> {
  if (existsSync(file)) return false;
  mkdirSync(path.dirname(file), { recursive: true });
  const release = await lock(file);
  try {
    if (existsSync(file)) return false;
    writeAtomically(file, `# OpsReview checklist run: who ticked or waived which item, when and why.\nchecklist: ${checklistId}\nitems: {}\n`);
    return true;
  } finally {
    release();
  }
}

function compact(item: RunItem): Record<string, string> {
  const out: Record<string, string> = { state: item.state };
  if (item.by) out.by = item.by;
  if (item.at) out.at = item.at;
  if (item.note?.trim()) out.note = item.note.trim();
  return out;
}

function sameItem(a: RunItem | undefined, b: RunItem | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.state === b.state && (a.by ?? '') === (b.by ?? '') && (a.at ?? '') === (b.at ?? '') && (a.note ?? '').trim() === (b.note ?? '').trim();
}

function hashOf(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** Temp file in the same folder (same file system), flushed, then renamed over the target. */
function writeAtomically(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw e;
  }
}

const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 10_000;

/** An exclusive lock file beside the run (`O_EXCL` create); a lock older than 30 s is taken over. */
async function lock(file: string): Promise<() => void> {
  const lockFile = path.join(path.dirname(file), `.${path.basename(file)}.lock`);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      closeSync(openSync(lockFile, 'wx'));
      return () => {
        try {
          unlinkSync(lockFile);
        } catch {
          /* taken over as stale */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        if (Date.now() - statSync(lockFile).mtimeMs > LOCK_STALE_MS) unlinkSync(lockFile);
      } catch {
        /* released meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`${file} is locked by another writer (${lockFile}); try again.`);
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 20));
    }
  }
}
