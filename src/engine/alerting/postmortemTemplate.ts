import type { OpsReviewConfig } from '../config/schema';

// The postmortem a team starts from (the editor's "New Postmortem…" command, `opsreview`
// tests): blameless framing, and exactly the sections the postmortem rules expect, so a fresh
// postmortem raises no finding. Guidance sits in HTML comments, which no rule reads as content.

export interface PostmortemFields {
  title: string;
  /** YYYY-MM-DD of the incident. */
  date: string;
  service: string;
  owner: string;
  incident?: string;
}

/** Guidance written under each section heading (by the first word of the configured alternatives). */
const GUIDANCE: Record<string, string> = {
  summary: 'What happened, in two or three sentences a reader outside the team understands.',
  impact: 'Who was affected and how much: users, requests, revenue, error budget spent, duration.',
  timeline: 'Times in UTC, from the first signal to the all-clear: detection, escalation, mitigation, resolution.',
  'root cause': 'The conditions in the system and the process that made the incident possible. Describe what the system allowed, not who did what.',
  'action items': 'One row per action: an owner (team or person) and a ticket or due date each.',
};

/** The heading a required-section entry (`A|B`) is written as: its first alternative. */
export function sectionTitle(entry: string): string {
  return entry.split('|')[0].trim();
}

function guidanceFor(title: string): string {
  return GUIDANCE[title.toLowerCase()] ?? `Write the ${title.toLowerCase()} here.`;
}

/** The body of a section: its guidance comment, and the action-items table where it belongs. */
export function sectionBody(title: string, config: OpsReviewConfig, eol = '\n'): string {
  const lines = [`<!-- ${guidanceFor(title)} -->`];
  if (config.postmortems.actionItemHeadings.some((h) => h.toLowerCase() === title.toLowerCase())) {
    lines.push('', '| Action | Owner | Ticket | Due |', '| --- | --- | --- | --- |');
  }
  return lines.join(eol);
}

export function postmortemTemplate(f: PostmortemFields, config: OpsReviewConfig): string {
  const q = (s: string): string => JSON.stringify(s);
  const lines = [
    '---',
    `title: ${q(`Postmortem: ${f.title}`)}`,
    'type: postmortem',
    `date: ${f.date}`,
    `service: ${q(f.service)}`,
    `owner: ${q(f.owner)}`,
    `tags: [postmortem, ${q(f.service)}]`,
    ...(f.incident ? [`incident: ${q(f.incident)}`] : []),
    'status: draft',
    '---',
    `# Postmortem: ${f.title}`,
    '',
    'Blameless: this review is about the system and the process, not about people.',
  ];
  for (const entry of config.postmortems.requiredSections) {
    const title = sectionTitle(entry);
    lines.push('', `## ${title}`, '', sectionBody(title, config));
  }
  return lines.join('\n') + '\n';
}

/** A file name for the postmortem: `YYYY-MM-DD-<title-in-kebab-case>.md`. */
export function postmortemFileName(f: Pick<PostmortemFields, 'date' | 'title'>): string {
  const slug = f.title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${f.date}-${slug || 'incident'}.md`;
}
