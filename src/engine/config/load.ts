import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { isMap, isSeq, Node, parseDocument } from 'yaml';
import { firstAliasRange } from '../parsers/yaml';
import { readTextSafeSync, realRootSync } from '../fsSafe';
import type { ZodError } from 'zod';
import { LineIndex } from '../text';
import { RETIRED_RULES } from '../rules/retired';
import type { ParseError, Range } from '../types';
import { configSchema, defaultConfig, OpsReviewConfig } from './schema';

export const CONFIG_FILE_NAMES = ['.opsreview.yml', '.opsreview.yaml'];

export interface LoadedConfig {
  config: OpsReviewConfig;
  /** Absolute path of the file read, when there was one. */
  path?: string;
  /** YAML and schema errors, positioned in the config file. The defaults apply where it is invalid. */
  errors: ParseError[];
  /** Valid but worth changing (a retired rule id under `rules:`): shown, never blocking. */
  warnings?: ParseError[];
  /**
   * The options the file sets, as dotted paths (`alerts.allowedSeverities`, `rules`): detected
   * conventions apply to every other option. Empty without a file (or with an invalid one).
   */
  explicitKeys: Set<string>;
}

/** Dotted paths of the options a valid config object sets: top-level keys, and one level down in the sections. */
export function explicitKeysOf(raw: unknown): Set<string> {
  const out = new Set<string>();
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    out.add(key);
    // Every section (runbooks, alerts, alertmanager, …) is a map; its options are set one by one.
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const sub of Object.keys(value as Record<string, unknown>)) out.add(`${key}.${sub}`);
    }
  }
  return out;
}

/** Finds `.opsreview.yml` in `startDir` or the nearest folder above it, stopping at `stopAt` (inclusive) when given. */
export function findConfigFile(startDir: string, stopAt?: string): string | undefined {
  let dir = path.resolve(startDir);
  const stop = stopAt ? path.resolve(stopAt) : undefined;
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    if (stop && dir === stop) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** A config file is a few lines; anything this large is not one. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Reads and validates a config file. `confineTo`: a folder the file must really live in (a found
 * `.opsreview.yml` that is a symlink to /etc/passwd would otherwise be quoted in errors).
 */
export function loadConfigFile(file: string, confineTo?: string): LoadedConfig {
  // Never a blocking read: the name may be a named pipe, a folder or a device.
  const read = readTextSafeSync(file, confineTo ? realRootSync(confineTo) : undefined, MAX_CONFIG_BYTES);
  if (!read.ok) {
    const name = path.basename(file);
    const message =
      read.code === 'not-regular' && /folder/.test(read.reason)
        ? `${name} is a folder, not a file: OpsReview reads its configuration from a file of that name. Rename the folder or pass --config.`
        : `Cannot read ${name}: ${read.reason}.`;
    return { config: defaultConfig(), path: file, errors: [{ message, range: zero(), severity: 'error' }], explicitKeys: new Set() };
  }
  return { ...parseConfigText(read.text), path: file };
}

/**
 * Parses and validates config text. Every problem comes back positioned on the offending key or
 * value with zod's message; an invalid file falls back to the defaults rather than half-applying.
 */
export function parseConfigText(text: string): LoadedConfig {
  const lines = new LineIndex(text);
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const errors: ParseError[] = doc.errors.map((e) => ({
    message: `Invalid YAML in .opsreview.yml: ${e.message.split('\n')[0]}`,
    range: lines.rangeOf(e.pos[0], Math.max(e.pos[1], e.pos[0] + 1)),
    severity: 'error' as const,
  }));
  if (errors.length) return { config: defaultConfig(), errors, explicitKeys: new Set() };
  let raw: unknown;
  try {
    // Aliases that expand exponentially ("billion laughs") stop here rather than exhausting memory.
    raw = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (e) {
    return { config: defaultConfig(), errors: [{ message: `Invalid YAML in .opsreview.yml: ${(e as Error).message}`, range: firstAliasRange(doc, lines), severity: 'error' }], explicitKeys: new Set() };
  }
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return { config: parsed.data, errors: [], explicitKeys: explicitKeysOf(raw), warnings: retiredRuleWarnings(parsed.data.rules, doc.contents as Node | null, lines) };
  // An invalid file applies nothing, so nothing in it counts as set: detection fills every key.
  return { config: defaultConfig(), errors: zodErrors(parsed.error, doc.contents as Node | null, lines), explicitKeys: new Set() };
}

/** `rules:` entries that name a retired rule id: they still apply (to the new id); say so. */
function retiredRuleWarnings(rules: Record<string, unknown>, root: Node | null, lines: LineIndex): ParseError[] {
  return Object.keys(rules)
    .filter((id) => RETIRED_RULES[id])
    .map((id) => {
      const r = RETIRED_RULES[id];
      const node = nodeAt(root, ['rules'], id);
      return {
        message: `.opsreview.yml rules.${id}: this rule was merged into '${r.replacedBy}' in ${r.since} (${r.note}); the setting applies to '${r.replacedBy}': rename the key.`,
        range: node?.range ? lines.rangeOf(node.range[0], node.range[1]) : zero(),
        severity: 'warning' as const,
      };
    });
}

/** Zod issues as errors positioned on the YAML node they name; `label` starts each message (a file name). */
export function zodErrors(error: ZodError, root: Node | null, lines: LineIndex, label = '.opsreview.yml'): ParseError[] {
  return error.issues.map((issue) => {
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `Unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    const node = nodeAt(root, issue.path as (string | number)[], issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined);
    const r = node?.range;
    return {
      message: `${label} ${where}: ${message}`,
      range: r ? lines.rangeOf(r[0], r[1]) : zero(),
      severity: 'error' as const,
    };
  });
}

/** The YAML node a zod issue path points at (the key node for unknown keys), or the deepest one found. */
function nodeAt(root: Node | null, p: (string | number)[], unknownKey?: string): Node | undefined {
  let node: Node | null | undefined = root;
  let last: Node | undefined = root ?? undefined;
  const steps = unknownKey !== undefined ? [...p, unknownKey] : p;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    const isLast = i === steps.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((it) => String((it.key as { value?: unknown })?.value) === String(step));
      if (!pair) return last;
      // For an unknown key, point at the key itself.
      node = (isLast && unknownKey !== undefined ? pair.key : pair.value) as Node | null;
    } else if (isSeq(node) && typeof step === 'number') {
      node = node.items[step] as Node | null;
    } else {
      return last;
    }
    if (node) last = node;
  }
  return last;
}

function zero(): Range {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}
