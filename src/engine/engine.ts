import * as path from 'node:path';
import { CONFIG_FILE_NAMES, findConfigFile, LoadedConfig, loadConfigFile } from './config/load';
import { defaultConfig } from './config/schema';
import type { OpsReviewConfig } from './config/schema';
import { AlertPhase, changedOptions, DetectOptions, detectAlertConventions, detectRunbookConventions, frontmatterKeys, RunbookPhase } from './conventions/detect';
import { alertNameKey, MarkdownHints } from './conventions/markdownShape';
import type { Conventions } from './conventions/types';
import { SkipCode, toPosix } from './discovery';
import { IndexChange, mergeIndexChanges, WorkspaceIndex } from './index/workspaceIndex';
import type { IndexedFile } from './model';
import { effectiveSeverity, FileLint, lintFileDetailed, LintOptions } from './linter';
import { ANSIBLE_LINT_FILES, loadAnsibleLint } from './config/ansibleLint';
import { reportedFindings } from './profile';
import { applyConventionPass, conventionChanges, ConventionPassResult, conventionSignature, patchFile } from './conventionPass';
import type { AnsibleLintDeclarations } from './suppression';
import { fileSkipped } from './rules/opsreview';
import { initParsers } from './parsers';
import type { FileKind, Finding, SuppressedFinding } from './types';

export interface EngineOptions {
  /** Explicit config file (CLI `--config`, VS Code setting); otherwise searched from the root upward. */
  configPath?: string;
  /** Fixed "today" for date rules (tests). */
  now?: Date;
  /** Folder holding the tree-sitter WASM files (the bundle's dist/). */
  wasmDir?: string;
  /** Rule ids to run (CLI `--rule`). */
  only?: readonly string[];
  /** Read no config file at all (`opsreview init` in a folder below another project's config). */
  ignoreConfigFile?: boolean;
  /** The profile for this run whatever the config file says (CLI `--profile`). */
  profile?: OpsReviewConfig['profile'];
  /** Hook for conventions detection (e.g. severities an Alertmanager config routes to a pager). */
  detect?: DetectOptions;
  /** Index these first (the files open in an editor). */
  first?: readonly string[];
  /** Indexing progress, `done` of `total` files. */
  onProgress?: (done: number, total: number) => void;
  /** The files wanted now, asked again while indexing (open documents, with their text). */
  urgent?: () => Iterable<{ path: string; text?: string }>;
  /**
   * Urgent files are parsed (the rest of the workspace may not be yet): the engine may answer
   * for them, with cross-file findings limited to what is indexed so far. Findings given now
   * are forgotten when the build ends.
   */
  onUrgentParsed?: (engine: Engine, paths: string[]) => void | Promise<void>;
}

export interface EngineChange extends IndexChange {
  /** Paths whose findings must be re-published (updated + affected), removed ones excluded. */
  relint: string[];
  /** True when the configuration changed and everything was rebuilt. */
  configReloaded: boolean;
  /** True when the detected conventions changed (clients may show them again). */
  conventionsChanged?: boolean;
}

/**
 * The engine as its clients (language server, CLI, tests) use it: configuration, the workspace
 * index and the linter, with findings cached per file and recomputed only for files a change
 * touches.
 */
const UNREAD_CODES: ReadonlySet<SkipCode> = new Set<SkipCode>(['too-large', 'binary', 'not-regular', 'outside-root', 'unreadable', 'symlink-broken']);

export class Engine {
  readonly index: WorkspaceIndex;
  /** The config file as written (explicit options, defaults elsewhere). */
  private loaded: LoadedConfig;
  /** What the rules run with: the config file's options, detected conventions for the rest. */
  private effective: OpsReviewConfig;
  private detected: Conventions = emptyConventions();
  /** The last detection phases, reused for the parts an edit cannot change. */
  private lastAlertPhase: AlertPhase | undefined;
  private lastRunbookPhase: RunbookPhase | undefined;
  /** Each file's own findings (before the workspace's convention pass). */
  private readonly cache = new Map<string, FileLint>();
  /** The convention pass over every file's findings; undefined until asked for after a change. */
  private pass: ConventionPassResult | undefined;
  /** What the repository's `.ansible-lint` declares. */
  private ansibleLint: AnsibleLintDeclarations | undefined;

