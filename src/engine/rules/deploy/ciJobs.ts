import { isMap, isScalar, isSeq, Node, Pair, Scalar, YAMLMap } from 'yaml';
import { getNode, keyName, nodeRange, pairs, seqItems, stringValue, YamlFile, YNode } from '../../parsers/yaml';
import * as path from 'node:path';
import type { FileKind, Reference } from '../../types';
import { globMatcher } from '../../classify';
import { NON_PRODUCTION_DEFAULTS } from '../../config/schema';

export { yamlOf } from '../../parsers/yaml';

// A CI job as the deploy rules see it, for GitHub Actions and GitLab CI alike: its key, the
// environment it deploys to, its dependencies, its scripts and steps, and how it is triggered.

export interface CiStep {
  node: YAMLMap<Scalar, Node>;
  name: string;
  run: string;
  uses: string;
  if: string;
}

export interface CiJob {
  id: string;
  pair: Pair<Scalar, Node>;
  node: YAMLMap<Scalar, Node>;
  /** `name:` of the job (GitHub) or the id. */
  name: string;
  environment?: string;
  needs: string[];
  /** GitLab: the job's stage. */
  stage?: string;
  /** All script text of the job (GitHub `run:` steps, GitLab `script`/`before_script`/`after_script`). */
  script: string;
  steps: CiStep[];
  /** GitHub job-level `if:`; GitLab `when:` and each `rules[].when`. */
  conditions: string[];
  /** GitLab `when:` values (job level and rules). */
  whens: string[];
  /** True when the job explicitly lists `needs:` (GitLab: disables stage ordering). */
  hasNeeds: boolean;
  /** Environment variables the job's commands see (workflow/job/step `env:`, GitLab `variables:`), by name. */
  variables: Record<string, string>;
  /** GitHub `strategy.matrix` values by axis (for `environment: ${{ matrix.env }}`). */
  matrix: Record<string, string[]>;
  /** GitHub `workflow_dispatch`/`workflow_call` input values by name: a choice's options and the default (for `environment: ${{ inputs.env }}`). */
  inputs: Record<string, string[]>;
}

const GITLAB_RESERVED = new Set(['stages', 'variables', 'default', 'include', 'workflow', 'image', 'services', 'before_script', 'after_script', 'cache', 'spec']);


function str(n: YNode): string {
  return stringValue(n) ?? '';
}

function lines(n: YNode): string {
  if (isSeq(n)) return seqItems(n).map((i) => (isSeq(i) ? lines(i) : str(i))).join('\n');
  return str(n);
}

function envName(n: YNode): string | undefined {
  if (isMap(n)) return stringValue(getNode(n, 'name'));
  return stringValue(n);
}

/** A map of scalar values (`env:`, `variables:`; GitLab's `{ value: x }` form too). */
function stringMap(n: YNode): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs(n)) {
    const k = keyName(p);
    const v = isMap(p.value) ? stringValue(getNode(p.value, 'value')) : stringValue(p.value);
    if (k && v !== undefined) out[k] = v;
  }
  return out;
}

function matrixOf(n: YNode): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of pairs(getNode(getNode(n, 'strategy'), 'matrix'))) {
    const k = keyName(p);
    if (k && isSeq(p.value)) out[k] = seqItems(p.value).map(str).filter(Boolean);
  }
  return out;
}

/** Values a workflow input can take: `options:` of a choice, and `default:`. */
function inputsOf(root: YNode): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const on = getNode(root, 'on') ?? getNode(root, 'true');
  for (const trigger of ['workflow_dispatch', 'workflow_call']) {
    for (const p of pairs(getNode(getNode(on, trigger), 'inputs'))) {
      const k = keyName(p);
      if (!k) continue;
      const values = seqItems(getNode(p.value, 'options')).map(str);
      const def = stringValue(getNode(p.value, 'default'));
      if (def) values.push(def);
      out[k] = [...(out[k] ?? []), ...values.filter(Boolean)];
    }
  }
  return out;
}

