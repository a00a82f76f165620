import type { FileKind } from '../types';

// The YAML files of the alerting pipeline, told apart by a glance at their text: Alertmanager
// configurations (alertmanager.yml, any file with top-level `route:` and `receivers:`, or
// AlertmanagerConfig manifests) and SLO specifications (Sloth, OpenSLO, Pyrra). A manifest that
// mixes these objects with other Kubernetes objects stays a `k8s-manifest`.

const SLO_KINDS = new Set(['PrometheusServiceLevel', 'ServiceLevelObjective', 'SLO', 'SLI', 'AlertPolicy', 'AlertCondition', 'AlertNotificationTarget', 'DataSource', 'Service']);

/** Top-level `kind:` values of every document in the text. */
function topLevelKinds(head: string): string[] {
  return [...head.matchAll(/^kind:\s*["']?([\w.-]+)/gm)].map((m) => m[1]);
}

export function classifyAlertingYaml(p: string, head: string): FileKind | undefined {
  const base = p.slice(p.lastIndexOf('/') + 1).toLowerCase();
  const kinds = topLevelKinds(head);
  if (kinds.length && kinds.every((k) => k === 'AlertmanagerConfig') && /^apiVersion:\s*["']?monitoring\.coreos\.com\//m.test(head)) return 'alertmanager-config';
  if (/^route:/m.test(head) && /^receivers:/m.test(head)) return 'alertmanager-config';
  if ((base === 'alertmanager.yml' || base === 'alertmanager.yaml') && /^(route|receivers|global|inhibit_rules):/m.test(head)) return 'alertmanager-config';
  // A Helm values file embedding an Alertmanager configuration as YAML (kube-prometheus-stack's
  // `alertmanager.config`, the alertmanager chart's `config`).
  if (/values[^/]*\.ya?ml$/.test(base) && (/^alertmanager\w*:/m.test(head) || /alertmanager/i.test(p)) && /^\s+route:\s*$/m.test(head) && /^\s+receivers:\s*$/m.test(head)) return 'alertmanager-config';
  // Sloth's plain format has no kind: `version: "prometheus/v1"` and a list of `slos:`.
  if (/^version:\s*["']?prometheus\/v1\b/m.test(head) && /^slos:/m.test(head)) return 'slo-spec';
  if (!kinds.length) return undefined;
  if (/^apiVersion:\s*["']?openslo\//m.test(head) && kinds.every((k) => SLO_KINDS.has(k))) return 'slo-spec';
  if (kinds.every((k) => k === 'PrometheusServiceLevel' || k === 'ServiceLevelObjective') && /^apiVersion:\s*["']?(sloth\.slok\.dev|pyrra\.dev)\//m.test(head)) return 'slo-spec';
  return undefined;
}
