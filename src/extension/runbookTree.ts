import * as vscode from 'vscode';
import { distinguishingFolders } from './treeLabels';
import type { RunbookSummary } from '../server/protocol';

// The Runbooks tree: runbooks grouped by service, owner or tag (switchable), each showing its
// title, owner and tags, with its sections as children. A click opens the file at the heading.

export type GroupBy = 'service' | 'owner' | 'tag';

export type RunbookNode =
  | { type: 'group'; label: string; runbooks: RunbookSummary[] }
  | { type: 'runbook'; runbook: RunbookSummary; group: string }
  | { type: 'section'; runbook: RunbookSummary; section: RunbookSummary['sections'][number] }
  | { type: 'empty'; message: string };

const NONE = { service: '(no service)', owner: '(no owner)', tag: '(untagged)' };

export class RunbookTreeProvider implements vscode.TreeDataProvider<RunbookNode> {
  private readonly emitter = new vscode.EventEmitter<RunbookNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private runbooks: RunbookSummary[] = [];
  /** Folder text of runbooks whose title another runbook shares, by uri. */
  private namesakes = new Map<string, string>();
  private filterText = '';

  constructor(
    private readonly load: () => Promise<RunbookSummary[]>,
    private groupBy: GroupBy,
  ) {}

  get grouping(): GroupBy {
    return this.groupBy;
  }

  get filter(): string {
    return this.filterText;
  }

  setGroupBy(g: GroupBy): void {
    this.groupBy = g;
    this.emitter.fire(undefined);
  }

  setFilter(text: string): void {
    this.filterText = text.trim().toLowerCase();
    this.emitter.fire(undefined);
  }

  /** Re-reads the runbooks from the language server and redraws. */
  async refresh(): Promise<void> {
    this.runbooks = await this.load();
    this.namesakes = distinguishingFolders(this.runbooks);
    this.emitter.fire(undefined);
  }

  visibleRunbooks(): RunbookSummary[] {
    const f = this.filterText;
    if (!f) return this.runbooks;
    return this.runbooks.filter((r) =>
      [r.title, r.relPath, r.service, r.owner, r.team, ...r.tags].some((v) => v && v.toLowerCase().includes(f)),
    );
  }

  getChildren(node?: RunbookNode): RunbookNode[] {
    if (!node) {
      const list = this.visibleRunbooks();
      if (!list.length) return [{ type: 'empty', message: this.filterText ? `No runbook matches "${this.filterText}"` : 'No runbooks found in this workspace' }];
      return this.groups(list);
    }
    if (node.type === 'group') return node.runbooks.map((runbook) => ({ type: 'runbook', runbook, group: node.label }));
    if (node.type === 'runbook') return node.runbook.sections.filter((s) => s.level <= 3).map((section) => ({ type: 'section', runbook: node.runbook, section }));
    return [];
  }

  groups(list: RunbookSummary[]): RunbookNode[] {
    const map = new Map<string, RunbookSummary[]>();
    const add = (key: string, r: RunbookSummary): void => {
      const arr = map.get(key) ?? [];
      arr.push(r);
      map.set(key, arr);
    };
    for (const r of list) {
      if (this.groupBy === 'tag') {
        if (!r.tags.length) add(NONE.tag, r);
        for (const t of r.tags) add(t, r);
      } else if (this.groupBy === 'owner') {
        add(r.owner ?? r.team ?? NONE.owner, r);
      } else {
        add(r.service ?? NONE.service, r);
      }
    }
    const none = Object.values(NONE);
    return [...map.entries()]
      .sort(([a], [b]) => (none.includes(a) ? 1 : 0) - (none.includes(b) ? 1 : 0) || a.localeCompare(b))
      .map(([label, runbooks]) => ({ type: 'group', label, runbooks: runbooks.sort((x, y) => x.title.localeCompare(y.title)) }));
  }

  getTreeItem(node: RunbookNode): vscode.TreeItem {
    switch (node.type) {
      case 'group': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
        item.description = `${node.runbooks.length}`;
        item.iconPath = new vscode.ThemeIcon(this.groupBy === 'tag' ? 'tag' : this.groupBy === 'owner' ? 'person' : 'server-process');
        item.contextValue = 'opsreview.group';
        item.id = `group:${this.groupBy}:${node.label}`;
        return item;
      }
      case 'runbook': {
        const r = node.runbook;
        const item = new vscode.TreeItem(r.title, r.sections.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        const owner = r.owner ?? r.team;
        const folder = this.namesakes.get(r.uri);
        item.description = [folder ? `in ${folder}` : undefined, owner ? `@${owner}` : undefined, r.tags.length ? r.tags.map((t) => `#${t}`).join(' ') : undefined].filter(Boolean).join(' · ');
        item.tooltip = runbookTooltip(r);
        item.resourceUri = vscode.Uri.parse(r.uri);
        const problems = r.findings.error + r.findings.warning;
        item.iconPath = new vscode.ThemeIcon(
          r.kind === 'postmortem' ? 'history' : problems ? 'warning' : 'book',
          problems ? new vscode.ThemeColor(r.findings.error ? 'problemsErrorIcon.foreground' : 'problemsWarningIcon.foreground') : undefined,
        );
        item.command = { command: 'opsreview.openRunbook', title: 'Open runbook', arguments: [r.uri, 0] };
        item.contextValue = 'opsreview.runbook';
        item.id = `runbook:${node.group}:${r.uri}`;
        return item;
      }
      case 'section': {
        const s = node.section;
        const item = new vscode.TreeItem(s.title, vscode.TreeItemCollapsibleState.None);
        item.description = `line ${s.line + 1}`;
        item.iconPath = new vscode.ThemeIcon(/roll ?back|revert|back ?out/i.test(s.title) ? 'discard' : 'symbol-string');
        item.command = { command: 'opsreview.openRunbook', title: 'Open section', arguments: [node.runbook.uri, s.line] };
        item.contextValue = 'opsreview.section';
        return item;
      }
      case 'empty': {
        const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
    }
  }
}

function runbookTooltip(r: RunbookSummary): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escape(r.title)}**  \n`);
  md.appendMarkdown(`\`${escape(r.relPath)}\`\n\n`);
  const rows: [string, string | undefined][] = [
    ['Service', r.service],
    ['Owner', r.owner],
    ['Team', r.team],
    ['Tags', r.tags.join(', ') || undefined],
    ['Severity', r.severity],
    ['Type', r.type ?? r.kind],
    ['Last reviewed', r.lastReviewed],
  ];
  for (const [k, v] of rows) if (v) md.appendMarkdown(`${k}: ${escape(v)}  \n`);
  if (r.reason) md.appendMarkdown(`Recognised: ${escape(r.reason)}  \n`);
  const { error, warning, info } = r.findings;
  if (error + warning + info) md.appendMarkdown(`\n$(warning) ${error} errors, ${warning} warnings, ${info} info`);
  return md;
}

function escape(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
