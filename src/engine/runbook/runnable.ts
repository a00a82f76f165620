import type { MarkdownFile } from '../parsers/markdown';
import { parseMarkdown } from '../parsers/markdown';
import type { Range } from '../types';
import { classifyScript, CommandEffect, Effect, strongest } from './commandEffect';
import { isAnglePlaceholder } from './placeholders';

// Runnable runbooks: the fenced shell blocks of a runbook as steps an editor can run, with the
// placeholders to ask for and the commands to confirm (those that change state or whose effect is
// unknown, from the command-effect classifier, commandEffect.ts). The editor drives the
// terminal; what a step is, what it needs and what it changes is decided here, where tests reach it.

export const RUNNABLE_LANGS = ['sh', 'bash', 'shell', 'console', 'zsh'] as const;

export interface ShellPlaceholder {
  /** As written: `${NAMESPACE}`, `$POD`, `<service>`. */
  text: string;
  /** The name asked for: `NAMESPACE`, `POD`, `service`. */
  name: string;
}

export interface RunnableBlock {
  /** Position among the runnable blocks of the file (0-based). */
  index: number;
  lang: string;
  /** Line of the opening fence. */
  line: number;
  range: Range;
  /** The commands to run: the block's text, or the `$ `-prompted lines of a `console` block. */
  script: string;
  placeholders: ShellPlaceholder[];
  /** Every command of the block with its effect (offsets in `script`). */
  effects: CommandEffect[];
  /** The strongest effect of the block: changes > unknown > reads. */
  effect: Effect;
  /** The commands to confirm before running: those that change state or whose effect is unknown. */
  confirm: CommandEffect[];
}

/** Environment variables every shell sets: never placeholders. */
const SHELL_VARIABLES = new Set(['HOME', 'PATH', 'USER', 'PWD', 'OLDPWD', 'SHELL', 'HOSTNAME', 'LANG', 'TERM', 'TMPDIR', 'UID', 'EUID', 'RANDOM', 'SECONDS', 'LINENO', 'IFS', 'PS1', 'KUBECONFIG', 'EDITOR', 'PAGER']);

