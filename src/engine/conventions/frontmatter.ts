import type { Detected } from './types';

// Which frontmatter keys to require of runbooks: of the keys the configuration would require,
// only those most of the repository's runbooks already carry. A runbook site whose pages carry
// `title` and `weight` (Hugo) should not get an `owner` finding on every page on first contact.

/** Fewer runbooks than this say too little about a convention: the defaults stay. */
export const MIN_RUNBOOKS = 5;

export interface FrontmatterSample {
  keys: ReadonlySet<string>;
  file: string;
}

/** Keys another key stands in for (`team` names an owner, as owner-missing accepts). */
const ALIASES: Record<string, string[]> = { owner: ['team'], last_reviewed: ['lastReviewed'] };

export function detectRequiredFrontmatter(samples: FrontmatterSample[], wanted: readonly string[]): Detected<string[]> | undefined {
  if (samples.length < MIN_RUNBOOKS) return undefined;
  const carriers = (key: string): FrontmatterSample[] => samples.filter((s) => s.keys.has(key) || (ALIASES[key] ?? []).some((a) => s.keys.has(a)));
  const kept = wanted.filter((k) => carriers(k).length * 2 > samples.length);
  const perKey = wanted.map((k) => `${carriers(k).length} carry ${k}`).join(', ');
  const all = new Map<string, number>();
  for (const s of samples) for (const k of s.keys) all.set(k, (all.get(k) ?? 0) + 1);
  const common = [...all]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 5)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const support = kept.length ? Math.min(...kept.map((k) => carriers(k).length)) : samples.length - Math.max(0, ...wanted.map((k) => carriers(k).length));
  return {
    value: kept,
    support,
    total: samples.length,
    // Runbooks that show the convention: carrying every kept key, or (none kept) none of the wanted ones.
    examples: samples
      .filter((s) => (kept.length ? kept : wanted).every((k) => (s.keys.has(k) || (ALIASES[k] ?? []).some((a) => s.keys.has(a))) === kept.length > 0))
      .slice(0, 3)
      .map((s) => s.file),
    note: `of ${samples.length} runbooks, ${perKey}${common ? `; the keys they carry most: ${common}` : '; none has frontmatter'}`,
  };
}
