import * as assert from 'node:assert/strict';
import { applyEdits, applyFix, findingsFor, lintFixture, rangeOf } from './helpers';

// The guide's practices issue 19 found uncovered: pipeline permissions and cloud keys, Terraform
// state backends, TLS and WAF in front of what serves the internet, and Alertmanager grouping.

const lines = (...l: string[]) => l.join('\n') + '\n';

describe('deploy/permissions-broad', () => {
  const R = 'deploy/permissions-broad';
  const WF = '.github/workflows/deploy.yml';
  const SHA = '11bd71901bbe5b1630ceea73d27597364c9af683';

  it('reports write-all at the top level and on a job, on the value, and the fix narrows it', async () => {
    const text = lines(
      'on: push',
      'permissions: write-all',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    permissions: write-all',
      '    steps:',
      '      - run: make',
    );
    const res = await lintFixture({ [WF]: text }, { rule: R });
    const fs = findingsFor(res, WF);
    assert.deepEqual(fs.map(rangeOf), [
      [1, 13, 1, 22],
      [5, 17, 5, 26],
    ]);
    assert.match(fs[0].message, /^The workflow grants `permissions: write-all`/);
    assert.match(fs[1].message, /^Job 'build' grants/);
    const fixed = applyFix(text, fs[0].fixes![0]);
    assert.match(fixed, /^permissions:\n {2}contents: read\njobs:/m);
    const again = await lintFixture({ [WF]: fixed }, { rule: R });
    assert.equal(findingsFor(again, WF).length, 1, 'only the job-level write-all remains');
  });

  it('reports deploying jobs without any permissions once per workflow, and the fix adds a top-level block', async () => {
    const text = lines(
      'on: push',
      'jobs:',
      '  test:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: make test',
      '  deploy:',
      '    needs: test',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: kubectl apply -f k8s/',
      '  release:',
      '    runs-on: ubuntu-latest',
      '    environment: production',
      '    steps:',
      '      - run: ./release.sh',
    );
    const res = await lintFixture({ [WF]: text }, { rule: R });
    const fs = findingsFor(res, WF);
    assert.equal(fs.length, 1);
    assert.deepEqual(rangeOf(fs[0]), [6, 2, 6, 8]);
    assert.match(fs[0].message, /^Jobs 'deploy', 'release' deploy with the default GITHUB_TOKEN permissions/);
    const fixed = applyFix(text, fs[0].fixes![0]);
    assert.match(fixed, /^on: push\npermissions:\n {2}contents: read\n\njobs:/);
    assert.deepEqual(findingsFor(await lintFixture({ [WF]: fixed }, { rule: R }), WF), []);
  });

  it('is silent for a lint-only workflow, a job-level permissions block, and kind-cluster test deploys', async () => {
    const res = await lintFixture(
      {
        '.github/workflows/lint.yml': lines('on: push', 'jobs:', '  lint:', '    runs-on: ubuntu-latest', '    steps:', '      - run: npm run lint'),
        '.github/workflows/job.yml': lines('on: push', 'jobs:', '  deploy:', '    runs-on: ubuntu-latest', '    permissions:', '      contents: read', '    steps:', '      - run: helm upgrade --install api ./chart'),
        '.github/workflows/e2e.yml': lines('on: push', 'jobs:', '  e2e:', '    runs-on: ubuntu-latest', '    steps:', '      - run: kind create cluster', '      - run: kubectl apply -f k8s/'),
        '.github/workflows/read.yml': lines('on: push', 'permissions: read-all', 'jobs:', '  deploy:', '    runs-on: ubuntu-latest', '    steps:', '      - run: terraform apply -auto-approve'),
      },
      { rule: R },
    );
    assert.deepEqual(res.findings, []);
  });

  it('reports long-lived AWS, Google and Azure keys from secrets, and not OIDC federation', async () => {
    const text = lines(
      'on: push',
      'permissions:',
      '  contents: read',
      'env:',
      '  AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}',
      'jobs:',
      '  deploy:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      `      - uses: aws-actions/configure-aws-credentials@${SHA}`,
      '        with:',
      '          aws-access-key-id: ${{ secrets.AWS_KEY }}',
      '          aws-secret-access-key: ${{ secrets.AWS_SECRET }}',
      `      - uses: google-github-actions/auth@${SHA}`,
      '        with:',
      '          credentials_json: ${{ secrets.GCP_SA_KEY }}',
      `      - uses: azure/login@${SHA}`,
      '        with:',
      '          creds: ${{ secrets.AZURE_CREDENTIALS }}',
      '      - run: terraform apply -auto-approve',
      '        env:',
      '          ARM_CLIENT_SECRET: ${{ secrets.ARM_CLIENT_SECRET }}',
      '  federated:',
      '    runs-on: ubuntu-latest',
      '    permissions:',
      '      id-token: write',
      '    steps:',
      `      - uses: aws-actions/configure-aws-credentials@${SHA}`,
      '        with:',
      '          role-to-assume: arn:aws:iam::123456789012:role/deploy',
      `      - uses: google-github-actions/auth@${SHA}`,
      '        with:',
      '          workload_identity_provider: projects/1/locations/global/workloadIdentityPools/gh/providers/gh',
      '          credentials_json: ${{ steps.mint.outputs.key }}',
    );
    const res = await lintFixture({ [WF]: text }, { rule: R });
    const fs = findingsFor(res, WF);
    assert.deepEqual(fs.map((f) => f.range.start.line), [4, 11, 15, 18, 21]);
    assert.match(fs[0].message, /^The workflow sets `AWS_ACCESS_KEY_ID` from repository secrets.*role-to-assume/);
    assert.match(fs[1].message, /aws-actions\/configure-aws-credentials a long-lived AWS access key.*`id-token: write`.*`role-to-assume:`/);
    assert.match(fs[2].message, /Google service account key.*workload_identity_provider/);
    assert.match(fs[3].message, /Azure service principal secret.*client-id/);
    assert.match(fs[4].message, /ARM_CLIENT_SECRET.*ARM_USE_OIDC/);
  });
});

