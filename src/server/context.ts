import { appendFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CodeLens, Connection, Hover, Position, ServerCapabilities, SymbolKind, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Engine } from '../engine/engine';
import type { FileSymbol, IndexedFile } from '../engine/model';
import type { WorkspaceSymbolKind } from '../engine/navigation';
import type { Finding } from '../engine/types';
import type { InitOptions } from './protocol';

// What every feature module of the server gets: the connection, the open documents, the engines
// (one per workspace folder) and logging. Features register their own LSP handlers and call the
// engine's query API; they never call each other. LSP methods that several features answer
// (code lenses, hovers) are collected here as providers, so each feature adds its own.

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri).replace(/\\/g, '/');
  } catch {
    return undefined;
  }
}

export function pathToUri(p: string): string {
  return pathToFileURL(p).toString();
}

/** A workspace file as a handler sees it: the engine of its folder and its indexed form. */
export interface FileContext {
  engine: Engine;
  file: IndexedFile;
}

/** What changed after an index update: the files whose findings must be re-published. */
export interface WorkspaceChange {
  engine: Engine;
  /** Files re-indexed or affected by the change (their findings may differ). */
  relint: string[];
  /** Files that left the index. */
  removed: string[];
  /** Files re-parsed (for clients that refresh per file). */
  updated: string[];
  /** The whole folder was rebuilt (first build, config change, re-index). */
  full: boolean;
}

export type CodeLensProvider = (ctx: FileContext) => CodeLens[];
export type HoverProvider = (ctx: FileContext, position: Position) => Hover | undefined;

export interface ServerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  /** Client options from `initializationOptions` (set during initialize). */
  options(): InitOptions;
  log(msg: string): void;
  logError(what: string, e: unknown): void;
  /** Wraps a handler so an exception becomes a logged error and `fallback`, never a dead server. */
  guard<A extends unknown[], R>(what: string, fallback: R, fn: (...args: A) => R | Promise<R>): (...args: A) => Promise<R>;
  engines(): Iterable<Engine>;
  /** The engine whose folder holds `p` (the innermost one). */
  engineFor(p: string): Engine | undefined;
  /** The engine and indexed file behind a document URI, if OpsReview indexes it. */
  fileAt(uri: string): FileContext | undefined;
  /** Resolves once every folder's current build has finished. */
  ready(): Promise<void>;
  /** True when every folder's first build has finished (without waiting). */
  isReady(): boolean;
  /** Files indexed so far of the folders being built (undefined when none is). */
  indexing(): { done: number; total: number } | undefined;
  /** When the last folder build finished, and how long it took. */
  builtAt(): { at: number; ms: number } | undefined;
  /** Listeners run after every index change (diagnostics, tree refresh, checklists). */
  onDidChange(listener: (change: WorkspaceChange) => void): void;
  /** Listeners run when a folder leaves the workspace (its findings must be cleared). */
  onDidRemoveFolder(listener: (engine: Engine) => void): void;
  /** Rebuilds every folder from disk (the re-index command). */
  reindex(): Promise<void>;
  codeLensProviders: CodeLensProvider[];
  hoverProviders: HoverProvider[];
}

/** A server feature: the capabilities it announces and the handlers it registers. */
export interface Feature {
  name: string;
  capabilities?: ServerCapabilities;
  register(ctx: ServerContext): void;
}

/** Logging to the client console and, with OPSREVIEW_LOG_FILE, to a file (troubleshooting, integration tests). */
export function makeLogger(connection: Connection): Pick<ServerContext, 'log' | 'logError'> {
  const logFile = process.env.OPSREVIEW_LOG_FILE;
  const toFile = (line: string): void => {
    if (!logFile) return;
    try {
      appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
    } catch {
      /* logging must never fail a request */
    }
  };
  return {
    log(msg) {
      connection.console.log(`[opsreview] ${msg}`);
      toFile(msg);
    },
    logError(what, e) {
      const line = `${what}: ${(e as Error)?.stack ?? String(e)}`;
      connection.console.error(`[opsreview] ${line}`);
      toFile(`ERROR ${line}`);
    },
  };
}

/** Finding counts by severity (tree badges, status bar). */
export function countFindings(findings: readonly Finding[]): { error: number; warning: number; info: number } {
  const c = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

/** A path relative to the engine's root, `/`-separated. */
export function relativeTo(engine: Engine, p: string): string {
  return path.posix.relative(engine.root, p);
}

/** The LSP symbol kind of each kind of outline entry and workspace symbol (one table for both). */
export const SYMBOL_KINDS: Record<FileSymbol['kind'] | WorkspaceSymbolKind, SymbolKind> = {
  runbook: SymbolKind.File,
  postmortem: SymbolKind.File,
  section: SymbolKind.String,
  alert: SymbolKind.Event,
  resource: SymbolKind.Object,
  data: SymbolKind.Constant,
  module: SymbolKind.Module,
  variable: SymbolKind.Variable,
  output: SymbolKind.Property,
  provider: SymbolKind.Package,
  play: SymbolKind.Class,
  role: SymbolKind.Package,
  task: SymbolKind.Method,
  job: SymbolKind.Function,
  object: SymbolKind.Struct,
  group: SymbolKind.Namespace,
};
