import * as path from 'node:path';
import { CONFIG_FILE_NAMES, findConfigFile, LoadedConfig, loadConfigFile } from './config/load';
import { defaultConfig } from './config/schema';
import { toPosix } from './discovery';
import { IndexChange, WorkspaceIndex } from './index/workspaceIndex';
import { effectiveSeverity, lintFile, LintOptions } from './linter';
import { fileSkipped } from './rules/opsreview';
import { initParsers } from './parsers';
import type { Finding } from './types';

export interface EngineOptions {
  /** Explicit config file (CLI `--config`, VS Code setting); otherwise searched from the root upward. */
  configPath?: string;
  /** Fixed "today" for date rules (tests). */
  now?: Date;
  /** Folder holding the tree-sitter WASM files (the bundle's dist/). */
  wasmDir?: string;
  /** Rule ids to run (CLI `--rule`). */
  only?: readonly string[];
  /** Index these first (the files open in an editor). */
  first?: readonly string[];
  /** Indexing progress, `done` of `total` files. */
  onProgress?: (done: number, total: number) => void;
  /**
   * The `first` files are parsed (the rest of the workspace is not yet): the engine may answer
   * for them, with cross-file findings limited to what is indexed so far. Findings given now
   * are forgotten when the build ends.
   */
  onFirstParsed?: (engine: Engine) => void | Promise<void>;
}

export interface EngineChange extends IndexChange {
  /** Paths whose findings must be re-published (updated + affected), removed ones excluded. */
  relint: string[];
  /** True when the configuration changed and everything was rebuilt. */
  configReloaded: boolean;
}

/**
 * The engine as its clients (language server, CLI, tests) use it: configuration, the workspace
 * index and the linter, with findings cached per file and recomputed only for files a change
 * touches.
 */
export class Engine {
  readonly index: WorkspaceIndex;
  private loaded: LoadedConfig;
  private readonly cache = new Map<string, Finding[]>();

  private constructor(readonly root: string, private readonly opts: EngineOptions) {
    this.loaded = Engine.loadConfig(root, opts.configPath);
    this.index = new WorkspaceIndex(root, this.loaded.config);
  }

  static async create(root: string, opts: EngineOptions = {}): Promise<Engine> {
    await initParsers(opts.wasmDir);
    const engine = new Engine(path.resolve(root), opts);
    await engine.index.build({ first: opts.first, onProgress: opts.onProgress, onFirstParsed: opts.onFirstParsed && (() => opts.onFirstParsed!(engine)) });
    engine.cache.clear(); // findings given early were computed on part of the index
    return engine;
  }

  static loadConfig(root: string, configPath?: string): LoadedConfig {
    if (configPath) return loadConfigFile(path.resolve(root, configPath));
    // A config found in the tree must really be there, not a symlink leading out of it.
    const file = findConfigFile(root);
    return file ? loadConfigFile(file, path.dirname(file)) : { config: defaultConfig(), errors: [] };
  }

  get config() {
    return this.loaded.config;
  }

  get configPath(): string | undefined {
    return this.loaded.path ? toPosix(this.loaded.path) : undefined;
  }

  get configErrors() {
    return this.loaded.errors;
  }

  lintFile(p: string): Finding[] {
    const file = this.index.get(p);
    if (!file) return [];
    const cached = this.cache.get(file.path);
    if (cached) return cached;
    const findings = lintFile(file, this.index, this.loaded.config, this.lintOptions());
    this.cache.set(file.path, findings);
    return findings;
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
    const severity = effectiveSeverity(fileSkipped.id, fileSkipped.defaultSeverity, this.loaded.config);
    if (severity === 'off' || (this.opts.only && !this.opts.only.includes(fileSkipped.id))) return [];
    const at = { line: 0, character: 0 };
    return this.index.skipped.map((s) => ({
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
    if (this.isConfigFile(p) && text === undefined) return this.reloadConfig();
    return this.settle(await this.index.update(p, text));
  }

  async remove(p: string): Promise<EngineChange> {
    if (this.isConfigFile(p)) return this.reloadConfig();
    return this.settle(this.index.remove(p));
  }

  async rename(oldPath: string, newPath: string): Promise<EngineChange> {
    if (this.isConfigFile(oldPath) || this.isConfigFile(newPath)) return this.reloadConfig();
    return this.settle(await this.index.rename(oldPath, newPath));
  }

  private settle(change: IndexChange): EngineChange {
    const relint = [...change.updated, ...change.affected].map((f) => f.path);
    for (const p of [...relint, ...change.removed]) this.cache.delete(p);
    return { ...change, relint, configReloaded: false };
  }

  private isConfigFile(p: string): boolean {
    const abs = this.index.normalise(p);
    if (this.opts.configPath) return abs === this.index.normalise(path.resolve(this.root, this.opts.configPath));
    return CONFIG_FILE_NAMES.includes(path.posix.basename(abs)) && path.posix.dirname(abs) === this.index.root;
  }

  /** The config changed: every classification and finding may change, so rebuild. */
  private async reloadConfig(): Promise<EngineChange> {
    const before = new Set([...this.index.files()].map((f) => f.path));
    this.loaded = Engine.loadConfig(this.root, this.opts.configPath);
    this.index.setConfig(this.loaded.config);
    await this.index.build({ onProgress: this.opts.onProgress });
    this.cache.clear();
    const after = [...this.index.files()];
    const removed = [...before].filter((b) => !this.index.get(b));
    return { updated: after, removed, affected: [], relint: after.map((f) => f.path), configReloaded: true };
  }

  private lintOptions(): LintOptions {
    return { now: this.opts.now, only: this.opts.only };
  }
}
