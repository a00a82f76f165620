// Rule ids that were retired or merged into another rule. Users name rule ids in `.opsreview.yml`
// (`rules:`), in suppression comments and on the CLI (`--rule`): those keep working, aimed at the
// rule that now reports the same cause, and the config says what to write instead.
// No imports: config loading reads this without pulling in the rules.

export interface RetiredRule {
  /** The rule that reports this cause now. */
  replacedBy: string;
  /** The release that retired the id. */
  since: string;
  /** What changed, for the config warning and the CHANGELOG. */
  note: string;
}

export const RETIRED_RULES: Readonly<Record<string, RetiredRule>> = {
  'runbook/owner-missing': {
    replacedBy: 'runbook/frontmatter-missing',
    since: '0.2.0',
    note: 'one finding now lists every missing required frontmatter key (owner, service, tags, …)',
  },
};

/** The id a rule goes by now (the id itself unless it was retired). */
export function currentRuleId(id: string): string {
  return RETIRED_RULES[id]?.replacedBy ?? id;
}

/** Ids that used to mean `id` (for settings written under the old name). */
export function formerIds(id: string): string[] {
  // Asked for every rule of every file (rule settings): the table is inverted once.
  formerById ??= Object.entries(RETIRED_RULES).reduce((m, [old, r]) => m.set(r.replacedBy, [...(m.get(r.replacedBy) ?? []), old]), new Map<string, string[]>());
  return [...(formerById.get(id) ?? [])];
}
let formerById: Map<string, string[]> | undefined;
