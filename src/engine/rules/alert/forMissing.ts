import { isScalar } from 'yaml';
import { getPair, nodeRange, YamlFile } from '../../parsers/yaml';
import type { Range, RuleFinding, TextEdit } from '../../types';
import type { Rule } from '../types';
import { ALERT_KINDS, alertRange, alertsOf, lastContentLine } from './alertUtil';
import { alertPurpose } from './alertPurpose';
import { averagedOverWindow } from './promqlWindow';

// Without `for:` an alert fires on the first evaluation where the expression is true: one
// scrape blip or a restart pages someone, then resolves before they look. A pending period lets
// transient conditions clear on their own (the main source of flapping, ignorable pages). An
// expression that already requires the condition across a window (`min_over_time(x[10m]) > 0`
// is `x > 0` held for 10 minutes) has its pending period built in. An alert on a one-off event
// (`changes(process_start_time_seconds[1h]) > 0`, `delta(connected_replicas[1m]) < 0`) needs
// none: the window is its look-back, and a pending period would ask the event to recur in every
// evaluation, so it would never fire. An always-firing dead man's switch (`vector(1)`) has
// nothing to wait for, nor have an inhibition source, a test alert or one on test data (see
// alertPurpose.ts). An expression with its duration in the condition needs none either: an
// age check (`time() - last_success_timestamp > 600`: ten minutes without a success is the
// pending period), a deadline (`cert_not_after - time() < 14 * 86400`, a TTL under a week: it
// only moves one way) or a recent event (`time() - boot_time < 600`). An age check of under
// 5 minutes still needs one (`time() - last_seen > 60` is one missed scrape). A persistent
// failure state (`node_md_disks{state="failed"} > 0`, an error flag `x_scrape_error == 1`) does
// not blip: it stays until fixed, so it needs none either. An expression whose every series is
// averaged over 5 minutes or more (`sum(rate(errors[5m])) / sum(rate(requests[5m])) > 0.05`,
// `histogram_quantile(0.99, sum by (le) (rate(x_bucket[10m]))) > 1`, a recorded `job:x:rate5m`)
// is smoothed already: one bad scrape moves it by a fraction, so it does not flap. `irate` (the
// last two samples), a window under 5 minutes, and `absent(x)` (a failed scrape marks series
// stale at once) still need a pending period.
const TEST_FIXTURE = /(^|\/)(testdata|tests?|fixtures?|__fixtures__|__tests__|e2e)\//;

export const rule: Rule<YamlFile> = {
  meta: {
    id: 'alert/for-missing',
    description: 'An alerting rule has no `for:` duration, so a single evaluation blip fires it.',
    defaultSeverity: 'info',
    profile: 'all',
    practice: 'alert-fatigue',
    kinds: ALERT_KINDS,
    fixable: true,
    equivalents: [{ tool: 'pint', id: 'alerts/for' }],
  },
  check(ctx) {
    const found = alertsOf(ctx.parsed, ctx.file);
    if (!found) return [];
    const { yaml, alerts } = found;
    const out: RuleFinding[] = [];
    for (const a of alerts) {
      if (a.expr && isScalar(a.expr) && noPendingPeriodNeeded(String(a.expr.value ?? ''))) continue;
      // A rule on test data is an example: like the examples of nonProduction folders, its
      // `for:` is still checked (it is copied with the rule); alerts that page nobody are not.
      // A test's fixture (under `testdata/`, `tests/`, `fixtures/`) feeds a test, not a pager.
      if (TEST_FIXTURE.test(ctx.file.relPath)) continue;
      const purpose = alertPurpose(a, ctx.file.relPath, ctx.config.alerts.severityLabel);
      if (purpose !== 'pages' && purpose !== 'test-data') continue;
      const pair = getPair(a.map, 'for');
      const value = isScalar(pair?.value) ? String(pair!.value.value ?? '').trim() : undefined;
      // Any written duration is a decision, `for: 0s` too: "fire at once" (a restart or an
      // eviction event, a hard-down signal), which pint's alerts/for calls merely redundant.
      // Grafana-managed rules are the exception: Grafana writes `for: 0s` into every exported or
      // provisioned rule whoever decided nothing, so a zero there is no decision.
      const grafanaDefault = !!getPair(a.map, 'condition') && !!getPair(a.map, 'data') && value !== undefined && isZeroDuration(value);
      if (pair && value !== undefined && value !== '' && !grafanaDefault) continue;
      if (pair && pair.value != null && !isScalar(pair.value)) continue; // not a duration; promtool reports it
      const range: Range = alertRange(yaml, a);
      const edit: TextEdit | undefined = pair ? undefined : forEdit(yaml, a.map.flow ?? false, a.expr ? getPair(a.map, 'expr')! : a.alertPair);
      const message = grafanaDefault
        ? `Grafana alert rule '${a.name}' keeps Grafana's default \`for: ${value}\`, so it fires on the first evaluation: set a pending period (e.g. \`for: 5m\`) so transient blips clear on their own.`
        : `Alert '${a.name}' has no \`for:\` duration, so it fires on the first evaluation: add one (e.g. \`for: 5m\`) so transient blips clear on their own.`;
      const fix = grafanaDefault && isScalar(pair!.value) ? { range: nodeRange(yaml, pair!.value), newText: '5m' } : edit;
      out.push({ range: grafanaDefault && isScalar(pair!.value) ? nodeRange(yaml, pair!.value) : range, message, fixes: fix ? [{ title: 'Set `for: 5m`', isPreferred: true, edits: [fix] }] : undefined });
    }
    return out;
  },
};

