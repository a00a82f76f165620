import { postmortemTemplate } from '../alerting/postmortemTemplate';
import type { OpsReviewConfig } from '../config/schema';

// "New Runbook…": a runbook that starts in shape, with the frontmatter the configuration requires
// and the sections the rules expect (a Rollback section for change runbooks), so it raises no
// finding the moment it is written. Teams replace a template with `.opsreview/templates/<kind>.md`,
// where `{{service}}`, `{{owner}}`, `{{date}}`, `{{title}}` and `{{tags}}` are filled in.

export const RUNBOOK_TEMPLATE_KINDS = ['alert-response', 'deploy', 'maintenance', 'postmortem'] as const;
export type RunbookTemplateKind = (typeof RUNBOOK_TEMPLATE_KINDS)[number];

export const TEMPLATE_KIND_LABELS: Record<RunbookTemplateKind, string> = {
  'alert-response': 'Alert response',
  deploy: 'Deploy or release',
  maintenance: 'Maintenance',
  postmortem: 'Postmortem',
};

/** Folder of a team's own templates, relative to the workspace root. */
export const TEMPLATE_OVERRIDE_DIR = '.opsreview/templates';

export interface TemplateInput {
  service: string;
  owner: string;
  kind: RunbookTemplateKind;
  /** YYYY-MM-DD, the review date written into the runbook. */
  today: string;
}

export interface RenderedRunbook {
  /** Suggested workspace-relative path. */
  relPath: string;
  text: string;
}

/** File-name-safe form of a service name. */
export function slugOf(s: string): string {
  return (
    s
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'service'
  );
}

/** Where a new runbook goes: `runbooks/<service>-<kind>.md`, postmortems under `postmortems/`. */
export function runbookPathFor(input: TemplateInput): string {
  const s = slugOf(input.service);
  return input.kind === 'postmortem' ? `postmortems/${input.today}-${s}.md` : `runbooks/${s}-${input.kind}.md`;
}

/** The values a template is filled with. */
export function templateVariables(input: TemplateInput, config: OpsReviewConfig): Record<string, string> {
  return {
    service: input.service.trim(),
    owner: input.owner.trim(),
    date: input.today,
    kind: input.kind,
    title: titleFor(input),
    tags: yamlFlowList(tagsFor(input, config)),
  };
}

/** Renders a template text: `{{name}}` becomes the variable's value (unknown names stay). */
export function fillTemplate(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, name: string) => vars[name] ?? m);
}

/** The runbook for `input`: the team's template when given, otherwise the built-in one. */
export function renderRunbook(input: TemplateInput, config: OpsReviewConfig, override?: string): RenderedRunbook {
  const vars = templateVariables(input, config);
  // One built-in postmortem for both commands: the one the postmortem rules are written against.
  const text =
    override === undefined && input.kind === 'postmortem'
      ? postmortemTemplate({ title: titleFor(input), date: input.today, service: vars.service, owner: vars.owner }, config)
      : fillTemplate(override ?? builtInTemplate(input.kind as Exclude<RunbookTemplateKind, 'postmortem'>, config), vars);
  return { relPath: runbookPathFor(input), text };
}

function titleFor(input: TemplateInput): string {
  const s = input.service.trim();
  switch (input.kind) {
    case 'alert-response':
      return `${s}: alert response`;
    case 'deploy':
      return `${s}: deploy and release`;
    case 'maintenance':
      return `${s}: maintenance`;
    case 'postmortem':
      return `${s}: incident on ${input.today}`;
  }
}

/** The service as a tag, plus a `key:value` entry for each tag key the configuration requires. */
function tagsFor(input: TemplateInput, config: OpsReviewConfig): string[] {
  const s = slugOf(input.service);
  const tags = [s];
  for (const key of config.runbooks.requiredTags) {
    const value = key === 'service' ? s : key === 'team' || key === 'owner' ? slugOf(input.owner) : key === 'type' || key === 'kind' ? input.kind : s;
    tags.push(`${key}:${value}`);
  }
  return tags;
}

function yamlFlowList(items: string[]): string {
  return `[${items.map((t) => (/^[\w.:/-]+$/.test(t) ? t : JSON.stringify(t))).join(', ')}]`;
}

/** Frontmatter lines for the keys the configuration requires that the template does not set itself. */
function extraRequiredKeys(config: OpsReviewConfig, own: string[]): string {
  return config.runbooks.requiredFrontmatter
    .filter((k) => !own.includes(k))
    .map((k) => `${k}: {{${k === 'team' ? 'owner' : k === 'last_reviewed' ? 'date' : 'service'}}}\n`)
    .join('');
}

function builtInTemplate(kind: Exclude<RunbookTemplateKind, 'postmortem'>, config: OpsReviewConfig): string {
  const own = ['title', 'service', 'owner', 'tags', 'type', 'last_reviewed'];
  const type = kind === 'alert-response' ? 'alert-response' : kind === 'deploy' ? (config.runbooks.changeTypes.includes('deploy') ? 'deploy' : (config.runbooks.changeTypes[0] ?? 'deploy')) : kind;
  const rollback = config.runbooks.rollbackHeadings[0] ?? 'Rollback';
  const frontmatter = (typeLine: boolean): string =>
    `---\ntitle: "{{title}}"\nservice: {{service}}\nowner: {{owner}}\ntags: {{tags}}\n${typeLine ? `type: ${type}\n` : ''}last_reviewed: {{date}}\n${extraRequiredKeys(config, own)}---\n`;
  switch (kind) {
    case 'alert-response':
      return `${frontmatter(true)}
# {{title}}

## Symptoms

What the on-call engineer sees when the alert fires: the alert name, the dashboard panel that moves, what users notice.

## Impact

Who is affected and how badly while this alert fires.

## Diagnosis

1. Check the state of the workloads:

   \`\`\`sh
   kubectl get pods -l app={{service}}
   \`\`\`

2. Read the recent errors:

   \`\`\`sh
   kubectl logs -l app={{service}} --since=15m --tail=200
   \`\`\`

## Mitigation

The steps that stop the bleeding, most likely cause first, with the exact commands.

## Escalation

Who to page when the mitigation does not work: the {{owner}} on-call rotation.
`;
    case 'deploy':
      return `${frontmatter(true)}
# {{title}}

## Before you start

- The change is reviewed and merged, and the pipeline is green.
- Announce the deploy in the team channel.

## Deploy

1. Roll out the new version:

   \`\`\`sh
   kubectl rollout restart deployment/{{service}}
   \`\`\`

2. Watch it complete:

   \`\`\`sh
   kubectl rollout status deployment/{{service}} --timeout=5m
   \`\`\`

## Verify

- Error rate and latency on the service dashboard stay at their usual level for 15 minutes.

## ${rollback}

1. Roll back when the error rate rises or the rollout does not complete:

   \`\`\`sh
   kubectl rollout undo deployment/{{service}}
   \`\`\`

2. Verify the previous version serves again: the error rate returns to its usual level.
`;
    case 'maintenance':
      return `${frontmatter(true)}
# {{title}}

## Before you start

- Announce the maintenance window to the users of {{service}}.
- Check that a recent backup exists.

## Steps

1. Drain traffic from the instance being maintained.
2. Apply the maintenance.
3. Bring the instance back and watch its health checks pass.

## Verify

- Health checks pass and the service dashboard shows normal traffic.

## ${rollback}

1. Restore the previous configuration from version control.
2. Restore from the backup taken before the window when data changed.
3. Verify that health checks pass and the service dashboard shows normal traffic.
`;
  }
}
