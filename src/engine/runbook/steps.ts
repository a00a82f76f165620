import type { MarkdownFile } from '../parsers/markdown';
import type { Range } from '../types';
import { classifyScript, classifySql, CommandEffect, isKnownCommand } from './commandEffect';
import { parseShell } from './shellParse';

// The commands a runbook runs, each with its effect (commandEffect.ts), positioned in the file:
// the lines of its shell code blocks (and SQL blocks), and commands in list items (in inline code,
// or a list item that starts with a known command: `- sudo systemctl restart nginx`). The
// runbook/rollback-missing rule asks for a rollback section when a runbook changes production; the
// runnable-runbook lenses confirm `changes` and `unknown` steps naming the command and why.

export interface RunbookStep {
  /** The tool the effect is about, as the rule's hints name it: `kubectl`, `helm`, `terraform`, `SQL`, `database migration`… */
  label: string;
  /** The command as written (through its verb), and its range in the file. */
  text: string;
  range: Range;
  effect: CommandEffect;
}

/** Kept for callers of the former allow-list: a step that changes state. */
export type ChangingStep = RunbookStep;

/** Code block languages read as shell commands (an unlabelled block too). */
const SHELL_LANGS = new Set(['', 'sh', 'bash', 'shell', 'zsh', 'ksh', 'console', 'terminal', 'shell-session', 'sh-session', 'shellsession', 'text', 'txt', 'plaintext', 'plain', 'none', 'cli', 'cmd']);
const SQL_LANGS = new Set(['sql', 'psql', 'pgsql', 'postgres', 'postgresql', 'mysql', 'plsql', 'tsql', 'sqlite', 'mariadb', 'cql']);

/** The label the rollback hints use, from the tool of an effect. */
function labelOf(tool: string): string {
  if (/^(?:kubectl|oc|k|kubecolor)$/.test(tool)) return 'kubectl';
  if (/^helm3?$/.test(tool)) return 'helm';
  if (/^(?:terraform|tofu|terragrunt)$/.test(tool)) return 'terraform';
  if (/^(?:psql|mysql|mariadb|sqlite3|cqlsh|SQL)$/.test(tool)) return 'SQL';
  return tool;
}

