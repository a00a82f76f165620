import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadFixture } from './fixtureFiles';
import { applyFix, findingsFor, lintFixture, rangeOf } from './helpers';

const lines = (...ls: string[]): string => ls.join('\n') + '\n';

/** A root module's provider file: default_tags with the given keys. */
const provider = (...keys: string[]): string =>
  lines('provider "aws" {', '  region = "eu-west-1"', '', '  default_tags {', '    tags = {', ...keys.map((k) => `      ${k} = "x"`), '    }', '  }', '}');

describe('terraform rules', () => {
  describe('on a multi-environment repository (test/fixtures/terraform)', () => {
    it('reports exactly the expected findings at exact ranges', async () => {
      const res = await lintFixture(loadFixture('terraform'));
      const got = res.findings
        .filter((f) => f.ruleId.startsWith('terraform/'))
        .map((f) => `${path.posix.relative(res.engine.index.root, f.path)} ${f.ruleId} ${f.severity} ${rangeOf(f).join(',')}`)
        .sort();
      assert.deepEqual(got, [
        'envs/prod/database.tf terraform/backup-missing warning 15,9,15,38',
        'envs/prod/database.tf terraform/hardcoded-secret error 21,24,21,38',
        'envs/prod/database.tf terraform/prevent-destroy-missing info 15,9,15,38',
        'envs/prod/database.tf terraform/prevent-destroy-missing info 27,9,27,35',
        'envs/prod/database.tf terraform/tags-missing warning 27,9,27,35',
        'envs/prod/database.tf terraform/unencrypted-storage warning 15,9,15,38',
        'envs/prod/database.tf terraform/unencrypted-storage warning 27,9,27,35',
        'envs/prod/iam.tf terraform/iam-wildcard error 29,19,29,22',
        'envs/prod/iam.tf terraform/iam-wildcard error 39,17,39,23',
        'envs/prod/iam.tf terraform/iam-wildcard error 75,20,75,27',
        'envs/prod/main.tf terraform/module-unpinned warning 25,11,25,42',
        'envs/prod/main.tf terraform/module-unpinned warning 32,11,32,86',
        'envs/prod/network.tf terraform/open-ingress error 19,24,19,30',
        'envs/prod/network.tf terraform/open-ingress error 38,23,38,34',
        'envs/prod/network.tf terraform/open-ingress error 52,22,52,33',
        'envs/prod/terraform.tfvars terraform/hardcoded-secret error 2,18,2,52',
        'envs/prod/versions.tf terraform/provider-unpinned warning 8,4,8,10',
        // envs/staging has no backend (terraform/backend-missing is in the `all` profile, which
        // lintFixture runs; off by default, see test/unit/cli.test.ts).
        'envs/staging/main.tf terraform/backend-missing warning 0,0,0,9',
        // No prevent-destroy-missing on envs/staging's aws_s3_bucket.assets: without
        // `force_destroy = true` the provider refuses to delete a bucket that holds objects.
        'envs/staging/main.tf terraform/public-bucket error 22,11,22,24',
        'envs/staging/main.tf terraform/public-bucket error 38,18,38,21',
        'envs/staging/main.tf terraform/tags-missing warning 49,2,49,6',
        // No unencrypted-storage on envs/staging's bucket: S3 encrypts with SSE-S3 by default.
        'modules/queue/main.tf terraform/tags-missing warning 4,9,4,31',
        // No prevent-destroy-missing on modules/storage: it is a reusable module (envs/prod calls
        // it) and `lifecycle` cannot take a variable, so it cannot act on it (issue 7).
      ]);
    });

    it('resolves tags through callers, aliased providers and providers = { aws = aws.dr }', async () => {
      const res = await lintFixture(loadFixture('terraform'), { rule: 'terraform/tags-missing' });
      // The bucket's `tags = var.tags` gets `service` from both callers; owner/environment come from
      // the default provider (module "receipts") and from aws.dr (module "receipts_replica").
      assert.deepEqual(findingsFor(res, 'modules/storage/main.tf'), []);
      const [queue] = findingsFor(res, 'modules/queue/main.tf');
      assert.match(queue.message, /aws_sqs_queue\.this is missing required tag `service` \(provider default_tags supply owner, environment\)/);
      // Tag keys are case-sensitive: `Owner` is not `owner`.
      const [bastion] = findingsFor(res, 'envs/staging/main.tf');
      assert.match(bastion.message, /aws_instance\.bastion is missing required tag `owner`/);
    });
  });

  describe('terraform/tags-missing', () => {
    const rule = 'terraform/tags-missing';

    it('adds a tags block, indented like the resource, and the result passes', async () => {
      const main = lines('resource "aws_sqs_queue" "events" {', '  name = "checkout-events"', '}');
      const res = await lintFixture({ 'providers.tf': provider('owner', 'environment'), 'main.tf': main }, { rule });
      const [f] = findingsFor(res, 'main.tf');
      assert.deepEqual(rangeOf(f), [0, 9, 0, 33]);
      const fixed = applyFix(main, f.fixes![0]);
      assert.equal(fixed, lines('resource "aws_sqs_queue" "events" {', '  name = "checkout-events"', '  tags = {', '    service = "TODO"', '  }', '}'));
      const again = await lintFixture({ 'providers.tf': provider('owner', 'environment'), 'main.tf': fixed }, { rule });
      assert.deepEqual(again.findings, []);
    });

    it('adds keys to a multi-line object, to the literal of merge(), and wraps a local', async () => {
      const main = lines(
        'locals {',
        '  common = { team = "payments" }',
        '}',
        '',
        'resource "aws_sns_topic" "a" {',
        '\ttags = {',
        '\t\tName = "a"',
        '\t}',
        '}',
        '',
        'resource "aws_sns_topic" "b" {',
        '\ttags = merge(local.common, { Name = "b" })',
        '}',
        '',
        'resource "aws_sns_topic" "c" {',
        '\ttags = local.common',
        '}',
      );
      // One resource elsewhere carries the keys: the repository follows the convention, so each
      // resource that does not is reported (else the convention pass reports it once).
      const owned = 'resource "aws_sns_topic" "d" {\n  tags = { owner = "x", service = "y" }\n}\n';
      const res = await lintFixture({ 'providers.tf': provider('environment'), 'main.tf': main, 'owned.tf': owned }, { rule });
      const fs = findingsFor(res, 'main.tf');
      assert.deepEqual(fs.map(rangeOf), [
        [5, 1, 5, 5],
        [11, 1, 11, 5],
        [15, 1, 15, 5],
      ]);
      assert.match(fs[0].message, /missing required tags `owner`, `service` \(provider default_tags supply environment\)/);
      assert.equal(applyFix(main, fs[0].fixes![0]), main.replace('\t\tName = "a"\n', '\t\tName = "a"\n\t\towner = "TODO"\n\t\tservice = "TODO"\n'));
      assert.equal(applyFix(main, fs[1].fixes![0]), main.replace('{ Name = "b" }', '{ Name = "b", owner = "TODO", service = "TODO" }'));
      assert.equal(applyFix(main, fs[2].fixes![0]), main.replace('tags = local.common\n', 'tags = merge(local.common, { owner = "TODO", service = "TODO" })\n'));
    });

    it('uses the aliased provider a resource selects', async () => {
      const providers = lines(
        'provider "aws" {',
        '  region = "eu-west-1"',
        '}',
        '',
        'provider "aws" {',
        '  alias  = "us"',
        '  region = "us-east-1"',
        '  default_tags {',
        '    tags = { owner = "payments", environment = "prod", service = "checkout" }',
        '  }',
        '}',
      );
      const main = lines(
        'resource "aws_acm_certificate" "cdn" {',
        '  provider    = aws.us',
        '  domain_name = "pay.acme.example"',
        '}',
        '',
        'resource "aws_acm_certificate" "api" {',
        '  domain_name = "api.acme.example"',
        '}',
      );
      const res = await lintFixture({ 'providers.tf': providers, 'main.tf': main }, { rule });
      assert.deepEqual(findingsFor(res, 'main.tf').map((f) => f.range.start.line), [5]);
    });

    it('is silent when the keys cannot be resolved, and on resources of a reusable module that pass var.tags through', async () => {
      const res = await lintFixture(
        {
          'root/providers.tf': provider('owner', 'environment'),
          'root/variables.tf': lines('variable "tags" {', '  type = map(string)', '}'),
          'root/main.tf': lines(
            'resource "aws_sqs_queue" "a" {',
            '  tags = var.tags',
            '}',
            'resource "aws_sqs_queue" "b" {',
            '  tags = merge(var.tags, { service = "x" })',
            '}',
            'resource "aws_sqs_queue" "c" {',
            '  tags = { for k, v in local.x : k => v }',
            '}',
            'resource "aws_sqs_queue" "d" {',
            '  tags = { (var.key) = "x", owner = "y" }',
            '}',
            'resource "aws_sqs_queue" "e" {',
            '  dynamic "tags" {',
            '    for_each = []',
            '    content {}',
            '  }',
            '}',
          ),
          // A reusable module (published elsewhere): callers we cannot see supply the provider.
          'modules/reusable/main.tf': lines(
            'variable "tags" {',
            '  type    = map(string)',
            '  default = {}',
            '}',
            'resource "aws_sqs_queue" "q" {',
            '  tags = var.tags',
            '}',
            'resource "aws_sqs_queue" "untagged" {}',
          ),
          // Not taggable: no finding whatever the provider.
          'root/iam.tf': lines('resource "aws_iam_role_policy_attachment" "x" {', '  role       = "r"', '  policy_arn = "arn"', '}'),
        },
        { rule },
      );
      // The one finding: a reusable module's resource that drops the module's `var.tags`, so
      // callers' tags cannot reach it (issue 7); `q` passes it through and is the callers' concern.
      assert.deepEqual(
        res.findings.map((f) => `${path.posix.relative(res.engine.index.root, f.path)}:${f.range.start.line} ${f.message}`),
        ["modules/reusable/main.tf:7 aws_sqs_queue.untagged sets no `tags` and ignores the module's `var.tags`, so the tags callers pass never reach it and it lacks `owner`, `environment`, `service`; set `tags = var.tags`."],
      );
    });

    it('uses .tfvars values and variable defaults in a root module', async () => {
      const res = await lintFixture(
        {
          'providers.tf': provider('owner'),
          'variables.tf': lines('variable "tags" {', '  default = { environment = "dev" }', '}', 'variable "svc" {', '  default = { service = "x" }', '}'),
          'terraform.tfvars': lines('tags = { environment = "prod", service = "checkout" }'),
          'main.tf': lines('resource "aws_sqs_queue" "a" {', '  tags = var.tags', '}', 'resource "aws_sqs_queue" "b" {', '  tags = var.svc', '}'),
        },
        { rule },
      );
      const fs = findingsFor(res, 'main.tf');
      assert.equal(fs.length, 1);
      assert.match(fs[0].message, /aws_sqs_queue\.b is missing required tag `environment`/);
    });

    it('needs every caller to supply a key, and does not guess through an unknown provider mapping', async () => {
      const child = lines('resource "aws_sqs_queue" "q" {', '  name = "q"', '}');
      const two = await lintFixture(
        {
          'a/main.tf': provider('owner', 'environment', 'service') + lines('module "q" {', '  source = "../modules/q"', '}'),
          'b/main.tf': provider('owner', 'environment') + lines('module "q" {', '  source = "../modules/q"', '}'),
          'modules/q/main.tf': child,
        },
        { rule },
      );
      const [f] = findingsFor(two, 'modules/q/main.tf');
      assert.match(f.message, /missing required tag `service` \(provider default_tags supply owner, environment\)/);

      const mapped = await lintFixture(
        {
          'a/main.tf': provider('owner') + lines('module "q" {', '  source = "../modules/q"', '  providers = {', '    aws = aws.other', '  }', '}'),
          'modules/q/main.tf': child,
        },
        { rule },
      );
      assert.deepEqual(mapped.findings, []);
    });

    it('checks Azure tags and Google labels, with Google default_labels', async () => {
      const res = await lintFixture(
        {
          'azure/main.tf': lines(
            'provider "azurerm" {',
            '  features {}',
            '}',
            'resource "azurerm_resource_group" "checkout" {',
            '  name     = "checkout"',
            '  location = "westeurope"',
            '  tags = {',
            '    owner = "payments"',
            '  }',
            '}',
          ),
          'gcp/main.tf': lines(
            'provider "google" {',
            '  project        = "acme-pay"',
            '  default_labels = { owner = "payments", environment = "prod" }',
            '}',
            'resource "google_storage_bucket" "receipts" {',
            '  name     = "acme-pay-receipts"',
            '  location = "EU"',
            '}',
            'resource "google_pubsub_topic" "events" {',
            '  name   = "events"',
            '  labels = { service = "checkout" }',
            '}',
          ),
        },
        { rule },
      );
      const az = findingsFor(res, 'azure/main.tf');
      assert.deepEqual(az.map(rangeOf), [[6, 2, 6, 6]]);
      assert.match(az[0].message, /missing required tags `environment`, `service`/);
      const gcp = findingsFor(res, 'gcp/main.tf');
      assert.deepEqual(gcp.map(rangeOf), [[4, 9, 4, 43]]);
      assert.match(gcp[0].message, /missing required label `service`/);
      assert.match(gcp[0].fixes![0].edits[0].newText, /labels = \{\n {4}service = "TODO"\n {2}\}/);
    });

    it('re-checks child-module files when the calling root module or its provider changes', async () => {
      const files = {
        'envs/prod/providers.tf': provider('owner', 'environment'),
        'envs/prod/main.tf': lines('module "app" {', '  source = "../../modules/app"', '}'),
        'modules/app/main.tf': lines('module "queue" {', '  source = "../queue"', '}'),
        'modules/queue/main.tf': lines('resource "aws_sqs_queue" "q" {', '  name = "q"', '}'),
      };
      const res = await lintFixture(files, { rule });
      const queue = path.posix.join(res.engine.index.root, 'modules/queue/main.tf');
      assert.equal(res.engine.lintFile(queue).length, 1);
      // Editing the provider file (two module levels up) re-lints the grandchild module.
      const providerPath = path.posix.join(res.engine.index.root, 'envs/prod/providers.tf');
      const change = await res.engine.update(providerPath, provider('owner', 'environment', 'service'));
      assert.ok(change.relint.includes(queue), 'the grandchild module is re-linted');
      assert.deepEqual(res.engine.lintFile(queue), []);
      // Removing the module call re-lints the module it used to call (now nobody calls it: silent).
      const mainPath = path.posix.join(res.engine.index.root, 'envs/prod/main.tf');
      writeFileSync(mainPath, '');
      const removed = await res.engine.update(mainPath, '# no modules\n');
      assert.ok(removed.relint.includes(path.posix.join(res.engine.index.root, 'modules/app/main.tf')));
      assert.ok(removed.relint.includes(queue));
    });
  });

  describe('terraform/open-ingress', () => {
    const rule = 'terraform/open-ingress';
    it('flags SSH, port ranges, all protocols and IPv6, and honours allowedIngressPorts', async () => {
      const text = lines(
        'resource "aws_security_group" "bastion" {',
        '  ingress {',
        '    from_port   = 22',
        '    to_port     = 22',
        '    protocol    = "tcp"',
        '    cidr_blocks = ["10.0.0.0/8", "0.0.0.0/0"]',
        '  }',
        '  ingress {',
        '    from_port   = 443',
        '    to_port     = 443',
        '    protocol    = "tcp"',
        '    cidr_blocks = ["0.0.0.0/0"]',
        '  }',
        '  ingress {',
        '    from_port   = 0',
        '    to_port     = 0',
        '    protocol    = "-1"',
        '    cidr_blocks = ["0.0.0.0/0"]',
        '  }',
        '  ingress {',
        '    from_port   = 8',
        '    to_port     = 0',
        '    protocol    = "icmp"',
        '    cidr_blocks = ["0.0.0.0/0"]',
        '  }',
        '  ingress {',
        '    from_port   = 22',
        '    to_port     = 22',
        '    protocol    = "tcp"',
        '    cidr_blocks = var.admin_cidrs',
        '  }',
        '}',
        'resource "aws_security_group_rule" "range" {',
        '  type        = "ingress"',
        '  from_port   = 80',
        '  to_port     = 443',
        '  protocol    = "tcp"',
        '  cidr_blocks = ["0.0.0.0/0"]',
        '}',
        'resource "aws_security_group_rule" "egress" {',
        '  type        = "egress"',
        '  from_port   = 0',
        '  to_port     = 65535',
        '  protocol    = "tcp"',
        '  cidr_blocks = ["0.0.0.0/0"]',
        '}',
        'resource "aws_vpc_security_group_ingress_rule" "rdp6" {',
        '  cidr_ipv6   = "::/0"',
        '  from_port   = 3389',
        '  to_port     = 3389',
        '  ip_protocol = "tcp"',
        '}',
      );
      const res = await lintFixture({ 'sg.tf': text }, { rule });
      const fs = findingsFor(res, 'sg.tf');
      assert.deepEqual(fs.map(rangeOf), [
        [5, 33, 5, 44],
        [17, 19, 17, 30],
        [37, 17, 37, 28],
        [47, 16, 47, 22],
      ]);
      assert.match(fs[0].message, /aws_security_group\.bastion allows ingress from 0\.0\.0\.0\/0 on port 22/);
      assert.match(fs[1].message, /on all ports/);
      assert.match(fs[2].message, /on ports 80-443/);
      // 22 allowed by config; the 80-443 range is still not only allowed ports
      const cfg = await lintFixture({ 'sg.tf': text }, { rule, config: { terraform: { allowedIngressPorts: [22, 443, 3389] } } });
      assert.deepEqual(findingsFor(cfg, 'sg.tf').map((f) => f.range.start.line), [17, 37]);
    });
  });

  describe('terraform/public-bucket', () => {
    const rule = 'terraform/public-bucket';
    it('flags public ACLs, public policies in heredoc JSON and policy documents, not conditioned or private ones', async () => {
      const text = lines(
        'resource "aws_s3_bucket" "site" {',
        '  bucket = "acme-pay-site"',
        '  acl    = "public-read-write"',
        '  policy = <<EOF',
        '{',
        '  "Version": "2012-10-17",',
        '  "Statement": [',
        '    {',
        '      "Effect": "Allow",',
        '      "Principal": {"AWS": "*"},',
        '      "Action": "s3:GetObject",',
        '      "Resource": "arn:aws:s3:::acme-pay-site/*"',
        '    }',
        '  ]',
        '}',
        'EOF',
        '}',
        'resource "aws_s3_bucket" "private" {',
        '  bucket = "acme-pay-private"',
        '  acl    = "private"',
        '}',
        'resource "aws_s3_bucket_policy" "doc" {',
        '  bucket = aws_s3_bucket.private.id',
        '  policy = data.aws_iam_policy_document.public.json',
        '}',
        'resource "aws_s3_bucket_policy" "vpce" {',
        '  bucket = aws_s3_bucket.private.id',
        '  policy = data.aws_iam_policy_document.vpce.json',
        '}',
      );
      const docs = lines(
        'data "aws_iam_policy_document" "public" {',
        '  statement {',
        '    actions   = ["s3:GetObject"]',
        '    resources = ["arn:aws:s3:::acme-pay-private/*"]',
        '    principals {',
        '      type        = "*"',
        '      identifiers = ["*"]',
        '    }',
        '  }',
        '}',
        'data "aws_iam_policy_document" "vpce" {',
        '  statement {',
        '    actions   = ["s3:GetObject"]',
        '    resources = ["arn:aws:s3:::acme-pay-private/*"]',
        '    principals {',
        '      type        = "AWS"',
        '      identifiers = ["*"]',
        '    }',
        '    condition {',
        '      test     = "StringEquals"',
        '      variable = "aws:SourceVpce"',
        '      values   = ["vpce-0a1b2c3d"]',
        '    }',
        '  }',
        '}',
      );
      const res = await lintFixture({ 'bucket.tf': text, 'policies.tf': docs }, { rule });
      const fs = findingsFor(res, 'bucket.tf');
      assert.deepEqual(fs.map(rangeOf), [
        [2, 11, 2, 30],
        [9, 27, 9, 30],
        // the document lives in policies.tf: the finding is on this file's `policy` value
        [23, 11, 23, 51],
      ]);
      assert.equal(findingsFor(res, 'policies.tf').length, 0);
    });
  });

  describe('terraform/tags-missing: the repository\'s own keys', () => {
    const rule = 'terraform/tags-missing';
    const tagged = (type: string, name: string, extra = '') => lines(`resource "${type}" "${name}" {`, `  name = "${name}"`, extra ? `  tags = merge(local.tags, { ${extra} })` : '  tags = local.tags', '}');
    const bare = (type: string, name: string) => lines(`resource "${type}" "${name}" {`, `  name = "${name}"`, '}');
    const files = (): Record<string, string> => ({
      'infra/main.tf': lines('provider "aws" {', '  region = "eu-west-2"', '}', 'locals {', '  tags = {', '    business-unit = "platforms"', '    application   = "ledger"', '    is-production = "true"', '  }', '}'),
      'infra/queues.tf': ['a', 'b', 'c'].map((n) => tagged('aws_sqs_queue', n)).join('') + tagged('aws_sns_topic', 'alerts', 'Name = "alerts"') + tagged('aws_sns_topic', 'audit'),
      'infra/buckets.tf': tagged('aws_s3_bucket', 'logs') + bare('aws_s3_bucket', 'exports'),
      'infra/iam.tf': ['deploy', 'reader', 'writer'].map((n) => bare('aws_iam_role', n)).join(''),
    });

    it('requires the keys most tagged resources carry when the repository uses none of the default ones', async () => {
      const res = await lintFixture(files(), { rule });
      const b = findingsFor(res, 'infra/buckets.tf');
      assert.equal(b.length, 1);
      assert.match(b[0].message, /aws_s3_bucket\.exports is missing required tags `application`, `business-unit`, `is-production`.*the repository's own keys: most of its 6 tagged resources carry them/);
      assert.doesNotMatch(b[0].message.split(";")[0], /`owner`/);
      assert.deepEqual(findingsFor(res, 'infra/queues.tf'), []);
      // Three IAM roles, none tagged while everything else is: one decision, one finding on the first.
      const iam = findingsFor(res, 'infra/iam.tf');
      assert.deepEqual(iam.map((f) => f.range.start.line), [0]);
      assert.match(iam[0].message, /^None of the 3 aws_iam_role resources in this repository carries the `application`, `business-unit`, `is-production` tags.*one decision/);
    });

    it('keeps configured keys: the repository\'s keys replace only the defaults', async () => {
      const res = await lintFixture(files(), { rule, config: { terraform: { requiredTags: ['cost-centre'] } } });
      // No resource carries it: one repository-level finding, on the first file.
      assert.deepEqual(res.findings.map((f) => f.message.slice(0, 82)), ['None of the 10 taggable resources in this repository carries the `cost-centre` tag']);
    });
  });

  describe('terraform/unencrypted-storage', () => {
    const rule = 'terraform/unencrypted-storage';
    it('sets encrypted = true (text for text), flips false, and accepts module-level S3 encryption', async () => {
      const text = lines(
        'resource "aws_ebs_volume" "data" {',
        '  availability_zone = "eu-west-1a"',
        '  size              = 100',
        '}',
        '',
        'resource "aws_rds_cluster" "ledger" {',
        '  engine            = "aurora-postgresql"',
        '  storage_encrypted = false',
        '}',
        '',
        'resource "aws_db_instance" "replica" {',
        '  replicate_source_db = aws_db_instance.main.identifier',
        '}',
        '',
        'resource "aws_s3_bucket" "logs" {',
        '  bucket = "acme-pay-logs"',
        '}',
      );
      const sse = lines(
        'resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {',
        '  bucket = aws_s3_bucket.logs.id',
        '  rule {',
        '    apply_server_side_encryption_by_default {',
        '      sse_algorithm = "aws:kms"',
        '    }',
        '  }',
        '}',
      );
      const res = await lintFixture({ 'storage.tf': text, 'encryption.tf': sse }, { rule });
      const fs = findingsFor(res, 'storage.tf');
      assert.deepEqual(fs.map(rangeOf), [
        [0, 9, 0, 32],
        [7, 2, 7, 27],
      ]);
      assert.equal(applyFix(text, fs[0].fixes![0]), text.replace('  size              = 100\n', '  size              = 100\n  encrypted = true\n'));
      assert.equal(applyFix(text, fs[1].fixes![0]), text.replace('storage_encrypted = false', 'storage_encrypted = true'));

      // Without the encryption configuration the bucket is encrypted anyway (SSE-S3 since January
      // 2023): nothing by default; an info when the team's policy asks for it to be declared.
      const bare = await lintFixture({ 'storage.tf': text }, { rule });
      assert.equal(findingsFor(bare, 'storage.tf').filter((f) => f.range.start.line === 14).length, 0);
      const declared = await lintFixture({ 'storage.tf': text }, { rule, config: { terraform: { s3EncryptionConfig: true } } });
      const s3 = findingsFor(declared, 'storage.tf').find((f) => f.range.start.line === 14)!;
      assert.equal(s3.severity, 'info');
      assert.match(s3.message, /SSE-S3/);
    });
  });

  describe('terraform/iam-wildcard', () => {
    it('points at the wildcard action; service wildcards only on Resource "*" in identity policies', async () => {
      const text = lines(
        'data "aws_iam_policy_document" "ci" {',
        '  statement {',
        '    actions   = ["ecr:GetAuthorizationToken", "*"]',
        '    resources = ["*"]',
        '  }',
        '  statement {',
        '    actions   = ["s3:*"]',
        '    resources = ["arn:aws:s3:::acme-pay-artifacts/*"]',
        '  }',
        '  statement {',
        '    not_actions = ["iam:*"]',
        '    resources   = ["*"]',
        '  }',
        '}',
        'resource "aws_iam_user_policy" "legacy" {',
        '  user   = "legacy"',
        '  policy = "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Action\\":\\"dynamodb:*\\",\\"Resource\\":\\"*\\"}]}"',
        '}',
      );
      const res = await lintFixture({ 'iam.tf': text }, { rule: 'terraform/iam-wildcard' });
      const fs = findingsFor(res, 'iam.tf');
      assert.deepEqual(fs.map(rangeOf), [
        [2, 46, 2, 49],
        // a JSON string with escapes: the finding covers the string
        [16, 11, 16, 125],
      ]);
      assert.match(fs[1].message, /every dynamodb action \("dynamodb:\*"\)/);
    });

    it('reports a statement once, however many service wildcards it lists; honours tfsec/trivy/checkov waivers; skips deprecated modules', async () => {
      const doc = (name: string, ...before: string[]) =>
        lines(
          ...before,
          `data "aws_iam_policy_document" "${name}" {`,
          '  statement {',
          '    actions = [',
          '      "ec2:*",',
          '      "elasticloadbalancing:*",',
          '      "route53:*",',
          '      "sts:GetCallerIdentity",',
          '    ]',
          '    resources = ["*"]',
          '  }',
          '  statement {',
          '    actions   = ["s3:*"]',
          '    resources = ["*"]',
          '  }',
          '}',
        );
      const rule = 'terraform/iam-wildcard';
      const res = await lintFixture({ 'iam.tf': doc('nodes') }, { rule });
      const fs = findingsFor(res, 'iam.tf');
      assert.deepEqual(fs.map(rangeOf), [
        [3, 6, 3, 13],
        [11, 17, 11, 23],
      ]);
      assert.match(fs[0].message, /every action of 3 services \("ec2:\*", "elasticloadbalancing:\*", "route53:\*"\) on every resource/);
      // The statement still fires when one of its wildcards is gone (an actionable finding stays).
      const waived = await lintFixture(
        {
          'tfsec.tf': doc('a', '#tfsec:ignore:aws-iam-no-policy-wildcards'),
          'trivy.tf': doc('b', '#trivy:ignore:AVD-AWS-0345: member accounts need S3'),
          'checkov.tf': doc('c').replace('  statement {\n', '  #checkov:skip=CKV_AWS_356: needs many resources\n  statement {\n'),
          'checkov2.tf': doc('d').replace('  statement {\n', '  #checkov:skip=CKV_AWS_290\n  statement {\n'),
          'deprecated/aws/executor/main.tf': doc('e'),
        },
        { rule },
      );
      for (const f of ['tfsec.tf', 'trivy.tf', 'checkov.tf', 'checkov2.tf', 'deprecated/aws/executor/main.tf']) assert.deepEqual(findingsFor(waived, f), [], f);
    });
  });

  describe('terraform/hardcoded-secret', () => {
    const rule = 'terraform/hardcoded-secret';
    it('flags literal secrets in arguments, nested maps, jsonencode and variable defaults, not references or non-secrets', async () => {
      const text = lines(
        'provider "aws" {',
        '  access_key = "AKIAZ7Q2M4N6P8R3T5VX"',
        '}',
        'variable "db_password" {',
        '  default   = "hunter2hunter2"',
        '  sensitive = true',
        '}',
        'resource "aws_secretsmanager_secret_version" "api" {',
        '  secret_id     = aws_secretsmanager_secret.api.id',
        '  secret_string = jsonencode({ username = "checkout", password = "p@ssw0rd-2024" })',
        '}',
        'resource "aws_lambda_function" "fn" {',
        '  function_name = "fn"',
        '  environment {',
        '    variables = {',
        '      STRIPE_API_KEY = "sk_live_51Habc"',
        '      DB_PASSWORD    = var.db_password',
        '      TOKEN_URL      = "https://auth.acme.example/token"',
        '    }',
        '  }',
        '}',
        'resource "random_password" "db" {',
        '  length           = 32',
        '  special          = true',
        '  override_special = "!#$%"',
        '}',
        'resource "aws_db_instance" "db" {',
        '  password                    = random_password.db.result',
        '  manage_master_user_password = true',
        '  master_user_secret_kms_key_id = "arn:aws:kms:eu-west-1:123:key/abc"',
        '}',
        'resource "aws_iam_user_login_profile" "x" {',
        '  password_length = 20',
        '  password_reset_required = true',
        '}',
        'resource "aws_rds_cluster" "c" {',
        '  master_password = "${var.prefix}-pw"',
        '  secret_name     = "checkout/db"',
        '  token           = ""',
        '}',
      );
      const res = await lintFixture({ 'main.tf': text }, { rule });
      assert.deepEqual(findingsFor(res, 'main.tf').map(rangeOf), [
        [1, 15, 1, 37],
        [4, 14, 4, 30],
        [9, 65, 9, 80],
        [15, 23, 15, 39],
      ]);
    });
  });

  describe('terraform/prevent-destroy-missing', () => {
    const rule = 'terraform/prevent-destroy-missing';
    it('adds a lifecycle block, flips deletion_protection = false, accepts protection', async () => {
      const text = lines(
        'resource "aws_dynamodb_table" "sessions" {',
        '  name     = "sessions"',
        '  hash_key = "id"',
        '}',
        '',
        'resource "aws_rds_cluster" "ledger" {',
        '  deletion_protection = false',
        '}',
        '',
        'resource "aws_kms_key" "k" {',
        '  deletion_window_in_days = 30',
        '}',
        '',
        'resource "aws_db_instance" "ok" {',
        '  deletion_protection = true',
        '}',
        '',
        'resource "aws_s3_bucket" "ok" {',
        '  lifecycle {',
        '    prevent_destroy = true',
        '  }',
        '}',
        '',
        'resource "google_sql_database_instance" "default_protected" {',
        '  name = "x"',
        '}',
        '',
        'resource "aws_sqs_queue" "stateless_enough" {}',
      );
      const res = await lintFixture({ 'main.tf': text }, { rule });
      const fs = findingsFor(res, 'main.tf');
      assert.deepEqual(fs.map(rangeOf), [
        [0, 9, 0, 40],
        [5, 9, 5, 35],
        [9, 9, 9, 26],
      ]);
      assert.equal(
        applyFix(text, fs[0].fixes![0]),
        text.replace('  hash_key = "id"\n}', '  hash_key = "id"\n\n  lifecycle {\n    prevent_destroy = true\n  }\n}'),
      );
      assert.equal(fs[1].fixes![0].title, 'Set deletion_protection = true');
      assert.equal(applyFix(text, fs[1].fixes![0]), text.replace('deletion_protection = false', 'deletion_protection = true'));
      assert.match(fs[2].message, /aws_kms_key\.k holds state/);
    });

    it('counts the provider\'s deletion guards per type: force_destroy and delete_contents_on_destroy unset or false, a final snapshot where there is no protection switch', async () => {
      const text = lines(
        'resource "aws_s3_bucket" "kept" {',
        '  bucket = "a"',
        '}',
        'resource "aws_s3_bucket" "guarded" {',
        '  force_destroy = false',
        '}',
        'resource "aws_s3_bucket" "decided_elsewhere" {',
        '  force_destroy = var.force_destroy',
        '}',
        'resource "aws_s3_bucket" "emptied" {',
        '  force_destroy = true',
        '}',
        'resource "google_storage_bucket" "emptied" {',
        '  force_destroy = true',
        '}',
        'resource "google_storage_bucket" "build_cache_pr" {',
        '  force_destroy = true',
        '}',
        'resource "aws_s3_bucket" "uploads" {',
        '  bucket        = "acme-tmp-uploads"',
        '  force_destroy = true',
        '}',
        'resource "google_bigquery_dataset" "kept" {',
        '  delete_contents_on_destroy = false',
        '}',
        'resource "google_bigquery_dataset" "emptied" {',
        '  delete_contents_on_destroy = true',
        '}',
        'resource "aws_redshift_cluster" "snapshotted" {',
        '  skip_final_snapshot       = false',
        '  final_snapshot_identifier = "wh-final"',
        '}',
        'resource "aws_redshift_cluster" "skipped" {',
        '  skip_final_snapshot = true',
        '  final_snapshot_identifier = "wh-final"',
        '}',
        'resource "aws_ebs_volume" "snapshotted" {',
        '  final_snapshot = true',
        '}',
        'resource "aws_db_instance" "snapshot_is_not_protection" {',
        '  skip_final_snapshot       = false',
        '  final_snapshot_identifier = "db-final"',
        '}',
      );
      const res = await lintFixture({ 'main.tf': text }, { rule });
      const fs = findingsFor(res, 'main.tf');
      assert.deepEqual(fs.map((f) => /^(\S+) holds/.exec(f.message)?.[1]), [
        'aws_s3_bucket.emptied', 'google_storage_bucket.emptied', 'google_bigquery_dataset.emptied', 'aws_redshift_cluster.skipped', 'aws_db_instance.snapshot_is_not_protection',
      ]);
      assert.match(fs[0].message, /`force_destroy = true` deletes it/);
      assert.equal(fs[0].fixes![0].title, 'Set force_destroy = false');
      assert.equal(applyFix(text, fs[0].fixes![0]), text.replace('  force_destroy = true\n}\nresource "google', '  force_destroy = false\n}\nresource "google'));
    });
  });

  describe('terraform/module-unpinned', () => {
    it('flags git sources without a ref or with a branch, and registry modules without a version', async () => {
      const text = lines(
        'module "a" {',
        '  source = "git::https://github.com/acme-pay/tf-modules.git//vpc"',
        '}',
        'module "b" {',
        '  source = "github.com/acme-pay/tf-iam?ref=master"',
        '}',
        'module "c" {',
        '  source = "git@github.com:acme-pay/tf-dns.git"',
        '}',
        'module "d" {',
        '  source = "app.terraform.io/acme-pay/rds/aws"',
        '}',
        'module "ok_sha" {',
        '  source = "git::ssh://git@github.com/acme-pay/tf.git?ref=5f3c2a1b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b"',
        '}',
        'module "ok_tag" {',
        '  source = "github.com/acme-pay/tf-iam//roles?ref=v1.4.0"',
        '}',
        'module "ok_registry" {',
        '  source  = "terraform-aws-modules/s3-bucket/aws"',
        '  version = "~> 4.1"',
        '}',
        'module "ok_local" {',
        '  source = "../modules/x"',
        '}',
        'module "ok_archive" {',
        '  source = "https://artifacts.acme.example/tf/vpc-1.2.0.zip"',
        '}',
      );
      const res = await lintFixture({ 'main.tf': text }, { rule: 'terraform/module-unpinned' });
      const fs = findingsFor(res, 'main.tf');
      assert.deepEqual(
        fs.map((f) => f.range.start.line),
        [1, 4, 7, 10],
      );
      assert.match(fs[1].message, /`ref=master`, a branch that moves/);
      assert.match(fs[3].message, /without a `version`/);
    });
  });

  describe('terraform/provider-unpinned', () => {
    it('flags required_providers entries without a version, on the entry name', async () => {
      const text = lines(
        'terraform {',
        '  required_providers {',
        '    aws = {',
        '      source  = "hashicorp/aws"',
        '      version = ">= 5.0, < 6.0"',
        '    }',
        '    datadog = {',
        '      source = "DataDog/datadog"',
        '    }',
        '    random = "~> 3.6"',
        '  }',
        '}',
      );
      const res = await lintFixture({ 'versions.tf': text }, { rule: 'terraform/provider-unpinned' });
      const fs = findingsFor(res, 'versions.tf');
      assert.deepEqual(fs.map(rangeOf), [[6, 4, 6, 11]]);
      assert.match(fs[0].message, /`datadog` \(DataDog\/datadog\)/);
    });
  });
});
