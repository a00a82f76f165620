import { isMap, isScalar, Node } from 'yaml';
import type { ParseError, Range } from '../types';
import { getNode, getPair, isTrue, keyName, nodeRange, pairRange, pairs, parseYaml, scalarValue, seqItems, stringValue, YamlFile, YNode } from './yaml';

// SLO specifications, one positioned record per SLO whatever the format:
// - Sloth `version: "prometheus/v1"` files and `PrometheusServiceLevel` manifests (sloth.slok.dev),
//   objectives in percent, alerting per SLO (page and ticket alerts, on unless disabled);
// - OpenSLO (`apiVersion: openslo/v1`, also v1alpha) `SLO` documents with `objectives[].target`
//   (a ratio) or `targetPercent`, alerting through `alertPolicies`; `AlertPolicy` documents are
//   collected so references can be checked;
// - Pyrra `ServiceLevelObjective` (pyrra.dev), `spec.target` in percent, burn-rate alerts on
//   unless `alerting.disabled: true` or `alerting.burnrates: false`.

export type SloFormat = 'sloth' | 'sloth-crd' | 'openslo' | 'pyrra';

export interface SloObjective {
  /** The number as written. */
  value: number;
  /** `percent` (Sloth, Pyrra, OpenSLO targetPercent) or `ratio` (OpenSLO target). */
  unit: 'percent' | 'ratio';
  range: Range;
}

export interface SloAlerting {
  /** `absent`: nothing configures alerts; `disabled`: configured off. */
  state: 'enabled' | 'disabled' | 'absent';
  /** The key that disables it, or the SLO's name when absent. */
  range: Range;
  /** What the file says, for the message. */
  detail: string;
}

export interface SloSpec {
  format: SloFormat;
  name: string;
  /** Where findings about the SLO go: its name. */
  range: Range;
  objectives: SloObjective[];
  /** Labels of the SLO, the service block (Sloth) and metadata, merged. */
  labels: Record<string, string>;
  alerting: SloAlerting;
  /** OpenSLO: the alert policies an SLO names (`inline` ones are defined in place). */
  alertPolicies?: { name: string; range: Range; inline: boolean }[];
}

export interface SloFile extends YamlFile {
  slos: SloSpec[];
  /** OpenSLO `AlertPolicy` documents of the file, by name. */
  alertPolicies: { name: string; range: Range }[];
}

export function parseSlo(text: string): SloFile {
  const y = parseYaml(text);
  const out: SloFile = { ...y, slos: [], alertPolicies: [] };
  if (y.skippedTemplate) return out;
  for (const doc of y.docs) {
    const root = doc.contents as YNode;
    if (!isMap(root)) continue;
    const apiVersion = stringValue(getNode(root, 'apiVersion')) ?? '';
    const kind = stringValue(getNode(root, 'kind'));
    const metadata = getNode(root, 'metadata');
    if (!kind && /^prometheus\/v1\b/.test(stringValue(getNode(root, 'version')) ?? '')) {
      readSloth(out, root, 'sloth', labelsOf(getNode(root, 'labels')));
    } else if (kind === 'PrometheusServiceLevel') {
      readSloth(out, getNode(root, 'spec'), 'sloth-crd', { ...labelsOf(getNode(metadata, 'labels')), ...labelsOf(getNode(getNode(root, 'spec'), 'labels')) });
    } else if (apiVersion.startsWith('openslo/') && kind === 'SLO') {
      out.slos.push(readOpenSlo(out, root, out.errors));
    } else if (apiVersion.startsWith('openslo/') && kind === 'AlertPolicy') {
      const namePair = getPair(metadata, 'name');
      const name = stringValue(namePair?.value);
      if (name) out.alertPolicies.push({ name, range: nodeRange(out, namePair!.value as Node) });
    } else if (kind === 'ServiceLevelObjective' && apiVersion.startsWith('pyrra.dev/')) {
      out.slos.push(readPyrra(out, root, out.errors));
    }
  }
  return out;
}

/** `key: value` labels; OpenSLO also allows a list of values per key (first one kept). */
function labelsOf(node: YNode): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs(node)) {
    const k = keyName(p);
    const v = isScalar(p.value) ? stringValue(p.value) : stringValue(seqItems(p.value)[0]);
    if (k && v !== undefined && v.trim() !== '') out[k] = v;
  }
  return out;
}

function numberAt(file: SloFile, node: YNode, unit: SloObjective['unit'], what: string, errors: ParseError[]): SloObjective | undefined {
  if (!node) return undefined;
  const raw = scalarValue(node);
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : NaN;
  if (Number.isNaN(value)) {
    errors.push({ message: `The ${what} must be a number, not \`${String(raw ?? '')}\`.`, range: nodeRange(file, node), severity: 'error' });
    return undefined;
  }
  return { value, unit, range: nodeRange(file, node) };
}