/** The runnable (shell) blocks of a runbook, in file order. */
export function runnableBlocks(source: string | MarkdownFile): RunnableBlock[] {
  const md = typeof source === 'string' ? parseMarkdown(source) : source;
  const out: RunnableBlock[] = [];
  for (const b of md.codeBlocks) {
    const lang = b.lang.toLowerCase();
    if (!(RUNNABLE_LANGS as readonly string[]).includes(lang)) continue;
    if (!/^\s*(```|~~~)/.test(md.lines.line(b.line))) continue; // fenced only: an indented block has no language
    const script = lang === 'console' ? consoleCommands(b.content) : b.content.replace(/\s+$/, '');
    if (!script.trim()) continue;
    const effects = classifyScript(script);
    const confirm = effects.filter((e) => e.effect !== 'reads');
    out.push({ index: out.length, lang, line: b.line, range: b.range, script, placeholders: shellPlaceholders(script), effects, effect: strongest(effects), confirm });
  }
  return out;
}

/** One line per command to confirm: the command as written and why (`vault write` — vault write changes state: …), each reason once. */
export function confirmationLines(confirm: readonly CommandEffect[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of confirm) {
    const line = `\`${e.text}\` — ${e.because}`;
    if (seen.has(line)) continue;
    seen.add(line);
    out.push(line);
  }
  return out;
}

/** What the confirmation of one step asks, and the detail that names each command and why. */
export function stepConfirmation(block: RunnableBlock): { message: string; detail: string } | undefined {
  if (!block.confirm.length) return undefined;
  const changes = block.confirm.some((e) => e.effect === 'changes');
  const unknown = block.confirm.some((e) => e.effect === 'unknown');
  const what = changes && unknown ? 'It changes state, and the effect of some of its commands is unknown' : changes ? 'It changes state' : 'The effect of its commands is unknown';
  return { message: `Run step ${block.index + 1}? ${what}.`, detail: confirmationLines(block.confirm).join('\n') };
}

/** What "Run all" asks once: every step that changes state or whose effect is unknown, with its commands and why. */
export function runAllConfirmation(blocks: readonly RunnableBlock[]): { message: string; detail: string } | undefined {
  const asking = blocks.filter((b) => b.confirm.length);
  if (!asking.length) return undefined;
  const detail = asking.map((b) => `Step ${b.index + 1} (line ${b.line + 1}): ${confirmationLines(b.confirm).join('; ')}`).join('\n');
  const n = asking.length;
  return { message: `Run all ${blocks.length} steps? ${n === 1 ? 'One of them changes state or has an unknown effect' : `${n} of them change state or have an unknown effect`}.`, detail };
}

/** The commands of a `console` transcript: lines after a `$ ` or `# ` prompt (output lines dropped). */
export function consoleCommands(content: string): string {
  const out: string[] = [];
  for (const line of content.split(/\r?\n/)) {
    const m = /^\s*[$#]\s+(.*)$/.exec(line);
    if (m) out.push(m[1]);
  }
  return out.join('\n');
}

/**
 * Values the reader must supply before the block can run: `${NAME}` and `$NAME` in capitals
 * (shell convention for values set from outside) that the block does not set itself and that a
 * shell does not provide, and `<name>` angle placeholders. Each name once, in order of appearance.
 */
export function shellPlaceholders(script: string): ShellPlaceholder[] {
  const assigned = new Set<string>();
  const assign = /(?:^|[\s;&|(])(?:export\s+|local\s+|readonly\s+)?([A-Za-z_][A-Za-z0-9_]*)=/g;
  const loopOrRead = /\b(?:for|read(?:\s+-\w+)*)\s+([A-Za-z_][A-Za-z0-9_]*)/g;
  for (const re of [assign, loopOrRead]) for (const m of script.matchAll(re)) assigned.add(m[1]);
  const found: { at: number; p: ShellPlaceholder }[] = [];
  const seen = new Set<string>();
  const add = (at: number, text: string, name: string): void => {
    if (seen.has(text)) return;
    seen.add(text);
    found.push({ at, p: { text, name } });
  };
  // Text in single quotes is literal to the shell: `awk '{print $1}'` holds no placeholder.
  const literal = singleQuotedSpans(script);
  const inLiteral = (at: number): boolean => literal.some(([a, b]) => at > a && at < b);
  for (const m of script.matchAll(/\$\{([A-Z][A-Z0-9_]*)\}|\$([A-Z][A-Z0-9_]*)\b/g)) {
    const name = m[1] ?? m[2];
    if (assigned.has(name) || SHELL_VARIABLES.has(name) || inLiteral(m.index!)) continue;
    add(m.index!, m[0], name);
  }
  for (const m of script.matchAll(/(?<![\w<])<([A-Za-z](?:[^<>\n]*[^<>\s])?)>/g)) {
    if (!isAnglePlaceholder(m[1])) continue;
    add(m.index!, m[0], m[1]);
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.p);
}

function singleQuotedSpans(script: string): [number, number][] {
  const spans: [number, number][] = [];
  let open = -1;
  let inDouble = false;
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (c === '\\' && open < 0) {
      i++;
      continue;
    }
    if (c === '"' && open < 0) inDouble = !inDouble;
    else if (c === "'" && !inDouble) {
      if (open < 0) open = i;
      else {
        spans.push([open, i]);
        open = -1;
      }
    }
  }
  return spans;
}

/** The script with each placeholder replaced by its value (placeholders without a value stay). */
export function fillPlaceholders(script: string, placeholders: readonly ShellPlaceholder[], values: Readonly<Record<string, string>>): string {
  let out = script;
  // Longest first, so `$POD_NAME` is not cut by `$POD`.
  for (const p of [...placeholders].sort((a, b) => b.text.length - a.text.length)) {
    const v = values[p.name];
    if (v === undefined) continue;
    out = p.text.startsWith('$') && !p.text.startsWith('${') ? out.replace(new RegExp(`\\$${p.name}(?![A-Za-z0-9_])`, 'g'), () => v) : out.split(p.text).join(v);
  }
  return out;
}

/** One line of a run log: what ran, when, and how it ended. */
export interface RunRecord {
  command: string;
  start: Date;
  end?: Date;
  /** Undefined when the terminal could not tell (no shell integration). */
  exitCode?: number;
  /** Where it came from: `runbooks/x.md#step 2`. */
  source?: string;
}

/**
 * The run log as a timestamped markdown list, in the shape of a postmortem timeline
 * (`- 14:02:11Z — ran …`): times in UTC so transcripts from several people line up.
 */
export function runTranscript(records: readonly RunRecord[], title = 'Runbook run'): string {
  const time = (d: Date): string => d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  const lines = [`## ${title}`, ''];
  for (const r of records) {
    const outcome = r.exitCode === undefined ? (r.end ? 'exit code unknown (no shell integration)' : 'still running') : r.exitCode === 0 ? 'succeeded (exit 0)' : `FAILED (exit ${r.exitCode})`;
    const cmd = r.command.trim().split(/\r?\n/).join(' ⏎ ');
    lines.push(`- ${time(r.start)} — ran \`${cmd}\`${r.source ? ` (${r.source})` : ''}; ${r.end ? `ended ${time(r.end)}, ` : ''}${outcome}`);
  }
  return lines.join('\n') + '\n';
}
