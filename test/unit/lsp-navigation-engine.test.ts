import * as assert from 'node:assert/strict';
import { addressMentions, definitionAt, fuzzyScore, referencesAt, runbooksNaming, searchSymbols } from '../../src/engine/navigation';
import { lintFixture } from './helpers';

// The navigation query API without the server: the fuzzy ranking, Terraform addresses as written
// in runbooks (module paths, instance keys), and the symbol table following an edit.

describe('navigation queries (engine)', () => {
  it('ranks a prefix over a word start over a substring over a subsequence, shorter first', () => {
    const score = (q: string, n: string) => fuzzyScore(q, n.toLowerCase());
    const prefix = score('pay', 'payments-api')!;
    const wordStart = score('pay', 'deployment/payments-api')!;
    const inside = score('pay', 'repayments')!;
    const scattered = score('pay', 'postgres-availability')!;
    assert.ok(prefix > wordStart && wordStart > inside && inside > scattered, `${prefix} ${wordStart} ${inside} ${scattered}`);
    assert.ok(score('pay', 'payments')! > score('pay', 'payments-api')!, 'shorter first');
    assert.equal(score('yap', 'payments'), undefined, 'order matters');
    assert.equal(score('paymentsx', 'payments'), undefined);
  });

  it('reads Terraform addresses in runbook text: module paths, instance keys, data sources', async () => {
    const fx = await lintFixture({
      'runbooks/net.md': [
        '---',
        'owner: net',
        'service: vpc',
        'tags: [net]',
        '---',
        '# Network',
        '',
        'Check `module.vpc.aws_subnet.private[0]` and data.aws_ami.base, then module.vpc.',
        'Not addresses: config_file.yaml is a file, example.com a host, $var.x a variable.',
        '',
      ].join('\n'),
      'tf/main.tf': 'module "vpc" {\n  source = "./vpc"\n}\n\ndata "aws_ami" "base" {\n  most_recent = true\n}\n',
      'tf/vpc/main.tf': 'resource "aws_subnet" "private" {\n  count = 2\n}\n',
    });
    const rb = fx.engine.index.get('runbooks/net.md')!;
    assert.deepEqual(
      addressMentions(rb).map((m) => [m.address, m.range.start.line, m.range.start.character]),
      [
        ['aws_subnet.private', 7, 7],
        ['data.aws_ami.base', 7, 45],
        ['module.vpc', 7, 69],
        ['config_file.yaml', 8, 15],
      ],
    );
    const [subnet] = definitionAt(fx.engine.index, rb, { line: 7, character: 30 });
    assert.equal(subnet.path, fx.engine.index.normalise('tf/vpc/main.tf'));
    const [ami] = definitionAt(fx.engine.index, rb, { line: 7, character: 50 });
    assert.equal(ami.range.start.line, 4);
    assert.deepEqual(definitionAt(fx.engine.index, rb, { line: 8, character: 20 }), [], 'a name that looks like an address but is no resource');
    // On a word that is no resource, references are the runbook's own (none link to it).
    assert.deepEqual(referencesAt(fx.engine.index, rb, { line: 8, character: 20 }), []);
    fx.dispose();
  });

  it('keeps the symbol table current after an edit, and finds alert names as words only', async () => {
    const fx = await lintFixture({
      'runbooks/a.md': '---\nowner: x\nservice: y\ntags: [z]\n---\n# A\n\n## Old section\n\nWhen ApiDown fires (not ApiDownstream).\n',
    });
    const index = fx.engine.index;
    assert.equal(searchSymbols(index, 'old section')[0]?.name, 'Old section');
    await fx.engine.update('runbooks/a.md', '---\nowner: x\nservice: y\ntags: [z]\n---\n# A\n\n## New section\n');
    assert.deepEqual(searchSymbols(index, 'old section'), []);
    assert.equal(searchSymbols(index, 'new section')[0]?.name, 'New section');
    await fx.engine.update('runbooks/a.md', '# A\n\nWhen ApiDown fires (not ApiDownstream or ApiDown-v2).\n');
    assert.deepEqual(
      runbooksNaming(index, 'ApiDown').map((l) => l.range.start.character),
      [5],
    );
    fx.dispose();
  });
});
