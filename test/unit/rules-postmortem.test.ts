import * as assert from 'node:assert/strict';
import { postmortemFileName, postmortemTemplate } from '../../src/engine/alerting/postmortemTemplate';
import { defaultConfig } from '../../src/engine/config/schema';
import { applyFix, lintFixture, rangeOf } from './helpers';

const lines = (...l: string[]) => l.join('\n') + '\n';

const COMPLETE = lines(
  '---',
  'type: postmortem',
  'owner: payments',
  '---',
  '# Postmortem: checkout latency',
  '',
  '## Summary',
  'Checkout was slow for 47 minutes.',
  '',
  '## Customer impact',
  '3.1% of payments failed.',
  '',
  '## Timeline (UTC)',
  '- 14:02 deploy',
  '',
  '## Contributing factors',
  'The query held row locks; this was not human error but a missing load test.',
  '',
  '## Action items',
  '',
  '| Action | Owner | Ticket |',
  '| --- | --- | --- |',
  '| Batch the settlement query | payments | PAY-1881 |',
  '',
  '- Load-test settlement (@sre, due 2026-10-15)',
  '  - with production-sized data',
);

describe('postmortem rules', () => {
  it('are silent on a complete, blameless postmortem with owned, tracked action items', async () => {
    const res = await lintFixture({ 'postmortems/pm.md': COMPLETE });
    assert.deepEqual(res.findings.filter((f) => f.ruleId.startsWith('postmortem/')), []);
  });

  it('the New Postmortem template raises no finding at all, and names its file by date and title', async () => {
    const config = defaultConfig();
    const text = postmortemTemplate({ title: 'Checkout latency after deploy', date: '2026-11-20', service: 'checkout', owner: 'payments-platform', incident: 'INC-42' }, config);
    const name = postmortemFileName({ title: 'Checkout latency after deploy', date: '2026-11-20' });
    assert.equal(name, '2026-11-20-checkout-latency-after-deploy.md');
    const res = await lintFixture({ [`postmortems/${name}`]: text });
    assert.deepEqual(res.findings, []);
    assert.equal(res.engine.index.get(`${res.engine.index.root}/postmortems/${name}`)?.kind, 'postmortem');
    for (const h of ['## Summary', '## Impact', '## Timeline', '## Root cause', '## Action items', '| Action | Owner | Ticket | Due |']) assert.ok(text.includes(h), h);
  });
});

