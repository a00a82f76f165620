import { Document, Node } from 'yaml';
import { zodErrors } from '../config/load';
import type { OpsReviewConfig } from '../config/schema';
import type { IndexView } from '../model';
import { parseYaml, YamlFile } from '../parsers/yaml';
import { getRuleMeta } from '../rules';
import { currentRuleId, RETIRED_RULES } from '../rules/retired';
import { SUBJECT_IDS } from '../rules/subjects';
import { FILE_KINDS, ParseError } from '../types';
import type { LineIndex } from '../text';
import { BUILTIN_CHECKLISTS } from './builtin';
import { Checklist, checklistSchema } from './schema';

// Where checklists come from: the built-ins (unless `.opsreview.yml` switches them off) and the
// team's own `.opsreview/checklists/*.yml`, indexed as kind `checklist`. A team checklist with a
// built-in's id replaces it. An invalid team file is left out; its errors are diagnostics on it.

export const TEAM_CHECKLISTS_GLOB = '.opsreview/checklists/*.yml';

export interface ChecklistEntry {
  checklist: Checklist;
  /** `builtin`, or the workspace-relative path of the team file. */
  source: string;
}

let builtins: Checklist[] | undefined;

/** The built-ins, validated by the same schema as team files (a unit test keeps them valid). */
export function builtinChecklists(): Checklist[] {
  return (builtins ??= BUILTIN_CHECKLISTS.map((c) => checklistSchema.parse(c)));
}

/** Parses a checklist file: YAML errors and schema errors, positioned on the offending node. */
export function parseChecklistFile(text: string, label = 'checklist'): YamlFile & { checklist?: Checklist } {
  const file: YamlFile & { checklist?: Checklist } = parseYaml(text);
  if (file.errors.some((e) => e.severity === 'error')) return file;
  const doc = file.docs[0];
  if (!doc || file.docs.length > 1) {
    file.errors.push({ message: `A ${label} file holds exactly one YAML document.`, range: file.lines.lineRange(0), severity: 'error' });
    return file;
  }
  const r = checklistSchema.safeParse(doc.toJS() ?? {});
  if (r.success) {
    file.checklist = r.data;
    file.errors.push(...ruleIdErrors(r.data, doc, file.lines, label));
  } else file.errors.push(...zodErrors(r.error, doc.contents as Node | null, file.lines, label));
  return file;
}

/**
 * Evidence naming a rule this version does not know (a typo, a rule of a newer version) is a
 * warning on the id: the item is not evaluated, and blocks the gate, until it is fixed. A
 * retired id still works (it means its successor) and gets a note saying what to write instead.
 */
export function ruleIdErrors(checklist: Checklist, doc: Document, lines: LineIndex, label = 'checklist'): ParseError[] {
  const out: ParseError[] = [];
  checklist.sections.forEach((section, si) =>
    section.items.forEach((item, ii) =>
      (item.evidence?.rules ?? []).forEach((id, ri) => {
        const path = ['sections', si, 'items', ii, 'evidence', 'rules', ri];
        const node = doc.getIn(path, true) as Node | undefined;
        const range = node?.range ? lines.rangeOf(node.range[0], node.range[1]) : lines.lineRange(0);
        const where = `${label} ${path.join('.')}`;
        const retired = RETIRED_RULES[id];
        if (retired) {
          out.push({ message: `${where}: rule ${id} was retired in ${retired.since}; it now means ${retired.replacedBy} (${retired.note}). Write ${retired.replacedBy}.`, range, severity: 'info' });
        } else if (!getRuleMeta(currentRuleId(id))) {
          out.push({ message: `${where}: unknown rule '${id}' (see \`opsreview rules\`): item '${item.id}' is not evaluated and blocks the gate until the id is fixed.`, range, severity: 'warning' });
        }
      }),
    ),
  );
  // Query kinds: a file kind or a subject this version knows.
  checklist.sections.forEach((section, si) =>
    section.items.forEach((item, ii) =>
      (item.evidence?.queries ?? []).forEach((q, qi) => {
        for (const key of ['exists', 'when', 'every'] as const) {
          const value = (q as Record<string, string | string[] | undefined>)[key];
          if (value === undefined) continue;
          const names = Array.isArray(value) ? value : [value];
          names.forEach((name, ni) => {
            if (KNOWN_NAMES.has(name)) return;
            const path = ['sections', si, 'items', ii, 'evidence', 'queries', qi, key, ...(Array.isArray(value) ? [ni] : [])];
            const node = doc.getIn(path, true) as Node | undefined;
            const range = node?.range ? lines.rangeOf(node.range[0], node.range[1]) : lines.lineRange(0);
            out.push({ message: `${label} ${path.join('.')}: unknown file kind or subject '${name}': item '${item.id}' is not evaluated and blocks the gate until it is fixed.`, range, severity: 'warning' });
          });
        }
      }),
    ),
  );
  return out;
}

const KNOWN_NAMES = new Set<string>([...FILE_KINDS, ...SUBJECT_IDS]);

export function parseChecklistText(text: string, label?: string): { checklist?: Checklist; errors: ParseError[] } {
  const f = parseChecklistFile(text, label);
  return { checklist: f.checklist, errors: f.errors };
}

/** Every checklist offered in a workspace, built-ins first, sorted within each group by id. */
export function availableChecklists(source: { index: IndexView; config: OpsReviewConfig }): ChecklistEntry[] {
  const settings = source.config.checklists;
  const byId = new Map<string, ChecklistEntry>();
  if (settings.builtins) {
    for (const c of builtinChecklists()) if (!settings.disable.includes(c.id)) byId.set(c.id, { checklist: c, source: 'builtin' });
  }
  for (const f of source.index.byKind('checklist')) {
    const checklist = (f.parsed as YamlFile & { checklist?: Checklist }).checklist;
    if (!checklist || settings.disable.includes(checklist.id)) continue;
    byId.set(checklist.id, { checklist, source: f.relPath });
  }
  return [...byId.values()];
}

export function findChecklist(source: { index: IndexView; config: OpsReviewConfig }, id: string): ChecklistEntry | undefined {
  return availableChecklists(source).find((e) => e.checklist.id === id);
}
