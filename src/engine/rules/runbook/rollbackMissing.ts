import type { Heading, MarkdownFile } from '../../parsers/markdown';
import { RunbookStep, runbookSteps } from '../../runbook/steps';
import type { Fix, Range, RuleFinding } from '../../types';
import type { Rule, RuleContext } from '../types';
import { ChangingStep, mdOf, rollbackHeadings, RUNBOOK_KINDS } from './runbookUtil';

// Every change to production carries a rollback plan, prepared before the change and tested: in
// the middle of a failed deploy nobody should be working out how to undo it. A runbook changes
// production when its frontmatter `type` is one of `runbooks.changeTypes` or when its steps (code
// blocks, list items) run commands the command-effect classifier (runbook/commandEffect.ts) says
// change state; it then needs a section whose heading names a rollback (`runbooks.rollbackHeadings`).
//
// What there is to roll back comes from the classifier too, never from re-reading commands here:
// restarts, pod and lease deletions and failed-pod cleanup (`restartLike`) have nothing to undo,
// and a rollback (`rollback`: `kubectl rollout undo`, `helm rollback`) is the undo itself;
// writes to local files (`local`) and backups (`backup`) change no production system; a change that
// cannot be undone (`reversible: false`: dropped data, a grown volume) asks for a backup or a
// verification step instead of a rollback, and is satisfied by either (or by a rollback section).
//
// The finding sits on the evidence: the `type` value when the type says so, otherwise the first
// state-changing command. That is where a reviewer sees why the rule asks for a rollback.
export const rule: Rule<MarkdownFile> = {
  meta: {
    id: 'runbook/rollback-missing',
    description: 'A runbook that changes production has no rollback section.',
    defaultSeverity: 'warning',
    productionOnly: true,
    practice: 'rollback-plan',
    kinds: RUNBOOK_KINDS,
    fixable: true,
  },
  check(ctx) {
    const md = mdOf(ctx.parsed);
    if (!md) return [];
    const fm = md.frontmatter;
    const type = fm?.valid && typeof fm.data.type === 'string' ? fm.data.type.trim() : undefined;
    const changeType = type && ctx.config.runbooks.changeTypes.some((t) => t.toLowerCase() === type.toLowerCase()) ? type : undefined;
    // A runbook that declares itself a change (`type: deploy`) owes a rollback plan under every
    // profile. One the classifier reads as changing is reported under `profile: all` only: on
    // public repositories nobody tuned on, most such findings were investigation, containment
    // or teaching pages (docs/precision.md, profiles).
    const found = findMissingRollback(ctx, md, changeType);
    return changeType ? found : found.map((f) => ({ ...f, profile: 'all' as const }));
  },
};

