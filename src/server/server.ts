import { appendFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeAction,
  CodeActionKind,
  CodeLens,
  Connection,
  Diagnostic,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  DocumentLink,
  DocumentSymbol,
  FileChangeType,
  InitializeParams,
  InitializeResult,
  SymbolKind,
  TextDocuments,
  TextDocumentSyncKind,
  TextEdit as LspTextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { docsUrl } from '../engine/docs';
import { summariseSkipped } from '../engine/discovery';
import { Engine } from '../engine/engine';
import { disableFileFix, disableLineFix } from '../engine/fixes/suppress';
import type { FileSymbol, IndexedFile } from '../engine/model';
import type { Finding, Fix, Severity } from '../engine/types';
import {
  checked,
  IndexChanged,
  InfraFile,
  InitOptions,
  Notifications,
  Requests,
  RunbookSummary,
  StatsResult,
  zFindingsParams,
  zInitOptions,
  zRunbooksParams,
} from './protocol';

// The OpsReview language server: the engine in its own process, so indexing never blocks the
// editor and a parser fault cannot take the editor down. Standard LSP for diagnostics, code
// actions, document links and symbols; custom requests (protocol.ts) for the trees and the
// checklist. Any LSP client can use it: `opsreview lsp --stdio`.

export const SERVER_VERSION = '0.1.0';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

const SYMBOL_KIND: Record<FileSymbol['kind'], SymbolKind> = {
  section: SymbolKind.String,
  alert: SymbolKind.Event,
  resource: SymbolKind.Object,
  data: SymbolKind.Constant,
  module: SymbolKind.Module,
  variable: SymbolKind.Variable,
  output: SymbolKind.Property,
  provider: SymbolKind.Package,
  play: SymbolKind.Class,
  task: SymbolKind.Method,
  job: SymbolKind.Function,
  object: SymbolKind.Struct,
  group: SymbolKind.Namespace,
};

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

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const engines = new Map<string, Engine>(); // folder path -> engine
  const building = new Map<string, Promise<Engine | undefined>>();
  const published = new Set<string>(); // paths with diagnostics currently shown
  const timers = new Map<string, NodeJS.Timeout>();
  let options: InitOptions = {};
  let folders: string[] = [];
  let changeVersion = 0;
  let watchRegistration = false;
  let workspaceFolderEvents = false;

  // OPSREVIEW_LOG_FILE also writes the log to a file (troubleshooting, integration tests).
  const logFile = process.env.OPSREVIEW_LOG_FILE;
  const toFile = (line: string): void => {
    if (logFile) {
      try {
        appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
      } catch {
        /* logging must never fail a request */
      }
    }
  };
  const log = (msg: string): void => {
    connection.console.log(`[opsreview] ${msg}`);
    toFile(msg);
  };
  const logError = (what: string, e: unknown): void => {
    const line = `${what}: ${(e as Error)?.stack ?? String(e)}`;
    connection.console.error(`[opsreview] ${line}`);
    toFile(`ERROR ${line}`);
  };

  /** Runs a handler so that an exception becomes a logged error and an empty answer, never a dead server. */
  function guard<A extends unknown[], R>(what: string, fallback: R, fn: (...args: A) => R | Promise<R>): (...args: A) => Promise<R> {
    return async (...args: A) => {
      try {
        return await fn(...args);
      } catch (e) {
        logError(what, e);
        return fallback;
      }
    };
  }

  function engineFor(p: string): Engine | undefined {
    let best: Engine | undefined;
    for (const [root, engine] of engines) {
      if ((p === root || p.startsWith(root + '/')) && (!best || root.length > best.root.length)) best = engine;
    }
    return best;
  }

  function toDiagnostic(f: Finding): Diagnostic {
    return {
      range: f.range,
      severity: SEVERITY[f.severity],
      source: 'opsreview',
      code: f.ruleId,
      codeDescription: { href: docsUrl(f.ruleId, options.docsBaseUri) },
      message: f.message,
    };
  }

  function publish(engine: Engine, paths: Iterable<string>): void {
    for (const p of paths) {
      const findings = engine.index.get(p) ? engine.lintFile(p) : [];
      if (!findings.length && !published.has(p)) continue;
      if (findings.length) published.add(p);
      else published.delete(p);
      void connection.sendDiagnostics({ uri: pathToUri(p), diagnostics: findings.map(toDiagnostic) });
    }
  }

  function notifyIndexChanged(changed: string[], removed: string[], full: boolean): void {
    const payload: IndexChanged = { version: ++changeVersion, changed: changed.map(pathToUri), removed: removed.map(pathToUri), full };
    void connection.sendNotification(Notifications.indexChanged, payload);
  }

  async function buildFolder(root: string): Promise<Engine | undefined> {
    const started = Date.now();
    try {
      const engine = await Engine.create(root, { configPath: options.configPath, wasmDir: __dirname });
      engines.set(engine.root.replace(/\\/g, '/'), engine);
      // Open editors may hold unsaved text newer than the disk.
      for (const doc of documents.all()) {
        const p = uriToPath(doc.uri);
        if (p && engineFor(p) === engine) await engine.update(p, doc.getText());
      }
      const files = [...engine.index.files()].map((f) => f.path);
      log(`indexed ${files.length} files in ${root} in ${Date.now() - started} ms${engine.configPath ? ` (config ${engine.configPath})` : ''}`);
      if (engine.index.skipped.length) log(`skipped ${summariseSkipped(engine.index.skipped)}`);
      for (const s of engine.index.skipped) log(`skipped ${s.kind} ${s.relPath}: ${s.reason} [${s.code}]`);
      publish(engine, files);
      notifyIndexChanged(files, [], true);
      return engine;
    } catch (e) {
      logError(`indexing ${root} failed`, e);
      return undefined;
    }
  }

  async function applyChange(p: string, op: () => ReturnType<Engine['update']>): Promise<void> {
    const engine = engineFor(p);
    if (!engine) return;
    const change = await op();
    if (change.updated.length + change.removed.length + change.affected.length) {
      log(`re-indexed ${change.updated.map((f) => f.relPath).join(', ') || '-'}; removed ${change.removed.length}; re-linted ${change.relint.length}`);
    }
    for (const r of change.removed) if (published.has(r)) publish(engine, [r]);
    publish(engine, change.relint);
    if (change.configReloaded) {
      for (const r of change.removed) publish(engine, [r]);
    }
    if (change.updated.length || change.removed.length || change.affected.length || change.configReloaded) {
      notifyIndexChanged(change.updated.map((f) => f.path), change.removed, change.configReloaded);
    }
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    try {
      options = checked(zInitOptions, params.initializationOptions ?? {}, 'initializationOptions');
    } catch (e) {
      logError('initializationOptions', e);
      options = {};
    }
    const fromFolders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
    const fromRoot = params.rootUri ? uriToPath(params.rootUri) : params.rootPath ?? undefined;
    folders = fromFolders.length ? fromFolders : fromRoot ? [fromRoot] : [];
    watchRegistration = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    workspaceFolderEvents = !!params.capabilities.workspace?.workspaceFolders;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: false },
        documentSymbolProvider: true,
        documentLinkProvider: { resolveProvider: false },
        codeLensProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'opsreview', version: SERVER_VERSION },
    };
  });

  connection.onInitialized(async () => {
    if (watchRegistration) {
      await connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{md,markdown,tf,tfvars,yml,yaml,ini}' }, { globPattern: '**/{hosts,inventory}' }, { globPattern: '**/*' , kind: 4 /* delete */ }],
      });
    }
    // Only clients that announced workspace folder support may be asked for their events.
    if (workspaceFolderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders(
        guard('workspace folders', undefined, async (e) => {
          for (const f of e.removed) {
            const p = uriToPath(f.uri);
            if (!p) continue;
            const engine = engines.get(p);
            if (engine) for (const file of engine.index.files()) void connection.sendDiagnostics({ uri: pathToUri(file.path), diagnostics: [] });
            engines.delete(p);
          }
          for (const f of e.added) {
            const p = uriToPath(f.uri);
            if (p) await buildFolder(p);
          }
        }),
      );
    }
    for (const root of folders) building.set(root, buildFolder(root));
    await Promise.all(building.values());
  });

  connection.onDidChangeWatchedFiles(
    guard('watched files', undefined, async (params) => {
      for (const change of params.changes) {
        log(`file ${['', 'created', 'changed', 'deleted'][change.type]}: ${change.uri}`);
        const p = uriToPath(change.uri);
        if (!p) continue;
        const engine = engineFor(p);
        if (!engine) continue;
        // An open document is the truth while it is open; disk events for it are ignored.
        if (change.type !== FileChangeType.Deleted && documents.get(change.uri)) continue;
        if (change.type === FileChangeType.Deleted) await applyChange(p, () => engine.remove(p));
        else await applyChange(p, () => engine.update(p));
      }
    }),
  );

  documents.onDidChangeContent((e) => {
    const p = uriToPath(e.document.uri);
    if (!p) return;
    clearTimeout(timers.get(p));
    const doc = e.document;
    timers.set(
      p,
      setTimeout(() => {
        timers.delete(p);
        void guard('document change', undefined, () => applyChange(p, () => engineFor(p)!.update(p, doc.getText())))();
      }, options.debounceMs ?? 150),
    );
  });

  documents.onDidClose(
    guard('document close', undefined, async (e) => {
      const p = uriToPath(e.document.uri);
      // Back to what is on disk (the buffer may have been closed without saving).
      if (p && engineFor(p)) await applyChange(p, () => engineFor(p)!.update(p));
    }),
  );

  documents.onDidSave(
    guard('document save', undefined, async (e) => {
      const p = uriToPath(e.document.uri);
      // Saving the config reloads it for the whole folder.
      if (p && /\/\.opsreview\.ya?ml$/.test(p)) await applyChange(p, () => engineFor(p)!.update(p));
    }),
  );

  connection.onCodeAction(
    guard('code actions', [] as CodeAction[], (params) => {
      const p = uriToPath(params.textDocument.uri);
      const engine = p ? engineFor(p) : undefined;
      const file = p && engine ? engine.index.get(p) : undefined;
      if (!engine || !file) return [];
      const actions: CodeAction[] = [];
      const findings = engine.lintFile(file.path);
      for (const diag of params.context.diagnostics) {
        if (diag.source !== 'opsreview') continue;
        const f = findings.find(
          (x) => x.ruleId === diag.code && x.range.start.line === diag.range.start.line && x.range.start.character === diag.range.start.character && x.message === diag.message,
        );
        if (!f) continue;
        for (const fix of f.fixes ?? []) actions.push(toCodeAction(fix, file, diag));
        if (f.ruleId.startsWith('opsreview/')) continue; // engine findings are fixed, not silenced
        const line = disableLineFix(file, f.ruleId, f.range.start.line);
        if (line) actions.push(toCodeAction(line, file, diag));
        actions.push(toCodeAction(disableFileFix(file, f.ruleId), file, diag));
      }
      return actions;
    }),
  );

  connection.onDocumentSymbol(
    guard('document symbols', [] as DocumentSymbol[], (params) => {
      const p = uriToPath(params.textDocument.uri);
      const file = p ? engineFor(p)?.index.get(p) : undefined;
      return file ? file.symbols.map(toDocumentSymbol) : [];
    }),
  );

  connection.onDocumentLinks(
    guard('document links', [] as DocumentLink[], (params) => {
      const p = uriToPath(params.textDocument.uri);
      const engine = p ? engineFor(p) : undefined;
      const file = p && engine ? engine.index.get(p) : undefined;
      if (!file || !engine) return [];
      // Runbook links and alert runbook_url values open the file in the workspace.
      return file.references
        .filter((r) => r.kind !== 'module_source' && r.target !== file.path && engine.index.exists(r.target))
        .map((r) => ({ range: r.range, target: pathToUri(r.target) + (r.fragment ? `#${r.fragment}` : ''), tooltip: `Open ${path.posix.relative(engine.root, r.target)}` }));
    }),
  );

  // Navigation between alerts and runbooks: an alert shows the runbook it names, a runbook the
  // alerts that point to it. The command is the VS Code client's; other editors show the title.
  connection.onCodeLens(
    guard('code lenses', [] as CodeLens[], (params) => {
      const p = uriToPath(params.textDocument.uri);
      const engine = p ? engineFor(p) : undefined;
      const file = p && engine ? engine.index.get(p) : undefined;
      if (!file || !engine) return [];
      const lenses: CodeLens[] = [];
      for (const alert of file.alerts ?? []) {
        if (!alert.runbookPath || !engine.index.exists(alert.runbookPath)) continue;
        const rel = path.posix.relative(engine.root, alert.runbookPath);
        lenses.push({ range: alert.range, command: { title: `$(book) Runbook: ${rel}`, command: 'opsreview.openRunbook', arguments: [pathToUri(alert.runbookPath), 0] } });
      }
      if (file.runbook) {
        const alerts = engine.index
          .referrers(file.path)
          .flatMap((f) => (f.alerts ?? []).filter((a) => a.runbookPath === file.path).map((a) => ({ f, a })));
        if (alerts.length) {
          const h1 = file.parsed.type === 'markdown' ? file.parsed.headings[0] : undefined;
          const range = h1?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
          const names = alerts.map(({ a }) => a.name);
          const first = alerts[0];
          lenses.push({
            range,
            command: {
              title: `$(bell) Linked from ${alerts.length === 1 ? `alert ${names[0]}` : `${alerts.length} alerts: ${names.slice(0, 3).join(', ')}${alerts.length > 3 ? '…' : ''}`}`,
              command: 'opsreview.openRunbook',
              arguments: [pathToUri(first.f.path), first.a.line],
            },
          });
        }
      }
      return lenses;
    }),
  );

  // ---- custom requests: the trees, the status bar, the checklist ----------------------------

  connection.onRequest(
    Requests.runbooks,
    guard('runbooks request', { runbooks: [] as RunbookSummary[] }, async (raw: unknown) => {
      const q = checked(zRunbooksParams, raw ?? {}, 'runbooks params');
      await Promise.all(building.values());
      const runbooks: RunbookSummary[] = [];
      for (const engine of engines.values()) {
        for (const f of engine.index.runbooks(q)) {
          const m = f.runbook!;
          runbooks.push({
            uri: pathToUri(f.path),
            relPath: f.relPath,
            folder: engine.root,
            kind: f.kind as 'runbook' | 'postmortem',
            title: m.title,
            service: m.service,
            owner: m.owner,
            team: m.team,
            tags: m.tags,
            severity: m.severity,
            type: m.type,
            lastReviewed: m.lastReviewed,
            sections: m.sections,
            findings: counts(engine.lintFile(f.path)),
          });
        }
      }
      return { runbooks };
    }),
  );

  connection.onRequest(
    Requests.infrastructure,
    guard('infrastructure request', { files: [] as InfraFile[] }, async () => {
      await Promise.all(building.values());
      const files: InfraFile[] = [];
      for (const engine of engines.values()) {
        for (const f of engine.index.files()) {
          if (f.kind === 'runbook' || f.kind === 'postmortem') continue;
          files.push({ uri: pathToUri(f.path), relPath: f.relPath, folder: engine.root, kind: f.kind, symbols: f.symbols.map(toSymbolSummary), parseErrors: f.errors.filter((e) => e.severity === 'error').length, findings: counts(engine.lintFile(f.path)) });
        }
      }
      files.sort((a, b) => a.relPath.localeCompare(b.relPath));
      return { files };
    }),
  );

  connection.onRequest(
    Requests.stats,
    guard('stats request', undefined as unknown as StatsResult, async () => {
      const files: Record<string, number> = {};
      const findings = { error: 0, warning: 0, info: 0 };
      const skipped: StatsResult['skipped'] = [];
      const configFiles: string[] = [];
      let ready = true;
      for (const [root, b] of building) {
        const settled = await Promise.race([b.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 0))]);
        if (!settled || !engines.has(root)) ready = ready && settled;
      }
      for (const engine of engines.values()) {
        for (const [k, n] of Object.entries(engine.index.stats())) files[k] = (files[k] ?? 0) + n;
        for (const f of engine.allFindings()) findings[f.severity]++;
        skipped.push(...engine.index.skipped);
        if (engine.configPath) configFiles.push(engine.configPath);
      }
      return { ready, files, findings, skipped, configFiles, serverVersion: SERVER_VERSION };
    }),
  );

  connection.onRequest(
    Requests.findings,
    guard('findings request', { findings: [] as unknown[] }, async (raw: unknown) => {
      const q = checked(zFindingsParams, raw ?? {}, 'findings params');
      await Promise.all(building.values());
      const wanted = q.uri ? uriToPath(q.uri) : undefined;
      const out = [];
      for (const engine of engines.values()) {
        const list = wanted ? (engineFor(wanted) === engine ? engine.lintFile(wanted) : []) : engine.allFindings();
        for (const f of list) {
          if (q.ruleIds && !q.ruleIds.includes(f.ruleId)) continue;
          out.push({ uri: pathToUri(f.path), ruleId: f.ruleId, severity: f.severity, message: f.message, range: f.range });
        }
      }
      return { findings: out };
    }),
  );

  connection.onRequest(
    Requests.reindex,
    guard('reindex request', { files: 0 }, async () => {
      for (const engine of engines.values()) for (const f of engine.index.files()) if (published.has(f.path)) void connection.sendDiagnostics({ uri: pathToUri(f.path), diagnostics: [] });
      published.clear();
      const roots = [...engines.keys()];
      engines.clear();
      for (const root of roots.length ? roots : folders) building.set(root, buildFolder(root));
      await Promise.all(building.values());
      let files = 0;
      for (const e of engines.values()) files += e.index.size;
      return { files };
    }),
  );

  documents.listen(connection);
  connection.listen();
}

function counts(findings: Finding[]): { error: number; warning: number; info: number } {
  const c = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

function toCodeAction(fix: Fix, file: IndexedFile, diag: Diagnostic): CodeAction {
  const changes: Record<string, LspTextEdit[]> = {};
  for (const e of fix.edits) {
    const uri = pathToUri(e.path ?? file.path);
    (changes[uri] ??= []).push({ range: e.range, newText: e.newText });
  }
  const edit: WorkspaceEdit = { changes };
  return { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diag], edit, isPreferred: fix.isPreferred };
}

function toDocumentSymbol(s: FileSymbol): DocumentSymbol {
  return {
    name: s.name,
    detail: s.detail,
    kind: SYMBOL_KIND[s.kind] ?? SymbolKind.Object,
    range: s.range,
    selectionRange: s.selectionRange,
    children: s.children?.map(toDocumentSymbol),
  };
}

function toSymbolSummary(s: FileSymbol): { name: string; detail: string; kind: string; line: number; children?: ReturnType<typeof toSymbolSummary>[] } {
  return { name: s.name, detail: s.detail, kind: s.kind, line: s.selectionRange.start.line, children: s.children?.map(toSymbolSummary) };
}
