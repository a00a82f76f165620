import * as assert from 'node:assert/strict';
import { findingsFor, lintFixture } from './helpers';

// Issue 15, round 3 held-out half: classes of noise in the Terraform rules, each with a
// look-alike of the layout it was seen on.

const lines = (...l: string[]): string => l.join('\n') + '\n';

describe('r3 precision: terraform/provider-unpinned on local child modules', function () {
  this.timeout(30000);
  const child = lines('terraform {', '  required_providers {', '    pagerduty = { source = "pagerduty/pagerduty" }', '  }', '}', 'resource "pagerduty_schedule" "s" {}');

  it('is silent on a child module whose calling root pins the provider or commits its lock file, and still reports the root and an uncalled module', async () => {
    const res = await lintFixture(
      {
        'oncall/main.tf': lines(
          'terraform {',
          '  required_providers {',
          '    pagerduty = { source = "pagerduty/pagerduty", version = "3.28.1" }',
          '  }',
          '}',
          'provider "pagerduty" {}',
          'module "team" {',
          '  source = "./modules/team"',
          '}',
        ),
        'oncall/modules/team/providers.tf': child,
        'dns/.terraform.lock.hcl': lines('provider "registry.terraform.io/pagerduty/pagerduty" {', '  version = "3.28.1"', '}'),
        'dns/main.tf': lines('provider "pagerduty" {}', 'module "sched" {', '  source = "../shared/sched"', '}'),
        'shared/sched/providers.tf': child,
        'loose/main.tf': lines('provider "pagerduty" {}', 'module "x" {', '  source = "../lonely"', '}'),
        'lonely/providers.tf': child,
        'unpinned-root/main.tf': child + 'provider "pagerduty" {}\n',
      },
      { rule: 'terraform/provider-unpinned' },
    );
    assert.deepEqual(findingsFor(res, 'oncall/modules/team/providers.tf'), []);
    assert.deepEqual(findingsFor(res, 'shared/sched/providers.tf'), []);
    // Its caller neither pins nor commits a lock file: the child is the only place the version is said.
    assert.equal(findingsFor(res, 'lonely/providers.tf').length, 1);
    assert.equal(findingsFor(res, 'unpinned-root/main.tf').length, 1);
  });

  it('still reports a published module called only by its examples', async () => {
    const res = await lintFixture(
      {
        'main.tf': child,
        'examples/basic/main.tf': lines('terraform {', '  required_providers {', '    pagerduty = { source = "pagerduty/pagerduty", version = "~> 3.0" }', '  }', '}', 'module "m" {', '  source = "../.."', '}'),
      },
      { rule: 'terraform/provider-unpinned' },
    );
    assert.equal(findingsFor(res, 'main.tf').length, 1);
  });
});

