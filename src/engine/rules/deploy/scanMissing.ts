import { nodeRange, getNode, isTrue, stringValue, YamlFile } from '../../parsers/yaml';
import type { IndexedFile } from '../../model';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { CiJob, ciJobs, yamlOf } from './ciJobs';

// An image pushed to a registry is what production will run. Scanning it for known
// vulnerabilities in the pipeline that builds it is the cheapest point to catch a critical CVE
// in a base image; after the push, it is already deployable. A workflow or pipeline that builds
// and pushes an image with no scanner anywhere in it (Trivy, Grype, Snyk, Docker Scout, Anchore,
// GitLab container scanning, …) in it or in another workflow of the repository is reported on
// the job that pushes.

const PUSH_COMMANDS: { re: RegExp; label: string }[] = [
  { re: /\b(?:docker|podman|buildah|nerdctl)\s+(?:image\s+)?push\b/, label: 'docker push' },
  { re: /\bdocker\s+(?:buildx\s+)?(?:build|bake)\b[^\n]*\s--push\b/, label: 'docker build --push' },
  { re: /\bdocker\s+compose\s+push\b|\bdocker-compose\s+push\b/, label: 'docker compose push' },
  { re: /\bko\s+(?:build|publish|resolve|apply)\b/, label: 'ko build' },
  { re: /\/kaniko\/executor\b(?![^\n]*--no-push)/, label: 'kaniko' },
  { re: /\bcrane\s+(?:push|copy)\b/, label: 'crane push' },
  { re: /\bjib:build\b|\bgradlew?\b[^\n]*\bjib\b/, label: 'jib' },
  { re: /\bpack\s+build\b[^\n]*\s--publish\b/, label: 'pack build --publish' },
];
const PUSH_ACTIONS = /^(docker\/build-push-action|redhat-actions\/push-to-registry|mr-smithers-excellent\/docker-build-push|docker\/bake-action)@/;
const SCANNERS = /\btrivy\b|aquasecurity\/trivy|\bgrype\b|anchore\/scan-action|\bsnyk\b|docker\s+scout|docker\/scout-action|\bclair(ctl)?\b|neuvector|twistcli|prisma-cloud|jfrog\s+(?:rt\s+)?(?:docker-scan|scan)|\bxray\b|container[_-]scanning|Container-Scanning|\bwiz\b|lacework|sysdig|qualys|\bdockle\b|crowdstrike|osv-scanner/i;

export const rule: Rule<YamlFile> = {
  meta: {
    id: 'deploy/scan-missing',
    description: 'A workflow or pipeline builds and pushes a container image with no vulnerability scan of it (Trivy, Grype, Snyk, Docker Scout, Anchore, GitLab container scanning).',
    defaultSeverity: 'warning',
    practice: 'vulnerability-scanning',
    kinds: ['github-workflow', 'gitlab-ci', 'cloud-build'],
    subject: 'image-push-job',
    crossFile: true,
  },
  check(ctx) {
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    // Only workflows that push an image need a scan: most do not, so look no further for them.
    const pushing = ciJobs(file, ctx.file.kind).map((job) => ({ job, push: pushOf(job) })).filter((j) => j.push);
    if (!pushing.length) return [];
    // A scan in another workflow of the repository (a scheduled scan of the published image) counts.
    if (scans(ctx.file)) return [];
    if (ctx.index.byKind('github-workflow', 'gitlab-ci', 'cloud-build').some((f) => f.path !== ctx.file.path && scans(f))) return [];
    const out: RuleFinding[] = [];
    for (const { job, push } of pushing) {
      out.push({
        range: nodeRange(file, job.pair.key),
        message: `${ctx.file.kind === 'cloud-build' ? 'Step' : 'Job'} '${job.id}' pushes a container image (${push}) but nothing in this ${ctx.file.kind === 'github-workflow' ? 'workflow' : 'pipeline'} scans it for vulnerabilities: add a scan of the image before or right after the push (e.g. aquasecurity/trivy-action, anchore/scan-action, docker scout cves${ctx.file.kind === 'gitlab-ci' ? ', or include the Jobs/Container-Scanning template' : ''}) and fail on critical findings.`,
      });
    }
    return out;
  },
};

/** Whether a workflow runs a vulnerability scanner, per parsed file (files are replaced on change). */
const scannedCache = new WeakMap<IndexedFile, boolean>();
function scans(f: IndexedFile): boolean {
  let v = scannedCache.get(f);
  // Comments do not scan anything ("# TODO: add trivy").
  if (v === undefined) scannedCache.set(f, (v = SCANNERS.test(f.parsed.text.replace(/(^|\s)#.*$/gm, '$1'))));
  return v;
}

/** What in the job pushes an image, if anything. */
export function pushOf(job: CiJob): string | undefined {
  for (const s of job.steps) {
    if (!PUSH_ACTIONS.test(s.uses)) continue;
    const push = getNode(getNode(s.node, 'with'), 'push');
    // build-push-action pushes only with `push: true` (or an expression that may be true).
    if (!s.uses.startsWith('docker/build-push-action') && !s.uses.startsWith('docker/bake-action')) return s.uses.split('@')[0];
    if (isTrue(push) || /\$\{\{/.test(stringValue(push) ?? '')) return s.uses.split('@')[0];
  }
  // GoReleaser pushes the images its `dockers:`/`kos:` sections build; a registry login in the
  // same job says it has some to push.
  const login = job.steps.some((st) => /^docker\/login-action@/.test(st.uses)) || /\bdocker\s+login\b/.test(job.script);
  if (login && job.steps.some((st) => /^goreleaser\/goreleaser-action@/.test(st.uses) || /\bgoreleaser\s+release\b/.test(st.run))) return 'GoReleaser after a registry login';
  const script = job.script.replace(/\\\r?\n/g, ' ');
  for (const line of script.split(/\r?\n/)) {
    if (/^\s*#/.test(line)) continue;
    const hit = PUSH_COMMANDS.find((c) => c.re.test(line));
    if (hit) return `\`${hit.label}\``;
  }
  return undefined;
}
