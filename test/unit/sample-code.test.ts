import * as assert from 'node:assert/strict';
import { declaresSampleCode } from '../../src/engine/nonProduction';
import { loadFixture } from './fixtureFiles';
import { lintFixture } from './helpers';

// Round 3: a repository or folder whose README says it is a sample application, a reference
// pattern catalogue users copy, or not for production: its manifests and Terraform are not
// production, so the production-only rules stay silent there; security rules still run.
describe('sample and reference code declared by a README', () => {
  it('reads the declaration of the project itself, not a warning about one part', () => {
    assert.ok(declaresSampleCode('# Shop\n\nThis is a sample application for containers.\n'));
    assert.ok(declaresSampleCode('# Shop\n\n**This project is intended for\neducational purposes only and not for production use**\n'));
    assert.ok(declaresSampleCode('# X\n\nThese examples are for demonstration purposes.\n'));
    assert.ok(declaresSampleCode('# X\n\nThis repository is a reference architecture for EKS.\n'));
    assert.ok(declaresSampleCode('# X\n\n- Users can copy and paste the patterns into their environment.\n'));
    assert.ok(!declaresSampleCode('# Gateway\n\nThe compose file is not meant for production: deploy the chart.\n'));
    assert.ok(!declaresSampleCode('# Gateway\n\nSee the sample application config below.\n'));
    assert.ok(!declaresSampleCode('# Gateway\n\n```\n# this project is not for production\n```\n'));
  });

  it('silences production-only rules on a sample or a pattern catalogue, keeps them on a product, and keeps security rules everywhere', async () => {
    const res = await lintFixture(loadFixture('sample-code'));
    const rulesOf = (file: string) => [...new Set(res.findings.filter((f) => f.path.endsWith(file)).map((f) => f.ruleId))].filter((r) => r.startsWith('k8s/')).sort();
    const production = ['k8s/image-latest', 'k8s/probes-missing', 'k8s/resources-missing'];
    for (const file of ['shop/chart/templates/db-deployment.yaml', 'blueprints/catalog/load-balancer/app.yaml']) {
      const got = rulesOf(file);
      assert.deepEqual(got.filter((r) => production.includes(r)), [], `${file}: ${got.join(', ')}`);
      assert.ok(got.includes('k8s/privileged'), `${file}: ${got.join(', ')}`);
    }
    // Terraform of a sample is deployed into its users' accounts as it is: still checked.
    assert.ok(res.findings.some((f) => f.path.endsWith('blueprints/catalog/load-balancer/main.tf') && f.ruleId === 'terraform/log-retention-missing'));
    const product = rulesOf('product/deploy/k8s/gateway.yaml');
    for (const r of [...production, 'k8s/privileged']) assert.ok(product.includes(r), `${r} on the product: ${product.join(', ')}`);
  });
});
