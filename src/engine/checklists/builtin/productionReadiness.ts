import type { ChecklistInput } from '../schema';

// Before a service takes production traffic (or at its yearly review): it has targets, alerts
// someone owns, capacity, health checks, backups that restore, cost tags and an escalation path.
export const productionReadiness: ChecklistInput = {
  id: 'production-readiness',
  title: 'Production readiness',
  description: 'Before a service takes production traffic: service levels, alerting with owners and runbooks, capacity, health checks, backups with a tested restore, cost allocation and budgets, and an escalation path.',
  sections: [
    {
      id: 'service-levels',
      title: 'Service levels',
      items: [
        {
          id: 'slis-slos-defined',
          text: 'SLIs (latency, error rate, availability) and SLO targets are written down and agreed with the service\'s users; the SLA, if any, is looser than the SLO.',
          why: 'Reliability targets come first: the SLO sets the error budget that decides between features and reliability work.',
          practice: 'error-budget',
          manual: true,
        },
        {
          id: 'slo-files-valid',
          text: 'SLO files have a valid objective, an owner and burn-rate alerts.',
          why: 'An objective of 100% leaves no error budget; an SLO without alerts or an owner protects nothing.',
          practice: 'error-budget',
          evidence: { rules: ['slo/objective-invalid', 'slo/owner-missing', 'slo/burn-rate-alert-missing'] },
        },
        {
          id: 'slo-for-workloads',
          text: 'A workspace that runs services has an SLO spec (Sloth, OpenSLO, Pyrra) for them.',
          why: 'Reliability targets come first: a service with no SLO has no error budget to decide by.',
          practice: 'error-budget',
          evidence: { queries: [{ exists: 'slo-spec', when: 'service-workload', label: 'an SLO spec exists for the services this workspace runs' }] },
        },
        {
          id: 'alerts-for-workloads',
          text: 'A workspace that runs services has alert rules for them.',
          why: 'Monitoring design comes with the service: a service nobody is alerted on fails silently.',
          practice: 'monitoring',
          evidence: { queries: [{ exists: 'alert-rules', when: 'service-workload', label: 'alert rules exist for the services this workspace runs' }] },
        },
      ],
    },
    {
      id: 'alerting',
      title: 'Alerting',
      items: [
        {
          id: 'alerts-owner-severity',
          text: 'Every alert has an owner and a severity from the agreed set.',
          why: 'Every alert has an owner, and alerts are routed by severity; both cut alert fatigue.',
          practice: 'alert-ownership',
          evidence: { rules: ['alert/owner-missing', 'alert/severity-missing'] },
        },
        {
          id: 'alerts-runbook',
          text: 'Every alert links to a runbook that exists.',
          why: 'Runbooks are maintained for alerts: the person paged has a documented next step.',
          practice: 'alert-runbooks',
          evidence: { rules: ['alert/runbook-missing', 'alert/runbook-broken'] },
        },
        {
          id: 'alerts-routed',
          text: 'Every severity reaches a receiver, and critical alerts page someone.',
          why: 'A critical alert routed to an email list reaches nobody at 3 a.m.',
          practice: 'alert-severity-routing',
          evidence: { rules: ['alertmanager/severity-unrouted', 'alertmanager/receiver-missing', 'alertmanager/critical-not-paging'] },
        },
        {
          id: 'alerts-grouped',
          text: 'Alertmanager groups related alerts (`group_by` on the root route) and mutes a warning while its critical twin fires (an inhibit rule).',
          why: 'One incident should page once: ungrouped, uninhibited alerts bury the signal and feed alert fatigue.',
          practice: 'alert-fatigue',
          evidence: { rules: ['alertmanager/grouping-missing'] },
        },
        {
          id: 'runbooks-owned',
          text: 'Every runbook names its owner, and carries the frontmatter the team requires (`runbooks.requiredFrontmatter`: owner, service and tags by default).',
          why: 'An unowned runbook is not maintained.',
          practice: 'runbook-ownership',
          evidence: { rules: ['runbook/frontmatter-missing'], queries: [{ every: 'runbook', frontmatter: ['owner'], label: 'every runbook names its owner (owner or team)' }] },
        },
      ],
    },
    {
      id: 'capacity',
      title: 'Capacity and health',
      items: [
        {
          id: 'resource-requests',
          text: 'Containers declare CPU and memory requests and a memory limit.',
          why: 'Capacity planning starts from what each workload asks for.',
          practice: 'capacity-planning',
          evidence: { rules: ['k8s/resources-missing'] },
        },
        {
          id: 'health-checks',
          text: 'Workloads have readiness probes.',
          why: 'Health checks let the platform route around broken instances and self-heal.',
          practice: 'health-checks',
          evidence: { rules: ['k8s/probes-missing'] },
        },
        {
          id: 'replicated',
          text: 'Production Deployments and StatefulSets run more than one replica (or an autoscaler keeps at least two).',
          why: 'One replica is one node drain, crash or rollout away from an outage; redundancy needs at least two.',
          practice: 'capacity-planning',
          evidence: { rules: ['k8s/single-replica'] },
        },
        {
          id: 'disruption-budgets',
          text: 'Replicated workloads have a PodDisruptionBudget.',
          why: 'Redundancy only helps if maintenance cannot take every replica down at once.',
          practice: 'capacity-planning',
          evidence: { rules: ['k8s/pdb-missing'] },
        },
        {
          id: 'capacity-plan',
          text: 'A capacity plan exists from traffic growth, resource trends and launch plans.',
          why: 'Capacity planning keeps growth from becoming an incident.',
          practice: 'capacity-planning',
          manual: true,
        },
        {
          id: 'load-tested',
          text: 'A load test at the expected peak passed this quarter.',
          why: 'Regular stress tests find the limit before the traffic does.',
          practice: 'capacity-planning',
          manual: true,
        },
        {
          id: 'burst-headroom',
          text: 'The expected peak times the headroom factor stays under the autoscaling maximum (HPA `maxReplicas`, the group\'s max size), and the cluster and cloud quotas can supply it.',
          why: 'An autoscaler capped below the burst, or a quota that runs out, turns a traffic spike into an outage.',
          practice: 'capacity-planning',
          manual: true,
        },
      ],
    },
    {
      id: 'data',
      title: 'Backups and restore',
      items: [
        {
          id: 'backups-configured',
          text: 'Databases keep automated backups long enough (`terraform.minBackupRetentionDays`).',
          why: 'Backups are automated, not a manual chore.',
          practice: 'backups',
          evidence: { rules: ['terraform/backup-missing'] },
        },
        {
          id: 'stateful-protected',
          text: 'Stateful resources are protected from deletion by a plan (`prevent_destroy` or deletion protection).',
          why: 'A database deleted by a rename in a plan takes its automated backups with it.',
          practice: 'backups',
          evidence: { rules: ['terraform/prevent-destroy-missing'] },
        },
        {
          id: 'restore-tested',
          text: 'A restore from backup was tested and timed this quarter, and the time fits the recovery objective.',
          why: 'A backup is only as good as the last restore that worked.',
          practice: 'backups',
          manual: true,
        },
      ],
    },
    {
      id: 'finops',
      title: 'Cost (FinOps)',
      items: [
        {
          id: 'cost-tags',
          text: 'Every taggable resource carries the cost-allocation tags (owner, environment, service).',
          why: 'Cost visibility per team and service needs cost-allocation tags on every resource.',
          practice: 'cost-allocation',
          evidence: { rules: ['terraform/tags-missing'] },
        },
        {
          id: 'log-retention',
          text: 'Log groups have a retention period.',
          why: 'Logs kept forever are a cost that grows forever.',
          practice: 'cost-allocation',
          evidence: { rules: ['terraform/log-retention-missing'] },
        },
        {
          id: 'budget-or-spend-alert',
          text: 'The cloud spend has a budget with alerts (`aws_budgets_budget`, `google_billing_budget`, `azurerm_consumption_budget_*`) or an alert rule on spend.',
          why: 'Budgets and forecasts are shared with finance; an alert on spend finds a runaway cost in days, not at the end of the month.',
          practice: 'cost-allocation',
          evidence: { queries: [{ exists: ['budget', 'spend-alert'], when: 'terraform', label: 'a budget resource or an alert on spend exists' }] },
        },
        {
          id: 'unused-resources-removed',
          text: 'Unused resources (idle instances, unattached volumes, old snapshots, forgotten environments) were reviewed this quarter and removed.',
          why: 'Unused resources are found and removed on a schedule, or they are paid for forever.',
          practice: 'cost-allocation',
          manual: true,
        },
        {
          id: 'commitments-reviewed',
          text: 'Commitment coverage (reserved instances, savings plans, committed use) and the use of spot or preemptible capacity were reviewed against the steady and the interruptible load.',
          why: 'Reserved and spot capacity are used deliberately: a commitment nobody sized is money spent either way.',
          practice: 'cost-allocation',
          manual: true,
        },
      ],
    },
    {
      id: 'escalation',
      title: 'Escalation',
      items: [
        {
          id: 'escalation-documented',
          text: 'Alert-response runbooks say how to escalate.',
          why: 'The person paged must know who to call when the runbook runs out.',
          practice: 'incident-response',
          evidence: { rules: ['runbook/escalation-missing'] },
        },
        {
          id: 'escalation-path',
          text: 'An escalation path exists: the on-call rotation, a secondary, the service owner and the vendors\' support contacts.',
          why: 'Incident response needs an organised, trained team and a way to reach it.',
          practice: 'incident-response',
          manual: true,
        },
      ],
    },
  ],
};
