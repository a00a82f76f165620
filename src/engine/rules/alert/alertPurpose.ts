import { isMap, isScalar } from 'yaml';
import { getNode, getPair, seqItems, stringValue } from '../../parsers/yaml';
import type { Alert } from './alertUtil';
import { labelValue } from './alertUtil';

// Not every alerting rule pages a person. Some exist for the machinery around alerting, and the
// advice for a paging alert (wait out blips with `for:`, route by severity, link a runbook, say
// what is wrong) does not fit them:
//   - an inhibition source (`InhibitionNodeNotReady` with `node_not_ready: "true"` and no
//     severity) only mutes other alerts in Alertmanager: it must fire at once, is routed to no
//     one, and nobody reads it;
//   - a heartbeat (`Watchdog`, `DeadMansSwitch`, `Heartbeat`) fires all the time so an external
//     dead man's switch notices when it stops: there is nothing to wait out, route or look up;
//   - an alert on Grafana's TestData data source (a random walk) watches nothing: it shows the
//     provisioning syntax;
//   - a test alert says so ("This is a test alert for the incident integration").

export type AlertPurpose = 'pages' | 'inhibition' | 'heartbeat' | 'test-data' | 'test';

/** `InhibitionNodeNotReady`, `inhibit_outside_working_hours`: named for what it does. */
const INHIBITION_NAME = /inhibit/i;
/** `Watchdog`, `DeadMansSwitch`, `DeadMansSnitch`, `Heartbeat`, `SnitchHeartBeat` (not `HeartbeatMissing`: that one pages). */
const HEARTBEAT_NAME = /(heart_?beat|watchdog|dead_?man'?s?_?(switch|snitch))$/i;
const HEARTBEAT_LOST = /missing|absent|lost|fail|stale|down|stopped|^no[A-Z_]/i;
/** What a test alert's text says about itself. */
const TEST_TEXT = /\b(this is a test|a test alert|test alert for)\b/i;

/**
 * What the alert is for. `fileRel` is the workspace-relative path of its rule file (a file named
 * for inhibitions, `inhibit.nodes.rules.yml`, holds inhibition sources). `severityLabel` names the
 * label a paging alert carries: an inhibition source carries none.
 */
export function alertPurpose(a: Alert, fileRel: string, severityLabel = 'severity'): AlertPurpose {
  if (readsOnlyTestData(a)) return 'test-data';
  const expr = a.expr && isScalar(a.expr) ? String(a.expr.value ?? '') : '';
  if ((HEARTBEAT_NAME.test(a.name) && !HEARTBEAT_LOST.test(a.name)) || /^\s*vector\s*\(\s*[\d.]+\s*\)\s*((==|!=|[<>]=?)\s*[\d.]+\s*)?$/.test(expr)) return 'heartbeat';
  const base = fileRel.slice(fileRel.lastIndexOf('/') + 1);
  const severity = labelValue(a, severityLabel);
  // `severity: none` routes to nobody (kube-prometheus' `InfoInhibitor` style): with an inhibiting
  // name or file it is an inhibition source as surely as one with no severity at all.
  if ((severity === undefined || /^none$/i.test(severity.trim())) && (INHIBITION_NAME.test(a.name) || /inhibit/i.test(base))) return 'inhibition';
  if (annotationText(a).some((t) => TEST_TEXT.test(t))) return 'test';
  return 'pages';
}

/** True when the alert pages nobody: the routing and runbook advice does not apply to it. */
export function pagesNobody(a: Alert, fileRel: string, severityLabel?: string): boolean {
  return alertPurpose(a, fileRel, severityLabel) !== 'pages';
}

function annotationText(a: Alert): string[] {
  if (!isMap(a.annotations)) return [];
  return a.annotations.items.map((p) => stringValue(p.value as never) ?? '').filter(Boolean);
}

/**
 * A Grafana-managed rule whose every query reads the TestData data source (`datasourceUid`
 * or `model.datasource.type` naming `testdata`); expression steps (`__expr__`) read the queries.
 */
export function readsOnlyTestData(a: Alert): boolean {
  const data = getPair(a.map, 'data');
  if (!data || !getPair(a.map, 'condition')) return false;
  const queries = seqItems(data.value as never).filter((q) => {
    const uid = stringValue(getNode(q, 'datasourceUid')) ?? '';
    return uid !== '__expr__' && uid !== '-100';
  });
  if (!queries.length) return false;
  return queries.every((q) => {
    const uid = stringValue(getNode(q, 'datasourceUid')) ?? '';
    const type = stringValue(getNode(getNode(getNode(q, 'model'), 'datasource'), 'type')) ?? '';
    return /testdata/i.test(uid) || /testdata/i.test(type);
  });
}
