import { getPair, nodeRange, stringValue, YamlFile } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { containers, workloads, yamlOf } from './workloads';

// `:latest` (or no tag, which means latest) makes the manifest say nothing about what runs:
// two nodes can pull different images, and "roll back to the previous manifest" re-deploys the
// same moving tag. A version tag, or better a digest, makes releases and rollbacks exact.
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'k8s/image-latest',
    description: 'A container image has no tag or uses `:latest`, so what runs (and what a rollback restores) is not fixed.',
    defaultSeverity: 'warning',
    practice: 'supply-chain-pinning',
    kinds: ['k8s-manifest'],
    productionOnly: true,
    equivalents: [
      { tool: 'checkov', id: 'CKV_K8S_14' },
      { tool: 'kube-linter', id: 'latest-tag' },
    ],
  },
  check(ctx) {
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    const out: RuleFinding[] = [];
    for (const w of workloads(file)) {
      for (const c of containers(w)) {
        const pair = getPair(c.node, 'image');
        const image = stringValue(pair?.value)?.trim();
        if (!pair || !image || /\{\{|\$\(|\$\{/.test(image)) continue;
        if (image.includes('@')) continue; // pinned by digest
        const slash = image.lastIndexOf('/');
        const colon = image.indexOf(':', slash + 1);
        const tag = colon >= 0 ? image.slice(colon + 1) : '';
        if (tag && tag !== 'latest') continue;
        out.push({
          range: nodeRange(file, pair.value),
          message: `Container '${c.name}' of ${w.kind} '${w.name}' uses ${tag ? "':latest'" : 'an untagged image (latest)'}: pin a version tag or a digest (\`@sha256:…\`) so releases and rollbacks are exact.`,
        });
      }
    }
    return out;
  },
};