describe('terraform/backend-missing', () => {
  const R = 'terraform/backend-missing';
  const provider = lines('provider "aws" {', '  region = "eu-west-1"', '}');
  const bucket = lines('resource "aws_s3_bucket" "receipts" {', '  bucket = "acme-receipts"', '}');

  it('reports a root module without a backend once, on its terraform block, and the fix adds a partial s3 backend', async () => {
    const versions = lines('terraform {', '  required_version = ">= 1.10"', '}');
    const res = await lintFixture({ 'live/prod/providers.tf': provider, 'live/prod/versions.tf': versions, 'live/prod/main.tf': bucket, 'live/prod/more.tf': bucket.replace(/receipts/g, 'invoices') }, { rule: R });
    assert.equal(res.findings.length, 1);
    const [f] = findingsFor(res, 'live/prod/versions.tf');
    assert.deepEqual(rangeOf(f), [0, 0, 0, 9]);
    assert.match(f.message, /^Root module 'live\/prod' has no `backend` or `cloud` block.*`backend "s3"` with `use_lockfile = true` and `encrypt = true`/);
    const fixed = applyFix(versions, f.fixes![0]);
    assert.match(fixed, /^terraform \{\n {2}required_version = ">= 1\.10"\n {2}backend "s3" \{\n {4}# bucket, key and region.*\n {4}use_lockfile = true\n {4}encrypt {6}= true\n {2}\}\n\}\n$/);
    const again = await lintFixture({ 'live/prod/providers.tf': provider, 'live/prod/versions.tf': fixed, 'live/prod/main.tf': bucket }, { rule: R });
    assert.deepEqual(again.findings, [], 'a partial backend block is a backend');
  });

  it('without a terraform block, reports on the provider and the fix writes one at the top; backend "local" is reported on its labels', async () => {
    // (A third root keeps its state in GCS: the repository uses remote backends, so each root without one is reported.)
    const gcs = lines('terraform {', '  backend "gcs" {}', '}') + provider + bucket;
    const res = await lintFixture({ 'prod/main.tf': provider + bucket, 'staging/main.tf': lines('terraform {', '  backend "local" {', '    path = "dev.tfstate"', '  }', '}') + provider + bucket, 'shared/main.tf': gcs, 'ops/main.tf': gcs }, { rule: R });
    const [prod] = findingsFor(res, 'prod/main.tf');
    assert.deepEqual(rangeOf(prod), [0, 9, 0, 14]);
    assert.match(applyFix(provider + bucket, prod.fixes![0]), /^terraform \{\n {2}backend "s3" \{\n/);
    const [dev] = findingsFor(res, 'staging/main.tf');
    assert.deepEqual(rangeOf(dev), [1, 10, 1, 17]);
    assert.match(dev.message, /keeps its state in `backend "local"`/);
  });

  it('reports an S3 backend written out without locking or encryption, and the fix sets both', async () => {
    const backend = lines('terraform {', '  backend "s3" {', '    bucket = "acme-tfstate"', '    key    = "prod/terraform.tfstate"', '    region = "eu-west-1"', '    encrypt = false', '  }', '}');
    const res = await lintFixture({ 'prod/backend.tf': backend, 'prod/main.tf': provider + bucket }, { rule: R });
    const [f] = res.findings;
    assert.equal(res.findings.length, 1);
    assert.deepEqual(rangeOf(f), [1, 10, 1, 14]);
    assert.match(f.message, /^The S3 state backend has no locking .* and no encryption/);
    const fixed = applyFix(backend, f.fixes![0]);
    assert.match(fixed, /encrypt = true\n {4}use_lockfile = true\n {2}\}/);
    assert.deepEqual((await lintFixture({ 'prod/backend.tf': fixed, 'prod/main.tf': provider + bucket }, { rule: R })).findings, []);
  });

  it('accepts cloud {}, gcs, a locked and encrypted S3 backend, and Terragrunt; skips reusable and published modules (examples/ beside, configuration_aliases), examples and data-only modules', async () => {
    const s3 = lines('terraform {', '  backend "s3" {', '    bucket         = "acme-tfstate"', '    key            = "prod/terraform.tfstate"', '    dynamodb_table = "tfstate-lock"', '    encrypt        = true', '  }', '}');
    const res = await lintFixture(
      {
        'a/main.tf': lines('terraform {', '  cloud {', '    organization = "acme"', '  }', '}') + provider + bucket,
        'b/main.tf': lines('terraform {', '  backend "gcs" {}', '}', 'provider "google" {}', 'resource "google_storage_bucket" "b" {', '  name = "b"', '}'),
        'c/main.tf': s3 + provider + bucket,
        'live/terragrunt.hcl': lines('remote_state {', '  backend = "s3"', '}'),
        'live/prod/app/main.tf': provider + bucket,
        'modules/store/main.tf': bucket,
        'examples/basic/main.tf': provider + lines('module "store" {', '  source = "../../modules/store"', '}'),
        'registry/main.tf': provider + bucket,
        'registry/examples/complete/main.tf': lines('module "store" {', '  source = "github.com/acme/terraform-aws-store"', '}'),
        'aliases/main.tf': lines('terraform {', '  required_providers {', '    aws = {', '      source                = "hashicorp/aws"', '      configuration_aliases = [aws.dr]', '    }', '  }', '}') + provider + bucket,
        'reads/main.tf': provider + lines('data "aws_caller_identity" "me" {}', 'output "account" {', '  value = data.aws_caller_identity.me.account_id', '}'),
      },
      { rule: R },
    );
    assert.deepEqual(res.findings, []);
  });

  it('reports once for the repository when no root declares a backend (an orchestrator or the user supplies it), and skips a root that ships its backend to copy in', async () => {
    const roots = { 'components/vpc/main.tf': provider + bucket, 'components/dns/main.tf': provider + bucket, 'components/iam/main.tf': provider + bucket };
    const res = await lintFixture(roots, { rule: R });
    assert.equal(res.findings.length, 1);
    assert.match(res.findings[0].message, /^None of the 3 root modules with resources in this repository configures a remote state backend in 3 files .*one decision.*terraform\/backend-missing: off/);
    // Two roots that do keep remote state make it the repository's convention: the third is reported on its own.
    const gcs = lines('terraform {', '  backend "gcs" {}', '}') + provider + bucket;
    const mixed = await lintFixture({ ...roots, 'components/vpc/main.tf': gcs, 'components/dns/main.tf': gcs }, { rule: R });
    assert.deepEqual(mixed.findings.map((f) => f.path.slice(mixed.engine.index.root.length + 1)), ['components/iam/main.tf']);
    assert.match(mixed.findings[0].message, /^Root module 'components\/iam' has no `backend`/);
    // A bootstrap stage that starts with local state by design and ships `backend.tf.example`.
    const boot = await lintFixture({ ...roots, 'components/vpc/main.tf': gcs, 'components/dns/main.tf': gcs, 'components/iam/backend.tf.example': lines('terraform {', '  backend "gcs" {}', '}') }, { rule: R });
    assert.deepEqual(boot.findings, []);
  });
});

describe('terraform/tls-missing', () => {
  const R = 'terraform/tls-missing';

  it('reports HTTP listeners that do not redirect, allow-all CloudFront behaviours, caches, search domains and web apps', async () => {
    const text = lines(
      'resource "aws_lb_listener" "web" {',
      '  load_balancer_arn = aws_lb.web.arn',
      '  port              = 80',
      '  protocol          = "HTTP"',
      '  default_action {',
      '    type             = "forward"',
      '    target_group_arn = aws_lb_target_group.web.arn',
      '  }',
      '}',
      'resource "aws_cloudfront_distribution" "cdn" {',
      '  default_cache_behavior {',
      '    viewer_protocol_policy = "redirect-to-https"',
      '  }',
      '  ordered_cache_behavior {',
      '    path_pattern           = "/img/*"',
      '    viewer_protocol_policy = "allow-all"',
      '  }',
      '}',
      'resource "aws_elasticache_replication_group" "sessions" {',
      '  replication_group_id = "sessions"',
      '  description          = "sessions"',
      '}',
      'resource "aws_opensearch_domain" "logs" {',
      '  domain_name = "logs"',
      '}',
      'resource "azurerm_linux_web_app" "api" {',
      '  name       = "api"',
      '  https_only = false',
      '}',
      'resource "azurerm_storage_account" "files" {',
      '  name                       = "files"',
      '  https_traffic_only_enabled = false',
      '}',
    );
    const res = await lintFixture({ 'main.tf': text }, { rule: R });
    const fs = findingsFor(res, 'main.tf');
    assert.deepEqual(fs.map(rangeOf), [
      [3, 22, 3, 28],
      [15, 29, 15, 40],
      [18, 9, 18, 55],
      [22, 9, 22, 39],
      [27, 15, 27, 20],
      [31, 31, 31, 36],
    ]);
    assert.match(fs[0].message, /^aws_lb_listener\.web serves plain HTTP.*redirect to HTTPS/);
    assert.match(fs[1].message, /serves '\/img\/\*' to viewers on plain HTTP/);
    assert.match(fs[2].message, /does not set `transit_encryption_enabled`/);
    const fixed = applyEdits(text, fs.flatMap((f) => f.fixes?.[0].edits ?? []));
    assert.deepEqual(findingsFor(await lintFixture({ 'main.tf': fixed }, { rule: R }), 'main.tf').map(rangeOf), [[3, 22, 3, 28]], 'every fix holds (the listener has none)');
  });

  it('accepts redirects to HTTPS, fixed responses, HTTPS listeners, enforce_https by default, variables and redirecting URL maps', async () => {
    const text = lines(
      'resource "aws_lb_listener" "redirect" {',
      '  port     = 80',
      '  protocol = "HTTP"',
      '  default_action {',
      '    type = "redirect"',
      '    redirect {',
      '      port        = "443"',
      '      protocol    = "HTTPS"',
      '      status_code = "HTTP_301"',
      '    }',
      '  }',
      '}',
      'resource "aws_lb_listener" "refuse" {',
      '  port     = 80',
      '  protocol = "HTTP"',
      '  default_action {',
      '    type = "fixed-response"',
      '  }',
      '}',
      'resource "aws_lb_listener" "tls" {',
      '  port            = 443',
      '  protocol        = "HTTPS"',
      '  certificate_arn = var.cert',
      '  default_action {',
      '    type = "forward"',
      '  }',
      '}',
      'resource "aws_opensearch_domain" "logs" {',
      '  domain_endpoint_options {',
      '    tls_security_policy = "Policy-Min-TLS-1-2-2019-07"',
      '  }',
      '}',
      'resource "aws_elasticache_replication_group" "cache" {',
      '  transit_encryption_enabled = var.tls',
      '}',
      'resource "google_compute_url_map" "redirect" {',
      '  default_url_redirect {',
      '    https_redirect = true',
      '  }',
      '}',
      'resource "google_compute_target_http_proxy" "http" {',
      '  url_map = google_compute_url_map.redirect.id',
      '}',
    );
    const res = await lintFixture({ 'main.tf': text }, { rule: R });
    assert.deepEqual(res.findings, []);
  });

  it('reports a fixed-response HTTP listener whose listener rules forward, and an HTTP proxy serving a URL map', async () => {
    const text = lines(
      'resource "aws_lb_listener" "http" {',
      '  port     = 80',
      '  protocol = "HTTP"',
      '  default_action {',
      '    type = "fixed-response"',
      '  }',
      '}',
      'resource "aws_lb_listener_rule" "api" {',
      '  listener_arn = aws_lb_listener.http.arn',
      '  action {',
      '    type             = "forward"',
      '    target_group_arn = aws_lb_target_group.api.arn',
      '  }',
      '}',
      'resource "google_compute_url_map" "site" {',
      '  default_service = google_compute_backend_service.site.id',
      '}',
      'resource "google_compute_target_http_proxy" "site" {',
      '  url_map = google_compute_url_map.site.id',
      '}',
    );
    const res = await lintFixture({ 'main.tf': text }, { rule: R });
    assert.deepEqual(res.findings.map((f) => f.range.start.line), [2, 18]);
    assert.match(res.findings[1].message, /google_compute_target_http_proxy\.site serves google_compute_url_map\.site on plain HTTP/);
  });
});

describe('terraform/tls-missing in a reusable load-balancer module', () => {
  const module = (count: string) =>
    lines(
      'variable "protocol" {',
      '  default = "HTTPS"',
      '}',
      'resource "google_compute_url_map" "default" {',
      '  default_service = google_compute_backend_service.default.id',
      '}',
      'resource "google_compute_target_http_proxy" "default" {',
      count,
      '  url_map = google_compute_url_map.default.id',
      '}',
    );
  it('leaves an HTTP proxy the caller asks for (count on a variable) to the caller', async () => {
    const res = await lintFixture({ 'modules/lb/main.tf': module('  count = var.protocol == "HTTP" ? 1 : 0') }, { rule: 'terraform/tls-missing' });
    assert.deepEqual(res.findings, []);
  });
  it('still reports an HTTP proxy the module always makes', async () => {
    const res = await lintFixture({ 'modules/lb/main.tf': module('  count = 1') }, { rule: 'terraform/tls-missing' });
    assert.deepEqual(res.findings.map((f) => f.range.start.line), [8]);
  });
});

describe('terraform/backend-missing on a locked S3 backend without encrypt', () => {
  it('is info, since S3 encrypts new objects by default', async () => {
    const backend = lines('terraform {', '  backend "s3" {', '    bucket       = "acme-tfstate"', '    key          = "prod.tfstate"', '    use_lockfile = true', '  }', '}', 'provider "aws" {}', 'resource "aws_sqs_queue" "q" {}');
    const res = await lintFixture({ 'prod/main.tf': backend }, { rule: 'terraform/backend-missing' });
    assert.deepEqual(res.findings.map((f) => [f.severity, f.range.start.line]), [['info', 1]]);
    assert.match(res.findings[0].message, /no encryption \(`encrypt = true`\).*SSE-S3/);
    assert.match(applyFix(backend, res.findings[0].fixes![0]), /use_lockfile = true\n {4}encrypt = true\n {2}\}/);
  });
});

describe('terraform/waf-missing', () => {
  const R = 'terraform/waf-missing';
  const text = lines(
    'resource "aws_lb" "public" {',
    '  name = "public"',
    '}',
    'resource "aws_lb" "guarded" {',
    '  internal           = false',
    '  load_balancer_type = "application"',
    '}',
    'resource "aws_lb" "inside" {',
    '  internal = true',
    '}',
    'resource "aws_lb" "nlb" {',
    '  load_balancer_type = "network"',
    '}',
    'resource "aws_lb" "decided" {',
    '  internal = var.internal',
    '}',
    'resource "aws_wafv2_web_acl_association" "guarded" {',
    '  resource_arn = aws_lb.guarded.arn',
    '  web_acl_arn  = aws_wafv2_web_acl.main.arn',
    '}',
    'resource "aws_cloudfront_distribution" "cdn" {',
    '  enabled = true',
    '}',
    'resource "aws_cloudfront_distribution" "guarded" {',
    '  web_acl_id = aws_wafv2_web_acl.edge.arn',
    '}',
    'resource "aws_api_gateway_rest_api" "public" {',
    '  name = "public"',
    '}',
    'resource "aws_api_gateway_rest_api" "private" {',
    '  endpoint_configuration {',
    '    types = ["PRIVATE"]',
    '  }',
    '}',
    'resource "aws_api_gateway_stage" "prod" {',
    '  rest_api_id = aws_api_gateway_rest_api.public.id',
    '  stage_name  = "prod"',
    '}',
    'resource "aws_api_gateway_stage" "internal" {',
    '  rest_api_id = aws_api_gateway_rest_api.private.id',
    '  stage_name  = "prod"',
    '}',
  );

  it('reports the public ALB, the CloudFront distribution and the public API stage without a web ACL', async () => {
    const res = await lintFixture({ 'prod/main.tf': text }, { rule: R });
    const fs = findingsFor(res, 'prod/main.tf');
    assert.deepEqual(fs.map(rangeOf), [
      [0, 9, 0, 26],
      [20, 9, 20, 44],
      [34, 9, 34, 39],
    ]);
    assert.match(fs[0].message, /^aws_lb\.public is an internet-facing application load balancer with no WAF web ACL.*resource_arn = aws_lb\.public\.arn/);
    assert.match(fs[1].message, /web_acl_id/);
    assert.match(fs[2].message, /aws_api_gateway_stage\.prod has no WAF web ACL/);
  });

  it('accepts an association in another file, an ARN handed to a WAF module, and stays silent when an association target cannot be read', async () => {
    const assoc = lines('resource "aws_wafv2_web_acl_association" "stage" {', '  resource_arn = aws_api_gateway_stage.prod.arn', '}', 'module "waf" {', '  source   = "./waf"', '  alb_arns = [aws_lb.public.arn]', '}');
    const res = await lintFixture({ 'prod/main.tf': text, 'prod/waf.tf': assoc }, { rule: R });
    assert.deepEqual(findingsFor(res, 'prod/main.tf').map((f) => f.range.start.line), [20]);
    const unknown = lines('resource "aws_wafv2_web_acl_association" "any" {', '  resource_arn = var.protected_arn', '}');
    const res2 = await lintFixture({ 'prod/main.tf': text, 'prod/waf.tf': unknown }, { rule: R });
    assert.deepEqual(findingsFor(res2, 'prod/main.tf').map((f) => f.range.start.line), [20]);
  });

  it('is production-only: examples are not judged', async () => {
    const res = await lintFixture({ 'examples/complete/main.tf': text }, { rule: R });
    assert.deepEqual(res.findings, []);
  });
});

describe('alertmanager/grouping-missing', () => {
  const R = 'alertmanager/grouping-missing';
  const AM = 'alertmanager/alertmanager.yml';
  const alerts = lines(
    'groups:',
    '  - name: g',
    '    rules:',
    '      - alert: DiskFull',
    '        expr: disk_free < 0.05',
    '        labels: {severity: critical}',
    '      - alert: DiskFilling',
    '        expr: disk_free < 0.2',
    '        labels: {severity: warning}',
    '      - alert: DiskSlow',
    '        expr: disk_latency > 1',
    '        labels: {severity: info}',
  );
  const base = lines(
    'route:',
    '  receiver: oncall',
    '  routes:',
    '    - matchers: [severity="critical"]',
    '      receiver: pager',
    'receivers:',
    '  - name: oncall',
    '    slack_configs: [{channel: "#ops"}]',
    '  - name: pager',
    '    pagerduty_configs: [{routing_key: x}]',
  );

  it('reports a root route without group_by and a missing critical-over-warning inhibit, two findings, and both fixes hold', async () => {
    const res = await lintFixture({ [AM]: base, 'rules/disk.yml': alerts }, { rule: R });
    const fs = findingsFor(res, AM);
    assert.deepEqual(fs.map((f) => [f.severity, ...rangeOf(f)]), [
      ['warning', 0, 0, 0, 5],
      ['info', 0, 0, 0, 5],
    ]);
    assert.match(fs[0].message, /^The root route has no `group_by`: every alert lands in one group/);
    assert.match(fs[1].message, /^No inhibit rule mutes `severity: warning` alerts while their `severity: critical` twin fires \(e\.g\. 'DiskFilling' and 'DiskFull' watch the same signal\)/);
    const grouped = applyFix(base, fs[0].fixes![0]);
    assert.match(grouped, /^route:\n {2}group_by: \['alertname', 'cluster', 'service'\]\n {2}receiver: oncall\n/);
    const fixed = applyFix(grouped, findingsFor(await lintFixture({ [AM]: grouped, 'rules/disk.yml': alerts }, { rule: R }), AM)[0].fixes![0]);
    // DiskFull and DiskFilling differ in name: `equal:` holds where they fire, not alertname.
    assert.match(fixed, /inhibit_rules:\n {2}- source_matchers: \['severity="critical"'\]\n {4}target_matchers: \['severity="warning"'\]\n {4}equal: \['cluster', 'service'\]\n$/);
    assert.deepEqual(findingsFor(await lintFixture({ [AM]: fixed, 'rules/disk.yml': alerts }, { rule: R }), AM), []);
  });

  it('accepts older match/match_re inhibit rules and regex targets; points at inhibit_rules when none is the twin', async () => {
    const withOld = base.replace('route:\n', "route:\n  group_by: ['alertname']\n") + lines('inhibit_rules:', '  - source_match:', '      severity: critical', '    target_match_re:', '      severity: warning|info', "    equal: ['alertname']");
    const res = await lintFixture({ [AM]: withOld, 'rules/disk.yml': alerts }, { rule: R });
    assert.deepEqual(res.findings, []);
    const other = base.replace('route:\n', "route:\n  group_by: ['alertname']\n") + lines('inhibit_rules:', '  - source_matchers: [alertname="NodeDown"]', '    target_matchers: [severity="warning"]');
    const res2 = await lintFixture({ [AM]: other, 'rules/disk.yml': alerts }, { rule: R });
    assert.equal(res2.findings.length, 1);
    assert.deepEqual(rangeOf(res2.findings[0]), [11, 0, 11, 13]);
    assert.match(res2.findings[0].message, /the 1 inhibit rule here matches other alerts/);
    assert.equal(res2.findings[0].fixes, undefined, 'no second inhibit_rules key is added');
  });

  it('follows the repository severity vocabulary (page/ticket), and judges inhibition only when a critical alert has a lower-level twin', async () => {
    const ticket = base.replace('route:\n', "route:\n  group_by: ['alertname']\n").replace('severity="critical"', 'severity="page"');
    const pageAlerts = alerts.replace('severity: critical', 'severity: page').replace('severity: warning', 'severity: ticket').replace('severity: info', 'severity: ticket');
    const res = await lintFixture({ [AM]: ticket, 'rules/disk.yml': pageAlerts }, { rule: R });
    assert.equal(res.findings.length, 1);
    assert.match(res.findings[0].message, /mutes `severity: ticket` alerts while their `severity: page` twin fires/);
    // Critical and warning alerts on different signals (no twins): nothing to inhibit.
    const unrelated = lines('groups:', '  - name: g', '    rules:', '      - alert: ApiDown', '        expr: up{job="api"} == 0', '        labels: {severity: critical}', '      - alert: QueueSlow', '        expr: queue_latency_seconds > 3', '        labels: {severity: warning}', '      - alert: CertExpiringCritical', '        expr: cert_days_left < 7', '        labels: {severity: critical}');
    assert.deepEqual((await lintFixture({ [AM]: base.replace('route:\n', "route:\n  group_by: ['alertname']\n"), 'rules/x.yml': unrelated }, { rule: R })).findings, []);
    // Same name but for the level word: twins.
    const named = unrelated.replace('alert: QueueSlow', 'alert: CertExpiringWarning');
    assert.equal((await lintFixture({ [AM]: base.replace('route:\n', "route:\n  group_by: ['alertname']\n"), 'rules/x.yml': named }, { rule: R })).findings.length, 1);
    const onlyCritical = alerts.replace(/severity: (warning|info)/g, 'severity: critical');
    const res2 = await lintFixture({ [AM]: base.replace('route:\n', "route:\n  group_by: ['alertname']\n"), 'rules/disk.yml': onlyCritical }, { rule: R });
    assert.deepEqual(res2.findings, []);
  });

  it('skips placeholder configurations and AlertmanagerConfig resources; accepts children that all group', async () => {
    const res = await lintFixture(
      {
        'a/alertmanager.yml': lines('route:', '  receiver: "null"', 'receivers:', '  - name: "null"'),
        'b/amc.yaml': lines('apiVersion: monitoring.coreos.com/v1alpha1', 'kind: AlertmanagerConfig', 'metadata: {name: team}', 'spec:', '  route:', '    receiver: team', '  receivers:', '    - name: team', '      slackConfigs: [{channel: "#t"}]'),
        'c/alertmanager.yml': lines('route:', '  receiver: oncall', '  routes:', '    - receiver: oncall', "      group_by: ['alertname']", 'receivers:', '  - name: oncall', '    slack_configs: [{channel: "#ops"}]'),
      },
      { rule: R },
    );
    assert.deepEqual(res.findings, []);
  });
});

describe('terraform/open-ingress beyond AWS security groups (issue 15 item 8)', () => {
  const R = 'terraform/open-ingress';

  it('reports GCP firewalls, Azure security rules and OpenStack rules open to anywhere, not HTTPS, egress, deny or private sources', async () => {
    const text = lines(
      'resource "google_compute_firewall" "ssh" {',
      '  network       = "default"',
      '  source_ranges = ["0.0.0.0/0"]',
      '  allow {',
      '    protocol = "tcp"',
      '    ports    = ["22", "443"]',
      '  }',
      '}',
      'resource "google_compute_firewall" "web" {',
      '  source_ranges = ["0.0.0.0/0"]',
      '  allow {',
      '    protocol = "tcp"',
      '    ports    = ["443"]',
      '  }',
      '}',
      'resource "google_compute_firewall" "out" {',
      '  direction          = "EGRESS"',
      '  destination_ranges = ["0.0.0.0/0"]',
      '  allow {',
      '    protocol = "all"',
      '  }',
      '}',
      'resource "azurerm_network_security_rule" "rdp" {',
      '  direction                  = "Inbound"',
      '  access                     = "Allow"',
      '  protocol                   = "Tcp"',
      '  source_address_prefix      = "Internet"',
      '  destination_port_range     = "3389"',
      '}',
      'resource "azurerm_network_security_group" "app" {',
      '  security_rule {',
      '    name                       = "any"',
      '    direction                  = "Inbound"',
      '    access                     = "Allow"',
      '    protocol                   = "*"',
      '    source_address_prefix      = "*"',
      '    destination_port_range     = "*"',
      '  }',
      '  security_rule {',
      '    name                       = "deny"',
      '    direction                  = "Inbound"',
      '    access                     = "Deny"',
      '    protocol                   = "*"',
      '    source_address_prefix      = "*"',
      '    destination_port_range     = "*"',
      '  }',
      '  security_rule {',
      '    name                       = "vnet"',
      '    direction                  = "Inbound"',
      '    access                     = "Allow"',
      '    protocol                   = "Tcp"',
      '    source_address_prefix      = "VirtualNetwork"',
      '    destination_port_range     = "22"',
      '  }',
      '}',
      'resource "openstack_networking_secgroup_rule_v2" "ssh" {',
      '  direction        = "ingress"',
      '  protocol         = "tcp"',
      '  port_range_min   = 22',
      '  port_range_max   = 22',
      '  remote_ip_prefix = "0.0.0.0/0"',
      '}',
      'resource "openstack_networking_secgroup_rule_v2" "any" {',
      '  direction        = "ingress"',
      '  remote_ip_prefix = "::/0"',
      '}',
      'resource "openstack_networking_secgroup_rule_v2" "ping" {',
      '  direction        = "ingress"',
      '  protocol         = "icmp"',
      '  remote_ip_prefix = "0.0.0.0/0"',
      '}',
    );
    const res = await lintFixture({ 'main.tf': text }, { rule: R });
    const fs = findingsFor(res, 'main.tf');
    assert.deepEqual(fs.map((f) => f.range.start.line), [2, 26, 35, 60, 64]);
    assert.match(fs[0].message, /^google_compute_firewall\.ssh allows ingress from 0\.0\.0\.0\/0 on port 22;/);
    assert.match(fs[1].message, /^azurerm_network_security_rule\.rdp allows ingress from Internet on port 3389/);
    assert.match(fs[2].message, /^azurerm_network_security_group\.app \(rule any\) allows ingress from \* on all ports/);
    assert.match(fs[3].message, /^openstack_networking_secgroup_rule_v2\.ssh .* on port 22/);
    assert.match(fs[4].message, /on all ports/);
  });

  it('follows a CIDR list through a variable default (in another file), .tfvars and callers, reporting on the reference', async () => {
    const sg = lines(
      'resource "aws_security_group_rule" "ssh" {',
      '  type        = "ingress"',
      '  from_port   = 22',
      '  to_port     = 22',
      '  protocol    = "tcp"',
      '  cidr_blocks = var.allowed_cidrs',
      '}',
    );
    const vars = lines('variable "allowed_cidrs" {', '  type    = list(string)', '  default = ["0.0.0.0/0"]', '}');
    const res = await lintFixture({ 'modules/bastion/main.tf': sg, 'modules/bastion/variables.tf': vars }, { rule: R });
    const [f] = findingsFor(res, 'modules/bastion/main.tf');
    assert.deepEqual(rangeOf(f), [5, 16, 5, 33]);
    assert.match(f.message, /allows ingress from 0\.0\.0\.0\/0 \(through var\.allowed_cidrs, its default\) on port 22/);
    // A caller that narrows it: silent; one that keeps the default: reported.
    const narrow = lines('module "bastion" {', '  source        = "../modules/bastion"', '  allowed_cidrs = ["10.0.0.0/8"]', '}');
    const res2 = await lintFixture({ 'modules/bastion/main.tf': sg, 'modules/bastion/variables.tf': vars, 'prod/main.tf': narrow }, { rule: R });
    assert.deepEqual(res2.findings, []);
    // A root module whose .tfvars narrows the default: silent.
    const res3 = await lintFixture({ 'prod/main.tf': sg, 'prod/variables.tf': vars, 'prod/terraform.tfvars': 'allowed_cidrs = ["192.0.2.0/24"]\n', 'prod/providers.tf': 'provider "aws" {}\n' }, { rule: R });
    assert.deepEqual(res3.findings, []);
  });
});

describe('terraform/iam-primitive-role (issue 15 item 8)', () => {
  const R = 'terraform/iam-primitive-role';

  it('reports GCP basic and admin roles granted to service accounts, and Azure Owner/Contributor on a subscription', async () => {
    const text = lines(
      'resource "google_project_iam_member" "ci" {',
      '  project = var.project',
      '  role    = "roles/owner"',
      '  member  = "serviceAccount:${google_service_account.ci.email}"',
      '}',
      'resource "google_organization_iam_binding" "admins" {',
      '  org_id  = var.org',
      '  role    = "roles/resourcemanager.organizationAdmin"',
      '  members = ["group:admins@example.com", "serviceAccount:tf@seed.iam.gserviceaccount.com"]',
      '}',
      'data "google_iam_policy" "p" {',
      '  binding {',
      '    role    = "roles/editor"',
      '    members = ["serviceAccount:app@p.iam.gserviceaccount.com"]',
      '  }',
      '}',
      'resource "azurerm_role_assignment" "ci" {',
      '  scope                = data.azurerm_subscription.current.id',
      '  role_definition_name = "Contributor"',
      '  principal_id         = azuread_service_principal.ci.object_id',
      '}',
      'resource "azurerm_role_assignment" "owner" {',
      '  scope              = "/subscriptions/${var.subscription_id}"',
      '  role_definition_id = "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"',
      '  principal_id       = var.principal',
      '}',
    );
    const res = await lintFixture({ 'iam.tf': text }, { rule: R });
    const fs = findingsFor(res, 'iam.tf');
    assert.deepEqual(fs.map((f) => f.range.start.line), [2, 7, 12, 18, 23]);
    assert.match(fs[0].message, /^google_project_iam_member\.ci grants the basic Owner role .* to service account 'serviceAccount:\$\{google_service_account\.ci\.email\}'.*controls the project/);
    assert.match(fs[1].message, /Organization Administrator .*'serviceAccount:tf@seed\.iam\.gserviceaccount\.com'.*controls the organisation/);
    assert.match(fs[3].message, /^azurerm_role_assignment\.ci makes its principal Contributor of a whole subscription/);
    assert.match(fs[4].message, /Owner of a whole subscription/);
  });

  it('accepts predefined roles, basic roles for people and groups, and broad roles on a resource group', async () => {
    const text = lines(
      'resource "google_project_iam_member" "app" {',
      '  role   = "roles/storage.objectAdmin"',
      '  member = "serviceAccount:app@p.iam.gserviceaccount.com"',
      '}',
      'resource "google_project_iam_member" "owners" {',
      '  role   = "roles/owner"',
      '  member = "group:platform@example.com"',
      '}',
      'resource "google_project_iam_member" "decided" {',
      '  role   = var.role',
      '  member = "serviceAccount:app@p.iam.gserviceaccount.com"',
      '}',
      'resource "azurerm_role_assignment" "rg" {',
      '  scope                = azurerm_resource_group.app.id',
      '  role_definition_name = "Contributor"',
      '}',
      'resource "azurerm_role_assignment" "reader" {',
      '  scope                = data.azurerm_subscription.current.id',
      '  role_definition_name = "Reader"',
      '}',
      'resource "azurerm_role_assignment" "literal_rg" {',
      '  scope                = "/subscriptions/0000/resourceGroups/app"',
      '  role_definition_name = "Owner"',
      '}',
    );
    const res = await lintFixture({ 'iam.tf': text }, { rule: R });
    assert.deepEqual(res.findings, []);
  });
});
