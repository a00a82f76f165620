import { isMap, isScalar, Node, Pair, Scalar, YAMLMap } from 'yaml';
import type { IndexedFile, ParsedFile } from '../../model';
import { alertNamePair, AlertNode, extractAlerts, prometheusRuleView } from '../../parsers/alerts';
import { getNode, getPair, lastContentLine, nodeRange, pairRange, pairs, seqItems, stringValue, yamlOf, YamlFile, YNode } from '../../parsers/yaml';
import type { Range, TextEdit } from '../../types';

export { yamlOf, lastContentLine } from '../../parsers/yaml';

// Shared by the alert rule pack: the alerting rules of a file (a Prometheus rule file, a
// PrometheusRule manifest, or PrometheusRule objects inside another manifest), the range the
// per-alert findings point at, and the text edits that add a label, an annotation or a key with
// the file's own indentation.

/** The rule kinds the pack runs on: rule files (incl. PrometheusRule-first manifests) and other manifests. */
export const ALERT_KINDS = ['alert-rules', 'k8s-manifest'] as const;

export interface Alert extends AlertNode {
  /** The rule's mapping, typed. */
  map: YAMLMap<Scalar, Node>;
  /** The `alert: Name` pair. */
  alertPair: Pair<Scalar, Node>;
  /** The group's own `labels:` (Prometheus 3.0+ adds them to each of its rules; the rule's own win). */
  groupLabels?: Node;
}

/** A rule group and its alerting rules (recording rules left out). */
export interface AlertGroup {
  name: string;
  /** The group's `name: …` pair, where findings about the whole group point. */
  namePair?: Pair<Scalar, Node>;
  alerts: Alert[];
}

type AlertsOfFile = { yaml: YamlFile; alerts: Alert[]; groups: AlertGroup[] } | undefined;

/** Per parse and kind: every alert rule of a file asks (callers only read the answer). */
const alertsCache = new WeakMap<ParsedFile, { kind: IndexedFile['kind']; value: AlertsOfFile }>();

/** The alerting rules (not recording rules) of the file, by group, and the YAML file they live in. */
export function alertsOf(parsed: ParsedFile, file: IndexedFile): AlertsOfFile {
  const hit = alertsCache.get(parsed);
  if (hit && hit.kind === file.kind) return hit.value;
  const value = readAlerts(parsed, file);
  alertsCache.set(parsed, { kind: file.kind, value });
  return value;
}

function readAlerts(parsed: ParsedFile, file: IndexedFile): AlertsOfFile {
  const y = yamlOf(parsed);
  if (!y) return undefined;
  const view = file.kind === 'alert-rules' ? y : file.kind === 'k8s-manifest' ? prometheusRuleView(y) : undefined;
  if (!view) return undefined;
  const alerts: Alert[] = [];
  for (const a of extractAlerts(view)) {
    const alertPair = alertNamePair(a.rule) as Pair<Scalar, Node> | undefined;
    if (!alertPair || !isMap(a.rule)) continue;
    alerts.push({ ...a, map: a.rule as YAMLMap<Scalar, Node>, alertPair });
  }
  // The groups `extractAlerts` walked (`groups:` or a PrometheusRule's `spec.groups`), matched by rule node.
  const groups: AlertGroup[] = [];
  for (const doc of view.docs) {
    const root = doc.contents as YNode;
    for (const g of seqItems(getNode(root, 'groups') ?? getNode(getNode(root, 'spec'), 'groups'))) {
      const rules = new Set<unknown>(seqItems(getNode(g, 'rules')));
      const members = alerts.filter((a) => rules.has(a.rule));
      if (!members.length) continue;
      const groupLabels = (getNode(g, 'labels') ?? undefined) as Node | undefined;
      for (const a of members) a.groupLabels = groupLabels;
      groups.push({ name: members[0].group, namePair: getPair(g, 'name'), alerts: members });
    }
  }
  return { yaml: y, alerts, groups };
}

/** A label of the alert: its own non-empty value, else its group's (Prometheus 3.0+ group labels). */
export function labelValue(a: Alert, key: string): string | undefined {
  return mapValue(a.labels, key) ?? mapValue(a.groupLabels, key);
}

/** How many alerting rules the file holds (the subjects of the alert pack's conventions). */
export function alertCount(ctx: { parsed: ParsedFile; file: IndexedFile }): number {
  return alertsOf(ctx.parsed, ctx.file)?.alerts.length ?? 0;
}

/** The `alert: Name` key and value, where findings about a whole alert point. */
export function alertRange(file: YamlFile, a: Alert): Range {
  return pairRange(file, a.alertPair);
}

/** Non-empty string value of `key` in a labels/annotations map. */
export function mapValue(map: YNode, key: string): string | undefined {
  const v = stringValue(getPair(map, key)?.value)?.trim();
  return v ? v : undefined;
}


