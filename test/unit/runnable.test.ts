import * as assert from 'node:assert/strict';
import { defaultConfig } from '../../src/engine/config/schema';
import { classifyScript } from '../../src/engine/runbook/commandEffect';
import { consoleCommands, fillPlaceholders, runAllConfirmation, runnableBlocks, runTranscript, shellPlaceholders, stepConfirmation } from '../../src/engine/runbook/runnable';
import { renderRunbook, RUNBOOK_TEMPLATE_KINDS } from '../../src/engine/runbook/templates';
import { lintFixture } from './helpers';

// Runnable runbooks, engine side: which blocks run, what they need filled in, which commands
// change production (the same detection as runbook/rollback-missing), the run transcript, and
// the new-runbook templates (a generated runbook raises no finding).

describe('runnable runbook blocks', () => {
  const runbook = [
    '# Restart the API',
    '',
    '```sh',
    'kubectl -n ${NAMESPACE} get pods -l app=<service>',
    '```',
    '',
    '```python',
    'print("not a shell step")',
    '```',
    '',
    '```console',
    '$ kubectl -n $NAMESPACE rollout restart deployment/$DEPLOYMENT',
    'deployment.apps/api restarted',
    '```',
    '',
    '    indented code is not runnable',
    '',
    '```bash',
    '# a comment only: kubectl delete pod x',
    'echo done',
    '```',
  ].join('\n');

  it('takes fenced sh/bash/shell/console blocks in order, console prompts without their output', () => {
    const blocks = runnableBlocks(runbook);
    assert.deepEqual(
      blocks.map((b) => [b.index, b.lang, b.line]),
      [
        [0, 'sh', 2],
        [1, 'console', 10],
        [2, 'bash', 17],
      ],
    );
    assert.equal(blocks[1].script, 'kubectl -n $NAMESPACE rollout restart deployment/$DEPLOYMENT');
    assert.equal(consoleCommands('$ ls\nfile\n# id\nuid=0\n'), 'ls\nid');
  });

  it('detects ${VAR}, $VAR and <name> placeholders, each once, not what the block sets or the shell provides', () => {
    assert.deepEqual(
      runnableBlocks(runbook)[0].placeholders.map((p) => [p.text, p.name]),
      [
        ['${NAMESPACE}', 'NAMESPACE'],
        ['<service>', 'service'],
      ],
    );
    const script = ['POD=$(kubectl get pods -o name | head -1)', 'kubectl logs $POD -n $NAMESPACE --since=$SINCE', 'echo $HOME $NAMESPACE', "awk '{print $NF}' <file.txt", 'for NODE in a b; do echo $NODE; done', 'cat <<EOF', '<br>', 'EOF'].join('\n');
    assert.deepEqual(
      shellPlaceholders(script).map((p) => p.text),
      ['$NAMESPACE', '$SINCE'],
    );
  });

  it('fills placeholders, the longer name first, leaving unknown ones', () => {
    const script = 'kubectl -n ${NS} logs $POD_NAME --tail=$POD <service> $OTHER';
    const ph = shellPlaceholders(script);
    assert.equal(fillPlaceholders(script, ph, { NS: 'prod', POD_NAME: 'api-1', POD: '10', service: 'api' }), 'kubectl -n prod logs api-1 --tail=10 api $OTHER');
  });

  it('confirms the commands that change state or whose effect is unknown, naming each and why', () => {
    const blocks = runnableBlocks(runbook);
    assert.deepEqual(blocks[0].confirm, [], 'get pods only reads');
    assert.equal(blocks[0].effect, 'reads');
    assert.deepEqual(
      blocks[1].confirm.map((c) => [c.effect, c.text]),
      [['changes', 'kubectl -n $NAMESPACE rollout restart']],
    );
    assert.deepEqual(blocks[2].confirm, [], 'a commented-out command is not a step');
    assert.equal(stepConfirmation(blocks[0]), undefined);
    assert.deepEqual(stepConfirmation(blocks[1]), {
      message: 'Run step 2? It changes state.',
      detail: '`kubectl -n $NAMESPACE rollout restart` — kubectl rollout restart changes state: restarts the pods of a workload (a rolling restart)',
    });
    const rotate = runnableBlocks('# Rotate\n\n```sh\nvault write pki/issue/edge common_name=x ttl=24h > /tmp/c.json\n./rotate.sh --env prod\n```\n\n```sh\nkubectl get pods\n```\n');
    assert.equal(rotate[0].effect, 'changes');
    assert.deepEqual(stepConfirmation(rotate[0]), {
      message: 'Run step 1? It changes state, and the effect of some of its commands is unknown.',
      detail: '`vault write` — vault write changes state: issues a certificate\n`./rotate.sh` — ./rotate.sh is a custom script: its effect is unknown',
    });
    assert.deepEqual(runAllConfirmation(rotate), {
      message: 'Run all 2 steps? One of them changes state or has an unknown effect.',
      detail: 'Step 1 (line 3): `vault write` — vault write changes state: issues a certificate; `./rotate.sh` — ./rotate.sh is a custom script: its effect is unknown',
    });
    assert.equal(runAllConfirmation(rotate.slice(1)), undefined, 'read-only steps run without asking');
    assert.deepEqual(
      classifyScript('helm upgrade api ./chart\nterraform plan\nterraform apply -auto-approve\nsystemctl status nginx\npsql -c "DELETE FROM jobs"').map((c) => [c.tool, c.effect]),
      [
        ['helm', 'changes'],
        ['terraform', 'reads'],
        ['terraform', 'changes'],
        ['systemctl', 'reads'],
        ['psql', 'changes'],
      ],
    );
  });

  it('writes a timestamped transcript that pastes into a postmortem timeline', () => {
    const t = runTranscript(
      [
        { command: 'kubectl get pods', start: new Date('2026-11-25T14:02:11.120Z'), end: new Date('2026-11-25T14:02:12.500Z'), exitCode: 0, source: 'runbooks/api.md step 1' },
        { command: 'false\necho x', start: new Date('2026-11-25T14:03:00Z'), end: new Date('2026-11-25T14:03:01Z'), exitCode: 1 },
        { command: 'make deploy', start: new Date('2026-11-25T14:04:00Z'), end: new Date('2026-11-25T14:04:09Z') },
      ],
      'Restart the API',
    );
    assert.equal(
      t,
      [
        '## Restart the API',
        '',
        '- 2026-11-25 14:02:11Z — ran `kubectl get pods` (runbooks/api.md step 1); ended 2026-11-25 14:02:12Z, succeeded (exit 0)',
        '- 2026-11-25 14:03:00Z — ran `false ⏎ echo x`; ended 2026-11-25 14:03:01Z, FAILED (exit 1)',
        '- 2026-11-25 14:04:00Z — ran `make deploy`; ended 2026-11-25 14:04:09Z, exit code unknown (no shell integration)',
        '',
      ].join('\n'),
    );
  });
});

