import { getPair, nodeRange, pairs, YamlFile } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { containers, workloads, yamlOf } from './workloads';

// Without a readiness probe a pod receives traffic as soon as its process starts, and a rolling
// update keeps going while new pods fail: the rollout cannot tell healthy from broken.
const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

export const rule: Rule<YamlFile> = {
  meta: {
    id: 'k8s/probes-missing',
    description: 'A Deployment, StatefulSet or DaemonSet container has no readiness probe, so traffic and rollouts cannot tell healthy pods from broken ones.',
    defaultSeverity: 'warning',
    practice: 'health-checks',
    kinds: ['k8s-manifest'],
    productionOnly: true,
    equivalents: [
      { tool: 'checkov', id: 'CKV_K8S_9' },
      { tool: 'kube-linter', id: 'no-readiness-probe' },
    ],
  },
  check(ctx) {
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    const out: RuleFinding[] = [];
    for (const w of workloads(file)) {
      if (!LONG_RUNNING.has(w.kind)) continue;
      for (const c of containers(w)) {
        if (c.init || getPair(c.node, 'readinessProbe')) continue;
        const anchor = getPair(c.node, 'name') ?? pairs(c.node)[0];
        if (!anchor) continue;
        out.push({
          range: nodeRange(file, anchor.value ?? anchor.key),
          message: `Container '${c.name}' of ${w.kind} '${w.name}' has no readinessProbe: add one (httpGet on a health endpoint, or tcpSocket) so traffic and rolling updates wait for healthy pods.`,
        });
      }
    }
    return out;
  },
};
