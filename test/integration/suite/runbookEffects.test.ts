import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunAllOutcome, StepOutcome } from '../../../src/extension/runbooks/runner';
import { report } from './harness';
import { fileUri, getApi, waitFor } from './util';

// Every step that changes state, or whose effect is unknown, is confirmed before it runs, in real
// VS Code: the sample certificate-rotation runbook's `vault write pki/issue/…` and `vault kv put`
// step (once run on one click) now asks in a modal dialog that names each command and why.
// VS Code refuses to show modal dialogs while extension tests run (its DialogService throws
// "refused to show dialog in tests. Contents: <message>"): that refusal is the workbench's proof
// that the modal was requested, with which message; the runner treats it as "not confirmed", so
// nothing runs, and keeps what it asked (message and detail) for the record.

describe('OpsReview runbook step effects (real VS Code)', function () {
  this.timeout(90000);

  it('shows the effect on the run lenses of the certificate-rotation runbook', async () => {
    await getApi();
    const uri = fileUri('certificate-rotation.md');
    await vscode.window.showTextDocument(uri);
    const lenses = await waitFor('run lenses on certificate-rotation.md', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return l.some((x) => x.command?.command === 'opsreview.runbooks.runStep') ? l : undefined;
    });
    const run = lenses.filter((l) => l.command?.command === 'opsreview.runbooks.runStep');
    assert.deepEqual(
      run.map((l) => l.command?.title),
      ['$(warning) Run in terminal (changes: vault write)', '$(warning) Run in terminal (changes: kubectl -n ingress rollout restart)', '$(play) Run in terminal'],
    );
    assert.match(String(run[0].command?.tooltip ?? ''), /vault kv put changes state: writes a secret/);
    report(`lenses: ${run.map((l) => l.command?.title).join(' | ')}`);
  });

  it('asks before running the `vault write` step, naming each command and why; unanswered, nothing runs', async () => {
    const api = await getApi();
    const runner = api.runbookFeatures.runner;
    const ran = runner.records.length;
    const asked = runner.asked.length;
    const outcome = await vscode.commands.executeCommand<StepOutcome>('opsreview.runbooks.runStep', fileUri('certificate-rotation.md'), 0, { trusted: true });
    report(`outcome: ${JSON.stringify(outcome)}`);
    assert.equal(outcome.status, 'cancelled');
    // The workbench was asked for a modal dialog with this message (and refused it, as in every extension test).
    assert.match(outcome.status === 'cancelled' ? outcome.reason : '', /^not confirmed \(the confirmation could not be shown: .*Contents: Run step 1\? It changes state\.\)$/);
    assert.equal(runner.asked.length, asked + 1);
    const q = runner.asked[runner.asked.length - 1];
    assert.equal(q.message, 'Run step 1? It changes state.');
    assert.equal(
      q.detail,
      [
        '`vault write` — vault write changes state: issues a certificate',
        '`vault kv put` — vault kv put changes state: writes a secret',
        '`shred -u /tmp/cert.json` — shred changes state: destroys files',
      ].join('\n'),
    );
    assert.equal(runner.records.length, ran, 'nothing ran');
  });

  it('"Run all steps" asks once, listing every step that changes state, and runs nothing unconfirmed', async () => {
    const api = await getApi();
    const runner = api.runbookFeatures.runner;
    const ran = runner.records.length;
    const asked = runner.asked.length;
    const outcome = await vscode.commands.executeCommand<RunAllOutcome>('opsreview.runbooks.runAll', fileUri('certificate-rotation.md'), { trusted: true });
    assert.equal(outcome.stoppedAt, 0);
    assert.match(outcome.steps[0].status === 'cancelled' ? outcome.steps[0].reason : '', /Contents: Run all 3 steps\? 2 of them change state or have an unknown effect\./);
    assert.equal(runner.asked.length, asked + 1, 'one question for the whole run');
    const detail = runner.asked[runner.asked.length - 1].detail.split('\n');
    assert.equal(detail.length, 2, 'the read-only check is not listed');
    assert.match(detail[0], /^Step 1 \(line 19\): `vault write` — vault write changes state: issues a certificate; `vault kv put` — /);
    assert.match(detail[1], /^Step 2 \(line 26\): `kubectl -n ingress rollout restart` — kubectl rollout restart changes state: restarts the pods/);
    assert.equal(runner.records.length, ran, 'nothing ran');
  });
});
