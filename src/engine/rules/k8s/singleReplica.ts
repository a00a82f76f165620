import { isMap, isScalar, Node } from 'yaml';
import type { IndexView } from '../../model';
import { getNode, nodeRange, seqItems, stringValue, YamlFile, YNode } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import { podLabels, serviceSelectors } from './probesMissing';
import type { Rule, RuleContext } from '../types';
import { containers, imageName, ownWorkloads, Workload, yamlOf } from './workloads';

// One replica is one node drain, one crash or one rollout away from an outage: redundancy needs
// at least two. A production Deployment or StatefulSet that says `replicas: 1` is reported
// unless an autoscaler (HorizontalPodAutoscaler, KEDA ScaledObject) anywhere in the workspace
// targets it with a minimum of two or more. A workload without `replicas:` is left alone: the
// count is usually set elsewhere (an autoscaler, Helm values, a Kustomize patch).

interface Scaler {
  kind: string;
  name: string;
  namespace?: string;
  min: number;
  source: string;
}

export const rule: Rule<YamlFile> = {
  meta: {
    id: 'k8s/single-replica',
    description: 'A production Deployment or StatefulSet runs a single replica (`replicas: 1`) and no autoscaler keeps two or more, so one node drain or crash takes it down.',
    defaultSeverity: 'warning',
    practice: 'high-availability',
    kinds: ['k8s-manifest'],
    subject: 'k8s-replicated',
    productionOnly: true,
    fixable: true,
    crossFile: true,
    equivalents: [{ tool: 'kube-linter', id: 'minimum-three-replicas' }],
    // Not in the recommended profile: on public repositories 1 of 48 judged findings over three
    // rounds was actionable (1 of 14 on the last build). A replica count is a capacity decision
    // the repository holds (a demo that runs everything once, a single-instance store, a relay
    // that registers with its own token, a Grafana with sqlite state), not a slip in one file.
    profile: 'all',
    // Demos, samples and single-tenant setups often run every workload once: when no workload of
    // the repository runs two or more, that is one sizing decision, reported once.
    convention: {
      subjects: (ctx) => judge(ctx as RuleContext<YamlFile>).subjects,
      noun: 'Deployments and StatefulSets that set `replicas:`',
      follows: () => 'runs two or more replicas (or an autoscaler keeps two or more)',
      adopt: () => 'Run the ones users depend on with 2 or more replicas and a PodDisruptionBudget, or set `k8s/single-replica: off` under `rules:` in .opsreview.yml if one replica per workload is the repository\'s decision (a demo, a single-node setup).',
    },
  },
  check(ctx) {
    return judge(ctx).findings;
  },
};

/** The workloads this file sets a replica count for that the rule judges, and its findings. */
function judge(ctx: RuleContext<YamlFile>): { subjects: number; findings: RuleFinding[] } {
  const file = yamlOf(ctx.parsed);
  if (!file) return { subjects: 0, findings: [] };
  let scalers: Scaler[] | undefined;
  let selectors: Map<string, string>[] | undefined;
  const out: RuleFinding[] = [];
  let subjects = 0;
  for (const w of ownWorkloads(file, ctx.index, ctx.file, ctx.config)) {
    if (w.kind !== 'Deployment' && w.kind !== 'StatefulSet') continue;
    const node = getNode(getNode(w.object, 'spec'), 'replicas');
    const count = isScalar(node) ? Number(node.value) : NaN;
    if (!Number.isInteger(count) || count < 1) continue;
    // A single-instance data store (PostgreSQL, Redis, RabbitMQ…) is not made redundant by a
    // second replica of the same pod: that takes replication (an operator, a managed service),
    // which this advice would hide. Backups and restore drills cover it (checklists).
    if (containers(w).some((c) => !c.init && DATA_STORE.test(imageName(stringValue(getNode(c.node, 'image')) ?? '')))) continue;
    // One active replica by design: a controller or operator (it reconciles, with leader election
    // a second replica only waits), or a state-metrics exporter (a second replica duplicates every
    // series; it scales by sharding).
    if (singletonByDesign(w)) continue;
    // Nothing to keep up for users when no Service sends it traffic (a load generator, a
    // one-off worker): only judged when the workspace defines its Services.
    selectors ??= serviceSelectors(ctx.index);
    const labels = podLabels(w.object);
    if (selectors.length && !selectors.some((sel) => [...sel].every(([k, v]) => labels.get(k) === v))) continue;
    subjects++;
    if (count !== 1) continue;
    const namespace = stringValue(getNode(getNode(w.object, 'metadata'), 'namespace'));
    scalers ??= workspaceScalers(ctx.index, ctx.file.path, file);
    const mine = scalers.filter((s) => s.kind === w.kind && s.name === w.name && (!s.namespace || !namespace || s.namespace === namespace));
    if (mine.some((s) => s.min >= 2)) continue;
    const range = nodeRange(file, node as Node);
    const scaler = mine[0];
    out.push({
      range,
      message: scaler
        ? `${w.kind} '${w.name}' runs one replica and its ${scaler.source} lets it scale down to ${scaler.min}: one node drain, crash or rollout takes it down. Set the autoscaler's minimum to 2 or more (and add a PodDisruptionBudget).`
        : `${w.kind} '${w.name}' runs one replica: one node drain, crash or rollout takes it down. Run at least 2 replicas (and add a PodDisruptionBudget), or an autoscaler with a minimum of 2.`,
      fixes: [{ title: `Run 2 replicas of '${w.name}'`, isPreferred: true, edits: [{ range, newText: '2' }] }],
      convention: ['replicas'],
    });
  }
  return { subjects, findings: out };
}

