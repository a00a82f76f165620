import type { IndexedFile } from '../model';
import type { HclBlock, TerraformFile } from '../parsers/hclAst';
import { yamlOf } from '../parsers/yaml';
import type { FileKind } from '../types';
import { ciJobs, CiJob, productionDeploy } from './deploy/ciJobs';
import { pushOf } from './deploy/scanMissing';
import { workloads } from './k8s/workloads';

// What a rule (or a checklist query) examines, counted per file: the production deploy jobs of
// a workflow, the jobs that push an image, the IAM grants and ingress rules of any cloud, the
// workloads of a manifest. A checklist item is `pass` only when its evidence examined at least
// one subject and none failed; with no subject in scope it is `n/a`, and the reason names what
// was missing ("no production deploy job in this workspace"). A rule names its subject in its
// meta (`subject`); a rule without one examines every file of its kinds.
//
// A subject must count what the rule reads, not more: a subject the rule does not check would
// make the item pass by accident (the failure this module exists to prevent).

export const SUBJECT_IDS = [
  'production-deploy-job',
  'image-push-job',
  'iam-policy',
  'iam-grant',
  'network-ingress',
  'k8s-workload',
  'k8s-long-running',
  'k8s-replicated',
  'service-workload',
  'alert-rule',
  'budget',
  'spend-alert',
  'security-incident-runbook',
] as const;

export type SubjectId = (typeof SUBJECT_IDS)[number];

/** One thing a subject found in a file: a job, a resource, a workload (0-based line). */
export interface SubjectRef {
  name: string;
  line: number;
}

export interface SubjectDef {
  id: SubjectId;
  /** Singular, as in "no <noun> in this workspace". */
  noun: string;
  kinds: readonly FileKind[];
  find(file: IndexedFile): SubjectRef[];
}

// ---- CI jobs ---------------------------------------------------------------------------------

function jobRefs(file: IndexedFile, keep: (job: CiJob) => unknown): SubjectRef[] {
  const y = yamlOf(file.parsed);
  if (!y || (file.kind !== 'github-workflow' && file.kind !== 'gitlab-ci')) return [];
  return ciJobs(y, file.kind)
    .filter(keep)
    .map((job) => ({ name: `job '${job.id}'`, line: y.lines.positionAt(job.pair.key?.range?.[0] ?? 0).line }));
}

// ---- Terraform resources -----------------------------------------------------------------------

function tfBlocks(file: IndexedFile, match: (b: HclBlock) => boolean): SubjectRef[] {
  if (file.parsed.type !== 'terraform') return [];
  return (file.parsed as TerraformFile).body.blocks.filter((b) => (b.type === 'resource' || b.type === 'data') && b.labels.length >= 2 && match(b)).map((b) => ({ name: `${b.type === 'data' ? 'data.' : ''}${b.labels[0]}.${b.labels[1]}`, line: b.range.start.line }));
}

/** AWS identity policies (terraform/iam-wildcard reads their statements). */
const AWS_IAM_POLICY = /^aws_iam_(policy|role_policy|user_policy|group_policy)$/;
/** Role grants of Google Cloud (project, folder, organisation) and Azure (terraform/iam-primitive-role reads their roles). */
const ROLE_GRANT = /^(google_(project|folder|organization)_iam_(member|binding)|azurerm_role_assignment)$/;
/** Firewall rules of any cloud: AWS security groups and their rules, GCP firewalls, Azure NSGs and their rules. */
export const NETWORK_INGRESS = /^(aws_(default_)?security_group|aws_security_group_rule|aws_vpc_security_group_ingress_rule|google_compute_firewall|azurerm_network_security_group|azurerm_network_security_rule)$/;
/** Budgets of any cloud. */
export const BUDGET = /^(aws_budgets_budget|google_billing_budget|azurerm_consumption_budget_\w+)$/;
/** Long-running services outside Kubernetes. */
const TF_SERVICE = /^(aws_ecs_service|aws_lambda_function|aws_autoscaling_group|aws_elastic_beanstalk_environment|aws_apprunner_service|google_cloud_run_(service|v2_service)|google_compute_(region_)?instance_group_manager|google_app_engine_\w+_version|azurerm_(linux|windows)_web_app|azurerm_container_app|azurerm_kubernetes_cluster_node_pool|azurerm_(linux|windows)_virtual_machine_scale_set)$/;

