import { z } from 'zod';
import { FILE_KINDS } from '../engine/types';

// Custom LSP messages between the OpsReview server and its clients (the VS Code extension's
// trees and checklist; any other editor may use them too). Standard features (diagnostics,
// code actions, links, symbols, code lenses) go through plain LSP. Every payload is described
// by a zod schema and checked on receipt, so a version skew between client and server shows
// up as a clear error instead of an undefined deep in a tree view.

const zRange = z.object({
  start: z.object({ line: z.number(), character: z.number() }),
  end: z.object({ line: z.number(), character: z.number() }),
});

export const zFileKind = z.enum(FILE_KINDS);

const zFindingCounts = z.object({ error: z.number(), warning: z.number(), info: z.number() });

export const zRunbookSummary = z.object({
  uri: z.string(),
  relPath: z.string(),
  /** Workspace folder the file belongs to. */
  folder: z.string(),
  kind: z.enum(['runbook', 'postmortem']),
  title: z.string(),
  service: z.string().optional(),
  owner: z.string().optional(),
  team: z.string().optional(),
  tags: z.array(z.string()),
  severity: z.string().optional(),
  type: z.string().optional(),
  lastReviewed: z.string().optional(),
  sections: z.array(z.object({ title: z.string(), level: z.number(), line: z.number(), slug: z.string() })),
  findings: zFindingCounts,
  /** Why it is a runbook (glob, frontmatter, linked from an alert, named after one, its sections). */
  reason: z.string().optional(),
});
export type RunbookSummary = z.infer<typeof zRunbookSummary>;

export const zSymbolSummary: z.ZodType<SymbolSummary> = z.lazy(() =>
  z.object({ name: z.string(), detail: z.string(), kind: z.string(), line: z.number(), children: z.array(zSymbolSummary).optional() }),
);
export interface SymbolSummary {
  name: string;
  detail: string;
  kind: string;
  line: number;
  children?: SymbolSummary[];
}

export const zInfraFile = z.object({
  uri: z.string(),
  relPath: z.string(),
  folder: z.string(),
  kind: zFileKind,
  symbols: z.array(zSymbolSummary),
  parseErrors: z.number(),
  findings: zFindingCounts,
  /** Why it is that kind (path, content). */
  reason: z.string().optional(),
});
export type InfraFile = z.infer<typeof zInfraFile>;

export const zRunbooksParams = z.object({
  service: z.string().optional(),
  owner: z.string().optional(),
  tag: z.string().optional(),
});
export const zRunbooksResult = z.object({ runbooks: z.array(zRunbookSummary) });

export const zInfrastructureResult = z.object({ files: z.array(zInfraFile) });

export const zStatsResult = z.object({
  /** False until the first index build of every workspace folder has finished. */
  ready: z.boolean(),
  files: z.record(z.string(), z.number()),
  findings: zFindingCounts,
  /** Folders and files left out of the index, with why (`code`: see SkipCode in engine/discovery). */
  skipped: z.array(z.object({ relPath: z.string(), reason: z.string(), kind: z.enum(['folder', 'file']).optional(), code: z.string().optional() })),
  configFiles: z.array(z.string()),
  serverVersion: z.string(),
  /** While a folder is being indexed: files done of the total. */
  indexing: z.object({ done: z.number(), total: z.number() }).optional(),
  /** When the last index build finished (ISO time) and how long it took. */
  builtAt: z.string().optional(),
  buildMs: z.number().optional(),
  /** Files with at least one finding (the status says this, not VS Code's problem counts again). */
  filesWithFindings: z.number().optional(),
});
export type StatsResult = z.infer<typeof zStatsResult>;
export const zIndexProgress = z.object({ done: z.number(), total: z.number() });

export const zFinding = z.object({
  uri: z.string(),
  ruleId: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  range: zRange,
});
export const zFindingsParams = z.object({ uri: z.string().optional(), ruleIds: z.array(z.string()).optional() });
export const zFindingsResult = z.object({ findings: z.array(zFinding) });

export const zIndexChanged = z.object({
  /** Monotonic counter; clients drop older notifications. */
  version: z.number(),
  changed: z.array(z.string()),
  removed: z.array(z.string()),
  full: z.boolean(),
});
export type IndexChanged = z.infer<typeof zIndexChanged>;

export const zInitOptions = z
  .object({
    /** Explicit `.opsreview.yml` path (VS Code setting `opsreview.configPath`). */
    configPath: z.string().optional(),
    /** Base URI for rule docs links (`codeDescription.href`); defaults to the project's docs site. */
    docsBaseUri: z.string().optional(),
    /** Milliseconds to wait after a keystroke before re-linting. */
    debounceMs: z.number().int().min(0).max(5000).optional(),
    /** Leave out findings the folder's baseline (`.opsreview-baseline.json`) holds, instead of showing them as hints (`opsreview.baseline.hide`). */
    baselineHide: z.boolean().optional(),
  })
  .passthrough();
