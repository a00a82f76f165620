import * as assert from 'node:assert/strict';
import { writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../src/engine/engine';
import { parseTerraform } from '../../src/engine/parsers/terraform';
import { roleFiles, roleTasks } from '../../src/engine/rules/ansible/ansibleUtil';
import { writeWorkspace } from './helpers';

// Issue 18 (scale): answers the engine now works out once (comments of an error-free Terraform
// tree found by a tree-sitter query; role folders once per index generation) must be the ones
// the per-call code gave.
describe('scale: cached per-file work gives the same answers', () => {
  let engine: Engine;
  let root: string;
  before(async () => {
    root = await writeWorkspace({
      'site.yml': '- hosts: web\n  roles:\n    - app\n',
      'roles/app/tasks/main.yml': '- name: Say hello\n  debug:\n    msg: hi\n',
    });
    engine = await Engine.create(root, { now: new Date('2026-11-25T00:00:00Z') });
  });

  it('finds every comment of an error-free Terraform file, in document order, as the tree walk does', () => {
    const text = [
      '# top',
      'resource "aws_s3_bucket" "b" { # after brace',
      '  bucket = "x" // slashes',
      '  tags = {',
      '    /* in object */ a = "1"',
      '  }',
      '  list = [1, # in tuple',
      '    2]',
      '}',
      '/* multi',
      '   line */',
      '',
    ].join('\n');
    const clean = parseTerraform(text);
    assert.deepEqual(clean.errors, []);
    const expected = [
      ['# top', 0],
      ['# after brace', 1],
      ['// slashes', 2],
      ['/* in object */', 4],
      ['# in tuple', 6],
      ['/* multi\n   line */', 9],
    ];
    assert.deepEqual(clean.comments.map((c) => [c.text, c.line]), expected);
    // The same comments where a syntax error sends the parser down the tree walk.
    const broken = parseTerraform(text + 'resource "x" {\n');
    assert.ok(broken.errors.length > 0);
    assert.deepEqual(broken.comments.map((c) => [c.text, c.line]), expected);
  });

  it('sees a task file added to a role after the first question (role folders follow the index)', async () => {
    const site = path.posix.join(engine.index.root, 'site.yml');
    assert.deepEqual(roleFiles(engine.index, 'app', site).map((f) => f.relPath), ['roles/app/tasks/main.yml']);
    assert.equal(roleTasks(engine.index, 'app', site).length, 1);
    const extra = path.join(root, 'roles/app/tasks/restart.yml');
    mkdirSync(path.dirname(extra), { recursive: true });
    const text = '- name: Restart app\n  service:\n    name: app\n    state: restarted\n';
    writeFileSync(extra, text);
    await engine.update(extra, text);
    assert.deepEqual(roleFiles(engine.index, 'app', site).map((f) => f.relPath), ['roles/app/tasks/main.yml', 'roles/app/tasks/restart.yml']);
    assert.equal(roleTasks(engine.index, 'app', site).length, 2);
    // A caller that changes the list it got does not change the next answer.
    roleFiles(engine.index, 'app', site).pop();
    assert.equal(roleFiles(engine.index, 'app', site).length, 2);
  });
});
