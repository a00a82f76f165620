import { createHash } from 'node:crypto';
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { classifyByPath, classifyWithReason, UnindexedCode } from '../classify';
import type { MarkdownHints } from '../conventions/markdownShape';
import type { OpsReviewConfig } from '../config/schema';
import { builtInSkip, discover, isIncluded, SkippedFile, toPosix } from '../discovery';
import { DecodeNote, readTextSafe, realRootSync, SafeRead } from '../fsSafe';
import type { IndexedFile, IndexView, RunbookMeta } from '../model';
import { parseFile } from '../parsers';
import type { FileKind } from '../types';
import { crossKindDependents } from '../alerting/dependents';
import { plainlyListed } from './earlyCandidate';
import { computeFacts, dirOf } from './facts';
import { textSymlinkTarget } from '../textSymlink';

// The workspace index: every file OpsReview understands, parsed once, then kept current one
// file at a time. It also keeps references in reverse (target -> sources) so that a change to
// one file tells the linter exactly which other files to re-check.

export interface RunbookQuery {
  service?: string;
  owner?: string;
  tag?: string;
}

export interface IndexChange {
  /** Files (re)parsed by this change. */
  updated: IndexedFile[];
  /** Paths no longer indexed. */
  removed: string[];
  /** Other indexed files whose cross-file findings may have changed. */
  affected: IndexedFile[];
}

export interface BuildOptions {
  /** Paths parsed before the rest (open editors), so their diagnostics come first. */
  first?: readonly string[];
  onProgress?: (done: number, total: number) => void;
  /**
   * The files wanted now (documents open in an editor, with their buffer's text), asked again
   * between slices: a file opened while the folder is indexed is parsed next, not in its turn.
   */
  urgent?: () => Iterable<{ path: string; text?: string }>;
  /**
   * Urgent files just parsed (or already parsed when they became urgent), before the rest of the
   * workspace: each path is passed once per build.
   */
  onUrgentParsed?: (paths: string[]) => void | Promise<void>;
}

/**
 * Lets pending I/O run before the caller continues. Two hops: a message read during this turn
 * queues its own setImmediate, which then runs before the second hop, not after the next file.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
}

/** Longest stretch of parsing between two turns of the event loop. */
const YIELD_EVERY_MS = 30;
/** Parses whose facts could not be computed (an error was added to them): never reused. */
const summaryFailed = new WeakSet<object>();

export class WorkspaceIndex implements IndexView {
  readonly root: string;
  private readonly entries = new Map<string, IndexedFile>();
  /** target path -> source paths referencing it. */
  private readonly reverse = new Map<string, Set<string>>();
  /** Every file and folder of the workspace (relative), indexed or not. */
  private allPaths = new Set<string>();
  private skippedFiles: SkippedFile[] = [];
  private versionCounter = 0;
  /** Answers of byKind/inDir, dropped on any change: rules ask them once per file linted. */
  private readonly kindCache = new Map<string, IndexedFile[]>();
  private dirCache: Map<string, IndexedFile[]> | undefined;
  /**
   * Markdown read but not indexed (not a runbook today), with its text and why: an alert added
   * later may link to it or be named after it, and then it is re-classified without a disk read.
   */
  private readonly unindexedMarkdown = new Map<string, { text?: string; reason: string; code?: UnindexedCode }>();
  /** What alerts say about markdown (linked files, alert names); see conventions/detect. */
  private hints: MarkdownHints | undefined;
  private rootRealCache: string | undefined;
  private generationCounter = 0;
  /** Files read but over their parser's ceiling (on the skip list). */
  private readonly overCeiling = new Set<string>();
  /** False while open files are served before the folder is listed (see build). */
  private listed = true;

  constructor(root: string, private config: OpsReviewConfig, hints?: MarkdownHints) {
    this.root = toPosix(path.resolve(root));
    this.hints = hints;
  }

  get markdownHints(): MarkdownHints | undefined {
    return this.hints;
  }

  setMarkdownHints(hints: MarkdownHints | undefined): void {
    this.hints = hints;
  }