export type InitOptions = z.infer<typeof zInitOptions>;

// ---- checklists (the Checklists tree and the checklist panel) ------------------------------

const zItemState = z.enum(['pass', 'fail', 'na', 'not-evaluated', 'open', 'done', 'waived']);
export const zRunItem = z.object({ state: z.enum(['done', 'waived', 'open']), by: z.string().optional(), at: z.string().optional(), note: z.string().optional() });
const zEvidenceRef = z.object({ ruleId: z.string(), file: z.string().nullable(), line: z.number().nullable(), message: z.string() });
export const zChecklistResult = z.object({
  checklist: z.string(),
  title: z.string(),
  description: z.string(),
  run: z.string().nullable(),
  verdict: z.enum(['ready', 'blocked']),
  blocking: z.array(z.string()),
  progress: z.object({ total: z.number(), settled: z.number() }),
  notes: z.array(z.string()),
  items: z.array(
    z.object({
      id: z.string(),
      section: z.string(),
      sectionTitle: z.string(),
      text: z.string(),
      why: z.string(),
      practice: z.string().optional(),
      docs: z.string().optional(),
      kind: z.enum(['auto', 'manual']),
      state: zItemState,
      reason: z.string().optional(),
      evidence: z.array(zEvidenceRef),
      parts: z.array(
        z.object({ kind: z.enum(['rule', 'query']), label: z.string(), state: z.enum(['pass', 'fail', 'na', 'not-evaluated']), refs: z.array(zEvidenceRef), checked: z.number(), examined: z.string(), reason: z.string().optional() }),
      ),
      run: zRunItem.optional(),
      blocking: z.boolean(),
    }),
  ),
});
export type ChecklistResultDto = z.infer<typeof zChecklistResult>;

const zRunFileError = z.object({ message: z.string(), line: z.number(), character: z.number() });

export const zChecklistRunSummary = z.object({
  name: z.string(),
  verdict: z.enum(['ready', 'blocked']).optional(),
  blocking: z.number(),
  settled: z.number(),
  total: z.number(),
  /** The run file does not parse: it is shown, never written. */
  error: zRunFileError.optional(),
});
export const zChecklistSummary = z.object({
  folder: z.string(),
  id: z.string(),
  title: z.string(),
  description: z.string(),
  /** `builtin`, or the team file's workspace-relative path. */
  source: z.string(),
  runs: z.array(zChecklistRunSummary),
});
export type ChecklistSummary = z.infer<typeof zChecklistSummary>;
export const zChecklistsResult = z.object({ checklists: z.array(zChecklistSummary) });

export const zChecklistEvaluateParams = z.object({ folder: z.string().optional(), checklist: z.string(), run: z.string().optional(), /** Write the run's (empty) file first when it does not exist: a new run. */ create: z.boolean().optional() });
export const zChecklistEvaluateResult = z.object({
  folder: z.string(),
  result: zChecklistResult,
  markdown: z.string(),
  /** The run file (absolute path) and the hash of the text the states came from. */
  runFile: z.string().optional(),
  runHash: z.string().optional(),
  runError: zRunFileError.optional(),
});
export type ChecklistEvaluateResult = z.infer<typeof zChecklistEvaluateResult>;

export const zChecklistSetItemParams = z.object({
  folder: z.string().optional(),
  checklist: z.string(),
  run: z.string(),
  item: z.string(),
  state: z.enum(['done', 'waived', 'open']),
  note: z.string().max(2000).optional(),
  by: z.string().max(200).optional(),
  /** What the client saw: the run file's hash and the item, so a change made meanwhile on disk is merged, not clobbered. */
  base: z.object({ hash: z.string().optional(), item: zRunItem.optional() }).optional(),
});
export const zChecklistSetItemResult = z.object({
  ok: z.boolean(),
  /** Why nothing was written (a broken run file, a conflict, an invalid state). */
  message: z.string().optional(),
  conflict: z.boolean(),
  evaluation: zChecklistEvaluateResult.optional(),
});
export type ChecklistSetItemResult = z.infer<typeof zChecklistSetItemResult>;

export const zChecklistsChanged = z.object({ version: z.number() });
/** Sent when a workspace folder's detected conventions are first known or change. */
export const zConventionsDetected = z.object({
  folder: z.string(),
  /** "conventions detected: severities s1–s4; runbook links via `runbook`; …" */
  summary: z.string(),
  /** The config file in use, when there is one ("Keep as configuration" merges into it). */
  configPath: z.string().optional(),
});
export type ConventionsDetected = z.infer<typeof zConventionsDetected>;