/** A controller, an operator or a state-metrics exporter, by its main container's image or name, or leader-election flags. */
function singletonByDesign(w: Workload): boolean {
  const main = containers(w).filter((c) => !c.init);
  if (main.some((c) => ['command', 'args'].some((k) => seqItems(getNode(c.node, k)).some((n) => /^--?leader-elect(ion)?(=true)?$/i.test((stringValue(n) ?? '').trim()))))) return true;
  const first = main[0];
  if (!first) return false;
  const names = [imageName(stringValue(getNode(first.node, 'image')) ?? ''), first.name, w.name].filter(Boolean);
  return names.some((n) => /(^|[-_])(operator|controller-manager|state-metrics)$/i.test(n));
}

/** Images of data stores that replicate only through their own clustering, not through pod replicas. */
const DATA_STORE = /^(postgres|postgresql|mysql|mariadb|percona|mongo|mongodb|documentdb|redis|valkey|keydb|rabbitmq|elasticsearch|opensearch|kafka|zookeeper|etcd|cassandra|scylla|influxdb|clickhouse|neo4j|minio|nats|memcached|couchdb|couchbase|sqlserver|mssql|oracle|db2)(-[\w.-]*)?$/i;

/** Autoscalers of every manifest (this file's own tree in place of the index's copy). */
function workspaceScalers(index: IndexView, self: string, own: YamlFile): Scaler[] {
  const out: Scaler[] = [];
  const visit = (obj: YNode): void => {
    if (!isMap(obj)) return;
    const kind = stringValue(getNode(obj, 'kind'));
    if (kind === 'List') for (const item of seqItems(getNode(obj, 'items'))) visit(item);
    const spec = getNode(obj, 'spec');
    const namespace = stringValue(getNode(getNode(obj, 'metadata'), 'namespace'));
    const target = getNode(spec, 'scaleTargetRef');
    const num = (n: YNode, dflt: number): number => (isScalar(n) && Number.isFinite(Number(n.value)) ? Number(n.value) : dflt);
    if (kind === 'HorizontalPodAutoscaler') {
      out.push({ kind: stringValue(getNode(target, 'kind')) ?? '', name: stringValue(getNode(target, 'name')) ?? '', namespace, min: num(getNode(spec, 'minReplicas'), 1), source: 'HorizontalPodAutoscaler' });
    } else if (kind === 'ScaledObject') {
      out.push({ kind: stringValue(getNode(target, 'kind')) ?? 'Deployment', name: stringValue(getNode(target, 'name')) ?? '', namespace, min: num(getNode(spec, 'minReplicaCount'), 0), source: 'KEDA ScaledObject' });
    }
  };
  for (const f of index.byKind('k8s-manifest')) {
    const y = f.path === self ? own : yamlOf(f.parsed);
    if (!y || !/HorizontalPodAutoscaler|ScaledObject/.test(y.text)) continue;
    for (const doc of y.docs) visit(doc.contents as YNode);
  }
  return out;
}