  /** Markdown, YAML and HCL files seen and left out of the index, with the reason (for `opsreview files`). */
  unindexed(): { relPath: string; reason: string; code?: UnindexedCode }[] {
    return [...this.unindexedMarkdown].map(([abs, u]) => ({ relPath: this.relative(abs)!, reason: u.reason, code: u.code })).sort((a, b) => a.relPath.localeCompare(b.relPath));
  }

  /**
   * Classifies again, under the current config and hints, the markdown files (indexed or not)
   * and the alert-bearing files `select` picks, from the text already in memory. Returns what
   * changed like `update` does.
   */
  reclassify(select: (relPath: string, kind: FileKind | undefined) => boolean): IndexChange {
    const todo: [string, string][] = [];
    for (const f of this.entries.values()) {
      if ((classifyByPath(f.relPath) === 'markdown' || f.alerts) && select(f.relPath, f.kind)) todo.push([f.path, f.parsed.text]);
    }
    for (const [abs, u] of this.unindexedMarkdown) if (u.text !== undefined && select(this.relative(abs)!, undefined)) todo.push([abs, u.text]);
    const updated: IndexedFile[] = [];
    const removed: string[] = [];
    const affected = new Map<string, IndexedFile>();
    for (const [abs, text] of todo) {
      const previous = this.entries.get(abs);
      // Same text: a file that keeps its kind keeps its parse (parsing is most of the cost).
      const entry = this.ingest(abs, text, undefined, previous);
      if (entry) updated.push(entry);
      else if (previous) removed.push(abs);
      if (entry || previous) for (const d of this.dependents(abs, entry, previous)) affected.set(d.path, d);
    }
    for (const f of updated) affected.delete(f.path);
    for (const r of removed) affected.delete(r);
    return { updated, removed, affected: [...affected.values()] };
  }

  get skipped(): readonly SkippedFile[] {
    return this.skippedFiles;
  }

  setConfig(config: OpsReviewConfig): void {
    this.config = config;
  }

