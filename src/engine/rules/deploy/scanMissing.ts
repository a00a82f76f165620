import { isMap, isSeq } from 'yaml';
import { nodeRange, getNode, isTrue, seqItems, stringValue, YamlFile } from '../../parsers/yaml';
import type { IndexedFile } from '../../model';
import * as path from 'node:path';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { registryScans, registryScansPush } from './registryScanning';
import { CiJob, ciJobs, isNonProdName, isTestJob, yamlOf } from './ciJobs';

// An image pushed to a registry is what production will run. Scanning it for known
// vulnerabilities in the pipeline that builds it is the cheapest point to catch a critical CVE
// in a base image; after the push, it is already deployable. A workflow or pipeline that builds
// and pushes an image with no scanner anywhere in it (Trivy, Grype, Snyk, Docker Scout, Anchore,
// GitLab container scanning, …) in it is reported on the job that pushes, unless another
// workflow scans the same image, scans on a schedule, or runs after this one (`workflow_run`).

const PUSH_COMMANDS: { re: RegExp; label: string }[] = [
  { re: /\b(?:docker|podman|buildah|nerdctl)\s+(?:image\s+)?push\b/, label: 'docker push' },
  { re: /\bdocker\s+(?:buildx\s+)?(?:build|bake)\b[^\n]*\s--push\b/, label: 'docker build --push' },
  { re: /\bdocker\s+compose\s+push\b|\bdocker-compose\s+push\b/, label: 'docker compose push' },
  { re: /\bko\s+(?:build|publish|resolve|apply)\b/, label: 'ko build' },
  { re: /\/kaniko\/executor\b(?![^\n]*--no-push)/, label: 'kaniko' },
  { re: /\bcrane\s+(?:push|copy)\b/, label: 'crane push' },
  { re: /\bjib:build\b|\bgradlew?\b[^\n]*\bjib\b/, label: 'jib' },
  { re: /\bpack\s+build\b[^\n]*\s--publish\b/, label: 'pack build --publish' },
  // skaffold builds and pushes to the repository it is given (not with `--push=false`).
  { re: /\bskaffold\s+(?:build|run)\b(?![^\n]*--push=false)[^\n]*\s--(?:default-repo|push)\b/, label: 'skaffold build' },
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
    if (scans(ctx.file)) return [];
    const others = ctx.index.byKind('github-workflow', 'gitlab-ci', 'cloud-build').filter((f) => f.path !== ctx.file.path && scans(f));
    const out: RuleFinding[] = [];
    // The repository's own Terraform makes the registry scan what is pushed to it.
    const registry = registryScans(ctx.index);
    for (const { job, push } of pushing) {
      // A scan in another workflow counts when it scans this image, runs on a schedule (the
      // published images, every night) or runs after this workflow (`workflow_run`), or when it
      // is part of the same GitLab pipeline (an included file).
      if (others.some((f) => scansThisPush(ctx.file, file, job, f))) continue;
      if (registryScansPush(registry, job, pushedImages(job))) continue;
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
    // skaffold in a test job (`deployment-tests`, a PR namespace) pushes to the CI registry what the test deploys.
    if (hit?.label === 'skaffold build' && (isTestJob(job) || isNonProdName(job.id) || isNonProdName(job.name))) continue;
    if (hit) return `\`${hit.label}\``;
  }
  return undefined;
}

