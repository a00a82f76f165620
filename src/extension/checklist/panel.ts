import { FSWatcher, watch } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { docsPath } from '../../engine/rules/types';
import type { ChecklistEvaluateResult } from '../../server/protocol';
import { gitUserName } from './gitUser';
import { openInFolder, webviewPage } from '../webviewPage';
import { zWebviewMessage } from './messages';
import type { ChecklistService } from './service';

// The checklist panel: one webview per (folder, checklist, run). The webview only renders what
// the extension sends and posts back what the person did; evaluation and writing the run file
// happen in the language server (the engine), reading and checking every message here.

export interface PanelKey {
  folder: string;
  checklist: string;
  run: string;
}

export class ChecklistPanel {
  static readonly viewType = 'opsreview.checklist';
  private static extensionUri: vscode.Uri;
  /** Called when a panel sees its run file change on disk (the tree shows run verdicts). */
  static onRunFileChanged: () => void = () => undefined;
  private static readonly panels = new Map<string, ChecklistPanel>();
  private current: ChecklistEvaluateResult | undefined;
  private refreshing: Promise<void> | undefined;
  private pending = false;
  private readonly disposables: vscode.Disposable[] = [];
  /** Node's watcher on the run file's folder: VS Code's workspace watcher misses folders created with their parents in one go. */
  private runWatcher: FSWatcher | undefined;
  private runWatchTimer: NodeJS.Timeout | undefined;
  /** Resolves waiters after each render (integration tests). */
  private readonly renderWaiters: ((r: ChecklistEvaluateResult) => void)[] = [];
  /** Notes typed in the webview and not written yet, by item (written when the panel closes). */
  private readonly unsaved = new Map<string, string>();
  private disposed = false;
  private writes: Promise<unknown> = Promise.resolve();

  static keyOf(k: PanelKey): string {
    return `${k.folder}\u0000${k.checklist}\u0000${k.run}`;
  }

  static all(): ChecklistPanel[] {
    return [...ChecklistPanel.panels.values()];
  }

