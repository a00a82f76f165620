import * as vscode from 'vscode';
import type { ServiceJsonMessage } from '../../server/protocol';
import { openInFolder, webviewPage } from '../webviewPage';
import { zServiceWebviewMessage } from './messages';

// The Service Overview panel: one webview per (folder, service) with the scorecard and every
// runbook, alert, SLO, workload, resource and deploy job of the service. Like the checklist
// panel it only renders what the extension sends (the engine's service model, through the
// language server) and posts back clicks, each checked with zod before anything acts on it.

export class ServiceOverviewPanel {
  static readonly viewType = 'opsreview.serviceOverview';
  private static readonly panels = new Map<string, ServiceOverviewPanel>();
  private current: ServiceJsonMessage | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly renderWaiters: ((s: ServiceJsonMessage | undefined) => void)[] = [];

  static all(): ServiceOverviewPanel[] {
    return [...ServiceOverviewPanel.panels.values()];
  }

  /** Re-renders every open panel (the index changed). */
  static refreshAll(): void {
    for (const p of ServiceOverviewPanel.panels.values()) void p.refresh();
  }

  static show(extensionUri: vscode.Uri, folder: string, service: string, load: (folder: string, service: string) => Promise<ServiceJsonMessage | undefined>, log: (m: string) => void): ServiceOverviewPanel {
    const key = `${folder}\u0000${service}`;
    const existing = ServiceOverviewPanel.panels.get(key);
    if (existing) {
      existing.panel.reveal();
      void existing.refresh();
      return existing;
    }
    const media = vscode.Uri.joinPath(extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(ServiceOverviewPanel.viewType, `Service: ${service}`, vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [media] });
    panel.iconPath = vscode.Uri.joinPath(media, 'opsreview.svg');
    const p = new ServiceOverviewPanel(panel, media, folder, service, load, log);
    ServiceOverviewPanel.panels.set(key, p);
    p.disposables.push(panel.onDidDispose(() => ServiceOverviewPanel.panels.delete(key)));
    return p;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly media: vscode.Uri,
    readonly folder: string,
    readonly service: string,
    private readonly load: (folder: string, service: string) => Promise<ServiceJsonMessage | undefined>,
    private readonly log: (m: string) => void,
  ) {
    panel.webview.html = this.html();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  get model(): ServiceJsonMessage | undefined {
    return this.current;
  }

  /** The next model sent to the webview (integration tests). */
  nextRender(): Promise<ServiceJsonMessage | undefined> {
    return new Promise((r) => this.renderWaiters.push(r));
  }

  async refresh(): Promise<void> {
    try {
      this.current = await this.load(this.folder, this.service);
      void this.panel.webview.postMessage(this.current ? { type: 'update', service: this.current } : { type: 'error', message: `No service named '${this.service}' in this folder any more.` });
    } catch (e) {
      this.log(`service overview ${this.service}: ${(e as Error).message}`);
      void this.panel.webview.postMessage({ type: 'error', message: (e as Error).message });
    }
    for (const w of this.renderWaiters.splice(0)) w(this.current);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = zServiceWebviewMessage.safeParse(raw);
    if (!parsed.success) {
      this.log(`service overview webview: ignored an invalid message (${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')})`);
      return;
    }
    const msg = parsed.data;
    switch (msg.type) {
      case 'ready':
      case 'refresh':
        await this.refresh();
        return;
      case 'open':
        await openInFolder(this.folder, msg.file, msg.line);
        return;
      case 'runChecklist':
        // A run named after the service, so each service keeps its own ticks.
        await vscode.commands.executeCommand('opsreview.openChecklist', msg.checklist, this.service, this.folder, true);
        return;
    }
  }

  private html(): string {
    return webviewPage(this.panel.webview, this.media, {
      title: 'Service overview',
      styles: ['checklist.css', 'services.css'],
      script: 'services.js',
      body: '<main id="app" aria-busy="true"><p class="loading">Reading the service from the workspace…</p></main>',
    });
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
