import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fillPlaceholders, runAllConfirmation, RunnableBlock, runnableBlocks, RunRecord, runTranscript, stepConfirmation } from '../../engine/runbook/runnable';

// Runs runbook steps in a terminal named "OpsReview", with care: nothing runs in a restricted
// workspace, placeholders are asked once per session, a step that changes state or whose effect is
// unknown (engine/runbook/commandEffect.ts) is confirmed naming each command and why, and every run is logged with its exit code. Exit codes come from the terminal's shell
// integration; where a shell has none, each step writes its exit status to a file the runner
// reads, and the log says so. Which blocks run and what they need is the engine's
// (engine/runbook/runnable.ts); this module only drives the editor.

export interface RunOptions {
  /** Overrides the workspace trust check (tests: the harness runs with trust disabled). */
  trusted?: boolean;
  /** Skips the confirmation of steps that change state or whose effect is unknown (tests; never from a lens). */
  confirmed?: boolean;
  /** Placeholder values to use instead of asking. */
  values?: Record<string, string>;
  /** `false` ignores the terminal's shell integration (tests of the status-file path). */
  shellIntegration?: boolean;
}

export type StepOutcome =
  | { status: 'refused'; reason: string }
  | { status: 'cancelled'; reason: string }
  | { status: 'ran'; exitCode: number | undefined; via: 'shell integration' | 'status file' };

export interface RunAllOutcome {
  steps: StepOutcome[];
  /** Index of the block where the run stopped (failed, refused or cancelled), if it stopped early. */
  stoppedAt?: number;
}

export const TERMINAL_NAME = 'OpsReview';