  static show(extensionUri: vscode.Uri, service: ChecklistService, key: PanelKey, log: (m: string) => void): ChecklistPanel {
    ChecklistPanel.extensionUri = extensionUri;
    const existing = ChecklistPanel.panels.get(ChecklistPanel.keyOf(key));
    if (existing) {
      existing.panel.reveal();
      void existing.refresh();
      return existing;
    }
    const media = vscode.Uri.joinPath(extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(ChecklistPanel.viewType, `${key.checklist}: ${key.run}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [media],
    });
    panel.iconPath = vscode.Uri.joinPath(media, 'opsreview.svg');
    const p = new ChecklistPanel(panel, media, service, key, log);
    ChecklistPanel.panels.set(ChecklistPanel.keyOf(key), p);
    return p;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly media: vscode.Uri,
    private readonly service: ChecklistService,
    readonly key: PanelKey,
    private readonly log: (m: string) => void,
  ) {
    panel.webview.html = this.html();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  get evaluation(): ChecklistEvaluateResult | undefined {
    return this.current;
  }

  /** The next evaluation sent to the webview. */
  nextRender(): Promise<ChecklistEvaluateResult> {
    return new Promise((r) => this.renderWaiters.push(r));
  }

  /** Re-evaluates and re-renders; calls during a refresh coalesce into one more. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.pending = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      try {
        do {
          this.pending = false;
          this.render(await this.service.evaluate(this.key.folder, this.key.checklist, this.key.run));
        } while (this.pending);
      } catch (e) {
        this.log(`checklist ${this.key.checklist}: ${(e as Error).message}`);
        void this.panel.webview.postMessage({ type: 'error', message: (e as Error).message });
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  private render(r: ChecklistEvaluateResult): void {
    this.current = r;
    if (this.disposed) return; // notes written on close come back after the webview is gone
    this.watchRunFile(r.runFile);
    this.panel.title = `${r.result.title}: ${this.key.run} (${r.result.verdict})`;
    void this.panel.webview.postMessage({ type: 'update', evaluation: r, runFile: r.runFile ? vscode.workspace.asRelativePath(r.runFile) : undefined });
    for (const w of this.renderWaiters.splice(0)) w(r);
  }

  /** Re-evaluates when the run file changes on disk (a hand edit, a branch switch, another window). */
  private watchRunFile(file: string | undefined): void {
    if (this.runWatcher || !file) return;
    try {
      const name = path.basename(file);
      this.runWatcher = watch(path.dirname(file), (_event, changed) => {
        if (changed && changed.toString() !== name) return;
        clearTimeout(this.runWatchTimer);
        this.runWatchTimer = setTimeout(() => {
          void this.refresh();
          ChecklistPanel.onRunFileChanged();
        }, 100);
      });
      this.runWatcher.on('error', () => this.unwatchRunFile());
    } catch {
      // The folder does not exist until the first tick writes the file; the next render retries.
      this.runWatcher = undefined;
    }
  }

  private unwatchRunFile(): void {
    clearTimeout(this.runWatchTimer);
    this.runWatcher?.close();
    this.runWatcher = undefined;
  }

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = zWebviewMessage.safeParse(raw);
    if (!parsed.success) {
      this.log(`checklist webview: ignored an invalid message (${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')})`);
      return;
    }
    const msg = parsed.data;
    switch (msg.type) {
      case 'ready':
      case 'refresh':
        await this.refresh();
        return;
      case 'exportMarkdown':
        await vscode.commands.executeCommand('opsreview.checklist.exportMarkdown', this);
        return;
      case 'openRunFile':
        if (this.current?.runFile) await vscode.window.showTextDocument(vscode.Uri.file(this.current.runFile), { viewColumn: vscode.ViewColumn.Beside });
        return;
      case 'openFinding':
        await openInFolder(this.key.folder, msg.file, msg.line);
        return;
      case 'setItem':
        await this.setItem(msg.item, msg.state, msg.note);
        return;
      case 'draft':
        if (msg.note === null) this.unsaved.delete(msg.item);
        else this.unsaved.set(msg.item, msg.note);
        return;
      case 'openRuleDocs': {
        // The rule docs ship with the extension: shown offline, in the markdown preview.
        const doc = vscode.Uri.joinPath(ChecklistPanel.extensionUri, docsPath(msg.ruleId));
        try {
          await vscode.workspace.fs.stat(doc);
          await vscode.commands.executeCommand('markdown.showPreviewToSide', doc);
        } catch {
          void vscode.window.showInformationMessage(`OpsReview: no docs page for ${msg.ruleId} in this version.`);
        }
        return;
      }
      case 'openItemDocs': {
        // Only the link the checklist itself gives, never one the webview makes up.
        const docs = this.current?.result.items.find((i) => i.id === msg.item)?.docs;
        if (!docs) return;
        if (/^https?:\/\//i.test(docs)) {
          await vscode.env.openExternal(vscode.Uri.parse(docs));
          return;
        }
        const abs = path.resolve(this.key.folder, docs);
        if (abs.startsWith(path.resolve(this.key.folder) + path.sep)) await vscode.window.showTextDocument(vscode.Uri.file(abs), { viewColumn: vscode.ViewColumn.Beside, preview: true });
        return;
      }
    }
  }

  /** Writes one item; writes are queued, so each starts from the evaluation the previous one left (a note saved on blur, then the tick it caused). */
  setItem(item: string, state: 'done' | 'waived' | 'open', note?: string): Promise<boolean> {
    const next = this.writes.then(() => this.writeItem(item, state, note));
    this.writes = next.catch(() => false);
    return next;
  }

  private async writeItem(item: string, state: 'done' | 'waived' | 'open', note?: string): Promise<boolean> {
    const seen = this.current?.result.items.find((i) => i.id === item);
    const by = await gitUserName(this.key.folder);
    const r = await this.service.setItem({ ...this.key, item, state, note, by, base: this.current ? { hash: this.current.runHash, item: seen?.run } : undefined });
    if (r.ok) this.unsaved.delete(item);
    if (r.evaluation) this.render(r.evaluation);
    if (!r.ok && !this.disposed) {
      void this.panel.webview.postMessage({ type: 'error', message: r.message ?? 'Not written.' });
      void vscode.window.showWarningMessage(`OpsReview: ${r.message ?? 'the run file was not written.'}`);
    }
    return r.ok;
  }

  private html(): string {
    return webviewPage(this.panel.webview, this.media, {
      title: this.key.checklist,
      styles: ['checklist.css'],
      script: 'checklist.js',
      body: '<div id="announce" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"></div>\n<main id="app" aria-busy="true"><p class="loading">Evaluating the checklist…</p></main>',
    });
  }

  /** Unsaved notes, by item (tests; the close handler writes them). */
  get unsavedNotes(): ReadonlyMap<string, string> {
    return this.unsaved;
  }

  /** Writes the notes typed and not saved yet, each with its item's current run state. */
  async writeUnsaved(): Promise<number> {
    const pending = [...this.unsaved];
    let written = 0;
    for (const [item, note] of pending) {
      const state = this.current?.result.items.find((i) => i.id === item)?.run?.state ?? 'open';
      if (state === 'waived' && !note.trim()) continue;
      if (await this.setItem(item, state, note)) written++;
    }
    return written;
  }

  dispose(): void {
    this.disposed = true;
    ChecklistPanel.panels.delete(ChecklistPanel.keyOf(this.key));
    // Closing the panel must not drop what was typed: write it, and say so.
    if (this.unsaved.size) {
      const n = this.unsaved.size;
      void this.writeUnsaved().then(
        (w) => void vscode.window.showInformationMessage(`OpsReview: saved ${w} of ${n} unsaved checklist notes of ${this.key.checklist}: ${this.key.run}.`),
        (e: Error) => void vscode.window.showWarningMessage(`OpsReview: unsaved checklist notes were not written: ${e.message}`),
      );
    }
    this.unwatchRunFile();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

