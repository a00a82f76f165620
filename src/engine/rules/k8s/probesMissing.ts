import { isKustomizePatch } from './kustomize';
import { isMap } from 'yaml';
import type { IndexedFile, IndexView } from '../../model';
import { getNode, getPair, isTrue, nodeRange, pairs, seqItems, stringValue, YamlFile, YNode } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { terraformOf, tfProbesMissing } from './tfWorkloads';
import { containers, templated, workloads, yamlOf } from './workloads';

// Without a readiness probe a pod receives traffic as soon as its process starts, and a rolling
// update keeps going while new pods fail: the rollout cannot tell healthy from broken. A container
// that serves nothing (no `ports`, and none of the workspace's Services selects its pods: a load
// generator, a queue worker; a DaemonSet's node agent; a sidecar beside the container
// that carries the pod's probe) has no traffic to hold back.
const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

export const rule: Rule<YamlFile> = {
  meta: {
    id: 'k8s/probes-missing',
    description: 'A Deployment, StatefulSet or DaemonSet container has no readiness probe, so traffic and rollouts cannot tell healthy pods from broken ones.',
    defaultSeverity: 'warning',
    practice: 'health-checks',
    kinds: ['k8s-manifest', 'terraform'],
    subject: 'k8s-long-running',
    productionOnly: true,
    crossFile: true,
    equivalents: [
      { tool: 'checkov', id: 'CKV_K8S_9' },
      { tool: 'kube-linter', id: 'no-readiness-probe' },
    ],
  },
  check(ctx) {
    // The kubernetes provider's workloads written in Terraform (kubernetes_deployment_v1, …).
    const tf = terraformOf(ctx.parsed);
    if (tf) return tfProbesMissing(tf);
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    // A kustomize patch holds only the fields it changes.
    if (isKustomizePatch(ctx.index, ctx.file.path)) return [];
    const out: RuleFinding[] = [];
    let selectors: Map<string, string>[] | undefined;
    for (const w of workloads(file)) {
      if (!LONG_RUNNING.has(w.kind)) continue;
      const labels = podLabels(w.object);
      for (const c of containers(w)) {
        if (c.init || getPair(c.node, 'readinessProbe') || templated(file, c.node)) continue;
        if (!seqItems(getNode(c.node, 'ports')).length) {
          // A node agent without ports (a CNI daemon, a log shipper, an installer) takes no Service traffic.
          if (w.kind === 'DaemonSet' || isTrue(getNode(w.podSpec, 'hostNetwork'))) continue;
          // A sidecar without ports beside a container that has the probe: the pod is ready when that one is.
          if (containers(w).some((o) => o !== c && !o.init && getPair(o.node, 'readinessProbe'))) continue;
          // A worker no Service of the workspace selects (a queue consumer, a load generator)
          // serves no traffic to hold back; only judged when the workspace defines its Services.
          selectors ??= serviceSelectors(ctx.index);
          if (selectors.length && !selectors.some((sel) => [...sel].every(([k, v]) => labels.get(k) === v))) continue;
        }
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

function stringMap(node: YNode): Map<string, string> {
  const out = new Map<string, string>();
  if (!isMap(node)) return out;
  for (const p of pairs(node)) {
    const k = stringValue(p.key as YNode);
    const v = stringValue(p.value as YNode);
    if (k !== undefined && v !== undefined) out.set(k, v);
  }
  return out;
}

/** The labels of a workload's pod template. */
export function podLabels(object: YNode): Map<string, string> {
  return stringMap(getNode(getNode(getNode(getNode(object, 'spec'), 'template'), 'metadata'), 'labels'));
}

/** Selectors per manifest file: files are replaced on change, so this is never stale. */
const selectorsOfFile = new WeakMap<IndexedFile, Map<string, string>[]>();

/** The pod selectors of every Service in the workspace's manifests. */
export function serviceSelectors(index: IndexView): Map<string, string>[] {
  return index.byKind('k8s-manifest').flatMap((f) => {
    let list = selectorsOfFile.get(f);
    if (!list) selectorsOfFile.set(f, (list = selectorsIn(f)));
    return list;
  });
}

function selectorsIn(f: IndexedFile): Map<string, string>[] {
  const out: Map<string, string>[] = [];
  const y = yamlOf(f.parsed);
  // The parsed documents' `kind`, not a scan of the text: manifests include megabyte CRDs.
  if (!y) return out;
  for (const doc of y.docs) {
    const visit = (obj: YNode): void => {
      if (!isMap(obj)) return;
      const kind = stringValue(getNode(obj, 'kind'));
      if (kind === 'List') for (const item of seqItems(getNode(obj, 'items'))) visit(item);
      if (kind !== 'Service') return;
      const sel = stringMap(getNode(getNode(obj, 'spec'), 'selector'));
      if (sel.size) out.push(sel);
    };
    visit(doc.contents as YNode);
  }
  return out;
}
