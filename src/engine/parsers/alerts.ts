import * as path from 'node:path';
import type { Document, Node, Pair, Scalar } from 'yaml';
import type { OpsReviewConfig } from '../config/schema';
import type { AlertMeta } from '../model';
import type { Range, Reference } from '../types';
import { getNode, getPair, isMap, keyName, nodeRange, pairs, seqItems, stringValue, YamlFile } from './yaml';

// Prometheus alerting rules, from a plain rule file (`groups:`) or a PrometheusRule manifest
// (`spec.groups`), as positioned nodes the alert rules and the index share.

export interface AlertNode {
  /** The rule's mapping (`- alert: …`). */
  rule: Node;
  name: string;
  /** The `alert:` value node (findings about the whole alert point here). */
  nameNode: Node;
  group: string;
  labels?: Node;
  annotations?: Node;
  forNode?: Node;
  expr?: Node;
}

export function extractAlerts(file: YamlFile): AlertNode[] {
  const out: AlertNode[] = [];
  for (const doc of file.docs) {
    const root = doc.contents;
    if (!isMap(root)) continue;
    const groups = getNode(root, 'groups') ?? getNode(getNode(root, 'spec'), 'groups');
    for (const group of seqItems(groups)) {
      const groupName = stringValue(getNode(group, 'name')) ?? '';
      for (const rule of seqItems(getNode(group, 'rules'))) {
        if (!isMap(rule)) continue;
        const alertPair = alertNamePair(rule as Node);
        if (!alertPair || !alertPair.value) continue; // recording rules have `record:` instead
        out.push({
          rule,
          name: stringValue(alertPair.value as Node) ?? '',
          nameNode: alertPair.value as Node,
          group: groupName,
          labels: (getNode(rule, 'labels') ?? undefined) as Node | undefined,
          annotations: (getNode(rule, 'annotations') ?? undefined) as Node | undefined,
          forNode: (getNode(rule, 'for') ?? undefined) as Node | undefined,
          expr: (getNode(rule, 'expr') ?? undefined) as Node | undefined,
        });
      }
    }
  }
  return out;
}

/**
 * The pair naming an alerting rule: Prometheus `alert:`, or the `title:` of a Grafana-managed
 * alert rule (file provisioning: `apiVersion: 1`, `groups[].rules[]` with `uid`/`condition`/`data`),
 * whose `labels`, `annotations` and `for` mean what Prometheus's do.
 */
export function alertNamePair(rule: Node): Pair | undefined {
  const alert = getPair(rule, 'alert');
  if (alert) return alert;
  if (getPair(rule, 'record')) return undefined;
  const title = getPair(rule, 'title');
  return title && (getPair(rule, 'condition') || getPair(rule, 'data') || getPair(rule, 'uid')) ? title : undefined;
}

/**
 * The part of a Kubernetes manifest (a `k8s-manifest` file, e.g. a long multi-document file or a
 * `kind: List`) that holds `PrometheusRule` objects, as a file `extractAlerts` reads; undefined
 * when it holds none. Files that start with a PrometheusRule are classified `alert-rules` already.
 */
export function prometheusRuleView(file: YamlFile): YamlFile | undefined {
  const docs: Document.Parsed[] = [];
  const visit = (obj: Node | null | undefined) => {
    if (!isMap(obj)) return;
    const kind = stringValue(getNode(obj, 'kind'));
    if (kind === 'List') for (const item of seqItems(getNode(obj, 'items'))) visit(item);
    else if (kind === 'PrometheusRule') docs.push({ contents: obj } as unknown as Document.Parsed);
  };
  for (const doc of file.docs) visit(doc.contents as Node | null);
  return docs.length ? { ...file, docs } : undefined;
}

/** `key: value` strings of a labels or annotations map. */
export function stringMap(node: Node | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs(node)) {
    const k = keyName(p as Pair);
    const v = stringValue(p.value as Scalar);
    if (k !== undefined && v !== undefined) out[k] = v;
  }
  return out;
}

