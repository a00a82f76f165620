import * as assert from 'node:assert/strict';
import { applyFix, findingsFor, lintFixture, rangeOf } from './helpers';

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
