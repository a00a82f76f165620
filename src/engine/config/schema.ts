import { z } from 'zod';

// `.opsreview.yml` is described once, here. The same schema gives the defaults (parse `{}`),
// the error messages (zod issues, positioned by config/load.ts) and the shipped JSON schema
// (scripts/gen-schema.mjs writes `opsreview.schema.json` from `configJsonSchema()`).

const severity = z.enum(['error', 'warning', 'info']);
const ruleSetting = z.union([
  z.enum(['off', 'error', 'warning', 'info']),
  z.object({ severity: z.enum(['off', 'error', 'warning', 'info']) }).strict(),
]);

/** Folders that hold examples, tests, demos and fixtures rather than what runs in production. */
export const NON_PRODUCTION_DEFAULTS = [
  '**/examples/**',
  '**/example/**',
  '**/tests/**',
  '**/test/**',
  '**/testdata/**',
  '**/test-infra/**',
  '**/molecule/**',
  '**/fixtures/**',
  '**/fixture/**',
  '**/__fixtures__/**',
  '**/demo/**',
  '**/demos/**',
  '**/exercises/**',
  '**/sample/**',
  '**/samples/**',
  '**/sample-*/**',
  '**/zuul.d/**',
  '**/e2e/**',
  '**/__tests__/**',
  '**/*deprecated*/**',
  // Retired material kept for history (`docs/runbooks/archive/`, `.archive/`): nobody runs it.
  '**/archive/**',
  '**/archived/**',
  '**/.archive/**',
  // Development harnesses and scripts (`hack/` in Kubernetes-style repositories).
  '**/hack/**',
];

const globList = z.array(z.string().min(1)).describe('Glob patterns, matched against paths relative to the workspace root.');

export const runbookSchema = z
  .object({
    globs: globList
      .default(['**/runbooks/**/*.md', '**/playbooks/**/*.md', '**/*runbook*.md'])
      .describe('Markdown files that are runbooks (a file with runbook frontmatter counts too); matched without regard to case, so `Playbooks/` and `Runbooks/` count.'),
    postmortemGlobs: globList
      .default(['**/postmortems/**/*.md', '**/*postmortem*.md'])
      .describe('Markdown files that are postmortems; matched without regard to case.'),
    requiredFrontmatter: z
      .array(z.string().min(1))
      .default(['owner', 'service', 'tags'])
      .describe('Frontmatter keys every runbook must carry; runbook/frontmatter-missing lists the ones a runbook lacks in one finding (`team` counts for `owner`).'),
    requiredTags: z
      .array(z.string().min(1))
      .default([])
      .describe('Tag keys every runbook must carry, written as `key:value` in a tag list or as keys of a tag map.'),
    rollbackHeadings: z
      .array(z.string().min(1))
      .default(['Rollback', 'Roll back', 'Rolling back', 'Roll-back', 'Revert', 'Undo', 'Back out', 'Backout'])
      .describe('Heading words that start a rollback section (case-insensitive, matched as words).'),
    changeTypes: z
      .array(z.string().min(1))
      .default(['deploy', 'release', 'change', 'maintenance', 'migration'])
      .describe('Frontmatter `type` values that mark a runbook as changing production.'),
    reviewMaxAgeDays: z.number().int().positive().default(180).describe('Days after `last_reviewed` before a runbook is stale.'),
  })
  .strict();

export const alertSchema = z
  .object({
    ownerLabels: z.array(z.string().min(1)).default(['owner', 'team']).describe('Labels that name an alert owner.'),
    severityLabel: z.string().min(1).default('severity').describe('The label that carries severity.'),
    allowedSeverities: z
      .array(z.string().min(1))
      .default(['critical', 'warning', 'info'])
      .describe('Values the severity label may take.'),
    runbookAnnotations: z
      .array(z.string().min(1))
      .min(1)
      .default(['runbook_url'])
      .describe('Annotations that link an alert to its runbook, in order of preference (the first is the one fixes add).'),
    runbookBaseUrl: z
      .string()
      .default('')
      .describe('URL prefix that maps `runbook_url` values onto files of this repository, e.g. https://github.com/acme/ops/blob/main/ .'),
    runbookPathsFrom: z
      .enum(['file', 'root'])
      .default('file')
      .describe('What a runbook link written as a bare path (`docs/db/README.md`, no `./`, `../` or `/`) is relative to: the alert file\'s folder (`file`) or the repository root (`root`). Detected from which one most links resolve under; a link that resolves under either is never reported broken.'),
  })
  .strict();

