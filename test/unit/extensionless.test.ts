import * as assert from 'node:assert/strict';
import { lintFixture } from './helpers';

// Issue 15, class A.8: a postmortem saved without its extension, among markdown postmortems.

const postmortem = (title: string) => `# ${title}\n\n## Summary\n\nThe API was down.\n\n## Timeline\n\n- 10:00 paged\n\n## Root cause\n\nA bad AMI.\n\n## Action items\n\n- [ ] pin the AMI\n`;

describe('documents saved without an extension', () => {
  it('a postmortem among markdown files is indexed; scripts and tool files next to it are not', async () => {
    const res = await lintFixture({
      'PM2023-001 - API outage.md': postmortem('API outage'),
      'PM2023-002 - Bad AMI rolled out': postmortem('Bad AMI rolled out'),
      'Makefile': '# Build\n\n## Targets\n',
      'cleanup': '#!/bin/sh\n# Timeline\n# Root cause\nrm -rf /tmp/x\n',
      'tools/notes': postmortem('Not next to markdown'),
    });
    assert.equal(res.engine.index.get('PM2023-001 - API outage.md')?.kind, 'postmortem');
    assert.equal(res.engine.index.get('PM2023-002 - Bad AMI rolled out')?.kind, 'postmortem');
    assert.equal(res.engine.index.get('Makefile'), undefined);
    assert.equal(res.engine.index.get('cleanup'), undefined);
    assert.equal(res.engine.index.get('tools/notes'), undefined);
  });
});
