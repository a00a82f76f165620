import type { OpsReviewConfig } from '../config/schema';
import type { IndexedFile, IndexView } from '../model';
import { ALL_RULE_METAS } from '../rules';
import type { Position, Range } from '../types';

// Completion where OpsReview knows the answer: runbook frontmatter keys the configuration
// requires and the values already used across the workspace (owners, services, tags), allowed
// severities and runbook types; rule ids in suppression comments and in `.opsreview.yml`.

export interface NavCompletion {
  label: string;
  kind: 'key' | 'value' | 'rule';
  detail?: string;
  documentation?: string;
  /** Text inserted (defaults to the label). */
  insertText?: string;
  /** Range replaced: the partial word already typed. */
  range: Range;
  /** Sort key: required keys and frequent values first. */
  sortText?: string;
}

const KNOWN_KEYS: Record<string, string> = {
  title: 'Title of the runbook (defaults to the first heading)',
  service: 'The service the runbook covers (groups the Runbooks tree)',
  owner: 'Team or person who keeps the runbook current',
  team: 'Owning team (alternative to owner)',
  tags: 'Tags for finding the runbook: [db, team:payments]',
  type: 'Kind of runbook; change types (deploy, maintenance…) require a rollback section',
  severity: 'Severity of the alerts this runbook answers',
  last_reviewed: 'Date of the last review (YYYY-MM-DD)',
};

export function completionsAt(index: IndexView, config: OpsReviewConfig, file: IndexedFile, pos: Position, today = new Date()): NavCompletion[] {
  const line = file.parsed.lines.line(pos.line);
  const before = line.slice(0, pos.character);
  const directive = /opsreview-disable(?:-next-line|-line)?\s+(?:[\w/-]+\s*,?\s*)*?([\w/-]*)$/.exec(before);
  if (directive) return ruleIdCompletions(pos, directive[1].length);
  if (file.kind === 'opsreview-config') return configCompletions(file, pos, before);
  if ((file.kind === 'runbook' || file.kind === 'postmortem') && file.parsed.type === 'markdown') {
    const fm = file.parsed.frontmatter;
    if (fm && pos.line > 0 && pos.line < fm.closeLine) return frontmatterCompletions(index, config, file, pos, before, today);
  }
  return [];
}

function typedRange(pos: Position, typed: number): Range {
  return { start: { line: pos.line, character: pos.character - typed }, end: pos };
}

function ruleIdCompletions(pos: Position, typed: number): NavCompletion[] {
  return ALL_RULE_METAS.map((m) => ({ label: m.id, kind: 'rule' as const, detail: m.defaultSeverity, documentation: m.description, range: typedRange(pos, typed) }));
}