/**
 * The expression holds its condition over time already: it aggregates over a window of a minute
 * or more (`min_over_time(x[10m]) > 0`), or it is a multiwindow burn-rate alert (the same ratio
 * over a short and a long window, joined with `and`, as the SRE workbook, Sloth and Pyrra write
 * them): the long window is the pending period, the short one makes it resolve quickly.
 */
export function heldOverWindow(expr: string): boolean {
  if (/\b(min|max|avg|quantile)_over_time\s*\([^[]*\[\s*([1-9]\d*[mhdwy]|(?:[6-9]\d|[1-9]\d{2,})s)/.test(expr)) return true;
  if (!/\band\b/.test(expr)) return false;
  const windows = new Set([...expr.matchAll(/(?:rate|\[)\s*(\d+[smhdw])\b/g)].map((m) => m[1]));
  return windows.size >= 2;
}

function noPendingPeriodNeeded(expr: string): boolean {
  return heldOverWindow(expr) || averagedOverWindow(expr) || isEventCheck(expr) || isConstant(expr) || durationInCondition(expr) || persistentState(expr);
}

/** A failure state a selector names: `{state="failed"}`, `{status=~"faulty|degraded"}`. */
const FAILED_STATE = /\b(state|status|health)\s*=~?\s*["'][^"']*\b(failed|faulty|degraded|broken|error)\b/i;
/**
 * A counter of events (`falco_events{rule="…"}`, `audit_violations_total`) asked as a bare selector
 * `> 0`: once an event was counted it stays above zero, so the alert does not blip; a pending
 * period only delays it (a security event must fire at once).
 */
const EVENT_COUNTER = /^[a-zA-Z_:][\w:]*_(events|events_total|violations|violations_total|detections|detections_total)$/;
/** A flag or count of errors kept as a gauge (`textfile_scrape_error`, `sync_errors`), not a `_total` counter. */
const ERROR_GAUGE = /^[a-zA-Z_:][\w:]*_(error|errors|failed|failure|failures)$/;

/**
 * A state that stays until someone fixes it, asked as a bare selector compared with 0 or 1: a
 * failed RAID member (`node_md_disks{state="failed"} > 0`), an error flag set until the next
 * successful run or a restart (`node_textfile_scrape_error == 1`). It does not blip, so a
 * pending period only delays the page. `up == 0`, a ratio or a rate still need one.
 */
export function persistentState(expr: string): boolean {
  const m = /^\s*\(?\s*([a-zA-Z_:][\w:]*)\s*(\{[^{}]*\})?\s*\)?\s*(>\s*0|>=\s*1|==\s*1|!=\s*0)\s*$/.exec(expr.replace(/#[^\n]*/g, ''));
  if (!m) return false;
  return FAILED_STATE.test(m[2] ?? '') || ERROR_GAUGE.test(m[1]) || EVENT_COUNTER.test(m[1]);
}

/** Seconds an age check must reach before its condition holds a pending period of its own. */
const MIN_AGE_SECONDS = 300;

/**
 * The condition itself says how long: an age over 5 minutes or more (`time() - last_run > 5 *
 * 3600`), a deadline (`not_after - time() < 14 * 86400`, `client_ttl_seconds < 604800`, a
 * certificate `expiration` below a threshold), or a recent event (`time() - boot_time < 600`).
 */
export function durationInCondition(expr: string): boolean {
  const text = expr.replace(/#[^\n]*/g, '');
  const thresholds = [...text.matchAll(/([<>])=?\s*(?:bool\s+)?\(?\s*(\d+(?:\.\d+)?(?:e[+-]?\d+)?(?:\s*\*\s*\d+(?:\.\d+)?)*)/gi)].map((m) => ({
    op: m[1],
    seconds: m[2].split('*').reduce((p, n) => p * Number(n.trim()), 1),
  }));
  const age = /\btime\s*\(\s*\)\s*-(?!\s*\d)/.test(text);
  const deadline = /-\s*time\s*\(\s*\)/.test(text) || /[A-Za-z_:]*(expir|not_?after|_ttl_|_ttl\b)[A-Za-z_:]*/i.test(text);
  if (age && thresholds.some((t) => t.op === '>' && t.seconds >= MIN_AGE_SECONDS)) return true;
  if (age && thresholds.some((t) => t.op === '<')) return true;
  return deadline && thresholds.some((t) => t.op === '<');
}

/**
 * The expression asks whether something happened in a window: `changes`, `resets`, `delta` or
 * `increase` of one selector over a range, compared with 0 (`increase(sync_failed_total[1m]) > 0`), alone or as one side of an `and`. A threshold on a rate or a count of
 * events (`increase(x[5m]) > 5`) is not: a burst still fires it at once.
 */
export function isEventCheck(expr: string): boolean {
  const event = (e: string) => /^\s*\(?\s*(changes|resets|delta|increase)\s*\([^()]*\[\s*\d+[smhdwy]\s*\]\s*\)\s*(>|<|!=)\s*0\s*\)?\s*$/.test(e);
  // The event joined with a condition on the same target (`x and changes(x[1m]) > 0`): still an
  // event, and a pending period would still ask it to recur.
  const sides = expr.split(/\band\b(?:\s+on\s*\([^)]*\))?/);
  return event(expr) || sides.some(event) || crossedSince(sides) || changedSinceOffset(expr);
}

/**
 * `x != x offset 10m` (a setting compared with its value a while ago): a change that happened
 * once, not a state that blips; a pending period would only delay the notice.
 */
function changedSinceOffset(expr: string): boolean {
  const text = expr.replace(/"[^"]*"|'[^']*'/g, '""');
  return /!=/.test(text) && /\boffset\s+\d+[smhdwy]/i.test(text) && !/[<>]/.test(text);
}

/**
 * `uptime < 600 and uptime offset 10m > 600`: the same series below a threshold now and above
 * it a while ago (or the other way round), a change that happened once (a reboot).
 */
function crossedSince(sides: string[]): boolean {
  if (sides.length !== 2) return false;
  const [now, before] = /\boffset\b/.test(sides[0]) ? [sides[1], sides[0]] : [sides[0], sides[1]];
  if (/\boffset\b/.test(now) || !/\boffset\b/.test(before)) return false;
  const metrics = (e: string) => new Set([...e.replace(/"[^"]*"|'[^']*'/g, '').matchAll(/\b([a-zA-Z_:][\w:]*)\s*(?=\{|\)|\s|$)/g)].map((m) => m[1]).filter((m) => !/^(offset|and|or|by|on|time|bool)$/.test(m) && !/^\d/.test(m)));
  const shared = [...metrics(now)].some((m) => metrics(before).has(m));
  const cmp = (e: string) => (/</.test(e) ? '<' : /[^=!]>/.test(` ${e}`) ? '>' : '');
  return shared && cmp(now) !== '' && cmp(before) !== '' && cmp(now) !== cmp(before);
}

/** A constant, always-firing expression (`vector(1)`, `vector(1) > 0`): a dead man's switch. */
export function isConstant(expr: string): boolean {
  return /^\s*vector\s*\(\s*[\d.]+\s*\)\s*((==|!=|[<>]=?)\s*[\d.]+\s*)?$/.test(expr);
}

/** `0`, `0s`, `0m`, `0h0m0s`… */
export function isZeroDuration(v: string): boolean {
  return /^(0+(ms|s|m|h|d|w|y)?)+$/.test(v.trim());
}

/** `for: 5m` on a new line after the `expr` (after a block scalar's last line), at the rule's key column. */
function forEdit(yaml: YamlFile, flow: boolean, after: ReturnType<typeof getPair>): TextEdit | undefined {
  if (flow || !after) return undefined;
  const col = nodeRange(yaml, after.key).start.character;
  const line = lastContentLine(yaml, (after.value ?? after.key) as Parameters<typeof lastContentLine>[1]);
  const end = { line, character: yaml.lines.line(line).length };
  return { range: { start: end, end }, newText: `${yaml.lines.eol}${' '.repeat(col)}for: 5m` };
}
