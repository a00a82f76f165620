import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { checked, ChecklistSummary, Notifications, zChecklistsChanged } from '../../server/protocol';
import { ChecklistPanel } from './panel';
import { ChecklistService } from './service';
import { ChecklistTreeProvider } from './tree';

// Checklists in VS Code: the "Open Checklist…" command, the Checklists tree, the panels, the
// markdown export, and the refreshes that keep them current (evidence after index changes, run
// states after a run file changes on disk, e.g. on a branch switch or a hand edit).

export interface ChecklistApi {
  tree: ChecklistTreeProvider;
  /** Opens (or reveals) the panel of a checklist run. */
  open(checklist: string, run: string, folder?: string): Promise<ChecklistPanel>;
  panels(): ChecklistPanel[];
  /** Shows a run in the Checklists tree (expands its checklist). */
  reveal(checklist: string, run: string): Promise<void>;
}

const RUN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function registerChecklists(context: vscode.ExtensionContext, client: LanguageClient, log: (m: string) => void): ChecklistApi {
  const service = new ChecklistService(client);
  const load = async (): Promise<ChecklistSummary[]> => {
    try {
      return await service.list();
    } catch (e) {
      log(`checklists: ${(e as Error).message}`);
      return [];
    }
  };
  const tree = new ChecklistTreeProvider(load);
  ChecklistPanel.onRunFileChanged = () => void tree.refresh();
  const view = vscode.window.createTreeView('opsreview.checklists', { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(view);

  const defaultFolder = (): string | undefined => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath.replace(/\\/g, '/');
  const open = async (checklist: string, run: string, folder?: string, create = false): Promise<ChecklistPanel> => {
    const f = folder ?? tree.checklists.find((c) => c.id === checklist)?.folder ?? defaultFolder();
    if (!f) throw new Error('Open a folder first: checklist runs are stored in the workspace.');
    // A new run has its file from the start (its link works, it can be committed before a tick).
    if (create) await service.evaluate(f, checklist, run, true);
    const panel = ChecklistPanel.show(context.extensionUri, service, { folder: f, checklist, run }, log);
    await panel.refresh();
    if (view.visible) void reveal(checklist, run).catch((e: Error) => log(`reveal ${checklist}/${run}: ${e.message}`));
    return panel;
  };

  const refreshAll = async (): Promise<void> => {
    await Promise.all([tree.refresh(), ...ChecklistPanel.all().map((p) => p.refresh())]);
  };
  let timer: NodeJS.Timeout | undefined;
  const refreshSoon = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => void refreshAll(), 100);
  };

  client.onNotification(Notifications.checklistsChanged, (raw: unknown) => {
    try {
      checked(zChecklistsChanged, raw, 'checklistsChanged notification');
    } catch (e) {
      log((e as Error).message);
      return;
    }
    refreshSoon();
  });
  // Run files are not indexed: watch them here, one watcher per workspace folder, and take saves
  // from the editor directly. (VS Code's watcher misses files in folders created together with
  // their parents, as the first run of a fresh repository does; open panels also watch their run
  // file's folder with Node, see panel.ts.)
  const onRunFile = (uri: vscode.Uri): void => {
    if (!/\/\.opsreview\/runs\/[^/]+\/[^/]+\.yml$/.test(uri.path)) return;
    log(`run file changed: ${vscode.workspace.asRelativePath(uri)}`);
    refreshSoon();
  };
  const watchers = new Map<string, vscode.Disposable>();
  const watchFolders = (): void => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    for (const [key, d] of watchers) {
      if (!folders.some((f) => f.uri.toString() === key)) {
        d.dispose();
        watchers.delete(key);
      }
    }
    for (const f of folders) {
      if (watchers.has(f.uri.toString())) continue;
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(f, '.opsreview/runs/**/*.yml'));
      watchers.set(f.uri.toString(), vscode.Disposable.from(w, w.onDidCreate(onRunFile), w.onDidChange(onRunFile), w.onDidDelete(onRunFile)));
    }
  };
  watchFolders();
  context.subscriptions.push(
    vscode.workspace.onDidChangeWorkspaceFolders(watchFolders),
    vscode.workspace.onDidSaveTextDocument((d) => onRunFile(d.uri)),
    { dispose: () => watchers.forEach((d) => d.dispose()) },
  );

  context.subscriptions.push(
    vscode.commands.registerCommand('opsreview.openChecklist', async (checklistArg?: string, runArg?: string, folderArg?: string, newRun?: boolean) => {
      if (!tree.checklists.length) await tree.refresh();
      let checklist = tree.checklists.find((c) => c.id === checklistArg && (!folderArg || c.folder === folderArg));
      if (!checklist) {
        const multiRoot = new Set(tree.checklists.map((c) => c.folder)).size > 1;
        const pick = await vscode.window.showQuickPick(
          tree.checklists.map((c) => ({ label: c.title, description: [c.id, c.source === 'builtin' ? undefined : c.source, multiRoot ? vscode.workspace.asRelativePath(c.folder) : undefined].filter(Boolean).join(' · '), detail: c.description, checklist: c })),
          { placeHolder: 'Open which checklist?', matchOnDescription: true, matchOnDetail: true },
        );
        if (!pick) return undefined;
        checklist = pick.checklist;
      }
      let run = runArg;
      let create = !!newRun;
      if (!run) {
        const NEW = '$(add) New run…';
        const pick = newRun
          ? { label: NEW }
          : await vscode.window.showQuickPick(
              [{ label: NEW, description: 'a new run file under .opsreview/runs/' }, ...checklist.runs.map((r) => ({ label: r.name, description: r.error ? 'run file invalid' : r.verdict === 'ready' ? 'ready' : `blocked by ${r.blocking}` }))],
              { placeHolder: `${checklist.title}: which run?` },
            );
        if (!pick) return undefined;
        run = pick.label;
        if (pick.label === NEW) {
          run = await vscode.window.showInputBox({
            prompt: `Name of the new ${checklist.title} run (the release or change it is for)`,
            value: `${new Date().toISOString().slice(0, 10)}`,
            validateInput: (v) => (RUN_NAME.test(v) && !v.endsWith('.yml') ? (checklist!.runs.some((r) => r.name === v) ? 'A run with this name exists; pick it from the list instead.' : undefined) : 'Use letters, digits, dots, dashes and underscores (e.g. v2.14.0 or 2026-11-25-checkout).'),
          });
          if (!run) return undefined;
          create = true;
        }
      }
      return open(checklist.id, run, checklist.folder, create);
    }),
    vscode.commands.registerCommand('opsreview.checklist.exportMarkdown', async (panelArg?: ChecklistPanel) => {
      const panel = panelArg instanceof ChecklistPanel ? panelArg : ChecklistPanel.all().find((p) => p.panel.active) ?? ChecklistPanel.all()[0];
      if (!panel) {
        void vscode.window.showInformationMessage('OpsReview: open a checklist first (OpsReview: Open Checklist…).');
        return undefined;
      }
      await panel.refresh();
      const markdown = panel.evaluation?.markdown;
      if (!markdown) return undefined;
      await vscode.env.clipboard.writeText(markdown);
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
      void vscode.window.setStatusBarMessage('OpsReview: checklist summary copied to the clipboard', 4000);
      return doc;
    }),
    vscode.commands.registerCommand('opsreview.checklists.refresh', () => refreshAll()),
  );

  const reveal = async (checklist: string, run: string): Promise<void> => {
    await tree.refresh();
    const node = tree.runNode(checklist, run);
    if (node) await view.reveal(node, { expand: true, select: true, focus: false });
  };

  return { tree, open, panels: () => ChecklistPanel.all(), reveal };
}