function needsList(n: YNode): string[] {
  if (isScalar(n)) return [str(n)].filter(Boolean);
  return seqItems(n)
    .map((i) => (isMap(i) ? str(getNode(i, 'job')) : str(i)))
    .filter(Boolean);
}

export function ciJobs(file: YamlFile, kind: FileKind): CiJob[] {
  const out: CiJob[] = [];
  for (const doc of file.docs) {
    const root = doc.contents as YNode;
    if (kind === 'cloud-build') {
      out.push(...cloudBuildSteps(root));
      continue;
    }
    const globalVars = stringMap(getNode(root, kind === 'github-workflow' ? 'env' : 'variables'));
    if (kind === 'github-workflow') {
      const inputs = inputsOf(root);
      for (const p of pairs(getNode(root, 'jobs'))) {
        if (!isMap(p.value)) continue;
        const node = p.value as YAMLMap<Scalar, Node>;
        const id = keyName(p) ?? '';
        const steps: CiStep[] = seqItems(getNode(node, 'steps'))
          .filter((s) => isMap(s))
          .map((s) => ({ node: s as YAMLMap<Scalar, Node>, name: str(getNode(s, 'name')), run: str(getNode(s, 'run')), uses: str(getNode(s, 'uses')), if: str(getNode(s, 'if')) }));
        out.push({
          id,
          pair: p,
          node,
          name: stringValue(getNode(node, 'name')) ?? id,
          environment: envName(getNode(node, 'environment')),
          needs: needsList(getNode(node, 'needs')),
          script: steps.map((s) => s.run + '\n' + s.uses + '\n' + withArgs(s.node)).join('\n'),
          steps,
          conditions: [str(getNode(node, 'if'))].filter(Boolean),
          whens: [],
          hasNeeds: getNode(node, 'needs') !== undefined,
          variables: Object.assign({}, globalVars, stringMap(getNode(node, 'env')), ...steps.map((st) => stringMap(getNode(st.node, 'env')))),
          matrix: matrixOf(node),
          inputs,
        });
      }
    } else if (kind === 'gitlab-ci') {
      const templates = new Map<string, YAMLMap<Scalar, Node>>();
      for (const p of pairs(root)) if (isMap(p.value)) templates.set(keyName(p) ?? '', p.value as YAMLMap<Scalar, Node>);
      for (const p of pairs(root)) {
        const id = keyName(p) ?? '';
        if (!isMap(p.value) || id.startsWith('.') || GITLAB_RESERVED.has(id)) continue;
        const node = p.value as YAMLMap<Scalar, Node>;
        const chain = extendsChain(node, templates);
        const get = (k: string): YNode => {
          for (const m of chain) {
            const v = getNode(m, k);
            if (v !== undefined) return v;
          }
          return undefined;
        };
        const whens = [str(get('when'))];
        for (const r of seqItems(get('rules'))) whens.push(str(getNode(r, 'when')));
        out.push({
          id,
          pair: p,
          node,
          name: id,
          environment: envName(get('environment')),
          needs: needsList(get('needs')),
          stage: stringValue(get('stage')) ?? 'test',
          script: ['before_script', 'script', 'after_script'].map((k) => lines(get(k))).join('\n'),
          steps: [],
          conditions: whens.filter(Boolean),
          whens: whens.filter(Boolean),
          hasNeeds: get('needs') !== undefined,
          variables: Object.assign({}, globalVars, ...[...chain].reverse().map((m) => stringMap(getNode(m, 'variables')))),
          matrix: {},
          inputs: {},
        });
      }
    }
  }
  return out;
}

// ---- Google Cloud Build ----------------------------------------------------------------------

/**
 * The steps of a Cloud Build config, each as a job: its command is the step's `entrypoint` (or the
 * builder image's name, `gcr.io/cloud-builders/kubectl` runs `kubectl`) with its `args`, or its
 * `script`; it waits for the steps named in `waitFor` (all earlier steps when absent, none for
 * `'-'`); `substitutions` and `env` are its variables (`_ENV: prod` read as `ENV`).
 */
