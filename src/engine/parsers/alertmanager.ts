import { isMap, isSeq, Node, Pair, Scalar } from 'yaml';
import type { ParseError, Range } from '../types';
import { getNode, getPair, isTrue, keyName, nodeRange, pairs, parseYaml, seqItems, stringValue, YamlFile, YNode } from './yaml';

// Alertmanager configurations as a routing tree: the plain `alertmanager.yml` (route, receivers)
// and prometheus-operator `AlertmanagerConfig` manifests (spec.route, spec.receivers, camelCase
// keys). Matchers come from `matchers:` strings (`severity=~"critical|page"`), the older
// `match`/`match_re` maps, or the CRD's `{name, value, matchType}` objects. Problems the file's
// own YAML does not show (a matcher Alertmanager would reject) are this parser's errors.

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface AmMatcher {
  label: string;
  op: MatchOp;
  value: string;
  range: Range;
}

export interface AmRoute {
  /** The receiver named on this route, if any (children inherit their parent's). */
  receiver?: string;
  receiverRange?: Range;
  matchers: AmMatcher[];
  continue: boolean;
  routes: AmRoute[];
  /** Where findings about the route go: its first key (`receiver:` or `- matchers:`). */
  range: Range;
  /** `route` / `route.routes[1]` / `route.routes[1].routes[0]`, as amtool names them. */
  path: string;
  /** `group_by` (`groupBy`) labels, when the route sets them (children inherit their parent's). */
  groupBy?: string[];
}

/** An `inhibit_rules` entry: while an alert matching `source` fires, alerts matching `target` (and equal on `equal`) are muted. */
export interface AmInhibitRule {
  source: AmMatcher[];
  target: AmMatcher[];
  equal: string[];
  range: Range;
}

export interface AmReceiver {
  name: string;
  range: Range;
  /** Integration kinds it notifies, normalised: `pagerduty`, `opsgenie`, `email`, `slack`, `webhook`, … */
  integrations: string[];
  /** URLs of its webhook integrations (to recognise a pager behind a webhook). */
  webhookUrls: string[];
}

export interface AlertmanagerConfig {
  /** `alertmanager` for a configuration file, `AlertmanagerConfig` for the CRD. */
  format: 'alertmanager' | 'AlertmanagerConfig';
  /** metadata.name of the CRD, or the key path of a configuration embedded in a Helm values file. */
  name?: string;
  route?: AmRoute;
  /** The `route:` key (findings about the whole tree). */
  routeKeyRange?: Range;
  receivers: AmReceiver[];
  inhibitRules: AmInhibitRule[];
  /** The `inhibit_rules` key, when present. */
  inhibitKeyRange?: Range;
  /** Where findings about the whole configuration go when it has no route. */
  range: Range;
}

export interface AlertmanagerFile extends YamlFile {
  alertmanager: AlertmanagerConfig[];
}

export function parseAlertmanager(text: string): AlertmanagerFile {
  const y = parseYaml(text);
  const out: AlertmanagerFile = { ...y, alertmanager: [] };
  if (y.skippedTemplate) return out;
  for (const doc of y.docs) {
    const root = doc.contents as YNode;
    if (!isMap(root)) continue;
    const kind = stringValue(getNode(root, 'kind'));
    if (kind === 'AlertmanagerConfig') {
      const spec = getNode(root, 'spec');
      const name = stringValue(getNode(getNode(root, 'metadata'), 'name'));
      out.alertmanager.push(readConfig(y, spec, 'AlertmanagerConfig', name, nodeRange(y, getPair(root, 'kind') ?? root), out.errors));
    } else if (!kind && (isSeq(getNode(root, 'receivers')) || getPair(getNode(root, 'route'), 'receiver'))) {
      out.alertmanager.push(readConfig(y, root, 'alertmanager', undefined, nodeRange(y, pairs(root)[0] ?? root), out.errors));
    } else if (!kind) {
      // Embedded in a Helm values file: every map below the top with both a route and receivers.
      for (const { node, path } of embeddedConfigs(root, '', 0)) out.alertmanager.push(readConfig(y, node, 'alertmanager', path, nodeRange(y, pairs(node)[0] ?? node), out.errors));
    }
  }
  return out;
}

function embeddedConfigs(map: YNode, path: string, depth: number): { node: Node; path: string }[] {
  if (!isMap(map) || depth > 4) return [];
  if (depth > 0 && isMap(getNode(map, 'route')) && isSeq(getNode(map, 'receivers'))) return [{ node: map, path }];
  return pairs(map).flatMap((p) => embeddedConfigs(p.value as YNode, path ? `${path}.${keyName(p)}` : keyName(p) ?? '', depth + 1));
}

