import type { MarkdownFile } from '../../parsers/markdown';
import type { Fix, Range } from '../../types';
import type { Rule, RuleContext } from '../types';
import { frontmatterAnchor, headingWordsRe, mdOf, RUNBOOK_KINDS } from './runbookUtil';

// The responder an alert wakes up may not be able to fix what it found. An alert-response
// runbook says who to pull in next and when: the escalation policy, the owning team's on-call,
// the incident commander. A runbook is alert-response when its frontmatter `type` says so
// (escalation.runbookTypes) or when an alert rule of the workspace links it in `runbook_url`.
// An escalation section (escalation.headings) or a link to an escalation policy or paging tool
// satisfies the rule.

const ESCALATION_LINK = /escalat|pagerduty|opsgenie|on-?call|victorops|incident\.io|rootly|firehydrant|squadcast|ilert/i;

export const rule: Rule<MarkdownFile> = {
  meta: {
    id: 'runbook/escalation-missing',
    description: 'An alert-response runbook (by type, or linked from an alert\'s runbook_url) has no escalation section or link to an escalation policy.',
    defaultSeverity: 'warning',
    practice: 'incident-response',
    kinds: RUNBOOK_KINDS,
    fixable: true,
    crossFile: true,
    convention: {
      // The convention is an escalation section. A runbook that only links a paging tool in
      // passing (a PagerDuty service page, an on-call handbook) satisfies its own check but does
      // not show that the repository keeps escalation in its runbooks: it is not counted either way.
      subjects: (ctx) => {
        const md = mdOf(ctx.parsed);
        if (!md || !alertResponse(ctx, md)) return 0;
        return hasSection(ctx, md) || !hasLink(md) ? 1 : 0;
      },
      noun: 'alert-response runbooks',
      follows: () => 'says whom to escalate to (an escalation section or a link to the escalation policy)',
      adopt: () => 'Add an escalation section to the runbook template (on-call schedule, owning team, when to escalate), or set `runbook/escalation-missing: off` under `rules:` in .opsreview.yml if escalation is documented in one place the runbooks do not repeat.',
    },
  },
  check(ctx) {
    const md = mdOf(ctx.parsed);
    const role = md && alertResponse(ctx, md);
    if (!md || !role) return [];
    const { fm, type, byType, alerts } = role;
    if (hasSection(ctx, md) || hasLink(md)) return [];
    const why = byType ? `is a \`${type}\` runbook` : `is linked from alert${alerts.length > 1 ? 's' : ''} ${alerts.slice(0, 3).map((a) => `'${a}'`).join(', ')}${alerts.length > 3 ? ` and ${alerts.length - 3} more` : ''}`;
    const range: Range = byType ? fm!.valueRanges.get('type') ?? frontmatterAnchor(md) : md.headings.find((h) => h.level === 1)?.range ?? frontmatterAnchor(md);
    const word = ctx.config.escalation.headings[0] ?? 'Escalation';
    return [
      {
        range,
        message: `This runbook ${why} but says nowhere whom to escalate to: add an "## ${word}" section naming the on-call schedule or escalation policy (with a link), the owning team and when to escalate.`,
        fixes: [appendSection(md, word)],
        convention: ['escalation'],
      },
    ];
  },
};

function hasSection(ctx: RuleContext<MarkdownFile>, md: MarkdownFile): boolean {
  const headingRe = headingWordsRe(ctx.config.escalation.headings);
  return !!headingRe && md.headings.some((h) => headingRe.test(h.text));
}

function hasLink(md: MarkdownFile): boolean {
  return md.links.some((l) => ESCALATION_LINK.test(l.href) || ESCALATION_LINK.test(l.text));
}

/** Why this runbook answers alerts (its frontmatter `type`, or the alerts linking it); undefined when it does not. */
function alertResponse(ctx: RuleContext<MarkdownFile>, md: MarkdownFile) {
  const fm = md.frontmatter;
  const type = fm?.valid && typeof fm.data.type === 'string' ? fm.data.type.trim().toLowerCase() : undefined;
  const byType = !!type && ctx.config.escalation.runbookTypes.some((t) => t.toLowerCase() === type);
  const alerts = byType ? [] : linkingAlerts(ctx.index.referrers(ctx.file.path), ctx.file.path);
  return byType || alerts.length ? { fm, type, byType, alerts } : undefined;
}

/** Names of the alerts whose runbook_url resolves to this file. */
function linkingAlerts(referrers: { alerts?: { name: string; runbookPath?: string }[]; references: { kind: string; target: string }[] }[], self: string): string[] {
  const names: string[] = [];
  for (const f of referrers) {
    if (!f.references.some((r) => r.kind === 'runbook_url' && r.target === self)) continue;
    const named = (f.alerts ?? []).filter((a) => a.runbookPath === self).map((a) => a.name);
    names.push(...(named.length ? named : ['(a PrometheusRule alert)']));
  }
  return [...new Set(names)];
}

function appendSection(md: MarkdownFile, word: string): Fix {
  const eol = md.lines.eol;
  const text = md.lines.text;
  const trimmed = text.replace(/(\r?\n|\r|[ \t])*$/, '');
  const sub = md.headings.filter((h) => h.level > 1);
  const level = sub.length ? Math.min(...sub.map((h) => h.level)) : 2;
  const body = [
    `${'#'.repeat(level)} ${word}`,
    '',
    '<!-- Whom to page when the first responder cannot resolve this, and after how long: the on-call schedule or escalation policy (link it), the owning team, the incident commander rota. -->',
  ].join(eol);
  return {
    title: `Add an ${word} section`,
    isPreferred: true,
    edits: [{ range: { start: md.lines.positionAt(trimmed.length), end: md.lines.positionAt(text.length) }, newText: `${trimmed.length ? eol + eol : ''}${body}${eol}` }],
  };
}
