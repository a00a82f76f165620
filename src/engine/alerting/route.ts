import type { OpsReviewConfig } from '../config/schema';
import type { AlertMeta, IndexedFile, IndexView } from '../model';
import type { AlertmanagerConfig, AlertmanagerFile, AmMatcher, AmReceiver, AmRoute } from '../parsers/alertmanager';
import { alertMetas, prometheusRuleView } from '../parsers/alerts';
import { yamlOf } from '../parsers/yaml';

// Which receiver an alert reaches, as Alertmanager's dispatcher (and `amtool config routes test`)
// decides it: the root route takes every alert; its children are tried in order and the first
// that matches wins, unless it says `continue: true`, in which case the next ones are tried too;
// a route none of whose children match handles the alert itself; a route without a receiver
// uses its parent's. Regexes are anchored, as Alertmanager anchors them.

const regexCache = new Map<string, RegExp | null>();

function anchored(re: string): RegExp | null {
  let r = regexCache.get(re);
  if (r === undefined) {
    try {
      // Go's `(?i)` prefix is the one inline flag real configs use; JavaScript wants it as a flag.
      const ci = re.startsWith('(?i)');
      r = new RegExp(`^(?:${ci ? re.slice(4) : re})$`, ci ? 'i' : '');
    } catch {
      r = null;
    }
    regexCache.set(re, r);
  }
  return r;
}

/** Does the matcher accept these labels? A missing label is the empty string, as in Alertmanager. */
export function matcherMatches(m: Pick<AmMatcher, 'label' | 'op' | 'value'>, labels: Record<string, string>): boolean {
  const v = labels[m.label] ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return anchored(m.value)?.test(v) ?? false;
    case '!~':
      return !(anchored(m.value)?.test(v) ?? true);
  }
}

export function matcherText(m: Pick<AmMatcher, 'label' | 'op' | 'value'>): string {
  return `${m.label}${m.op}${JSON.stringify(m.value)}`;
}

/** One route an alert ends on. */
export interface RouteMatch {
  route: AmRoute;
  /** The receiver it notifies (its own or inherited); undefined when no route up the tree names one. */
  receiver?: string;
  /** Root first, the matched route last. */
  chain: AmRoute[];
}

/** The routes an alert with these labels ends on (several when `continue: true` lets it fan out). */
export function routeAlert(config: AlertmanagerConfig, labels: Record<string, string>): RouteMatch[] {
  if (!config.route) return [];
  // The root route matches every alert (its matchers, if any, are ignored by Alertmanager too).
  return walk(config.route, labels, undefined, [], true) ?? [];
}

function walk(route: AmRoute, labels: Record<string, string>, inherited: string | undefined, chain: AmRoute[], root = false): RouteMatch[] | undefined {
  if (!root && !route.matchers.every((m) => matcherMatches(m, labels))) return undefined;
  const receiver = route.receiver ?? inherited;
  const here = [...chain, route];
  const all: RouteMatch[] = [];
  for (const child of route.routes) {
    const found = walk(child, labels, receiver, here);
    if (!found) continue;
    all.push(...found);
    if (!child.continue) break;
  }
  return all.length ? all : [{ route, receiver, chain: here }];
}

/** The receiver definition a name refers to. */
export function receiverNamed(config: AlertmanagerConfig, name: string | undefined): AmReceiver | undefined {
  return name === undefined ? undefined : config.receivers.find((r) => r.name === name);
}

/** amtool-style description of a route: its path and matchers. */
export function describeRoute(m: RouteMatch): string {
  if (m.chain.length === 1) return 'the root route';
  return m.chain
    .slice(1)
    .map((r) => `{${r.matchers.map(matcherText).join(', ')}}`)
    .join(' → ');
}

// ---- the workspace ----------------------------------------------------------------------

export interface WorkspaceAlert {
  file: IndexedFile;
  alert: AlertMeta;
}

/** Every alerting rule of the workspace: rule files and PrometheusRule objects in other manifests. */
export function workspaceAlerts(index: IndexView, config: OpsReviewConfig): WorkspaceAlert[] {
  const out: WorkspaceAlert[] = [];
  for (const file of index.byKind('alert-rules', 'k8s-manifest')) {
    let alerts = file.alerts;
    if (!alerts && file.kind === 'k8s-manifest') {
      const y = yamlOf(file.parsed);
      const view = y && prometheusRuleView(y);
      alerts = view ? alertMetas(view, file.path, config, index.root) : [];
    }
    for (const alert of alerts ?? []) out.push({ file, alert });
  }
  return out;
}

/** The labels Alertmanager sees for an alert rule: its static labels and `alertname`. */
export function alertLabels(alert: AlertMeta): Record<string, string> {
  return { ...alert.labels, alertname: alert.name };
}

export interface WorkspaceRouting {
  file: IndexedFile;
  config: AlertmanagerConfig;
  matches: RouteMatch[];
}

/** The Alertmanager configurations of the workspace, each with the routes these labels take in it. */
export function routeInWorkspace(index: IndexView, labels: Record<string, string>): WorkspaceRouting[] {
  const out: WorkspaceRouting[] = [];
  for (const file of index.byKind('alertmanager-config')) {
    for (const config of (file.parsed as AlertmanagerFile).alertmanager ?? []) {
      if (config.route) out.push({ file, config, matches: routeAlert(config, labels) });
    }
  }
  return out;
}
