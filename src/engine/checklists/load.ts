import { Node } from 'yaml';
import { zodErrors } from '../config/load';
import type { OpsReviewConfig } from '../config/schema';
import type { IndexView } from '../model';
import { parseYaml, YamlFile } from '../parsers/yaml';
import type { ParseError } from '../types';
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
  if (r.success) file.checklist = r.data;
  else file.errors.push(...zodErrors(r.error, doc.contents as Node | null, file.lines, label));
  return file;
}

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
