import * as assert from 'node:assert/strict';
import { parseMarkdown } from '../../src/engine/parsers/markdown';

describe('markdown parser', () => {
  const text = [
    '---', // 0
    'title: Database failover', // 1
    'owner: sre-team', // 2
    'tags: [database, failover]', // 3
    '---', // 4
    '# Database failover', // 5
    '', // 6
    'See [the deploy runbook](deploy.md#rollback) and [docs](https://example.com).', // 7
    '', // 8
    '## Steps', // 9
    '', // 10
    '1. Promote the replica:', // 11
    '', // 12
    '   ```bash', // 13
    '   kubectl scale deploy/api --replicas=0', // 14
    '   ```', // 15
    '- [ ] Verify writes', // 16
    '', // 17
    '## Rollback', // 18
    '<!-- opsreview-disable-next-line runbook/placeholder -->', // 19
    '- TODO', // 20
  ].join('\n');
  const md = parseMarkdown(text);

  it('reads frontmatter with key positions', () => {
    assert.equal(md.errors.length, 0);
    assert.deepEqual(md.frontmatter?.data, { title: 'Database failover', owner: 'sre-team', tags: ['database', 'failover'] });
    assert.deepEqual(md.frontmatter?.keyRanges.get('owner'), { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } });
    assert.deepEqual(md.frontmatter?.valueRanges.get('owner'), { start: { line: 2, character: 7 }, end: { line: 2, character: 15 } });
    assert.equal(md.frontmatter?.closeLine, 4);
  });

  it('finds headings, sections, links, code blocks, list items and comments with positions', () => {
    assert.deepEqual(md.headings.map((h) => [h.level, h.text, h.line, h.slug]), [
      [1, 'Database failover', 5, 'database-failover'],
      [2, 'Steps', 9, 'steps'],
      [2, 'Rollback', 18, 'rollback'],
    ]);
    assert.deepEqual(md.sections.map((s) => [s.heading.text, s.endLine]), [
      ['Database failover', 20],
      ['Steps', 17],
      ['Rollback', 20],
    ]);
    assert.deepEqual(md.links.map((l) => [l.href, l.text, l.range.start.line, l.range.start.character, l.range.end.character]), [
      ['deploy.md#rollback', 'the deploy runbook', 7, 25, 43],
      ['https://example.com', 'docs', 7, 56, 75],
    ]);
    assert.equal(md.codeBlocks.length, 1);
    assert.equal(md.codeBlocks[0].lang, 'bash');
    assert.equal(md.codeBlocks[0].line, 13);
    assert.match(md.codeBlocks[0].content, /kubectl scale/);
    assert.deepEqual(md.listItems.map((i) => [i.line, i.text, i.checked]), [
      [11, 'Promote the replica:', undefined],
      [16, 'Verify writes', false],
      [20, 'TODO', undefined],
    ]);
    assert.deepEqual(md.comments.map((c) => [c.line, c.text]), [[19, 'opsreview-disable-next-line runbook/placeholder']]);
  });

  it('reports invalid frontmatter YAML at its line, without throwing', () => {
    const bad = parseMarkdown('---\ntitle: x\nowner: [unclosed\n---\n# T\n');
    assert.equal(bad.frontmatter?.valid, false);
    assert.ok(bad.errors.length >= 1);
    assert.match(bad.errors[0].message, /frontmatter/i);
    assert.ok(bad.errors[0].range.start.line >= 2 && bad.errors[0].range.start.line <= 3, `line ${bad.errors[0].range.start.line}`);
    assert.equal(bad.headings[0]?.text, 'T');
  });

  it('reports frontmatter that is not a mapping', () => {
    const bad = parseMarkdown('---\n- a\n- b\n---\n# T\n');
    assert.equal(bad.frontmatter?.valid, false);
    assert.match(bad.errors[0].message, /mapping/);
  });

  it('reports an unclosed frontmatter fence', () => {
    const bad = parseMarkdown('---\ntitle: x\n# T\n');
    assert.equal(bad.frontmatter, undefined);
    assert.match(bad.errors[0].message, /never closed/);
    assert.equal(bad.errors[0].range.start.line, 0);
  });

  it('handles CRLF line endings and a BOM', () => {
    const crlf = parseMarkdown('\uFEFF---\r\nowner: a\r\n---\r\n# Title\r\n\r\n## Rollback\r\n- step\r\n');
    assert.equal(crlf.frontmatter?.data.owner, 'a');
    assert.deepEqual(crlf.headings.map((h) => [h.text, h.line]), [
      ['Title', 3],
      ['Rollback', 5],
    ]);
    assert.equal(crlf.lines.eol, '\r\n');
  });

  it('survives hostile input', () => {
    for (const s of ['', '---', '---\n---', '#'.repeat(10000), '[a](' + '('.repeat(5000), '```\n'.repeat(1000), '\u0000\u0001binary']) {
      assert.doesNotThrow(() => parseMarkdown(s));
    }
  });
});