describe('postmortem/section-missing', () => {
  const R = 'postmortem/section-missing';
  it('lists every missing section on the title and appends them; the result passes', async () => {
    const text = lines('---', 'type: postmortem', '---', '# Outage', '', '## Summary', 'It broke.', '', '## Timeline', '- 10:00 it broke');
    const res = await lintFixture({ 'postmortems/a.md': text }, { rule: R });
    assert.equal(res.findings.length, 1);
    const [f] = res.findings;
    assert.deepEqual(rangeOf(f), [3, 0, 3, 8]);
    assert.match(f.message, /no "Impact" or "Affected users", no "Root cause" or "Contributing factors" or "Contributing conditions" or "Causes", no "Action items" or "Follow-ups"/);
    const fixed = applyFix(text, f.fixes![0]);
    assert.match(fixed, /\n- 10:00 it broke\n\n## Impact\n\n<!-- .* -->\n\n## Root cause\n/);
    const again = await lintFixture({ 'postmortems/a.md': fixed });
    assert.deepEqual(again.findings, []);
  });

  it('accepts the headings of common templates (What happened, Chain of events, Affected users, Contributing conditions, Recommendations)', async () => {
    const text = lines('---', 'type: postmortem', '---', '# Outage', '', '## What Happened', 'x', '### Chain of Events', '- 10:00 x', '## Affected users', 'x', '## Contributing Conditions Analysis', 'x', '## Recommendations', '- Add a canary (@sre, OPS-9)');
    const res = await lintFixture({ 'postmortems/a.md': text });
    assert.deepEqual(res.findings.filter((f) => f.ruleId.startsWith('postmortem/')), []);
    // "Recommendations" is an action-items section: an unowned item there is reported.
    const unowned = await lintFixture({ 'postmortems/a.md': text.replace(' (@sre, OPS-9)', '') }, { rule: 'postmortem/action-item-owner-missing' });
    assert.equal(unowned.findings.length, 1);
  });

  it('follows postmortems.requiredSections', async () => {
    const text = lines('---', 'type: postmortem', '---', '# Outage', '', '## What happened', 'x');
    const res = await lintFixture({ 'postmortems/a.md': text }, { rule: R, config: { postmortems: { requiredSections: ['What happened|Summary'] } } });
    assert.deepEqual(res.findings, []);
  });
});

describe('postmortem/action-item-owner-missing', () => {
  const R = 'postmortem/action-item-owner-missing';
  it('reports list items and table rows without an owner or without a ticket or due date', async () => {
    const text = lines(
      '---',
      'type: postmortem',
      '---',
      '# Outage',
      '',
      '## Follow-ups',
      '',
      '- Add an alert on lock waits',
      '- Add a rollback section (owner: sre)',
      '- Batch the query @payments OPS-1',
      '- Add a team dashboard, OPS-2',
      '- Tune the pool (team: db, due 2026-12-01)',
      '',
      '| Action | Owner | Due |',
      '|---|---|---|',
      '| Load test | | 2026-12-01 |',
      '| Runbook review | sre | TBD |',
      '| Dashboard | sre | 2026-12-01 |',
      '',
      '## Lessons',
      '- Not an action item',
    );
    const res = await lintFixture({ 'postmortems/a.md': text }, { rule: R });
    assert.deepEqual(
      res.findings.map((f) => [f.range.start.line, /no owner and no ticket/.test(f.message) ? 'both' : /no owner/.test(f.message) ? 'owner' : 'ticket']),
      [[7, 'both'], [8, 'ticket'], [10, 'owner'], [15, 'owner'], [16, 'ticket']],
    );
    assert.match(res.findings[0].message, /Action item "- Add an alert on lock waits" has no owner and no ticket or due date/);
  });

  it('reads a template owner or due date (TBD, TBA, ??, <name>, YYYY-MM-DD) as missing, and a real one as given', async () => {
    const text = lines(
      '---',
      'type: postmortem',
      '---',
      '# Outage',
      '',
      '## Action items',
      '',
      '- Add an alert on lock waits (owner: TBD, OPS-3)', // 7
      '- Raise the pool size (assignee: ??, OPS-4)', // 8
      '- Tune the query (owner: dba-team, OPS-5)', // 9
      '',
      '| Action | Owner | Due |',
      '|---|---|---|',
      '| Load test | TBA | 2026-12-01 |', // 13
      '| Runbook review | <name> | 2026-12-01 |', // 14
      '| Dashboard | sre | YYYY-MM-DD |', // 15
      '| Failover drill | sre | ?? |', // 16
      '| Alert review | sre | 2026-12-01 |',
    );
    const res = await lintFixture({ 'postmortems/a.md': text }, { rule: R });
    assert.deepEqual(
      res.findings.map((f) => [f.range.start.line, /no owner and no ticket/.test(f.message) ? 'both' : /no owner/.test(f.message) ? 'owner' : 'ticket']),
      [[7, 'owner'], [8, 'owner'], [13, 'owner'], [14, 'owner'], [15, 'ticket'], [16, 'ticket']],
    );
  });
});

describe('postmortem/blame-language', () => {
  const R = 'postmortem/blame-language';
  it('points at each blaming phrase with the blameless alternative, skipping code, quotes in code and negations', async () => {
    const text = lines(
      '---',
      'type: postmortem',
      '---',
      '# Outage',
      '',
      '## Root cause',
      'Human error: Bob should have known the flag was on. It was careless.',
      'No one was at fault; the deploy tool allowed it. `human error` is quoted here.',
      'The lazy-loaded cache and the disk were at fault. The engineer was lazy about it.',
      '```',
      'echo "operator error"',
      '```',
    );
    const res = await lintFixture({ 'postmortems/a.md': text }, { rule: R });
    assert.deepEqual(res.findings.map(rangeOf), [
      [6, 0, 6, 11],
      [6, 17, 6, 34],
      [6, 59, 6, 67],
      [8, 63, 8, 71],
    ]);
    assert.match(res.findings[0].message, /"Human error" blames a person: describe what the system allowed/);
  });

  it('does not run on runbooks', async () => {
    const res = await lintFixture({ 'runbooks/a.md': lines('---', 'owner: a', 'service: b', 'tags: [c]', '---', '# A', 'Human error is common.') }, { rule: R });
    assert.deepEqual(res.findings, []);
  });
});