  /**
   * Discovers and parses the whole workspace (replacing what was there). `first` lists paths to
   * parse before the others (the files open in an editor); `onProgress` hears `done/total`.
   * It yields to the event loop every few milliseconds, so a server keeps answering requests
   * (`shutdown` included) while a large or hostile tree is indexed.
   */
  async build(opts: BuildOptions = {}): Promise<void> {
    // The first build: files open in an editor that are plainly ones discovery lists are parsed
    // and handed over before the folder is even listed (discovery walks every folder). That
    // index is provisional: it is cleared below, and the files are served again after discovery.
    const early = opts.urgent && opts.onUrgentParsed && !this.entries.size && !this.allPaths.size;
    const served = new Set<string>();
    if (early) await this.serveBeforeListing(opts, served);
    let found: Awaited<ReturnType<typeof discover>>;
    try {
      found = await discover(this.root, this.config, early ? { onSlice: () => yieldToEventLoop().then(() => this.serveBeforeListing(opts, served)) } : {});
    } finally {
      this.listed = true;
    }
    this.entries.clear();
    this.unindexedMarkdown.clear();
    this.invalidateQueries();
    this.reverse.clear();
    this.allPaths = found.allPaths;
    this.skippedFiles = found.skipped;
    this.overCeiling.clear();
    const unclassified = new Set<string>();
    const candidates = found.candidates;
    const firstSet = opts.first?.length ? new Set(opts.first.map((p) => this.normalise(p))) : undefined;
    if (firstSet) candidates.sort((a, b) => Number(firstSet.has(b.path)) - Number(firstSet.has(a.path)));
    // Reads go out a batch at a time so the disk is never idle while one file parses, without
    // holding thousands of files' text at once.
    const maxBytes = this.config.maxFileSizeKb * 1024;
    const BATCH = 32;
    let sliceStart = Date.now();
    let done = 0;
    const processed = new Set<string>();
    const byPath = new Map(candidates.map((c) => [this.normalise(c.path), c]));
    const reported = new Set<string>();
    const ingestRead = (c: { path: string; relPath: string }, r: SafeRead): void => {
      if (r.ok) {
        const entry = this.ingest(c.path, r.text, r.note);
        if (!entry && classifyByPath(c.relPath) === 'yaml') unclassified.add(this.normalise(c.path));
      } else this.skippedFiles.push(readSkip(c.relPath, r));
      processed.add(this.normalise(c.path));
      done++;
    };
    // Files open in an editor, first at the start and then whenever one is opened: parsed at
    // once (from the buffer when there is one) and handed to `onUrgentParsed`, before the rest.
    const serveUrgent = async (): Promise<void> => {
      if (!opts.urgent) return;
      const ready: string[] = [];
      for (const u of opts.urgent()) {
        const abs = this.normalise(u.path);
        if (reported.has(abs)) continue;
        reported.add(abs);
        const c = byPath.get(abs);
        if (!c) continue; // not something this folder checks (excluded, not on disk yet): the full build answers
        if (!processed.has(abs)) ingestRead(c, u.text !== undefined && classifyByPath(c.relPath) !== 'hcl' ? { ok: true, text: u.text, size: u.text.length } : await this.readCandidate(c, maxBytes));
        ready.push(abs);
      }
      if (ready.length) await opts.onUrgentParsed?.(ready);
    };
    opts.onProgress?.(0, candidates.length);
    await serveUrgent();
    for (let i = 0; i < candidates.length; ) {
      const batch: typeof candidates = [];
      for (; i < candidates.length && batch.length < BATCH; i++) if (!processed.has(this.normalise(candidates[i].path))) batch.push(candidates[i]);
      const reads = await Promise.all(batch.map((c) => this.readCandidate(c, maxBytes)));
      for (let k = 0; k < batch.length; k++) {
        // A file opened meanwhile was parsed already (serveUrgent): its buffer wins over the disk.
        if (!processed.has(this.normalise(batch[k].path))) ingestRead(batch[k], reads[k]);
        if (Date.now() - sliceStart > YIELD_EVERY_MS) {
          opts.onProgress?.(done, candidates.length);
          await yieldToEventLoop();
          await serveUrgent();
          sliceStart = Date.now();
        }
      }
    }
    await serveUrgent();
    // Second pass: YAML files nothing recognised may be task or vars files a playbook includes (and
    // task files may include further files), which only the includes tell.
    for (let changed = true; changed; ) {
      changed = false;
      for (const abs of unclassified) {
        if (!this.includedAs(abs)) continue;
        unclassified.delete(abs);
        const r = await readTextSafe(abs, this.rootReal, maxBytes);
        if (r.ok && this.ingest(abs, r.text, r.note)) changed = true; // unreadable now: it stays out, as in the first pass
      }
    }
    opts.onProgress?.(candidates.length, candidates.length);
  }

  /**
   * Open files parsed before and while the folder is listed (see build), each once (`served`);
   * `exists` asks the disk meanwhile.
   */
  private async serveBeforeListing(opts: BuildOptions, served: Set<string>): Promise<void> {
    const ready: string[] = [];
    this.listed = false;
    try {
      for (const u of opts.urgent!()) {
        if (u.text === undefined) continue;
        const abs = this.normalise(u.path);
        const rel = this.relative(abs);
        if (rel === undefined || served.has(abs)) continue;
        served.add(abs);
        if (!plainlyListed(this.root, rel, this.config, Buffer.byteLength(u.text))) continue;
        if (this.ingest(abs, u.text)) ready.push(abs);
      }
      if (ready.length) {
        await opts.onUrgentParsed!(ready);
        await yieldToEventLoop(); // what the callback started (a server publishing them) reads this index
      }
    } finally {
      for (const abs of ready) this.dropEntry(abs);
      this.unindexedMarkdown.clear();
      this.skippedFiles = [];
      this.invalidateQueries();
    }
  }

  /** A discovered file's text; HCL that is not Terraform is listed as not indexed without being read. */
  private readCandidate(c: { path: string; relPath: string }, maxBytes: number): Promise<SafeRead> {
    return classifyByPath(c.relPath) === 'hcl' ? Promise.resolve({ ok: true, text: '', size: 0 }) : readTextSafe(c.path, this.rootReal, maxBytes);
  }

