import { templated } from '../../parsers/template';
import type { YamlFile } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { isScalar } from 'yaml';
import { pagesNobody } from './alertPurpose';
import { addEntryEdit, alertCount, ALERT_KINDS, alertRange, alertsOf, commonLabelValue, labelValue, yamlScalar } from './alertUtil';

// An alert nobody owns pages whoever is on call for "everything": it gets acknowledged, not
// fixed, and nobody tunes or retires it. An owner/team label routes it (Alertmanager matchers)
// to the people who can act, and says whom to ask when it is noisy. A repository none of whose
// alerts names an owner has made one decision: the convention pass reports it once; an alert
// missing the owner the others name is an exception (one finding on the alert). The owner may
// come with the alerting series rather than a static label: an expression that sets it
// (`label_replace(x, "team", "db", "", "")`), keeps it (`sum by (team) (…)`) or selects only
// series that carry one (`app_info{team!~"^$|noteam"}`) routes by it.
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'alert/owner-missing',
    description: 'An alerting rule has no owner or team label, so it cannot be routed to, or tuned by, the people who own it.',
    defaultSeverity: 'warning',
    profile: 'all',
    practice: 'alert-ownership',
    kinds: ALERT_KINDS,
    subject: 'alert-rule',
    productionOnly: true,
    fixable: true,
    equivalents: [{ tool: 'pint', id: 'rule/label' }],
    convention: {
      subjects: alertCount,
      noun: 'alerts',
      follows: () => 'carries an owner or team label',
      adopt: () =>
        'Add one (once per group in its `labels:` with Prometheus 3.0+), name the label your alerts do use in `alerts.ownerLabels` of .opsreview.yml, or set `alert/owner-missing: off` under `rules:` there if alerts are routed another way.',
    },
  },
  check(ctx) {
    const found = alertsOf(ctx.parsed, ctx.file);
    if (!found) return [];
    const { yaml, alerts } = found;
    const keys = ctx.config.alerts.ownerLabels;
    const named = keys.map((k) => `\`${k}\``).join(' or ');
    // In a Helm template, labels an include adds at render time may name the owner.
    const absent = (a: (typeof alerts)[number]) =>
      !keys.some((k) => labelValue(a, k) !== undefined) &&
      !templated(yaml.template, yaml.lines, a.labels) &&
      !(isScalar(a.expr) && keys.some((k) => ownerFromSeries(String((a.expr as { value?: unknown }).value ?? ''), k))) &&
      !pagesNobody(a, ctx.file.relPath, ctx.config.alerts.severityLabel);
    // Propose the owner the file's other alerts name; otherwise a placeholder to fill in.
    const proposal = (others: typeof alerts) => {
      const common = commonLabelValue(others, keys);
      return { key: common?.key ?? keys[0] ?? 'owner', value: common?.value ?? 'TODO' };
    };
    const out: RuleFinding[] = [];
    for (const a of alerts) {
      if (!absent(a)) continue;
      const { key, value } = proposal(alerts.filter((o) => o !== a));
      const edit = addEntryEdit(yaml, a, alerts, 'labels', key, yamlScalar(value));
      out.push({
        range: alertRange(yaml, a),
        message: `Alert '${a.name}' has no owner label (${named}): add one so it routes to, and is tuned by, the team that owns it.`,
        fixes: edit ? [{ title: `Add label \`${key}: ${value}\``, isPreferred: true, edits: [edit] }] : undefined,
        convention: ['owner'],
      });
    }
    return out;
  },
};

/**
 * The alerting series carry the owner label `key`: the expression sets it with `label_replace`,
 * keeps it through an aggregation (`by (…, team)`), or selects series on it with a matcher that
 * requires a value (`team="db"`, `team=~".+"`, `team!=""`, `team!~"^$|none"`).
 */
export function ownerFromSeries(expr: string, key: string): boolean {
  const k = key.replace(/[^\w]/g, '');
  if (!k) return false;
  if (labelReplaceTargets(expr).includes(k)) return true;
  if (new RegExp(`\\bby\\s*\\([^)]*\\b${k}\\b[^)]*\\)`).test(expr)) return true;
  for (const m of expr.matchAll(new RegExp(`[{,]\\s*${k}\\s*(=~|!~|!=|=)\\s*("(?:[^"\\\\]|\\\\.)*"|'(?:[^'\\\\]|\\\\.)*')`, 'g'))) {
    const op = m[1];
    const value = m[2].slice(1, -1);
    if (op === '=' && value !== '') return true;
    if (op === '!=' && value === '') return true;
    if (op === '=~' && value !== '' && !safeTest(value, '')) return true;
    if (op === '!~' && safeTest(value, '')) return true;
  }
  return false;
}

function safeTest(pattern: string, s: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(s);
  } catch {
    return false;
  }
}

/** The destination labels of the expression's `label_replace(v, "dst", …)` calls. */
function labelReplaceTargets(expr: string): string[] {
  const out: string[] = [];
  for (const m of expr.matchAll(/\blabel_replace\s*\(/g)) {
    // Skip the first argument (balanced brackets and strings) to the comma after it.
    let depth = 0;
    let i = m.index! + m[0].length;
    for (; i < expr.length; i++) {
      const c = expr[i];
      if (c === '"' || c === "'") {
        const end = expr.indexOf(c, i + 1);
        if (end < 0) return out;
        i = end;
      } else if ('({['.includes(c)) depth++;
      else if (')}]'.includes(c)) {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) break;
    }
    const dst = /^,\s*["']([A-Za-z_]\w*)["']/.exec(expr.slice(i));
    if (dst) out.push(dst[1]);
  }
  return out;
}
