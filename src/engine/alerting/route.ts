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

const patternCache = new WeakMap<readonly string[], RegExp[]>();

/** True when the receiver notifies a pager: a paging integration, a webhook to one, or a name the config says pages. */
export function isPaging(r: AmReceiver, config: OpsReviewConfig): boolean {
  const c = config.alertmanager;
  if (c.pagingReceivers.includes(r.name)) return true;
  if (r.integrations.some((i) => c.pagingIntegrations.includes(i))) return true;
  let patterns = patternCache.get(c.pagingWebhookPatterns);
  if (!patterns) {
    patterns = c.pagingWebhookPatterns.flatMap((p) => {
      try {
        return [new RegExp(p, 'i')];
      } catch {
        return [];
      }
    });
    patternCache.set(c.pagingWebhookPatterns, patterns);
  }
  return r.webhookUrls.some((u) => patterns!.some((p) => p.test(u)));
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

// ---- the answer the editor and the CLI give ----------------------------------------------

export interface ReceiverHit {
  receiver: string;
  /** False when no receiver of that name is defined (alertmanager/receiver-missing). */
  defined: boolean;
  integrations: string[];
  paging: boolean;
  /** amtool's route path (`route.routes[0]`) and the matchers along it. */
  routePath: string;
  matchers: string;
  line: number;
}

export interface ConfigRouting {
  /** Workspace-relative path of the Alertmanager file. */
  file: string;
  /** AlertmanagerConfig name, when the file is a CRD. */
  name?: string;
  receivers: ReceiverHit[];
}

export interface AlertRouting {
  alert: string;
  file: string;
  line: number;
  labels: Record<string, string>;
  routes: ConfigRouting[];
}

/** Where an alert rule's labels lead in every Alertmanager configuration of the workspace. */
export function routingOf(index: IndexView, config: OpsReviewConfig, wa: WorkspaceAlert): AlertRouting {
  const labels = alertLabels(wa.alert);
  return {
    alert: wa.alert.name,
    file: wa.file.relPath,
    line: wa.alert.line,
    labels,
    routes: routeInWorkspace(index, labels).map((w) => ({
      file: w.file.relPath,
      name: w.config.name,
      receivers: w.matches.map((m) => {
        const r = receiverNamed(w.config, m.receiver);
        return {
          receiver: m.receiver ?? '(none)',
          defined: !!r,
          integrations: r?.integrations ?? [],
          paging: !!r && isPaging(r, config),
          routePath: m.route.path,
          matchers: describeRoute(m),
          line: m.route.range.start.line,
        };
      }),
    })),
  };
}

/** The routing of every alert rule named `name` (an alert name may repeat across files). */
export function routeAlertByName(index: IndexView, config: OpsReviewConfig, name: string): AlertRouting[] {
  return workspaceAlerts(index, config)
    .filter((wa) => wa.alert.name === name)
    .map((wa) => routingOf(index, config, wa));
}

/** One line per receiver: `payments-pagerduty (pagerduty, paging) via route.routes[0] in alertmanager.yml`. */
export function routingSummary(r: AlertRouting): string[] {
  if (!r.routes.length) return ['no Alertmanager configuration in the workspace'];
  return r.routes.flatMap((c) =>
    c.receivers.map(
      (h) =>
        `${h.receiver}${h.defined ? ` (${h.integrations.join(', ') || 'no integration'}${h.paging ? ', pages' : ''})` : ' (undefined receiver)'} via ${h.routePath === 'route' ? 'the root route' : `${h.routePath} ${h.matchers}`} in ${c.file}${c.name ? ` (${c.name})` : ''}`,
    ),
  );
}
