import * as assert from 'node:assert/strict';
import { distinguishingFolders } from '../../src/extension/treeLabels';

// Issue 18: runbooks with the same title in several folders are told apart in the tree.

describe('Runbooks tree: same titles', () => {
  const rb = (relPath: string, title: string, folder?: string) => ({ uri: `file:///${folder ?? 'ws'}/${relPath}`, relPath, title, folder });

  it('gives namesakes the shortest folder suffix that differs, and leaves unique titles alone', () => {
    const m = distinguishingFolders([rb('docs/payments/README.md', 'Overview'), rb('docs/search/README.md', 'overview'), rb('docs/search/restart.md', 'Restart')]);
    assert.equal(m.get('file:///ws/docs/payments/README.md'), 'payments');
    assert.equal(m.get('file:///ws/docs/search/README.md'), 'search');
    assert.equal(m.has('file:///ws/docs/search/restart.md'), false);
  });

  it('grows the suffix when the last folders are the same', () => {
    const m = distinguishingFolders([rb('a/api/runbooks/restart.md', 'Restart'), rb('b/api/runbooks/restart.md', 'Restart')]);
    assert.equal(m.get('file:///ws/a/api/runbooks/restart.md'), 'a/api/runbooks');
    assert.equal(m.get('file:///ws/b/api/runbooks/restart.md'), 'b/api/runbooks');
  });

  it('names the file when two namesakes share a folder, and the workspace folder across roots', () => {
    const same = distinguishingFolders([rb('ops/restart.md', 'Restart'), rb('ops/restart-old.md', 'Restart')]);
    assert.equal(same.get('file:///ws/ops/restart.md'), 'ops/restart.md');
    const roots = distinguishingFolders([rb('restart.md', 'Restart', '/w/payments'), rb('restart.md', 'Restart', '/w/search')]);
    assert.equal(roots.get('file:////w/payments/restart.md'), 'payments');
    assert.equal(roots.get('file:////w/search/restart.md'), 'search');
  });
});
