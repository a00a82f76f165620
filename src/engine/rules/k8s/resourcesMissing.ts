import { isKustomizePatch } from './kustomize';
import { isMap } from 'yaml';
import type { IndexView } from '../../model';
import type { OpsReviewConfig } from '../../config/schema';
import { isNonProduction } from '../../nonProduction';
import { isGeneratedFile } from '../../copies';
import { getNode, getPair, nodeRange, pairs, YamlFile } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { terraformOf, tfResourcesMissing } from './tfWorkloads';
import { containers, ownWorkloads, templated, yamlOf } from './workloads';

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
    profile: 'all',
    practice: 'capacity-planning',
    kinds: ['k8s-manifest', 'terraform'],
    subject: 'k8s-workload',
    productionOnly: true,
    // Another manifest may hold the same object (an aggregate, a copy): see ownWorkloads.
    crossFile: true,
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
    const habits = workspaceHabits(ctx.index, ctx.config);
    for (const w of ownWorkloads(file, ctx.index, ctx.file, ctx.config)) {
      for (const c of containers(w)) {
        const resources = getNode(c.node, 'resources');
        // A Helm template's `resources: {{ toYaml … }}` (or keys it may add) is set at render time.
        if (templated(file, c.node) || templated(file, resources)) continue;
        const anchor = getPair(c.node, 'resources') ?? getPair(c.node, 'name') ?? pairs(c.node)[0];
        if (!anchor) continue;
        const range = getPair(c.node, 'resources') ? nodeRange(file, anchor.key) : nodeRange(file, anchor.value ?? anchor.key);
        // No init container of the repository is sized: one decision, reported once (on the first).
        if (c.init && habits.initSized === 0 && habits.initTotal >= 2) {
          if (habits.firstUnsizedInit?.path === ctx.file.path && habits.firstUnsizedInit.object === `${w.kind}/${w.name}` && habits.firstUnsizedInit.name === c.name ) {
            out.push({
              range,
              message: `None of the ${habits.initTotal} init containers in this repository sets resources (while its containers do): that is one decision, reported once here rather than on each. An init container's requests count in the pod's scheduling (the larger of its and the containers' sum): size the heavy ones (a migration, a download) from observed usage, or leave them unsized on purpose.`,
            });
          }
          continue;
        }
        const required = !c.init && habits.limitsNowhere ? REQUIRED.filter(([section]) => section !== 'limits') : REQUIRED;
        const missing = required.filter(([section, res]) => getNode(getNode(resources, section), res) == null && !templated(file, getNode(resources, section))).map(([s, r]) => `${s}.${r}`);
        const limitOnly = !c.init && habits.limitsNowhere && getNode(getNode(resources, 'limits'), 'memory') == null;
        if (limitOnly && habits.firstWithoutLimit?.path === ctx.file.path && habits.firstWithoutLimit.object === `${w.kind}/${w.name}` && habits.firstWithoutLimit.name === c.name) {
          out.push({
            range,
            message: `None of the ${habits.mainTotal} containers in this repository sets a memory limit, while ${habits.withRequests} set requests: requests without limits is one decision, reported once here rather than on each. A memory limit stops one leaking pod from starving its node; if the platform's convention is requests only (limits stripped on purpose), keep it and say so in .opsreview.yml.`,
          });
        }
        if (!missing.length) continue;
        out.push({
          range,
          message: `${c.init ? 'Init container' : 'Container'} '${c.name}' of ${w.kind} '${w.name}' is missing resources ${missing.join(', ')}: set requests from observed usage${habits.limitsNowhere ? '' : ' (and a memory limit)'} so the scheduler and capacity planning can rely on them.`,
        });
      }
    }
    return out;
  },
};

interface Habits {
  mainTotal: number;
  withRequests: number;
  /** No container of the repository sets a memory limit while some set requests. */
  limitsNowhere: boolean;
  initTotal: number;
  initSized: number;
  firstWithoutLimit?: { path: string; object: string; name: string };
  firstUnsizedInit?: { path: string; object: string; name: string };
}

const habitsCache = new WeakMap<IndexView, { generation: number; config: OpsReviewConfig; habits: Habits }>();

/**
 * How the repository's own workloads (copies and add-ons aside) size their containers: whether
 * any sets a memory limit, whether any init container is sized, and the first (in path order)
 * that does not, where the one repository-level finding goes.
 */
function workspaceHabits(index: IndexView, config: OpsReviewConfig): Habits {
  const generation = index.generation;
  const hit = habitsCache.get(index);
  if (hit && generation !== undefined && hit.generation === generation && hit.config === config) return hit.habits;
  const h: Habits = { mainTotal: 0, withRequests: 0, limitsNowhere: false, initTotal: 0, initSized: 0 };
  let withLimit = 0;
  let mainSized = 0;
  const files = [...index.byKind('k8s-manifest')].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const f of files) {
    const y = yamlOf(f.parsed);
    // Where the rule runs: production files of the repository's own, not the patches of an overlay.
    if (!y || isNonProduction(f, config) || isGeneratedFile(f) || isKustomizePatch(index, f.path)) continue;
    for (const w of ownWorkloads(y, index, f, config)) {
      for (const c of containers(w)) {
        const resources = getNode(c.node, 'resources');
        const dynamic = templated(y, c.node) || templated(y, resources);
        const set = (section: string, res?: string) => dynamic || templated(y, getNode(resources, section)) || (res ? getNode(getNode(resources, section), res) != null : isMap(getNode(resources, section)) && pairs(getNode(resources, section)).length > 0);
        if (c.init) {
          h.initTotal++;
          if (set('requests') || set('limits')) h.initSized++;
          else h.firstUnsizedInit ??= { path: f.path, object: `${w.kind}/${w.name}`, name: c.name };
          continue;
        }
        h.mainTotal++;
        if (set('requests')) h.withRequests++;
        if (set('requests') || set('limits')) mainSized++;
        if (set('limits', 'memory')) withLimit++;
        else h.firstWithoutLimit ??= { path: f.path, object: `${w.kind}/${w.name}`, name: c.name };
      }
    }
  }
  h.limitsNowhere = withLimit === 0 && h.withRequests > 0;
  // Init containers are one decision only where the containers are sized: otherwise nothing is, and each is reported.
  if (mainSized === 0) h.initSized = -1;
  if (generation !== undefined) habitsCache.set(index, { generation, config, habits: h });
  return h;
}