  /** The real path of the root, so symlinks are judged by where they really lead. */
  private get rootReal(): string {
    return (this.rootRealCache ??= realRootSync(this.root));
  }

  // ---- queries (IndexView) ------------------------------------------------------------

  get(p: string): IndexedFile | undefined {
    // Rules mostly ask with an indexed file's own path, which is already normalised.
    return this.entries.get(p) ?? this.entries.get(this.normalise(p));
  }

  markdownText(p: string): string | undefined {
    const abs = this.normalise(p);
    return this.entries.get(abs)?.parsed.text ?? this.unindexedMarkdown.get(abs)?.text;
  }

  exists(p: string): boolean {
    if (this.entries.has(p)) return true; // an indexed file's own (normalised) path
    const abs = this.normalise(p);
    if (abs === this.root) return true;
    if (this.entries.has(abs)) return true;
    const rel = this.relative(abs);
    if (rel !== undefined && !this.listed) return existsSync(abs); // open files served before discovery (build)
    return rel !== undefined && this.allPaths.has(rel);
  }

  byKind(...kinds: FileKind[]): IndexedFile[] {
    const key = kinds.join(',');
    let out = this.kindCache.get(key);
    if (!out) {
      out = [];
      for (const f of this.entries.values()) if (kinds.includes(f.kind)) out.push(f);
      out.sort((a, b) => a.relPath.localeCompare(b.relPath));
      this.kindCache.set(key, out);
    }
    return [...out];
  }

  inDir(dir: string): IndexedFile[] {
    if (!this.dirCache) {
      this.dirCache = new Map();
      for (const f of this.entries.values()) {
        const d = f.path.slice(0, f.path.lastIndexOf('/'));
        let list = this.dirCache.get(d);
        if (!list) this.dirCache.set(d, (list = []));
        list.push(f);
      }
      for (const list of this.dirCache.values()) list.sort((a, b) => a.relPath.localeCompare(b.relPath));
    }
    // A folder of an indexed file, as rules ask, is already normalised.
    return [...((dir && this.dirCache.get(dir)) || this.dirCache.get(this.normalise(dir)) || [])];
  }

  private invalidateQueries(): void {
    this.kindCache.clear();
    this.dirCache = undefined;
    this.generationCounter++;
  }

  /** Changes on every index change: rules key their per-workspace caches on it. */
  get generation(): number {
    return this.generationCounter;
  }

  referrers(p: string): IndexedFile[] {
    const sources = this.reverse.get(this.normalise(p));
    if (!sources) return [];
    return [...sources].map((s) => this.entries.get(s)).filter((f): f is IndexedFile => !!f);
  }

  files(): Iterable<IndexedFile> {
    return this.entries.values();
  }

  get size(): number {
    return this.entries.size;
  }

  runbooks(q: RunbookQuery = {}): IndexedFile[] {
    return this.byKind('runbook', 'postmortem').filter((f) => matchesRunbook(f.runbook, q));
  }

  /** Counts by kind, for the status bar and the CLI summary. */
  stats(): Record<FileKind, number> {
    const counts = {} as Record<FileKind, number>;
    for (const f of this.entries.values()) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
    return counts;
  }

  // ---- incremental updates --------------------------------------------------------------

  /**
   * A file was created or changed. `text` is the editor's buffer when it has one; otherwise the
   * file is read from disk (size-checked first). Only this file is re-parsed.
   */
  async update(p: string, text?: string): Promise<IndexChange> {
    const abs = this.normalise(p);
    const rel = this.relative(abs);
    if (rel === undefined) return { updated: [], removed: [], affected: [] };
    const isNew = !this.allPaths.has(rel);
    this.addPathWithParents(rel);
    let note: DecodeNote | undefined;
    if (text === undefined) {
      if (!classifyByPath(rel) || !isIncluded(rel, this.config) || this.isInSkippedDir(rel)) return this.afterPathChange(abs, isNew);
      const r = await readTextSafe(abs, this.rootReal, this.config.maxFileSizeKb * 1024);
      this.skippedFiles = this.skippedFiles.filter((s) => s.relPath !== rel);
      if (!r.ok) {
        if (r.code !== 'symlink-broken' && r.code !== 'unreadable') this.skippedFiles.push(readSkip(rel, r));
        return this.remove(abs);
      }
      text = r.text;
      note = r.note;
    }
    const previous = this.entries.get(abs);
    if (previous && previous.hash === hashText(text)) return { updated: [], removed: [], affected: [] };
    const entry = this.ingest(abs, text, note);
    const change: IndexChange = entry
      ? { updated: [entry], removed: [], affected: this.dependents(abs, entry, previous, isNew) }
      : { updated: [], removed: previous ? [abs] : [], affected: this.dependents(abs, previous) };
    return this.reclassifyIncludes(change, entry, previous);
  }

