import { readFileSync } from 'node:fs';
import { isMap } from 'yaml';
import type { IndexedFile, IndexView } from './model';
import { getNode, getPair, pairs, seqItems, stringValue, yamlOf, YNode } from './parsers/yaml';

// Throw-away environments. Besides examples and tests (nonProduction.ts), a repository holds files
// that configure an environment someone brings up on their own machine or for one lab session and
// throws away: a Compose stack for local development, a Vagrant VM's provisioning, a test or lab
// inventory, the provisioner of a workshop. Their passwords are set by the same files that create
// the service, reach nothing else, and are often the image's documented default: the literal-secret
// rules report there only what would be a leak anywhere (a credential-shaped value: a private key,
// a provider's token format; and a high-entropy value under the name of a credential a provider
// issues). The decision is made here once, from evidence the repository holds, for every rule.
//
// The evidence, in order:
// - the path names a throw-away environment: a folder (or an inventory's environment, a
//   `group_vars/<env>` file) named test, testing, local, lab, demo, workshop, sandbox, vagrant,
//   playground, tutorial or training, or a Compose file whose name says dev, development, local,
//   demo, test or override (`docker-compose.dev.yml`); a path that names production (prod,
//   production, live) is never throw-away;
// - Ansible: a Vagrantfile in the file's folder or a folder above it, below the repository root:
//   the folder is a self-contained VM project (a Vagrantfile at the root is the development harness
//   of the repository's real automation, and says nothing about it);
// - Compose: the stack builds its services from local sources (`build:`) and publishes ports on
//   the host, and deploys to no swarm (`deploy:` with replicas, placement or update settings): a
//   developer's stack; production pulls images that were built and pushed;
// - Ansible and Compose: the repository says it is a demo, a workshop, a lab, a tutorial, a training
//   or a collection of examples (the first heading of its README): its playbooks provision lab
//   machines and its Compose stacks run the demo locally. (A Kubernetes manifest or a Terraform
//   configuration of such a repository deploys to a cluster or a cloud account, which is shared
//   infrastructure: not decided here.)

export type LocalEvidence = 'path' | 'vagrant' | 'compose-build' | 'repository';

const ENV_SEGMENT = /^(tests?|testing|local|localdev|labs?|demos?|workshops?|sandbox|vagrant|playground|tutorials?|training|exercises?)$/i;
const COMPOSE_STEM_WORD = /^(dev|devel|development|local|demo|test|testing|override|sandbox|lab)$/i;
const PRODUCTION_SEGMENT = /^(prod|production|prd|live)$/i;
const PURPOSE_HEADING = /\b(demos?|workshops?|labs?|tutorials?|training|examples?|samples?|playground|sandbox|book)\b/i;

const cache = new WeakMap<IndexedFile, { index: IndexView; value: LocalEvidence | undefined }>();

/**
 * Why this file configures a throw-away environment (a local development stack, a Vagrant VM, a
 * test or lab inventory, a workshop's provisioner), or undefined when nothing in the repository
 * says so.
 */
export function localEnvironment(file: IndexedFile, index: IndexView): LocalEvidence | undefined {
  const hit = cache.get(file);
  if (hit && hit.index === index) return hit.value;
  const value = decide(file, index);
  cache.set(file, { index, value });
  return value;
}