function readConfig(y: YamlFile, map: YNode, format: AlertmanagerConfig['format'], name: string | undefined, range: Range, errors: ParseError[]): AlertmanagerConfig {
  const crd = format === 'AlertmanagerConfig';
  const routePair = getPair(map, 'route');
  const receivers: AmReceiver[] = [];
  for (const r of seqItems(getNode(map, 'receivers'))) {
    const namePair = getPair(r, 'name');
    const rname = stringValue(namePair?.value);
    if (!namePair || rname === undefined) continue;
    const integrations: string[] = [];
    const webhookUrls: string[] = [];
    for (const p of pairs(r)) {
      const key = keyName(p);
      if (!key || key === 'name') continue;
      // `pagerduty_configs` / `pagerdutyConfigs` -> `pagerduty`; an empty list notifies nobody.
      const m = /^(.*?)(_configs|Configs)$/.exec(key);
      if (!m || (isSeq(p.value) && !seqItems(p.value).length)) continue;
      const integration = m[1].toLowerCase();
      integrations.push(integration);
      if (integration === 'webhook') {
        for (const w of seqItems(p.value)) {
          const url = stringValue(getNode(w, 'url')) ?? stringValue(getNode(w, 'url_file'));
          if (url) webhookUrls.push(url);
        }
      }
    }
    receivers.push({ name: rname, range: nodeRange(y, namePair.value as Node), integrations, webhookUrls });
  }
  const route = routePair && isMap(routePair.value) ? readRoute(y, routePair.value as Node, 'route', crd, errors) : undefined;
  const inhibitPair = getPair(map, crd ? 'inhibitRules' : 'inhibit_rules');
  const inhibitRules = seqItems(inhibitPair?.value as YNode).filter((r) => isMap(r)).map((r) => readInhibitRule(y, r, crd, errors));
  return { format, name, route, routeKeyRange: routePair ? nodeRange(y, routePair.key as Node) : undefined, receivers, inhibitRules, inhibitKeyRange: inhibitPair ? nodeRange(y, inhibitPair.key as Node) : undefined, range };
}

/** Matchers of a route or an inhibit rule side: `matchers:` strings, CRD objects, or the older `match`/`match_re` maps. */
function readMatchers(y: YamlFile, node: YNode, keys: { list: string; eq: string; re: string }, errors: ParseError[]): AmMatcher[] {
  const matchers: AmMatcher[] = [];
  for (const m of seqItems(getNode(node, keys.list))) {
    if (isMap(m)) {
      // CRD: {name, value, matchType} (older: `regex: true`).
      const label = stringValue(getNode(m, 'name'));
      if (!label) continue;
      const value = stringValue(getNode(m, 'value')) ?? '';
      const written = stringValue(getNode(m, 'matchType'));
      const op = (written && ['=', '!=', '=~', '!~'].includes(written) ? written : isTrue(getNode(m, 'regex')) ? '=~' : '=') as MatchOp;
      matchers.push({ label, op, value, range: nodeRange(y, m) });
      continue;
    }
    const text = stringValue(m);
    if (text === undefined) continue;
    const parsed = parseMatchers(text);
    if (!parsed) {
      errors.push({ message: `Alertmanager cannot parse the matcher \`${text}\`: write it as label="value", label!="value", label=~"regex" or label!~"regex".`, range: nodeRange(y, m), severity: 'error' });
      continue;
    }
    for (const p of parsed) matchers.push({ ...p, range: nodeRange(y, m) });
  }
  for (const [key, op] of [[keys.eq, '='], [keys.re, '=~']] as const) {
    for (const p of pairs(getNode(node, key))) {
      const label = keyName(p as Pair);
      if (label) matchers.push({ label, op, value: stringValue(p.value as Scalar) ?? '', range: nodeRange(y, p as Pair) });
    }
  }
  return matchers;
}

function readInhibitRule(y: YamlFile, node: Node, crd: boolean, errors: ParseError[]): AmInhibitRule {
  const side = (s: 'source' | 'target') =>
    crd ? readMatchers(y, node, { list: `${s}Match`, eq: '\0', re: '\0' }, errors) : readMatchers(y, node, { list: `${s}_matchers`, eq: `${s}_match`, re: `${s}_match_re` }, errors);
  const first = pairs(node)[0];
  return {
    source: side('source'),
    target: side('target'),
    equal: seqItems(getNode(node, 'equal')).map((e) => stringValue(e) ?? '').filter(Boolean),
    range: first ? nodeRange(y, first.key as Node) : nodeRange(y, node),
  };
}

function readRoute(y: YamlFile, node: Node, path: string, crd: boolean, errors: ParseError[]): AmRoute {
  const receiverPair = getPair(node, 'receiver');
  const matchers = readMatchers(y, node, { list: 'matchers', eq: 'match', re: 'match_re' }, errors);
  const routes = seqItems(getNode(node, 'routes'))
    .filter((r) => isMap(r))
    .map((r, i) => readRoute(y, r, `${path}.routes[${i}]`, crd, errors));
  const first = pairs(node)[0];
  const groupBy = getNode(node, crd ? 'groupBy' : 'group_by');
  return {
    receiver: stringValue(receiverPair?.value),
    groupBy: isSeq(groupBy) ? seqItems(groupBy).map((g) => stringValue(g) ?? '').filter(Boolean) : undefined,
    receiverRange: receiverPair?.value ? nodeRange(y, receiverPair.value as Node) : undefined,
    matchers,
    continue: isTrue(getNode(node, 'continue')),
    routes,
    range: first ? nodeRange(y, first.key as Node) : nodeRange(y, node),
    path,
  };
}

/**
 * The matchers of one `matchers:` entry, as Alertmanager reads it: `a="b"`, `a!~"x|y"`, an
 * unquoted value, or several in braces (`{a="b", c=~"d"}`). Undefined when it is not a matcher.
 */
export function parseMatchers(text: string): Omit<AmMatcher, 'range'>[] | undefined {
  let s = text.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1);
  const out: Omit<AmMatcher, 'range'>[] = [];
  const re = /\s*([^\s=!~,"{}]+|"(?:[^"\\]|\\.)*")\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|[^,]*?)\s*(?:,|$)/y;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m || m[0].length === 0) return undefined;
    const unquote = (v: string): string => (v.startsWith('"') ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v);
    out.push({ label: unquote(m[1]), op: m[2] as MatchOp, value: unquote(m[3]) });
    pos = re.lastIndex;
  }
  return out.length ? out : undefined;
}