  /** What an indexed file reads `abs` as: tasks (`include_tasks`, `import_tasks`), vars (`vars_files`, `include_vars`), or GitLab CI (`include: local`). */
  private includedAs(abs: string): FileKind | undefined {
    let kind: FileKind | undefined;
    for (const f of this.referrers(abs)) {
      for (const r of f.references) {
        if (r.target !== abs) continue;
        if (r.kind === 'ansible_tasks') return 'ansible-tasks';
        if (r.kind === 'ci_include') return 'gitlab-ci';
        if (r.kind === 'ansible_vars') kind = 'ansible-vars';
      }
    }
    return kind;
  }

  /** Files whose include a change added or removed are read again, so they become (or stop being) task or vars files. */
  private async reclassifyIncludes(change: IndexChange, now: IndexedFile | undefined, before: IndexedFile | undefined): Promise<IndexChange> {
    const targets = (f: IndexedFile | undefined) => new Set((f?.references ?? []).filter((r) => r.kind === 'ansible_tasks' || r.kind === 'ansible_vars' || r.kind === 'ci_include').map((r) => r.target));
    const added = [...targets(now)].filter((t) => !this.entries.has(t));
    const dropped = [...targets(before)].filter((t) => !targets(now).has(t) && this.entries.has(t));
    if (!added.length && !dropped.length) return change;
    const more: IndexChange[] = [change];
    for (const t of added) {
      const rel = this.relative(t);
      if (rel !== undefined && this.allPaths.has(rel)) more.push(await this.update(t));
    }
    for (const t of dropped) {
      // Same text, so update() would see no change: ingest the text the index already holds again
      // (no disk read) to drop or keep it by its other includers.
      const old = this.entries.get(t)!;
      const again = this.ingest(t, old.parsed.text, undefined, old);
      more.push(again ? { updated: [again], removed: [], affected: [] } : { updated: [], removed: [t], affected: this.dependents(t, old) });
    }
    return mergeIndexChanges(more);
  }

  /** A file or folder was deleted (or moved away). */
  remove(p: string): IndexChange {
    const abs = this.normalise(p);
    const rel = this.relative(abs);
    const removed: string[] = [];
    const affected = new Map<string, IndexedFile>();
    // A folder removal takes everything below it.
    const prefix = abs + '/';
    for (const key of [...this.unindexedMarkdown.keys()]) if (key === abs || key.startsWith(prefix)) this.unindexedMarkdown.delete(key);
    for (const key of [...this.entries.keys()]) {
      if (key === abs || key.startsWith(prefix)) {
        const old = this.entries.get(key)!;
        this.dropEntry(key);
        removed.push(key);
        for (const f of this.dependents(key, old)) affected.set(f.path, f);
      }
    }
    if (rel !== undefined) {
      const relPrefix = rel + '/';
      for (const r of [...this.allPaths]) if (r === rel || r.startsWith(relPrefix)) this.allPaths.delete(r);
      this.skippedFiles = this.skippedFiles.filter((s) => (s.code !== 'template' && s.code !== 'symlink-text') || (s.relPath !== rel && !s.relPath.startsWith(relPrefix)));
    }
    for (const f of this.referrers(abs)) affected.set(f.path, f);
    for (const r of removed) affected.delete(r);
    return { updated: [], removed, affected: [...affected.values()] };
  }

