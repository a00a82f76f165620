import { isMap, Node, Scalar, YAMLMap } from 'yaml';
import { templated as isTemplated } from '../../parsers/template';
import { getNode, seqItems, stringValue, YamlFile, YNode } from '../../parsers/yaml';

export { yamlOf } from '../../parsers/yaml';

/**
 * In a Helm template read as YAML: a value set at render time (`"{{ … }}"`), or a mapping an
 * output action may add keys to (`{{- include "probes" . | nindent 10 }}` among its keys). A rule
 * that reports something missing there cannot tell, so it says nothing.
 */
export function templated(file: YamlFile, node: YNode): boolean {
  return isTemplated(file.template, file.lines, node);
}

// Finds the pod specs and containers of Kubernetes workloads in a (multi-document) manifest:
// Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob
// (also inside a `kind: List`).


export interface Workload {
  kind: string;
  name: string;
  /** The object's root map. */
  object: YAMLMap<Scalar, Node>;
  podSpec: YAMLMap<Scalar, Node>;
}

export interface Container {
  workload: Workload;
  node: YAMLMap<Scalar, Node>;
  name: string;
  init: boolean;
}

const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);

export function workloads(file: YamlFile): Workload[] {
  const out: Workload[] = [];
  const visit = (obj: YNode) => {
    if (!isMap(obj)) return;
    const kind = stringValue(getNode(obj, 'kind')) ?? '';
    const name = stringValue(getNode(getNode(obj, 'metadata'), 'name')) ?? '(unnamed)';
    let podSpec: YNode;
    if (kind === 'List') {
      for (const item of seqItems(getNode(obj, 'items'))) visit(item);
      return;
    }
    if (kind === 'Pod') podSpec = getNode(obj, 'spec');
    else if (TEMPLATE_KINDS.has(kind)) podSpec = getNode(getNode(getNode(obj, 'spec'), 'template'), 'spec');
    else if (kind === 'CronJob') podSpec = getNode(getNode(getNode(getNode(getNode(obj, 'spec'), 'jobTemplate'), 'spec'), 'template'), 'spec');
    if (isMap(podSpec)) out.push({ kind, name, object: obj as YAMLMap<Scalar, Node>, podSpec: podSpec as YAMLMap<Scalar, Node> });
  };
  for (const doc of file.docs) visit(doc.contents as YNode);
  return out;
}

export function containers(w: Workload): Container[] {
  const out: Container[] = [];
  for (const [key, init] of [['initContainers', true], ['containers', false]] as const) {
    for (const c of seqItems(getNode(w.podSpec, key))) {
      if (!isMap(c)) continue;
      out.push({ workload: w, node: c as YAMLMap<Scalar, Node>, name: stringValue(getNode(c, 'name')) ?? '(unnamed)', init });
    }
  }
  return out;
}
