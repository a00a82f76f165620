import type { HclBlock, HclExpr, TerraformFile } from '../../parsers/hclAst';
import type { WorkspaceIndexLike } from './registryScanningTypes';
import { isMap, isSeq } from 'yaml';
import { getNode, seqItems, stringValue } from '../../parsers/yaml';
import type { CiJob } from './ciJobs';

// A registry the repository's own Terraform configures to scan what is pushed to it scans the
// image: AWS ECR (a repository's `image_scanning_configuration { scan_on_push = true }`, a
// registry-wide `aws_ecr_registry_scanning_configuration` with on-push or continuous rules, and
// the upstream registries its pull-through cache rules mirror into scanned repositories), Google
// Artifact Registry / Container Registry with the Container Scanning API enabled, and Azure
// Container Registry with Microsoft Defender for Containers (or for container registries) on.

export interface RegistryScan {
  /** `ecr`, `gcp`, `azure`, or an upstream host mirrored into scanned ECR repositories (`ghcr.io`). */
  host: string;
  /** Repository name patterns (`*` wildcard) the setting covers; undefined: every repository (registry-wide). */
  repositories?: RegExp[];
}

const ECR_HOST = /^[^/]*\.dkr\.ecr\.[^/]+\.amazonaws\.com(?:\.cn)?$/;
const GCP_HOST = /^(?:[a-z]+\.)?gcr\.io$|^[a-z0-9-]+-docker\.pkg\.dev$/;
const AZURE_HOST = /^[^/]+\.azurecr\.(?:io|cn|us)$/;

function text(e: HclExpr | undefined): string | undefined {
  if (!e) return undefined;
  if (e.type === 'string' || e.type === 'template') return e.value;
  return undefined;
}
function attr(b: HclBlock, name: string): HclExpr | undefined {
  return b.attributes.find((a) => a.name === name)?.value;
}
function isTrue(e: HclExpr | undefined): boolean {
  return !!e && ((e.type === 'bool' && e.value) || (e.type === 'string' && e.value === 'true'));
}

/** `"${var.env}-api"` or `"app/*"` -> a pattern where interpolations and `*` match anything. */
function pattern(name: string): RegExp {
  const parts = name.replace(/\$\{[^}]*\}/g, '\u0000').split(/[\u0000*]/);
  return new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
}

/** The scanning settings every Terraform file of the workspace declares. */
export function registryScans(index: WorkspaceIndexLike): RegistryScan[] {
  const out: RegistryScan[] = [];
  const pullThrough: { prefix: string; upstream: string }[] = [];
  const ecrFilters: RegExp[] = [];
  let ecrAll = false;
  for (const f of index.byKind('terraform')) {
    const parsed = f.parsed as TerraformFile;
    if (parsed.type !== 'terraform') continue;
    for (const b of parsed.body.blocks) {
      if (b.type !== 'resource') continue;
      const type = b.labels[0];
      if (type === 'aws_ecr_repository') {
        const on = b.blocks.filter((c) => c.type === 'image_scanning_configuration').some((c) => isTrue(attr(c, 'scan_on_push')));
        const name = text(attr(b, 'name'));
        if (on) out.push({ host: 'ecr', repositories: [pattern(name ?? '*')] });
      } else if (type === 'aws_ecr_registry_scanning_configuration') {
        for (const r of b.blocks.filter((c) => c.type === 'rule')) {
          const freq = (text(attr(r, 'scan_frequency')) ?? '').toUpperCase();
          if (!['SCAN_ON_PUSH', 'CONTINUOUS_SCAN'].includes(freq)) continue;
          const filters = r.blocks.filter((c) => c.type === 'repository_filter').map((c) => text(attr(c, 'filter')) ?? '*');
          for (const fl of filters.length ? filters : ['*']) {
            if (fl === '*') ecrAll = true;
            ecrFilters.push(pattern(fl));
          }
        }
      } else if (type === 'aws_ecr_pull_through_cache_rule') {
        const upstream = text(attr(b, 'upstream_registry_url'));
        if (upstream) pullThrough.push({ prefix: text(attr(b, 'ecr_repository_prefix')) ?? '', upstream: upstream.toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '') });
      } else if (type === 'google_project_service' || type === 'google_project_services') {
        const raw = b.attributes.map((a) => a.value.raw).join(' ');
        if (/containerscanning\.googleapis\.com|ondemandscanning\.googleapis\.com/.test(raw)) out.push({ host: 'gcp' });
      } else if (type === 'azurerm_security_center_subscription_pricing') {
        const resource = (text(attr(b, 'resource_type')) ?? '').toLowerCase();
        if ((resource === 'containers' || resource === 'containerregistry') && (text(attr(b, 'tier')) ?? '').toLowerCase() === 'standard') out.push({ host: 'azure' });
      }
    }
  }
  if (ecrFilters.length) out.push({ host: 'ecr', repositories: ecrAll ? undefined : ecrFilters });
  // A pull-through cache rule mirrors an upstream registry into `<prefix>/…` ECR repositories: scanned when a registry rule covers them.
  for (const p of pullThrough) {
    const sample = `${p.prefix}/x`;
    if (ecrAll || ecrFilters.some((re) => re.test(sample))) out.push({ host: p.upstream });
  }
  return out;
}