  async rename(oldPath: string, newPath: string): Promise<IndexChange> {
    const gone = this.remove(oldPath);
    const abs = this.normalise(newPath);
    let st: import('node:fs').Stats | undefined;
    try {
      st = await fsp.stat(abs);
    } catch {
      st = undefined;
    }
    const changes: IndexChange[] = [gone];
    if (st?.isDirectory()) {
      const found = await discover(abs, this.config);
      for (const c of found.candidates) changes.push(await this.update(path.posix.join(abs, c.relPath)));
      for (const r of found.allPaths) this.addPathWithParents(this.relative(path.posix.join(abs, r))!);
    } else {
      changes.push(await this.update(abs));
    }
    return mergeIndexChanges(changes);
  }

  // ---- internals ------------------------------------------------------------------------

  /**
   * Classifies, parses and indexes one file's text. `reuse`: the file's entry before, when the
   * text is the one it was parsed from; its parse is kept if the file keeps its kind (parsing
   * depends on the kind and the text only), everything else is computed again.
   */
  private ingest(abs: string, text: string, note?: DecodeNote, reuse?: IndexedFile): IndexedFile | undefined {
    const rel = this.relative(abs)!;
    const classified = classifyWithReason(rel, text, this.config, this.hints);
    // A YAML file a playbook includes (include_tasks, vars_files) or a pipeline includes (GitLab
    // `include: local`) is linted as what it is included as.
    const includedAs = classified.kind || classifyByPath(rel) !== 'yaml' ? undefined : this.includedAs(abs);
    const kind = classified.kind ?? includedAs;
    const reason = includedAs ? (includedAs === 'gitlab-ci' ? 'included from a GitLab CI pipeline (`include: local`)' : `included from a playbook or task file as ${includedAs}`) : classified.reason;
    const previous = this.entries.get(abs);
    if (previous) this.dropEntry(abs);
    this.unindexedMarkdown.delete(abs);
    if (this.noteTextSymlink(rel, text)) return undefined;
    if (!kind) {
      // The text is kept only while alerts can turn it into a runbook (detection on); YAML and
      // HCL are listed with their reason only, so `opsreview files` leaves nothing silently absent.
      const markdown = classifyByPath(rel) === 'markdown';
      this.unindexedMarkdown.set(abs, { text: markdown && this.hints ? text : undefined, reason, code: classified.code });
      return undefined;
    }
    // Past what its parser handles in bounded memory, a file is skipped with a note, even when
    // maxFileSizeKb was raised to read it (a 50 MB runbook took 3 GB; see PARSE_CEILING).
    const ceiling = parseCeiling(kind);
    if (this.overCeiling.delete(rel)) this.skippedFiles = this.skippedFiles.filter((s) => !(s.relPath === rel && s.code === 'too-large'));
    if (text.length > ceiling) {
      this.overCeiling.add(rel);
      this.skippedFiles.push({ relPath: rel, kind: 'file', code: 'too-large', reason: `${kind} file of ${Math.round(text.length / 1024)} KB, over the ${ceiling / 1024} KB OpsReview parses ${kind} files up to (whatever maxFileSizeKb says); not checked` });
      return undefined;
    }
    const reusable = reuse && reuse.kind === kind && reuse.parsed.text === text && reuse.size === text.length && !summaryFailed.has(reuse.parsed) ? reuse : undefined;
    const parsed = reusable ? reusable.parsed : parseFile(kind, text, rel);
    this.noteTemplate(rel, parsed.type === 'yaml' && parsed.skippedTemplate);
    let facts;
    try {
      facts = computeFacts(kind, parsed, abs, rel, this.root, this.config);
    } catch (e) {
      facts = { symbols: [], references: [] };
      summaryFailed.add(parsed);
      parsed.errors.push({ message: `OpsReview could not summarise this file (${(e as Error).message}); please report it.`, range: parsed.lines.lineRange(0), severity: 'error' });
    }
    // A decoding problem belongs to the file, not to its syntax (see opsreview/parse-error).
    const errors = note ? [{ message: note.message, range: parsed.lines.rangeOf(note.offset, note.offset + 1), severity: 'warning' as const }, ...parsed.errors] : parsed.errors;
    // Asked only when the file changes again (an unchanged save): hashed then, not for every file of a build.
    let hash: string | undefined;
    const entry: IndexedFile = {
      path: abs,
      relPath: rel,
      kind,
      reason,
      ...(classified.audience && kind === classified.kind ? { audience: classified.audience } : {}),
      version: ++this.versionCounter,
      size: text.length,
      get hash(): string {
        return (hash ??= hashText(text));
      },
      parsed,
      errors,
      ...facts,
    };
    this.entries.set(abs, entry);
    this.invalidateQueries();
    for (const ref of entry.references) {
      let set = this.reverse.get(ref.target);
      if (!set) this.reverse.set(ref.target, (set = new Set()));
      set.add(abs);
    }
    return entry;
  }

