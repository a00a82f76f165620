import type { ChecklistInput } from '../schema';

// Before a service takes production traffic (or at its yearly review): it has targets, alerts
// someone owns, capacity, health checks, backups that restore, cost tags and an escalation path.
export const productionReadiness: ChecklistInput = {
  id: 'production-readiness',
  title: 'Production readiness',
  description: 'Before a service takes production traffic: service levels, alerting with owners and runbooks, capacity, health checks, backups with a tested restore, cost allocation and an escalation path.',
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
          id: 'runbooks-owned',
          text: 'Runbooks name their owner and service.',
          why: 'An unowned runbook is not maintained.',
          practice: 'runbook-ownership',
          evidence: { rules: ['runbook/owner-missing'] },
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
          id: 'disruption-budgets',
          text: 'Replicated workloads have a PodDisruptionBudget.',
          why: 'Redundancy only helps if maintenance cannot take every replica down at once.',
          practice: 'capacity-planning',
          evidence: { rules: ['k8s/pdb-missing'] },
        },
        {
          id: 'capacity-plan',
          text: 'A capacity plan exists from traffic growth, resource trends and launch plans, and a load test at the expected peak passed.',
          why: 'Capacity planning and regular stress tests keep growth from becoming an incident.',
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
          text: 'Databases keep backups long enough, and stateful resources are protected from deletion.',
          why: 'Backups are automated, not a manual chore; a database deleted by a plan has no backup to restore.',
          practice: 'backups',
          evidence: { rules: ['terraform/backup-missing', 'terraform/prevent-destroy-missing'] },
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
      id: 'operations',
      title: 'Cost and escalation',
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
