import { isMap, Node, Scalar, YAMLMap } from 'yaml';
import { templated as isTemplated } from '../../parsers/template';
import { getNode, seqItems, stringValue, YamlFile, YNode } from '../../parsers/yaml';
import { copiedFrom } from '../../copies';
import type { IndexedFile, IndexView } from '../../model';
import type { OpsReviewConfig } from '../../config/schema';

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

/** `ghcr.io/acme/checkout-api:1.2@sha256:…` → `checkout-api`: the image's name without registry, tag or digest. */
export function imageName(image: string): string {
  const noDigest = image.split('@')[0];
  const last = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  return last.split(':')[0];
}

/**
 * The workloads of this file that are the repository's own to judge: not a Helm test hook (a
 * `helm.sh/hook: test` pod or job runs once during `helm test`, it is not a workload), not an
 * upstream cluster add-on copied in (see `upstreamAddon`), and not a verbatim copy of an object
 * another manifest of the workspace holds (an aggregate built from per-object files, a second
 * copy of a base): that object's findings are reported once, on the file that judges it.
 */
export function ownWorkloads(file: YamlFile, index: IndexView, indexed: IndexedFile, config: OpsReviewConfig): Workload[] {
  // Every workload rule of a manifest asks: answered once per parse, file, config and index generation.
  const generation = index.generation;
  const hit = generation !== undefined ? ownCache.get(file) : undefined;
  if (hit && hit.generation === generation && hit.index === index && hit.indexed === indexed && hit.config === config) return hit.value;
  const value = workloads(file).filter((w) => !helmTestHook(w) && !upstreamAddon(w) && !copiedFrom(index, config, indexed, w.object));
  if (generation !== undefined) ownCache.set(file, { generation, index, indexed, config, value });
  return value;
}

const ownCache = new WeakMap<YamlFile, { generation: number; index: IndexView; indexed: IndexedFile; config: OpsReviewConfig; value: Workload[] }>();

/** A pod or job that `helm test` runs (`helm.sh/hook: test`, `test-success`, `test-failure`). */
export function helmTestHook(w: Workload): boolean {
  const hook = stringValue(getNode(getNode(getNode(w.object, 'metadata'), 'annotations'), 'helm.sh/hook')) ?? '';
  return /(^|,)\s*test(-success|-failure)?\s*($|,)/.test(hook);
}

/** Images of upstream Kubernetes cluster add-ons (DNS, CNI, metrics, dashboard), published by their projects. */
const ADDON_IMAGE = /^(k8s\.gcr\.io|registry\.k8s\.io|gcr\.io\/google[-_]containers|quay\.io\/coreos|(docker\.io\/)?(flannel|flannelcni|calico|cilium|coredns|kubernetesui|weaveworks)\/|quay\.io\/(calico|cilium)\/|ghcr\.io\/flannel-io\/)/i;

/**
 * An upstream cluster add-on copied into the repository (a flannel or calico DaemonSet, the old
 * heapster/grafana/influxdb add-ons): a `kube-system` workload whose every container runs an
 * add-on project's image, or that carries the add-on manager's labels. Its settings are
 * upstream's; a fix belongs there or in a newer copy, not in this file.
 */
export function upstreamAddon(w: Workload): boolean {
  const meta = getNode(w.object, 'metadata');
  const labels = [getNode(meta, 'labels'), getNode(getNode(getNode(getNode(w.object, 'spec'), 'template'), 'metadata'), 'labels')];
  if (labels.some((l) => getNode(l, 'addonmanager.kubernetes.io/mode') != null || getNode(l, 'kubernetes.io/cluster-service') != null)) return true;
  if (stringValue(getNode(meta, 'namespace')) !== 'kube-system') return false;
  const images = containers(w).map((c) => stringValue(getNode(c.node, 'image')) ?? '');
  return images.length > 0 && images.every((i) => ADDON_IMAGE.test(i.trim()));
}
