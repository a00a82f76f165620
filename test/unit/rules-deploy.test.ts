import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { findingsFor, lintFixture as lintDefault, rangeOf } from './helpers';
import { loadFixture } from './fixtureFiles';
import { parseYaml } from '../../src/engine/parsers/yaml';
import { ciJobs, productionDeploy, testRun } from '../../src/engine/rules/deploy/ciJobs';

// deploy/gate-missing and deploy/rollback-missing are in the `all` profile (off by default): these
// tests check what they find when a team turns them on.
function lintFixture(files: Record<string, string>, opts: Parameters<typeof lintDefault>[1] = {}): ReturnType<typeof lintDefault> {
  return lintDefault(files, { ...opts, config: { profile: 'all', ...(opts.config ?? {}) } });
}

function summary(res: Awaited<ReturnType<typeof lintFixture>>): string[] {
  return res.findings
    .filter((f) => f.ruleId.startsWith('deploy/'))
    .map((f) => `${path.posix.relative(res.engine.index.root, f.path)} ${f.ruleId} ${rangeOf(f).join(',')}`)
    .sort();
}

describe('deploy rules', () => {
  it('gate-missing and rollback-missing are off by default (profile `all`); the other deploy rules run', async () => {
    // lintDefault runs every rule unless told: `recommended` is what a repository gets unconfigured.
    const res = await lintDefault(loadFixture('workflows/github'), { profile: 'recommended' });
    const rules = new Set(res.findings.map((f) => f.ruleId));
    assert.ok(!rules.has('deploy/gate-missing') && !rules.has('deploy/rollback-missing'), [...rules].join(', '));
    assert.ok(rules.has('deploy/action-unpinned') && rules.has('deploy/permissions-broad'), [...rules].join(', '));
  });

  describe('GitHub Actions (test/fixtures/workflows/github)', () => {
    it('reports exactly the expected findings at exact ranges', async () => {
      const res = await lintFixture(loadFixture('workflows/github'));
      assert.deepEqual(summary(res), [
        '.github/workflows/release.yml deploy/action-unpinned 10,33,10,35',
        '.github/workflows/release.yml deploy/action-unpinned 21,31,21,35',
        '.github/workflows/release.yml deploy/action-unpinned 28,30,28,34',
        '.github/workflows/release.yml deploy/action-unpinned 32,68,32,70',
        '.github/workflows/release.yml deploy/action-unpinned 37,33,37,38',
        '.github/workflows/release.yml deploy/gate-missing 25,2,25,8',
        '.github/workflows/release.yml deploy/permissions-broad 13,2,13,8',
        '.github/workflows/release.yml deploy/rollback-missing 13,2,13,8',
        '.github/workflows/release.yml deploy/rollback-missing 25,2,25,8',
      ]);
    });

    it('explains what makes the job a production deploy and how to fix it', async () => {
      const res = await lintFixture(loadFixture('workflows/github'));
      const rb = findingsFor(res, '.github/workflows/release.yml', 'deploy/rollback-missing');
      assert.match(rb[0].message, /'deploy'.*environment: production.*if: failure\(\)/);
      assert.match(rb[1].message, /'hotfix'.*kubectl apply/);
      const pins = findingsFor(res, '.github/workflows/release.yml', 'deploy/action-unpinned').map((f) => f.message);
      assert.match(pins[0], /actions\/setup-node.*'v4'.*40-character commit SHA/);
      assert.match(pins[2], /alpine:3\.20.*digest/);
      assert.match(pins[3], /^Reusable workflow/);
    });

    it('is silent for pinned SHAs, digests, local actions, failure() rollback steps, --atomic and staging', async () => {
      const res = await lintFixture(loadFixture('workflows/github'));
      assert.deepEqual(findingsFor(res, '.github/workflows/safe-deploy.yml'), []);
    });

    describe('deploy/action-unpinned: one cause, one finding', () => {
      const wf = (...uses: string[]) => `on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${uses.map((u) => `      - uses: ${u}\n`).join('')}`;
      const SHA = '11bd71901bbe5b1630ceea73d27597364c9af683';

      // (Was one finding per workflow; now one for the whole repository, through the convention pass.)
      it('reports the repository once when it pins no action, on the first unpinned uses of its first workflow', async () => {
        const res = await lintFixture(
          {
            '.github/workflows/ci.yml': wf('actions/checkout@v4', 'actions/setup-go@v5', 'docker://alpine:3.20', 'golangci/golangci-lint-action@v6', './.github/actions/local'),
            '.github/workflows/release.yml': wf('actions/checkout@v4'),
          },
          { rule: 'deploy/action-unpinned' },
        );
        const found = findingsFor(res, '.github/workflows/ci.yml');
        assert.deepEqual(found.map(rangeOf), [[5, 31, 5, 33]]);
        assert.match(found[0].message, /None of the 5 actions and images used by the workflows in this repository is pinned to a full commit SHA or digest in 2 files/);
        assert.deepEqual(findingsFor(res, '.github/workflows/release.yml'), []);
      });

      it('reports each unpinned uses where the repository pins some (exceptions to its convention), in any of its workflows', async () => {
        const res = await lintFixture(
          {
            '.github/workflows/ci.yml': wf(`actions/checkout@${SHA} # v4.2.2`, 'actions/setup-go@v5'),
            '.github/workflows/lint.yml': wf('actions/checkout@v4', 'golangci/golangci-lint-action@v6'),
          },
          { rule: 'deploy/action-unpinned' },
        );
        assert.equal(findingsFor(res, '.github/workflows/ci.yml').length, 1);
        assert.deepEqual(findingsFor(res, '.github/workflows/lint.yml').map((f) => f.message.split(':')[0]), ["Action 'actions/checkout' is pinned to 'v4'", "Action 'golangci/golangci-lint-action' is pinned to 'v6'"]);
      });

      it('where the repository pins third-party actions and keeps all of GitHub\'s own on tags, reports only the third-party refs', async () => {
        const res = await lintFixture(
          {
            '.github/workflows/ci.yml': wf('actions/checkout@v4', `ludeeus/action-shellcheck@${SHA} # 2.0.0`, 'actions/cache@v4'),
            '.github/workflows/lint.yml': wf('actions/checkout@v4', 'github/codeql-action/init@v3', 'golangci/golangci-lint-action@v6'),
          },
          { rule: 'deploy/action-unpinned' },
        );
        assert.deepEqual(findingsFor(res, '.github/workflows/ci.yml'), []);
        assert.deepEqual(findingsFor(res, '.github/workflows/lint.yml').map((f) => f.message.split(':')[0]), ["Action 'golangci/golangci-lint-action' is pinned to 'v6'"]);
      });

      it('accepts the SLSA generator reusable workflows by version tag (they cannot be pinned to a commit)', async () => {
        const text = `on: push\njobs:\n  provenance:\n    uses: slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v2.1.0\n  other:\n    uses: slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@main\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@${SHA}\n`;
        const res = await lintFixture({ '.github/workflows/release.yml': text }, { rule: 'deploy/action-unpinned' });
        assert.deepEqual(findingsFor(res, '.github/workflows/release.yml').map((f) => f.range.start.line), [5]);
      });
    });

    it('accepts a manually triggered workflow and an environment object named prod as gates', async () => {
      const res = await lintFixture(
        {
          '.github/workflows/manual.yml': 'on: workflow_dispatch\njobs:\n  ship:\n    runs-on: ubuntu-latest\n    steps:\n      - run: terraform apply -auto-approve\n',
          '.github/workflows/env.yml': 'on: push\njobs:\n  ship:\n    runs-on: ubuntu-latest\n    environment: {name: prod}\n    steps:\n      - run: ./deploy.sh\n  rollback:\n    needs: ship\n    if: failure()\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./rollback.sh\n',
        },
        { rule: 'deploy/gate-missing' },
      );
      assert.deepEqual(res.findings, []);
      const rb = await lintFixture(
        { '.github/workflows/env.yml': 'on: push\njobs:\n  ship:\n    runs-on: ubuntu-latest\n    environment: {name: prod}\n    steps:\n      - run: ./deploy.sh\n  rollback:\n    needs: ship\n    if: failure()\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./rollback.sh\n' },
        { rule: 'deploy/rollback-missing' },
      );
      assert.deepEqual(rb.findings, []);
    });

    it('does not treat dry runs and syntax checks as deploys', async () => {
      const res = await lintFixture({
        '.github/workflows/lint.yml': 'on: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ansible-playbook --syntax-check site.yml\n      - run: |\n          kubectl apply \\\n            --dry-run=server -f k8s/\n      - run: helm upgrade --install api ./chart --dry-run\n',
      });
      assert.deepEqual(summary(res), []);
    });

    it('points at the ref of a short SHA and says why it is not enough', async () => {
      const res = await lintFixture(
        { '.github/workflows/ci.yml': 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@11bd719\n' },
        { rule: 'deploy/action-unpinned' },
      );
      const [f] = res.findings;
      assert.deepEqual(rangeOf(f), [5, 31, 5, 38]);
      assert.match(f.message, /short SHA/);
    });
  });

  describe('production by target (test/fixtures/deploy-targets)', () => {
    it('recognises a production deploy by its kube context, Terraform workspace, Ansible vars, matrix or input environment', async () => {
      const res = await lintFixture(loadFixture('deploy-targets'));
      assert.deepEqual(summary(res).filter((l) => !l.includes('action-unpinned') && !l.includes('permissions-broad')), [
        '.github/workflows/deploy.yml deploy/gate-missing 18,2,18,9',
        '.github/workflows/deploy.yml deploy/gate-missing 23,2,23,7',
        '.github/workflows/deploy.yml deploy/gate-missing 65,2,65,11',
        '.github/workflows/deploy.yml deploy/rollback-missing 18,2,18,9',
        // ('infra' and 'workspace' apply Terraform: their way back is re-applying the previous commit.)
        '.github/workflows/deploy.yml deploy/rollback-missing 36,2,36,10',
        '.github/workflows/deploy.yml deploy/rollback-missing 42,2,42,10',
        '.github/workflows/deploy.yml deploy/rollback-missing 50,2,50,11',
        '.github/workflows/deploy.yml deploy/rollback-missing 59,2,59,11',
        '.gitlab-ci.yml deploy/rollback-missing 7,0,7,4',
      ]);
    });

    it('names the target that makes it production', async () => {
      const res = await lintFixture(loadFixture('deploy-targets'), { rule: 'deploy/rollback-missing' });
      const msgs = findingsFor(res, '.github/workflows/deploy.yml').map((f) => f.message);
      assert.ok(msgs.some((m) => /'release'.*against production \(`--context prod-eu-1`\)/.test(m)));
      const jobs = ciJobs(parseYaml(loadFixture('deploy-targets')['.github/workflows/deploy.yml']), 'github-workflow');
      assert.match(productionDeploy(jobs.find((j) => j.id === 'infra')!)!, /`TF_WORKSPACE: production`/);
      assert.ok(msgs.some((m) => /'playbook'.*environment=prod/.test(m)));
      assert.ok(msgs.some((m) => /'by-input'.*kubectl config use-context production/.test(m)));
      assert.ok(msgs.some((m) => /'by-matrix'.*environment: production \(matrix\)/.test(m)));
      assert.ok(msgs.some((m) => /'by-choice'.*environment: production \(input\)/.test(m)));
      const gates = (await lintFixture(loadFixture('deploy-targets'), { rule: 'deploy/gate-missing' })).findings.map((f) => f.message);
      assert.ok(gates.some((m) => /'workspace'.*terraform workspace select prod/.test(m)));
      assert.match(findingsFor(res, '.gitlab-ci.yml')[0].message, /KUBE_CONTEXT: production/);
    });

    it('leaves deploys to staging, dev, pull-request namespaces and throwaway clusters alone', async () => {
      const res = await lintFixture(loadFixture('deploy-targets'));
      const flagged = new Set(res.findings.filter((f) => /deploy\/(gate|rollback)-missing/.test(f.ruleId)).map((f) => f.message.split("'")[1]));
      for (const job of ['deploy', 'infra-dev', 'chart-stg', 'playbook-staging', 'preview', 'e2e-kubernetes', 'deployment-tests', 'ship-staging', 'test']) {
        assert.ok(!flagged.has(job), job);
      }
    });
  });

  describe('GitLab CI', () => {
    it('reports deploy jobs without rollback or gate, resolving extends', async () => {
      const res = await lintFixture(loadFixture('workflows/gitlab'));
      assert.deepEqual(summary(res), [
        '.gitlab-ci.yml deploy/gate-missing 27,0,27,9',
        '.gitlab-ci.yml deploy/rollback-missing 20,0,20,17',
        '.gitlab-ci.yml deploy/rollback-missing 27,0,27,9',
      ]);
    });

    it('accepts stage ordering after a test job and a when: on_failure rollback job', async () => {
      const res = await lintFixture(loadFixture('workflows/gitlab-safe'));
      assert.deepEqual(summary(res), []);
    });

    it('accepts rules: when: manual as a gate', async () => {
      const res = await lintFixture(
        { '.gitlab-ci.yml': 'deploy:\n  needs: []\n  script:\n    - helm upgrade --install api ./chart --atomic\n  rules:\n    - if: $CI_COMMIT_BRANCH == "main"\n      when: manual\n' },
        { rule: 'deploy/gate-missing' },
      );
      assert.deepEqual(res.findings, []);
    });
  });
});

describe('deploy rules: CI test runs, infrastructure applies and Cloud Deploy releases', function () {
  this.timeout(30000);
  const GITLAB = [
    'stages: [build, test, deploy]',
    '.cluster-test:',
    '  stage: deploy',
    '  script:',
    '    - ansible-playbook tests/cloud_playbooks/create-vms.yml -e @tests/files/${CASE}.yml',
    '    - ./tests/scripts/run-cases.sh',
    'vm-ubuntu:',
    '  extends: .cluster-test',
    '  variables: {CASE: ubuntu}',
    'tf-openstack:',
    '  stage: deploy',
    '  script:',
    '    - tofu -chdir=contrib/terraform/openstack apply -auto-approve',
    '    - ./tests/scripts/run-cases.sh',
    '  after_script:',
    '    - tofu -chdir=contrib/terraform/openstack destroy -auto-approve',
    'site:',
    '  stage: deploy',
    '  script:',
    '    - ansible-playbook -i inventories/live site.yml',
    '',
  ].join('\n');

  it('a job that deploys the test tree, or tears down what it deployed, is a test run, not a release', async () => {
    const res = await lintFixture({ '.gitlab-ci/clusters.yml': GITLAB, '.gitlab-ci.yml': 'include:\n  - local: .gitlab-ci/clusters.yml\n' });
    const jobs = res.findings.filter((f) => /deploy\/(gate|rollback)-missing/.test(f.ruleId)).map((f) => `${f.ruleId} ${f.message.split("'")[1]}`).sort();
    // The real deploy of the live inventory is still reported.
    assert.deepEqual(jobs, ['deploy/gate-missing site', 'deploy/rollback-missing site']);
    const all = ciJobs(parseYaml(GITLAB), 'gitlab-ci');
    assert.match(testRun(all.find((j) => j.id === 'vm-ubuntu')!)!, /tests\/cloud_playbooks\/create-vms\.yml/);
    assert.match(testRun(all.find((j) => j.id === 'tf-openstack')!)!, /tofu -chdir=contrib\/terraform\/openstack destroy/);
    assert.equal(testRun(all.find((j) => j.id === 'site')!), undefined);
    // `nonProduction: []` checks everything as production: the test tree is deployed like the rest.
    const strict = await lintFixture({ '.gitlab-ci/clusters.yml': GITLAB, '.gitlab-ci.yml': 'include:\n  - local: .gitlab-ci/clusters.yml\n' }, { config: { nonProduction: [] }, rule: 'deploy/gate-missing' });
    assert.ok(strict.findings.some((f) => f.message.includes("'vm-ubuntu'")));
  });

  it('asks no rollback job of a Terraform apply (its way back is the previous commit), and still a gate', async () => {
    const wf = 'on:\n  push:\n    branches: [production]\njobs:\n  apply:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./tf-wrapper.sh apply production\n';
    const res = await lintFixture({ '.github/workflows/apply.yml': wf });
    assert.deepEqual(summary(res).filter((l) => /gate-missing|rollback-missing/.test(l)), ['.github/workflows/apply.yml deploy/gate-missing 4,2,4,7']);
  });

  it('a Cloud Deploy release is promoted, approved and rolled back by its delivery pipeline', async () => {
    const cb = [
      'steps:',
      '  - id: render',
      '    name: gcr.io/k8s-skaffold/skaffold:v2.13.0',
      '    args: [skaffold, build, --file-output=/workspace/artifacts.json]',
      '  - id: release',
      '    name: gcr.io/cloud-builders/gcloud',
      '    args: [deploy, releases, create, "web-$SHORT_SHA", --delivery-pipeline=web, --region=europe-west1]',
      '',
    ].join('\n');
    const res = await lintFixture({ 'src/web/cloudbuild.yaml': cb });
    assert.deepEqual(res.findings.filter((f) => /deploy\/(gate|rollback)-missing/.test(f.ruleId)), []);
    // What it deploys was built and pushed by skaffold with no scan: that is still reported.
    assert.deepEqual(findingsFor(res, 'src/web/cloudbuild.yaml', 'deploy/scan-missing'), []);
    const pushed = await lintFixture({ 'src/web/cloudbuild.yaml': cb.replace('--file-output=/workspace/artifacts.json]', '--file-output=/workspace/artifacts.json, --default-repo=$_REGISTRY]') });
    assert.match(findingsFor(pushed, 'src/web/cloudbuild.yaml', 'deploy/scan-missing')[0].message, /^Step 'render' pushes a container image \(`skaffold build`\)/);
    // The same in a test job pushes to the CI registry what the test deploys.
    const tested = await lintFixture({ 'src/web/cloudbuild.yaml': cb.replace('--file-output=/workspace/artifacts.json]', '--file-output=/workspace/artifacts.json, --default-repo=$_REGISTRY]').replace('id: render', 'id: e2e-tests') });
    assert.deepEqual(findingsFor(tested, 'src/web/cloudbuild.yaml', 'deploy/scan-missing'), []);
    const direct = await lintFixture({ 'src/web/cloudbuild.yaml': cb.replace('[deploy, releases, create, "web-$SHORT_SHA", --delivery-pipeline=web,', '[run, deploy, web, --image=web,') });
    assert.equal(direct.findings.filter((f) => /deploy\/(gate|rollback)-missing/.test(f.ruleId)).length, 2);
  });
});
