import { isKustomizePatch } from './kustomize';
import { isMap } from 'yaml';
import type { IndexedFile, IndexView } from '../../model';
import { getNode, getPair, isTrue, nodeRange, pairs, seqItems, stringValue, YamlFile, YNode } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { terraformOf, tfProbesMissing } from './tfWorkloads';
import { containers, ownWorkloads, templated, workloads, yamlOf } from './workloads';

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
    let serving: Map<string, string>[] | undefined;
    for (const w of ownWorkloads(file, ctx.index, ctx.file, ctx.config)) {
      if (!LONG_RUNNING.has(w.kind)) continue;
      const labels = podLabels(w.object);
      for (const c of containers(w)) {
        if (c.init || getPair(c.node, 'readinessProbe') || templated(file, c.node)) continue;
        const probed = containers(w).some((o) => o !== c && !o.init && getPair(o.node, 'readinessProbe'));
        // Beside a container that carries the pod's probe: a container that listens on loopback
        // only (traffic reaches it through the probed proxy), or a sidecar that serves only
        // metrics (a scrape endpoint, not the pod's traffic).
        if (probed && (loopbackOnly(c.node) || metricsOnly(c.node))) continue;
        // A pod that declares no port at all (a load generator, a queue consumer, a CI runner)
        // and that no Service sends traffic to has nothing for a readiness probe to hold back.
        // (Not one whose liveness is checked on a port: it listens; nor one whose labels are set
        // at render time, which no selector can be matched against.)
        if (labels.size && !containers(w).some((o) => !o.init && (seqItems(getNode(o.node, 'ports')).length || networkProbe(o.node)))) {
          serving ??= servingSelectors(ctx.index, ctx.file.path);
          if (!serving.some((sel) => [...sel].every(([k, v]) => labels.get(k) === v))) continue;
        }
        if (!seqItems(getNode(c.node, 'ports')).length) {
          // A node agent without ports (a CNI daemon, a log shipper, an installer) takes no Service traffic.
          if (w.kind === 'DaemonSet' || isTrue(getNode(w.podSpec, 'hostNetwork'))) continue;
          // A sidecar without ports beside a container that has the probe: the pod is ready when that one is.
          if (containers(w).some((o) => o !== c && !o.init && getPair(o.node, 'readinessProbe'))) continue;
          // A config reloader (it calls the main container's reload endpoint on localhost), or a
          // container that listens on loopback only, beside a container with ports: traffic
          // enters the pod there, and that container's missing probe is the pod's gap.
          if (containers(w).some((o) => o !== c && !o.init && seqItems(getNode(o.node, 'ports')).length) && (reloaderSidecar(c.node) || loopbackOnly(c.node))) continue;
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

/** The words of a container's command and args. */
function argv(node: YNode): string[] {
  return ['command', 'args'].flatMap((k) => seqItems(getNode(node, k)).map((n) => stringValue(n) ?? ''));
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?)$/i;

/** A sidecar that reloads the main container's configuration (`--webhook-url=http://localhost:9115/-/reload`). */
function reloaderSidecar(node: YNode): boolean {
  const words = argv(node);
  return words.some((a) => /=?https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?\/\S*reload/i.test(a)) || /(^|[-_/])(config(map)?-?)?reload(er)?($|[-_:])/i.test(stringValue(getNode(node, 'name')) ?? '');
}

/** A liveness or startup probe that checks a port (httpGet, tcpSocket, grpc): the container listens. */
function networkProbe(node: YNode): boolean {
  return ['livenessProbe', 'startupProbe'].some((k) => ['httpGet', 'tcpSocket', 'grpc'].some((h) => getNode(getNode(node, k), h) != null));
}

/** A sidecar whose every declared port is a metrics endpoint (`name: metrics`, `https-metrics`). */
function metricsOnly(node: YNode): boolean {
  const ports = seqItems(getNode(node, 'ports'));
  return ports.length > 0 && ports.every((p) => /metrics|telemetry/i.test(stringValue(getNode(p, 'name')) ?? ''));
}

/** A container whose every listen address or host flag (`--host=127.0.0.1`, `--listen-address=localhost:8080`) is loopback. */
function loopbackOnly(node: YNode): boolean {
  const hosts: string[] = [];
  for (const a of argv(node)) {
    const m = /^--?[\w.-]*(host|address|addr|listen|bind)[\w.-]*=(.*)$/i.exec(a.trim());
    if (!m || /url|file|path/i.test(a.split('=')[0])) continue;
    const v = m[2].trim();
    const host = v.startsWith('[') ? v.slice(0, v.indexOf(']') + 1) : v.includes(':') ? v.slice(0, v.lastIndexOf(':')) : v;
    hosts.push(host);
  }
  return hosts.length > 0 && hosts.every((h) => LOOPBACK.test(h));
}

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

interface ServiceSelector {
  sel: Map<string, string>;
  /** The Service selects a workload of its own file: it sends traffic to that one. */
  besideItsWorkload: boolean;
}

/** Selectors per manifest file: files are replaced on change, so this is never stale. */
const selectorsOfFile = new WeakMap<IndexedFile, ServiceSelector[]>();

function selectorsOf(f: IndexedFile): ServiceSelector[] {
  let list = selectorsOfFile.get(f);
  if (!list) selectorsOfFile.set(f, (list = selectorsIn(f)));
  return list;
}

/** The pod selectors of every Service in the workspace's manifests. */
export function serviceSelectors(index: IndexView): Map<string, string>[] {
  return index.byKind('k8s-manifest').flatMap((f) => selectorsOf(f).map((s) => s.sel));
}

/**
 * The pod selectors of the Services that may send traffic to a workload of file `self`: a Service
 * defined in the same file as a workload it selects belongs to that workload (a variant of the
 * app in another folder with its own Service), so it counts only for its own file.
 */
export function servingSelectors(index: IndexView, self: string): Map<string, string>[] {
  return index.byKind('k8s-manifest').flatMap((f) => selectorsOf(f).filter((s) => f.path === self || !s.besideItsWorkload).map((s) => s.sel));
}

function selectorsIn(f: IndexedFile): ServiceSelector[] {
  const out: ServiceSelector[] = [];
  const y = yamlOf(f.parsed);
  // The parsed documents' `kind`, not a scan of the text: manifests include megabyte CRDs.
  if (!y) return out;
  let labels: Map<string, string>[] | undefined;
  for (const doc of y.docs) {
    const visit = (obj: YNode): void => {
      if (!isMap(obj)) return;
      const kind = stringValue(getNode(obj, 'kind'));
      if (kind === 'List') for (const item of seqItems(getNode(obj, 'items'))) visit(item);
      if (kind !== 'Service') return;
      const spec = getNode(obj, 'spec');
      // A placeholder Service that forwards to no port (`targetPort: 0`, a headless name for a worker) sends no traffic.
      const ports = seqItems(getNode(spec, 'ports'));
      if (ports.length && ports.every((p) => Number(stringValue(getNode(p, 'targetPort'))) === 0 && stringValue(getNode(p, 'targetPort')) !== undefined)) return;
      const sel = stringMap(getNode(spec, 'selector'));
      if (!sel.size) return;
      labels ??= workloads(y).map((w) => podLabels(w.object));
      out.push({ sel, besideItsWorkload: labels.some((l) => [...sel].every(([k, v]) => l.get(k) === v)) });
    };
    visit(doc.contents as YNode);
  }
  return out;
}
