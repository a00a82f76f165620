import type { OpsReviewConfig } from './config/schema';
import type { IndexedFile, IndexView } from './model';
import { globMatcher } from './classify';
import { ALL_RULES, getRuleMeta } from './rules';
import { invalidSuppression, ruleFailed, unusedSuppression } from './rules/opsreview';
import { currentRuleId, formerIds } from './rules/retired';
import type { Rule } from './rules/types';
import { findDirectives } from './suppression';
import type { Finding, RuleFinding, Severity } from './types';

export interface LintOptions {
  /** Only these rule ids (the CLI's `--rule`); suppression bookkeeping is limited to them too. */
  only?: readonly string[];
  now?: Date;
}

/** The config's setting for a rule, under its id or an id it replaced (`runbook/owner-missing`). */
function ruleSetting(ruleId: string, config: OpsReviewConfig): OpsReviewConfig['rules'][string] | undefined {
  return config.rules[ruleId] ?? formerIds(ruleId).map((id) => config.rules[id]).find((s) => s !== undefined);
}

/** The severity a rule runs at under this config, or `off`. */
export function effectiveSeverity(ruleId: string, defaultSeverity: Severity, config: OpsReviewConfig): Severity | 'off' {
  const setting = ruleSetting(ruleId, config);
  if (setting === undefined) return defaultSeverity;
  return typeof setting === 'string' ? setting : setting.severity;
}

/** Rules that run on a file of this kind under this config. */
export function rulesFor(file: IndexedFile, config: OpsReviewConfig, only?: readonly string[]): Rule<any>[] {
  const nonProduction = isNonProduction(file, config);
  return ALL_RULES.filter(
    (r) =>
      r.meta.kinds.includes(file.kind) &&
      !(r.meta.productionOnly && nonProduction) &&
      effectiveSeverity(r.meta.id, r.meta.defaultSeverity, config) !== 'off' &&
      (!only || only.includes(r.meta.id)),
  );
}

/**
 * A header comment that says the file is not for production: "for demo / testing purposes only",
 * "for testing only", "not for production use", "do not use in production". ("This example only
 * works with …" does not count.)
 */
const NON_PRODUCTION_HEADER =
  /\bfor\s+(?:demo|demonstration|example|testing|test)(?:\s*[/,]\s*\w+|\s+\w+){0,3}?\s+only\b|\b(?:demo|demonstration|example|testing|test)\s+purposes\s+only\b|\bnot\s+(?:\w+\s+){0,2}for\s+production\b|\bdo\s+not\s+use\s+(?:\w+\s+){0,2}in\s+production\b/i;

const nonProductionCache = new WeakMap<IndexedFile, { config: OpsReviewConfig; value: boolean }>();

/**
 * Is this file an example, test, demo or fixture (config `nonProduction` globs, or a header
 * comment saying so)? Production-only rules do not run on it: the linter decides, not each rule.
 */
export function isNonProduction(file: IndexedFile, config: OpsReviewConfig): boolean {
  const cached = nonProductionCache.get(file);
  if (cached && cached.config === config) return cached.value;
  const value = (config.nonProduction.length > 0 && globMatcher(config.nonProduction)(file.relPath)) || NON_PRODUCTION_HEADER.test(headerComment(file));
  nonProductionCache.set(file, { config, value });
  return value;
}

/** The comment lines a file opens with (`#`, `//`, `/* … *\/`), blank lines between them included. */
function headerComment(file: IndexedFile): string {
  const lines = file.parsed.lines;
  const out: string[] = [];
  for (let n = 0; n < Math.min(lines.lineCount, 60); n++) {
    const t = lines.line(n).trim();
    if (t === '' || t === '---') continue;
    if (!/^(#|\/\/|\/\*|\*)/.test(t)) break;
    out.push(t);
  }
  return out.join('\n');
}

/**
 * Runs every applicable rule on one indexed file and applies severities and suppressions.
 * A rule that throws is reported as `opsreview/rule-failed` on that file; the others still run.
 */
export function lintFile(file: IndexedFile, index: IndexView, config: OpsReviewConfig, opts: LintOptions = {}): Finding[] {
  const now = opts.now ?? new Date();
  const raw: Finding[] = [];
  for (const rule of rulesFor(file, config, opts.only)) {
    const severity = effectiveSeverity(rule.meta.id, rule.meta.defaultSeverity, config) as Severity;
    let found: RuleFinding[];
    try {
      found = rule.check({ file, parsed: file.parsed, config, index, now });
    } catch (e) {
      const err = e as Error;
      raw.push({
        ruleId: ruleFailed.id,
        severity: ruleFailed.defaultSeverity,
        path: file.path,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: `Rule ${rule.meta.id} failed on this file: ${err.message}. Please report it; the other rules still ran.`,
      });
      continue;
    }
    const overridden = ruleSetting(rule.meta.id, config) !== undefined;
    for (const f of found) raw.push({ ...f, ruleId: rule.meta.id, severity: f.severity && !overridden ? f.severity : severity, path: file.path });
  }
  return applySuppressions(file, raw, config, opts.only).sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId),
  );
}

function applySuppressions(file: IndexedFile, findings: Finding[], config: OpsReviewConfig, only?: readonly string[]): Finding[] {
  // A retired id in a comment (`runbook/owner-missing`) suppresses the rule that replaced it.
  const directives = findDirectives(file.parsed.lines).map((d) => ({ ...d, ruleIds: d.ruleIds.map(currentRuleId) }));
  if (!directives.length) return findings;
  const kept: Finding[] = [];
  const used = new Set<string>(); // `${directiveIndex}:${ruleId}`
  for (const f of findings) {
    let suppressed = false;
    directives.forEach((d, i) => {
      if (!d.ruleIds.includes(f.ruleId)) return;
      if (d.kind === 'file' || d.targetLine === f.range.start.line) {
        suppressed = true;
        used.add(`${i}:${f.ruleId}`);
      }
    });
    if (!suppressed) kept.push(f);
  }
  const report = (meta: typeof unusedSuppression, range: Finding['range'], message: string): void => {
    const severity = effectiveSeverity(meta.id, meta.defaultSeverity, config);
    if (severity === 'off' || (only && !only.includes(meta.id))) return;
    kept.push({ ruleId: meta.id, severity, path: file.path, range, message });
  };
  directives.forEach((d, i) => {
    if (!d.ruleIds.length) {
      report(invalidSuppression, d.range, 'opsreview-disable needs the id of the rule it suppresses, e.g. `opsreview-disable-next-line runbook/placeholder`.');
      return;
    }
    d.ruleIds.forEach((id, k) => {
      const meta = getRuleMeta(id);
      if (!meta) {
        report(invalidSuppression, d.idRanges[k], `Unknown rule '${id}' in opsreview-disable comment.`);
        return;
      }
      // A suppression of a rule that is switched off or filtered out cannot be judged unused.
      const active =
        effectiveSeverity(id, meta.defaultSeverity, config) !== 'off' && (!only || only.includes(id)) && !(meta.productionOnly && isNonProduction(file, config));
      if (active && meta.kinds.includes(file.kind) && !used.has(`${i}:${id}`)) {
        report(unusedSuppression, d.idRanges[k], `Unused suppression: ${id} reports nothing ${d.kind === 'file' ? 'in this file' : 'on the line it covers'}. Remove it.`);
      }
    });
  });
  return kept;
}
