import type { OpsReviewConfig } from '../../config/schema';
import type { Heading, MarkdownFile, Section } from '../../parsers/markdown';
import { headingWordsRe } from '../runbook/runbookUtil';

export { mdOf } from '../runbook/runbookUtil';

// Shared by the postmortem rule pack: which headings a required section accepts, and the
// action-items section.

/** The headings (any level but the title) that satisfy a required-section entry `A|B`. */
export function headingsFor(md: MarkdownFile, entry: string): Heading[] {
  const re = headingWordsRe(entry.split('|'));
  return re ? md.headings.filter((h) => h.level > 1 && re.test(h.text)) : [];
}

/** The action-items sections of a postmortem. */
export function actionItemSections(md: MarkdownFile, config: OpsReviewConfig): Section[] {
  const re = headingWordsRe(config.postmortems.actionItemHeadings);
  return re ? md.sections.filter((s) => s.heading.level > 1 && re.test(s.heading.text)) : [];
}