  private constructor(readonly root: string, private readonly opts: EngineOptions) {
    this.loaded = this.loadOwnConfig();
    this.effective = this.loaded.config;
    this.ansibleLint = loadAnsibleLint(root);
    this.index = new WorkspaceIndex(root, this.loaded.config, this.initialHints());
  }

  static async create(root: string, opts: EngineOptions = {}): Promise<Engine> {
    await initParsers(opts.wasmDir);
    const engine = new Engine(path.resolve(root), opts);
    await engine.index.build({ first: opts.first, onProgress: opts.onProgress, urgent: opts.urgent, onUrgentParsed: opts.onUrgentParsed && ((paths) => opts.onUrgentParsed!(engine, paths)) });
    engine.applyConventions();
    engine.invalidate(); // findings given early were computed on part of the index
    return engine;
  }

  /** The config file's options, with the run's `--profile` over its own. */
  private loadOwnConfig(): LoadedConfig {
    const loaded = Engine.loadConfig(this.root, this.opts.configPath, this.opts.ignoreConfigFile);
    return this.opts.profile ? { ...loaded, config: { ...loaded.config, profile: this.opts.profile } } : loaded;
  }

  static loadConfig(root: string, configPath?: string, none = false): LoadedConfig {
    if (none) return { config: defaultConfig(), errors: [], explicitKeys: new Set() };
    if (configPath) return loadConfigFile(path.resolve(root, configPath));
    // A config found in the tree must really be there, not a symlink leading out of it.
    const file = findConfigFile(root);
    return file ? loadConfigFile(file, path.dirname(file)) : { config: defaultConfig(), errors: [], explicitKeys: new Set() };
  }

  /** The configuration the rules run with (explicit options, detected conventions for the rest). */
  get config(): OpsReviewConfig {
    return this.effective;
  }

  /** The config file's own options (defaults where it sets none), without detection. */
  get explicitConfig(): OpsReviewConfig {
    return this.loaded.config;
  }

  /** Dotted paths of the options the config file sets. */
  get explicitKeys(): ReadonlySet<string> {
    return this.loaded.explicitKeys;
  }

  /** What was detected from the workspace's files, with the evidence. */
  get conventions(): Conventions {
    return this.detected;
  }

  get configPath(): string | undefined {
    return this.loaded.path ? toPosix(this.loaded.path) : undefined;
  }

  get configErrors() {
    return this.loaded.errors;
  }

  /** The file's findings, after the workspace's convention pass (which lints every file once). */
  lintFile(p: string): Finding[] {
    return reportedFindings(this.lintFileWithHidden(p), this.effective, this.opts.only);
  }

  /** A file's findings, those the profile does not report included (see profile.ts). */
  private lintFileWithHidden(p: string): Finding[] {
    const file = this.index.get(p);
    if (!file) return [];
    return this.workspacePass().findings.get(file.path) ?? this.fileLint(file).findings;
  }

  /**
   * Every finding checklist evidence reads: the reported ones and those the profile does not
   * report (a convention nobody follows is still a failing item, reported or not).
   */
  evidenceFindings(): Finding[] {
    const out: Finding[] = [];
    for (const f of this.index.files()) out.push(...this.lintFileWithHidden(f.path));
    return out;
  }

  /**
   * Findings another tool's comment or config suppressed (`# noqa`, `checkov:skip=`,
   * `.ansible-lint`), each with the declaration that did, so they stay auditable.
   */
  externallySuppressed(): SuppressedFinding[] {
    this.workspacePass();
    const out: SuppressedFinding[] = [];
    for (const lint of this.cache.values()) for (const f of lint.suppressed) if (f.suppressedBy.tool !== 'opsreview') out.push(f);
    return out.sort((a, b) => a.path.localeCompare(b.path) || a.range.start.line - b.range.start.line);
  }

  private fileLint(file: IndexedFile): FileLint {
    let lint = this.cache.get(file.path);
    if (!lint) this.cache.set(file.path, (lint = lintFileDetailed(file, this.index, this.effective, this.lintOptions())));
    return lint;
  }

  private workspacePass(): ConventionPassResult {
    if (!this.pass) {
      const templates = this.index.unindexed().filter((u) => /template/i.test(u.reason)).map((u) => u.relPath);
      this.pass = applyConventionPass([...this.index.files()].map((file) => ({ file, lint: this.fileLint(file) })), templates);
    }
    return this.pass;
  }