function cloudBuildSteps(root: YNode): CiJob[] {
  const out: CiJob[] = [];
  const substitutions: Record<string, string> = {};
  for (const [k, v] of Object.entries(stringMap(getNode(root, 'substitutions')))) substitutions[k.replace(/^_/, '')] = v;
  const ids: string[] = [];
  seqItems(getNode(root, 'steps')).forEach((step, i) => {
    if (!isMap(step)) return;
    const node = step as YAMLMap<Scalar, Node>;
    const pair = (node.items.find((p) => keyName(p) === 'id') ?? node.items.find((p) => keyName(p) === 'name')) as Pair<Scalar, Node> | undefined;
    if (!pair) return;
    const image = str(getNode(node, 'name'));
    const id = stringValue(getNode(node, 'id')) ?? `step-${i + 1}`;
    const entry = stringValue(getNode(node, 'entrypoint')) ?? image.split('@')[0].split(':')[0].split('/').pop() ?? '';
    const args = seqItems(getNode(node, 'args')).map(str);
    const shell = /^(ba|z|da)?sh$/.test(entry) && args[0] === '-c';
    const script = stringValue(getNode(node, 'script')) ?? (shell ? args.slice(1).join('\n') : [entry, ...args].join(' '));
    const waitFor = getNode(node, 'waitFor');
    const needs = waitFor === undefined ? [...ids] : seqItems(waitFor).map(str).filter((w) => w && w !== '-');
    const env: Record<string, string> = {};
    for (const e of seqItems(getNode(node, 'env')).map(str)) {
      const eq = e.indexOf('=');
      if (eq > 0) env[e.slice(0, eq)] = e.slice(eq + 1);
    }
    ids.push(id);
    out.push({
      id,
      pair,
      node,
      name: stringValue(getNode(node, 'id')) ?? image,
      needs,
      script,
      steps: [],
      conditions: [],
      whens: [],
      hasNeeds: true,
      variables: { ...substitutions, ...env },
      matrix: {},
      inputs: {},
    });
  });
  return out;
}

// ---- GitLab includes --------------------------------------------------------------------------

/**
 * The local files a GitLab pipeline includes (`include: local: /ci/deploy.yml`, `include:
 * '/ci/deploy.yml'`), resolved from the repository root as GitLab does. Remote, project and
 * template includes and wildcard paths are left out.
 */
export function gitlabIncludeReferences(file: YamlFile, root: string): Reference[] {
  const out: Reference[] = [];
  for (const doc of file.docs) {
    const inc = getNode(doc.contents as YNode, 'include');
    const items = isSeq(inc) ? seqItems(inc) : inc === undefined ? [] : [inc];
    for (const item of items) {
      const node = isMap(item) ? (getNode(item, 'project') === undefined ? getNode(item, 'local') : undefined) : item;
      const raw = stringValue(node)?.trim();
      if (!raw || /^[a-z][a-z0-9+.-]*:/i.test(raw) || /[*$]/.test(raw) || !/\.ya?ml$/i.test(raw)) continue;
      out.push({ target: path.posix.normalize(path.posix.join(root, raw.replace(/^\/+/, ''))), range: nodeRange(file, node), kind: 'ci_include', raw });
    }
  }
  return out;
}

/** `with:` inputs of a step flattened into text (e.g. helm `atomic: true`, deploy commands). */
function withArgs(step: YNode): string {
  return pairs(getNode(step, 'with'))
    .map((p) => `${keyName(p)}: ${str(p.value)}`)
    .join('\n');
}

