import * as vscode from 'vscode';
import type { ChecklistSummary } from '../../server/protocol';

// The Checklists tree of the OpsReview view: each checklist, and under it its runs with their
// verdicts. A click on a run opens it in the checklist panel.

export type ChecklistNode =
  | { type: 'checklist'; checklist: ChecklistSummary; multiRoot: boolean }
  | { type: 'run'; checklist: ChecklistSummary; run: ChecklistSummary['runs'][number] }
  | { type: 'new-run'; checklist: ChecklistSummary }
  | { type: 'empty'; message: string };

export class ChecklistTreeProvider implements vscode.TreeDataProvider<ChecklistNode> {
  private readonly emitter = new vscode.EventEmitter<ChecklistNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private items: ChecklistSummary[] = [];

  constructor(private readonly load: () => Promise<ChecklistSummary[]>) {}

  async refresh(): Promise<void> {
    this.items = await this.load();
    this.emitter.fire(undefined);
  }

  get checklists(): readonly ChecklistSummary[] {
    return this.items;
  }

  getChildren(node?: ChecklistNode): ChecklistNode[] {
    if (!node) {
      const multiRoot = new Set(this.items.map((c) => c.folder)).size > 1;
      return this.items.length ? this.items.map((checklist) => ({ type: 'checklist', checklist, multiRoot })) : [{ type: 'empty', message: 'No checklists (switched off in .opsreview.yml?)' }];
    }
    if (node.type === 'checklist') return [...node.checklist.runs.map((run) => ({ type: 'run' as const, checklist: node.checklist, run })), { type: 'new-run', checklist: node.checklist }];
    return [];
  }

  /** Parents for TreeView.reveal (VS Code matches nodes by their item ids). */
  getParent(node: ChecklistNode): ChecklistNode | undefined {
    if (node.type === 'run' || node.type === 'new-run') return { type: 'checklist', checklist: node.checklist, multiRoot: new Set(this.items.map((c) => c.folder)).size > 1 };
    return undefined;
  }

  /** The node of a run, for reveal. */
  runNode(checklist: string, run: string): ChecklistNode | undefined {
    const c = this.items.find((x) => x.id === checklist);
    const r = c?.runs.find((x) => x.name === run);
    return c && r ? { type: 'run', checklist: c, run: r } : undefined;
  }

  getTreeItem(node: ChecklistNode): vscode.TreeItem {
    switch (node.type) {
      case 'checklist': {
        const c = node.checklist;
        const item = new vscode.TreeItem(c.title, c.runs.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `checklist:${c.folder}:${c.id}`;
        item.description = [c.runs.length ? `${c.runs.length} run${c.runs.length > 1 ? 's' : ''}` : 'no runs yet', c.source === 'builtin' ? undefined : c.source, node.multiRoot ? vscode.workspace.asRelativePath(c.folder) : undefined].filter(Boolean).join(' · ');
        item.tooltip = new vscode.MarkdownString(`**${c.title}** (\`${c.id}\`)\n\n${c.description}`);
        item.iconPath = new vscode.ThemeIcon('checklist');
        item.contextValue = 'opsreview.checklist';
        return item;
      }
      case 'new-run': {
        const item = new vscode.TreeItem('New run…', vscode.TreeItemCollapsibleState.None);
        item.id = `new-run:${node.checklist.folder}:${node.checklist.id}`;
        item.iconPath = new vscode.ThemeIcon('add');
        item.tooltip = `Start a new run of ${node.checklist.title} (a file under .opsreview/runs/${node.checklist.id}/)`;
        item.command = { command: 'opsreview.openChecklist', title: 'New Run…', arguments: [node.checklist.id, undefined, node.checklist.folder, true] };
        return item;
      }
      case 'run': {
        const r = node.run;
        const item = new vscode.TreeItem(r.name, vscode.TreeItemCollapsibleState.None);
        item.id = `run:${node.checklist.folder}:${node.checklist.id}:${r.name}`;
        if (r.error) {
          item.description = 'run file invalid';
          item.tooltip = `Line ${r.error.line + 1}: ${r.error.message}`;
          item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        } else if (r.verdict === 'ready') {
          item.description = `ready · ${r.settled}/${r.total}`;
          item.tooltip = `Ready: every item of ${node.checklist.title} is settled.`;
          item.iconPath = new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
        } else {
          item.description = `blocked by ${r.blocking} · ${r.settled}/${r.total}`;
          item.tooltip = `Blocked: ${r.blocking} item${r.blocking === 1 ? '' : 's'} of ${node.checklist.title} fail or are open.`;
          item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
        }
        item.accessibilityInformation = { label: `${r.name}: ${item.description}` };
        item.contextValue = 'opsreview.checklistRun';
        item.command = { command: 'opsreview.openChecklist', title: 'Open Checklist Run', arguments: [node.checklist.id, r.name, node.checklist.folder] };
        return item;
      }
      case 'empty':
        return new vscode.TreeItem(node.message);
    }
  }
}
