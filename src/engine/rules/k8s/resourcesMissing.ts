import { isKustomizePatch } from './kustomize';
import { getNode, getPair, nodeRange, pairs, YamlFile } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { terraformOf, tfResourcesMissing } from './tfWorkloads';
import { containers, templated, workloads, yamlOf } from './workloads';

// Requests are what the scheduler and capacity planning count on; a memory limit stops one pod
// from starving its node. A CPU limit is not required: CPU is compressible and limits throttle
// latency-sensitive services, so many teams leave it out on purpose.
const REQUIRED: [string, string][] = [
  ['requests', 'cpu'],
  ['requests', 'memory'],
  ['limits', 'memory'],
];

export const rule: Rule<YamlFile> = {
  meta: {
    id: 'k8s/resources-missing',
    description: 'A container has no CPU/memory requests or memory limit, so scheduling and capacity planning are guesswork.',
    defaultSeverity: 'warning',
    practice: 'capacity-planning',
    kinds: ['k8s-manifest', 'terraform'],
    subject: 'k8s-workload',
    productionOnly: true,
    equivalents: [
      { tool: 'checkov', id: 'CKV_K8S_10' },
      { tool: 'checkov', id: 'CKV_K8S_12' },
      { tool: 'checkov', id: 'CKV_K8S_13' },
      { tool: 'kube-linter', id: 'unset-cpu-requirements' },
      { tool: 'kube-linter', id: 'unset-memory-requirements' },
    ],
  },
  check(ctx) {
    // The kubernetes provider's workloads written in Terraform (kubernetes_deployment_v1, …).
    const tf = terraformOf(ctx.parsed);
    if (tf) return tfResourcesMissing(tf, REQUIRED);
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    // A kustomize patch holds only the fields it changes.
    if (isKustomizePatch(ctx.index, ctx.file.path)) return [];
    const out: RuleFinding[] = [];
    for (const w of workloads(file)) {
      for (const c of containers(w)) {
        const resources = getNode(c.node, 'resources');
        // A Helm template's `resources: {{ toYaml … }}` (or keys it may add) is set at render time.
        if (templated(file, c.node) || templated(file, resources)) continue;
        const missing = REQUIRED.filter(([section, res]) => getNode(getNode(resources, section), res) == null && !templated(file, getNode(resources, section))).map(([s, r]) => `${s}.${r}`);
        if (!missing.length) continue;
        const anchor = getPair(c.node, 'resources') ?? getPair(c.node, 'name') ?? pairs(c.node)[0];
        if (!anchor) continue;
        const range = getPair(c.node, 'resources') ? nodeRange(file, anchor.key) : nodeRange(file, anchor.value ?? anchor.key);
        out.push({
          range,
          message: `${c.init ? 'Init container' : 'Container'} '${c.name}' of ${w.kind} '${w.name}' is missing resources ${missing.join(', ')}: set requests from observed usage (and a memory limit) so the scheduler and capacity planning can rely on them.`,
        });
      }
    }
    return out;
  },
};
