import * as assert from 'node:assert/strict';
import { findingsFor, lintFixture } from './helpers';

// Round 3 tune/held-out halves: judged-noise classes in the infrastructure rules, each with a
// look-alike of the layout it was seen on, and the actionable neighbour that must stay.

const lines = (...l: string[]): string => l.join('\n') + '\n';

describe('t3 precision: terraform/provider-unpinned on built-in providers', function () {
  this.timeout(30000);
  it('never reports the built-in terraform provider (declared by source or by its name alone), and still reports a registry provider beside it', async () => {
    const res = await lintFixture(
      {
        'vars/main.tf': lines(
          'terraform {',
          '  required_providers {',
          '    terraform = { source = "terraform.io/builtin/terraform" }',
          '    tfe = { source = "hashicorp/tfe" }',
          '  }',
          '}',
          'data "terraform_remote_state" "net" {',
          '  backend = "local"',
          '}',
        ),
        'data/main.tf': lines('terraform {', '  required_providers {', '    terraform = {}', '  }', '}', 'resource "terraform_data" "x" {}'),
      },
      { rule: 'terraform/provider-unpinned' },
    );
    const vars = findingsFor(res, 'vars/main.tf');
    assert.equal(vars.length, 1, JSON.stringify(vars));
    assert.match(vars[0].message, /`tfe`/);
    assert.deepEqual(findingsFor(res, 'data/main.tf'), []);
  });
});

describe('t3 precision: terraform/open-ingress judged by what the group is attached to', function () {
  this.timeout(30000);
  const sg = (name: string, port: number, description = 'task') =>
    lines(
      `resource "aws_security_group" "${name}" {`,
      `  description = "${description}"`,
      '  ingress {',
      '    protocol    = "tcp"',
      `    from_port   = ${port}`,
      `    to_port     = ${port}`,
      '    cidr_blocks = ["0.0.0.0/0"]',
      '  }',
      '}',
    );
  it('is silent on groups attached only to interface endpoints or private ECS tasks, and on DNS served on 53 by a group that says so', async () => {
    const res = await lintFixture(
      {
        'svc/sg.tf': sg('task', 8080),
        'svc/ecs.tf': lines('resource "aws_ecs_service" "s" {', '  network_configuration {', '    security_groups  = [aws_security_group.task.id]', '    assign_public_ip = false', '  }', '}', 'output "sg" {', '  value = aws_security_group.task.id', '}'),
        'ep/main.tf': sg('endpoint', 443 + 1) + lines('resource "aws_vpc_endpoint" "e" {', '  vpc_endpoint_type  = "Interface"', '  security_group_ids = [aws_security_group.endpoint.id]', '}'),
        'dns/sg.tf': sg('ns', 53, 'Allow access to incoming DNS traffic'),
      },
      { rule: 'terraform/open-ingress' },
    );
    assert.deepEqual(findingsFor(res, 'svc/sg.tf'), []);
    assert.deepEqual(findingsFor(res, 'ep/main.tf'), []);
    assert.deepEqual(findingsFor(res, 'dns/sg.tf'), []);
  });
  it('still reports a group also attached to a public task or an instance whose subnet decides, an unattached group, and SSH in a group that says DNS', async () => {
    const res = await lintFixture(
      {
        'pub/sg.tf': sg('task', 8080) + lines('resource "aws_ecs_service" "s" {', '  network_configuration {', '    security_groups  = [aws_security_group.task.id]', '    assign_public_ip = true', '  }', '}'),
        'vm/sg.tf': sg('vm', 5432) + lines('resource "aws_instance" "db" {', '  vpc_security_group_ids = [aws_security_group.vm.id]', '}'),
        'loose/sg.tf': sg('x', 3389),
        'dns/sg.tf': sg('ns', 22, 'DNS servers'),
      },
      { rule: 'terraform/open-ingress' },
    );
    for (const f of ['pub/sg.tf', 'vm/sg.tf', 'loose/sg.tf', 'dns/sg.tf']) assert.equal(findingsFor(res, f).length, 1, f);
  });
});

