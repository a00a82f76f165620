import type { OpsReviewConfig } from '../config/schema';
import type { IndexedFile, IndexView, ParsedFile } from '../model';
import type { FileKind, RuleFinding, Severity } from '../types';
import type { SubjectId } from './subjects';

/** The operations practice a rule enforces (the guide's vocabulary; see docs/practices.md). */
export type Practice =
  | 'rollback-plan'
  | 'release-gates'
  | 'progressive-rollout'
  | 'alert-ownership'
  | 'alert-severity-routing'
  | 'alert-runbooks'
  | 'alert-fatigue'
  | 'runbook-ownership'
  | 'runbook-maintenance'
  | 'secrets-management'
  | 'least-privilege'
  | 'network-exposure'
  | 'encryption-at-rest'
  | 'encryption-in-transit'
  | 'data-protection'
  | 'patch-management'
  | 'supply-chain-pinning'
  | 'cost-allocation'
  | 'capacity-planning'
  | 'health-checks'
  | 'idempotent-automation'
  | 'error-handling'
  | 'readable-automation'
  | 'valid-configuration'
  | 'incident-response'
  | 'slo-error-budget'
  | 'blameless-postmortem'
  | 'backup-restore'
  | 'log-retention'
  | 'high-availability'
  | 'vulnerability-scanning';

/** A check of another tool that covers the same ground (for SARIF `properties` and the README crosswalk). */
export interface Equivalent {
  tool: 'ansible-lint' | 'tflint' | 'checkov' | 'trivy' | 'kics' | 'kube-linter' | 'actionlint' | 'zizmor' | 'promtool' | 'pint' | 'markdownlint' | 'amtool';
  id: string;
}

export interface RuleMeta {
  /** Stable id `<category>/<name>`; also the docs path `docs/rules/<category>/<name>.md`. */
  id: string;
  /** One line, imperative-free: what is wrong when the rule fires. */
  description: string;
  defaultSeverity: Severity;
  practice: Practice;
  /** File kinds the rule runs on. */
  kinds: readonly FileKind[];
  /** True when at least one finding carries a fix. */
  fixable?: boolean;
  /** The rule reads other files through the index (re-run when they change). */
  crossFile?: boolean;
  /**
   * The practice matters only for what runs in production (probes, resource requests, pinned
   * images, prevent_destroy, cost tags): the linter skips the rule on files the config's
   * `nonProduction` globs match or whose header says they are for demo or testing only.
   */
  productionOnly?: boolean;
  /**
   * A literal-secret rule: on the same non-production files (examples, tests, demos, fixtures,
   * deprecated code) it reports only values shaped like a real credential (a private key, a
   * provider's token format), through `throwAwaySample` (nonProduction.ts), and likewise in files
   * that configure a throw-away environment (a local Compose stack, a Vagrant VM, a test or lab
   * inventory: localEnvironment.ts): the fake passwords of a test, an example or a lab are there
   * by design; a leaked key is a leak anywhere.
   */
  credentialsOnlyOffProduction?: boolean;
  /**
   * Rules whose finding on the same line of the same file has this rule's cause: one decision is
   * one finding, so when both report a line, only this rule's finding stays (it takes the other's
   * fixes). Example: a plaintext password passed to a task without `no_log` is one finding of
   * `ansible/secret-plaintext`, not a second one of `ansible/no-log-missing`. See subsumption.ts.
   */
  subsumes?: readonly string[];
  /**
   * What the rule examines, counted by checklist evidence (see subjects.ts): a checklist item is
   * `pass` only when at least one subject was examined. Default: every file of `kinds`.
   */
  subject?: SubjectId;
  equivalents?: readonly Equivalent[];
  /**
   * `all`: the rule runs only under `profile: all` or when `.opsreview.yml` names it in `rules:`
   * (a convention many teams do not keep, so its findings were mostly one decision or noise on
   * public repositories). Default: in the `recommended` profile.
   */
  profile?: 'all';
  /**
   * The rule checks a repository-wide convention (an owner label on every alert, pinned actions,
   * an Impact section in every postmortem). Its findings carry `convention` keys; when no
   * subject of the whole workspace follows a key, the linter's convention pass reports that
   * once, at repository level, instead of once per subject.
   */
  convention?: ConventionMeta;
}

export interface ConventionMeta {
  /** What the rule judges, plural: `alerts`, `action items`, `taggable resources`. */
  subjects(ctx: RuleContext<any>): number;
  /** The subjects' noun, plural (`alerts`). */
  noun: string;
  /** What following the convention means for these keys, after "none of the N alerts …": `carries an owner label`. */
  follows(keys: readonly string[]): string;
  /**
   * How to adopt it, or decide against it, in one sentence: the template to change, the option
   * of `.opsreview.yml` to set (`terraform.requiredTags`), or the rule to switch off.
   */
  adopt(keys: readonly string[]): string;
  /**
   * Whether the repository-level finding for a convention nobody follows is reported under the
   * `recommended` profile. Default no: a repository that keeps no owner labels, Impact sections
   * or tag keys made a decision the judges of issue 15 read as policy, not a fix; the
   * stragglers of a convention the repository does follow are still reported one by one. Yes
   * for hazards that are one decision too (no module version pinned anywhere).
   */
  unadoptedInRecommended?: boolean;
}

export interface RuleContext<P extends ParsedFile = ParsedFile> {
  file: IndexedFile;
  parsed: P;
  config: OpsReviewConfig;
  index: IndexView;
  /** "Today" for date-based rules, injectable so tests are deterministic. */
  now: Date;
}

/** A rule is a small pure function of the parsed file (and the index, for cross-file rules). */
export interface Rule<P extends ParsedFile = ParsedFile> {
  meta: RuleMeta;
  check(ctx: RuleContext<P>): RuleFinding[];
}

/** Repository-relative docs page of a rule. */
export function docsPath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}