export const terraformSchema = z
  .object({
    requiredTags: z
      .array(z.string().min(1))
      .default(['owner', 'environment', 'service'])
      .describe('Tag (AWS/Azure) or label (Google) keys every taggable resource must carry.'),
    allowedIngressPorts: z
      .array(z.number().int().min(0).max(65535))
      .default([80, 443])
      .describe('Ports that may be open to 0.0.0.0/0 or ::/0.'),
    minBackupRetentionDays: z.number().int().min(1).max(35).default(7).describe('Fewest days of automated backups an RDS instance or Aurora cluster may keep (terraform/backup-missing).'),
    s3EncryptionConfig: z
      .boolean()
      .default(false)
      .describe('Report S3 buckets with no server-side encryption configuration (terraform/unencrypted-storage). Off by default: S3 encrypts every object with SSE-S3 since January 2023; turn it on where policy requires the encryption (SSE-KMS with a customer-managed key) to be declared.'),
  })
  .strict();

// The alerting pipeline and incident practice (Alertmanager, SLOs, postmortems, escalation).
export const alertmanagerSchema = z
  .object({
    criticalSeverities: z.array(z.string().min(1)).default(['critical']).describe('Severity label values that must reach a pager (alertmanager/critical-not-paging).'),
    pagingIntegrations: z
      .array(z.string().min(1))
      .default(['pagerduty', 'opsgenie', 'victorops'])
      .describe('Receiver integrations that page a person (`pagerduty` stands for `pagerduty_configs`/`pagerdutyConfigs`).'),
    pagingWebhookPatterns: z
      .array(z.string().min(1))
      .default(['incident\\.io', 'pagerduty', 'opsgenie', 'victorops', 'splunkoncall', 'squadcast', 'grafana-oncall', 'oncall', 'firehydrant', 'rootly', 'ilert', 'zenduty'])
      .describe('Regular expressions (case-insensitive) of webhook URLs that reach a pager.'),
    pagingReceivers: z.array(z.string().min(1)).default([]).describe('Receiver names that page a person whatever their integrations (e.g. a webhook to an in-house pager).'),
  })
  .strict();

export const sloSchema = z
  .object({
    ownerLabels: z.array(z.string().min(1)).default(['owner', 'team']).describe('Labels that name the owner of an SLO (slo/owner-missing).'),
  })
  .strict();

/**
 * Blame phrases a blameless postmortem avoids (postmortem/blame-language), in English by
 * default: each a regular expression (case-insensitive, matched as whole words) with the advice
 * shown instead. A team writing postmortems in another language lists its own.
 */
export const DEFAULT_BLAME_PHRASES: { phrase: string; instead: string }[] = [
  { phrase: '(human|operator|user|pilot|engineer) error', instead: 'describe what the system allowed: which check, guard-rail or confirmation step was missing' },
  { phrase: "should(?: have|'ve| of) (?:known|noticed|caught|checked|seen|realised|realized|been more careful|double-checked|tested)", instead: 'say what would have made it visible: which signal, test or review step was missing' },
  { phrase: 'careless(?:ly|ness)?', instead: 'describe the conditions: time pressure, missing tooling, an unclear procedure' },
  { phrase: 'negligen(?:t|ce|tly)', instead: 'describe the gap in the process that made the step easy to miss' },
  // "The disk was at fault" blames a component, which is fine: only fault pinned on someone.
  { phrase: 'fault of|(?:his|her|their|my|your) fault', instead: 'describe the contributing factors in the system and the process' },
  // "lazy" alone is a technical word (lazy loading): only as a judgement of someone.
  { phrase: 'sloppy|incompetent|reckless|(?:was|were|being)\\s+lazy', instead: 'describe the circumstances and what the system did not prevent' },
  { phrase: 'failed to follow', instead: 'say what made the step hard to follow or easy to skip' },
];

export const DEFAULT_BLAME_NEGATIONS = ['not', 'no', 'never', "isn't", "wasn't", "aren't", 'without', 'nobody', 'no one', 'rather than', 'instead of'];

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'iu');
    return true;
  } catch {
    return false;
  }
}

const blamePhrase = z.union([
  z.string().min(1).refine(compiles, { message: 'not a valid regular expression' }),
  z
    .object({
      phrase: z.string().min(1).refine(compiles, { message: 'not a valid regular expression' }).describe('A regular expression (case-insensitive, matched as whole words).'),
      instead: z.string().min(1).optional().describe('What to write instead, shown in the finding.'),
    })
    .strict(),
]);

export const postmortemSchema = z
  .object({
    requiredSections: z
      .array(z.string().min(1))
      .default(['Summary|What happened', 'Impact|Affected users', 'Timeline|Chain of events|Sequence of events', 'Root cause|Contributing factors|Contributing conditions|Causes', 'Action items|Follow-ups|Corrective|Remediation|Next steps|Recommendations|Preventive measures|Preventative measures'])
      .describe('Sections a postmortem must have; `A|B` accepts a heading with either word (case-insensitive).'),
    actionItemHeadings: z
      .array(z.string().min(1))
      .default(['Action items', 'Follow-ups', 'Follow ups', 'Corrective', 'Remediation', 'Next steps', 'Recommendations', 'Preventive measures', 'Preventative measures'])
      .describe('Headings of the section whose list items and table rows are action items.'),
    blamePhrases: z
      .array(blamePhrase)
      .default(DEFAULT_BLAME_PHRASES)
      .describe(
        'Phrases that blame a person (postmortem/blame-language): regular expressions, case-insensitive, matched as whole words; a string or {phrase, instead}. The default is an English list; a team writing in another language lists its own (e.g. `menschliches Versagen`, `error humano`).',
      ),
    blameNegations: z
      .array(z.string().min(1))
      .default(DEFAULT_BLAME_NEGATIONS)
      .describe('Words that, just before a blame phrase, make it blameless ("not human error"); English by default.'),
  })
  .strict();