describe('t3 precision: IAM grants to a deployer identity', function () {
  this.timeout(30000);
  const admin = (label: string, roleName: string, statements: number) =>
    lines(`resource "aws_iam_role" "${label}" {`, `  name = "${roleName}"`, '}') +
    Array.from({ length: statements }, (_, i) =>
      lines(`resource "aws_iam_role_policy" "${label}_${i}" {`, `  role = aws_iam_role.${label}.name`, '  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })', '}'),
    ).join('');
  it('gives a Terraform deployer role one info finding that says what to scope, and keeps an error per statement for a workload role', async () => {
    const res = await lintFixture({ 'deployer/iam.tf': admin('tf', 'terraform-cloud-apply', 2), 'app/iam.tf': admin('app', 'orders-api', 2) }, { rule: 'terraform/iam-wildcard' });
    const d = findingsFor(res, 'deployer/iam.tf');
    assert.equal(d.length, 1, JSON.stringify(d));
    assert.equal(d[0].severity, 'info');
    assert.match(d[0].message, /deployer identity.*permissions boundary.*read-only role/);
    const app = findingsFor(res, 'app/iam.tf');
    assert.equal(app.length, 2);
    assert.ok(app.every((f) => f.severity === 'error'));
  });
  it('gives a Google deployer service account holding Owner one info finding, and a workload account a warning', async () => {
    const sa = (label: string, id: string) =>
      lines(`resource "google_service_account" "${label}" {`, `  account_id = "${id}"`, '}', `resource "google_project_iam_member" "${label}" {`, '  project = "p"', '  role    = "roles/owner"', `  member  = "serviceAccount:\${google_service_account.${label}.email}"`, '}');
    const res = await lintFixture({ 'ci/main.tf': sa('tfc', 'tfc-deployer'), 'app/main.tf': sa('web', 'web-frontend') }, { rule: 'terraform/iam-primitive-role', profile: 'all' });
    const ci = findingsFor(res, 'ci/main.tf');
    assert.equal(ci.length, 1);
    assert.equal(ci[0].severity, 'info');
    assert.equal(findingsFor(res, 'app/main.tf')[0]?.severity, 'warning');
  });
});

describe('t3 precision: deploy/scan-missing and registries the repository configures to scan', function () {
  this.timeout(30000);
  const wf = (image: string, login = '') =>
    lines('on: push', 'jobs:', '  build:', '    runs-on: ubuntu-latest', '    steps:', ...(login ? [`      - uses: ${login}`] : []), '      - uses: docker/build-push-action@v6', '        with:', '          push: true', `          tags: ${image}`);
  it('is silent when Terraform scans the ECR repository pushed to, or mirrors the pushed upstream into registry-wide scanned repositories', async () => {
    const res = await lintFixture(
      {
        'infra/ecr.tf': lines('resource "aws_ecr_repository" "api" {', '  name = "api"', '  image_scanning_configuration {', '    scan_on_push = true', '  }', '}'),
        'infra/scan.tf': lines(
          'resource "aws_ecr_registry_scanning_configuration" "s" {',
          '  scan_type = "ENHANCED"',
          '  rule {',
          '    scan_frequency = "CONTINUOUS_SCAN"',
          '    repository_filter {',
          '      filter      = "mirror/*"',
          '      filter_type = "WILDCARD"',
          '    }',
          '  }',
          '}',
          'resource "aws_ecr_pull_through_cache_rule" "gh" {',
          '  ecr_repository_prefix = "mirror"',
          '  upstream_registry_url = "ghcr.io"',
          '}',
        ),
        '.github/workflows/ecr.yml': wf('123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:${{ github.sha }}'),
        '.github/workflows/gh.yml': wf('ghcr.io/${{ github.repository_owner }}/web:latest'),
        '.github/workflows/other.yml': wf('123456789012.dkr.ecr.eu-west-1.amazonaws.com/worker:1'),
        '.github/workflows/hub.yml': wf('docker.io/acme/web:1'),
      },
      { rule: 'deploy/scan-missing' },
    );
    assert.deepEqual(findingsFor(res, '.github/workflows/ecr.yml'), []);
    assert.deepEqual(findingsFor(res, '.github/workflows/gh.yml'), []);
    // A repository no setting covers, and a registry the Terraform does not configure, stay reported.
    assert.equal(findingsFor(res, '.github/workflows/other.yml').length, 1);
    assert.equal(findingsFor(res, '.github/workflows/hub.yml').length, 1);
  });
});
