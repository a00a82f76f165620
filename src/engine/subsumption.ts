import { getRuleMeta } from './rules';
import type { Finding } from './types';

// One decision is one finding, across rules. Two rules can report one line for one cause: a
// plaintext password passed to an Ansible task is both "a secret in the repository" and "a secret
// the task may log". A rule declares in `meta.subsumes` the rules whose finding on the same line
// is its own cause seen again; the linter keeps the subsuming finding, which takes the other's
// fixes, and drops the other. Findings a suppression took out do not subsume anything: a line
// whose plaintext finding is suppressed still shows its `no_log` finding.

/** Drops findings that a finding of a subsuming rule on the same line of the same file already covers. */
export function applySubsumption(findings: Finding[]): Finding[] {
  if (findings.length < 2) return findings;
  const byLine = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.path}\u0000${f.range.start.line}`;
    let list = byLine.get(key);
    if (!list) byLine.set(key, (list = []));
    list.push(f);
  }
  const dropped = new Set<Finding>();
  const merged = new Map<Finding, Finding>();
  for (const list of byLine.values()) {
    if (list.length < 2) continue;
    for (const f of list) {
      const subsumes = getRuleMeta(f.ruleId)?.subsumes;
      if (!subsumes?.length || dropped.has(f)) continue;
      for (const g of list) {
        if (g === f || dropped.has(g) || !subsumes.includes(g.ruleId)) continue;
        dropped.add(g);
        if (g.fixes?.length) {
          const kept = merged.get(f) ?? f;
          merged.set(f, { ...kept, fixes: [...(kept.fixes ?? []), ...g.fixes.map((x) => ({ ...x, isPreferred: false }))] });
        }
      }
    }
  }
  if (!dropped.size) return findings;
  return findings.filter((f) => !dropped.has(f)).map((f) => merged.get(f) ?? f);
}
