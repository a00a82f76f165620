import { isMap, isScalar, Node, Pair, Scalar } from 'yaml';
import { getNode, getPair, keyName, nodeRange, pairs, stringValue, YamlFile, YNode } from '../../parsers/yaml';
import type { Fix, RuleFinding } from '../../types';
import type { Rule } from '../types';
import { ciJobs, deploysAnywhere, yamlOf } from './ciJobs';

// Least privilege for the pipeline itself. The GITHUB_TOKEN of a job gets the repository's
// default permissions unless the workflow or the job says otherwise, and on many organisations
// and older repositories that default is read-write on everything; `write-all` asks for it
// explicitly. A deploy job holds production credentials as well, so a compromised step (a
// moved action tag, an injected script) can push code, tags and releases with it. Long-lived
// cloud keys kept in repository secrets are the other half: GitHub's OIDC provider gives a job
// credentials that expire with it, scoped by a trust policy to this repository and branch.

/** Actions that take a long-lived cloud credential as an input, and what to use instead. */
const KEY_INPUTS: { action: RegExp; input: string; cloud: string; instead: string }[] = [
  {
    action: /^aws-actions\/configure-aws-credentials@/,
    input: 'aws-access-key-id',
    cloud: 'AWS access key',
    instead: 'grant `id-token: write` and pass `role-to-assume:` (an IAM role whose trust policy names token.actions.githubusercontent.com and this repository)',
  },
  {
    action: /^google-github-actions\/auth@/,
    input: 'credentials_json',
    cloud: 'Google service account key',
    instead: 'grant `id-token: write` and pass `workload_identity_provider:` and `service_account:` (Workload Identity Federation)',
  },
  {
    action: /^azure\/login@/,
    input: 'creds',
    cloud: 'Azure service principal secret',
    instead: 'grant `id-token: write` and pass `client-id:`, `tenant-id:` and `subscription-id:` (a federated credential on the app registration)',
  },
];

/** Environment variables that hand a long-lived cloud credential to the job's tools (CLI, Terraform providers). */
const KEY_ENV: Record<string, { cloud: string; instead: string }> = {
  AWS_ACCESS_KEY_ID: { cloud: 'AWS access key', instead: KEY_INPUTS[0].instead.replace('pass `role-to-assume:`', 'use aws-actions/configure-aws-credentials with `role-to-assume:`') },
  GOOGLE_CREDENTIALS: { cloud: 'Google service account key', instead: KEY_INPUTS[1].instead.replace('pass', 'use google-github-actions/auth with') },
  ARM_CLIENT_SECRET: { cloud: 'Azure service principal secret', instead: 'grant `id-token: write` and set `ARM_USE_OIDC: true` with `ARM_CLIENT_ID`/`ARM_TENANT_ID` (a federated credential on the app registration)' },
};