/** The job followed by the templates it `extends` (nearest first), resolved within the file. */
function extendsChain(node: YAMLMap<Scalar, Node>, templates: Map<string, YAMLMap<Scalar, Node>>): YAMLMap<Scalar, Node>[] {
  const chain = [node];
  const seen = new Set<string>();
  const visit = (m: YAMLMap<Scalar, Node>) => {
    const ext = getNode(m, 'extends');
    const names = isSeq(ext) ? seqItems(ext).map(str).reverse() : [str(ext)];
    for (const n of names) {
      if (!n || seen.has(n)) continue;
      seen.add(n);
      const t = templates.get(n);
      if (t) {
        chain.push(t);
        visit(t);
      }
    }
  };
  visit(node);
  return chain;
}

// ---- what a job does --------------------------------------------------------------------------

const DEPLOY_COMMANDS: RegExp[] = [
  /\bkubectl\s+(\S+\s+)*?(apply|set\s+image|replace|rollout\s+restart|create)\b/,
  /\bhelm(file)?\s+(\S+\s+)*?(upgrade|install|apply|sync)\b/,
  /\bterraform\s+(\S+\s+)*?apply\b/,
  /\bterragrunt\s+(\S+\s+)*?apply\b/,
  // A wrapper script or make target around Terraform (`./tf-wrapper.sh apply prod`, `make apply`, `make deploy`).
  /(?:^|[\s;&|(])(?:\S*\/)?[\w.-]*(?:tf|terraform|terragrunt|tofu|infra|deploy)[\w.-]*\.sh\s+(?:\S+\s+)*?apply\b/,
  /\bmake\s+(?:-\S+\s+)*(?:\S+\s+)*?(?:[\w-]*-)?(?:apply|deploy)(?:-[\w-]+)?(?=\s|$|;|&)/,
  /\btofu\s+(\S+\s+)*?apply\b/,
  /\bansible-playbook\b/,
  /\bkustomize\s+build\b.*\|\s*kubectl\s+apply/,
  /\baws\s+ecs\s+update-service\b/,
  /\baws\s+deploy\s+create-deployment\b/,
  /\baws\s+lambda\s+update-function-code\b/,
  /\bgcloud\s+(\S+\s+)*?deploy\b/,
  /\baz\s+(webapp|functionapp|containerapp)\s+(\S+\s+)*?(deploy|update|up)\b/,
  /\b(serverless|sls)\s+deploy\b/,
  /\bcdk\s+deploy\b/,
  /\bpulumi\s+up\b/,
  /\bflyctl\s+deploy\b|\bfly\s+deploy\b/,
  /\bargocd\s+app\s+sync\b/,
  /\bcap\s+production\s+deploy\b/,
];
const DEPLOY_ACTIONS = /^(azure\/k8s-deploy|azure\/webapps-deploy|aws-actions\/amazon-ecs-deploy-task-definition|google-github-actions\/deploy-|deliverybot\/helm|wahyd4\/kubectl-helm-action|appleboy\/ssh-action)/;

const PROD_TOKENS = new Set(['prod', 'production', 'prd', 'live']);
const NON_PROD_TOKENS = new Set([
  'nonprod', 'preprod', 'staging', 'stage', 'stg', 'dev', 'development', 'test', 'tests', 'testing', 'qa', 'review', 'preview',
  'sandbox', 'uat', 'int', 'integration', 'demo', 'e2e', 'ci', 'pr', 'ephemeral', 'local', 'kind', 'minikube',
]);

function tokens(s: string): string[] {
  return s.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

/** `prod`, `production`, `prod-eu`, `live` (not `preprod`, `non-prod`). */
export function isProdName(s: string): boolean {
  const t = tokens(s);
  return t.some((x, i) => PROD_TOKENS.has(x) && t[i - 1] !== 'non' && t[i - 1] !== 'pre') && !isNonProdName(s);
}

export function isNonProdName(s: string): boolean {
  const t = tokens(s);
  // `pr123`, `pr-123` (a pull request's namespace) count as `pr`.
  return t.some((x, i) => NON_PROD_TOKENS.has(x) || /^pr\d+$/.test(x) || (x === 'prod' && (t[i - 1] === 'non' || t[i - 1] === 'pre')));
}

/** Where a command says which environment it targets: kube context, Terraform workspace, Ansible vars or inventory, namespace, project, stage. */
const TARGET_OPTIONS: RegExp[] = [
  /\bkubectl\s+config\s+use-context\s+(\S+)/g,
  /\bkubectx\s+(\S+)/g,
  /--(?:kube-)?context[=\s]+(\S+)/g,
  /\b(?:terraform|tofu|terragrunt)\s+workspace\s+(?:select|new)\s+(?:-\S+\s+)*(\S+)/g,
  /\bansible(?:-playbook)?\b[^\n]*?\s(?:-e|--extra-vars)[=\s]+["']?(?:\{[^}]*?["']?(?:env|environment|stage|target)["']?\s*:\s*["']?|[^"'\s]*?\b(?:env|environment|stage|target|deploy_env)=)([\w-]+)/g,
  /\bansible(?:-playbook)?\b[^\n]*?\s(?:-i|--inventory)[=\s]+(\S+)/g,
  /\b(?:terraform|tofu|terragrunt)\b[^\n]*?\s-var-file[=\s]+(\S+)/g,
  /\b(?:kubectl|helm)\b[^\n]*?\s(?:-n|--namespace)[=\s]+(\S+)/g,
  /\bgcloud\b[^\n]*?\s--project[=\s]+(\S+)/g,
  /\b(?:serverless|sls)\b[^\n]*?\s(?:-s|--stage)[=\s]+(\S+)/g,
  // Action inputs (`with:`), flattened into `key: value` lines.
  /^(?:context|kube-context|kube_context|namespace|environment|workspace|cluster|cluster[-_]name|stage|project[-_]id|project):[ \t]*(\S+)$/gm,
];
/** Variables naming the target environment (`TF_WORKSPACE: production`, `DEPLOY_ENV=prod`). */
const TARGET_VARIABLE = /^(TF_WORKSPACE|KUBE_?CONTEXT|(DEPLOY|TARGET|APP|RAILS|NODE)_?ENV(IRONMENT)?|ENV(IRONMENT)?|STAGE)$/i;
/** Jobs that deploy into a throwaway cluster they create (kind, minikube, k3d) are tests. */
const LOCAL_CLUSTER = /\bkind\s+create\s+cluster\b|\bminikube\s+start\b|\bk3d\s+cluster\s+create\b|^(helm\/kind-action|medyagh\/setup-minikube|AbsaOSS\/k3d-action|nolar\/setup-k3d-k3s|engineerd\/setup-kind)\b/m;

/** The environments a job's commands and variables name as their target (templated values left out), each with where it was seen. */
export function deployTargets(job: CiJob): { name: string; seen: string }[] {
  const out: { name: string; seen: string }[] = [];
  const text = job.script.replace(/\\\r?\n/g, ' ');
  for (const re of TARGET_OPTIONS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const value = m[1].replace(/^["']|["']$/g, '');
      if (!/\$|\{\{/.test(value)) out.push({ name: value, seen: m[0].trim().replace(/\s+/g, ' ') });
    }
  }
  for (const [k, v] of Object.entries(job.variables)) {
    if (TARGET_VARIABLE.test(k) && !/\$|\{\{/.test(v)) out.push({ name: v, seen: `${k}: ${v}` });
  }
  // `PGHOST=… TF_WORKSPACE=prod terraform apply`
  for (const m of text.matchAll(/(?:^|\s)([A-Z_]+)=["']?([\w-]+)/g)) if (TARGET_VARIABLE.test(m[1])) out.push({ name: m[2], seen: `${m[1]}=${m[2]}` });
  return out;
}

/** Environment names a templated `environment:` can take (`${{ matrix.env }}`, `${{ inputs.env }}` with choice options). */
function environmentValues(job: CiJob): { values: string[]; from: string } | undefined {
  const m = /^\$\{\{\s*(matrix|inputs|github\.event\.inputs)\.([\w-]+)\s*\}\}$/.exec(job.environment?.trim() ?? '');
  if (!m) return undefined;
  return m[1] === 'matrix' ? { values: job.matrix[m[2]] ?? [], from: 'matrix' } : { values: job.inputs[m[2]] ?? [], from: 'input' };
}

/** The deploy command or action the job runs, if any. */
export function deployCommand(job: CiJob): string | undefined {
  return deployInvocation(job)?.command;
}

/** The deploy command (and the executed line it is on) or action the job runs, if any. */
function deployInvocation(job: CiJob): { command: string; line?: string } | undefined {
  // Line by line (continuations joined), so dry runs and syntax checks are not deploys; only
  // commands that run count (`echo "terraform apply"` prints, a comment says).
  const lines = job.script.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map(executedText);
  for (const line of lines) {
    if (/--dry-run\b|--syntax-check\b|--check\b|--list-(tasks|hosts|tags)\b|\bkubectl\s+diff\b/.test(line)) continue;
    for (const re of DEPLOY_COMMANDS) {
      const m = re.exec(line);
      if (m) return { command: m[0].replace(/\s+/g, ' ').trim(), line };
    }
  }
  const action = job.steps.find((s) => DEPLOY_ACTIONS.test(s.uses));
  return action ? { command: action.uses.split('@')[0] } : undefined;
}

/** Commands that tear down what a job deployed: a job that deploys and destroys is a test run. */
const TEARDOWN = /\b(?:terraform|tofu|terragrunt)\s+(?:\S+\s+)*?destroy\b|\bpulumi\s+destroy\b|\bcdk\s+destroy\b|\bhelm\s+(?:\S+\s+)*?(?:uninstall|delete)\b|\bkubectl\s+(?:\S+\s+)*?delete\s+(?:ns|namespace)\b|\b(?:serverless|sls)\s+remove\b/;
const defaultNonProduction = globMatcher(NON_PRODUCTION_DEFAULTS);

/**
 * Why a deploy job is a test run, not a release: it deploys what lives in the test tree (a
 * playbook, manifest or root under `tests/`, the config's `nonProduction` folders), or it tears
 * down in the same job what it deployed (`terraform apply` then `terraform destroy`).
 */
export function testRun(job: CiJob, nonProduction: (rel: string) => boolean = defaultNonProduction): string | undefined {
  const inv = deployInvocation(job);
  if (!inv) return undefined;
  const paths = (inv.line ?? '').split(/\s+/).flatMap((t) => {
    const arg = t.replace(/^-[\w-]+=/, '').replace(/^["'@]+|["',;]+$/g, '');
    return /\//.test(arg) && !/^[a-z][a-z0-9+.-]*:/i.test(arg) && !/\$/.test(arg.split('/')[0]) ? [arg.replace(/^\.\//, '')] : [];
  });
  const tested = paths.find((p) => nonProduction(p.endsWith('/') ? p : `${p}/`) || nonProduction(p));
  if (tested) return `deploys \`${tested}\` from the test tree`;
  const text = job.script.split(/\r?\n/).map(executedText).join('\n');
  const teardown = TEARDOWN.exec(text);
  if (teardown) return `tears it down again (\`${teardown[0].replace(/\s+/g, ' ')}\`)`;
  return undefined;
}

/** Infrastructure applies (Terraform, OpenTofu, Terragrunt, Pulumi, CDK and their wrappers): the way back is re-applying the previous commit. */
export function infrastructureApply(job: CiJob): boolean {
  const cmd = deployCommand(job);
  return !!cmd && /\b(?:terraform|tofu|terragrunt|pulumi|cdk)\b|\.sh\s+(?:\S+\s+)*?apply\b|\bmake\b[^\n]*\bapply\b/.test(cmd);
}

/** `gcloud deploy releases create`: Cloud Deploy promotes the release through its delivery pipeline, with its approvals and rollbacks per target. */
export const CLOUD_DEPLOY_RELEASE = /\bgcloud\s+(?:\S+\s+)*?deploy\s+releases\s+create\b/;

/**
 * The parts of a shell line that run: a comment is dropped, and so is every command of the line
 * (split on `;`, `&&`, `||`, `|`) that only prints (`echo`, `printf`, `::notice::`) or that is a
 * quoted string; a command's quoted arguments are kept (`bash -c "terraform apply"` runs it).
 */
export function executedText(line: string): string {
  const noComment = line.replace(/(^|\s)#.*$/, '$1');
  return noComment
    .split(/;|&&|\|\||\|/)
    .filter((cmd) => !/^\s*(?:\S+=\S*\s+)*(?:echo|printf|print|say|::\w+)\b/.test(cmd) && !/^\s*["']/.test(cmd))
    .join(' ; ');
}

/** Why the job is a production deploy, or undefined. */
export function productionDeploy(job: CiJob, nonProduction?: (rel: string) => boolean): string | undefined {
  const env = job.environment;
  const targets = deployTargets(job);
  const prodTarget = targets.find((t) => isProdName(t.name));
  if (env) {
    if (isNonProdName(env)) return undefined;
    if (isProdName(env)) return `environment: ${env}`;
    const choices = environmentValues(job);
    const prodChoice = choices?.values.find(isProdName);
    if (prodChoice) return `environment: ${prodChoice} (${choices!.from})`;
    // A templated environment (`${{ inputs.environment }}`, `$DEPLOY_ENV`): only the command can tell.
    if (env.includes('$') && !prodTarget) return undefined;
  }
  const cmd = deployCommand(job);
  if (!cmd) return undefined;
  // The command's own target (`kubectl --context prod`, `terraform workspace select production`) decides first.
  if (prodTarget) return `runs \`${cmd}\` against production (\`${prodTarget.seen}\`)`;
  if (targets.some((t) => isNonProdName(t.name))) return undefined;
  // A deploy job whose own name says it targets a non-production stage is not a production deploy,
  // nor one into a cluster it has just created (kind, minikube, k3d).
  if (isNonProdName(job.id) || isNonProdName(job.name)) return undefined;
  if (LOCAL_CLUSTER.test(job.script) || job.steps.some((st) => LOCAL_CLUSTER.test(st.uses))) return undefined;
  // Nor a CI test run: a deploy of the test tree, or one that tears down what it deployed.
  if (testRun(job, nonProduction)) return undefined;
  return `runs \`${cmd}\``;
}

const ROLLBACK_WORDS = /roll[-_ ]?back|revert|undo/i;
const ROLLBACK_COMMANDS = /\bkubectl\s+(\S+\s+)*?rollout\s+undo\b|\bhelm\s+(\S+\s+)*?rollback\b|--atomic\b|--rollback-on-failure\b|\baws\s+deploy\s+stop-deployment\b.*--auto-rollback|\bargocd\s+app\s+rollback\b|\bterraform\s+(\S+\s+)*?apply\b.*previous|\batomic:\s*(true|yes)\b|\bgcloud\s+(\S+\s+)*?deploy\b.*--no-traffic\b/i;

/** What gives the job a rollback path (its own steps, or another job of the workflow), or undefined. */
export function rollbackPath(job: CiJob, all: CiJob[], kind: FileKind): string | undefined {
  if (ROLLBACK_COMMANDS.test(job.script)) return 'rollback command';
  if (CLOUD_DEPLOY_RELEASE.test(job.script)) return 'Cloud Deploy release (rolled back per target)';
  for (const s of job.steps) {
    if (/\bfailure\(\)/.test(s.if)) return `step '${s.name || s.uses || 'if: failure()'}'`;
    if (ROLLBACK_WORDS.test(s.name)) return `step '${s.name}'`;
  }
  for (const other of all) {
    if (other === job) continue;
    if (kind === 'github-workflow') {
      const onFailure = other.conditions.some((c) => /\bfailure\(\)/.test(c));
      if ((onFailure || ROLLBACK_WORDS.test(other.id) || ROLLBACK_WORDS.test(other.name)) && (other.needs.includes(job.id) || other.needs.length === 0 || onFailure)) {
        return `job '${other.id}'`;
      }
      if (ROLLBACK_COMMANDS.test(other.script) && other.needs.includes(job.id)) return `job '${other.id}'`;
    } else {
      if (other.whens.includes('on_failure')) return `job '${other.id}'`;
      if (ROLLBACK_WORDS.test(other.id) || ROLLBACK_COMMANDS.test(other.script)) return `job '${other.id}'`;
    }
  }
  return undefined;
}

const TEST_WORDS = /(^|[^a-z])(tests?|testing|check|checks|lint|verify|validate|qa|smoke|e2e|integration|unit|spec|specs|scan|sast|ci)([^a-z]|$)/i;

export function isTestJob(job: CiJob): boolean {
  return TEST_WORDS.test(job.id) || TEST_WORDS.test(job.name) || (job.stage !== undefined && /^(test|tests|verify|check|lint|qa)$/i.test(job.stage));
}

/** What gates the production deploy (approval, protected environment, tests first), or undefined. */
export function gateOf(job: CiJob, all: CiJob[], kind: FileKind, stages: string[], manualTrigger = false): string | undefined {
  if (manualTrigger) return 'manual trigger (workflow_dispatch only)';
  if (CLOUD_DEPLOY_RELEASE.test(job.script)) return 'Cloud Deploy delivery pipeline (promotion and approval per target)';
  if (job.environment) return `environment '${job.environment}'`;
  if (job.whens.includes('manual')) return 'when: manual';
  // needs: on a test job, directly or through other jobs (build needs test).
  const byId = new Map(all.map((j) => [j.id, j]));
  const seen = new Set<string>();
  const stack = [...job.needs];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const dep = byId.get(id);
    if (!dep) continue;
    if (isTestJob(dep)) return `needs '${id}'`;
    if (dep.whens.includes('manual')) return `needs manual job '${id}'`;
    stack.push(...dep.needs);
  }
  // GitLab: without `needs:`, a job waits for every earlier stage; a test job there is a gate.
  if (kind === 'gitlab-ci' && !job.hasNeeds && job.stage) {
    const order = stages.length ? stages : ['build', 'test', 'deploy'];
    const mine = order.indexOf(job.stage);
    const earlier = all.find((j) => j !== job && j.stage && order.indexOf(j.stage) >= 0 && order.indexOf(j.stage) < mine && isTestJob(j));
    if (earlier) return `stage after '${earlier.id}'`;
  }
  return undefined;
}

export function gitlabStages(file: YamlFile): string[] {
  for (const doc of file.docs) {
    const s = getNode(doc.contents as YNode, 'stages');
    if (isSeq(s)) return seqItems(s).map(str);
  }
  return [];
}

/** GitHub: the workflow only runs when someone starts it by hand. */
export function manualOnly(file: YamlFile): boolean {
  for (const doc of file.docs) {
    const on = getNode(doc.contents as YNode, 'on') ?? getNode(doc.contents as YNode, 'true');
    if (on === undefined) continue;
    const events = isMap(on) ? pairs(on).map((p) => keyName(p) ?? '') : isSeq(on) ? seqItems(on).map(str) : [str(on)];
    return events.length > 0 && events.every((e) => e === 'workflow_dispatch');
  }
  return false;
}

/** The job deploys somewhere (a deploy command or action, or a production environment), not into a cluster it creates for a test. */
export function deploysAnywhere(job: CiJob): string | undefined {
  if (LOCAL_CLUSTER.test(job.script) || job.steps.some((st) => LOCAL_CLUSTER.test(st.uses))) return undefined;
  const cmd = deployCommand(job);
  if (cmd) return `runs \`${cmd}\``;
  return productionDeploy(job);
}
