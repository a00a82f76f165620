import type { Range, Severity } from '../types';

// The service model: what the repository's files say about each service, joined across kinds.
// Built by services/infer.ts from the index alone (no configuration needed); the CLI's
// `services` command, the language server's Services view and Service Overview panel, and the
// rule service/owner-mismatch all read this one model, so they cannot disagree.

/** Where a service (or its owner) was read from. */
export type ServiceSource = 'config' | 'runbook' | 'alert' | 'slo' | 'workload' | 'terraform' | 'deploy' | 'ansible';

export const SOURCE_LABELS: Record<ServiceSource, string> = {
  config: '.opsreview.yml',
  runbook: 'runbooks',
  alert: 'alert labels',
  slo: 'SLO specs',
  workload: 'Kubernetes labels',
  terraform: 'Terraform tags',
  deploy: 'deploy jobs',
  ansible: 'Ansible roles',
};

/** A place in the workspace: absolute path for tools, relative path for people, 0-based line. */
export interface Place {
  path: string;
  relPath: string;
  line: number;
}

export interface OwnerClaim extends Place {
  source: ServiceSource;
  /** As written. */
  owner: string;
  /** Compared form (`team-payments` and `@org/payments` are `payments`). */
  key: string;
  /** The owner value's range, for the finding and its fix. */
  range: Range;
}

export interface ServiceRunbook extends Place {
  title: string;
  kind: 'runbook' | 'postmortem';
  hasRollback: boolean;
  /** How the runbook was attributed: `frontmatter`, `folder`, `alert`. */
  via: string;
}

export interface ServiceAlert extends Place {
  name: string;
  severity?: string;
  /** The runbook link as written, and the workspace file it leads to when it leads to one. */
  runbookUrl?: string;
  runbookRelPath?: string;
  receivers: string[];
  pages: boolean;
  owner?: string;
}

export interface ServiceSlo extends Place {
  name: string;
  format: string;
  /** `enabled` when the SLO tool generates burn-rate alerts (Sloth, Pyrra, OpenSLO policies). */
  alerting: 'enabled' | 'disabled' | 'absent';
  /** Alerting rules of the workspace that alert on this SLO's burn rate. */
  burnRateAlerts: string[];
}

export interface ServiceWorkload extends Place {
  kind: string;
  name: string;
  namespace?: string;
  replicas?: number;
  images: string[];
}

export interface ServiceInfra extends Place {
  type: 'resource' | 'module' | 'ansible-role';
  address: string;
}

export interface ServiceDeployJob extends Place {
  id: string;
  production: boolean;
  /** What gates it (`environment: production`, `needs: test`), when it is a gated production deploy. */
  gate?: string;
  /** What it deploys, as read from its commands (manifests, images, releases). */
  deploys: string[];
}

export interface Scorecard {
  alertsWithRunbook: Ratio;
  runbooksWithRollback: Ratio;
  slosWithBurnRate: Ratio;
  productionDeploysGated: Ratio;
  /** True when every kind that names an owner names the same one; undefined when none or one does. */
  ownerAgreed?: boolean;
}

export interface Ratio {
  met: number;
  of: number;
}

export interface Service {
  name: string;
  /** Names merged into this service (workload names, release names, folder names). */
  aliases: string[];
  /** Kinds of files the service was inferred from. */
  sources: ServiceSource[];
  /** The owner the kinds agree on (or the one most kinds name). */
  owner?: string;
  owners: OwnerClaim[];
  runbooks: ServiceRunbook[];
  alerts: ServiceAlert[];
  slos: ServiceSlo[];
  workloads: ServiceWorkload[];
  infrastructure: ServiceInfra[];
  deployJobs: ServiceDeployJob[];
  findings: Record<Severity, number>;
  scorecard: Scorecard;
  /** Spans of files (0-based lines, inclusive) that belong to the service, for findings and hovers. */
  spans: { path: string; start: number; end: number }[];
}

/** An owner disagreement: one kind's owner against the one the others agree on. */
export interface OwnerMismatch {
  service: string;
  /** The outlier claim (where the finding goes). */
  claim: OwnerClaim;
  /** The owner the other kinds name, and one place that says so. */
  expected: OwnerClaim;
  /** Every kind that names the expected owner. */
  agreeing: ServiceSource[];
}

export interface ServiceModel {
  services: Service[];
  mismatches: OwnerMismatch[];
}
