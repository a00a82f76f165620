import { nodeRange, YamlFile } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { ciJobs, gateOf, gitlabStages, manualOnly, productionDeploy, yamlOf } from './ciJobs';
import { nonProductionPath } from '../../nonProduction';

// Release gates decide before a release what must hold for it to reach production: tests
// passed, a person approved. A deploy job that runs on every push with nothing before it ships
// whatever was merged.
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'deploy/gate-missing',
    description: 'A production deploy job has no gate: no protected environment, no test job it needs, no manual approval.',
    defaultSeverity: 'warning',
    productionOnly: true,
    practice: 'release-gates',
    kinds: ['github-workflow', 'gitlab-ci', 'cloud-build'],
    subject: 'production-deploy-job',
    // Not in the recommended profile: on public repositories none of 6 judged findings over three
    // rounds was one a maintainer would act on. The gate was outside the file: a GitOps apply on
    // push to an environment branch after the pull request's reviewed plan (the merge, under
    // branch protection, is the gate), a Cloud Deploy release (approvals in the delivery
    // pipeline), or a job deploying throw-away test infrastructure.
    profile: 'all',
  },
  check(ctx) {
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    const kind = ctx.file.kind;
    const jobs = ciJobs(file, kind);
    const stages = kind === 'gitlab-ci' ? gitlabStages(file) : [];
    const manual = kind === 'github-workflow' && manualOnly(file);
    const out: RuleFinding[] = [];
    for (const job of jobs) {
      const why = productionDeploy(job, (rel) => nonProductionPath(rel, ctx.config));
      if (!why || gateOf(job, jobs, kind, stages, manual)) continue;
      const how =
        kind === 'github-workflow'
          ? 'set `environment: production` (with required reviewers in the repository settings) and `needs:` the test job'
          : kind === 'cloud-build'
            ? 'run the tests in a step this one waits for (`waitFor:`), and require approval on the build trigger (`approvalConfig`)'
            : 'add `when: manual` (or a protected `environment:`) and `needs:` the test job';
      out.push({ range: nodeRange(file, job.pair.key), message: `${kind === 'cloud-build' ? 'Step' : 'Job'} '${job.id}' deploys to production (${why}) without a release gate: ${how}.` });
    }
    return out;
  },
};