export class RunbookRunner implements vscode.Disposable {
  private terminal: vscode.Terminal | undefined;
  private readonly values = new Map<string, string>();
  readonly records: RunRecord[] = [];
  /** Every confirmation asked this session, with its answer (newest last): what the person was told. */
  readonly asked: { message: string; detail: string; answer: string }[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private warnedNoIntegration = false;

  constructor(
    private readonly output: vscode.OutputChannel,
    /** The trust check; injectable so the refusal path can be tested where trust is disabled. */
    private readonly isTrusted: () => boolean = () => vscode.workspace.isTrusted,
  ) {
    this.disposables.push(vscode.window.onDidCloseTerminal((t) => t === this.terminal && (this.terminal = undefined)));
  }

  trusted(opts: RunOptions = {}): boolean {
    return opts.trusted ?? this.isTrusted();
  }

  /** Why nothing may run here, or undefined when steps may run. */
  refusal(opts: RunOptions = {}): string | undefined {
    return this.trusted(opts) ? undefined : 'This workspace is in Restricted Mode: OpsReview runs no runbook step until you trust the workspace.';
  }

  async blocksOf(uri: vscode.Uri): Promise<RunnableBlock[]> {
    const doc = await vscode.workspace.openTextDocument(uri);
    return runnableBlocks(doc.getText());
  }

  /** The block's script with its placeholders filled, asking for the values not known yet. Undefined: the user cancelled. */
  async filled(block: RunnableBlock, opts: RunOptions = {}): Promise<string | undefined> {
    const values: Record<string, string> = {};
    for (const p of block.placeholders) {
      const given = opts.values?.[p.name] ?? this.values.get(p.name);
      if (given !== undefined) {
        values[p.name] = given;
        continue;
      }
      const v = await vscode.window.showInputBox({ title: `Value for ${p.text}`, prompt: `Runbook step ${block.index + 1} needs ${p.text}. OpsReview remembers it for this session.`, ignoreFocusOut: true });
      if (v === undefined) return undefined;
      this.values.set(p.name, v);
      values[p.name] = v;
    }
    return fillPlaceholders(block.script, block.placeholders, values);
  }

  /** Copies the step, placeholders filled, to the clipboard. */
  async copy(uri: vscode.Uri, index: number, opts: RunOptions = {}): Promise<string | undefined> {
    const block = (await this.blocksOf(uri))[index];
    if (!block) return undefined;
    const script = await this.filled(block, opts);
    if (script === undefined) return undefined;
    await vscode.env.clipboard.writeText(script);
    void vscode.window.setStatusBarMessage(`OpsReview: step ${index + 1} copied`, 3000);
    return script;
  }

  async runBlock(uri: vscode.Uri, index: number, opts: RunOptions = {}): Promise<StepOutcome> {
    const refusal = this.refusal(opts);
    if (refusal) {
      this.output.appendLine(`[run] refused: ${refusal}`);
      void vscode.window.showWarningMessage(refusal);
      return { status: 'refused', reason: refusal };
    }
    const block = (await this.blocksOf(uri))[index];
    if (!block) return { status: 'cancelled', reason: `no runnable block ${index + 1} in ${uri.fsPath}` };
    return this.run(uri, block, opts);
  }

  /** Runs every block in order; stops at the first that fails (or cannot be told to have succeeded). */
  async runAll(uri: vscode.Uri, opts: RunOptions = {}): Promise<RunAllOutcome> {
    const refusal = this.refusal(opts);
    if (refusal) {
      this.output.appendLine(`[run] refused: ${refusal}`);
      void vscode.window.showWarningMessage(refusal);
      return { steps: [{ status: 'refused', reason: refusal }], stoppedAt: 0 };
    }
    const blocks = await this.blocksOf(uri);
    const ask = runAllConfirmation(blocks);
    if (ask && !opts.confirmed) {
      const refused = await this.confirm(ask, 'Run all steps');
      if (refused) return { steps: [{ status: 'cancelled', reason: refused }], stoppedAt: 0 };
    }
    const steps: StepOutcome[] = [];
    for (const b of blocks) {
      const outcome = await this.run(uri, b, { ...opts, confirmed: true });
      steps.push(outcome);
      if (outcome.status !== 'ran' || outcome.exitCode !== 0) {
        const why = outcome.status !== 'ran' ? outcome.reason : outcome.exitCode === undefined ? 'its exit code is unknown' : `it exited with ${outcome.exitCode}`;
        const msg = `OpsReview stopped the run at step ${b.index + 1} of ${blocks.length} (line ${b.line + 1}): ${why}.`;
        this.output.appendLine(`[run] ${msg}`);
        void vscode.window.showWarningMessage(msg);
        return { steps, stoppedAt: b.index };
      }
    }
    this.output.appendLine(`[run] all ${blocks.length} steps of ${vscode.workspace.asRelativePath(uri)} succeeded`);
    return { steps };
  }

  private async run(uri: vscode.Uri, block: RunnableBlock, opts: RunOptions): Promise<StepOutcome> {
    const ask = stepConfirmation(block);
    if (ask && !opts.confirmed) {
      const refused = await this.confirm(ask, 'Run');
      if (refused) return { status: 'cancelled', reason: refused };
    }
    const script = await this.filled(block, opts);
    if (script === undefined) return { status: 'cancelled', reason: 'a placeholder value was not given' };
    const source = `${vscode.workspace.asRelativePath(uri)} step ${block.index + 1}`;
    const record: RunRecord = { command: script, start: new Date(), source };
    this.records.push(record);
    this.output.appendLine(`[run] ${record.start.toISOString()} start ${source}: ${script.split('\n').join(' ⏎ ')}`);
    const terminal = this.terminalFor(uri);
    terminal.show(true);
    const integration = opts.shellIntegration === false ? undefined : await this.shellIntegration(terminal);
    let outcome: StepOutcome;
    if (integration) {
      outcome = { status: 'ran', exitCode: await this.executeWithIntegration(integration, script), via: 'shell integration' };
    } else {
      if (!this.warnedNoIntegration) {
        this.warnedNoIntegration = true;
        const msg = 'Shell integration is unavailable in the OpsReview terminal: exit codes are read from a status file each step writes instead.';
        this.output.appendLine(`[run] ${msg}`);
        void vscode.window.showInformationMessage(`OpsReview: ${msg}`);
      }
      outcome = { status: 'ran', exitCode: await this.executeWithStatusFile(terminal, script), via: 'status file' };
    }
    record.end = new Date();
    record.exitCode = outcome.status === 'ran' ? outcome.exitCode : undefined;
    this.output.appendLine(`[run] ${record.end.toISOString()} end ${source}: exit ${record.exitCode ?? 'unknown'}`);
    return outcome;
  }

  /**
   * Asks in a modal dialog; undefined when the person chose `button`, otherwise why not. A dialog
   * that cannot be shown (VS Code refuses dialogs while extension tests run) is not a yes.
   */
  private async confirm(ask: { message: string; detail: string }, button: string): Promise<string | undefined> {
    const entry = { ...ask, answer: '' };
    this.asked.push(entry);
    this.output.appendLine(`[run] asking: ${ask.message} ${ask.detail.split('\n').join(' | ')}`);
    try {
      const ok = await vscode.window.showWarningMessage(ask.message, { modal: true, detail: ask.detail }, button);
      entry.answer = ok ?? 'Cancel';
      return ok === button ? undefined : 'not confirmed';
    } catch (e) {
      entry.answer = `not shown: ${(e as Error).message}`;
      this.output.appendLine(`[run] the confirmation could not be shown: ${(e as Error).message}`);
      return `not confirmed (the confirmation could not be shown: ${(e as Error).message})`;
    }
  }

  private terminalFor(uri: vscode.Uri): vscode.Terminal {
    if (!this.terminal || this.terminal.exitStatus) {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      this.terminal = vscode.window.createTerminal({ name: TERMINAL_NAME, cwd: folder?.uri ?? vscode.Uri.file(path.dirname(uri.fsPath)) });
    }
    return this.terminal;
  }

  /** The terminal's shell integration, waiting a few seconds for a new terminal's shell to start it. */
  private async shellIntegration(terminal: vscode.Terminal): Promise<vscode.TerminalShellIntegration | undefined> {
    if (terminal.shellIntegration) return terminal.shellIntegration;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        sub.dispose();
        resolve(terminal.shellIntegration);
      }, 4000);
      const sub = vscode.window.onDidChangeTerminalShellIntegration((e) => {
        if (e.terminal !== terminal) return;
        clearTimeout(timer);
        sub.dispose();
        resolve(e.shellIntegration);
      });
    });
  }

  private executeWithIntegration(integration: vscode.TerminalShellIntegration, script: string): Promise<number | undefined> {
    return new Promise((resolve) => {
      // Subscribe first: a fast command can end before executeCommand returns.
      let execution: vscode.TerminalShellExecution | undefined;
      const ended: { e: vscode.TerminalShellExecution; code: number | undefined }[] = [];
      const sub = vscode.window.onDidEndTerminalShellExecution((e) => {
        if (execution && e.execution === execution) {
          sub.dispose();
          resolve(e.exitCode);
        } else ended.push({ e: e.execution, code: e.exitCode });
      });
      execution = integration.executeCommand(script);
      const early = ended.find((x) => x.e === execution);
      if (early) {
        sub.dispose();
        resolve(early.code);
      }
    });
  }

  /** Without shell integration: the step runs in a group that writes `$?` to a file, which is polled. */
  private async executeWithStatusFile(terminal: vscode.Terminal, script: string): Promise<number | undefined> {
    const status = path.join(tmpdir(), `opsreview-step-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.status`);
    terminal.sendText(`{\n${script}\n}; echo $? > '${status}'`, true);
    for (;;) {
      try {
        const text = (await fsp.readFile(status, 'utf8')).trim();
        if (text) {
          await fsp.rm(status, { force: true });
          const code = Number(text);
          return Number.isFinite(code) ? code : undefined;
        }
      } catch {
        /* not written yet */
      }
      if (terminal.exitStatus) return undefined;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Writes the run log as a timestamped markdown list, and opens it. */
  async saveTranscript(target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    if (!this.records.length) {
      void vscode.window.showInformationMessage('OpsReview: no runbook step has run in this session yet.');
      return undefined;
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri = target ?? (folder ? vscode.Uri.joinPath(folder, '.opsreview', 'runs', `run-${stamp}.md`) : await vscode.window.showSaveDialog({ filters: { Markdown: ['md'] } }));
    if (!uri) return undefined;
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
    await vscode.workspace.fs.writeFile(uri, Buffer.from(runTranscript(this.records, `Runbook run, ${new Date().toISOString().slice(0, 10)}`)));
    await vscode.window.showTextDocument(uri, { preview: false });
    return uri;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