  /**
   * A Helm/Go template that is not YAML before rendering is kept in the index (links reach it)
   * but its rules cannot run: it goes on the skip list, once, instead of a finding per file.
   */
  private noteTemplate(rel: string, skipped: boolean): void {
    const listed = this.skippedFiles.some((s) => s.relPath === rel && s.code === 'template');
    if (skipped && !listed) {
      this.skippedFiles = [...this.skippedFiles, { relPath: rel, kind: 'file', code: 'template', reason: 'template ({{ … }}) that is not YAML before rendering; its rules did not run' }];
    } else if (!skipped && listed) {
      this.skippedFiles = this.skippedFiles.filter((s) => !(s.relPath === rel && s.code === 'template'));
    }
  }

  /**
   * A symlink checked out as a one-line text file (git on Windows, `core.symlinks=false`): not
   * parsed, listed on the skip list with its target; the target is checked on its own.
   */
  private noteTextSymlink(rel: string, text: string): boolean {
    const target = textSymlinkTarget(rel, text, (r) => this.allPaths.has(r));
    this.skippedFiles = this.skippedFiles.filter((s) => !(s.relPath === rel && s.code === 'symlink-text'));
    if (target) this.skippedFiles = [...this.skippedFiles, { relPath: rel, kind: 'file', code: 'symlink-text', reason: `a symlink to ${target} checked out as text (git with core.symlinks=false); its target is checked instead` }];
    return !!target;
  }

  private dropEntry(abs: string): void {
    const old = this.entries.get(abs);
    if (!old) return;
    for (const ref of old.references) {
      const set = this.reverse.get(ref.target);
      set?.delete(abs);
      if (set && set.size === 0) this.reverse.delete(ref.target);
    }
    this.entries.delete(abs);
    this.invalidateQueries();
  }

  /**
   * Files whose cross-file findings may change when `abs` changes: files that reference it
   * (or a folder above it), the other files of the same Terraform module (provider
   * default_tags, locals, variables) and the modules this module calls or is called by.
   */
  private dependents(abs: string, now?: IndexedFile, before?: IndexedFile, _isNew = false): IndexedFile[] {
    const out = new Map<string, IndexedFile>();
    const add = (f: IndexedFile | undefined): void => {
      if (f && f.path !== abs) out.set(f.path, f);
    };
    for (let p = abs; p.startsWith(this.root) && p.length >= this.root.length; p = dirOf(p)) {
      for (const f of this.referrers(p)) add(f);
      if (p === this.root) break;
    }
    const kind = now?.kind ?? before?.kind;
    // Whole-workspace joins: alert rules and Alertmanager routes, workloads and PodDisruptionBudgets,
    // alerts and the runbooks their runbook_url links (whose findings depend on being linked).
    for (const file of [now, before]) if (file) for (const k of crossKindDependents(file)) for (const f of this.byKind(k)) add(f);
    for (const r of [...(now?.references ?? []), ...(before?.references ?? [])]) if (r.kind === 'runbook_url') add(this.entries.get(r.target));
    if (kind === 'terraform' || kind === 'terraform-vars') {
      const dir = dirOf(abs);
      const tf = this.byKind('terraform', 'terraform-vars');
      for (const f of tf) if (dirOf(f.path) === dir) add(f);
      // Called modules, and the modules they call in turn: provider configurations (default_tags)
      // and variable values flow down the whole tree. `before` counts too, so removing a module
      // call re-checks the module it used to call.
      const byDir = new Map<string, IndexedFile[]>();
      for (const f of tf) {
        const d = dirOf(f.path);
        let list = byDir.get(d);
        if (!list) byDir.set(d, (list = []));
        list.push(f);
      }
      const seen = new Set<string>([dir]);
      const queue: string[] = [];
      const call = (refs: readonly { kind: string; target: string }[]): void => {
        for (const r of refs) {
          if (r.kind !== 'module_source' || seen.has(r.target)) continue;
          seen.add(r.target);
          queue.push(r.target);
        }
      };
      for (const f of byDir.get(dir) ?? []) call(f.references);
      if (now) call(now.references);
      if (before) call(before.references);
      while (queue.length) {
        const d = queue.shift()!;
        for (const f of byDir.get(d) ?? []) {
          add(f);
          call(f.references);
        }
      }
    }
    return [...out.values()];
  }