/**
 * The workspace file a `runbook_url` names: a relative path (against the alert file's folder, or
 * the repository root for a bare `docs/x.md` when `alerts.runbookPathsFrom` is `root`), or a URL
 * under `alerts.runbookBaseUrl` mapped onto the workspace root. Any other URL is
 * outside the workspace: undefined.
 */
export function resolveRunbookUrl(url: string, filePath: string, config: OpsReviewConfig, root: string): { target: string; fragment?: string; alternative?: string } | undefined {
  let u = url.trim();
  if (!u) return undefined;
  const base = config.alerts.runbookBaseUrl.trim();
  let rel: string;
  let fromRoot = false;
  if (base && u.startsWith(base)) {
    rel = u.slice(base.length);
    fromRoot = true;
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(u) || u.startsWith('//') || u.includes('{{') || u.includes('$')) {
    return undefined; // external, or templated from labels at alert time
  } else {
    rel = u;
  }
  const hash = rel.indexOf('#');
  const fragment = hash >= 0 ? rel.slice(hash + 1) : undefined;
  u = (hash >= 0 ? rel.slice(0, hash) : rel).split('?')[0];
  try {
    u = decodeURIComponent(u);
  } catch {
    /* as written */
  }
  if (!u) return undefined;
  const bare = isBarePath(u);
  const fromRootToo = fromRoot || u.startsWith('/') || (bare && config.alerts.runbookPathsFrom === 'root');
  const target = fromRootToo ? path.posix.join(root, u.replace(/^\/+/, '')) : path.posix.join(path.posix.dirname(filePath), u);
  // A bare path (`docs/db/README.md`) reads either way: from the repository root or from the
  // alert file's folder. `alternative` is the reading the convention did not choose.
  const alternative = bare && !fromRoot ? (fromRootToo ? path.posix.join(path.posix.dirname(filePath), u) : path.posix.join(root, u)) : undefined;
  return { target: path.posix.normalize(target), fragment: fragment || undefined, ...(alternative ? { alternative: path.posix.normalize(alternative) } : {}) };
}

/** A relative path written without `./`, `../` or `/` (`docs/db/README.md`), which may be meant from the repository root. */
export function isBarePath(u: string): boolean {
  return !!u && !u.startsWith('/') && !u.startsWith('./') && !u.startsWith('../') && u.includes('/');
}

/**
 * The annotation linking the alert's runbook: the first of `alerts.runbookAnnotations` with a
 * non-empty value, else the first one present (empty), else undefined.
 */
export function runbookUrlNode(alert: AlertNode, keys: readonly string[] = ['runbook_url']): Node | undefined {
  let empty: Node | undefined;
  for (const key of keys) {
    const node = (getNode(alert.annotations, key) ?? undefined) as Node | undefined;
    if (node && stringValue(node)?.trim()) return node;
    if (node && !empty) empty = node;
  }
  return empty;
}

/** The first non-empty value among the runbook annotations of an annotations map. */
export function runbookLink(annotations: Record<string, string>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const v = annotations[key]?.trim();
    if (v) return v;
  }
  return undefined;
}

export function alertMetas(file: YamlFile, filePath: string, config: OpsReviewConfig, root: string): AlertMeta[] {
  return extractAlerts(file).map((a) => {
    const range: Range = nodeRange(file, a.nameNode);
    const annotations = stringMap(a.annotations);
    const link = runbookLink(annotations, config.alerts.runbookAnnotations);
    const resolved = link ? resolveRunbookUrl(link, filePath, config, root) : undefined;
    return { name: a.name, line: range.start.line, range, labels: stringMap(a.labels), annotations, runbookPath: resolved?.target };
  });
}

export function alertReferences(file: YamlFile, filePath: string, config: OpsReviewConfig, root: string): Reference[] {
  const out: Reference[] = [];
  for (const a of extractAlerts(file)) {
    const node = runbookUrlNode(a, config.alerts.runbookAnnotations);
    const url = stringValue(node);
    if (!node || !url) continue;
    const resolved = resolveRunbookUrl(url, filePath, config, root);
    if (resolved) out.push({ target: resolved.target, fragment: resolved.fragment, range: nodeRange(file, node), kind: 'runbook_url', raw: url });
  }
  return out;
}
