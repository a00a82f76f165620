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
  zStatsResult,
} from '../server/protocol';
import { ChecklistApi, registerChecklists } from './checklist';
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
  status.text = '$(sync~spin) OpsReview';
  status.tooltip = 'OpsReview is indexing the workspace…';
  status.show();
  context.subscriptions.push(status);

  const updateStatus = async (): Promise<StatsResult | undefined> => {
    try {
      const s = await request(Requests.stats, {}, zStatsResult, 'stats result');
      const rb = (s.files['runbook'] ?? 0) + (s.files['postmortem'] ?? 0);
      const infra = Object.entries(s.files).filter(([k]) => k !== 'runbook' && k !== 'postmortem' && k !== 'opsreview-config' && k !== 'checklist').reduce((n, [, v]) => n + v, 0);
      status.text = `$(book) ${rb} $(server-environment) ${infra} $(error) ${s.findings.error} $(warning) ${s.findings.warning}`;
      status.tooltip = `OpsReview: ${rb} runbooks and postmortems, ${infra} infrastructure and config files indexed; ${s.findings.error} errors, ${s.findings.warning} warnings, ${s.findings.info} info.${s.skipped.length ? ` ${s.skipped.length} folders and files skipped (see output).` : ''} Click for the Problems panel.`;
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
    await Promise.all([runbooks.refresh(), infrastructure.refresh(), updateStatus()]);
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
      status.text = '$(sync~spin) OpsReview';
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
