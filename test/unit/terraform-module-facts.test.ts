import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { lintFixture } from './helpers';

// The module-wide facts waf-missing, tls-missing and unencrypted-storage read are gathered once per
// module and index generation: an edit to another file of the module must be seen by the next lint.

const lines = (...l: string[]) => l.join('\n') + '\n';

describe('terraform module facts (cached per module and index generation)', () => {
  const main = lines('resource "aws_lb" "public" {', '  name = "public"', '}', 'resource "aws_ebs_volume" "data" {', '  size = 10', '}');
  const guard = lines(
    'resource "aws_wafv2_web_acl_association" "lb" {',
    '  resource_arn = aws_lb.public.arn',
    '}',
    'resource "aws_ebs_encryption_by_default" "on" {',
    '  enabled = true',
    '}',
  );

  it('sees another file of the module change between two lints, and the linted file itself from its own parse', async () => {
    const res = await lintFixture({ 'prod/main.tf': main, 'prod/guard.tf': guard });
    try {
      const mainPath = path.join(res.root, 'prod/main.tf');
      const ids = () => res.engine.lintFile(mainPath).map((f) => f.ruleId).filter((id) => id === 'terraform/waf-missing' || id === 'terraform/unencrypted-storage').sort();
      assert.deepEqual(ids(), [], 'the association and the account default in guard.tf cover main.tf');
      await res.engine.update(path.join(res.root, 'prod/guard.tf'), lines('resource "aws_wafv2_web_acl_association" "lb" {', '  resource_arn = aws_lb.public.arn', '}'));
      assert.deepEqual(ids(), ['terraform/unencrypted-storage'], 'the account default is gone from the module');
      await res.engine.update(path.join(res.root, 'prod/guard.tf'), lines('locals {}'));
      assert.deepEqual(ids(), ['terraform/unencrypted-storage', 'terraform/waf-missing']);
      // The association moved into the linted file itself (an edit not yet seen by other files).
      await res.engine.update(mainPath, main + guard);
      assert.deepEqual(ids(), []);
    } finally {
      res.dispose();
    }
  });
});

describe('terraform/tags-missing provider defaults (module facts and the repository cache, per index generation)', () => {
  const provider = (...keys: string[]) =>
    lines('provider "aws" {', '  region = "eu-west-1"', '  default_tags {', '    tags = {', ...keys.map((k) => `      ${k} = "x"`), '    }', '  }', '}');
  const main = lines('resource "aws_sqs_queue" "jobs" {', '  name = "jobs"', '  tags = { service = "jobs" }', '}');

  it('follows an edit of the provider file of the module', async () => {
    const res = await lintFixture({ 'prod/main.tf': main, 'prod/providers.tf': provider('owner', 'environment') });
    try {
      const mainPath = path.join(res.root, 'prod/main.tf');
      const tags = () => res.engine.lintFile(mainPath).filter((f) => f.ruleId === 'terraform/tags-missing').map((f) => f.message);
      assert.deepEqual(tags(), []);
      await res.engine.update(path.join(res.root, 'prod/providers.tf'), provider('owner'));
      const after = tags();
      assert.equal(after.length, 1);
      assert.match(after[0], /aws_sqs_queue\.jobs is missing required tag `environment`/);
    } finally {
      res.dispose();
    }
  });
});
