import * as assert from 'node:assert/strict';
import { report } from './harness';
import { getApi, waitFor } from './util';

// Issue 18: the status item tells the truth while indexing. Before the index is built it says
// "indexing" (with N / M files once known) and never shows counts that are not final; after
// it, it says what OpsReview indexed and how many files need attention, not VS Code's own
// error and warning counts again; its tooltip says when the index was built and what was skipped.

describe('OpsReview status item (real VS Code)', function () {
  this.timeout(60000);

  it('says it is indexing until the index is built, then shows final counts', async () => {
    const api = await getApi();
    await api.ready();
    const history = await waitFor('a final status', () => {
      const h = api.statusHistory();
      return h.some((t) => /runbooks/.test(t)) ? h : undefined;
    });
    report(`status texts: ${JSON.stringify(history)}`);
    const firstFinal = history.findIndex((t) => /runbooks/.test(t));
    assert.ok(firstFinal > 0, 'an indexing text came first');
    for (const t of history.slice(0, firstFinal)) assert.match(t, /indexing/, `only "indexing" before the index is built: ${t}`);
    // The sample has runbooks: a count of zero would be a count taken before the index was built.
    for (const t of history.filter((x) => /runbooks/.test(x))) assert.doesNotMatch(t, /\$\(book\) 0 runbooks/, `no count before the index is final: ${t}`);
    const stats = await api.stats();
    const runbooks = (stats.files['runbook'] ?? 0) + (stats.files['postmortem'] ?? 0);
    const final = history[history.length - 1];
    assert.match(final, new RegExp(`\\$\\(book\\) ${runbooks} runbooks`));
    assert.doesNotMatch(final, /\$\(error\)|\$\(warning\)/, 'does not repeat VS Code\'s problem counter');
    assert.match(final, new RegExp(`${stats.filesWithFindings} need attention`));
    const tooltip = api.statusTooltip();
    assert.match(tooltip, /indexed at .+ in \d+\.\d s/);
    assert.match(tooltip, /skipped|Nothing skipped/);
  });

  it('says it is indexing again while a re-index runs', async () => {
    const api = await getApi();
    const before = api.statusHistory().length;
    const { commands } = await import('vscode');
    await commands.executeCommand('opsreview.refresh');
    const h = await waitFor('a final status after the re-index', () => {
      const all = api.statusHistory().slice(before);
      return all.some((t) => /indexing/.test(t)) && /runbooks/.test(all[all.length - 1] ?? '') ? all : undefined;
    });
    assert.ok(h.findIndex((t) => /indexing/.test(t)) < h.length - 1);
  });
});