  /** Forget every finding (the index or the configuration changed under them). */
  private invalidate(): void {
    this.cache.clear();
    this.pass = undefined;
  }

  lintAll(): Map<string, Finding[]> {
    const out = new Map<string, Finding[]>();
    for (const f of this.index.files()) out.set(f.path, this.lintFile(f.path));
    return out;
  }

  /** Every finding of the workspace, skip notes included, sorted by path then position. */
  allFindings(): Finding[] {
    return [...[...this.lintAll().values()].flat(), ...this.skipNotes()].sort((a, b) => a.path.localeCompare(b.path) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }

  /** `opsreview/file-skipped` notes for the files discovery or the index did not read. */
  skipNotes(): Finding[] {
    const severity = effectiveSeverity(fileSkipped.id, fileSkipped.defaultSeverity, this.loaded.config, this.opts.only);
    if (severity === 'off' || (this.opts.only && !this.opts.only.includes(fileSkipped.id))) return [];
    const at = { line: 0, character: 0 };
    // Only what the engine could not read safely; what the configuration or .gitignore leaves out
    // (and unrendered templates) is in the skip summary, not a finding per file.
    return this.index.skipped.filter((s) => UNREAD_CODES.has(s.code)).map((s) => ({
      ruleId: fileSkipped.id,
      severity,
      path: path.posix.join(this.index.root, s.relPath),
      range: { start: at, end: at },
      message: `Skipped: ${s.reason}.`,
    }));
  }

  /** A file changed on disk or in an editor buffer. */
  async update(p: string, text?: string): Promise<EngineChange> {
    // An edited (unsaved) config buffer only refreshes its own diagnostics; saving reloads.
    if ((this.isConfigFile(p) || this.isAnsibleLintFile(p)) && text === undefined) return this.reloadConfig();
    const abs = this.index.normalise(p);
    const before = this.index.get(abs);
    return this.settle(await this.index.update(p, text), [abs], before);
  }

  async remove(p: string): Promise<EngineChange> {
    if (this.isConfigFile(p) || this.isAnsibleLintFile(p)) return this.reloadConfig();
    const abs = this.index.normalise(p);
    const before = this.index.get(abs);
    return this.settle(this.index.remove(p), [abs], before);
  }

  async rename(oldPath: string, newPath: string): Promise<EngineChange> {
    if (this.isConfigFile(oldPath) || this.isConfigFile(newPath)) return this.reloadConfig();
    const before = this.index.get(oldPath);
    return this.settle(await this.index.rename(oldPath, newPath), [this.index.normalise(oldPath), this.index.normalise(newPath)], before);
  }

  private settle(change: IndexChange, touched: string[] = [], before?: IndexedFile): EngineChange {
    // Conventions come from alerts and runbooks: a change to either may change them (a new
    // alert links a markdown file, which becomes a runbook; the runbooks' frontmatter keys).
    // Detection is a pass over the in-memory alerts and runbooks, so it runs on such changes only.
    let conventionsChanged = false;
    const scope = conventionScope(change, touched, before);
    if (scope.alerts || scope.runbooks || scope.terraform) {
      const extra = this.applyConventions(scope);
      conventionsChanged = extra.conventionsChanged;
      change = mergeIndexChanges([change, extra.change]);
    }
    const relint = [...change.updated, ...change.affected].map((f) => f.path);
    const lastPass = this.pass;
    const signatures = lastPass ? new Map([...relint, ...change.removed].map((p) => [p, conventionSignature(this.cache.get(p))])) : undefined;
    for (const p of [...relint, ...change.removed]) this.cache.delete(p);
    this.pass = undefined;
    // An edit that changes no file's convention subjects or findings (typing in a runbook's
    // body) keeps the last pass: only the edited files' findings are redone.
    if (lastPass && signatures && !change.removed.length) {
      const same = relint.every((p) => {
        const file = this.index.get(p);
        return !!file && conventionSignature(this.fileLint(file)) === signatures.get(p);
      });
      if (same) {
        for (const p of relint) lastPass.findings.set(p, patchFile(lastPass, p, this.fileLint(this.index.get(p)!)));
        this.pass = lastPass;
        return { ...change, relint, configReloaded: false, conventionsChanged };
      }
    }
    // A convention the repository now follows, or no longer does, changes other files' findings.
    if (lastPass) {
      const seen = new Set(relint);
      for (const p of conventionChanges(lastPass, this.workspacePass())) if (!seen.has(p) && this.index.get(p)) relint.push(p);
    }
    return { ...change, relint, configReloaded: false, conventionsChanged };
  }

  private initialHints(): MarkdownHints | undefined {
    // Runbook-shaped documents are recognised from the first pass; alert links and names join
    // once the alerts are indexed (applyConventions).
    return this.loaded.explicitKeys.has('runbooks.globs') ? undefined : { linked: new Map(), alertNames: new Map(), shape: true };
  }

  /**
   * Detects the conventions and brings the index and the effective config in line: markdown
   * whose hints changed is classified again, alert files are re-read when the runbook
   * annotation or base URL changed, and files whose rule options changed are re-linted.
   */
  private applyConventions(scope: ConventionScope = { alerts: true, runbooks: true, terraform: true }): { change: IndexChange; conventionsChanged: boolean } {
    const explicit = this.loaded.config;
    const keys = this.loaded.explicitKeys;
    const previous = this.effective;
    const previousHints = this.index.markdownHints;
    const a = scope.alerts || !this.lastAlertPhase ? detectAlertConventions(this.index, explicit, keys, this.opts.detect) : this.lastAlertPhase;
    this.lastAlertPhase = a;
    this.index.setConfig(a.config);
    this.index.setMarkdownHints(a.hints);
    const changes: IndexChange[] = [];
    const linksChanged = changedOptions(previous, a.config).some((k) => k === 'alerts.runbookAnnotations' || k === 'alerts.runbookBaseUrl' || k === 'alerts.runbookPathsFrom');
    if (linksChanged) changes.push(this.index.reclassify((_rel, kind) => kind === 'alert-rules' || kind === 'k8s-manifest'));
    const rehint = hintsDiff(previousHints, a.hints);
    if (rehint) changes.push(this.index.reclassify((rel) => /\.(md|markdown|mdx)(\.erb)?$/i.test(rel) && rehint(rel)));
    // Re-classified markdown changes the runbooks, so their figures are redone then too.
    const reclassified = changes.some((c) => c.updated.length || c.removed.length);
    const b = detectRunbookConventions(this.index, a.config, keys, !!a.hints, this.lastRunbookPhase?.found, { runbooks: scope.runbooks || reclassified, terraform: scope.terraform });
    this.lastRunbookPhase = b;
    this.index.setConfig(b.config);
    this.effective = b.config;
    const ruleOptions = changedOptions(previous, b.config);
    const relint: IndexedFile[] = [];
    for (const option of ruleOptions) {
      const kinds = RELINT_ON_OPTION[option];
      if (kinds) relint.push(...this.index.byKind(...kinds));
    }
    changes.push({ updated: [], removed: [], affected: relint });
    const next: Conventions = { ...a.found, ...b.found, applied: changedOptions(explicit, b.config) };
    const conventionsChanged = JSON.stringify(summaryKey(next)) !== JSON.stringify(summaryKey(this.detected));
    this.detected = next;
    return { change: mergeIndexChanges(changes), conventionsChanged };
  }

  private isConfigFile(p: string): boolean {
    const abs = this.index.normalise(p);
    if (this.opts.configPath) return abs === this.index.normalise(path.resolve(this.root, this.opts.configPath));
    return CONFIG_FILE_NAMES.includes(path.posix.basename(abs)) && path.posix.dirname(abs) === this.index.root;
  }

  /** The config changed: every classification and finding may change, so rebuild. */
  private async reloadConfig(): Promise<EngineChange> {
    const before = new Set([...this.index.files()].map((f) => f.path));
    this.loaded = this.loadOwnConfig();
    this.effective = this.loaded.config;
    this.ansibleLint = loadAnsibleLint(this.root);
    this.index.setConfig(this.loaded.config);
    this.index.setMarkdownHints(this.initialHints());
    this.lastAlertPhase = this.lastRunbookPhase = undefined;
    await this.index.build({ onProgress: this.opts.onProgress });
    this.applyConventions();
    this.invalidate();
    const after = [...this.index.files()];
    const removed = [...before].filter((b) => !this.index.get(b));
    return { updated: after, removed, affected: [], relint: after.map((f) => f.path), configReloaded: true };
  }

  private lintOptions(): LintOptions {
    return { now: this.opts.now, only: this.opts.only, ansibleLint: this.ansibleLint };
  }

  private isAnsibleLintFile(p: string): boolean {
    const abs = this.index.normalise(p);
    return ANSIBLE_LINT_FILES.some((rel) => abs === path.posix.join(this.index.root, rel));
  }
}

/** The files whose findings a detected option decides (re-linted when detection changes it). */
const RELINT_ON_OPTION: Record<string, FileKind[]> = {
  'alerts.allowedSeverities': ['alert-rules', 'k8s-manifest', 'alertmanager-config'],
  'runbooks.requiredFrontmatter': ['runbook'],
  'terraform.requiredTags': ['terraform'],
  'alertmanager.criticalSeverities': ['alertmanager-config'],
};

interface ConventionScope {
  /** Alert conventions and markdown hints (an alert file changed, or a file appeared or went). */
  alerts: boolean;
  /** Runbook figures: a runbook came, went, or changed its frontmatter keys. */
  runbooks: boolean;
  terraform: boolean;
}

/** Which detections a change may affect; typing in a runbook's body affects none. */
function conventionScope(change: IndexChange, touched: string[], before: IndexedFile | undefined): ConventionScope {
  if (!change.updated.length && !change.removed.length) return { alerts: false, runbooks: false, terraform: false }; // nothing re-parsed
  const after = change.updated.find((f) => f.path === before?.path) ?? (touched.length === 1 ? change.updated.find((f) => f.path === touched[0]) : undefined);
  const appearedOrWent = change.removed.length > 0 || (!before && change.updated.length > 0) || touched.length > 1;
  const alerts = appearedOrWent || [before, ...change.updated].some((f) => !!f?.alerts);
  const wasRunbook = before?.kind === 'runbook';
  const isRunbook = after?.kind === 'runbook';
  const sameKeys = (): boolean => {
    const x = frontmatterKeys(before!);
    const y = frontmatterKeys(after!);
    return x.size === y.size && [...x].every((k) => y.has(k));
  };
  const runbooks = alerts || wasRunbook !== isRunbook || (wasRunbook && isRunbook && !sameKeys()) || change.updated.some((f) => f.kind === 'runbook' && f !== after);
  const terraform = appearedOrWent || [before, ...change.updated].some((f) => f?.kind === 'terraform');
  return { alerts, runbooks, terraform };
}

function emptyConventions(): Conventions {
  return { runbooks: { byGlob: 0, byFrontmatter: 0, linkedFromAlert: 0, namedAfterAlert: 0, runbookShaped: 0, total: 0, folders: [], examples: [], detectionOn: false }, applied: [] };
}

/** What a client shows of the conventions (not the evidence's example files, which move on every edit). */
function summaryKey(c: Conventions): unknown {
  return [c.applied, c.severities?.value, c.runbookAnnotations?.value, c.runbookBaseUrl?.value, c.requiredFrontmatter?.value, c.runbooks.folders.map((f) => f.dir)];
}

/**
 * Which markdown files may classify differently under `next` hints than under `prev`: those
 * linked under one and not the other, and those named after an alert only one of them knows.
 * Undefined when nothing can differ.
 */
function hintsDiff(prev: MarkdownHints | undefined, next: MarkdownHints | undefined): ((rel: string) => boolean) | undefined {
  if (!prev && !next) return undefined;
  if (!prev || !next || prev.shape !== next.shape || prev.product !== next.product || (prev.sections ?? []).join('\n') !== (next.sections ?? []).join('\n')) return () => true;
  const links = new Set<string>();
  for (const [k, v] of prev.linked) if (next.linked.get(k) !== v) links.add(k);
  for (const [k, v] of next.linked) if (prev.linked.get(k) !== v) links.add(k);
  const names = new Set<string>();
  for (const [k, v] of prev.alertNames) if (next.alertNames.get(k) !== v) names.add(k);
  for (const [k, v] of next.alertNames) if (prev.alertNames.get(k) !== v) names.add(k);
  if (!links.size && !names.size) return undefined;
  return (rel) => links.has(rel) || names.has(alertNameKey(rel.slice(rel.lastIndexOf('/') + 1).replace(/(\.html)?\.(md|markdown|mdx)(\.erb)?$/i, '')));
}