export const escalationSchema = z
  .object({
    headings: z
      .array(z.string().min(1))
      .default(['Escalation', 'Escalate', 'On-call', 'On call', 'Contacts', 'Contact', 'Who to call', 'Paging'])
      .describe('Heading words that start an escalation section (runbook/escalation-missing).'),
    runbookTypes: z.array(z.string().min(1)).default(['alert', 'incident', 'alert-response']).describe('Frontmatter `type` values of alert-response runbooks.'),
  })
  .strict();

export const checklistsSchema = z
  .object({
    builtins: z.boolean().default(true).describe('Offer the built-in checklists (release-gate, security, production-readiness, postmortem).'),
    disable: z.array(z.string().min(1)).default([]).describe('Checklist ids not offered (built-in or team checklists), e.g. [postmortem].'),
  })
  .strict();

// Services: inferred from every kind of file (engine/services); the config corrects inference.
export const servicesSchema = z
  .object({
    merge: z
      .record(z.string().min(1), z.array(z.string().min(1)))
      .default({})
      .describe('Service names inferred separately that are one service, e.g. `checkout: [checkout-api, checkout-worker]`.'),
    ignore: z.array(z.string().min(1)).default([]).describe('Inferred names that are not services of this repository (e.g. `node-exporter`, `prometheus`).'),
    owners: z.record(z.string().min(1), z.string().min(1)).default({}).describe('The owner of a service, when the files disagree or say nothing (`service/owner-mismatch` compares the files with it).'),
  })
  .strict();

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    include: globList.default([]).describe('Only files matching these globs are indexed (empty: all).'),
    exclude: globList.default([]).describe('Files matching these globs are never indexed (added to .gitignore and the built-in skips).'),
    maxFileSizeKb: z.number().int().positive().default(1024).describe('Files larger than this are skipped with a note, never read.'),
    nonProduction: globList
      .default(NON_PRODUCTION_DEFAULTS)
      .describe(
        'Examples, tests (Molecule scenarios, test infrastructure), demos, fixtures and deprecated code: production-only rules (rollback plans, serial rollout, changed_when, release gates, probes, resources, latest images, prevent_destroy, cost tags) skip files matching these globs, and files whose header comment says they are for demo or testing only; the literal-secret rules report there only values shaped like a real credential (a private key, a provider token). `[]` checks everything as production.',
      ),
    profile: z
      .enum(['recommended', 'all'])
      .default('recommended')
      .describe(
        'What runs when `rules:` does not name a rule. `recommended`: the rules and findings that were mostly actionable on public repositories nobody tuned them on. `all`: also the rules that ask for a convention many teams do not keep (probes on every workload, `serial:` on every play, cost tags) and the findings with weaker evidence (a secret only its key name calls one, a runbook that changes state without declaring a change `type:`, a convention no item of the repository follows); see the rule table for each rule\'s profile.',
      ),
    rules: z
      .record(z.string(), ruleSetting)
      .default({})
      .describe('Per-rule severity or `off`, keyed by rule id, e.g. `runbook/review-stale: off`.'),
    runbooks: runbookSchema.default(runbookSchema.parse({})),
    alerts: alertSchema.default(alertSchema.parse({})),
    terraform: terraformSchema.default(terraformSchema.parse({})),
    alertmanager: alertmanagerSchema.default(alertmanagerSchema.parse({})),
    slos: sloSchema.default(sloSchema.parse({})),
    postmortems: postmortemSchema.default(postmortemSchema.parse({})),
    escalation: escalationSchema.default(escalationSchema.parse({})),
    services: servicesSchema.default(servicesSchema.parse({})).describe('How services are named: inferred from runbooks, alerts, manifests, Terraform tags, SLOs and deploy jobs; merge or ignore names here.'),
    checklists: checklistsSchema.default(checklistsSchema.parse({})).describe('Which checklists OpsReview offers; team checklists live in .opsreview/checklists/*.yml.'),
  })
  .strict();

export type OpsReviewConfig = z.infer<typeof configSchema>;
export type RuleSetting = z.infer<typeof ruleSetting>;
export type ConfigSeverity = z.infer<typeof severity>;

export function defaultConfig(): OpsReviewConfig {
  return configSchema.parse({});
}

export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: 'OpsReview configuration (.opsreview.yml)' };
}