describe('r3 precision: terraform/waf-missing on load balancers open only to listed networks', function () {
  this.timeout(30000);
  const lb = (sgs: string) =>
    lines('resource "aws_lb" "ops" {', '  internal           = false', '  load_balancer_type = "application"', `  security_groups    = ${sgs}`, '}');

  it('is silent when every security group admits only specific CIDR ranges or a prefix list, through a local module output too', async () => {
    const res = await lintFixture(
      {
        'office/lb.tf': lb('[aws_security_group.office.id, aws_security_group.vpn[0].id]'),
        'office/sg.tf': lines(
          'variable "office_cidrs" {',
          '  default = ["203.0.113.0/24"]',
          '}',
          'resource "aws_security_group" "office" {',
          '  ingress {',
          '    from_port   = 443',
          '    to_port     = 443',
          '    protocol    = "tcp"',
          '    cidr_blocks = var.office_cidrs',
          '  }',
          '}',
          'resource "aws_security_group" "vpn" {',
          '  count = 1',
          '}',
          'resource "aws_security_group_rule" "vpn" {',
          '  type              = "ingress"',
          '  security_group_id = aws_security_group.vpn[0].id',
          '  prefix_list_ids   = [data.aws_ec2_managed_prefix_list.cloudfront.id]',
          '  from_port         = 443',
          '  to_port           = 443',
          '  protocol          = "tcp"',
          '}',
        ),
        'stack/main.tf': lines('module "vpc" {', '  source = "../modules/vpc"', '}') + lb('[module.vpc.restricted_sg]'),
        'modules/vpc/sg.tf': lines(
          'resource "aws_security_group" "restricted" {}',
          'resource "aws_vpc_security_group_ingress_rule" "https" {',
          '  for_each          = toset(var.restricted_cidrs)',
          '  security_group_id = aws_security_group.restricted.id',
          '  cidr_ipv4         = each.key',
          '}',
          'variable "restricted_cidrs" {',
          '  type = list(string)',
          '}',
          'output "restricted_sg" {',
          '  value = aws_security_group.restricted.id',
          '}',
        ),
      },
      { rule: 'terraform/waf-missing' },
    );
    assert.deepEqual(findingsFor(res, 'office/lb.tf'), []);
    assert.deepEqual(findingsFor(res, 'stack/main.tf'), []);
  });

  it('still reports a balancer open to 0.0.0.0/0 (literal or a variable default) or whose groups cannot be read', async () => {
    const res = await lintFixture(
      {
        'web/lb.tf': lb('[aws_security_group.web.id]'),
        'web/sg.tf': lines('resource "aws_security_group" "web" {', '  ingress {', '    from_port   = 443', '    to_port     = 443', '    protocol    = "tcp"', '    cidr_blocks = ["0.0.0.0/0"]', '  }', '}'),
        'pub/lb.tf': lb('[aws_security_group.web.id]'),
        'pub/sg.tf': lines(
          'variable "cidrs" {',
          '  default = ["0.0.0.0/0"]',
          '}',
          'resource "aws_security_group" "web" {}',
          'resource "aws_vpc_security_group_ingress_rule" "in" {',
          '  for_each          = toset(var.cidrs)',
          '  security_group_id = aws_security_group.web.id',
          '  cidr_ipv4         = each.key',
          '}',
        ),
        'var/lb.tf': lb('[var.sg_id]'),
      },
      { rule: 'terraform/waf-missing' },
    );
    for (const p of ['web/lb.tf', 'pub/lb.tf', 'var/lb.tf']) assert.equal(findingsFor(res, p).length, 1, p);
  });
});

describe('r3 precision: non-production environments of a Terraform layout', function () {
  this.timeout(30000);
  const key = lines('resource "aws_kms_key" "k" {', '  description = "secrets"', '}');

  it('production-only rules are silent in sandbox, POC, feasibility and development environment folders, and on resources created only in development', async () => {
    const res = await lintFixture(
      {
        'terraform/environments/billing/sandbox/kms.tf': key,
        'terraform/environments/billing-feasibility/app/kms.tf': key,
        'terraform/environments/orders/streaming-poc-search/kms.tf': key,
        'terraform/aws/platform-development/cluster/kms.tf': key,
        'terraform/aws/platform-sandbox-a/training/task2/kms.tf': key,
        'terraform/environments/orders/app/kms.tf': lines(
          'resource "aws_kms_key" "dev_only" {',
          '  count       = local.is-development ? 1 : 0',
          '  description = "dev"',
          '}',
          'resource "aws_kms_key" "dev_listed" {',
          '  count       = contains(["development"], local.environment) ? 1 : 0',
          '}',
          'resource "aws_kms_key" "not_prod" {',
          '  count       = local.is-production ? 0 : 1',
          '}',
          'resource "aws_kms_key" "prod_only" {',
          '  count       = local.is-production ? 1 : 0',
          '}',
        ),
      },
      { rule: 'terraform/prevent-destroy-missing' },
    );
    for (const p of [
      'terraform/environments/billing/sandbox/kms.tf',
      'terraform/environments/billing-feasibility/app/kms.tf',
      'terraform/environments/orders/streaming-poc-search/kms.tf',
      'terraform/aws/platform-development/cluster/kms.tf',
      'terraform/aws/platform-sandbox-a/training/task2/kms.tf',
    ])
      assert.deepEqual(findingsFor(res, p), [], p);
    // Only the resources that can exist in production are reported.
    assert.deepEqual(
      findingsFor(res, 'terraform/environments/orders/app/kms.tf').map((f) => f.range.start.line),
      [7, 10],
    );
  });

  it('still reports production folders whose names merely contain such a word, and production paths that name a development tool', async () => {
    const res = await lintFixture(
      {
        'terraform/aws/platform-production/developer-portal/kms.tf': key,
        'terraform/aws/platform-data-production/poc-archive/kms.tf': key,
        'terraform/environments/devops-tools/kms.tf': key,
        'terraform/environments/contest-entries/kms.tf': key,
        'terraform/environments/latest/kms.tf': key,
      },
      { rule: 'terraform/prevent-destroy-missing' },
    );
    for (const p of ['terraform/aws/platform-production/developer-portal/kms.tf', 'terraform/aws/platform-data-production/poc-archive/kms.tf', 'terraform/environments/devops-tools/kms.tf', 'terraform/environments/contest-entries/kms.tf', 'terraform/environments/latest/kms.tf'])
      assert.equal(findingsFor(res, p).length, 1, p);
  });
});