function spendAlarm(b: HclBlock): boolean {
  if (b.type !== 'resource' || b.labels[0] !== 'aws_cloudwatch_metric_alarm') return false;
  const v = (n: string): string => {
    const a = b.attributes.find((x) => x.name === n);
    return a && a.value.type === 'string' ? a.value.value : '';
  };
  return v('metric_name') === 'EstimatedCharges' || v('namespace') === 'AWS/Billing';
}

// ---- alerts and runbooks -----------------------------------------------------------------------

const SPEND_WORDS = /\b(cost|costs|spend|spending|billing|budget|charges?|invoice)\b/i;
const SECURITY_INCIDENT = /\bsecurity\b[^\n]*\b(incident|breach|response)\b|\b(incident|breach)\b[^\n]*\bsecurity\b|\bdata\s+breach\b|\b(compromised?|intrusion|ransomware)\b|\bleak(ed)?\s+(credentials?|secrets?|keys?|tokens?)\b|\b(credentials?|secrets?|keys?|tokens?)\s+(leak|leaked|exposed|exposure)\b/i;

function securityIncidentRunbook(file: IndexedFile): SubjectRef[] {
  const rb = file.runbook;
  if (!rb) return [];
  const tags = rb.tags.map((t) => t.toLowerCase());
  const tagged = tags.includes('security-incident') || (tags.includes('security') && (rb.type ?? '').toLowerCase() === 'incident');
  const hit = tagged || SECURITY_INCIDENT.test(rb.title) || rb.sections.some((s) => SECURITY_INCIDENT.test(s.title));
  return hit ? [{ name: rb.title || file.relPath, line: 0 }] : [];
}

// ---- the table ---------------------------------------------------------------------------------

const SERVICE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const REPLICATED_KINDS = new Set(['Deployment', 'StatefulSet']);

function k8sWorkloads(f: IndexedFile, kinds?: Set<string>): SubjectRef[] {
  const y = yamlOf(f.parsed);
  if (!y) return [];
  return workloads(y)
    .filter((w) => !kinds || kinds.has(w.kind))
    .map((w) => ({ name: `${w.kind} '${w.name}'`, line: y.lines.positionAt(w.object.range?.[0] ?? 0).line }));
}