/** Every command of the runbook's code blocks and list items, classified, in file order. */
export function runbookSteps(md: MarkdownFile): RunbookStep[] {
  const out: RunbookStep[] = [];
  for (const b of md.codeBlocks) {
    const lang = b.lang.toLowerCase();
    const fenced = /^\s*(```|~~~)/.test(md.lines.line(b.line));
    const first = fenced ? b.line + 1 : b.line;
    if (SQL_LANGS.has(lang)) out.push(...sqlSteps(md, b.content, first));
    else if (SHELL_LANGS.has(lang) || !fenced) out.push(...shellSteps(md, b.content, first, lang === 'console' || lang === 'terminal' || lang.endsWith('session')));
  }
  for (const item of md.listItems) out.push(...listItemSteps(md, item.line));
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** The runbook's steps that change state, in file order (the rule's evidence). */
export function changingSteps(md: MarkdownFile): RunbookStep[] {
  return runbookSteps(md).filter((s) => s.effect.effect === 'changes');
}

/** Maps offsets of a block's content (its lines starting at file line `first`) to file positions. */
function positioner(md: MarkdownFile, content: string, first: number): (offset: number) => { line: number; character: number } {
  const starts = [0];
  for (let i = 0; i < content.length; i++) if (content[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let k = 0;
    while (k + 1 < starts.length && starts[k + 1] <= offset) k++;
    const contentLine = content.slice(starts[k], k + 1 < starts.length ? starts[k + 1] - 1 : content.length).replace(/\r$/, '');
    const raw = md.lines.line(first + k) ?? '';
    const indent = raw.endsWith(contentLine) ? raw.length - contentLine.length : 0;
    return { line: first + k, character: indent + offset - starts[k] };
  };
}

function shellSteps(md: MarkdownFile, content: string, first: number, consoleBlock: boolean): RunbookStep[] {
  const at = positioner(md, content, first);
  const out: RunbookStep[] = [];
  const push = (effects: CommandEffect[], base: number): void => {
    for (const e of effects) out.push({ label: labelOf(e.tool), text: e.text, range: { start: at(base + e.start), end: at(base + e.end) }, effect: e });
  };
  if (!consoleBlock) {
    push(classifyScript(content), 0);
    return out;
  }
  // A transcript: only the lines after a `$ ` or `# ` prompt are commands; the rest is output.
  let offset = 0;
  for (const line of content.split('\n')) {
    const m = /^(\s*[$#]\s+)(.*)$/.exec(line.replace(/\r$/, ''));
    if (m) push(classifyScript(m[2]), offset + m[1].length);
    offset += line.length + 1;
  }
  return out;
}

function sqlSteps(md: MarkdownFile, content: string, first: number): RunbookStep[] {
  const at = positioner(md, content, first);
  const out: RunbookStep[] = [];
  // One statement at a time, so the finding sits on the statement that changes data.
  const re = /[^;]+;?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(content))) {
    const raw = m[0];
    const lead = raw.length - raw.replace(/^(?:\s|--[^\n]*\n?)+/, '').length;
    const body = raw.slice(lead).replace(/;$/, '').trimEnd();
    if (!body) continue;
    const r = classifySql(body);
    const start = m.index + lead;
    const firstLine = body.split('\n')[0];
    const effect: CommandEffect = { effect: r.effect, because: r.because, tool: 'SQL', text: firstLine.length > 80 ? firstLine.slice(0, 79) + '…' : firstLine, start, end: start + firstLine.length };
    if (r.effect === 'changes') {
      if (r.reversible === false) effect.reversible = false;
      if (r.restartLike) effect.restartLike = true;
    }
    out.push({ label: 'SQL', text: effect.text, range: { start: at(start), end: at(start + firstLine.length) }, effect });
  }
  return out;
}

/** Commands in a list item: its inline code spans, or the item itself when it starts with a known command. */
function listItemSteps(md: MarkdownFile, n: number): RunbookStep[] {
  const line = md.lines.line(n);
  const out: RunbookStep[] = [];
  const add = (text: string, offset: number): void => {
    for (const e of classifyScript(text)) {
      out.push({ label: labelOf(e.tool), text: e.text, range: { start: { line: n, character: offset + e.start }, end: { line: n, character: offset + e.end } }, effect: e });
    }
  };
  const spans = [...line.matchAll(/(`+)([^`]+?)\1(?!`)/g)];
  if (spans.length) {
    const commands = spans.filter((s) => {
      const name = parseShell(s[2])[0]?.words?.[0]?.value ?? '';
      // Inline code that names a file, a value or a resource is not a command.
      return isKnownCommand(name) || /^(?:\.{0,2}\/|~\/)\S+\.(?:sh|py|rb)$/.test(name);
    });
    // Commands named in a row (`oc logs`, `oc exec` and `oc attach` will not work): the
    // sentence talks about them, it does not run them.
    const listed = new Set<RegExpMatchArray>();
    for (let i = 1; i < commands.length; i++) {
      const a = commands[i - 1];
      const b = commands[i];
      if (/^\s*(?:,|\/|&|;)?\s*(?:and|or|nor)?\s*$/i.test(line.slice(a.index! + a[0].length, b.index!))) listed.add(a).add(b);
    }
    for (const s of commands) if (!listed.has(s)) add(s[2], s.index! + s[1].length);
    return out;
  }
  const m = /^(\s*(?:>\s*)*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?)(.*)$/.exec(line);
  if (!m) return out;
  const rest = m[2];
  const firstWord = /^[\w./-]+/.exec(rest)?.[0] ?? '';
  // Prose starts with a capital or a word no tool has; a command starts with its name.
  if (!firstWord || !isKnownCommand(firstWord) || !/^[a-z]/.test(firstWord) || !PROSE_SAFE.has(firstWord) && !/\s-{1,2}\w|\s\S+\/\S+/.test(rest)) return out;
  add(rest, m[1].length);
  return out;
}

/** Command names that, at the start of a list item, are not also English words. */
const PROSE_SAFE = new Set(['sudo', 'kubectl', 'helm', 'terraform', 'tofu', 'terragrunt', 'aws', 'gcloud', 'gsutil', 'az', 'vault', 'consul', 'etcdctl', 'docker', 'podman', 'systemctl', 'psql', 'mysql', 'mongosh', 'mongo', 'redis-cli', 'curl', 'wget', 'ansible', 'ansible-playbook', 'git', 'argocd', 'flux', 'velero', 'nomad', 'patronictl', 'journalctl', 'istioctl', 'eksctl', 'oc', 'rm', 'mv', 'chmod', 'chown', 'pkill', 'killall', 'resize2fs', 'xfs_growfs', 'pg_dump', 'mysqldump']);