function readSloth(file: SloFile, spec: YNode, format: 'sloth' | 'sloth-crd', serviceLabels: Record<string, string>): void {
  const camel = format === 'sloth-crd';
  for (const slo of seqItems(getNode(spec, 'slos'))) {
    if (!isMap(slo)) continue;
    const namePair = getPair(slo, 'name');
    const name = stringValue(namePair?.value) ?? '(unnamed)';
    const range = namePair ? nodeRange(file, namePair.value as Node) : nodeRange(file, slo);
    const objective = numberAt(file, getNode(slo, 'objective'), 'percent', `objective of SLO '${name}'`, file.errors);
    const alertingPair = getPair(slo, 'alerting');
    let alerting: SloAlerting;
    if (!alertingPair || !isMap(alertingPair.value)) {
      alerting = { state: 'absent', range, detail: 'has no `alerting` block' };
    } else {
      const page = getPair(alertingPair.value, camel ? 'pageAlert' : 'page_alert');
      const ticket = getPair(alertingPair.value, camel ? 'ticketAlert' : 'ticket_alert');
      const off = (p: typeof page): boolean => !!p && isTrue(getNode(p.value, 'disable'));
      alerting = off(page) && off(ticket) ? { state: 'disabled', range: nodeRange(file, alertingPair.key as Node), detail: 'disables both its page and its ticket alert' } : { state: 'enabled', range, detail: '' };
    }
    file.slos.push({ format, name, range, objectives: objective ? [objective] : [], labels: { ...serviceLabels, ...labelsOf(getNode(slo, 'labels')) }, alerting });
  }
}

/** A manifest-style SLO's metadata, spec and name, positioned on the name (or on `kind:` without one). */
function manifestHead(file: SloFile, root: Node): { metadata: YNode; spec: YNode; name: string; range: Range } {
  const metadata = getNode(root, 'metadata');
  const namePair = getPair(metadata, 'name');
  const name = stringValue(namePair?.value) ?? '(unnamed)';
  const range = namePair ? nodeRange(file, namePair.value as Node) : nodeRange(file, getNode(root, 'kind'));
  return { metadata, spec: getNode(root, 'spec'), name, range };
}

function readOpenSlo(file: SloFile, root: Node, errors: ParseError[]): SloSpec {
  const { metadata, spec, name, range } = manifestHead(file, root);
  const objectives: SloObjective[] = [];
  for (const o of seqItems(getNode(spec, 'objectives'))) {
    const target = getNode(o, 'target');
    const percent = getNode(o, 'targetPercent');
    const obj = target != null ? numberAt(file, target, 'ratio', `target of SLO '${name}'`, errors) : numberAt(file, percent, 'percent', `targetPercent of SLO '${name}'`, errors);
    if (obj) objectives.push(obj);
  }
  const policiesPair = getPair(spec, 'alertPolicies');
  const alertPolicies: NonNullable<SloSpec['alertPolicies']> = [];
  for (const p of seqItems(policiesPair?.value)) {
    const ref = stringValue(p) ?? stringValue(getNode(p, 'alertPolicyRef'));
    if (ref) {
      alertPolicies.push({ name: ref, range: nodeRange(file, p), inline: false });
      continue;
    }
    const inlineName = stringValue(getNode(getNode(p, 'metadata'), 'name'));
    if (isMap(p)) alertPolicies.push({ name: inlineName ?? '(inline)', range: nodeRange(file, p), inline: true });
  }
  const alerting: SloAlerting = alertPolicies.length
    ? { state: 'enabled', range, detail: '' }
    : { state: 'absent', range: policiesPair ? pairRange(file, policiesPair) : range, detail: policiesPair ? 'has an empty `alertPolicies` list' : 'names no `alertPolicies`' };
  const labels = { ...labelsOf(getNode(metadata, 'labels')), ...labelsOf(getNode(metadata, 'annotations')) };
  return { format: 'openslo', name, range, objectives, labels, alerting, alertPolicies };
}

function readPyrra(file: SloFile, root: Node, errors: ParseError[]): SloSpec {
  const { metadata, spec, name, range } = manifestHead(file, root);
  const target = numberAt(file, getNode(spec, 'target'), 'percent', `target of SLO '${name}'`, errors);
  const alertingNode = getNode(spec, 'alerting');
  const disabled = getPair(alertingNode, 'disabled');
  const burnrates = getPair(alertingNode, 'burnrates');
  let alerting: SloAlerting = { state: 'enabled', range, detail: '' };
  if (disabled && isTrue(disabled.value as Node)) alerting = { state: 'disabled', range: pairRange(file, disabled), detail: 'sets `alerting.disabled: true`' };
  else if (burnrates && scalarValue(burnrates.value as Node) === false) alerting = { state: 'disabled', range: pairRange(file, burnrates), detail: 'sets `alerting.burnrates: false`' };
  return { format: 'pyrra', name, range, objectives: target ? [target] : [], labels: labelsOf(getNode(metadata, 'labels')), alerting };
}
