import { z } from 'zod';
import { SUBJECT_IDS } from '../rules/subjects';

// A checklist is described once, here: the built-ins are typed by it, team checklists in
// `.opsreview/checklists/*.yml` are validated by it (positioned errors, see load.ts), and
// `checklist.schema.json` (wired through `yamlValidation`) is generated from it by
// scripts/gen-schema.mjs. Run files (`.opsreview/runs/<checklist>/<run>.yml`) have their own
// schema at the bottom.

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and dashes (e.g. rollback-tested)')
  .describe('A stable id: lower-case letters, digits and dashes.');

const kindList = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .describe('One file kind or a list (runbook, postmortem, terraform, alert-rules, github-workflow, gitlab-ci, k8s-manifest, ansible-playbook, ...).');

const kindOrSubjectList = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .describe(
    `File kinds (runbook, terraform, k8s-manifest, ...) and/or subjects, the things inside files that rules examine (${SUBJECT_IDS.join(', ')}).`,
  );

const serviceFilter = z
  .string()
  .min(1)
  .optional()
  .describe('Only what the service model attributes to this service (its runbooks, alerts, SLOs, workloads, Terraform resources, deploy jobs; see `opsreview services`).');

const filters = {
  path: z.string().min(1).optional().describe('Only files whose workspace-relative path matches this glob.'),
  service: serviceFilter,
  type: z.array(z.string().min(1)).min(1).optional().describe('Only runbooks and postmortems whose frontmatter `type` is one of these (e.g. deploy, release); files of other kinds are not filtered by it.'),
};

/**
 * The index query vocabulary (documented in the README): `exists` asks for at least one file of
 * a kind, `every` asks that each file of a kind carries headings or frontmatter keys.
 */
export const existsQuerySchema = z
  .object({
    exists: kindOrSubjectList,
    when: kindOrSubjectList
      .optional()
      .describe('Asked only when the workspace has one of these (e.g. an SLO spec `when: service-workload`); n/a, saying so, when it has none.'),
    ...filters,
    label: z.string().min(1).optional().describe('What the query proves, as shown in the checklist (default: generated).'),
  })
  .strict()
  .describe('Passes when at least one file or subject of the kind (matching the filters) exists; fails when none does (n/a when `when` finds nothing).');

export const everyQuerySchema = z
  .object({
    every: kindList,
    ...filters,
    sections: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Headings each file must have (case-insensitive; `a|b` accepts either word).'),
    frontmatter: z.array(z.string().min(1)).min(1).optional().describe('Frontmatter keys each runbook or postmortem must carry (owner also accepts team).'),
    label: z.string().min(1).optional().describe('What the query proves, as shown in the checklist (default: generated).'),
  })
  .strict()
  .refine((q) => q.sections || q.frontmatter, { message: '`every` needs `sections` or `frontmatter`: what each file must have' })
  .describe('Passes when every file of the kind has the sections/frontmatter; fails naming those that lack them; n/a when there is no such file.');

export const querySchema = z.union([existsQuerySchema, everyQuerySchema]);

export const evidenceSchema = z
  .object({
    rules: z
      .array(z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'a rule id looks like category/name, e.g. runbook/rollback-missing'))
      .min(1)
      .optional()
      .describe('Rule ids: the item fails while any finding of these rules exists in the workspace (within `path`).'),
    queries: z.array(querySchema).min(1).optional().describe('Index queries (exists / every) that decide the item.'),
    path: z
      .string()
      .min(1)
      .optional()
      .describe('Only files whose workspace-relative path matches this glob count, for the rules and for queries without their own `path` (gate one service of a monorepo).'),
    service: serviceFilter,
  })
  .strict()
  .refine((e) => e.rules || e.queries, { message: 'evidence needs `rules`, `queries` or both' });

export const itemSchema = z
  .object({
    id: slug,
    text: z.string().min(1).describe('What must hold, as a reviewer reads it.'),
    why: z.string().min(1).describe('The practice behind the item, in a sentence.'),
    practice: z.string().min(1).optional().describe('The practice id (e.g. rollback-plan, secrets-management).'),
    docs: z.string().min(1).optional().describe('A link to more (a docs page, the team wiki).'),
    manual: z.literal(true).optional().describe('A person ticks this item in a run (done or waived with a note).'),
    evidence: evidenceSchema.optional(),
  })
  .strict()
  .refine((i) => !!i.manual !== !!i.evidence, { message: 'an item has either `manual: true` or `evidence`, not both and not neither' });

export const sectionSchema = z
  .object({
    id: slug,
    title: z.string().min(1),
    items: z.array(itemSchema).min(1),
  })
  .strict();

export const checklistSchema = z
  .object({
    $schema: z.string().optional(),
    id: slug,
    title: z.string().min(1),
    description: z.string().min(1),
    sections: z.array(sectionSchema).min(1),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Map<string, number>();
    c.sections.forEach((s, si) =>
      s.items.forEach((item, ii) => {
        if (seen.has(item.id)) ctx.addIssue({ code: 'custom', message: `item id '${item.id}' is used twice; run files key items by id`, path: ['sections', si, 'items', ii, 'id'] });
        seen.set(item.id, si);
      }),
    );
  });

export type Checklist = z.infer<typeof checklistSchema>;
export type ChecklistInput = z.input<typeof checklistSchema>;
export type ChecklistSection = z.infer<typeof sectionSchema>;
export type ChecklistItem = z.infer<typeof itemSchema>;
export type Evidence = z.infer<typeof evidenceSchema>;
export type ExistsQuery = z.infer<typeof existsQuerySchema>;
export type EveryQuery = z.infer<typeof everyQuerySchema>;
export type Query = z.infer<typeof querySchema>;

// ---- run files ------------------------------------------------------------------------------

export const RUN_STATES = ['done', 'waived', 'open'] as const;
export type RunState = (typeof RUN_STATES)[number];

export const runItemSchema = z
  .object({
    state: z.enum(RUN_STATES),
    by: z.string().optional(),
    at: z.union([z.string(), z.date().transform((d) => d.toISOString())]).optional(),
    note: z.string().optional(),
  })
  .strict()
  .refine((i) => i.state !== 'waived' || !!i.note?.trim(), { message: 'a waived item needs a note saying why', path: ['note'] });

export const runSchema = z
  .object({
    checklist: z.string().optional(),
    items: z.record(z.string(), runItemSchema).default({}),
  })
  .passthrough();

export type RunItem = z.infer<typeof runItemSchema>;
export type Run = z.infer<typeof runSchema>;

export function checklistJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(checklistSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: 'OpsReview checklist (.opsreview/checklists/*.yml)' };
}
