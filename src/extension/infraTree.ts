import * as vscode from 'vscode';
import type { InfraFile, SymbolSummary } from '../server/protocol';

// The Infrastructure tree: Terraform, Ansible, alert rules, Alertmanager routing, SLOs, workflows and manifests, each
// category by folder, each file with its resources/plays/alerts/jobs as children.

export const CATEGORIES: { label: string; icon: string; kinds: InfraFile['kind'][] }[] = [
  { label: 'Terraform', icon: 'cloud', kinds: ['terraform', 'terraform-vars'] },
  { label: 'Ansible', icon: 'gear', kinds: ['ansible-playbook', 'ansible-tasks', 'ansible-vars', 'ansible-inventory'] },
  { label: 'Alert rules', icon: 'bell', kinds: ['alert-rules'] },
  { label: 'Alertmanager routing', icon: 'broadcast', kinds: ['alertmanager-config'] },
  { label: 'SLOs', icon: 'dashboard', kinds: ['slo-spec'] },
  { label: 'Deploy workflows', icon: 'rocket', kinds: ['github-workflow', 'gitlab-ci', 'cloud-build'] },
  { label: 'Kubernetes manifests', icon: 'package', kinds: ['k8s-manifest'] },
  { label: 'Docker Compose', icon: 'package', kinds: ['compose'] },
  { label: 'Configuration', icon: 'settings-gear', kinds: ['opsreview-config', 'checklist'] },
];

export type InfraNode =
  | { type: 'category'; label: string; icon: string; files: InfraFile[] }
  | { type: 'folder'; label: string; files: InfraFile[] }
  | { type: 'file'; file: InfraFile }
  | { type: 'symbol'; file: InfraFile; symbol: SymbolSummary }
  | { type: 'empty'; message: string };

export class InfraTreeProvider implements vscode.TreeDataProvider<InfraNode> {
  private readonly emitter = new vscode.EventEmitter<InfraNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private files: InfraFile[] = [];
  private filterText = '';

  constructor(private readonly load: () => Promise<InfraFile[]>) {}

  async refresh(): Promise<void> {
    this.files = await this.load();
    this.emitter.fire(undefined);
  }

  setFilter(text: string): void {
    this.filterText = text.trim().toLowerCase();
    this.emitter.fire(undefined);
  }

  visibleFiles(): InfraFile[] {
    const f = this.filterText;
    if (!f) return this.files;
    return this.files.filter((x) => x.relPath.toLowerCase().includes(f) || flatten(x.symbols).some((s) => s.name.toLowerCase().includes(f)));
  }

  getChildren(node?: InfraNode): InfraNode[] {
    if (!node) {
      const files = this.visibleFiles();
      const cats = CATEGORIES.map((c) => ({ type: 'category' as const, label: c.label, icon: c.icon, files: files.filter((f) => c.kinds.includes(f.kind)) })).filter((c) => c.files.length);
      return cats.length ? cats : [{ type: 'empty', message: this.filterText ? `Nothing matches "${this.filterText}"` : 'No infrastructure files found' }];
    }
    if (node.type === 'category') {
      const byFolder = new Map<string, InfraFile[]>();
      for (const f of node.files) {
        const i = f.relPath.lastIndexOf('/');
        const folder = i >= 0 ? f.relPath.slice(0, i) : '.';
        byFolder.set(folder, [...(byFolder.get(folder) ?? []), f]);
      }
      if (byFolder.size === 1) return node.files.map((file) => ({ type: 'file', file }));
      return [...byFolder.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([label, files]) => ({ type: 'folder', label, files }));
    }
    if (node.type === 'folder') return node.files.map((file) => ({ type: 'file', file }));
    if (node.type === 'file') return node.file.symbols.map((symbol) => ({ type: 'symbol', file: node.file, symbol }));
    if (node.type === 'symbol') return (node.symbol.children ?? []).map((symbol) => ({ type: 'symbol', file: node.file, symbol }));
    return [];
  }

  getTreeItem(node: InfraNode): vscode.TreeItem {
    switch (node.type) {
      case 'category': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.description = `${node.files.length}`;
        item.id = `cat:${node.label}`;
        return item;
      }
      case 'folder': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = vscode.ThemeIcon.Folder;
        item.id = `folder:${node.files[0]?.kind}:${node.label}`;
        return item;
      }
      case 'file': {
        const f = node.file;
        const name = f.relPath.slice(f.relPath.lastIndexOf('/') + 1);
        const item = new vscode.TreeItem(name, f.symbols.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.resourceUri = vscode.Uri.parse(f.uri);
        const problems = f.findings.error + f.findings.warning;
        item.description = [f.kind, f.parseErrors ? `${f.parseErrors} parse error${f.parseErrors > 1 ? 's' : ''}` : undefined, problems ? `${problems} problem${problems > 1 ? 's' : ''}` : undefined].filter(Boolean).join(' · ');
        item.tooltip = `${f.relPath}\n${f.kind}${f.reason ? ` (${f.reason})` : ''}`;
        item.iconPath = f.parseErrors ? new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')) : vscode.ThemeIcon.File;
        item.command = { command: 'opsreview.openRunbook', title: 'Open', arguments: [f.uri, 0] };
        item.id = `file:${f.uri}`;
        return item;
      }
      case 'symbol': {
        const s = node.symbol;
        const item = new vscode.TreeItem(s.name, s.children?.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.description = s.detail;
        item.iconPath = new vscode.ThemeIcon(SYMBOL_ICONS[s.kind] ?? 'symbol-field');
        item.command = { command: 'opsreview.openRunbook', title: 'Open', arguments: [node.file.uri, s.line] };
        return item;
      }
      case 'empty':
        return new vscode.TreeItem(node.message);
    }
  }
}

const SYMBOL_ICONS: Record<string, string> = {
  resource: 'symbol-class',
  data: 'symbol-constant',
  module: 'symbol-module',
  variable: 'symbol-variable',
  output: 'symbol-property',
  provider: 'symbol-package',
  play: 'play',
  task: 'symbol-method',
  alert: 'bell',
  job: 'run',
  object: 'symbol-structure',
  group: 'type-hierarchy',
};

function flatten(symbols: SymbolSummary[]): SymbolSummary[] {
  return symbols.flatMap((s) => [s, ...flatten(s.children ?? [])]);
}