/** The kind of registry a pushed image goes to (`ecr`, `gcp`, `azure` or its host), and its repository path. */
function classify(image: string, job: CiJob): { host: string; repository?: string } | undefined {
  const slash = image.indexOf('/');
  const first = slash > 0 ? image.slice(0, slash) : '';
  const rest = slash > 0 ? image.slice(slash + 1) : image;
  const unresolved = /\$|^_*$/.test(first);
  const ecrLogin = /aws-actions\/amazon-ecr-login|\baws\s+ecr\s+get-login/.test(job.script);
  if (ECR_HOST.test(first) || (ecrLogin && (unresolved || /ecr/i.test(first)))) return { host: 'ecr', repository: /\$/.test(rest) ? undefined : rest };
  if (GCP_HOST.test(first)) return { host: 'gcp' };
  if (AZURE_HOST.test(first)) return { host: 'azure' };
  if (first.includes('.') && !unresolved) return { host: first };
  return undefined;
}

/** Does a registry scanning setting of the workspace cover every image the job pushes? */
export function registryScansPush(scans: RegistryScan[], job: CiJob, images: string[]): boolean {
  if (!scans.length) return false;
  images = [...new Set([...images, ...stepImages(job)])];
  // docker/metadata-action's `tags:` rules (`type=raw,value=…`) and other `key=value` words are not images.
  // Only whole references (`host/path`) count: what a split expression leaves (`value=${{`, `}}`) does not.
  images = images.filter((i) => !/=/.test(i) && i.includes('/') && !/[{}]/.test(i.replace(/\$\{\{.*?\}\}/g, '_')));
  const ecrLogin = /aws-actions\/amazon-ecr-login|\baws\s+ecr\s+get-login/.test(job.script);
  // The workflow names no image it pushes: a registry-wide setting of the registry it logs in to.
  if (images.length === 0) return ecrLogin && scans.some((s) => s.host === 'ecr' && !s.repositories);
  return images.every((image) => {
    const c = classify(image, job);
    if (!c) return false;
    return scans.some((s) => {
      if (s.host !== c.host) return false;
      if (!s.repositories) return true;
      // A repository the workflow does not name (built from expressions): only registry-wide settings.
      return c.repository !== undefined && s.repositories.some((re) => re.test(c.repository!));
    });
  });
}

/** Image references the job's action inputs name, one per line or comma (expressions kept whole). */
function stepImages(job: CiJob): string[] {
  const out: string[] = [];
  for (const s of job.steps) {
    const w = getNode(s.node, 'with');
    for (const key of ['tags', 'images', 'image', 'image-name', 'image_name', 'repository']) {
      const v = getNode(w, key);
      const text = isSeq(v) ? seqItems(v).map((n) => stringValue(n) ?? '').join('\n') : isMap(v) ? '' : stringValue(v) ?? '';
      for (const part of text.split(/\s*[\n,]\s*/)) {
        const ref = part.trim().toLowerCase().replace(/^["']|["']$/g, '').replace(/@sha256:[0-9a-f]*$/, '');
        // `host/path:tag` -> `host/path` (a colon after the last slash is the tag)
        const masked = ref.replace(/\$\{\{.*?\}\}/g, (m) => '_'.repeat(m.length));
        const colon = masked.lastIndexOf(':');
        out.push(colon > masked.lastIndexOf('/') ? ref.slice(0, colon) : ref);
      }
    }
  }
  return out.filter((r) => r && !/^\$\{\{\s*steps\./.test(r));
}
