import * as assert from 'node:assert/strict';
import { findDirectives } from '../../src/engine/suppression';
import { LineIndex } from '../../src/engine/text';

describe('suppression directives', () => {
  it('reads next-line, line and file directives in #, // and HTML comments', () => {
    const d = findDirectives(
      new LineIndex(
        [
          '# opsreview-disable-next-line alert/for-missing, alert/summary-missing',
          'x: 1 # opsreview-disable-line ansible/ignore-errors -- known flaky host',
          '<!-- opsreview-disable runbook/placeholder -->',
          '// opsreview-disable-next-line',
          'nothing here',
        ].join('\n'),
      ),
    );
    assert.deepEqual(
      d.map((x) => [x.kind, x.ruleIds, x.targetLine]),
      [
        ['next-line', ['alert/for-missing', 'alert/summary-missing'], 1],
        ['line', ['ansible/ignore-errors'], 1],
        ['file', ['runbook/placeholder'], 2],
        ['next-line', [], 4],
      ],
    );
    assert.deepEqual(d[1].idRanges[0], { start: { line: 1, character: 30 }, end: { line: 1, character: 51 } });
  });
});