function findMissingRollback(ctx: RuleContext<MarkdownFile>, md: MarkdownFile, changeType: string | undefined): RuleFinding[] {
    const fm = md.frontmatter;
    const all = runbookSteps(md);
    const changing = all.filter((s) => s.effect.effect === 'changes');
    const counted = changing.filter((s) => !s.effect.restartLike && !s.effect.housekeeping && !s.effect.local && !s.effect.backup && !s.effect.rollback && !redeployed(md, s, changing) && !undoneLater(s, changing) && !tunesTheAlert(md, s) && !containment(md, s));
    const undoable = counted.filter((s) => s.effect.reversible !== false);
    const irreversible = counted.filter((s) => s.effect.reversible === false);
    if (!changeType && !counted.length) return [];
    // A change runbook whose only changes are restarts has nothing to roll back.
    if (changeType && !counted.length && changing.some((s) => s.effect.restartLike)) return [];
    if (rollbackHeadings(md, ctx.config).length || liftsContainment(md)) return [];
    // The way back given in prose ("a restart reverts the change", "to roll back, …"), or a backup
    // of what the steps change taken before them (`terraform state pull > backup.tfstate` before
    // `terraform state push`): the runbook has answered the question, in its own words.
    if (WAY_BACK.test(prose(md))) return [];
    const firstChange = counted.length ? counted[0].range.start.line : Infinity;
    const backedUp = new Set(all.filter((s) => s.effect.backup && s.range.start.line < firstChange).map((s) => family(s.label)));
    if (counted.length && counted.every((s) => backedUp.has(family(s.label)))) return [];
    const words = ctx.config.runbooks.rollbackHeadings;
    // A recovery runbook (restore from backup, rebuild a lost environment, disaster recovery): its
    // change IS the way back, and the state before it is the outage. What it owes the reader is a
    // check that the recovery worked, as for a change that cannot be undone.
    const recovery = counted.length > 0 && isRecoveryRunbook(ctx.file.relPath, md);
    if (recovery || (!undoable.length && irreversible.length)) {
      // Nothing to roll back to: what helps is a backup taken before and a check after. A
      // recovery restores from backups, so only a check that it worked answers for one.
      if (recovery ? md.headings.some((h) => VERIFY.test(h.text)) : all.some((s) => s.effect.backup) || md.headings.some((h) => BACKUP_OR_VERIFY.test(h.text))) return [];
      const step = irreversible[0] ?? counted[0];
      const range = changeType ? fm!.valueRanges.get('type')! : step.range;
      const at = changeType ? ` (line ${step.range.start.line + 1})` : '';
      if (!irreversible.length) {
        return [
          {
            range,
            message: `This recovery runbook runs \`${step.text}\`${at}; the recovery is the way back, so no rollback is asked, but it has no verification step: add a "## Verification" section that says how to check the recovered system works.`,
            fixes: [verificationTemplateFix(md)],
          },
        ];
      }
      return [
        {
          range,
          message: `This runbook runs \`${step.text}\`${at}, which cannot be undone (${reasonOf(step)}), but has no backup or verification step: take a backup or snapshot before it, and add a "## Verification" section that says how to check the result.`,
          fixes: [verificationTemplateFix(md)],
        },
      ];
    }
    const steps = undoable.length ? undoable : counted;
    let range: Range;
    let why: string;
    if (changeType) {
      range = fm!.valueRanges.get('type')!;
      why = `is a \`${changeType}\` runbook${steps.length ? ` and runs \`${steps[0].text}\` (line ${steps[0].range.start.line + 1})` : ''}`;
    } else {
      range = steps[0].range;
      why = `runs \`${steps[0].text}\`${steps.length > 1 ? ` and ${steps.length - 1} more state-changing step${steps.length > 2 ? 's' : ''}` : ''}`;
    }
    return [
      {
        range,
        message: `This runbook ${why} but has no rollback section: add a "## ${words[0] ?? 'Rollback'}" section that says when and how to undo the change, and how to verify it.`,
        fixes: [rollbackTemplateFix(md, words[0] ?? 'Rollback', steps[0])],
      },
    ];
}

/**
 * `kubectl delete -f manifests/` followed by `kubectl apply -f manifests/`: a clean redeploy of
 * the same files, which is itself the fix; the delete has nothing to roll back.
 */
function redeployed(md: MarkdownFile, step: RunbookStep, changing: readonly RunbookStep[]): boolean {
  const fileOf = (s: RunbookStep): string | undefined => /\s(?:-f|--filename)[=\s]+(\S+)/.exec(md.lines.line(s.range.start.line).slice(s.range.start.character))?.[1];
  const isDelete = (s: RunbookStep): boolean => s.label === 'kubectl' && /\bdelete\b/.test(s.text);
  const isApply = (s: RunbookStep): boolean => s.label === 'kubectl' && /\b(?:apply|create|replace)\b/.test(s.text);
  const file = isDelete(step) || isApply(step) ? fileOf(step) : undefined;
  if (!file) return false;
  const line = step.range.start.line;
  return isDelete(step)
    ? changing.some((s) => isApply(s) && s.range.start.line > line && fileOf(s) === file)
    : changing.some((s) => isDelete(s) && s.range.start.line < line && fileOf(s) === file);
}

