import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { defaultConfig } from '../../src/engine/config/schema';
import { discover } from '../../src/engine/discovery';
import { writeWorkspace } from './helpers';

// Issue 15, class A.8: git never ignores a tracked file, so neither does OpsReview when it can ask
// the local git. Without a .git, .gitignore is honoured as written.

const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: web:1.0\n';

describe('files git tracks are read even when .gitignore names them', () => {
  const files = {
    '.gitignore': 'kustomize\n/*.yml\n',
    'kustomize/base/deployment.yaml': deployment,
    'kustomize/base/generated.yaml': deployment,
    'site.yml': '- hosts: all\n  tasks:\n  - name: ping\n    ping:\n',
    'scratch.yml': '- hosts: all\n  tasks: []\n',
  };
  const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, stdio: 'pipe' });

  it('reads the tracked ones and still skips the untracked ones', async () => {
    const root = await writeWorkspace(files);
    git(root, 'init', '-q');
    git(root, 'add', '-f', '.gitignore', 'kustomize/base/deployment.yaml', 'site.yml');
    git(root, 'commit', '-q', '-m', 'x');
    const found = await discover(root, defaultConfig());
    const read = found.candidates.map((c) => c.relPath);
    assert.ok(read.includes('kustomize/base/deployment.yaml'), read.join(', '));
    assert.ok(read.includes('site.yml'), read.join(', '));
    assert.ok(!read.includes('kustomize/base/generated.yaml'));
    assert.ok(!read.includes('scratch.yml'));
    assert.ok(found.skipped.some((s) => s.relPath === 'scratch.yml' && s.code === 'gitignore'));
    assert.ok(found.skipped.some((s) => s.relPath === 'kustomize/base/generated.yaml' && s.code === 'gitignore'));
  });

  it('honours .gitignore as written outside a git work tree', async () => {
    const root = await writeWorkspace(files);
    const found = await discover(root, defaultConfig());
    assert.ok(!found.candidates.some((c) => c.relPath.startsWith('kustomize/') || c.relPath === 'site.yml'));
    assert.ok(found.skipped.some((s) => s.relPath === 'kustomize' && s.code === 'gitignore'));
  });
});
