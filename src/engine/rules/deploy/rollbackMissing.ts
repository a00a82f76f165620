import { nodeRange, YamlFile } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { ciJobs, infrastructureApply, productionDeploy, rollbackPath, yamlOf } from './ciJobs';
import { nonProductionPath } from '../../nonProduction';

// A production deploy should carry its way back: a rollback job or step that runs when the
// deploy fails (`if: failure()`, GitLab `when: on_failure`), or a deploy that undoes itself
// (`helm upgrade --atomic`, `kubectl rollout undo`). Otherwise the rollback is improvised
// during the incident. An infrastructure apply (Terraform, Pulumi, CDK) has no such command: its
// way back is re-applying the previous commit, which the pipeline already does on a revert.
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'deploy/rollback-missing',
    description: 'A CI job deploys to production with no rollback job, failure step or self-reverting deploy.',
    defaultSeverity: 'warning',
    productionOnly: true,
    practice: 'rollback-plan',
    kinds: ['github-workflow', 'gitlab-ci', 'cloud-build'],
    subject: 'production-deploy-job',
    // Not in the recommended profile: on public repositories none of 14 judged findings over three
    // rounds was one a maintainer would act on. What the files show as a "production deploy" was
    // a Terraform apply (whose way back is re-applying the previous commit), a throw-away test
    // environment, or a Cloud Deploy release (rolled back per target by the delivery pipeline).
    profile: 'all',
  },
  check(ctx) {
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    const jobs = ciJobs(file, ctx.file.kind);
    const out: RuleFinding[] = [];
    for (const job of jobs) {
      const why = productionDeploy(job, (rel) => nonProductionPath(rel, ctx.config));
      if (!why || infrastructureApply(job) || rollbackPath(job, jobs, ctx.file.kind)) continue;
      const how =
        ctx.file.kind === 'github-workflow'
          ? 'add a rollback step with `if: failure()` (e.g. `kubectl rollout undo`, `helm rollback`), a rollback job, or deploy with `helm upgrade --atomic`'
          : ctx.file.kind === 'cloud-build'
            ? 'Cloud Build runs no step after a failure, so deploy with a command that reverts itself (`helm upgrade --atomic`) or to a revision without traffic (`gcloud run deploy --no-traffic`) that a later step promotes after a check'
            : 'add a rollback job with `when: on_failure` (e.g. `kubectl rollout undo`, `helm rollback`), or deploy with `helm upgrade --atomic`';
      out.push({ range: nodeRange(file, job.pair.key), message: `${ctx.file.kind === 'cloud-build' ? 'Step' : 'Job'} '${job.id}' deploys to production (${why}) with no rollback path: ${how}.` });
    }
    return out;
  },
};