/** A step and the later step of the same runbook that undoes it: a temporary `mount` the runbook `umount`s at the end. */
const UNDO_PAIRS: [string, string][] = [['mount', 'umount']];

/** The runbook undoes this change itself (`mount --rbind … /tmp`, then `umount` further down): the pair leaves nothing to roll back. */
function undoneLater(step: RunbookStep, changing: readonly RunbookStep[]): boolean {
  const line = step.range.start.line;
  return UNDO_PAIRS.some(([doIt, undo]) =>
    step.label === doIt ? changing.some((s) => s.label === undo && s.range.start.line > line) : step.label === undo && changing.some((s) => s.label === doIt && s.range.start.line < line),
  );
}

/**
 * A heading about the alert's own definition: "Default definition", "Tuning this alert",
 * "Disable this alert entirely", "Silence the alert". Its steps change the monitoring, not the
 * system the alert watches: the reader restores the alert the same way, nothing to plan.
 */
const ALERT_CONFIG_SECTION = /^(?:(?:default|alert)\s+definition|(?:(?:disabl|silenc|tun|mut)(?:e|ing)|adjust(?:ing)?)\s+(?:(?:this|the)\s+)?alert(?:'s|s)?\b.*|(?:disabl|silenc|tun|mut)(?:e|ing)\s+(?:this|the)\s+alert\b.*)$/i;

/** The step sits in a section about the alert's own definition (its thresholds, disabling it). */
function tunesTheAlert(md: MarkdownFile, step: RunbookStep): boolean {
  const line = step.range.start.line;
  let own: Heading | undefined;
  for (const h of md.headings) if (h.line < line) own = h;
  return !!own && ALERT_CONFIG_SECTION.test(own.text.trim());
}

/**
 * Incident-response containment: a section that contains, isolates or quarantines (revokes the
 * compromised credentials, sessions or keys, cuts a compromised instance off the network). Its
 * steps are not meant to be undone while the threat lasts: lifting them is the recovery phase's
 * decision (liftsContainment), not a rollback to plan for each step.
 */
const CONTAINMENT_SECTION = /(?<![\p{L}\p{N}])(?:contain(?:s|ing|ment)?|isolat(?:e|es|ing|ion)|quarantin(?:e|es|ing)|revok(?:e|es|ing)|revocation)(?![\p{L}\p{N}])/iu;

/**
 * What containment does not undo: revoking credentials and sessions (deactivating or deleting an
 * access key, revoking sessions or tokens, signing users out, disabling a compromised user). An
 * isolation (a security-group swap) is left to the rule: the originals must be recorded to restore.
 */
const REVOKES_ACCESS = /\b(?:update-access-key\b[^\n]*\binactive\b|delete-access-key|delete-login-profile|revoke[\w-]*|[\w-]*sign-?out|disable-user|deactivate[\w-]*|AWSRevokeOlderSessions)\b/i;

/** The step revokes access under a containment heading (its own section or a parent one). */
function containment(md: MarkdownFile, step: RunbookStep): boolean {
  if (!REVOKES_ACCESS.test(md.lines.line(step.range.start.line)) && !REVOKES_ACCESS.test(step.text)) return false;
  const line = step.range.start.line;
  const above = md.headings.filter((h) => h.line < line);
  // The chain of headings that holds the step: the nearest of each level above it.
  const chain: Heading[] = [];
  for (let i = above.length - 1; i >= 0; i--) if (!chain.length || above[i].level < chain[chain.length - 1].level) chain.push(above[i]);
  return chain.some((h) => CONTAINMENT_SECTION.test(h.text));
}

/** A recovery phase that lifts emergency measures: "Re-enable services and access", "Gradually relax emergency mitigations", "Lift the block". */
const RECOVERY_PHASE = /(?<![\p{L}\p{N}])(?:re-?enabl(?:e|es|ing)|relax(?:es|ing)?|lift(?:s|ing)?|unblock(?:s|ing)?|restor(?:e|es|ing)\s+(?:normal\s+)?access)(?![\p{L}\p{N}])/iu;

/** An incident-response runbook (a containment section) with a recovery phase: the way back from its emergency measures. */
function liftsContainment(md: MarkdownFile): boolean {
  return md.headings.some((h) => CONTAINMENT_SECTION.test(h.text)) && md.headings.some((h) => RECOVERY_PHASE.test(h.text) && !CONTAINMENT_SECTION.test(h.text));
}

/** Prose that says how to undo the change, or that it undoes itself. */
const WAY_BACK = /\b(?:to (?:revert|roll[\s-]?back|undo|back out)\b|(?:revert|roll[\s-]?back|undo)(?:s|ed|ing)?\s+(?:it|this|that|them|the\s+\w+)\b|(?:reverts|rolls\s+back|undoes)\s+\w|can be (?:reverted|rolled back|undone)|(?:is|are) (?:reverted|rolled back|undone)\b|auto[\s-]?roll(?:s|ed)?[\s-]?backs?\b)/i;

/** The runbook's text outside code blocks, headings and frontmatter. */
function prose(md: MarkdownFile): string {
  const skip = new Set<number>();
  for (const b of md.codeBlocks) for (let n = b.line; n <= b.endLine; n++) skip.add(n);
  for (const h of md.headings) skip.add(h.line);
  if (md.frontmatter) for (let n = 0; n <= md.frontmatter.closeLine; n++) skip.add(n);
  const out: string[] = [];
  for (let n = 0; n < md.lines.lineCount; n++) if (!skip.has(n)) out.push(md.lines.line(n));
  return out.join('\n').replace(/`[^`\n]*`/g, ' ');
}

/** What a backup covers: the Terraform state, a database, or the tool's own data. */
function family(label: string): string {
  if (label === 'terraform') return 'terraform';
  if (/^(?:SQL|pg_dump|pg_dumpall|pg_basebackup|mysqldump|mariadb-dump|mongodump|mongosh|mongo|redis-cli|database migration|migrate|alembic|flyway migrate|liquibase update|rails db:migrate|manage\.py migrate|prisma migrate deploy)$/.test(label)) return 'database';
  return label;
}

/** Headings that hold a backup or a verification step. */
const BACKUP_OR_VERIFY = /(?<![\p{L}\p{N}])(?:back(?:ing)?[\s-]?ups?|snapshots?|verif(?:y|ying|ication)|validat(?:e|ing|ion)|post[\s-]?checks?|health[\s-]?checks?|smoke[\s-]?tests?|confirm(?:ation)?)(?![\p{L}\p{N}])/iu;

/** A heading that names a check of the result: "Verify resources", "Validation", "Health check", "Expected result", a "Result" section showing what success returns. */
const VERIFY = /(?<![\p{L}\p{N}])(?:verif(?:y|ying|ication)|validat(?:e|ing|ion)|post[\s-]?checks?|health[\s-]?checks?|smoke[\s-]?tests?|confirm(?:ation)?|expected[\s-](?:results?|output|outcome|state)|^results?$)(?![\p{L}\p{N}])/iu;

/** Words of a title or file name that name a recovery: restore, recover, recreate, rebuild, disaster recovery. */
const RECOVERY = /(?<![\p{L}\p{N}])(?:restor(?:e|es|ing)|recover(?:y|ing)?|recreat(?:e|es|ing)|rebuild(?:ing)?|disaster[\s-]recovery|dr)(?![\p{L}\p{N}])/iu;

/** The runbook's title (frontmatter `title:`, its H1) or its file name names a recovery. */
function isRecoveryRunbook(relPath: string, md: MarkdownFile): boolean {
  const title = md.frontmatter?.valid && typeof md.frontmatter.data.title === 'string' ? md.frontmatter.data.title : (md.headings.find((h) => h.level === 1)?.text ?? '');
  const base = relPath.slice(relPath.lastIndexOf('/') + 1).replace(/(\.html)?\.(md|markdown|mdx)(\.erb)?$/i, '').replace(/[-_.]+/g, ' ');
  return RECOVERY.test(title) || RECOVERY.test(base);
}

/** Why a step cannot be undone, from the classifier's reason: "drops a table and its data". */
function reasonOf(step: RunbookStep): string {
  const b = step.effect.because.replace(/;\s*this cannot be undone$/, '');
  const m = /changes state: (.*)$/.exec(b) ?? /^[^:]*: (?:[A-Z ]+ )?(.*)$/.exec(b);
  return (m ? m[1] : b).replace(/, which cannot shrink back$/, ' (it cannot shrink back)');
}

/** Inserts a verification section template (a backup before, a check after) where a rollback section would go. */
function verificationTemplateFix(md: MarkdownFile): Fix {
  return sectionFix(md, 'Verification', [
    '1. <the backup or snapshot to take before the change, and how to restore from it>',
    '2. <how to verify the change worked: the query, dashboard or health check, and what it should show>',
  ]);
}

/** Sections a runbook usually ends with; the rollback goes before them. */
const TRAILING = /^(references?|escalations?|escalation path|contacts?|see also|related(\s+(runbooks|links|documents))?|links|further reading|resources|appendix)\b/i;

/** Inserts a numbered rollback template before trailing reference-like sections, or at the end. */
export function rollbackTemplateFix(md: MarkdownFile, word: string, step?: ChangingStep): Fix {
  return sectionFix(md, word, [
    '1. <how to tell the change must be rolled back: the alert, metric or error that says so>',
    `2. <the exact commands that undo the change${undoHint(step)}>`,
    '3. <how to verify the rollback worked: dashboards, health checks, error rate back to normal>',
  ]);
}

/** Inserts a numbered section template before trailing reference-like sections, or at the end. */
function sectionFix(md: MarkdownFile, word: string, items: string[]): Fix {
  const lines = md.lines;
  const eol = lines.eol;
  const sub = md.headings.filter((h) => h.level > 1);
  const level = sub.length ? Math.min(...sub.map((h) => h.level)) : 2;
  const top = md.headings.filter((h) => h.level === level);
  let before: Heading | undefined;
  for (let i = top.length - 1; i >= 0 && TRAILING.test(top[i].text); i--) before = top[i];
  const body = [`${'#'.repeat(level)} ${word}`, '', ...items];
  if (before) {
    const prev = before.line > 0 ? lines.line(before.line - 1) : '';
    const text = (prev.trim() ? eol : '') + body.join(eol) + eol + eol;
    const at = { line: before.line, character: 0 };
    return { title: `Insert a ${word} section template`, isPreferred: true, edits: [{ range: { start: at, end: at }, newText: text }] };
  }
  // At the end: exactly one blank line between the last content and the new heading.
  const text = lines.text;
  const trimmed = text.replace(/(\r?\n|\r|[ \t])*$/, '');
  const start = lines.positionAt(trimmed.length);
  const end = lines.positionAt(text.length);
  const newText = (trimmed.length ? eol + eol : '') + body.join(eol) + eol;
  return { title: `Insert a ${word} section template`, isPreferred: true, edits: [{ range: { start, end }, newText }] };
}

function undoHint(step?: ChangingStep): string {
  switch (step?.label) {
    case 'kubectl':
      return ', e.g. `kubectl rollout undo`';
    case 'helm':
      return ', e.g. `helm rollback <release> <revision>`';
    case 'terraform':
      return ', e.g. re-apply the previous commit';
    case 'flyway migrate':
    case 'alembic':
    case 'rails db:migrate':
    case 'manage.py migrate':
    case 'liquibase update':
    case 'prisma migrate deploy':
    case 'database migration':
    case 'migrate':
    case 'SQL':
      return ', e.g. the down migration or the restore from backup';
    default:
      return '';
  }
}