/** Image names (registry/repository, no tag or digest) a job pushes, with the job's variables resolved. */
export function pushedImages(job: CiJob): string[] {
  const raw: string[] = [];
  for (const s of job.steps) {
    const w = getNode(s.node, 'with');
    for (const key of ['tags', 'images', 'image', 'image-name', 'image_name', 'repository']) {
      const v = getNode(w, key);
      const text = isSeq(v) ? seqItems(v).map((n) => stringValue(n) ?? '').join('\n') : isMap(v) ? '' : stringValue(v) ?? '';
      raw.push(...text.split(/[\s,]+/));
    }
  }
  const script = job.script.replace(/\\\r?\n/g, ' ');
  // An argument, `${{ … }}` expressions (which hold spaces) included.
  const ARG = String.raw`((?:\$\{\{.*?\}\}|[^\s;&|])+)`;
  const IMAGE_ARGS = [
    new RegExp(String.raw`\b(?:docker|podman|buildah|nerdctl)\s+(?:image\s+)?push\s+(?:-\S+\s+)*${ARG}`, 'g'),
    new RegExp(String.raw`\s--destination(?:=|\s+)${ARG}`, 'g'),
    new RegExp(String.raw`\bcrane\s+(?:push|copy)\s+${ARG}\s+${ARG}`, 'g'),
  ];
  for (const re of IMAGE_ARGS) for (const m of script.matchAll(re)) raw.push(m[m.length - 1]);
  // `-t`/`--tag` of a build command only (`docker run -t` names no image).
  for (const line of script.split(/\r?\n/)) {
    if (!/\b(?:docker|podman|buildah|nerdctl)\s+(?:buildx\s+)?(?:build|bud)\b/.test(line)) continue;
    for (const m of line.matchAll(new RegExp(String.raw`\s(?:-t|--tag)(?:=|\s+)${ARG}`, 'g'))) raw.push(m[1]);
  }
  const out = new Set<string>();
  for (const r of raw) {
    const name = imageName(resolveVars(r.replace(/^["']|["']$/g, ''), job.variables));
    if (name) out.add(name);
  }
  return [...out];
}

/** `${{ env.X }}`, `$X`, `${X}` replaced by the variable's value, when known. */
function resolveVars(text: string, vars: Record<string, string>): string {
  let out = text;
  for (let i = 0; i < 3 && /\$/.test(out); i++) {
    out = out
      .replace(/\$\{\{\s*env\.(\w+)\s*\}\}/g, (m, k: string) => vars[k] ?? m)
      .replace(/\$\{(\w+)\}|\$(\w+)/g, (m, a: string | undefined, b: string | undefined) => vars[(a ?? b)!] ?? m);
  }
  return out;
}

/** `ghcr.io/acme/api:1.2@sha256:…` -> `ghcr.io/acme/api`; undefined for what is not an image reference. */
function imageName(ref: string): string | undefined {
  let r = ref.trim().toLowerCase();
  if (!r || r.startsWith('-') || r === '.' || /^(true|false)$/.test(r)) return undefined;
  r = r.replace(/@sha256:[0-9a-f]*$/, '');
  // The tag is after the last `:` that follows the last `/`, outside `${{ … }}` expressions.
  const masked = r.replace(/\$\{\{.*?\}\}/g, (m) => '_'.repeat(m.length));
  const slash = masked.lastIndexOf('/');
  const colon = masked.lastIndexOf(':');
  if (colon > slash) r = r.slice(0, colon);
  // A type=…,value=… line of docker/metadata-action, or a bare tag expression, names no image.
  if (/^type=|^\$\{\{\s*steps\./.test(r) || !r) return undefined;
  return r;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether another workflow's scan covers what this job pushes. */
function scansThisPush(self: IndexedFile, selfYaml: YamlFile, job: CiJob, other: IndexedFile): boolean {
  const otherYaml = yamlOf(other.parsed);
  if (!otherYaml) return false;
  const root = otherYaml.docs[0]?.contents;
  if (other.kind === 'github-workflow') {
    const on = getNode(root, 'on') ?? getNode(root, 'true');
    if (isMap(on) && getNode(on, 'schedule') !== undefined) return true;
    const after = getNode(getNode(on, 'workflow_run'), 'workflows');
    const names = (isSeq(after) ? seqItems(after).map((n) => stringValue(n) ?? '') : [stringValue(after) ?? '']).filter(Boolean);
    const selfName = stringValue(getNode(selfYaml.docs[0]?.contents, 'name')) ?? self.relPath;
    if (names.some((n) => n === selfName || n === self.relPath || n === path.posix.basename(self.relPath))) return true;
  } else {
    const text = other.parsed.text.replace(/(^|\s)#.*$/gm, '$1');
    if (/CI_PIPELINE_SOURCE\s*==\s*["']schedule["']|\bonly:\s*(\[\s*)?-?\s*schedules\b|\bonly:\s*\n\s*-\s*schedules\b/.test(text)) return true;
    // One pipeline: this file includes the other, or the other includes this one.
    if (self.kind === 'gitlab-ci' && (includes(self, other) || includes(other, self))) return true;
  }
  const images = pushedImages(job);
  if (!images.length) return false;
  const vars = Object.assign({}, ...ciJobs(otherYaml, other.kind).map((j) => j.variables)) as Record<string, string>;
  const otherText = resolveVars(other.parsed.text.replace(/(^|\s)#.*$/gm, '$1'), vars).toLowerCase();
  return images.some((img) => {
    // An image named by expressions alone (`${{ env.IMAGE }}` left unresolved) says nothing,
    // unless it is this repository's own name (`ghcr.io/${{ github.repository }}`).
    const literal = img.replace(/\$\{\{[^}]*\}\}/g, '').replace(/[^a-z0-9]/g, '');
    if (!literal && !img.includes('github.repository')) return false;
    return new RegExp(`(^|[\\s"'=\\[,(])${escapeRe(img)}(?![\\w./-])`).test(otherText);
  });
}

/** True when `from`'s text includes `target` as a local file (`include: local`, or a bare path). */
function includes(from: IndexedFile, target: IndexedFile): boolean {
  const text = from.parsed.text;
  if (!/^include:/m.test(text)) return false;
  const rel = target.relPath.replace(/^\/+/, '');
  return new RegExp(`(local:\\s*|^\\s*-\\s*|include:\\s*)["']?/?${escapeRe(rel)}["']?\\s*$`, 'm').test(text);
}
