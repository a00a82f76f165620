import { getPair, isMap, pairRange, stringValue, YamlFile } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { argValue, COMMAND_MODULES, commandLine, findArg, moduleArgs, moduleOf, playsOf, tasksOf, yamlOf } from './ansibleUtil';
import { getNode, seqItems, YNode } from '../../parsers/yaml';
import type { Node, Scalar, YAMLMap } from 'yaml';

// `ignore_errors: true` turns a failed change into a green run: the failure is only noticed
// later, in production. As in ansible-lint, a task that registers its result (and so can check
// it) and `ignore_errors: "{{ ansible_check_mode }}"` are accepted, and so is one whose comment
// says why. A best-effort removal (a teardown or clean-up task, or a block of them, that only
// deletes: `state: absent`, `rm`, `kubectl delete`, `dnf module disable`) is accepted too: what
// it removes may already be gone, and a failure there leaves nothing half-changed to notice.
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'ansible/ignore-errors',
    description: '`ignore_errors: true` hides failures instead of handling them.',
    defaultSeverity: 'warning',
    practice: 'error-handling',
    kinds: ['ansible-playbook', 'ansible-tasks'],
    productionOnly: true,
    equivalents: [{ tool: 'ansible-lint', id: 'ignore-errors' }],
  },
  check(ctx) {
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    const out: RuleFinding[] = [];
    const nodes = [...(ctx.file.kind === 'ansible-playbook' ? playsOf(file) : []), ...tasksOf(file, ctx.file.kind).map((t) => t.node)];
    for (const node of nodes) {
      const p = getPair(node, 'ignore_errors');
      if (!p || !isTrueish(p.value)) continue;
      if (getPair(node, 'register')) continue;
      if (onlyRemoves(file, node)) continue;
      if (explained(file, pairRange(file, p).start.line)) continue;
      out.push({
        range: pairRange(file, p),
        message: 'ignore_errors: true hides failures: handle the expected failure with `failed_when:` or a `block`/`rescue`, or `register` the result and check it.',
      });
    }
    return out;
  },
};

/**
 * A comment says why the failure is ignored, on the `ignore_errors` line or the line above it
 * ("# Best effort: the VM may already be gone"): a decision written down, for a reviewer to
 * judge. Tool directives (`# noqa`, `# opsreview-disable…`) are not reasons.
 */
function explained(file: YamlFile, line: number): boolean {
  const comments = [/\s#\s*(.*)$/.exec(file.lines.line(line))?.[1], line > 0 ? /^\s*#\s*(.*)$/.exec(file.lines.line(line - 1))?.[1] : undefined];
  return comments.some((c) => !!c && !/^(noqa|opsreview-|nosec|tflint|checkov|trivy)/i.test(c.trim()) && /[A-Za-z]{2,}.*\s.*[A-Za-z]{2,}|^[A-Za-z]{4,}/.test(c.trim()));
}

const REMOVED_STATES = /^(absent|deleted|removed|unregistered|detached)$/;
/** A command whose every step takes something away: `rm -rf`, `docker rm`, `kubectl delete`, `dnf module disable`. */
const REMOVING_STEP = /^(sudo\s+)?(rm|rmdir|unlink|userdel|groupdel|pkill|kill|umount)\b|\s(rm|rmi|delete|remove|destroy|uninstall|disable|purge|erase|deregister|unregister|detach)\b|\s(delete|remove|deregister|detach)-[\w-]+/;

/** A task, or a block of tasks, that only removes things (a best-effort teardown). */
function onlyRemoves(file: YamlFile, node: YNode): boolean {
  const map = node as YAMLMap<Scalar, Node>;
  if (getPair(map, 'block')) {
    const items = ['block', 'rescue', 'always'].flatMap((k) => seqItems(getNode(map, k)));
    return items.length > 0 && items.every((n) => onlyRemoves(file, n));
  }
  if (getPair(map, 'hosts')) return false; // a play
  const mod = moduleOf(map);
  if (!mod) return false;
  if (COMMAND_MODULES.has(mod.name)) {
    const steps = commandLine(map, mod).split(/&&|\|\||[;\n]/).map((x) => x.trim()).filter(Boolean);
    return steps.length > 0 && steps.every((x) => REMOVING_STEP.test(x));
  }
  return REMOVED_STATES.test(argValue(findArg(moduleArgs(file, map, mod), 'state'))?.trim() ?? '');
}

function isTrueish(v: unknown): boolean {
  if (isMap(v)) return false;
  const s = stringValue(v as never);
  if (s === undefined) return false;
  return /^(true|yes|on|y|1)$/i.test(s.trim());
}
