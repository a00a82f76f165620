import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classifyWithReason } from '../../src/engine/classify';
import { defaultConfig } from '../../src/engine/config/schema';
import { incidentResponsePhases } from '../../src/engine/conventions/markdownShape';

// Issue 15: incident-response playbooks (NIST SP 800-61 / SANS phases) and `Playbooks/` folders.
describe('classify: incident-response playbooks', () => {
  const config = defaultConfig();
  const shape = { linked: new Map<string, string>(), alertNames: new Map<string, string>(), shape: true };
  const dir = path.join(__dirname, '../../../test/fixtures/recognition/ir-playbooks');
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');

  it('reads a page whose headings name response phases as a runbook', () => {
    const c = classifyWithReason('security/leaked-token.md', read('leaked-token.md'), config, shape);
    assert.equal(c.kind, 'runbook');
    assert.match(c.reason, /incident-response phases Detection, Containment, Eradication, Recovery, Lessons learned/);
  });

  it('counts verb headings (Investigate, Contain) as phases', () => {
    assert.deepEqual(incidentResponsePhases('# X\n\n## Investigate\n\n- a\n\n## Contain\n\n- b\n'), ['Analysis', 'Containment']);
  });

  it('does not make an incident review with Detection / Recovery / Lessons learned a runbook', () => {
    assert.deepEqual(incidentResponsePhases(read('outage-review.md')), []);
    const c = classifyWithReason('docs/outage-review.md', read('outage-review.md'), config, shape);
    assert.notEqual(c.kind, 'runbook');
  });

  it('does not count one phase, nor phase words inside long prose headings', () => {
    assert.deepEqual(incidentResponsePhases('# X\n\n## Containment\n\n- a\n'), []);
    assert.deepEqual(incidentResponsePhases('# X\n\n## How we think about containment of risk\n\n## Why recovery matters to us here\n'), []);
  });

  it('matches the runbook globs without regard to case (Playbooks/, Runbooks/)', () => {
    assert.equal(classifyWithReason('Playbooks/malware.md', read('Playbooks/malware.md'), config, shape).kind, 'runbook');
    assert.equal(classifyWithReason('ops/Runbooks/DB/failover.md', '# Failover\n\n1. Promote the replica.\n', config).kind, 'runbook');
    assert.equal(classifyWithReason('Postmortems/2026-01-outage.md', '# Outage\n\n## Timeline\n', config).kind, 'postmortem');
  });

  it('leaves a README under Playbooks/ a project doc', () => {
    assert.equal(classifyWithReason('Playbooks/README.md', '# Playbooks\n\n## Containment\n\n## Eradication\n', config, shape).kind, undefined);
  });
});
