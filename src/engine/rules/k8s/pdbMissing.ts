import { isMap, isScalar, Node, Scalar, YAMLMap } from 'yaml';
import type { IndexView } from '../../model';
import { getNode, keyName, lastContentLine, nodeRange, pairs, seqItems, stringValue, YamlFile, YNode } from '../../parsers/yaml';
import type { Fix, RuleFinding } from '../../types';
import type { Rule } from '../types';
import { ownWorkloads, yamlOf } from './workloads';

// Replicas only protect a service if they are not all taken down at once. A node drain, a
// cluster upgrade or the autoscaler evicts pods without regard for the service unless a
// PodDisruptionBudget says how many may go. A Deployment or StatefulSet with more than one
// replica and no PodDisruptionBudget anywhere in the workspace selecting its pods is reported.

interface Pdb {
  namespace?: string;
  matchLabels: Record<string, string>;
  expressions: { key: string; operator: string; values: string[] }[];
}

export const rule: Rule<YamlFile> = {
  meta: {
    id: 'k8s/pdb-missing',
    description: 'A Deployment or StatefulSet with more than one replica has no PodDisruptionBudget selecting its pods, so a node drain may evict them all at once.',
    defaultSeverity: 'warning',
    profile: 'all',
    practice: 'high-availability',
    kinds: ['k8s-manifest'],
    subject: 'k8s-replicated',
    productionOnly: true,
    fixable: true,
    crossFile: true,
  },
  check(ctx) {
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    let pdbs: Pdb[] | undefined;
    const out: RuleFinding[] = [];
    for (const w of ownWorkloads(file, ctx.index, ctx.file, ctx.config)) {
      if (w.kind !== 'Deployment' && w.kind !== 'StatefulSet') continue;
      const replicasNode = getNode(getNode(w.object, 'spec'), 'replicas');
      const replicas = isScalar(replicasNode) ? Number(replicasNode.value) : NaN;
      if (!(replicas > 1)) continue;
      const podLabels = stringMap(getNode(getNode(getNode(getNode(w.object, 'spec'), 'template'), 'metadata'), 'labels'));
      if (!Object.keys(podLabels).length) continue;
      const namespace = stringValue(getNode(getNode(w.object, 'metadata'), 'namespace'));
      pdbs ??= workspacePdbs(ctx.index, ctx.file.path, file);
      if (pdbs.some((p) => selects(p, podLabels, namespace))) continue;
      const fix = pdbFix(file, w.name, namespace, stringMap(getNode(getNode(getNode(w.object, 'spec'), 'selector'), 'matchLabels')), podLabels);
      out.push({
        range: nodeRange(file, replicasNode as Node),
        message: `${w.kind} '${w.name}' runs ${replicas} replicas but no PodDisruptionBudget in the workspace selects its pods: a node drain or cluster upgrade may evict them all at once. Add a PodDisruptionBudget (e.g. \`maxUnavailable: 1\`) with its pod labels.`,
        fixes: fix ? [fix] : undefined,
      });
    }
    return out;
  },
};

function stringMap(node: YNode): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs(node)) {
    const k = keyName(p);
    const v = stringValue(p.value as Node);
    if (k && v !== undefined) out[k] = v;
  }
  return out;
}

/** PodDisruptionBudgets of every manifest (this file's own tree in place of the index's copy). */
function workspacePdbs(index: IndexView, self: string, own: YamlFile): Pdb[] {
  const out: Pdb[] = [];
  const visit = (obj: YNode): void => {
    if (!isMap(obj)) return;
    const kind = stringValue(getNode(obj, 'kind'));
    if (kind === 'List') for (const item of seqItems(getNode(obj, 'items'))) visit(item);
    if (kind !== 'PodDisruptionBudget') return;
    const selector = getNode(getNode(obj, 'spec'), 'selector');
    out.push({
      namespace: stringValue(getNode(getNode(obj, 'metadata'), 'namespace')),
      matchLabels: stringMap(getNode(selector, 'matchLabels')),
      expressions: seqItems(getNode(selector, 'matchExpressions')).map((e) => ({
        key: stringValue(getNode(e, 'key')) ?? '',
        operator: stringValue(getNode(e, 'operator')) ?? '',
        values: seqItems(getNode(e, 'values')).map((v) => stringValue(v) ?? ''),
      })),
    });
  };
  for (const f of index.byKind('k8s-manifest')) {
    const y = f.path === self ? own : yamlOf(f.parsed);
    if (!y || !/PodDisruptionBudget/.test(y.text)) continue;
    for (const doc of y.docs) visit(doc.contents as YNode);
  }
  return out;
}

function selects(p: Pdb, labels: Record<string, string>, namespace: string | undefined): boolean {
  if (p.namespace && namespace && p.namespace !== namespace) return false;
  if (!Object.entries(p.matchLabels).every(([k, v]) => labels[k] === v)) return false;
  return p.expressions.every((e) => {
    const v = labels[e.key];
    switch (e.operator) {
      case 'In':
        return v !== undefined && e.values.includes(v);
      case 'NotIn':
        return v === undefined || !e.values.includes(v);
      case 'Exists':
        return v !== undefined;
      case 'DoesNotExist':
        return v === undefined;
      default:
        return false;
    }
  });
}

/** Appends a PodDisruptionBudget document selecting the workload's pods (by its selector, else its pod labels). */
function pdbFix(file: YamlFile, name: string, namespace: string | undefined, selector: Record<string, string>, podLabels: Record<string, string>): Fix | undefined {
  const labels = Object.keys(selector).length ? selector : podLabels;
  if (!file.docs.length) return undefined;
  const eol = file.lines.eol;
  const q = (s: string): string => (/^[\w./-]+$/.test(s) && !/^(true|false|yes|no|on|off|null|~|[\d.]+)$/i.test(s) ? s : JSON.stringify(s));
  const text = [
    '---',
    'apiVersion: policy/v1',
    'kind: PodDisruptionBudget',
    'metadata:',
    `  name: ${q(name)}`,
    ...(namespace ? [`  namespace: ${q(namespace)}`] : []),
    'spec:',
    '  maxUnavailable: 1',
    '  selector:',
    '    matchLabels:',
    ...Object.entries(labels).map(([k, v]) => `      ${q(k)}: ${q(v)}`),
  ].join(eol);
  const last = file.docs[file.docs.length - 1].contents as Node | null;
  const line = last ? lastContentLine(file, last as YAMLMap<Scalar, Node>) : file.lines.lineCount - 1;
  const end = { line, character: file.lines.line(line).length };
  return { title: `Add a PodDisruptionBudget for '${name}'`, isPreferred: true, edits: [{ range: { start: end, end }, newText: `${eol}${text}` }] };
}
