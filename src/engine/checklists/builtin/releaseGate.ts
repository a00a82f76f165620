import type { ChecklistInput } from '../schema';

// Walked before a production release. Evidence items are decided from the workspace; the rest
// are the things only the people shipping can vouch for.
export const releaseGate: ChecklistInput = {
  id: 'release-gate',
  title: 'Release gate',
  description: 'Before a production release: verified, approved, rolled out progressively, with a rollback plan that is written and rehearsed, and the people who run the service ready for it.',
  sections: [
    {
      id: 'verification',
      title: 'Verification and approval',
      items: [
        {
          id: 'tests-green',
          text: 'Tests and security scans are green on the exact commit being released.',
          why: 'A release gate is defined before the release: what ships is what was tested, not a neighbouring commit.',
          practice: 'release-gates',
          manual: true,
        },
        {
          id: 'deploy-jobs-gated',
          text: 'Every production deploy job waits for the tests and an approval (protected environment, `needs:` on the test job, or a manual gate).',
          why: 'CI/CD automates the standard deployment process; a deploy job nothing gates ships whatever reaches the branch.',
          practice: 'release-gates',
          evidence: { rules: ['deploy/gate-missing'] },
        },
        {
          id: 'images-scanned',
          text: 'Container images the pipeline builds are scanned for vulnerabilities before they are pushed.',
          why: 'Vulnerability scanning belongs in the pipeline, before an image reaches production.',
          practice: 'patch-management',
          evidence: { rules: ['deploy/scan-missing'] },
        },
        {
          id: 'change-approved',
          text: 'The change is approved (pull request review or change ticket) by someone other than its author.',
          why: 'A second pair of eyes is part of the release gate; the approval is the record that it happened.',
          practice: 'release-gates',
          manual: true,
        },
      ],
    },
    {
      id: 'rollout',
      title: 'Rollout strategy',
      items: [
        {
          id: 'rollout-strategy',
          text: 'A rollout strategy is chosen for the risk and the traffic (canary or blue/green), with the metrics that promote or abort it (error rate, p99 latency) and their thresholds.',
          why: 'Zero-downtime strategies are chosen by risk and traffic; a canary without success metrics is a slow full rollout.',
          practice: 'progressive-rollout',
          manual: true,
        },
        {
          id: 'plays-in-batches',
          text: 'Plays that deploy or restart services roll out in batches (`serial`, `max_fail_percentage`).',
          why: 'A progressive rollout limits the blast radius: a bad change stops after the first batch.',
          practice: 'progressive-rollout',
          evidence: { rules: ['ansible/serial-missing'] },
        },
        {
          id: 'images-pinned',
          text: 'Manifests pin image tags, so what rolls out, and what a rollback restores, is fixed.',
          why: 'A rollback to `:latest` restores nothing in particular.',
          practice: 'rollback-plan',
          evidence: { rules: ['k8s/image-latest'] },
        },
        {
          id: 'readiness-probes',
          text: 'Workloads have readiness probes, so the rollout can tell healthy pods from broken ones.',
          why: 'Without a health check a rolling update promotes broken pods as fast as healthy ones.',
          practice: 'health-checks',
          evidence: { rules: ['k8s/probes-missing'] },
        },
      ],
    },
    {
      id: 'rollback',
      title: 'Rollback plan',
      items: [
        {
          id: 'deploy-process-written',
          text: 'The deployment process is written down: a deploy runbook (`type: deploy` or `release`) or a CI/CD pipeline.',
          why: 'A standard deployment process, automated or written, so the release does not depend on who is on shift.',
          practice: 'release-gates',
          evidence: { queries: [{ exists: ['runbook', 'github-workflow', 'gitlab-ci', 'cloud-build'], type: ['deploy', 'release'], label: 'a deploy runbook (type deploy or release) or a CI/CD pipeline exists' }] },
        },
        {
          id: 'rollback-written',
          text: 'Every deploy runbook has a rollback section with concrete steps.',
          why: 'Every release carries a rollback plan; it is prepared before the release, not worked out during the incident.',
          practice: 'rollback-plan',
          evidence: { rules: ['runbook/rollback-missing', 'runbook/rollback-empty'] },
        },
        {
          id: 'rollback-automated',
          text: 'Deploy jobs have a rollback path and plays that change hosts have a `rescue`.',
          why: 'A rollback prepared in the automation runs in minutes; a manual one is improvised under pressure.',
          practice: 'rollback-plan',
          evidence: { rules: ['deploy/rollback-missing', 'ansible/rollback-missing'] },
        },
        {
          id: 'rollback-rehearsed',
          text: 'The rollback was rehearsed for this release (in staging) and the time it takes is known.',
          why: 'The rollback is prepared and tested; an untested rollback is a hope, not a plan.',
          practice: 'rollback-plan',
          manual: true,
        },
        {
          id: 'migrations-compatible',
          text: 'Database migrations are backward compatible (expand, then contract): the previous version runs against the new schema.',
          why: 'A rollback of the code cannot roll back a destructive migration; compatibility keeps the rollback possible.',
          practice: 'rollback-plan',
          manual: true,
        },
        {
          id: 'feature-flags',
          text: 'Risky behaviour is behind a feature flag that can be switched off without a deploy.',
          why: 'Turning a flag off is the fastest rollback there is.',
          practice: 'progressive-rollout',
          manual: true,
        },
      ],
    },
    {
      id: 'reliability',
      title: 'Error budget and observability',
      items: [
        {
          id: 'error-budget-left',
          text: 'The service has error budget left this period; if it is spent, this release is a reliability fix.',
          why: 'When the error budget is spent, feature work pauses and the team works on reliability until it recovers.',
          practice: 'error-budget',
          manual: true,
        },
        {
          id: 'slo-burn-alerts',
          text: 'The service\'s SLOs have burn-rate alerts.',
          why: 'An SLO nobody is alerted on cannot protect the error budget during the release.',
          practice: 'alert-severity-routing',
          evidence: { rules: ['slo/burn-rate-alert-missing'] },
        },
        {
          id: 'alerts-have-runbooks',
          text: 'Every alert links to a runbook that exists.',
          why: 'Runbooks are maintained for alerts: whoever is paged during the rollout has a next step.',
          practice: 'alert-runbooks',
          evidence: { rules: ['alert/runbook-missing', 'alert/runbook-broken'] },
        },
        {
          id: 'alerts-for-change',
          text: 'Alerts and dashboards cover what the change touches (new endpoints, queues, dependencies).',
          why: 'Monitoring design comes with the change, so a regression is detected by an alert, not by customers.',
          practice: 'monitoring',
          manual: true,
        },
        {
          id: 'runbooks-updated',
          text: 'Runbooks the change affects are updated, with a fresh `last_reviewed` date.',
          why: 'A runbook that describes last quarter\'s system misleads the person paged tonight.',
          practice: 'runbook-maintenance',
          manual: true,
        },
      ],
    },
    {
      id: 'people',
      title: 'On-call and communication',
      items: [
        {
          id: 'oncall-aware',
          text: 'On-call knows the release window, the rollback trigger and who decides to roll back.',
          why: 'Incident response starts with a team that knows what changed and when.',
          practice: 'incident-response',
          manual: true,
        },
        {
          id: 'communication-plan',
          text: 'Stakeholders and support know what changes and when; a status-page note is ready if customers could notice.',
          why: 'Communication protocols are part of the release, not an afterthought of the incident.',
          practice: 'incident-response',
          manual: true,
        },
      ],
    },
  ],
};
