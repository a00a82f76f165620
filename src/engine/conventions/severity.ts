import type { Detected, SeverityConvention } from './types';

// Which severity vocabulary the alert rules speak. A vocabulary is adopted only when (nearly)
// every alert's severity belongs to it; a mixed repository keeps the configured defaults.

interface Vocabulary {
  name: string;
  /** Levels highest first; `core` are always allowed, `optional` only when the repository uses them. */
  core: string[];
  optional?: string[];
  /** Numbered levels (`s1`, `sev2`, `P3`): the prefixes allowed and the usual last level. */
  numbered?: { prefixes: string[]; last: number };
}

// Order matters where vocabularies share words: the first that covers the values wins, and
// critical/warning/info (the default) comes first so a default repository detects the default.
const VOCABULARIES: Vocabulary[] = [
  { name: 'critical/warning/info', core: ['critical', 'warning', 'info'], optional: ['none'] },
  { name: 'page/ticket', core: ['page', 'ticket'], optional: ['notify', 'info', 'none'] },
  { name: 'S1–S4', core: [], numbered: { prefixes: ['s', 'sev', 'sev-', 'sev_'], last: 4 } },
  { name: 'P1–P5', core: [], numbered: { prefixes: ['p'], last: 5 } },
  { name: 'high/medium/low', core: ['high', 'medium', 'low'], optional: ['critical', 'info'] },
  { name: 'critical/major/minor', core: ['critical', 'major', 'minor'], optional: ['warning', 'info'] },
  { name: 'error/warning/info', core: ['error', 'warning', 'info'], optional: ['critical'] },
];

/** Share of the alerts' severities a vocabulary must cover to be adopted. */
export const SEVERITY_CONSISTENCY = 0.9;
/** Fewer alerts than this say too little about a convention. */
export const MIN_ALERTS = 3;

export interface SeveritySample {
  value: string;
  file: string;
}

export function detectSeverities(samples: SeveritySample[], routedToPager?: readonly string[]): Detected<SeverityConvention> | undefined {
  const values = samples.filter((s) => s.value.trim() && !/\{\{|\$labels|\$value/.test(s.value));
  if (values.length < MIN_ALERTS) return undefined;
  for (const v of VOCABULARIES) {
    const members = values.filter((s) => levelOf(v, s.value) !== undefined);
    if (members.length / values.length < SEVERITY_CONSISTENCY) continue;
    const allowed = allowedValues(v, members.map((m) => m.value));
    const routed = routedToPager?.filter((r) => allowed.some((a) => a.toLowerCase() === r.toLowerCase()));
    const paging = routed?.length ? routed : [allowed[0]];
    const files = [...new Set(members.map((m) => m.file))];
    const name = v.numbered ? `${allowed[0]}–${allowed[allowed.length - 1]}` : v.name;
    return {
      value: { vocabulary: name, allowed, paging, pagingSource: routed?.length ? 'routing' : 'highest level' },
      support: members.length,
      total: values.length,
      examples: files.slice(0, 3),
      note: `${members.length} of ${values.length} alert severities use ${name} (${countsOf(members.map((m) => m.value))})`,
    };
  }
  return undefined;
}

/** Rank of `value` in the vocabulary (0 = highest), or undefined when it is not a member. */
function levelOf(v: Vocabulary, value: string): number | undefined {
  const s = value.trim().toLowerCase();
  if (v.numbered) {
    for (const p of v.numbered.prefixes) {
      const m = new RegExp(`^${p}([0-9])$`).exec(s);
      if (m) return Number(m[1]);
    }
    return undefined;
  }
  const all = [...v.core, ...(v.optional ?? [])];
  const i = all.indexOf(s);
  return i >= 0 ? i : undefined;
}

/** The vocabulary's levels as the repository writes them (its case, its prefix), highest first. */
function allowedValues(v: Vocabulary, used: string[]): string[] {
  if (v.numbered) {
    const prefix = mostCommon(used.map((u) => u.trim().replace(/[0-9]$/, '')));
    const nums = used.map((u) => Number(u.trim().slice(-1)));
    const first = Math.min(...nums, 1);
    const last = Math.max(...nums, v.numbered.last);
    const out: string[] = [];
    for (let n = first; n <= last; n++) out.push(`${prefix}${n}`);
    return out;
  }
  const usedLower = new Set(used.map((u) => u.trim().toLowerCase()));
  const upper = used.filter((u) => u.trim() === u.trim().toUpperCase()).length > used.length / 2;
  const order = [...v.core, ...(v.optional ?? [])];
  const levels = order.filter((l) => v.core.includes(l) || usedLower.has(l));
  // Keep the vocabulary's rank order: optional `critical` above `high`, `none` last.
  const rank = (l: string): number => (l === 'critical' ? -1 : l === 'none' ? 99 : l === 'info' && !v.core.includes('info') ? 98 : order.indexOf(l));
  return levels.sort((a, b) => rank(a) - rank(b)).map((l) => (upper ? l.toUpperCase() : l));
}

function mostCommon(xs: string[]): string {
  const counts = new Map<string, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
}

function countsOf(xs: string[]): string {
  const counts = new Map<string, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}
