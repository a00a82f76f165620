import type { ParsedFile } from '../../model';
import type { HclBlock, HclBody, TerraformFile } from '../../parsers/hclAst';
import type { RuleFinding } from '../../types';
import { attr, blocksOf, isTrueExpr, num, str } from '../terraform/hcl';

// Kubernetes workloads written as Terraform (the kubernetes provider's `kubernetes_deployment`,
// `kubernetes_deployment_v1`, stateful sets, daemon sets, jobs, cron jobs, pods): their containers
// as the container rules see them, so the same rules (image-latest, privileged, resources, probes)
// hold whichever way a manifest is written.

export interface TfContainer {
  /** `Deployment`, `StatefulSet`, … */
  kind: string;
  /** The resource's address (`kubernetes_deployment_v1.api`). */
  workload: string;
  resource: HclBlock;
  block: HclBlock;
  name: string;
  init: boolean;
}

/** Resource type (without `_v1`) -> workload kind and the path of blocks to its pod spec. */
const WORKLOADS: Record<string, { kind: string; path: string[] }> = {
  kubernetes_deployment: { kind: 'Deployment', path: ['spec', 'template', 'spec'] },
  kubernetes_stateful_set: { kind: 'StatefulSet', path: ['spec', 'template', 'spec'] },
  kubernetes_daemonset: { kind: 'DaemonSet', path: ['spec', 'template', 'spec'] },
  kubernetes_daemon_set: { kind: 'DaemonSet', path: ['spec', 'template', 'spec'] },
  kubernetes_replication_controller: { kind: 'ReplicationController', path: ['spec', 'template', 'spec'] },
  kubernetes_job: { kind: 'Job', path: ['spec', 'template', 'spec'] },
  kubernetes_cron_job: { kind: 'CronJob', path: ['spec', 'job_template', 'spec', 'template', 'spec'] },
  kubernetes_pod: { kind: 'Pod', path: ['spec'] },
};

export function tfContainers(file: TerraformFile): TfContainer[] {
  const out: TfContainer[] = [];
  for (const r of file.body.blocks) {
    if (r.type !== 'resource' || r.labels.length < 2) continue;
    const w = WORKLOADS[r.labels[0].replace(/_v\d+$/, '')];
    if (!w) continue;
    let bodies: HclBody[] = [r];
    for (const step of w.path) bodies = bodies.flatMap((b) => blocksOf(b, step));
    for (const pod of bodies) {
      for (const [type, init] of [['init_container', true], ['container', false]] as const) {
        for (const c of blocksOf(pod, type)) out.push({ kind: w.kind, workload: `${r.labels[0]}.${r.labels[1]}`, resource: r, block: c, name: str(attr(c, 'name')?.value) ?? '(unnamed)', init });
      }
    }
  }
  return out;
}

export function terraformOf(parsed: ParsedFile): TerraformFile | undefined {
  return parsed.type === 'terraform' ? (parsed as TerraformFile) : undefined;
}

const who = (c: TfContainer): string => `${c.init ? 'Init container' : 'Container'} '${c.name}' of ${c.kind} '${c.workload}'`;

/** k8s/image-latest on Terraform: `image = "nginx"` or `"nginx:latest"`. */
export function tfImageLatest(file: TerraformFile): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const c of tfContainers(file)) {
    const a = attr(c.block, 'image');
    const image = str(a?.value)?.trim();
    if (!a || !image || image.includes('@')) continue;
    const slash = image.lastIndexOf('/');
    const colon = image.indexOf(':', slash + 1);
    const tag = colon >= 0 ? image.slice(colon + 1) : '';
    if (tag && tag !== 'latest') continue;
    out.push({ range: a.value.range, message: `${who(c)} uses ${tag ? "':latest'" : 'an untagged image (latest)'}: pin a version tag or a digest (\`@sha256:…\`) so releases and rollbacks are exact.` });
  }
  return out;
}

/** k8s/privileged on Terraform: `security_context { privileged = true }`, `allow_privilege_escalation = true`, `run_as_user = 0`. */
export function tfPrivileged(file: TerraformFile): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const c of tfContainers(file)) {
    for (const sc of blocksOf(c.block, 'security_context')) {
      const priv = attr(sc, 'privileged');
      if (priv && isTrueExpr(priv.value)) out.push({ range: priv.range, message: `${who(c)} runs privileged (full access to the node): remove \`privileged = true\` and add only the capabilities it needs (\`capabilities { add = […] }\`).` });
      const esc = attr(sc, 'allow_privilege_escalation');
      if (esc && isTrueExpr(esc.value)) out.push({ range: esc.range, message: `${who(c)} allows privilege escalation: set \`allow_privilege_escalation = false\`.` });
      const user = attr(sc, 'run_as_user');
      if (user && num(user.value) === 0) out.push({ range: user.range, message: `${who(c)} runs as root (run_as_user = 0): run as a non-root UID and set \`run_as_non_root = true\`.` });
    }
  }
  return out;
}

/** k8s/resources-missing on Terraform: `resources { requests = { cpu, memory } limits = { memory } }` (attributes or blocks). */
export function tfResourcesMissing(file: TerraformFile, required: readonly (readonly [string, string])[]): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const c of tfContainers(file)) {
    const res = blocksOf(c.block, 'resources')[0];
    const has = (section: string, key: string): boolean => {
      if (!res) return false;
      const a = attr(res, section);
      if (a) return a.value.type !== 'object' || a.value.items.some((i) => i.key === key);
      return blocksOf(res, section).some((b) => !!attr(b, key));
    };
    const missing = required.filter(([s, k]) => !has(s, k)).map(([s, k]) => `${s}.${k}`);
    if (!missing.length) continue;
    out.push({
      range: res ? res.typeRange : c.block.typeRange,
      message: `${who(c)} is missing resources ${missing.join(', ')}: set requests from observed usage (and a memory limit) so the scheduler and capacity planning can rely on them.`,
    });
  }
  return out;
}

/** k8s/probes-missing on Terraform: a long-running workload's container with no `readiness_probe`; containers without `port` are left out (nothing to route). */
export function tfProbesMissing(file: TerraformFile): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const c of tfContainers(file)) {
    if (c.init || !['Deployment', 'StatefulSet', 'DaemonSet'].includes(c.kind)) continue;
    if (blocksOf(c.block, 'readiness_probe').length || !blocksOf(c.block, 'port').length) continue;
    out.push({ range: attr(c.block, 'name')?.value.range ?? c.block.typeRange, message: `${who(c)} has no readiness_probe: add one (http_get on a health endpoint, or tcp_socket) so traffic and rolling updates wait for healthy pods.` });
  }
  return out;
}
