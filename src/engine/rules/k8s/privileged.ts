import { getNode, getPair, isTrue, pairRange, scalarValue, YamlFile, YNode } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { terraformOf, tfPrivileged } from './tfWorkloads';
import { containers, Workload, workloads, yamlOf } from './workloads';
import { seqItems } from '../../parsers/yaml';

// A privileged container, one allowed to gain privileges, or one running as root is a host
// compromise away from the node and everything scheduled on it. Least privilege: run as a
// non-root user without escalation, and grant single capabilities where really needed. A node
// agent is the exception by design: a DaemonSet that works on its node through the host's
// namespaces or file system (`hostPID`, `hostNetwork`, a `hostPath` volume: a CNI, CSI or log
// agent, an installer) needs root there; one that touches nothing of the host is still reported.
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'k8s/privileged',
    description: 'A container is privileged, may escalate privileges, or runs as root (UID 0).',
    defaultSeverity: 'error',
    profile: 'all',
    practice: 'least-privilege',
    kinds: ['k8s-manifest', 'terraform'],
    subject: 'k8s-workload',
    equivalents: [
      { tool: 'checkov', id: 'CKV_K8S_16' },
      { tool: 'checkov', id: 'CKV_K8S_20' },
      { tool: 'kube-linter', id: 'privileged-container' },
      { tool: 'kube-linter', id: 'privilege-escalation-container' },
      { tool: 'kube-linter', id: 'run-as-non-root' },
    ],
  },
  check(ctx) {
    // The kubernetes provider's workloads written in Terraform (kubernetes_deployment_v1, …).
    const tf = terraformOf(ctx.parsed);
    if (tf) return tfPrivileged(tf);
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    const out: RuleFinding[] = [];
    const check = (sc: YNode, who: string, pod: boolean) => {
      if (!pod) {
        const priv = getPair(sc, 'privileged');
        if (priv && isTrue(priv.value)) {
          out.push({ range: pairRange(file, priv), message: `${who} runs privileged (full access to the node): remove \`privileged: true\` and add only the capabilities it needs (\`capabilities.add\`).` });
        }
        const esc = getPair(sc, 'allowPrivilegeEscalation');
        if (esc && isTrue(esc.value)) {
          out.push({ range: pairRange(file, esc), message: `${who} allows privilege escalation: set \`allowPrivilegeEscalation: false\`.` });
        }
      }
      const user = getPair(sc, 'runAsUser');
      if (user && (scalarValue(user.value) === 0 || scalarValue(user.value) === '0')) {
        out.push({ range: pairRange(file, user), message: `${who} runs as root (runAsUser: 0): run as a non-root UID and set \`runAsNonRoot: true\`.` });
      }
    };
    for (const w of workloads(file)) {
      if (nodeAgent(w)) continue;
      check(getNode(w.podSpec, 'securityContext'), `Pod of ${w.kind} '${w.name}'`, true);
      for (const c of containers(w)) check(getNode(c.node, 'securityContext'), `${c.init ? 'Init container' : 'Container'} '${c.name}' of ${w.kind} '${w.name}'`, false);
    }
    return out;
  },
};

/** A DaemonSet that works on its node: host namespaces or a `hostPath` volume. */
function nodeAgent(w: Workload): boolean {
  if (w.kind !== 'DaemonSet') return false;
  if (['hostPID', 'hostNetwork', 'hostIPC'].some((k) => isTrue(getNode(w.podSpec, k)))) return true;
  return seqItems(getNode(w.podSpec, 'volumes')).some((v) => getPair(v, 'hostPath') !== undefined);
}