function configCompletions(file: IndexedFile, pos: Position, before: string): NavCompletion[] {
  // A key under `rules:` (indented, nothing but the id typed so far), or its value.
  const key = /^(\s+)["']?([\w/-]*)$/.exec(before);
  const value = /^\s+["']?[\w/-]+["']?\s*:\s*(\w*)$/.exec(before);
  if (!key && !value) return [];
  const indent = (key ?? /^(\s+)/.exec(before)!)[1].length;
  const lines = file.parsed.lines;
  for (let n = pos.line - 1; n >= 0; n--) {
    const t = lines.line(n);
    if (!t.trim() || /^\s*#/.test(t)) continue;
    const ind = t.length - t.trimStart().length;
    if (ind >= indent) continue;
    if (!/^rules\s*:/.test(t.trim())) return [];
    if (value) return ['off', 'error', 'warning', 'info'].map((v) => ({ label: v, kind: 'value' as const, range: typedRange(pos, value[1].length) }));
    return ruleIdCompletions(pos, key![2].length).map((c) => ({ ...c, insertText: `${c.label}: ` }));
  }
  return [];
}

interface KnownValues {
  owners: Map<string, number>;
  services: Map<string, number>;
  tags: Map<string, number>;
}

function knownValues(index: IndexView, config: OpsReviewConfig): KnownValues {
  const owners = new Map<string, number>();
  const services = new Map<string, number>();
  const tags = new Map<string, number>();
  const bump = (m: Map<string, number>, v: string | undefined): void => {
    if (v) m.set(v, (m.get(v) ?? 0) + 1);
  };
  for (const f of index.byKind('runbook', 'postmortem')) {
    bump(owners, f.runbook?.owner);
    bump(owners, f.runbook?.team);
    bump(services, f.runbook?.service);
    for (const t of f.runbook?.tags ?? []) bump(tags, t);
  }
  for (const f of index.byKind('alert-rules')) for (const a of f.alerts ?? []) for (const l of config.alerts.ownerLabels) bump(owners, a.labels[l]);
  return { owners, services, tags };
}

function frontmatterCompletions(index: IndexView, config: OpsReviewConfig, file: IndexedFile, pos: Position, before: string, today: Date): NavCompletion[] {
  const md = file.parsed.type === 'markdown' ? file.parsed : undefined;
  const fm = md!.frontmatter!;
  const keyTyped = /^([\w-]*)$/.exec(before);
  if (keyTyped) {
    const required = config.runbooks.requiredFrontmatter;
    // Read the keys from the text: while a key is being typed the YAML is usually invalid.
    const present = new Set<string>();
    for (let n = fm.contentStartLine; n < fm.closeLine; n++) {
      const m = n === pos.line ? undefined : /^([\w-]+)\s*:/.exec(file.parsed.lines.line(n));
      if (m) present.add(m[1]);
    }
    const keys = [...new Set([...required, ...Object.keys(KNOWN_KEYS)])].filter((k) => !present.has(k));
    return keys.map((k) => ({
      label: k,
      kind: 'key' as const,
      detail: required.includes(k) ? 'required by runbooks.requiredFrontmatter' : undefined,
      documentation: KNOWN_KEYS[k],
      insertText: `${k}: `,
      range: typedRange(pos, keyTyped[1].length),
      sortText: `${required.includes(k) ? 0 : 1}${k}`,
    }));
  }
  // `key: val|`, `tags: [a, b|`, or a `- item` of a block list under `tags:`.
  const inline = /^([\w-]+)\s*:\s*(.*)$/.exec(before);
  let key: string | undefined;
  let typed = '';
  if (inline) {
    key = inline[1];
    typed = /([^\s,[\]{}"']*)$/.exec(inline[2])![1];
  } else if (/^\s+-\s*([^\s,]*)$/.test(before)) {
    typed = /([^\s,]*)$/.exec(before)![1];
    for (let n = pos.line - 1; n > 0; n--) {
      const m = /^([\w-]+)\s*:/.exec(file.parsed.lines.line(n));
      if (m) {
        key = m[1];
        break;
      }
    }
  }
  if (!key) return [];
  const known = knownValues(index, config);
  const range = typedRange(pos, typed.length);
  const fromCounts = (m: Map<string, number>, detail: string): NavCompletion[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([v, n], i) => ({ label: v, kind: 'value' as const, detail: `${detail} (${n}×)`, range, sortText: String(i).padStart(5, '0') }));
  switch (key) {
    case 'owner':
    case 'team':
      return fromCounts(known.owners, 'owner used in the workspace');
    case 'service':
      return fromCounts(known.services, 'service used in the workspace');
    case 'tags':
      return fromCounts(known.tags, 'tag used in the workspace');
    case 'severity':
      return config.alerts.allowedSeverities.map((s) => ({ label: s, kind: 'value' as const, detail: 'alerts.allowedSeverities', range }));
    case 'type':
      return [...new Set([...config.runbooks.changeTypes, 'alert-response', 'diagnosis', 'postmortem'])].map((t) => ({
        label: t,
        kind: 'value' as const,
        detail: config.runbooks.changeTypes.includes(t) ? 'changes production: needs a rollback section' : undefined,
        range,
      }));
    case 'last_reviewed':
    case 'lastReviewed':
      return [{ label: today.toISOString().slice(0, 10), kind: 'value', detail: 'today', range }];
    default:
      return [];
  }
}