describe('r3 precision: terraform/tags-missing learns only the keys most of the repository carries', function () {
  this.timeout(30000);
  const tagged = (type: string, name: string, tags: string) => lines(`resource "${type}" "${name}" {`, `  tags = { ${tags} }`, '}');
  const provider = lines('provider "aws" {', '  region = "eu-west-2"', '}');

  it('does not learn one component`s operational key, and leaves resources that ignore tag changes alone', async () => {
    const instances = Array.from({ length: 6 }, (_, i) => tagged('aws_instance', `app${i}`, 'business-unit = "hq", patch_group = "windows"')).join('');
    const res = await lintFixture(
      {
        'envs/payroll/ec2.tf': provider + instances,
        'envs/billing/s3.tf': provider + tagged('aws_s3_bucket', 'b', 'business-unit = "hq"') + lines('resource "aws_sqs_queue" "q" {}'),
        'envs/search/sns.tf': provider + tagged('aws_sns_topic', 't', 'business-unit = "hq"'),
        'envs/ledger/kms.tf':
          provider +
          tagged('aws_kms_key', 'k', 'business-unit = "hq"') +
          lines('resource "aws_vpc_peering_connection_accepter" "peer" {', '  lifecycle {', '    ignore_changes = [tags, tags_all]', '  }', '}'),
      },
      { rule: 'terraform/tags-missing' },
    );
    const all = res.findings.map((f) => f.message).join('\n');
    assert.doesNotMatch(all, /patch_group/);
    assert.deepEqual(findingsFor(res, 'envs/ledger/kms.tf'), []);
    // The repository's real key is still asked of the queue that lacks it.
    const queue = findingsFor(res, 'envs/billing/s3.tf');
    assert.equal(queue.length, 1);
    assert.match(queue[0].message, /`business-unit`/);
  });
});

describe('r3 precision: terraform/public-bucket, one finding per cause', function () {
  this.timeout(30000);
  const block = (name: string, bucket: string) =>
    lines(`resource "aws_s3_bucket_public_access_block" "${name}" {`, `  bucket                  = aws_s3_bucket.${bucket}.id`, '  block_public_acls       = false', '  block_public_policy     = false', '  ignore_public_acls      = false', '  restrict_public_buckets = false', '}');
  const policy = (bucket: string) =>
    lines(
      `resource "aws_s3_bucket_policy" "${bucket}" {`,
      `  bucket = aws_s3_bucket.${bucket}.id`,
      '  policy = jsonencode({',
      '    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*" }]',
      '  })',
      '}',
    );

  it('reports an access block with several flags off once, a bucket opened by its policy and its block once, and a website bucket once at info', async () => {
    const res = await lintFixture(
      {
        'store/flags.tf': lines('resource "aws_s3_bucket" "exports" {}') + block('exports', 'exports'),
        'store/both.tf': lines('resource "aws_s3_bucket" "reports" {}') + block('reports', 'reports') + policy('reports'),
        'mirror/site.tf':
          lines('resource "aws_s3_bucket" "mirror" {}', 'resource "aws_s3_bucket_website_configuration" "mirror" {', '  bucket = aws_s3_bucket.mirror.id', '  index_document {', '    suffix = "index.html"', '  }', '}') +
          block('mirror', 'mirror') +
          policy('mirror'),
      },
      { rule: 'terraform/public-bucket' },
    );
    const flags = findingsFor(res, 'store/flags.tf');
    assert.equal(flags.length, 1);
    assert.match(flags[0].message, /`block_public_acls`, `block_public_policy`, `ignore_public_acls`, `restrict_public_buckets` to false/);
    const both = findingsFor(res, 'store/both.tf');
    assert.deepEqual(both.map((f) => [f.severity, /bucket policy/.test(f.message)]), [['error', true]]);
    const site = findingsFor(res, 'mirror/site.tf');
    assert.equal(site.length, 1);
    assert.equal(site[0].severity, 'info');
    assert.match(site[0].message, /public by design \(it is served as a website\)/);
  });
});