function decide(file: IndexedFile, index: IndexView): LocalEvidence | undefined {
  const segments = file.relPath.replace(/^\.\//, '').split('/');
  const name = segments.pop() ?? '';
  const stemWords = name.replace(/\.[^.]+$/, '').split(/[._-]+/);
  if ([...segments, ...stemWords].some((s) => PRODUCTION_SEGMENT.test(s))) return undefined;
  const ansible = file.kind.startsWith('ansible-');
  const compose = file.kind === 'compose';
  // A stack deployed to a swarm runs on shared hosts, whatever the repository is.
  if (compose && swarmStack(file)) return undefined;
  // A folder named for the environment; for inventories and vars, the file itself (`group_vars/testing`).
  if (segments.some((s) => ENV_SEGMENT.test(s))) return 'path';
  if ((ansible || file.kind === 'terraform-vars') && ENV_SEGMENT.test(name.replace(/\.(ya?ml|ini|json|tfvars)$/i, ''))) return 'path';
  if (compose && stemWords.some((w) => COMPOSE_STEM_WORD.test(w))) return 'path';
  if (ansible && vagrantProject(file, index, segments)) return 'vagrant';
  if (compose && developerStack(file)) return 'compose-build';
  if ((ansible || compose) && repositoryPurpose(index)) return 'repository';
  return undefined;
}

/** A Vagrantfile in a folder that holds the file, below the repository root. */
function vagrantProject(file: IndexedFile, index: IndexView, segments: string[]): boolean {
  const root = file.path.slice(0, file.path.length - file.relPath.replace(/^\.\//, '').length).replace(/\/$/, '');
  for (let n = segments.length; n >= 1; n--) {
    if (index.exists(`${root}/${segments.slice(0, n).join('/')}/Vagrantfile`)) return true;
  }
  return false;
}

function services(file: IndexedFile): YNode[] {
  const y = yamlOf(file.parsed);
  if (!y) return [];
  return y.docs.flatMap((doc) => pairs(getNode(doc.contents as YNode, 'services')).map((p) => p.value as YNode)).filter((s) => isMap(s));
}

/** A Compose file deployed to a swarm (`docker stack deploy`): a service's `deploy:` sets replicas, placement, update or rollback settings, or a mode. */
function swarmStack(file: IndexedFile): boolean {
  return services(file).some((s) => {
    const deploy = getNode(s, 'deploy');
    if (!isMap(deploy)) return false;
    return ['replicas', 'placement', 'update_config', 'rollback_config'].some((k) => getPair(deploy, k)) || /^(global|replicated)$/.test(stringValue(getNode(deploy, 'mode')) ?? '');
  });
}

/** A Compose stack that builds from local sources and publishes ports on the host (no swarm stack: see swarmStack). */
function developerStack(file: IndexedFile): boolean {
  const list = services(file);
  return list.some((s) => getPair(s, 'build') !== undefined) && list.some((s) => seqItems(getNode(s, 'ports')).length > 0);
}

const purposeCache = new WeakMap<IndexView, { root: string; value: boolean }>();

/** The repository's README opens with a heading that calls it a demo, workshop, lab, tutorial, training or examples. */
export function repositoryPurpose(index: IndexView): boolean {
  const hit = purposeCache.get(index);
  if (hit && hit.root === index.root) return hit.value;
  const value = PURPOSE_HEADING.test(firstHeading(readmeText(index)) ?? '');
  purposeCache.set(index, { root: index.root, value });
  return value;
}

function readmeText(index: IndexView): string {
  for (const n of ['README.md', 'readme.md', 'Readme.md', 'README.markdown', 'README.rst', 'README']) {
    const p = `${index.root.replace(/\/$/, '')}/${n}`;
    const kept = index.markdownText?.(p);
    if (kept !== undefined) return kept;
    if (!index.exists(p)) continue;
    try {
      return readFileSync(p, 'utf8').slice(0, 8000);
    } catch {
      continue;
    }
  }
  return '';
}

/** The text of the first heading (`# …`, or a setext/rst title), images, links and badges left out. */
function firstHeading(text: string): string | undefined {
  const lines = text.split(/\r?\n/).slice(0, 80);
  for (let i = 0; i < lines.length; i++) {
    const atx = /^#\s+(.*)$/.exec(lines[i]);
    const title = atx ? atx[1] : lines[i + 1] && /^(=+|#+)\s*$/.test(lines[i + 1]) && lines[i].trim() ? lines[i] : undefined;
    if (title === undefined) continue;
    const words = title.replace(/!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]|<[^>]+>/g, ' ').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').trim();
    if (words) return words;
  }
  return undefined;
}
