import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { CommandEffect } from '../engine/runbook/commandEffect';
import { runnableBlocks } from '../engine/runbook/runnable';

// `opsreview runbook steps <file>`: what a runbook will run and what each step does, as the editor's
// runner sees it: every runnable (fenced shell) step with its line, language, commands, effect
// (reads / changes / unknown, the strongest of its commands), why, and the placeholders it asks
// for. A reviewer sees what a runbook will change before anyone runs it.
// Exit codes: 0 listed (also when there is no runnable step), 2 usage error or unreadable file.

export const RUNBOOK_USAGE = '  opsreview runbook steps <file> [--format text|json]\n                                           each runnable step of a runbook: command, effect (reads, changes, unknown) and why';

export interface StepListing {
  /** 1-based line of the step's first command. */
  line: number;
  language: string;
  command: string;
  effect: CommandEffect['effect'];
  because: string;
  placeholders: string[];
  /** Each command of the step: its line, text, effect and why. */
  commands: { line: number; command: string; effect: CommandEffect['effect']; because: string }[];
}

/** The runnable steps of a runbook's text, as `runbook steps` lists them. */
export function listSteps(text: string): StepListing[] {
  return runnableBlocks(text).map((b) => {
    const firstLine = b.line + 2;
    const lineOf = (offset: number): number => firstLine + (b.script.slice(0, offset).match(/\n/g)?.length ?? 0);
    const deciding = b.effects.filter((e) => e.effect === b.effect);
    const because = [...new Set(deciding.map((e) => e.because))].join('; ') || 'runs no command';
    return {
      line: firstLine,
      language: b.lang,
      command: b.script,
      effect: b.effect,
      because,
      placeholders: b.placeholders.map((p) => p.text),
      // Console transcripts keep only their prompted lines: their offsets are not the file's.
      commands: b.effects.map((e) => ({ line: b.lang === 'console' ? firstLine : lineOf(e.start), command: e.text, effect: e.effect, because: e.because })),
    };
  });
}

export async function runbookCommand(args: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string', short: 'f', default: 'text' } } });
  const [sub, file] = positionals;
  const format = values.format!;
  if (sub !== 'steps' || !file || positionals.length > 2 || !['text', 'json'].includes(format)) {
    err(`opsreview: usage:\n${RUNBOOK_USAGE}\n`);
    return 2;
  }
  const abs = path.resolve(file);
  let text: string;
  try {
    if (!statSync(abs).isFile()) throw new Error('not a file');
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    err(`opsreview: cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`);
    return 2;
  }
  const steps = listSteps(text);
  if (format === 'json') {
    out(JSON.stringify(steps, null, 2) + '\n');
    return 0;
  }
  if (!steps.length) {
    out(`${file}: no runnable step (fenced sh, bash, shell, zsh or console block)\n`);
    return 0;
  }
  steps.forEach((s, i) => {
    out(`${file}:${s.line} step ${i + 1} (${s.language}): ${s.effect}\n`);
    for (const line of s.command.split('\n')) out(`  ${line}\n`);
    out(`  because: ${s.because}\n`);
    if (s.placeholders.length) out(`  placeholders: ${s.placeholders.join(', ')}\n`);
  });
  const count = (e: string): number => steps.filter((s) => s.effect === e).length;
  out(`${steps.length} step${steps.length === 1 ? '' : 's'}: ${count('changes')} change state, ${count('unknown')} unknown, ${count('reads')} only read\n`);
  return 0;
}