/** Columns a nested block map is indented by in this file (from the alerts' labels/annotations), 2 by default. */
export function indentStep(file: YamlFile, alerts: Alert[], first?: Alert): number {
  for (const a of first ? [first, ...alerts] : alerts) {
    for (const name of ['labels', 'annotations']) {
      const p = getPair(a.map, name);
      const child = isMap(p?.value) && !(p!.value as YAMLMap).flow ? pairs(p!.value)[0] : undefined;
      if (!p || !child) continue;
      const step = nodeRange(file, child.key).start.character - nodeRange(file, p.key).start.character;
      if (step > 0) return step;
    }
  }
  return 2;
}

/** A plain YAML scalar when it reads back as the same string, else a double-quoted one. */
export function yamlScalar(s: string): string {
  if (/^[A-Za-z0-9_][\w./-]*$/.test(s) && !/^(true|false|yes|no|on|off|null|~|y|n)$/i.test(s) && !/^[0-9.]+$/.test(s)) return s;
  if (/^https?:\/\/[^\s#,{}[\]'"]+(#[^\s,{}[\]'"]*)?$/.test(s)) return s;
  return JSON.stringify(s);
}

/** `{{ … }}` or `$labels`: filled in at alert time, not judged. */
export function isTemplated(s: string): boolean {
  return s.includes('{{') || s.includes('$labels') || s.includes('$value');
}

function endOfLine(file: YamlFile, line: number): Range {
  const end = { line, character: file.lines.line(line).length };
  return { start: end, end };
}

/**
 * Adds `key: value` to the alert's `labels`/`annotations` map, creating the map when it is
 * absent. Block maps get a new line at the map's indentation; a one-line flow map
 * (`{severity: page}`) gets `, key: value` before its `}`. A multi-line flow map, a flow-style
 * rule, or a map key holding something else (`labels: ~`) get no edit (undefined).
 */
export function addEntryEdit(file: YamlFile, a: Alert, alerts: Alert[], mapName: 'labels' | 'annotations', key: string, value: string): TextEdit | undefined {
  if (a.map.flow) return undefined;
  const eol = file.lines.eol;
  const step = indentStep(file, alerts, a);
  const entry = `${key}: ${value}`;
  const pair = getPair(a.map, mapName);
  if (pair) {
    const v = pair.value as YNode;
    const keyCol = nodeRange(file, pair.key).start.character;
    if (isMap(v)) {
      const map = v as YAMLMap<Scalar, Node>;
      const r = nodeRange(file, map);
      if (map.flow) {
        if (r.start.line !== r.end.line) return undefined;
        const items = map.items;
        const last = items[items.length - 1];
        if (!last) {
          const at = { line: r.start.line, character: r.start.character + 1 };
          return { range: { start: at, end: at }, newText: entry };
        }
        const lastEnd = nodeRange(file, (last.value ?? last.key) as Node).end;
        return { range: { start: lastEnd, end: lastEnd }, newText: `, ${entry}` };
      }
      const first = map.items[0];
      const col = first ? nodeRange(file, first.key).start.character : keyCol + step;
      return { range: endOfLine(file, lastContentLine(file, map)), newText: `${eol}${' '.repeat(col)}${entry}` };
    }
    // `labels:` with nothing after it (a null value written as nothing).
    const empty = v == null || (isScalar(v) && v.value == null && (!v.range || file.text.slice(v.range[0], v.range[1]).trim() === ''));
    if (!empty) return undefined;
    const keyLine = nodeRange(file, pair.key).start.line;
    return { range: endOfLine(file, keyLine), newText: `${eol}${' '.repeat(keyCol + step)}${entry}` };
  }
  const col = nodeRange(file, a.alertPair.key).start.character;
  const ind = ' '.repeat(col);
  const block = `${ind}${mapName}:${eol}${ind}${' '.repeat(step)}${entry}`;
  if (mapName === 'labels') {
    // Conventional order: alert, expr, for, labels, annotations.
    const ann = getPair(a.map, 'annotations');
    if (ann) {
      const annKey = nodeRange(file, ann.key).start;
      if (file.lines.line(annKey.line).slice(0, annKey.character).trim() === '') {
        const at = { line: annKey.line, character: 0 };
        return { range: { start: at, end: at }, newText: `${block}${eol}` };
      }
    }
  }
  return { range: endOfLine(file, lastContentLine(file, a.map)), newText: `${eol}${block}` };
}

/** The other alerts' most common value of a label (for a fix that proposes one), if any. */
export function commonLabelValue(alerts: Alert[], keys: readonly string[]): { key: string; value: string } | undefined {
  const counts = new Map<string, number>();
  for (const a of alerts) {
    for (const k of keys) {
      const v = labelValue(a, k);
      if (v && !isTemplated(v)) {
        const id = `${k}\u0000${v}`;
        counts.set(id, (counts.get(id) ?? 0) + 1);
        break;
      }
    }
  }
  let best: string | undefined;
  for (const [id, n] of counts) if (!best || n > counts.get(best)!) best = id;
  if (!best) return undefined;
  const [key, value] = best.split('\u0000');
  return { key, value };
}
