import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, State, TransportKind } from 'vscode-languageclient/node';
import { registerConventionsUi } from './conventions';
import {
  checked,
  IndexChanged,
  InfraFile,
  Notifications,
  Requests,
  RunbookSummary,
  StatsResult,
  zIndexChanged,
  zInfrastructureResult,
  zRunbooksResult,
  zIndexProgress,
  zServicesResult,
  zStatsResult,
} from '../server/protocol';
import { ChecklistApi, registerChecklists } from './checklist';
import { ServiceOverviewPanel } from './services/panel';
import { FolderServices, ServicesTreeProvider } from './services/tree';
import { InfraTreeProvider } from './infraTree';
import { newPostmortem, NewPostmortemArgs } from './newPostmortem';
import { GroupBy, RunbookTreeProvider } from './runbookTree';
import { registerRunbookFeatures, RunbookFeatures } from './runbooks';

// The extension is a thin client: it starts the OpsReview language server (where the engine
// runs), shows what the server knows in trees and the status bar, and offers commands.
// Diagnostics, quick fixes, links and symbols come from the server through standard LSP.

/** What `activate` returns: used by the integration tests and open to other extensions. */
export interface OpsReviewApi {
  client: LanguageClient;
  runbooks: RunbookTreeProvider;
  infrastructure: InfraTreeProvider;
  checklists: ChecklistApi;
  /** The Services view and the open Service Overview panels. */
  services: ServicesTreeProvider;
  serviceOverviewPanels(): ServiceOverviewPanel[];
  /** Every text the status item showed since activation (in order), and its tooltip now. */
  statusHistory(): string[];
  statusTooltip(): string;
  /** Resolves when the server has indexed every workspace folder. */
  ready(): Promise<void>;
  stats(): Promise<StatsResult>;
  /** Resolves on the next index change notification (tests wait on it). */
  nextIndexChange(): Promise<IndexChanged>;
  /** The client's recent log lines (errors of requests, readiness). */
  recentLog(): readonly string[];
  /** Runnable runbooks: the step runner and its lenses. */
  runbookFeatures: RunbookFeatures;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<OpsReviewApi> {
  const output = vscode.window.createOutputChannel('OpsReview', { log: true });
  context.subscriptions.push(output);
  const config = vscode.workspace.getConfiguration('opsreview');
  // Client-side messages go to the output channel; the last ones are also kept for the API.
  const recent: string[] = [];
  const clientLog = (msg: string): void => {
    output.appendLine(`[client] ${msg}`);
    recent.push(msg);
    if (recent.length > 100) recent.shift();
  };

  const serverModule = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', language: 'ansible' },
      { scheme: 'file', language: 'terraform' },
      { scheme: 'file', pattern: '**/*.{tf,tfvars,yml,yaml,md,markdown,mdx,erb}' },
      // Ansible reads extension-less vars files (`group_vars/all`), which editors open as plain text.
      { scheme: 'file', pattern: '**/{group_vars,host_vars}/**' },
    ],
    outputChannel: output,
    initializationOptions: {
      configPath: config.get<string>('configPath') || undefined,
      docsBaseUri: config.get<string>('docsBaseUrl') || undefined,
      baselineHide: config.get<boolean>('baseline.hide') ?? false,
    },
    // A server crash restarts it (the client's default policy, 5 times in 3 minutes); the
    // editor itself is never affected.
  };
  client = new LanguageClient('opsreview', 'OpsReview', serverOptions, clientOptions);

  const request = async <T>(method: string, params: unknown, schema: { parse(v: unknown): T }, what: string): Promise<T> => {
    if (!client || client.state !== State.Running) return schema.parse(undefined as never);
    return checked(schema as never, await client.sendRequest(method, params), what) as T;
  };
  const runbookFeatures = registerRunbookFeatures(context, output);
  const loadRunbooks = async (): Promise<RunbookSummary[]> => {
    try {
      const list = (await request(Requests.runbooks, {}, zRunbooksResult, 'runbooks result')).runbooks;
      runbookFeatures.lenses.setRunbooks(list.filter((r) => r.kind === 'runbook').map((r) => r.uri));
      return list;
    } catch (e) {
      clientLog(`runbooks: ${(e as Error).message}`);
      return [];
    }
  };
  const loadInfra = async (): Promise<InfraFile[]> => {
    try {
      return (await request(Requests.infrastructure, {}, zInfrastructureResult, 'infrastructure result')).files;
    } catch (e) {
      clientLog(`infrastructure: ${(e as Error).message}`);
      return [];
    }
  };

  const checklists = registerChecklists(context, client, clientLog);

  const loadServices = async (): Promise<FolderServices[]> => {
    try {
      return (await request(Requests.services, {}, zServicesResult, 'services result')).folders;
    } catch (e) {
      clientLog(`services: ${(e as Error).message}`);
      return [];
    }
  };
  const services = new ServicesTreeProvider(loadServices);
  context.subscriptions.push(vscode.window.createTreeView('opsreview.services', { treeDataProvider: services, showCollapseAll: true }));
  const loadService = async (folder: string, name: string) => {
    const r = await request(Requests.services, { folder }, zServicesResult, 'services result');
    return r.folders.find((f) => f.folder === folder)?.services.find((s) => s.service === name);
  };

  const runbooks = new RunbookTreeProvider(loadRunbooks, (context.workspaceState.get<GroupBy>('opsreview.groupBy') ?? config.get<GroupBy>('runbooks.groupBy') ?? 'service') as GroupBy);
  const infrastructure = new InfraTreeProvider(loadInfra);
  const runbookView = vscode.window.createTreeView('opsreview.runbooks', { treeDataProvider: runbooks, showCollapseAll: true });
  const infraView = vscode.window.createTreeView('opsreview.infrastructure', { treeDataProvider: infrastructure, showCollapseAll: true });
  context.subscriptions.push(runbookView, infraView);
  const describeView = (): void => {
    runbookView.description = `by ${runbooks.grouping}${runbooks.filter ? ` · filter "${runbooks.filter}"` : ''}`;
    runbookView.message = runbooks.filter ? `Filtered by "${runbooks.filter}". Clear with the filter button.` : undefined;
  };
  describeView();
  void vscode.commands.executeCommand('setContext', 'opsreview.groupBy', runbooks.grouping);

  const status = vscode.window.createStatusBarItem('opsreview.status', vscode.StatusBarAlignment.Left, 50);
  status.name = 'OpsReview';
  status.command = 'workbench.actions.view.problems';
  status.show();
  context.subscriptions.push(status);

  // The status item tells the truth while indexing ("Indexing N / M files", never counts that
  // are not final) and after it says what VS Code's own problem counter beside it does not:
  // what OpsReview indexed and how many files need attention.
  const statusHistory: string[] = [];
  const setStatus = (text: string, tooltip: string): void => {
    status.text = text;
    status.tooltip = tooltip;
    if (statusHistory[statusHistory.length - 1] !== text) statusHistory.push(text);
    if (statusHistory.length > 200) statusHistory.shift();
  };
  const showIndexing = (p?: { done: number; total: number }): void => {
    const text = p && p.total ? `$(sync~spin) OpsReview: indexing ${p.done} / ${p.total} files` : '$(sync~spin) OpsReview: indexing';
    setStatus(text, 'OpsReview is indexing the workspace; counts appear when it is done.');
  };
  showIndexing();
  client.onNotification(Notifications.indexProgress, (raw: unknown) => {
    const p = zIndexProgress.safeParse(raw);
    if (p.success && !indexed) showIndexing(p.data);
  });
  let indexed = false;
  const updateStatus = async (): Promise<StatsResult | undefined> => {
    try {
      const s = await request(Requests.stats, {}, zStatsResult, 'stats result');
      if (!s.ready) {
        showIndexing(s.indexing);
        return s;
      }
      indexed = true;
      const rb = (s.files['runbook'] ?? 0) + (s.files['postmortem'] ?? 0);
      const infra = Object.entries(s.files).filter(([k]) => k !== 'runbook' && k !== 'postmortem' && k !== 'opsreview-config' && k !== 'checklist').reduce((n, [, v]) => n + v, 0);
      const attention = s.filesWithFindings ?? 0;
      const text = `$(book) ${rb} runbooks $(server-environment) ${infra} files${attention ? ` $(checklist) ${attention} need attention` : ' $(pass) clean'}`;
      const built = s.builtAt ? new Date(s.builtAt).toLocaleTimeString() : undefined;
      setStatus(text, [
        `OpsReview: ${rb} runbooks and postmortems, ${infra} infrastructure and config files indexed${built ? ` at ${built}${s.buildMs !== undefined ? ` in ${(s.buildMs / 1000).toFixed(1)} s` : ''}` : ''}.`,
        attention ? `${attention} files have findings (${s.findings.error} errors, ${s.findings.warning} warnings, ${s.findings.info} info).` : 'No findings.',
        s.skipped.length ? `${s.skipped.length} folders and files skipped (see the OpsReview output).` : 'Nothing skipped.',
        'Click for the Problems panel.',
      ].join('\n'));
      return s;
    } catch (e) {
      clientLog(`stats: ${(e as Error).message}`);
      return undefined;
    }
  };

  let refreshTimer: NodeJS.Timeout | undefined;
  const waiters: ((e: IndexChanged) => void)[] = [];
  let lastVersion = 0;
  const refreshAll = async (): Promise<void> => {
    await Promise.all([runbooks.refresh(), infrastructure.refresh(), services.refresh(), updateStatus()]);
    ServiceOverviewPanel.refreshAll();
  };

  let readyResolve!: () => void;
  const readyPromise = new Promise<void>((r) => (readyResolve = r));

  registerConventionsUi(context, client, clientLog);
  client.onNotification(Notifications.indexChanged, (raw: unknown) => {
    let e: IndexChanged;
    try {
      e = checked(zIndexChanged, raw, 'indexChanged notification');
    } catch (err) {
      clientLog(`${(err as Error).message}`);
      return;
    }
    clientLog(`index changed (v${e.version}): ${e.changed.length} changed, ${e.removed.length} removed${e.full ? ', full' : ''}`);
    if (e.version <= lastVersion) return;
    lastVersion = e.version;
    // Coalesce bursts (a branch switch changes hundreds of files).
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      void refreshAll().then(() => {
        for (const w of waiters.splice(0)) w(e);
      });
    }, 100);
  });

  context.subscriptions.push(
    vscode.commands.registerCommand('opsreview.refresh', async () => {
      indexed = false;
      showIndexing();
      await client?.sendRequest(Requests.reindex, {});
      await refreshAll();
    }),
    vscode.commands.registerCommand('opsreview.openRunbook', async (uri: string | vscode.Uri, line = 0) => {
      const target = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri;
      const doc = await vscode.workspace.openTextDocument(target);
      const pos = new vscode.Position(Math.min(line, Math.max(0, doc.lineCount - 1)), 0);
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), preview: true });
    }),
    vscode.commands.registerCommand('opsreview.runbooks.groupBy', async (choice?: GroupBy) => {
      const pick =
        choice ??
        ((await vscode.window.showQuickPick(
          [
            { label: 'service', description: 'Group runbooks by the service they cover' },
            { label: 'owner', description: 'Group runbooks by owner or team' },
            { label: 'tag', description: 'Group runbooks by tag (a runbook appears under each of its tags)' },
          ],
          { placeHolder: `Group runbooks by… (now: ${runbooks.grouping})` },
        ))?.label as GroupBy | undefined);
      if (!pick) return;
      runbooks.setGroupBy(pick);
      await context.workspaceState.update('opsreview.groupBy', pick);
      await vscode.commands.executeCommand('setContext', 'opsreview.groupBy', pick);
      describeView();
    }),
    vscode.commands.registerCommand('opsreview.runbooks.groupByService', () => vscode.commands.executeCommand('opsreview.runbooks.groupBy', 'service')),
    vscode.commands.registerCommand('opsreview.runbooks.groupByOwner', () => vscode.commands.executeCommand('opsreview.runbooks.groupBy', 'owner')),
    vscode.commands.registerCommand('opsreview.runbooks.groupByTag', () => vscode.commands.executeCommand('opsreview.runbooks.groupBy', 'tag')),
    vscode.commands.registerCommand('opsreview.filter', async (text?: string) => {
      const value =
        text ??
        (await vscode.window.showInputBox({
          prompt: 'Filter runbooks and infrastructure by title, path, service, owner or tag (empty clears)',
          value: runbooks.filter,
        }));
      if (value === undefined) return;
      runbooks.setFilter(value);
      infrastructure.setFilter(value);
      await vscode.commands.executeCommand('setContext', 'opsreview.filtered', !!value.trim());
      describeView();
    }),
    vscode.commands.registerCommand('opsreview.clearFilter', () => vscode.commands.executeCommand('opsreview.filter', '')),
    vscode.commands.registerCommand('opsreview.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('opsreview.services.refresh', () => services.refresh()),
    vscode.commands.registerCommand('opsreview.openServiceOverview', async (nameArg?: string | { service?: { service: string }; folder?: string }, folderArg?: string) => {
      // From the tree's inline action (a node), the tree item's command (name, folder), or the palette (pick one).
      let name = typeof nameArg === 'string' ? nameArg : nameArg?.service?.service;
      let folder = typeof nameArg === 'string' ? folderArg : nameArg?.folder;
      if (!services.folders.length) await services.refresh();
      if (!name) {
        const pick = await vscode.window.showQuickPick(
          services.folders.flatMap((f) => f.services.map((s) => ({ label: s.service, description: s.owner ?? 'no owner', folder: f.folder }))),
          { placeHolder: 'Open the overview of which service?' },
        );
        if (!pick) return undefined;
        name = pick.label;
        folder = pick.folder;
      }
      const found = services.find(name, folder);
      if (!found) {
        void vscode.window.showWarningMessage(`OpsReview: no service named '${name}' in this workspace.`);
        return undefined;
      }
      return ServiceOverviewPanel.show(context.extensionUri, found.folder, name, loadService, clientLog);
    }),
    vscode.commands.registerCommand('opsreview.newPostmortem', (args?: NewPostmortemArgs) => newPostmortem(client, args)),
  );

  const started = Date.now();
  try {
    await client.start();
  } catch (e) {
    clientLog(`the OpsReview language server did not start: ${(e as Error).message}`);
    status.text = '$(error) OpsReview';
    status.tooltip = 'The OpsReview language server did not start; see the OpsReview output.';
    void vscode.window.showErrorMessage('OpsReview: the language server did not start. See the OpsReview output for details.', 'Show output').then((a) => a && output.show());
  }
  // The first stats request waits for the first index build on the server side.
  void (async () => {
    for (let i = 0; i < 600; i++) {
      const s = await updateStatus();
      if (s?.ready) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await Promise.all([refreshAll(), checklists.tree.refresh()]);
    clientLog(`OpsReview ready in ${Date.now() - started} ms`);
    readyResolve();
  })();

  return {
    client,
    runbooks,
    infrastructure,
    checklists,
    services,
    serviceOverviewPanels: () => ServiceOverviewPanel.all(),
    statusHistory: () => [...statusHistory],
    statusTooltip: () => String(status.tooltip ?? ''),
    ready: () => readyPromise,
    stats: async () => checked(zStatsResult, await client!.sendRequest(Requests.stats, {}), 'stats result'),
    nextIndexChange: () => new Promise<IndexChanged>((r) => waiters.push(r)),
    recentLog: () => recent,
    runbookFeatures,
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
