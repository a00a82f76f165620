import { BASELINE_FILE } from '../engine/baseline';
import {
  Connection,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  InitializeParams,
  TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { summariseSkipped } from '../engine/discovery';
import { Engine, EngineChange } from '../engine/engine';
import { checked, InitOptions, Notifications, zInitOptions } from './protocol';
import { makeLogger, pathToUri, ServerContext, uriToPath, WorkspaceChange } from './context';

// The engines' lifecycle in the server: one engine per workspace folder, built at start, kept up
// to date from open documents (debounced), watched files and folder events. Every change is
// announced to the features through `onDidChange`; this module publishes nothing itself.

/** Kinds whose diagnostics may be published before the whole folder is indexed (see buildFolder). */
const EARLY_KINDS: ReadonlySet<string> = new Set(['runbook', 'postmortem', 'alert-rules', 'k8s-manifest', 'github-workflow', 'gitlab-ci', 'cloud-build']);

export interface ServerWorkspace extends ServerContext {
  initialize(params: InitializeParams): void;
  /** After `initialized`: register watchers and build every folder. */
  start(): Promise<void>;
}

export function createWorkspace(connection: Connection, documents: TextDocuments<TextDocument>): ServerWorkspace {
  const engines = new Map<string, Engine>(); // folder path -> engine
  const building = new Map<string, Promise<Engine | undefined>>();
  const pending = new Set<string>(); // folders whose build has not settled yet
  const progressByRoot = new Map<string, { done: number; total: number }>(); // folders being indexed
  let builtAt: { at: number; ms: number } | undefined;
  const indexing = (): { done: number; total: number } | undefined => {
    if (!progressByRoot.size) return undefined;
    let done = 0;
    let total = 0;
    for (const p of progressByRoot.values()) {
      done += p.done;
      total += p.total;
    }
    return { done, total };
  };
  const timers = new Map<string, NodeJS.Timeout>();
  const changeListeners: ((c: WorkspaceChange) => void)[] = [];
  const removeListeners: ((e: Engine) => void)[] = [];
  let options: InitOptions = {};
  let folders: string[] = [];
  let watchRegistration = false;
  let workspaceFolderEvents = false;
  const { log, logError } = makeLogger(connection);

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

  function emit(change: WorkspaceChange): void {
    for (const l of changeListeners) {
      try {
        l(change);
      } catch (e) {
        logError('change listener', e);
      }
    }
  }

  async function buildFolder(root: string): Promise<Engine | undefined> {
    const started = Date.now();
    // `N/M files` in the client's progress UI while the folder is indexed (VS Code shows it in
    // the status bar); a client without workDoneProgress gets a reporter that does nothing.
    // Not awaited: the build (and the open files' diagnostics) need not wait for the client's
    // answer; what is reported meanwhile follows `begin` in order once it is there.
    const progressReady = connection.window.createWorkDoneProgress().catch(() => undefined);
    void progressReady.then((p) => p?.begin('OpsReview: indexing', 0, root, false));
    const progress = {
      report: (percent: number, message: string): void => void progressReady.then((p) => p?.report(percent, message)),
      done: (): void => void progressReady.then((p) => p?.done()),
    };
    let lastReport = 0;
    progressByRoot.set(root, { done: 0, total: 0 });
    const onProgress = (done: number, total: number): void => {
      progressByRoot.set(root, { done, total });
      const now = Date.now();
      if (done < total && now - lastReport < 100) return;
      lastReport = now;
      progress.report(total ? Math.floor((done * 100) / total) : 100, `${done}/${total} files`);
      // Clients' status items say "Indexing N / M files" instead of counts that are not final.
      void connection.sendNotification(Notifications.indexProgress, indexing()).catch(() => undefined);
    };
    // Files open in an editor are diagnosed first, whenever they were opened: at the start of
    // the build, while the folder is discovered or in the middle of parsing it. The index asks for
    // them between slices, parses each at once (from the buffer) and we publish it then. Only kinds
    // whose findings cannot be wrong on a partial index: Terraform and Ansible rules read sibling
    // files (provider tags, included tasks), so they wait for the whole folder.
    const open = (): { path: string; text: string }[] =>
      documents.all().flatMap((d) => {
        const p = uriToPath(d.uri);
        return p ? [{ path: p, text: d.getText() }] : []; // the index keeps those of its folder
      });
    const earlyPaths = new Set<string>(); // diagnosed before the build ended
    try {
      const onUrgentParsed = (early: Engine, paths: string[]): void => {
        const ready = paths.filter((p) => EARLY_KINDS.has(early.index.get(p)?.kind ?? ''));
        for (const p of ready) earlyPaths.add(p);
        if (ready.length) emit({ engine: early, relint: ready, removed: [], updated: ready, full: false });
      };
      const first = open().map((d) => d.path);
      const engine = await Engine.create(root, { configPath: options.configPath, wasmDir: __dirname, first, onProgress, urgent: open, onUrgentParsed });
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
      // A file diagnosed early that the finished index does not hold loses those diagnostics.
      emit({ engine, relint: files, removed: [...earlyPaths].filter((p) => !engine.index.get(p)), updated: files, full: true });
      return engine;
    } catch (e) {
      logError(`indexing ${root} failed`, e);
      return undefined;
    } finally {
      progressByRoot.delete(root);
      builtAt = { at: Date.now(), ms: Date.now() - started };
      progress.done();
    }
  }

  async function applyChange(p: string, op: (engine: Engine) => Promise<EngineChange>): Promise<void> {
    const engine = engineFor(p);
    if (!engine) return;
    const change = await op(engine);
    if (change.updated.length + change.removed.length + change.affected.length) {
      log(`re-indexed ${change.updated.map((f) => f.relPath).join(', ') || '-'}; removed ${change.removed.length}; re-linted ${change.relint.length}`);
    }
    if (change.updated.length || change.removed.length || change.affected.length || change.configReloaded) {
      emit({ engine, relint: change.relint, removed: change.removed, updated: change.updated.map((f) => f.path), full: change.configReloaded });
    }
  }

  function startBuild(root: string): void {
    pending.add(root);
    building.set(root, buildFolder(root).finally(() => pending.delete(root)));
  }

  // Nothing is ready before the first builds start (`initialized` comes after the first
  // requests may): a status asked for then must not read an empty index as a final answer.
  let markStarted!: () => void;
  const started = new Promise<void>((r) => (markStarted = r));
  let hasStarted = false;

  async function ready(): Promise<void> {
    await started;
    await Promise.all(building.values());
  }

  const ws: ServerWorkspace = {
    connection,
    documents,
    options: () => options,
    log,
    logError,
    guard,
    engines: () => engines.values(),
    engineFor,
    fileAt(uri) {
      const p = uriToPath(uri);
      const engine = p ? engineFor(p) : undefined;
      const file = p && engine ? engine.index.get(p) : undefined;
      return engine && file ? { engine, file } : undefined;
    },
    ready,
    isReady() {
      return hasStarted && pending.size === 0;
    },
    indexing,
    builtAt: () => builtAt,
    onDidChange(l) {
      changeListeners.push(l);
    },
    onDidRemoveFolder(l) {
      removeListeners.push(l);
    },
    async reindex() {
      const roots = [...engines.keys()];
      for (const engine of engines.values()) for (const l of removeListeners) l(engine);
      engines.clear();
      for (const root of roots.length ? roots : folders) startBuild(root);
      await ready();
    },
    codeLensProviders: [],
    hoverProviders: [],

    initialize(params) {
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
    },

    async start() {
      if (watchRegistration) {
        await connection.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: '**/*.{md,markdown,mdx,erb,tf,tfvars,yml,yaml,ini,hcl}' }, { globPattern: `**/${BASELINE_FILE}` }, { globPattern: '**/{hosts,inventory}' }, { globPattern: '**/{group_vars,host_vars}/**' }, { globPattern: '**/*', kind: 4 /* delete */ }],
        });
      }
      // Only clients that announced workspace folder support may be asked for their events.
      if (workspaceFolderEvents) {
        connection.workspace.onDidChangeWorkspaceFolders(
          guard('workspace folders', undefined, async (e) => {
            for (const f of e.removed) {
              const p = uriToPath(f.uri);
              const engine = p ? engines.get(p) : undefined;
              if (!p || !engine) continue;
              for (const l of removeListeners) l(engine);
              engines.delete(p);
            }
            for (const f of e.added) {
              const p = uriToPath(f.uri);
              if (p) {
                startBuild(p);
                await ready();
              }
            }
          }),
        );
      }
      for (const root of folders) startBuild(root);
      hasStarted = true;
      markStarted();
      await ready();
    },
  };

  connection.onDidChangeWatchedFiles(
    guard('watched files', undefined, async (params) => {
      for (const change of params.changes) {
        log(`file ${['', 'created', 'changed', 'deleted'][change.type]}: ${change.uri}`);
        const p = uriToPath(change.uri);
        if (!p || !engineFor(p)) continue;
        // The baseline changed: the folder's diagnostics are re-published (as hints or not).
        if (p === `${engineFor(p)!.root.replace(/\\/g, '/')}/${BASELINE_FILE}`) {
          const engine = engineFor(p)!;
          emit({ engine, relint: [...engine.index.files()].map((f) => f.path), removed: [], updated: [], full: false });
          continue;
        }
        // An open document is the truth while it is open; disk events for it are ignored, except
        // when its file comes back after a delete (a rename undone on disk): the buffer is its text.
        const open = documents.get(change.uri);
        if (change.type !== FileChangeType.Deleted && open) {
          if (!engineFor(p)!.index.get(p)) await applyChange(p, (e) => e.update(p, open.getText()));
          continue;
        }
        if (change.type === FileChangeType.Deleted) await applyChange(p, (e) => e.remove(p));
        else await applyChange(p, (e) => e.update(p));
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
        void guard('document change', undefined, () => applyChange(p, (engine) => engine.update(p, doc.getText())))();
      }, options.debounceMs ?? 150),
    );
  });

  documents.onDidClose(
    guard('document close', undefined, async (e) => {
      const p = uriToPath(e.document.uri);
      // Back to what is on disk (the buffer may have been closed without saving).
      if (p) await applyChange(p, (engine) => engine.update(p));
    }),
  );

  documents.onDidSave(
    guard('document save', undefined, async (e) => {
      const p = uriToPath(e.document.uri);
      // Saving the config reloads it for the whole folder.
      if (p && /\/\.opsreview\.ya?ml$/.test(p)) await applyChange(p, (engine) => engine.update(p));
    }),
  );

  return ws;
}

export { pathToUri };