export const SUBJECTS: Readonly<Record<SubjectId, SubjectDef>> = {
  'production-deploy-job': {
    id: 'production-deploy-job',
    noun: 'production deploy job',
    kinds: ['github-workflow', 'gitlab-ci', 'cloud-build'],
    find: (f) => jobRefs(f, productionDeploy),
  },
  'image-push-job': {
    id: 'image-push-job',
    noun: 'job that pushes a container image',
    kinds: ['github-workflow', 'gitlab-ci', 'cloud-build'],
    find: (f) => jobRefs(f, pushOf),
  },
  'iam-policy': {
    id: 'iam-policy',
    noun: 'AWS IAM policy',
    kinds: ['terraform'],
    find: (f) =>
      tfBlocks(
        f,
        (b) =>
          (b.type === 'resource' && AWS_IAM_POLICY.test(b.labels[0])) ||
          (b.type === 'data' && b.labels[0] === 'aws_iam_policy_document') ||
          (b.type === 'resource' && b.labels[0] === 'aws_iam_role' && b.blocks.some((x) => x.type === 'inline_policy')),
      ),
  },
  'iam-grant': {
    id: 'iam-grant',
    noun: 'Google Cloud or Azure role grant',
    kinds: ['terraform'],
    find: (f) => tfBlocks(f, (b) => (b.type === 'resource' && ROLE_GRANT.test(b.labels[0])) || (b.type === 'data' && b.labels[0] === 'google_iam_policy')),
  },
  'network-ingress': {
    id: 'network-ingress',
    noun: 'security group or firewall rule',
    kinds: ['terraform'],
    find: (f) => tfBlocks(f, (b) => b.type === 'resource' && NETWORK_INGRESS.test(b.labels[0])),
  },
  'k8s-workload': {
    id: 'k8s-workload',
    noun: 'Kubernetes workload',
    kinds: ['k8s-manifest'],
    find: (f) => k8sWorkloads(f),
  },
  'k8s-long-running': {
    id: 'k8s-long-running',
    noun: 'Deployment, StatefulSet or DaemonSet',
    kinds: ['k8s-manifest'],
    find: (f) => k8sWorkloads(f, SERVICE_KINDS),
  },
  'k8s-replicated': {
    id: 'k8s-replicated',
    noun: 'Deployment or StatefulSet',
    kinds: ['k8s-manifest'],
    find: (f) => k8sWorkloads(f, REPLICATED_KINDS),
  },
  'service-workload': {
    id: 'service-workload',
    noun: 'service workload (Deployment, StatefulSet, DaemonSet, or a cloud service in Terraform)',
    kinds: ['k8s-manifest', 'terraform'],
    find: (f) => {
      if (f.kind === 'terraform') return tfBlocks(f, (b) => b.type === 'resource' && TF_SERVICE.test(b.labels[0]));
      return k8sWorkloads(f, SERVICE_KINDS);
    },
  },
  'alert-rule': {
    id: 'alert-rule',
    noun: 'alert rule',
    kinds: ['alert-rules', 'k8s-manifest'],
    find: (f) => (f.alerts ?? []).map((a) => ({ name: `alert '${a.name}'`, line: a.line })),
  },
  budget: {
    id: 'budget',
    noun: 'budget resource (aws_budgets_budget, google_billing_budget, azurerm_consumption_budget_*)',
    kinds: ['terraform'],
    find: (f) => tfBlocks(f, (b) => b.type === 'resource' && (BUDGET.test(b.labels[0]) || spendAlarm(b))),
  },
  'spend-alert': {
    id: 'spend-alert',
    noun: 'alert on spend',
    kinds: ['alert-rules', 'terraform'],
    find: (f) => {
      if (f.kind === 'terraform') return tfBlocks(f, spendAlarm);
      return (f.alerts ?? []).filter((a) => SPEND_WORDS.test(a.name.replace(/([a-z])([A-Z])/g, '$1 $2')) || SPEND_WORDS.test(a.annotations.summary ?? '') || SPEND_WORDS.test(a.annotations.description ?? '')).map((a) => ({ name: `alert '${a.name}'`, line: a.line }));
    },
  },
  'security-incident-runbook': {
    id: 'security-incident-runbook',
    noun: 'runbook for a security incident',
    kinds: ['runbook'],
    find: securityIncidentRunbook,
  },
};

export function isSubjectId(s: string): s is SubjectId {
  return (SUBJECT_IDS as readonly string[]).includes(s);
}

const cache = new WeakMap<IndexedFile, Map<SubjectId, SubjectRef[]>>();

/** The subjects of one kind in a file (cached per parsed file: the index replaces a file on change). */
export function subjectsIn(file: IndexedFile, id: SubjectId): SubjectRef[] {
  const def = SUBJECTS[id];
  if (!def.kinds.includes(file.kind)) return [];
  let byId = cache.get(file);
  if (!byId) cache.set(file, (byId = new Map()));
  let refs = byId.get(id);
  if (!refs) {
    try {
      refs = def.find(file);
    } catch {
      // A subject finder must never break the checklist: a file it cannot read has no subjects
      // (and if the file did not parse, the evaluator says so).
      refs = [];
    }
    byId.set(id, refs);
  }
  return refs;
}