export const zConventionsParams = z.object({ folder: z.string() });
export const zConventionsResult = z.object({
  folder: z.string(),
  summary: z.string().optional(),
  /** Where "Keep as configuration" writes: the config file in use, or `<folder>/.opsreview.yml`. */
  path: z.string(),
  /** Whether `path` exists (then `text` is it with the detected options it lacks merged in). */
  exists: z.boolean(),
  /** The file's text with the detected conventions and their evidence; undefined when an existing file cannot be merged into. */
  text: z.string().optional(),
  /** Options `text` adds. */
  added: z.array(z.string()),
});
export type ConventionsResult = z.infer<typeof zConventionsResult>;
/** A new postmortem from the engine's template, under the folder's configuration. */
export const zPostmortemTemplateParams = z.object({
  /** Absolute path of the workspace folder it goes into. */
  folder: z.string(),
  title: z.string(),
  date: z.string(),
  service: z.string(),
  owner: z.string(),
  incident: z.string().optional(),
});
export type PostmortemTemplateParams = z.infer<typeof zPostmortemTemplateParams>;
export const zPostmortemTemplateResult = z.object({
  text: z.string(),
  fileName: z.string(),
  /** Absolute path of the folder the workspace keeps its postmortems in (or `<folder>/postmortems`). */
  dir: z.string(),
});
export type PostmortemTemplateResult = z.infer<typeof zPostmortemTemplateResult>;

export const Requests = {
  postmortemTemplate: 'opsreview/postmortemTemplate',
  runbooks: 'opsreview/runbooks',
  infrastructure: 'opsreview/infrastructure',
  stats: 'opsreview/stats',
  findings: 'opsreview/findings',
  reindex: 'opsreview/reindex',
  checklists: 'opsreview/checklists',
  checklistEvaluate: 'opsreview/checklist/evaluate',
  checklistSetItem: 'opsreview/checklist/setItem',
  conventions: 'opsreview/conventions',
  services: 'opsreview/services',
} as const;

// ---- services (issue 17): the engine's service model (engine/services/report.ts ServiceJson) ----

const zRatio = z.object({ met: z.number(), of: z.number() });
const zAt = { file: z.string(), line: z.number() };
export const zServiceJson = z.object({
  service: z.string(),
  aliases: z.array(z.string()),
  sources: z.array(z.string()),
  owner: z.string().nullable(),
  owners: z.array(z.object({ source: z.string(), owner: z.string(), ...zAt })),
  runbooks: z.array(z.object({ title: z.string(), ...zAt, kind: z.string(), hasRollback: z.boolean(), via: z.string() })),
  alerts: z.array(z.object({ name: z.string(), ...zAt, severity: z.string().nullable(), runbook: z.string().nullable(), runbookFile: z.string().nullable(), receivers: z.array(z.string()), pages: z.boolean() })),
  slos: z.array(z.object({ name: z.string(), ...zAt, format: z.string(), alerting: z.string(), burnRateAlerts: z.array(z.string()) })),
  workloads: z.array(z.object({ kind: z.string(), name: z.string(), namespace: z.string().nullable(), replicas: z.number().nullable(), ...zAt, images: z.array(z.string()) })),
  infrastructure: z.array(z.object({ type: z.string(), address: z.string(), ...zAt })),
  deployJobs: z.array(z.object({ id: z.string(), ...zAt, production: z.boolean(), gate: z.string().nullable(), deploys: z.array(z.string()) })),
  findings: zFindingCounts,
  scorecard: z.object({ alertsWithRunbook: zRatio, runbooksWithRollback: zRatio, slosWithBurnRate: zRatio, productionDeploysGated: zRatio, ownerAgreed: z.boolean().nullable() }),
  ownerMismatches: z.array(z.object({ source: z.string(), owner: z.string(), ...zAt, expected: z.string(), expectedFrom: z.array(z.string()) })),
});
export type ServiceJsonMessage = z.infer<typeof zServiceJson>;
export const zServicesParams = z.object({ folder: z.string().optional() });
export const zServicesResult = z.object({ folders: z.array(z.object({ folder: z.string(), services: z.array(zServiceJson) })) });
export type ServicesResult = z.infer<typeof zServicesResult>;

export const Notifications = {
  indexChanged: 'opsreview/indexChanged',
  /** Evidence may have changed (the index changed): clients re-evaluate open checklists. */
  checklistsChanged: 'opsreview/checklistsChanged',
  conventionsDetected: 'opsreview/conventionsDetected',
  /** `{ done, total }` files while the workspace is being indexed. */
  indexProgress: 'opsreview/indexProgress',
} as const;

/** Parses a payload, turning a schema mismatch into an error that names the message. */
export function checked<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new Error(`OpsReview protocol: invalid ${what}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`);
  return r.data;
}
