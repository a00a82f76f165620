import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ServiceJsonMessage } from '../../server/protocol';

// The Services view: every service the language server infers from the files, with what
// belongs to it (runbooks, alerts, SLOs, workloads, infrastructure, deploy jobs), each item
// opening its file at the line. A service's inline action opens its Service Overview panel.

export interface FolderServices {
  folder: string;
  services: ServiceJsonMessage[];
}

type Entry = { label: string; description?: string; file: string; line: number; icon: string; warn?: boolean };

export type ServiceNode =
  | { type: 'service'; folder: string; service: ServiceJsonMessage; multiRoot: boolean }
  | { type: 'section'; folder: string; label: string; icon: string; entries: Entry[] }
  | { type: 'entry'; folder: string; entry: Entry }
  | { type: 'empty'; message: string };

export function ratioText(r: { met: number; of: number }): string {
  return r.of ? `${r.met}/${r.of}` : '–';
}

/** The lists of a service as tree sections (also the order of the overview panel). */
export function serviceSections(s: ServiceJsonMessage): { label: string; icon: string; entries: Entry[] }[] {
  return [
    { label: 'Runbooks', icon: 'book', entries: s.runbooks.map((r) => ({ label: r.title, description: r.kind === 'postmortem' ? 'postmortem' : r.hasRollback ? r.file : `${r.file} · no rollback section`, file: r.file, line: r.line, icon: r.kind === 'postmortem' ? 'history' : 'book', warn: r.kind === 'runbook' && !r.hasRollback })) },
    { label: 'Alerts', icon: 'bell', entries: s.alerts.map((a) => ({ label: a.name, description: [a.severity, a.receivers.length ? `→ ${a.receivers.join(', ')}${a.pages ? ' (pages)' : ''}` : 'no receiver', a.runbook ? undefined : 'no runbook'].filter(Boolean).join(' · '), file: a.file, line: a.line, icon: 'bell', warn: !a.runbook })) },
    { label: 'SLOs', icon: 'dashboard', entries: s.slos.map((x) => ({ label: x.name, description: x.alerting === 'enabled' ? `burn-rate alerts by ${x.format}` : x.burnRateAlerts.length ? x.burnRateAlerts.join(', ') : `burn-rate alerts ${x.alerting}`, file: x.file, line: x.line, icon: 'dashboard', warn: x.alerting !== 'enabled' && !x.burnRateAlerts.length })) },
    { label: 'Workloads', icon: 'package', entries: s.workloads.map((w) => ({ label: `${w.kind} ${w.name}`, description: [w.namespace, w.replicas !== null ? `replicas ${w.replicas}` : undefined].filter(Boolean).join(' · '), file: w.file, line: w.line, icon: 'package' })) },
    { label: 'Infrastructure', icon: 'cloud', entries: s.infrastructure.map((i) => ({ label: i.address, description: i.file, file: i.file, line: i.line, icon: i.type === 'ansible-role' ? 'gear' : 'cloud' })) },
    { label: 'Deploy jobs', icon: 'rocket', entries: s.deployJobs.map((d) => ({ label: d.id, description: d.production ? (d.gate ? `production · gated by ${d.gate}` : 'production · not gated') : d.file, file: d.file, line: d.line, icon: 'rocket', warn: d.production && !d.gate })) },
  ].filter((x) => x.entries.length);
}

export class ServicesTreeProvider implements vscode.TreeDataProvider<ServiceNode> {
  private readonly emitter = new vscode.EventEmitter<ServiceNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  folders: FolderServices[] = [];

  constructor(private readonly load: () => Promise<FolderServices[]>) {}

  async refresh(): Promise<void> {
    this.folders = await this.load();
    this.emitter.fire(undefined);
  }

  find(name: string, folder?: string): { folder: string; service: ServiceJsonMessage } | undefined {
    for (const f of this.folders) {
      if (folder && f.folder !== folder) continue;
      const s = f.services.find((x) => x.service === name);
      if (s) return { folder: f.folder, service: s };
    }
    return undefined;
  }

  getChildren(node?: ServiceNode): ServiceNode[] {
    if (!node) {
      const multiRoot = this.folders.length > 1;
      const all = this.folders.flatMap((f) => f.services.map((service) => ({ type: 'service' as const, folder: f.folder, service, multiRoot })));
      return all.length ? all : [{ type: 'empty', message: 'No services: no runbook, alert, manifest, Terraform tag, SLO or deploy job names one.' }];
    }
    if (node.type === 'service') return serviceSections(node.service).map((x) => ({ type: 'section', folder: node.folder, ...x }));
    if (node.type === 'section') return node.entries.map((entry) => ({ type: 'entry', folder: node.folder, entry }));
    return [];
  }

  getTreeItem(node: ServiceNode): vscode.TreeItem {
    switch (node.type) {
      case 'service': {
        const s = node.service;
        const item = new vscode.TreeItem(s.service, vscode.TreeItemCollapsibleState.Collapsed);
        const sc = s.scorecard;
        item.description = [s.owner ?? 'no owner', node.multiRoot ? path.basename(node.folder) : undefined, sc.ownerAgreed === false ? 'owners disagree' : undefined].filter(Boolean).join(' · ');
        item.tooltip = new vscode.MarkdownString(
          [`**${s.service}** — owner ${s.owner ?? 'none'}`, '', `- Alerts with a runbook: ${ratioText(sc.alertsWithRunbook)}`, `- Runbooks with a rollback section: ${ratioText(sc.runbooksWithRollback)}`, `- SLOs with burn-rate alerts: ${ratioText(sc.slosWithBurnRate)}`, `- Production deploys gated: ${ratioText(sc.productionDeploysGated)}`, `- Owner agreed across kinds: ${sc.ownerAgreed === null ? '–' : sc.ownerAgreed ? 'yes' : 'no'}`, `- Findings: ${s.findings.error} errors, ${s.findings.warning} warnings, ${s.findings.info} info`].join('\n'),
        );
        item.iconPath = new vscode.ThemeIcon(sc.ownerAgreed === false || s.findings.error ? 'warning' : 'symbol-class');
        item.contextValue = 'service';
        item.id = `service:${node.folder}:${s.service}`;
        item.command = { command: 'opsreview.openServiceOverview', title: 'Open Service Overview', arguments: [s.service, node.folder] };
        return item;
      }
      case 'section': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = String(node.entries.length);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        return item;
      }
      case 'entry': {
        const e = node.entry;
        const item = new vscode.TreeItem(e.label, vscode.TreeItemCollapsibleState.None);
        item.description = e.description;
        item.tooltip = `${e.file}:${e.line}`;
        item.iconPath = new vscode.ThemeIcon(e.warn ? 'warning' : e.icon);
        const uri = vscode.Uri.file(path.join(node.folder, e.file));
        item.resourceUri = uri;
        item.command = { command: 'opsreview.openRunbook', title: 'Open', arguments: [uri, Math.max(0, e.line - 1)] };
        return item;
      }
      case 'empty':
        return new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
    }
  }
}
