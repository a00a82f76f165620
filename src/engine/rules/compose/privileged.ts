import { isSeq, YAMLMap } from 'yaml';
import { getNode, getPair, isTrue, pairRange, seqItems, stringValue, YamlFile } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { composeServices, yamlOf } from './composeUtil';

// As k8s/privileged for Compose: `privileged: true` (or `cap_add: [ALL]`) hands the container the
// host's devices and every kernel capability, so a compromise of the service is a compromise of
// the host. Least privilege: add the single capability the service needs. As for k8s/privileged,
// a host agent is the exception by design: a service that works on the host through its
// namespaces or system folders (`pid: host`, `network_mode: host`, a bind mount of `/proc`,
// `/sys`, `/dev`, `/lib/modules` or the Docker socket: a profiler, a node or container monitor)
// needs that access; one that touches nothing of the host is still reported.
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'compose/privileged',
    description: 'A Docker Compose service runs privileged (`privileged: true` or `cap_add: [ALL]`).',
    defaultSeverity: 'warning',
    practice: 'least-privilege',
    kinds: ['compose'],
  },
  check(ctx) {
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    const out: RuleFinding[] = [];
    for (const s of composeServices(file)) {
      const priv = getPair(s.node, 'privileged');
      if (priv && isTrue(priv.value) && hostAgent(s.node)) {
        out.push({ range: pairRange(file, priv), severity: 'info', message: `Service '${s.name}' works on the host (host namespaces or system folders) and runs privileged: it needs host access, but \`privileged: true\` also grants every device and kernel capability. Where its documentation allows, replace it with the capabilities it uses (\`cap_add:\`, e.g. \`SYS_ADMIN\`, \`BPF\`, \`PERFMON\`, \`SYS_PTRACE\` for a profiler or tracer).` });
      } else if (priv && isTrue(priv.value)) {
        out.push({ range: pairRange(file, priv), message: `Service '${s.name}' runs privileged (full access to the host): remove \`privileged: true\` and add only the capabilities it needs (\`cap_add:\`).` });
      }
      const caps = getPair(s.node, 'cap_add');
      if (caps && isSeq(caps.value) && seqItems(caps.value).some((c) => /^(CAP_)?ALL$/i.test(stringValue(c) ?? ''))) {
        out.push({ range: pairRange(file, caps), message: `Service '${s.name}' adds every kernel capability (\`cap_add: [ALL]\`): add only the capabilities it needs.` });
      }
    }
    return out;
  },
};

/** Host folders an agent reads or drives the host through. */
const HOST_SYSTEM_PATH = /^(\/proc|\/sys|\/dev|\/lib\/modules|\/var\/run\/docker\.sock|\/run\/docker\.sock|\/var\/lib\/docker|\/run\/containerd)(\/|$)/;

/** A service that works on the host: its PID or network namespace, or a bind mount of a host system folder. */
function hostAgent(service: YAMLMap): boolean {
  if (/^host$/.test(stringValue(getNode(service, 'pid')) ?? '') || /^host$/.test(stringValue(getNode(service, 'network_mode')) ?? '')) return true;
  return seqItems(getNode(service, 'volumes')).some((v) => {
    const source = stringValue(v)?.split(':')[0] ?? stringValue(getNode(v, 'source'));
    return !!source && HOST_SYSTEM_PATH.test(source);
  });
}