const FROM_SECRETS = /\$\{\{\s*secrets\./;
/** Inputs that mean the job already federates through OIDC (the fix then grants `id-token: write`). */
const OIDC_INPUTS = ['role-to-assume', 'workload_identity_provider', 'client-id'];

export const rule: Rule<YamlFile> = {
  meta: {
    id: 'deploy/permissions-broad',
    description: 'A workflow grants `permissions: write-all`, leaves a deploying job on the default token permissions, or hands a job long-lived cloud keys from secrets where OIDC would do.',
    defaultSeverity: 'warning',
    practice: 'least-privilege',
    kinds: ['github-workflow'],
    fixable: true,
    equivalents: [
      { tool: 'zizmor', id: 'excessive-permissions' },
      { tool: 'checkov', id: 'CKV2_GHA_1' },
    ],
  },
  check(ctx) {
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    const out: RuleFinding[] = [];
    const jobs = ciJobs(file, 'github-workflow');
    for (const doc of file.docs) {
      const root = doc.contents as YNode;
      if (!isMap(root) || !getPair(root, 'jobs')) continue;
      const top = getPair(root, 'permissions');
      const topWriteAll = writeAll(top);
      if (topWriteAll) out.push(writeAllFinding(file, top!, 'The workflow'));
      for (const job of jobs) {
        const own = getPair(job.node, 'permissions');
        if (writeAll(own)) out.push(writeAllFinding(file, own!, `Job '${job.id}'`));
      }
      // No `permissions:` anywhere that covers a deploying job: one finding per workflow (one
      // top-level block fixes all of them), on the first such job.
      if (!top) {
        const bare = jobs.map((job) => ({ job, why: getPair(job.node, 'permissions') ? undefined : deploysAnywhere(job) })).filter((j) => j.why);
        if (bare.length) {
          const [first] = bare;
          const names = bare.map((b) => `'${b.job.id}'`).join(', ');
          const oidc = jobs.some((j) => j.steps.some((s) => OIDC_INPUTS.some((i) => getNode(getNode(s.node, 'with'), i) !== undefined)));
          const fix = topLevelPermissionsFix(file, root, oidc);
          out.push({
            range: nodeRange(file, first.job.pair.key),
            message:
              `${bare.length > 1 ? `Jobs ${names} deploy` : `Job ${names} deploys (${first.why})`} with the default GITHUB_TOKEN permissions: neither the workflow nor the job sets \`permissions:\`, so the token gets the repository default, which may be read-write on everything. ` +
              `Add a top-level \`permissions:\` with \`contents: read\`${oidc ? ' and `id-token: write`' : ''}, and grant each job only the scopes it needs.`,
            fixes: fix ? [fix] : undefined,
          });
        }
      }
      // Long-lived cloud keys from repository secrets.
      const envs: { where: string; map: YNode }[] = [{ where: 'The workflow', map: getNode(root, 'env') }];
      for (const job of jobs) {
        envs.push({ where: `Job '${job.id}'`, map: getNode(job.node, 'env') });
        for (const step of job.steps) {
          const label = `Step '${step.name || step.uses || step.run.split('\n')[0]}' of job '${job.id}'`;
          envs.push({ where: label, map: getNode(step.node, 'env') });
          const spec = KEY_INPUTS.find((k) => k.action.test(step.uses));
          const input = spec ? getPair(getNode(step.node, 'with'), spec.input) : undefined;
          const value = stringValue(input?.value as YNode);
          if (spec && input && value && FROM_SECRETS.test(value)) {
            out.push({
              range: nodeRange(file, input.key as Node),
              message: `${label} gives ${step.uses.split('@')[0]} a long-lived ${spec.cloud} from repository secrets (\`${spec.input}: ${value.trim()}\`): a leaked key works until someone rotates it. GitHub's OIDC provider gives the job credentials that expire with it: ${spec.instead}, then delete the stored key.`,
            });
          }
        }
      }
      for (const { where, map } of envs) {
        for (const p of pairs(map)) {
          const name = keyName(p);
          const spec = name ? KEY_ENV[name] : undefined;
          const value = stringValue(p.value as YNode);
          if (!spec || !value || !FROM_SECRETS.test(value)) continue;
          out.push({
            range: nodeRange(file, p.key as Node),
            message: `${where} sets \`${name}\` from repository secrets: a long-lived ${spec.cloud} that works until someone rotates it. GitHub's OIDC provider gives the job credentials that expire with it: ${spec.instead}, then delete the stored key.`,
          });
        }
      }
    }
    return out;
  },
};

function writeAll(p: Pair<Scalar, Node> | undefined): boolean {
  return !!p && isScalar(p.value) && String(p.value.value).trim() === 'write-all';
}

function writeAllFinding(file: YamlFile, p: Pair<Scalar, Node>, who: string): RuleFinding {
  const range = nodeRange(file, p.value as Node);
  const key = nodeRange(file, p.key as Node);
  const indent = ' '.repeat(key.start.character + 2);
  // From just after the key to the end of the value: `permissions: write-all` becomes a block.
  const between = file.text.slice(file.lines.offsetAt(key.end), file.lines.offsetAt(range.start));
  const fix: Fix | undefined = /^[ \t]*:[ \t]*$/.test(between)
    ? { title: 'Replace write-all with contents: read', edits: [{ range: { start: key.end, end: range.end }, newText: `:${file.lines.eol}${indent}contents: read` }] }
    : undefined;
  return {
    range,
    message: `${who} grants \`permissions: write-all\`: every step gets a token that can push code, tags, releases and packages. Name the scopes it needs (\`contents: read\`, plus e.g. \`packages: write\` or \`id-token: write\` where a job needs them).`,
    fixes: fix ? [fix] : undefined,
  };
}

/** Inserts `permissions:` (read-only contents, and `id-token: write` when the workflow federates) above a top-level `jobs:`. */
function topLevelPermissionsFix(file: YamlFile, root: YNode, oidc: boolean): Fix | undefined {
  const jobsKey = getPair(root, 'jobs')?.key as Node | undefined;
  if (!jobsKey) return undefined;
  const at = nodeRange(file, jobsKey).start;
  if (at.character !== 0) return undefined;
  const eol = file.lines.eol;
  const body = ['permissions:', '  contents: read', ...(oidc ? ['  id-token: write'] : []), ''].join(eol);
  return {
    title: `Add top-level permissions: contents: read${oidc ? ', id-token: write' : ''}`,
    edits: [{ range: { start: at, end: at }, newText: body + eol }],
    isPreferred: true,
  };
}