describe('new runbook templates', () => {
  const today = '2026-11-25';

  for (const kind of RUNBOOK_TEMPLATE_KINDS) {
    it(`writes a ${kind} runbook that raises no finding`, async () => {
      const r = renderRunbook({ service: 'Payments API', owner: 'team-payments', kind, today }, defaultConfig());
      const fx = await lintFixture({ [r.relPath]: r.text });
      assert.deepEqual(
        fx.findings.map((f) => `${f.ruleId}: ${f.message}`),
        [],
      );
      const file = fx.engine.index.get(r.relPath);
      assert.equal(file?.kind, kind === 'postmortem' ? 'postmortem' : 'runbook');
      assert.equal(file?.runbook?.owner, 'team-payments');
      assert.equal(file?.runbook?.service, 'Payments API');
      if (kind === 'deploy' || kind === 'maintenance') assert.ok(file?.runbook?.sections.some((s) => s.title === 'Rollback'));
      fx.dispose();
    });
  }

  it('follows the configuration: required tag keys, extra required keys, its first rollback word', async () => {
    const config = { runbooks: { requiredTags: ['team', 'tier'], requiredFrontmatter: ['owner', 'service', 'tags', 'runbook_version'], rollbackHeadings: ['Back out'] } };
    const fx0 = await lintFixture({}, { config });
    const r = renderRunbook({ service: 'checkout', owner: 'Payments Team', kind: 'deploy', today }, fx0.engine.config);
    assert.match(r.text, /^tags: \[checkout, team:payments-team, tier:checkout\]$/m);
    assert.match(r.text, /^## Back out$/m);
    const fx = await lintFixture({ [r.relPath]: r.text }, { config });
    assert.deepEqual(
      fx.findings.map((f) => `${f.ruleId}: ${f.message}`),
      [],
    );
  });

  it('does not lint team templates or saved transcripts as runbooks', async () => {
    const fx = await lintFixture({
      '.opsreview/templates/deploy.md': '---\nowner: {{owner}}\nservice: {{service}}\ntags: {{tags}}\n---\n# {{title}}\n',
      '.opsreview/runs/run-2026-11-25.md': '## Runbook run\n\n- 2026-11-25 14:02:11Z — ran `ls`; ended 2026-11-25 14:02:12Z, succeeded (exit 0)\n',
      'runbooks/real.md': '---\nowner: x\nservice: y\ntags: [z]\n---\n# Real\n',
    });
    assert.deepEqual([...fx.engine.index.files()].map((f) => f.relPath), ['runbooks/real.md']);
    assert.deepEqual(fx.findings, []);
    fx.dispose();
  });

  it('fills a team template from .opsreview/templates', () => {
    const r = renderRunbook({ service: 'checkout', owner: 'sre', kind: 'alert-response', today }, defaultConfig(), '---\nowner: {{owner}}\nservice: {{ service }}\n---\n# {{title}} {{unknown}}\n');
    assert.equal(r.text, '---\nowner: sre\nservice: checkout\n---\n# checkout: alert response {{unknown}}\n');
    assert.equal(r.relPath, 'runbooks/checkout-alert-response.md');
  });
});
