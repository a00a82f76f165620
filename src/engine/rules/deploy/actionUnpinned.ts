import { isScalar, Node } from 'yaml';
import { getNode, nodeRange, pairs, seqItems, YamlFile, YNode } from '../../parsers/yaml';
import type { Range, RuleFinding } from '../../types';
import type { Rule } from '../types';
import { yamlOf } from './ciJobs';

// A tag or branch of a third-party action can be moved to different code at any time (as in
// the tj-actions/changed-files compromise of March 2025); a full commit SHA cannot. Pinning
// makes the pipeline that ships to production reproducible and reviewable.
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'deploy/action-unpinned',
    description: 'A workflow uses an action or reusable workflow by tag or branch instead of a full commit SHA.',
    defaultSeverity: 'warning',
    practice: 'supply-chain-pinning',
    kinds: ['github-workflow'],
    equivalents: [{ tool: 'zizmor', id: 'unpinned-uses' }],
  },
  check(ctx) {
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    const out: RuleFinding[] = [];
    for (const doc of file.docs) {
      for (const job of pairs(getNode(doc.contents as YNode, 'jobs'))) {
        checkUses(file, getNode(job.value as YNode, 'uses'), out);
        for (const step of seqItems(getNode(job.value as YNode, 'steps'))) checkUses(file, getNode(step, 'uses'), out);
      }
      // Composite action metadata (`runs.steps`) in a workflows folder is rare, but cheap to cover.
      for (const step of seqItems(getNode(getNode(doc.contents as YNode, 'runs'), 'steps'))) checkUses(file, getNode(step, 'uses'), out);
    }
    return out;
  },
};

const SHA = /^[0-9a-f]{40}$/;

function checkUses(file: YamlFile, node: YNode, out: RuleFinding[]): void {
  if (!isScalar(node) || typeof node.value !== 'string') return;
  const value = node.value.trim();
  if (!value || value.startsWith('./') || value.includes('${{')) return;
  const at = locate(file, node as Node, node.value);
  if (value.startsWith('docker://')) {
    const image = value.slice('docker://'.length);
    if (/@sha256:[0-9a-f]{64}$/.test(image)) return;
    const slash = image.lastIndexOf('/');
    const colon = image.indexOf(':', slash + 1);
    const range = colon >= 0 ? at(colon + 'docker://'.length + 1, value.length) : at(0, value.length);
    out.push({ range, message: `Docker image '${image}' is not pinned by digest: use \`docker://${image.split(':')[0]}@sha256:<digest>\` so the step cannot change under you.` });
    return;
  }
  const i = value.lastIndexOf('@');
  if (i < 0) {
    out.push({ range: at(0, value.length), message: `Action '${value}' has no ref: pin it to a full 40-character commit SHA (\`${value}@<sha> # vX.Y.Z\`).` });
    return;
  }
  const ref = value.slice(i + 1);
  if (SHA.test(ref)) return;
  const what = value.includes('/.github/workflows/') ? 'Reusable workflow' : 'Action';
  const hint = /^[0-9a-f]{7,39}$/.test(ref) ? 'a short SHA can be ambiguous; use the full 40-character commit SHA' : 'tags and branches can be moved; pin the full 40-character commit SHA and keep the tag in a comment';
  out.push({ range: at(i + 1, value.length), message: `${what} '${value.slice(0, i)}' is pinned to '${ref}': ${hint} (\`@<sha> # ${ref}\`).` });
}

/** Maps offsets inside the scalar's value to a range in the file (quoted or plain). */
function locate(file: YamlFile, node: Node, value: string): (s: number, e: number) => Range {
  const r = node.range!;
  const raw = file.text.slice(r[0], r[1]);
  const lead = value.length - value.trimStart().length;
  const off = raw.indexOf(value);
  if (off < 0) return () => nodeRange(file, node);
  return (s, e) => file.lines.rangeOf(r[0] + off + lead + s, r[0] + off + lead + e);
}
