import { linesOutsideFences } from '../text';
// What makes a markdown file a runbook when no glob or frontmatter says so: an alert links to it,
// it is named after an alert, or its sections follow the shape runbooks share (Meaning, Impact,
// Diagnosis, Mitigation…). Read from the raw text with a few regular expressions, so the
// classifier can ask before anything is parsed.

/** What the index knows about alerts when it classifies markdown (built by the detector). */
export interface MarkdownHints {
  /** Workspace-relative path of a markdown file an alert links to -> "alert X in alerts/a.yml". */
  linked: Map<string, string>;
  /** `alertNameKey(name)` -> "alert X in alerts/a.yml". */
  alertNames: Map<string, string>;
  /** Recognise runbook-shaped documents (two or more runbook section titles). */
  shape: boolean;
  /**
   * Section titles the repository's own runbooks share (learned from the pages its alerts link
   * to, see learnSectionVocabulary), counted as runbook sections beside the built-in list.
   */
  sections?: readonly string[];
  /**
   * Why the repository ships software to users (`CHANGELOG.md`, `go.mod`, `galaxy.yml` at its
   * root), when it does: its pages that only look like runbooks are then that software's user
   * documentation (see releaseDocs.ts).
   */
  product?: string;
}

/** Section titles that runbooks share, as word stems (`symptoms` -> `symptom`). */
export const RUNBOOK_SECTION_TITLES = [
  'Meaning', 'Impact', 'Symptoms', 'Diagnosis', 'Triage', 'Mitigation', 'Resolution', 'Steps', 'Rollback', 'Escalation',
  'Troubleshooting', 'Investigation', 'Remediation', 'Verification', 'Revert', 'Undo',
];
const STEMS = new Map(RUNBOOK_SECTION_TITLES.map((t) => [stem(t.toLowerCase()), t]));

function stem(word: string): string {
  return word.length > 4 && word.endsWith('s') ? word.slice(0, -1) : word;
}

/** Alert names and file names compared without case or separators: `KubePodCrashLooping` = `kube-pod-crash-looping`. */
export function alertNameKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** ATX and setext heading texts outside fenced code blocks. */
export function headingTexts(text: string): string[] {
  const out: string[] = [];
  const lines = text.split(/\r?\n/);
  for (const i of linesOutsideFences(lines)) {
    const line = lines[i];
    const atx = /^ {0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$/.exec(line);
    if (atx) out.push(atx[1]);
    else if (i > 0 && /^ {0,3}(=+|-+)[ \t]*$/.test(line) && lines[i - 1].trim() && !/^ {0,3}([-*+]|\d+[.)])\s/.test(lines[i - 1]) && !/^---\s*$/.test(line)) out.push(lines[i - 1].trim());
  }
  return out;
}

/**
 * The runbook section titles among the document's headings (each counted once), in the order
 * of the canonical list. A heading counts when one of its first four words is a title (`Diagnosis`,
 * `Possible mitigations`, `1. Impact:`); longer headings are prose, not section names.
 */
export function runbookSections(text: string, learned?: readonly string[]): string[] {
  const found = new Set<string>();
  const extra = learned?.length ? new Set(learned) : undefined;
  const learnedFound: string[] = [];
  for (const h of headingTexts(text)) {
    const words = headingWords(h);
    if (!words.length || words.length > 4) continue;
    for (const w of words) {
      const t = STEMS.get(stem(w));
      if (t) found.add(t);
    }
    const title = words.join(' ');
    if (extra?.has(title) && !learnedFound.includes(title) && !found.has(STEMS.get(stem(title)) ?? '')) learnedFound.push(title);
  }
  return [...RUNBOOK_SECTION_TITLES.filter((t) => found.has(t)), ...learnedFound];
}