  private afterPathChange(abs: string, isNew: boolean): IndexChange {
    // A non-indexed file appeared (an image, a script): links to it may now resolve.
    return { updated: [], removed: [], affected: isNew ? this.referrers(abs) : [] };
  }

  private addPathWithParents(rel: string): void {
    let r = rel;
    while (r && r !== '.' && !this.allPaths.has(r)) {
      this.allPaths.add(r);
      const i = r.lastIndexOf('/');
      r = i >= 0 ? r.slice(0, i) : '';
    }
  }

  private isInSkippedDir(rel: string): boolean {
    return builtInSkip(rel, this.config) !== undefined;
  }

  normalise(p: string): string {
    const posix = toPosix(p);
    return path.posix.isAbsolute(posix) || /^[a-zA-Z]:\//.test(posix) ? path.posix.normalize(posix) : path.posix.join(this.root, posix);
  }

  /** Workspace-relative path, or undefined outside the workspace. */
  relative(abs: string): string | undefined {
    if (abs === this.root) return '';
    if (!abs.startsWith(this.root + '/')) return undefined;
    return abs.slice(this.root.length + 1);
  }
}

/**
 * The largest text, in characters, each parser is given: what it parses within about 500 MB
 * (measured: markdown-it about 60 bytes per character, the YAML AST about as much, tree-sitter's
 * Terraform grammar several hundred on long lists, whose memory the WASM heap keeps afterwards).
 */
export const PARSE_CEILING = { terraform: 2 * 1024 * 1024, other: 8 * 1024 * 1024 } as const;

function parseCeiling(kind: FileKind): number {
  return kind === 'terraform' || kind === 'terraform-vars' ? PARSE_CEILING.terraform : PARSE_CEILING.other;
}

function hashText(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 16);
}

function matchesRunbook(meta: RunbookMeta | undefined, q: RunbookQuery): boolean {
  if (!meta) return false;
  const eq = (a: string | undefined, b: string | undefined): boolean => !b || (a ?? '').toLowerCase() === b.toLowerCase();
  if (!eq(meta.service, q.service)) return false;
  if (q.owner && !eq(meta.owner, q.owner) && !eq(meta.team, q.owner)) return false;
  if (q.tag && !meta.tags.some((t) => t.toLowerCase() === q.tag!.toLowerCase())) return false;
  return true;
}

export function mergeIndexChanges(changes: IndexChange[]): IndexChange {
  const updated = new Map<string, IndexedFile>();
  const removed = new Set<string>();
  const affected = new Map<string, IndexedFile>();
  for (const c of changes) {
    for (const f of c.updated) {
      updated.set(f.path, f);
      removed.delete(f.path);
    }
    // Changes are in order: a file updated then removed (re-classified away) is removed.
    for (const r of c.removed) {
      updated.delete(r);
      removed.add(r);
    }
    for (const f of c.affected) affected.set(f.path, f);
  }
  for (const p of [...affected.keys()]) if (updated.has(p) || removed.has(p)) affected.delete(p);
  return { updated: [...updated.values()], removed: [...removed], affected: [...affected.values()] };
}

/** A refused read as a skip-list entry. */
function readSkip(relPath: string, r: Extract<SafeRead, { ok: false }>): SkippedFile {
  return { relPath, kind: 'file', code: r.code, reason: r.reason };
}