/** A heading's words, lower-case, numbering and punctuation dropped (`2. Check the logs:` -> `check the logs`). */
function headingWords(h: string): string[] {
  return h
    .toLowerCase()
    .replace(/[^a-z ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

/**
 * The section titles (headings of one to four words) that the repository's alert-linked runbooks
 * share: a title on at least three of the pages and on at least half of them. Built-in titles
 * are left out (they count already); so are titles every document has (`overview`, `summary`…
 * stay, as a repository's runbooks may well share them: the two-section threshold still holds).
 */
export function learnSectionVocabulary(texts: readonly string[]): string[] {
  if (texts.length < 3) return [];
  const counts = new Map<string, number>();
  for (const text of texts) {
    const seen = new Set<string>();
    // A page's title (its level-1 heading) names the page, not a section.
    const titles = new Set([...text.matchAll(/^ {0,3}#[ \t]+(.*?)[ \t]*#*[ \t]*$/gm)].map((m) => m[1]));
    for (const h of headingTexts(text)) {
      if (titles.has(h)) continue;
      const words = headingWords(h);
      if (!words.length || words.length > 4) continue;
      const title = words.join(' ');
      if (words.some((w) => STEMS.has(stem(w)))) continue;
      seen.add(title);
    }
    for (const t of seen) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const need = Math.max(3, Math.ceil(texts.length / 2));
  return [...counts].filter(([, n]) => n >= need).map(([t]) => t).sort();
}

/**
 * Incident-response phases (NIST SP 800-61, SANS PICERL), as heading words: a security team's
 * playbook is organised by them (Preparation, Identification, Containment, Eradication,
 * Recovery, Lessons learned) instead of by the Diagnosis / Mitigation of a service runbook.
 */
const IR_PHASES: readonly [phase: string, word: RegExp][] = [
  ['Preparation', /^prepar(e|es|ation|ing)$/],
  ['Detection', /^(detect|detection|identify|identification)$/],
  ['Analysis', /^(analy[sz]e|analysis|investigate|investigating)$/],
  ['Containment', /^(contain|containment|containing)$/],
  ['Eradication', /^(eradicate|eradication|eradicating)$/],
  ['Recovery', /^(recover|recovery|recovering)$/],
];
/** Phases that are a response to follow; Detection, Recovery and Lessons learned alone are also what a postmortem's headings say. */
const IR_RESPONSE_PHASES = new Set(['Preparation', 'Analysis', 'Containment', 'Eradication']);

/**
 * The incident-response phases among the document's headings (headings of one to four words,
 * `## Containment`, `### 3. Eradicate`, `Lessons learned`), in the order of the response. Two
 * or more, one of them a response phase (Preparation, Analysis, Containment, Eradication), make
 * an incident-response playbook; an incident review names Detection, Recovery and Lessons
 * learned too, so those alone do not.
 */
export function incidentResponsePhases(text: string): string[] {
  const found = new Set<string>();
  for (const h of headingTexts(text)) {
    const words = headingWords(h);
    if (!words.length || words.length > 4) continue;
    for (const [phase, re] of IR_PHASES) if (words.some((w) => re.test(w))) found.add(phase);
    const joined = words.join(' ');
    if (/\b(lessons? learn(ed|t)|post incident)\b/.test(joined)) found.add('Lessons learned');
  }
  const out = [...IR_PHASES.map(([p]) => p), 'Lessons learned'].filter((p) => found.has(p));
  return out.length >= 2 && out.some((p) => IR_RESPONSE_PHASES.has(p)) ? out : [];
}

const POSTMORTEM_TITLES = ['Timeline', 'Root cause', 'Contributing factors', 'Lessons learned', 'Action items', 'What went well', 'What went wrong'];

/**
 * The postmortem section titles among the headings: an incident review also has Impact and
 * Resolution, so it would read as a runbook without this check.
 */
export function postmortemSections(text: string): string[] {
  const found = new Set<string>();
  for (const h of headingTexts(text)) {
    const norm = h.toLowerCase().replace(/[^a-z ]+/g, ' ').replace(/\s+/g, ' ').trim();
    if (norm.split(' ').length > 6) continue;
    for (const t of POSTMORTEM_TITLES) if (norm.includes(t.toLowerCase()) || norm.includes(t.toLowerCase().replace(/s$/, ''))) found.add(t);
  }
  return POSTMORTEM_TITLES.filter((t) => found.has(t));
}

/**
 * Whether the document has at least one section (a heading) or step (a list item or a code
 * block) after its frontmatter. A document that is only frontmatter, or only a paragraph, is
 * a stub or a note (issue 7: Hugo `_index.md` section pages). Unclosed frontmatter counts as
 * structure, so frontmatter-invalid still reports it.
 */
export function hasSectionOrStep(text: string): boolean {
  let body = text;
  if (/^---[ \t]*\r?\n/.test(text)) {
    const close = /\r?\n(---|\.\.\.)[ \t]*(\r?\n|$)/.exec(text.slice(3));
    if (!close) return true;
    body = text.slice(3 + close.index + close[0].length);
  }
  body = body.replace(/<!--[\s\S]*?-->/g, '');
  return /^ {0,3}(#{1,6}[ \t]|([-*+]|\d+[.)])[ \t]+\S|`{3,}|~{3,})/m.test(body) || /^.+\r?\n {0,3}(=+|-+)[ \t]*$/m.test(body);
}
