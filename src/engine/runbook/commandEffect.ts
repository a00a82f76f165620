import { parseShell, ShellWord, SimpleCommand } from './shellParse';

// What a runbook step does to the systems it runs against: it only `reads`, it `changes` state, or
// its effect is `unknown` (a custom script, a tool or verb this table does not know, a database
// client with no query in sight). Whatever is not known is `unknown`, never silently safe: the
// runner confirms `changes` and `unknown` steps, and runbook/rollback-missing counts `changes`.
//
// Each answer carries `because`, a sentence naming the tool and verb ("vault write changes state:
// writes a secret or issues a certificate"), and, for changes, what a rollback plan makes of them:
// `restartLike` (a restart, a pod or lease deletion: nothing to roll back), `reversible: false`
// (dropped data, a grown volume: cannot be undone, a backup or verification is what helps),
// `backup` (a backup or snapshot step), `local` (writes files or tool state on this machine only).
//
// Commands are read with a shell tokenizer (shellParse.ts), verb-aware per tool. The effect of a
// line is the strongest of its parts: changes > unknown > reads. `sudo`, `env`, `time`, `watch`,
// `xargs`, `timeout`, `nohup`, `ssh host …`, `bash -c …`, `kubectl exec … --` are looked through.

export type Effect = 'reads' | 'changes' | 'unknown';

export interface CommandEffect {
  effect: Effect;
  /** Why, naming the tool and verb: "kubectl get only reads". */
  because: string;
  /** The tool (command name) the answer is about: `kubectl`, `vault`, `psql`, `./rotate.sh`, `shell`. */
  tool: string;
  /** The command as written, through its verb (`kubectl -n prod scale`), or the whole command. */
  text: string;
  /** Offsets of `text` in the classified script. */
  start: number;
  end: number;
  /** A change that cannot be undone (dropped data, a grown volume): false; otherwise absent. */
  reversible?: false;
  /** A restart (`rollout restart`, `systemctl restart`), a pod or lease deletion, failed-pod cleanup. */
  restartLike?: true;
  /** Itself a rollback to an earlier version (`kubectl rollout undo`, `helm rollback`): the undo, not a change to plan one for. */
  rollback?: true;
  /** A backup or snapshot of data (`pg_dump`, `etcdctl snapshot save`, `aws rds create-db-snapshot`). */
  backup?: true;
  /**
   * Upkeep that leaves nothing to roll back: a throw-away debug pod or container (`--rm`, `debug`),
   * planner statistics (`ANALYZE`, `VACUUM`), a tool installed or old packages purged, a runtime
   * setting the next restart resets (`sysctl -w`), a retry or cache flush, a chat message.
   */
  housekeeping?: true;
  /** Changes only files or tool state on the machine that runs it (a redirection into a file, `rm`, `git commit`). */
  local?: true;
}

const RANK: Record<Effect, number> = { reads: 0, unknown: 1, changes: 2 };

/** The stronger of two effects (changes > unknown > reads). */
export function strongerEffect(a: Effect, b: Effect): Effect {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The strongest of the effects (reads when there are none). */
export function strongest(effects: readonly CommandEffect[]): Effect {
  return effects.reduce<Effect>((e, c) => strongerEffect(e, c.effect), 'reads');
}

/** Every command of a shell script (a step), classified, in order; substitutions' commands included. */
export function classifyScript(script: string): CommandEffect[] {
  return classifyIn(script, 0);
}

/** One command line, as a single answer: the strongest of its commands (reads for an empty line). */
export function classifyLine(line: string): CommandEffect | undefined {
  const all = classifyScript(line);
  return pickStrongest(all);
}

/** The first of the strongest answers. */
export function pickStrongest(all: readonly CommandEffect[]): CommandEffect | undefined {
  let best: CommandEffect | undefined;
  for (const e of all) if (!best || RANK[e.effect] > RANK[best.effect]) best = e;
  return best;
}

/** Command names that are tools this module knows (for telling a command from prose in a list item). */
export function isKnownCommand(name: string): boolean {
  const base = name.replace(/^.*\//, '');
  return Object.prototype.hasOwnProperty.call(TOOLS, base) || READ_ONLY.has(base) || PREFIXES.has(base) || MIGRATION_RUNNERS.has(base);
}

// ---------------------------------------------------------------------------------------------

interface Verdict {
  effect: Effect;
  because: string;
  /** Index in `args` of the last word of the verb (for `text`); undefined: the whole command. */
  at?: number;
  reversible?: false;
  restartLike?: true;
  backup?: true;
  local?: true;
  rollback?: true;
  housekeeping?: true;
}

interface Ctx {
  name: string;
  args: ShellWord[];
  /** Text the command reads on standard input, when the step shows it (here-document, `echo … |`). */
  stdin?: string;
  /** A file redirected into standard input (`< migrate.sql`). */
  stdinFile?: string;
  depth: number;
}

type Extra = Pick<Verdict, 'reversible' | 'restartLike' | 'backup' | 'local' | 'rollback' | 'housekeeping'>;
const reads = (because: string, at?: number, extra: Extra = {}): Verdict => ({ effect: 'reads', because, at, ...extra });
const changes = (because: string, at?: number, extra: Extra = {}): Verdict => ({ effect: 'changes', because, at, ...extra });
const unknown = (because: string, at?: number): Verdict => ({ effect: 'unknown', because, at });
const RESTART: Extra = { restartLike: true };
const IRREVERSIBLE: Extra = { reversible: false };
const LOCAL: Extra = { local: true };
const BACKUP: Extra = { backup: true };
/** A destination named as a backup (`gs://b/backup-2024-01-02/x`, `data.bak`, `old/`): moving or copying there sets the original aside. */
const BACKUP_DESTINATION = /(?:^|[/_.-])(?:backups?|bak|bkp)(?:$|[/_.-])/i;
const ROLLBACK: Extra = { rollback: true };
const UPKEEP: Extra = { housekeeping: true };

const MAX_DEPTH = 4;

function classifyIn(script: string, depth: number): CommandEffect[] {
  const cmds = parseShell(script);
  const out: CommandEffect[] = [];
  let previousOutput: string | undefined;
  for (const cmd of cmds) {
    const piped = cmd.piped ? previousOutput : undefined;
    const e = classifyCommand(cmd, script, depth, piped);
    if (e) out.push(e);
    previousOutput = literalOutput(cmd);
  }
  return out;
}

/** What `echo …`, `printf …` or `cat <<EOF` print, when written literally (fed to a client through a pipe). */
function literalOutput(cmd: SimpleCommand): string | undefined {
  const name = cmd.words[0]?.value;
  if (name === 'echo' || name === 'printf') return cmd.words.slice(1).filter((w) => !/^-[neE]+$/.test(w.value)).map((w) => w.value).join(' ');
  if (name === 'cat' && cmd.words.length === 1) return cmd.redirects.find((r) => r.body !== undefined)?.body;
  return undefined;
}

const WRITE_OPS = new Set(['>', '>>', '>|', '&>', '&>>', '<>']);
const HARMLESS_TARGETS = /^(?:\/dev\/(?:null|stdout|stderr|tty|fd\/[0-9]+)|[0-9]+|-)$/;

function classifyCommand(cmd: SimpleCommand, script: string, depth: number, piped: string | undefined): CommandEffect | undefined {
  const stdin = cmd.redirects.find((r) => (r.op === '<<' || r.op === '<<-' || r.op === '<<<') && r.body !== undefined)?.body ?? piped;
  const stdinFile = cmd.redirects.find((r) => r.op === '<' && r.target)?.target?.value;
  const writes = cmd.redirects.filter((r) => WRITE_OPS.has(r.op) && r.target && !HARMLESS_TARGETS.test(r.target.value));
  let base: CommandEffect | undefined;
  if (cmd.words.length) base = classifyWords(cmd.words, script, depth, stdin, stdinFile);
  if (!writes.length) return base;
  const target = writes[0].target!;
  const wr: CommandEffect = {
    effect: 'changes',
    because: `the redirection \`${writes[0].fd ?? ''}${writes[0].op} ${target.value}\` writes a file`,
    tool: 'shell',
    text: clip(script.slice(cmd.start, Math.max(cmd.end, target.end))),
    start: cmd.start,
    end: Math.max(cmd.end, target.end),
    local: true,
  };
  if (!base || base.effect === 'reads') return base?.backup ? { ...wr, tool: base.tool, because: `${base.because}; ${wr.because}`, backup: true } : wr;
  if (base.effect === 'changes') return base;
  return { ...wr, because: `${base.because}; ${wr.because}` };
}

function clip(text: string): string {
  if (text.length <= 80 && !/\s\s|[\n\r\t\\]/.test(text)) return text.trim();
  const t = text.replace(/\s*\\\r?\n\s*/g, ' ').replace(/\s+/g, ' ').trim();
  if (t.length <= 80) return t;
  const cut = t.slice(0, 79);
  const sp = cut.lastIndexOf(' ');
  return (sp > 40 ? cut.slice(0, sp) : cut) + '…';
}

/** Options that take a value, per tool (hoisted: built once). */
const VALUED_1 = new Set(['-a']);
const VALUED_2 = new Set(['-n', '--adjustment']);
const VALUED_3 = new Set(['-c', '-n', '-p', '-P', '-u', '--class', '--classdata']);
const VALUED_4 = new Set(['-i', '-o', '-e']);
const VALUED_5 = new Set(['-t', '--times', '-d', '--delay', '-m', '--min', '-x', '--max']);
const VALUED_6 = new Set(['-w', '--timeout', '-E', '--conflict-exit-code']);
const VALUED_7 = new Set(['-d', '--duration', '-t', '--mfa-token', '--region']);
const VALUED_8 = new Set(['-chdir', '-var', '-var-file', '-target', '-out', '-state', '-backend-config', '--terragrunt-working-dir', '--working-dir', '-lock-timeout', '-parallelism', '--terragrunt-config', '--config']);
const VALUED_9 = new Set(['-http-addr', '-token', '-datacenter', '-namespace', '-partition', '-format', '-ca-file', '-node', '-service', '-reason', '-id', '-name']);
const VALUED_10 = new Set(['--endpoints', '--cacert', '--cert', '--key', '--user', '--password', '-w', '--write-out', '--dial-timeout', '--command-timeout', '--prefix-range', '--limit', '--rev']);
const VALUED_11 = new Set(['-H', '--host', '-M', '--machine', '-p', '--property', '-t', '--type', '--state', '-s', '--signal', '-n', '--lines', '-o', '--output']);
const VALUED_12 = new Set(['-cmd', '-separator', '-newline', '-nullvalue']);
const VALUED_13 = new Set(['--host', '--port', '-u', '--username', '-p', '--password', '--authenticationDatabase', '--file', '-f']);
const VALUED_14 = new Set(['-h', '-p', '-a', '-n', '-u', '--user', '--pass', '--askpass', '-s', '-r', '-i', '-d', '--cacert', '--cert', '--key', '--tls-ciphers', '--sni', '--eval', '--pattern', '--count', '--quoted-pattern', '--memkeys-samples', '--rdb', '--functions-rdb', '--pipe-timeout', '--ldb-sync-mode', '--cluster', '-e']);
const VALUED_15 = new Set(['-a', '--auth', '-A', '--auth-type', '--session', '--session-read-only', '-o', '--output', '--print', '-p', '--verify', '--cert', '--cert-key', '--timeout', '--proxy', '--max-redirects', '--pretty', '-s', '--style', '--default-scheme']);
const VALUED_16 = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '-m', '--message', '-b', '-B', '--format', '-n', '--author', '--since', '--until']);
const VALUED_17 = new Set(['--server', '--auth-token', '--grpc-web-root-path', '-o', '--output', '--revision', '--project', '-l', '--selector', '--resource', '--kind', '--group', '--namespace', '-N', '--context']);
const VALUED_18 = new Set(['-n', '--namespace', '--context', '--kubeconfig', '--timeout']);
const VALUED_19 = new Set(['-n', '--namespace', '--kubecontext', '--from-backup', '--include-namespaces', '--selector', '-o']);
const VALUED_20 = new Set(['-address', '-region', '-namespace', '-token']);
const VALUED_21 = new Set(['-c', '--config-file', '-d', '--dcs-url', '-k', '--insecure', '--format', '-f']);
const VALUED_22 = new Set(['--alertmanager.url', '-o', '--output', '--author', '-a', '--comment', '-c', '-d', '--duration', '--expires']);
const VALUED_23 = new Set(['-C', '-f', '--file', '-j', '--directory', '-w', '--workspace', '--prefix', '--filter']);
const VALUED_24 = new Set(['-o', '-c', '-t', '--target-release', '--repo', '-r']);
const VALUED_25 = new Set(['-c', '--configuration', '-s', '--serverurl', '-u', '-p']);
const VALUED_26 = new Set(['-n', '--namespace', '--context', '-i', '--istioNamespace', '-f', '--filename', '-o', '--output', '--revision', '-r']);
const VALUED_27 = new Set(['--cluster', '--region', '--name', '-f', '--config-file', '--profile', '-o', '--output']);
const VALUED_28 = new Set(['-n', '--namespace', '--context', '-o']);

/** The file name of a command path: `kubectl` of `/usr/local/bin/kubectl`. */
function basename(name: string): string {
  const k = name.lastIndexOf('/');
  return k < 0 ? name : name.slice(k + 1);
}

/** Prefixes looked through: what follows is the command. */
const PREFIXES = new Set(['sudo', 'doas', 'env', 'time', 'nice', 'nohup', 'timeout', 'stdbuf', 'ionice', 'command', 'builtin', 'exec', 'xargs', 'watch', 'ssh', 'bash', 'sh', 'zsh', 'dash', 'ksh', 'eval', 'aws-vault', 'su', 'flock', 'caffeinate', 'unbuffer', 'chronic', 'torsocks', 'proxychains', 'proxychains4', 'retry']);

function classifyWords(words: ShellWord[], script: string, depth: number, stdin: string | undefined, stdinFile: string | undefined): CommandEffect | undefined {
  const first = words[0];
  const whole = (v: Verdict, tool: string, from: ShellWord, to: ShellWord | undefined): CommandEffect => {
    const end = to ? to.end : words[words.length - 1].end;
    return { effect: v.effect, because: v.because, tool, text: clip(script.slice(from.start, end)), start: from.start, end, ...pickExtra(v) };
  };
  // Look through prefixes.
  const through = lookThrough(words, depth);
  if (through) {
    if (through.kind === 'rest') {
      if (!through.rest.length) return whole(through.empty, first.value, first, undefined);
      return classifyWords(through.rest, script, depth, stdin, stdinFile);
    }
    // A command given as one string (`bash -c '…'`, `ssh host '…'`, `watch '…'`): read it as a script.
    const inner = through.script ?? (stdin !== undefined && through.stdinIsScript ? stdin : undefined);
    if (inner === undefined || depth >= MAX_DEPTH) return whole(through.empty, first.value, first, undefined);
    const best = pickStrongest(classifyIn(inner, depth + 1));
    if (!best) return whole(reads(`${through.label} runs nothing here`), first.value, first, undefined);
    return { ...best, because: `${best.because} (through ${through.label})`, text: clip(script.slice(first.start, words[words.length - 1].end)), start: first.start, end: words[words.length - 1].end };
  }
  const name = first.value;
  const base = basename(name);
  const args = words.slice(1);
  const mig = MIGRATION_RUNNERS.has(base) ? migration(words.map((w) => w.value.replace(/^.*\/(?=manage\.py$|rails$|rake$)/, '')).join(' ')) : undefined;
  if (mig) return whole(changes(`${mig} changes state: runs database migrations`), 'database migration', first, undefined);
  if (!name || /^\$/.test(name)) return whole(unknown(`\`${name}\` is a command named by a variable: its effect is unknown`), name, first, undefined);
  if (name.includes('/') && !/^\/(?:usr\/)?(?:s?bin|local\/s?bin)\//.test(name)) {
    return whole(unknown(`${name} is a custom script: its effect is unknown`), name, first, first);
  }
  if (/\.(?:sh|bash|py|rb|pl|js|ts|ps1)$/.test(base)) return whole(unknown(`${name} is a custom script: its effect is unknown`), name, first, first);
  const ctx: Ctx = { name: base, args, stdin, stdinFile, depth };
  const tool = Object.prototype.hasOwnProperty.call(TOOLS, base) ? TOOLS[base] : undefined;
  if (tool) {
    const v = tool(ctx);
    const to = v.at === undefined ? undefined : v.at < 0 ? first : args[Math.min(v.at, args.length - 1)];
    return whole(v, base, first, to);
  }
  if (READ_ONLY.has(base)) return whole(reads(`${base} only reads`), base, first, undefined);
  return whole(unknown(`${base} is not a command OpsReview knows: its effect is unknown`), base, first, first);
}

const MIGRATIONS: [RegExp, string][] = [
  [/\bmanage\.py\s+migrate\b/, 'manage.py migrate'],
  [/\b(?:rails|rake)\s+db:(?:migrate|rollback|schema:load|setup|reset|drop)\b/, 'rails db:migrate'],
  [/\bflyway\b.*\b(?:migrate|clean|repair|baseline|undo)\b/, 'flyway migrate'],
  [/\balembic\b.*\b(?:upgrade|downgrade|stamp)\b/, 'alembic'],
  [/\bliquibase\b.*\b(?:update|rollback|drop-all)\b/, 'liquibase update'],
  [/\bprisma\s+(?:migrate\s+(?:deploy|reset|dev)|db\s+push)\b/, 'prisma migrate deploy'],
  [/\bknex\s+migrate:(?:latest|rollback|up|down)\b/, 'knex migrate'],
  [/\bsqitch\s+(?:deploy|revert|rebase)\b/, 'sqitch deploy'],
  [/\bdbmate\b.*\b(?:up|migrate|rollback|down|drop)\b/, 'dbmate'],
  [/\bgoose\b.*\b(?:up|up-by-one|up-to|down|down-to|reset|redo)\b/, 'goose'],
  [/^migrate\b.*\s(?:up|down|goto|force|drop)\b/, 'migrate'],
  [/\b(?:npm|yarn|pnpm)\s+(?:run\s+)?(?:db:)?migrate\b|\bmake\s+(?:db-)?migrate\b/, 'database migration'],
];

const MIGRATION_RUNNERS = new Set(['python', 'python3', 'manage.py', 'bundle', 'rails', 'rake', 'flyway', 'alembic', 'liquibase', 'prisma', 'npx', 'knex', 'sqitch', 'dbmate', 'goose', 'migrate', 'npm', 'yarn', 'pnpm', 'make', 'poetry', 'pipenv', 'uv']);

/** A database migration tool run (`alembic upgrade head`, `rails db:migrate`, `flyway migrate`), named. */
function migration(line: string): string | undefined {
  for (const [re, label] of MIGRATIONS) if (re.test(line)) return label;
  return undefined;
}

function pickExtra(v: Verdict): Extra {
  const out: Extra = {};
  if (v.backup) out.backup = true;
  if (v.effect !== 'changes') return out;
  if (v.reversible === false) out.reversible = false;
  if (v.restartLike) out.restartLike = true;
  if (v.local) out.local = true;
  if (v.rollback) out.rollback = true;
  if (v.housekeeping) out.housekeeping = true;
  return out;
}

type Through = { kind: 'rest'; rest: ShellWord[]; empty: Verdict } | { kind: 'script'; script?: string; stdinIsScript?: boolean; label: string; empty: Verdict };

/** Skips options of a prefix: `valued` take a value (`-u root`). Returns the index of the first non-option word. */
function skipOptions(words: ShellWord[], from: number, valued: Set<string>, stopAtFirst = true): number {
  let i = from;
  while (i < words.length) {
    const v = words[i].value;
    if (v === '--') return i + 1;
    if (!v.startsWith('-') || v === '-') return i;
    if (valued.has(v)) i += 2;
    else i++;
    if (!stopAtFirst) continue;
  }
  return i;
}

const SUDO_VALUED = new Set(['-u', '-g', '-C', '-D', '-p', '-r', '-t', '-U', '-h', '--user', '--group', '--prompt', '--chdir', '--close-from', '--role', '--type', '--other-user', '--host']);
const SSH_VALUED = new Set(['-b', '-c', '-D', '-E', '-e', '-F', '-I', '-i', '-J', '-L', '-l', '-m', '-O', '-o', '-p', '-Q', '-R', '-S', '-W', '-w', '-B']);
const XARGS_VALUED = new Set(['-I', '-n', '-P', '-L', '-d', '-E', '-s', '-a', '--max-args', '--max-procs', '--delimiter', '--arg-file', '-l']);
const WATCH_VALUED = new Set(['-n', '--interval', '-q', '--equexit', '-s', '--shell']);
const TIMEOUT_VALUED = new Set(['-s', '--signal', '-k', '--kill-after']);

function lookThrough(words: ShellWord[], depth: number): Through | undefined {
  const name = basename(words[0].value);
  if (!PREFIXES.has(name)) return undefined;
  const rest = (i: number, empty: Verdict): Through => ({ kind: 'rest', rest: words.slice(i), empty });
  switch (name) {
    case 'sudo':
    case 'doas': {
      const i = skipOptions(words, 1, SUDO_VALUED);
      const shell = words.slice(1, i).some((w) => /^-[a-zA-Z]*[is]/.test(w.value) && !w.value.startsWith('--'));
      return rest(i, shell ? unknown(`${name} opens a root shell: what runs in it is unknown`, -1) : unknown(`${name} with no command: its effect is unknown`, -1));
    }
    case 'env': {
      let i = 1;
      while (i < words.length && (/^-/.test(words[i].value) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i].value))) i += words[i].value === '-u' || words[i].value === '-C' || words[i].value === '-S' ? 2 : 1;
      return rest(i, reads('env with no command prints the environment'));
    }
    case 'time':
    case 'nohup':
    case 'command':
    case 'builtin':
    case 'unbuffer':
    case 'chronic':
    case 'torsocks':
    case 'proxychains':
    case 'proxychains4':
    case 'caffeinate': {
      if (name === 'command' && words.slice(1).some((w) => w.value === '-v' || w.value === '-V')) return rest(words.length, reads('command -v only looks a command up'));
      return rest(skipOptions(words, 1, new Set()), reads(`${name} with no command runs nothing`));
    }
    case 'exec':
      return rest(skipOptions(words, 1, VALUED_1), reads('exec with no command only sets redirections'));
    case 'nice':
      return rest(skipOptions(words, 1, VALUED_2), reads('nice with no command prints the niceness'));
    case 'ionice':
      return rest(skipOptions(words, 1, VALUED_3), reads('ionice with no command prints the class'));
    case 'stdbuf':
      return rest(skipOptions(words, 1, VALUED_4), reads('stdbuf with no command runs nothing'));
    case 'timeout': {
      const i = skipOptions(words, 1, TIMEOUT_VALUED);
      return rest(i + 1, unknown('timeout with no command', -1)); // the duration
    }
    case 'retry': {
      const i = skipOptions(words, 1, VALUED_5);
      return rest(i, unknown('retry with no command', -1));
    }
    case 'flock': {
      const i = skipOptions(words, 1, VALUED_6);
      const j = i + 1; // the lock file
      if (words[j]?.value === '-c' || words[j]?.value === '--command') return { kind: 'script', script: words[j + 1]?.value, label: 'flock -c', empty: unknown('flock with no command', -1) };
      return rest(j, unknown('flock with no command', -1));
    }
    case 'xargs':
      return rest(skipOptions(words, 1, XARGS_VALUED), reads('xargs with no command echoes its input'));
    case 'aws-vault': {
      const dd = words.findIndex((w) => w.value === '--');
      if (words[1]?.value === 'exec' && dd > 0) return rest(dd + 1, unknown('aws-vault exec opens a shell with credentials: what runs in it is unknown', -1));
      if (words[1]?.value === 'exec') return rest(skipOptions(words, 3, VALUED_7), unknown('aws-vault exec opens a shell with credentials: what runs in it is unknown', -1));
      return rest(words.length, reads(`aws-vault ${words[1]?.value ?? ''} manages local credentials only`.trim()));
    }
    case 'watch': {
      const i = skipOptions(words, 1, WATCH_VALUED);
      const remaining = words.slice(i).map((w) => w.value);
      if (!remaining.length) return rest(words.length, unknown('watch with no command', -1));
      return { kind: 'script', script: remaining.join(' '), label: 'watch', empty: unknown('watch with no command', -1) };
    }
    case 'eval':
      return { kind: 'script', script: words.slice(1).map((w) => w.value).join(' '), label: 'eval', empty: reads('eval with no command runs nothing') };
    case 'su': {
      const c = words.findIndex((w) => w.value === '-c' || w.value === '--command');
      if (c > 0) return { kind: 'script', script: words[c + 1]?.value, label: 'su -c', empty: unknown('su -c with no command', -1) };
      return { kind: 'script', stdinIsScript: true, label: 'su', empty: unknown('su opens a shell as another user: what runs in it is unknown', -1) };
    }
    case 'ssh': {
      const i = skipOptions(words, 1, SSH_VALUED);
      const host = words[i]?.value ?? 'a host';
      const remote = words.slice(i + 1).map((w) => w.value);
      if (!remote.length) return { kind: 'script', stdinIsScript: true, label: `ssh ${host}`, empty: unknown(`ssh ${host} opens a remote shell: what runs in it is unknown`, -1) };
      return { kind: 'script', script: remote.join(' '), label: `ssh ${host}`, empty: unknown(`ssh ${host} with no command`, -1) };
    }
    default: {
      // bash / sh / zsh …: `-c '…'` runs the string, a file runs a script, nothing reads stdin.
      const c = words.findIndex((w, k) => k > 0 && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(w.value));
      if (c > 0) return { kind: 'script', script: words[c + 1]?.value, label: `${name} -c`, empty: unknown(`${name} -c with no command`, -1) };
      const file = words.slice(1).find((w) => !w.value.startsWith('-'));
      if (file) return { kind: 'script', script: undefined, label: name, empty: unknown(`${file.value} is a custom script: its effect is unknown`) };
      return { kind: 'script', stdinIsScript: true, label: name, empty: unknown(`${name} reads commands from its input: their effect is unknown`) };
    }
  }
  void depth;
}

// --- helpers for tools ------------------------------------------------------------------------

interface Pos {
  value: string;
  /** Index in args. */
  i: number;
}

/** The positional arguments (not options), skipping the values of options in `valued`; stops at `--`. */
function positionals(args: ShellWord[], valued: ReadonlySet<string> = new Set()): Pos[] {
  const out: Pos[] = [];
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (v === '--') break;
    if (v.startsWith('-') && v !== '-') {
      if (!v.includes('=') && valued.has(v)) i++;
      continue;
    }
    out.push({ value: v, i });
  }
  return out;
}

function hasFlag(args: ShellWord[], ...flags: string[]): boolean {
  return args.some((a) => flags.some((f) => a.value === f || (f.startsWith('--') && a.value.startsWith(f + '='))));
}

/** The value of an option (`-X POST`, `--request=POST`, `-XPOST`). */
function flagValue(args: ShellWord[], ...flags: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    for (const f of flags) {
      if (v === f) return args[i + 1]?.value;
      if (f.startsWith('--') && v.startsWith(f + '=')) return v.slice(f.length + 1);
      if (!f.startsWith('--') && f.length === 2 && v.startsWith(f) && v.length > 2 && !v.startsWith('--')) return v.slice(2);
    }
  }
  return undefined;
}

function allFlagValues(args: ShellWord[], ...flags: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    for (const f of flags) {
      if (v === f && args[i + 1]) out.push(args[i + 1].value);
      else if (f.startsWith('--') && v.startsWith(f + '=')) out.push(v.slice(f.length + 1));
    }
  }
  return out;
}

function dryRun(args: ShellWord[]): boolean {
  return args.some((a) => a.value === '--dry-run' || (a.value.startsWith('--dry-run=') && a.value !== '--dry-run=none'));
}

function noVerb(tool: string): Verdict {
  return unknown(`${tool} with no subcommand: its effect is unknown`, -1);
}

function unknownVerb(tool: string, p: Pos): Verdict {
  return unknown(`${tool} ${p.value} is not a subcommand OpsReview knows: its effect is unknown`, p.i);
}

// --- the table --------------------------------------------------------------------------------

type ToolFn = (c: Ctx) => Verdict;

const KUBECTL_VALUED = new Set(['-n', '--namespace', '--context', '--cluster', '--user', '-s', '--server', '--kubeconfig', '--token', '--as', '--as-group', '-l', '--selector', '-o', '--output', '-f', '--filename', '-c', '--container', '--field-selector', '-L', '--label-columns', '--sort-by', '--since', '--tail', '--template', '-k', '--kustomize', '--timeout', '--grace-period', '--replicas', '--current-replicas', '--request-timeout', '--cascade', '--for', '--type', '-p', '--patch', '--patch-file', '--image', '--port', '--to-revision', '--subresource', '--field-manager', '--chunk-size', '--since-time', '--pod-running-timeout', '-v', '--v', '--certificate-authority', '--client-certificate', '--client-key', '--tls-server-name', '--cache-dir', '--revision', '--min', '--max', '--cpu-percent', '--overwrite', '--prune-allowlist', '--show-kind', '--sort', '--raw']);

const KUBECTL_READS: Record<string, string> = {
  get: 'lists or shows resources',
  describe: 'shows resources',
  logs: 'shows container logs',
  log: 'shows container logs',
  top: 'shows resource usage',
  explain: 'shows the documentation of a resource kind',
  diff: 'shows what an apply would change',
  version: 'shows versions',
  'api-resources': 'lists resource kinds',
  'api-versions': 'lists API versions',
  'cluster-info': 'shows cluster endpoints',
  events: 'lists events',
  wait: 'waits for a condition',
  completion: 'prints a shell completion script',
  'port-forward': 'forwards a local port to a pod',
  proxy: 'runs a local proxy to the API server',
  kustomize: 'renders manifests',
  plugin: 'lists plugins',
  krew: 'manages local plugins',
  tree: 'shows owner trees',
  neat: 'cleans manifests for reading',
  ctx: 'switches the local context',
  ns: 'switches the local namespace',
  whoami: 'shows the current user',
  'view-secret': 'shows a secret',
  stern: 'tails logs',
};

const KUBECTL_CHANGES: Record<string, string> = {
  apply: 'creates or updates resources',
  create: 'creates resources',
  replace: 'replaces resources',
  patch: 'patches a resource',
  edit: 'edits a resource in place',
  scale: 'changes the replica count',
  autoscale: 'creates an autoscaler',
  label: 'changes labels',
  annotate: 'changes annotations',
  set: 'changes a field of a workload (image, env, resources)',
  drain: 'evicts every pod from a node',
  cordon: 'marks a node unschedulable',
  uncordon: 'marks a node schedulable',
  taint: 'changes node taints',
  expose: 'creates a service',
  run: 'starts a pod',
  cp: 'copies files into or out of a container',
  debug: 'starts a debug container',
  certificate: 'approves or denies a certificate request',
  attach: 'attaches to a running container',
};

const POD_KINDS = /^(?:po|pods?|pod\/.+|pods\/.+|leases?(?:\.coordination\.k8s\.io)?|lease\/.+|leases\/.+)$/i;
const DATA_KINDS = /^(?:crds?|customresourcedefinitions?(?:\.apiextensions\.k8s\.io)?|crd\/.+|customresourcedefinition\/.+|ns|namespaces?|namespace\/.+|ns\/.+|pvc|pv|persistentvolumeclaims?|persistentvolumes?|pvc\/.+|pv\/.+|persistentvolumeclaim\/.+|persistentvolume\/.+)$/i;

const kubectl: ToolFn = (c) => {
  const pos = positionals(c.args, KUBECTL_VALUED);
  const verb = pos[0];
  if (!verb) return noVerb(c.name);
  const v = verb.value;
  const what = pos[1]?.value ?? '';
  if (v === 'exec') return kubectlExec(c, verb);
  if (v === 'rollout') {
    const sub = pos[1];
    if (!sub) return unknown('kubectl rollout with no subcommand', verb.i);
    if (['status', 'history'].includes(sub.value)) return reads(`kubectl rollout ${sub.value} only reads`, sub.i);
    if (sub.value === 'restart') return changes('kubectl rollout restart changes state: restarts the pods of a workload (a rolling restart)', sub.i, RESTART);
    if (sub.value === 'undo') return changes('kubectl rollout undo changes state: rolls a workload back to its previous revision', sub.i, ROLLBACK);
    if (['pause', 'resume'].includes(sub.value)) return changes(`kubectl rollout ${sub.value} changes state: ${sub.value}s a rollout`, sub.i);
    return unknownVerb('kubectl rollout', sub);
  }
  if (v === 'config') {
    const sub = pos[1]?.value ?? '';
    if (/^(?:view|get-|current-context)/.test(sub)) return reads(`kubectl config ${sub} only reads the local kubeconfig`, pos[1].i);
    return changes(`kubectl config ${sub} changes the local kubeconfig`, pos[1]?.i ?? verb.i, LOCAL);
  }
  if (v === 'auth') {
    const sub = pos[1]?.value ?? '';
    if (sub === 'can-i' || sub === 'whoami') return reads(`kubectl auth ${sub} only reads`, pos[1].i);
    if (sub === 'reconcile') return changes('kubectl auth reconcile changes state: updates RBAC rules', pos[1].i);
    return unknown(`kubectl auth ${sub} is not a subcommand OpsReview knows: its effect is unknown`, pos[1]?.i ?? verb.i);
  }
  if (KUBECTL_READS[v]) return reads(`kubectl ${v} only reads: ${KUBECTL_READS[v]}`, verb.i);
  // `kubectl debug` / `oc debug` start a throw-away pod for a shell on a node or beside a
  // container, removed when the session ends: it changes the cluster (so the runner asks), but
  // leaves nothing to roll back.
  if (v === 'debug') return changes(`${c.name} debug changes state: starts a temporary debug pod, removed when the session ends (nothing to roll back)`, verb.i, RESTART);
  if (dryRun(c.args) && (KUBECTL_CHANGES[v] || v === 'delete')) return reads(`kubectl ${v} --dry-run only shows what would change`, verb.i);
  if (v === 'delete') {
    const fieldSel = flagValue(c.args, '--field-selector') ?? '';
    if (/status\.phase[!=]=?(?:Failed|Succeeded)/.test(fieldSel) || /^(?:po|pods?)$/i.test(what) && c.args.some((a) => /Evicted|Failed|Completed/.test(a.value))) {
      return changes('kubectl delete changes state: cleans up failed or finished pods', pos[1]?.i ?? verb.i, RESTART);
    }
    if (POD_KINDS.test(what)) {
      const lease = /lease/i.test(what);
      return changes(`kubectl delete ${what} changes state: ${lease ? 'deletes a lease; its holder renews or another takes it' : 'deletes pods; their controller recreates them'}`, pos[1].i, RESTART);
    }
    if (DATA_KINDS.test(what)) {
      const crd = /^(?:crd|custom)/i.test(what);
      const ns = /^(?:ns|namespace)/i.test(what);
      return changes(`kubectl delete ${what} changes state: ${crd ? 'deletes resource definitions and every object of them' : ns ? 'deletes a namespace and everything in it' : 'deletes a volume claim and, with it, its data'}; this cannot be undone`, pos[1].i, IRREVERSIBLE);
    }
    return changes(`kubectl delete changes state: deletes ${what ? what : 'resources'}`, pos[1]?.i ?? verb.i);
  }
  if (v === 'create' && what === 'token') return reads(`${c.name} create token only issues a short-lived token; nothing is stored`, pos[1].i);
  if (v === 'run' && hasFlag(c.args, '--rm')) return changes(`${c.name} run --rm changes state: starts a throw-away pod, deleted when it exits`, verb.i, UPKEEP);
  if (v === 'debug') return changes(`${c.name} debug changes state: starts a throw-away debug pod or container`, verb.i, UPKEEP);
  if (v === 'drain' || v === 'cordon' || v === 'uncordon') return changes(`${c.name} ${v} changes state: ${KUBECTL_CHANGES[v]}; uncordon puts the node back`, verb.i, RESTART);
  if (v === 'patch' && restartPatch(c.args)) return changes(`${c.name} patch changes state: bumps a pod-template label or annotation, which restarts the pods (a rolling restart)`, verb.i, RESTART);
  if (v === 'patch' && /^(?:pvc|persistentvolumeclaims?)(?:\/|$)/i.test(what) && /storage/.test(c.args.map((a) => a.value).join(' '))) {
    return changes('kubectl patch pvc changes state: grows a volume, which cannot shrink back', pos[1].i, IRREVERSIBLE);
  }
  if (v === 'set' && pos[1]) return changes(`kubectl set ${pos[1].value} changes state: changes the ${pos[1].value} of a workload`, pos[1].i);
  if (KUBECTL_CHANGES[v]) return changes(`kubectl ${v} changes state: ${KUBECTL_CHANGES[v]}`, verb.i);
  return unknownVerb('kubectl', verb);
};

/** A patch that only sets a label or annotation of the pod template to a date: the restart idiom before `rollout restart`. */
function restartPatch(args: ShellWord[]): boolean {
  const body = flagValue(args, '-p', '--patch') ?? '';
  return /"template"\s*:\s*\{\s*"metadata"/.test(body) && !/"spec"\s*:\s*\{[^]*"spec"/.test(body) && /date|restartedAt|`|\$\(/i.test(body);
}

function kubectlExec(c: Ctx, verb: Pos): Verdict {
  const dd = c.args.findIndex((a) => a.value === '--');
  const inner = dd >= 0 ? c.args.slice(dd + 1) : [];
  if (!inner.length) return unknown('kubectl exec runs a command in a container: its effect is unknown', verb.i);
  if (c.depth >= MAX_DEPTH) return unknown('kubectl exec runs a command in a container: its effect is unknown', verb.i);
  const text = inner.map((w) => (/[\s'"$;&|<>]/.test(w.value) && !/^-c$/.test(w.value) ? `'${w.value.replace(/'/g, `'\\''`)}'` : w.value)).join(' ');
  const best = pickStrongest(classifyIn(text, c.depth + 1));
  if (!best) return unknown('kubectl exec runs a command in a container: its effect is unknown', verb.i);
  const interactive = inner.length === 1 && /^(?:sh|bash|ash|zsh|\/bin\/(?:ba)?sh)$/.test(inner[0].value);
  if (interactive) return unknown(`kubectl exec opens a shell in a container: what runs in it is unknown`, verb.i);
  return { effect: best.effect, because: `in a container, ${best.because}`, at: verb.i, ...pickExtraCE(best) };
}

function pickExtraCE(e: CommandEffect): Extra {
  const out: Extra = {};
  if (e.reversible === false) out.reversible = false;
  if (e.restartLike) out.restartLike = true;
  if (e.backup) out.backup = true;
  if (e.local) out.local = true;
  if (e.rollback) out.rollback = true;
  if (e.housekeeping) out.housekeeping = true;
  return out;
}

const HELM_VALUED = new Set(['-n', '--namespace', '--kube-context', '--kubeconfig', '-f', '--values', '--set', '--set-string', '--set-file', '--set-json', '--version', '-o', '--output', '--timeout', '--repo', '--registry-config', '--repository-config', '--repository-cache', '--post-renderer', '--description', '--max', '--revision', '--username', '--password', '--ca-file', '--cert-file', '--key-file', '--kube-as-user', '--kube-token', '--kube-apiserver', '--history-max', '--wait-for-jobs', '-l', '--selector', '--api-versions', '--kube-version', '--show-only', '-s']);
const HELM_READS = new Set(['list', 'ls', 'status', 'get', 'history', 'hist', 'template', 'lint', 'show', 'inspect', 'search', 'version', 'env', 'verify', 'diff', 'completion', 'help']);
const HELM_LOCAL = new Set(['repo', 'dependency', 'dep', 'plugin', 'package', 'pull', 'fetch', 'create', 'registry']);

const helm: ToolFn = (c) => {
  const pos = positionals(c.args, HELM_VALUED);
  const verb = pos[0];
  if (!verb) return noVerb('helm');
  const v = verb.value;
  if (HELM_READS.has(v)) return reads(`helm ${v} only reads`, verb.i);
  if (HELM_LOCAL.has(v)) {
    const sub = pos[1]?.value;
    if (sub && ['list', 'ls'].includes(sub)) return reads(`helm ${v} ${sub} only reads`, pos[1].i);
    return reads(`helm ${v}${sub && ['repo', 'dependency', 'dep', 'plugin', 'registry'].includes(v) ? ' ' + sub : ''} changes only local Helm files, not a cluster`, pos[1] && ['repo', 'dependency', 'dep', 'plugin', 'registry'].includes(v) ? pos[1].i : verb.i);
  }
  if (dryRun(c.args) && ['install', 'upgrade', 'uninstall', 'rollback', 'delete'].includes(v)) return reads(`helm ${v} --dry-run only shows what would change`, verb.i);
  if (v === 'install') return changes('helm install changes state: installs a release', verb.i);
  if (v === 'upgrade') return changes('helm upgrade changes state: upgrades a release', verb.i);
  if (v === 'rollback') return changes('helm rollback changes state: rolls a release back to an earlier revision', verb.i, ROLLBACK);
  if (['uninstall', 'delete', 'del', 'un'].includes(v)) return changes(`helm ${v} changes state: removes a release`, verb.i);
  if (v === 'test') return changes('helm test changes state: runs the test pods of a release', verb.i);
  if (v === 'push') return changes('helm push changes state: publishes a chart', verb.i);
  return unknownVerb('helm', verb);
};

const TF_READS = new Set(['plan', 'show', 'validate', 'output', 'version', 'providers', 'graph', 'console', 'login', 'logout', 'metadata', 'modules', 'test', 'get', 'init', 'render-json', 'hclfmt', 'graph-dependencies', 'output-module-groups', 'validate-inputs', 'terragrunt-info', 'info', 'find', 'list', 'dag', 'render']);
const TF_CHANGES: Record<string, string> = {
  apply: 'applies infrastructure changes',
  destroy: 'destroys infrastructure',
  import: 'imports an existing object into the state',
  taint: 'marks a resource for replacement',
  untaint: 'unmarks a resource for replacement',
  refresh: 'updates the state from real infrastructure',
  'force-unlock': 'removes a state lock',
};

const terraform: ToolFn = (c) => {
  const pos = positionals(c.args, VALUED_8);
  let k = 0;
  // terragrunt `run-all apply` / `run --all apply` / `run -- apply`.
  if (pos[k]?.value === 'run-all' || pos[k]?.value === 'run' || pos[k]?.value === 'stack') k++;
  const verb = pos[k];
  if (!verb) return noVerb(c.name);
  const v = verb.value;
  const tool = `${c.name}${k ? ' ' + pos[0].value : ''}`;
  if (v === 'state') {
    const sub = pos[k + 1];
    if (!sub) return unknown(`${tool} state with no subcommand`, verb.i);
    if (sub.value === 'pull') return reads(`${tool} state pull only reads the state (into a file, a backup of it)`, sub.i, BACKUP);
    if (['list', 'show'].includes(sub.value)) return reads(`${tool} state ${sub.value} only reads`, sub.i);
    if (['rm', 'mv', 'push', 'replace-provider'].includes(sub.value)) return changes(`${tool} state ${sub.value} changes state: rewrites the Terraform state`, sub.i);
    return unknownVerb(`${tool} state`, sub);
  }
  if (v === 'workspace') {
    const sub = pos[k + 1];
    if (!sub || ['list', 'show', 'select'].includes(sub.value)) return reads(`${tool} workspace ${sub?.value ?? ''} only reads or selects a workspace`.replace('  ', ' '), sub?.i ?? verb.i);
    return changes(`${tool} workspace ${sub.value} changes state: ${sub.value === 'delete' ? 'deletes' : 'creates'} a workspace`, sub.i);
  }
  if (v === 'fmt') return hasFlag(c.args, '-check', '--check') ? reads(`${tool} fmt -check only reads`, verb.i) : changes(`${tool} fmt rewrites files`, verb.i, LOCAL);
  if (TF_READS.has(v)) return reads(v === 'init' ? `${tool} init prepares the working directory (providers, modules); it changes no infrastructure` : `${tool} ${v} only reads`, verb.i);
  if (TF_CHANGES[v]) {
    if (v === 'apply' && hasFlag(c.args, '-destroy', '--destroy')) return changes(`${tool} apply -destroy changes state: destroys infrastructure`, verb.i);
    return changes(`${tool} ${v} changes state: ${TF_CHANGES[v]}`, verb.i);
  }
  return unknownVerb(tool, verb);
};

// Cloud CLIs: the operation's verb decides.
const CLOUD_READ_VERB = /^(?:describe|list|get|show|head|lookup|search|query|scan|batch-get|filter|test|check|estimate|preview|validate|wait|tail|read|export|exists|info|simulate|verify|print|ls|cat)(?:-|$)/;
const CLOUD_CHANGE_VERB = /^(?:create|delete|update|put|modify|start|stop|reboot|terminate|run|set|attach|detach|associate|disassociate|register|deregister|enable|disable|add|remove|tag|untag|restore|reset|send|copy|import|cancel|revoke|authorize|replace|allocate|release|promote|failover|execute|rotate|schedule|upload|complete|accept|reject|apply|deploy|patch|resize|restart|deallocate|scale|assign|purge|swap|rollback|publish|increase|decrease|invoke|move|rename|suspend|resume|approve|deny|install|uninstall|upgrade|grant|abort|purchase|renew|import|sync|mb|rb|rm|cp|mv|mount|unmount|lock|unlock|undelete|activate|deactivate|disconnect|connect|recover|signal)(?:-|$)/;

function cloudVerdict(tool: string, words: Pos[], cmdText: string): Verdict {
  // The operation is the first positional that reads as a verb; groups before it are nouns.
  for (const p of words) {
    const v = p.value;
    if (CLOUD_CHANGE_VERB.test(v) && !CLOUD_READ_VERB.test(v)) {
      const op = words.slice(0, words.indexOf(p) + 1).map((w) => w.value).join(' ');
      if (/^(?:reboot|restart)/.test(v) || /(?:^| )reset$/.test(op) && /instances|vm/.test(op)) return changes(`${tool} ${op} changes state: restarts machines`, p.i, RESTART);
      if (/snapshot|backup|create-image/.test(op) && /^(?:create|start|snapshot)/.test(v) || /disks snapshot|sql export|backups create/.test(op)) return changes(`${tool} ${op} takes a backup or snapshot`, p.i, BACKUP);
      if (/^modify-volume$/.test(v) || (/disks?/.test(op) && /^(?:resize|update)$/.test(v) && /size/.test(cmdText))) return changes(`${tool} ${op} changes state: grows a volume, which cannot shrink back`, p.i, IRREVERSIBLE);
      if (v === 'invoke') return unknown(`${tool} ${op} runs a function: its effect depends on the function`, p.i);
      return changes(`${tool} ${op} changes state`, p.i);
    }
    if (CLOUD_READ_VERB.test(v)) {
      const op = words.slice(0, words.indexOf(p) + 1).map((w) => w.value).join(' ');
      return reads(`${tool} ${op} only reads`, p.i);
    }
    if (v === 'snapshot' && tool === 'gcloud') return changes(`${tool} ${words.slice(0, words.indexOf(p) + 1).map((w) => w.value).join(' ')} takes a snapshot`, p.i, BACKUP);
  }
  const last = words[words.length - 1];
  if (!last) return noVerb(tool);
  return unknown(`${tool} ${words.map((w) => w.value).join(' ')} is not an operation OpsReview knows: its effect is unknown`, last.i);
}

const AWS_VALUED = new Set(['--region', '--profile', '--output', '--query', '--endpoint-url', '--color', '--cli-read-timeout', '--cli-connect-timeout', '--ca-bundle', '--cli-binary-format']);
const aws: ToolFn = (c) => {
  const pos = positionals(c.args, AWS_VALUED);
  const service = pos[0];
  if (!service) return noVerb('aws');
  if (service.value === 's3') {
    const op = pos[1];
    if (!op) return noVerb('aws s3');
    if (['ls', 'presign'].includes(op.value)) return reads(`aws s3 ${op.value} only reads`, op.i);
    if (hasFlag(c.args, '--dryrun')) return reads(`aws s3 ${op.value} --dryrun only shows what would change`, op.i);
    if (['cp', 'mv', 'rm', 'sync', 'mb', 'rb', 'website'].includes(op.value)) {
      const toLocal = op.value === 'cp' && pos[2]?.value.startsWith('s3://') && pos[3] && !pos[3].value.startsWith('s3://');
      if (op.value === 'rm' || op.value === 'rb') return changes(`aws s3 ${op.value} changes state: deletes objects or a bucket; this cannot be undone`, op.i, IRREVERSIBLE);
      return changes(`aws s3 ${op.value} changes state: ${toLocal ? 'downloads into a local file' : 'writes or deletes objects in a bucket'}`, op.i, toLocal ? LOCAL : {});
    }
    return unknownVerb('aws s3', op);
  }
  if (service.value === 'configure') return (pos[1]?.value ?? 'get').startsWith('get') || pos[1]?.value === 'list' ? reads('aws configure only reads the local configuration', pos[1]?.i ?? service.i) : changes('aws configure changes the local configuration', service.i, LOCAL);
  if (service.value === 'sso' || service.value === 'ecr' && pos[1]?.value === 'get-login-password') return reads(`aws ${service.value} ${pos[1]?.value ?? ''} only gets credentials`.trim(), pos[1]?.i ?? service.i);
  if (service.value === 'ssm' && pos[1]?.value === 'start-session') return unknown('aws ssm start-session opens a shell on an instance: what runs in it is unknown', pos[1].i);
  if (service.value === 'ssm' && pos[1]?.value === 'send-command') return changes('aws ssm send-command changes state: runs commands on instances', pos[1].i);
  if (hasFlag(c.args, '--dry-run')) return reads(`aws ${service.value} ${pos[1]?.value ?? ''} --dry-run only checks permissions`, pos[1]?.i ?? service.i);
  return awsOp(c, service, pos[1]);
};

function awsOp(c: Ctx, service: Pos, op: Pos | undefined): Verdict {
  if (!op) return noVerb(`aws ${service.value}`);
  const v = cloudVerdict('aws', [op], c.args.map((a) => a.value).join(' '));
  // Name the service in the reason: "aws rds delete-db-instance changes state".
  return { ...v, because: v.because.replace(/^aws /, `aws ${service.value} `) };
}

const GCLOUD_VALUED = new Set(['--project', '--zone', '--region', '--format', '--filter', '--configuration', '--account', '--impersonate-service-account', '--verbosity', '--limit', '--sort-by', '--page-size', '--flags-file', '--billing-project', '--location', '--cluster', '--namespace']);
const gcloud: ToolFn = (c) => {
  const all = positionals(c.args, GCLOUD_VALUED);
  const pos = ['alpha', 'beta', 'preview'].includes(all[0]?.value ?? '') ? all.slice(1) : all;
  if (!pos.length) return noVerb(c.name);
  if (c.name === 'gcloud' && pos[0].value === 'config') return ['list', 'get-value', 'get', 'configurations'].includes(pos[1]?.value ?? '') ? reads(`gcloud config ${pos[1].value} only reads`, pos[1].i) : changes(`gcloud config ${pos[1]?.value ?? ''} changes the local configuration`.trim(), pos[1]?.i ?? pos[0].i, LOCAL);
  if (c.name === 'gcloud' && pos.some((p) => p.value === 'get-credentials')) return reads('gcloud get-credentials only writes a local kubeconfig entry', pos.find((p) => p.value === 'get-credentials')!.i);
  if (c.name === 'gcloud' && pos.some((p) => p.value === 'ssh')) {
    const cmd = flagValue(c.args, '--command');
    if (cmd && c.depth < MAX_DEPTH) {
      const best = pickStrongest(classifyIn(cmd, c.depth + 1));
      if (best) return { effect: best.effect, because: `${best.because} (through gcloud ssh)`, at: pos.find((p) => p.value === 'ssh')!.i, ...pickExtraCE(best) };
    }
    return unknown('gcloud ssh opens a remote shell: what runs in it is unknown', pos.find((p) => p.value === 'ssh')!.i);
  }
  if (c.name === 'gsutil') {
    const op = pos[0];
    if (['ls', 'cat', 'du', 'stat', 'hash', 'version', 'help'].includes(op.value)) return reads(`gsutil ${op.value} only reads`, op.i);
    if (['cp', 'mv', 'rm', 'rsync', 'mb', 'rb', 'acl', 'setmeta', 'iam', 'lifecycle', 'versioning', 'defacl', 'retention'].includes(op.value)) {
      if (['acl', 'iam', 'lifecycle', 'versioning', 'defacl', 'retention'].includes(op.value) && ['get', 'ch'].includes(pos[1]?.value ?? '') && pos[1].value === 'get') return reads(`gsutil ${op.value} get only reads`, pos[1].i);
      if (op.value === 'cp' && pos[1]?.value.startsWith('gs://') && pos[2] && !pos[2].value.startsWith('gs://')) return changes('gsutil cp downloads into a local file', op.i, LOCAL);
      if (op.value === 'rm' || op.value === 'rb') return changes(`gsutil ${op.value} changes state: deletes objects or buckets; this cannot be undone`, op.i, IRREVERSIBLE);
      if ((op.value === 'mv' || op.value === 'cp') && pos.length >= 3 && BACKUP_DESTINATION.test(pos[pos.length - 1].value)) return changes(`gsutil ${op.value} puts the objects aside under a backup name: that copy is the way back`, op.i, BACKUP);
      return changes(`gsutil ${op.value} changes state: writes, deletes or changes objects or buckets`, op.i);
    }
    return unknownVerb('gsutil', op);
  }
  // Groups named like verbs (`gcloud run deploy`, `gcloud deploy releases list`) are not the operation.
  const groups = c.name === 'gcloud' && ['run', 'deploy', 'scheduler'].includes(pos[0].value) ? 1 : 0;
  const v = cloudVerdict(c.name, pos.slice(groups), c.args.map((a) => a.value).join(' '));
  return groups ? { ...v, because: v.because.replace(`${c.name} `, `${c.name} ${pos[0].value} `) } : v;
};

const AZ_VALUED = new Set(['-g', '--resource-group', '-n', '--name', '--subscription', '-o', '--output', '--query', '-l', '--location', '--ids', '--size-gb', '--vm-name', '--image', '--sku', '--set', '--add', '--remove', '--cluster-name', '--account-name', '--container-name', '--nodepool-name', '--node-count', '--kubernetes-version', '--scope', '--role', '--assignee']);
const az: ToolFn = (c) => {
  const pos = positionals(c.args, AZ_VALUED);
  if (!pos.length) return noVerb('az');
  if (pos[0].value === 'login' || pos[0].value === 'logout') return reads(`az ${pos[0].value} only changes local credentials`, pos[0].i);
  if (pos[0].value === 'account' && pos[1]?.value === 'set') return reads('az account set only selects the local subscription', pos[1].i);
  if (pos.some((p) => p.value === 'get-credentials')) return reads('az aks get-credentials only writes a local kubeconfig entry', pos.find((p) => p.value === 'get-credentials')!.i);
  if (pos.some((p) => p.value === 'ssh') || pos.some((p) => p.value === 'run-command')) return changes(`az ${pos.map((p) => p.value).join(' ')} changes state: runs commands on machines`, pos[pos.length - 1].i);
  const disk = pos[0].value === 'disk' && pos[1]?.value === 'update' && hasFlag(c.args, '--size-gb');
  if (disk) return changes('az disk update --size-gb changes state: grows a disk, which cannot shrink back', pos[1].i, IRREVERSIBLE);
  if (pos[0].value === 'snapshot' && pos[1]?.value === 'create') return changes('az snapshot create takes a snapshot', pos[1].i, BACKUP);
  return cloudVerdict('az', pos, c.args.map((a) => a.value).join(' '));
};

const VAULT_VALUED = new Set(['-address', '-namespace', '-format', '-field', '-mount', '-ca-cert', '-method', '-path', '-output-curl-string', '-version', '-policy', '-ttl', '-type', '-description', '-role', '-n', '-key-shares', '-key-threshold']);
const vault: ToolFn = (c) => {
  const pos = positionals(c.args, VAULT_VALUED);
  const verb = pos[0];
  if (!verb) return noVerb('vault');
  const v = verb.value;
  const sub = pos[1];
  const path = sub?.value ?? '';
  switch (v) {
    case 'read':
    case 'list':
    case 'status':
    case 'version':
    case 'print':
    case 'path-help':
    case 'unwrap':
      return reads(`vault ${v} only reads`, verb.i);
    case 'login':
      return reads('vault login only stores a token locally', verb.i);
    case 'write':
      if (/^(?:pki[^/]*\/)?(?:[^/]+\/)?(?:issue|sign|sign-verbatim|root\/generate|intermediate\/generate)\b/.test(path) || /(?:^|\/)(?:issue|sign)\//.test(path)) return changes('vault write changes state: issues a certificate', verb.i);
      return changes('vault write changes state: writes a secret or issues a certificate', verb.i);
    case 'delete':
      return changes('vault delete changes state: deletes a secret or configuration', verb.i);
    case 'patch':
      return changes('vault patch changes state: updates a secret or configuration', verb.i);
    case 'kv': {
      if (!sub) return noVerb('vault kv');
      if (['get', 'list'].includes(sub.value)) return reads(`vault kv ${sub.value} only reads`, sub.i);
      if (sub.value === 'metadata') {
        const op = pos[2]?.value ?? '';
        if (op === 'get' || op === 'list') return reads(`vault kv metadata ${op} only reads`, pos[2].i);
        if (op === 'delete') return changes('vault kv metadata delete changes state: deletes a secret with all its versions; this cannot be undone', pos[2].i, IRREVERSIBLE);
        return changes(`vault kv metadata ${op} changes state: changes secret metadata`, pos[2]?.i ?? sub.i);
      }
      if (sub.value === 'destroy') return changes('vault kv destroy changes state: destroys secret versions; this cannot be undone', sub.i, IRREVERSIBLE);
      if (['put', 'patch'].includes(sub.value)) return changes(`vault kv ${sub.value} changes state: writes a secret`, sub.i);
      if (['delete', 'undelete', 'rollback'].includes(sub.value)) return changes(`vault kv ${sub.value} changes state: ${sub.value === 'rollback' ? 'restores an earlier version of a secret' : `${sub.value}s a secret version`}`, sub.i, sub.value === 'rollback' ? ROLLBACK : {});
      if (['enable-versioning'].includes(sub.value)) return changes('vault kv enable-versioning changes state', sub.i);
      return unknownVerb('vault kv', sub);
    }
    case 'secrets':
    case 'auth':
    case 'audit':
    case 'policy':
    case 'token':
    case 'lease':
    case 'plugin':
    case 'namespace': {
      if (!sub) return noVerb(`vault ${v}`);
      if (['list', 'read', 'lookup', 'capabilities', 'info', 'help', 'fmt'].includes(sub.value)) return reads(`vault ${v} ${sub.value} only reads`, sub.i);
      return changes(`vault ${v} ${sub.value} changes state`, sub.i);
    }
    case 'operator': {
      if (!sub) return noVerb('vault operator');
      if (sub.value === 'raft' || sub.value === 'members') {
        const op = pos[2]?.value ?? '';
        if (op === 'list-peers' || op === 'autopilot' && pos[3]?.value !== 'set-config') return reads(`vault operator raft ${op} only reads`, pos[2].i);
        if (op === 'snapshot' && pos[3]?.value === 'save') return changes('vault operator raft snapshot save takes a backup', pos[3].i, BACKUP);
        if (op === 'snapshot' && pos[3]?.value === 'restore') return changes('vault operator raft snapshot restore changes state: replaces all data with a snapshot; this cannot be undone', pos[3].i, IRREVERSIBLE);
        return changes(`vault operator ${sub.value} ${op} changes state`.replace('  ', ' '), pos[2]?.i ?? sub.i);
      }
      if (['key-status', 'usage', 'diagnose'].includes(sub.value)) return reads(`vault operator ${sub.value} only reads`, sub.i);
      if (sub.value === 'step-down') return changes('vault operator step-down changes state: moves leadership to another node', sub.i, RESTART);
      return changes(`vault operator ${sub.value} changes state`, sub.i);
    }
    case 'ssh':
      return unknown('vault ssh opens a remote shell: what runs in it is unknown', verb.i);
    default:
      return unknownVerb('vault', verb);
  }
};

const consul: ToolFn = (c) => {
  const pos = positionals(c.args, VALUED_9);
  const verb = pos[0];
  if (!verb) return noVerb('consul');
  const v = verb.value;
  const sub = pos[1];
  if (['members', 'info', 'monitor', 'version', 'validate', 'catalog', 'watch', 'rtt', 'debug', 'troubleshoot', 'lock'].includes(v) && v !== 'lock') return reads(`consul ${v} only reads`, verb.i);
  if (v === 'kv') {
    if (!sub) return noVerb('consul kv');
    if (['get', 'export'].includes(sub.value)) return reads(`consul kv ${sub.value} only reads`, sub.i);
    if (sub.value === 'put' || sub.value === 'import') return changes(`consul kv ${sub.value} changes state: writes keys`, sub.i);
    if (sub.value === 'delete') return changes('consul kv delete changes state: deletes keys', sub.i);
    return unknownVerb('consul kv', sub);
  }
  if (v === 'snapshot') {
    if (sub?.value === 'save') return changes('consul snapshot save takes a backup', sub.i, BACKUP);
    if (sub?.value === 'inspect') return reads('consul snapshot inspect only reads', sub.i);
    if (sub?.value === 'restore') return changes('consul snapshot restore changes state: replaces the cluster state with a snapshot; this cannot be undone', sub.i, IRREVERSIBLE);
  }
  if (v === 'services') return sub && ['register', 'deregister'].includes(sub.value) ? changes(`consul services ${sub.value} changes state`, sub.i) : unknown(`consul services ${sub?.value ?? ''} is not a subcommand OpsReview knows`.trim(), sub?.i ?? verb.i);
  if (['leave', 'force-leave', 'maint', 'reload', 'join', 'event', 'exec'].includes(v)) return changes(`consul ${v} changes state`, verb.i, v === 'reload' ? RESTART : {});
  if (['acl', 'intention', 'config', 'operator', 'keyring', 'connect', 'namespace', 'partition', 'peering'].includes(v)) {
    const all = pos.slice(1).map((p) => p.value);
    const readOp = all.find((s) => /^(?:list|read|get|check|match|list-peers|show|inspect)$/.test(s));
    const changeOp = all.find((s) => /^(?:create|update|delete|write|set|remove-peer|install|use|remove|rotate|set-config|bootstrap|transfer-leader|establish|generate-token)$/.test(s));
    if (changeOp) return changes(`consul ${v} ${changeOp} changes state`, pos.find((p) => p.value === changeOp)!.i);
    if (readOp) return reads(`consul ${v} ${readOp} only reads`, pos.find((p) => p.value === readOp)!.i);
    if (v === 'keyring' && hasFlag(c.args, '-list')) return reads('consul keyring -list only reads', verb.i);
  }
  return unknownVerb('consul', verb);
};

const etcdctl: ToolFn = (c) => {
  const pos = positionals(c.args, VALUED_10);
  const verb = pos[0];
  if (!verb) return noVerb('etcdctl');
  const v = verb.value;
  const sub = pos[1]?.value ?? '';
  if (['get', 'watch', 'version', 'check'].includes(v)) return reads(`etcdctl ${v} only reads`, verb.i);
  if (v === 'endpoint') return reads(`etcdctl endpoint ${sub} only reads`.trim(), pos[1]?.i ?? verb.i);
  if (v === 'snapshot') {
    if (sub === 'save') return changes('etcdctl snapshot save takes a backup', pos[1].i, BACKUP);
    if (sub === 'status') return reads('etcdctl snapshot status only reads', pos[1].i);
    if (sub === 'restore') return changes('etcdctl snapshot restore changes state: rebuilds a data directory from a snapshot', pos[1].i, IRREVERSIBLE);
  }
  if (['member', 'alarm', 'lease', 'user', 'role', 'auth'].includes(v)) {
    if (/^(?:list|get|timetolive|status)$/.test(sub)) return reads(`etcdctl ${v} ${sub} only reads`, pos[1].i);
    return changes(`etcdctl ${v} ${sub} changes state`.trim(), pos[1]?.i ?? verb.i);
  }
  if (v === 'put' || v === 'txn' || v === 'move-leader' || v === 'compaction' || v === 'compact') return changes(`etcdctl ${v} changes state`, verb.i);
  if (v === 'del') return changes('etcdctl del changes state: deletes keys', verb.i);
  if (v === 'defrag') return changes('etcdctl defrag changes state: defragments the store (blocks the member meanwhile)', verb.i, RESTART);
  return unknownVerb('etcdctl', verb);
};

const DOCKER_READS = new Set(['ps', 'logs', 'inspect', 'images', 'stats', 'top', 'version', 'info', 'events', 'diff', 'port', 'history', 'search', 'ls', 'config', 'df', 'show', 'export', 'save', 'wait']);
const DOCKER_VALUED = new Set(['-H', '--host', '--context', '-c', '--config', '--log-level', '-l', '-f', '--file', '-p', '--project-name', '--project-directory', '--env-file', '--profile', '--format', '--filter', '--tail', '--since', '--until', '-n', '-u', '--user', '-w', '--workdir', '-e', '--env', '--name', '-v', '--volume', '--network', '--entrypoint', '--mount', '--platform', '-t', '--tag', '--ansi', '--progress']);

const docker: ToolFn = (c) => {
  const pos = positionals(c.args, DOCKER_VALUED);
  let k = 0;
  let group = '';
  if (['container', 'image', 'network', 'volume', 'system', 'compose', 'service', 'stack', 'node', 'swarm', 'secret', 'config', 'context', 'buildx', 'manifest', 'plugin', 'trust', 'builder', 'pod', 'machine', 'generate', 'kube'].includes(pos[0]?.value ?? '') && pos.length > 1) {
    group = pos[0].value + ' ';
    k = 1;
  }
  if (c.name === 'docker-compose') group = 'compose ';
  const verb = pos[k];
  if (!verb) return noVerb(c.name);
  const v = verb.value;
  const label = `${c.name} ${group}${v}`;
  if (v === 'exec') {
    // The command after the container: `docker exec -it db psql -c '…'`.
    const innerStart = pos[k + 2] ? pos[k + 2].i : -1;
    if (innerStart >= 0 && c.depth < MAX_DEPTH) {
      const inner = c.args.slice(innerStart).map((w) => (/[\s'"$;&|<>]/.test(w.value) ? `'${w.value.replace(/'/g, `'\\''`)}'` : w.value)).join(' ');
      const best = pickStrongest(classifyIn(inner, c.depth + 1));
      if (best && !(c.args.length - innerStart === 1 && /^(?:sh|bash|ash|\/bin\/(?:ba)?sh)$/.test(c.args[innerStart].value))) return { effect: best.effect, because: `in a container, ${best.because}`, at: verb.i, ...pickExtraCE(best) };
    }
    return unknown(`${label} runs a command in a container: its effect is unknown`, verb.i);
  }
  if (DOCKER_READS.has(v) && !(group === 'config ' || group === 'secret ') || (group && ['ls', 'inspect', 'ps', 'logs', 'top', 'images', 'config', 'df', 'show', 'list'].includes(v))) return reads(`${label} only reads`, verb.i);
  if (['restart', 'reload'].includes(v)) return changes(`${label} changes state: restarts containers`, verb.i, RESTART);
  if (['pull', 'build', 'tag', 'login', 'logout', 'load', 'import', 'commit', 'create'].includes(v) && (group === '' || group === 'image ' || group === 'compose ' || group === 'buildx ' || group === 'context ')) {
    if (v === 'create' && group !== 'context ') return changes(`${label} changes state: creates a container`, verb.i);
    return changes(`${label} changes only local images or settings`, verb.i, LOCAL);
  }
  if (['prune'].includes(v) || (group === 'volume ' && ['rm', 'remove', 'prune'].includes(v))) return changes(`${label} changes state: deletes ${group === 'volume ' ? 'volumes and their data; this cannot be undone' : 'unused objects'}`, verb.i, group === 'volume ' ? IRREVERSIBLE : {});
  if (v === 'run' && hasFlag(c.args, '--rm')) {
    // The command after the image: `docker run --rm postgres pg_dump …`.
    const image = positionals(c.args, DOCKER_VALUED)[k + 1];
    if (image && c.args.length > image.i + 1 && c.depth < MAX_DEPTH) {
      const inner = c.args.slice(image.i + 1).map((w) => (/[\s'"$;&|<>]/.test(w.value) ? `'${w.value.replace(/'/g, `'\\''`)}'` : w.value)).join(' ');
      const best = pickStrongest(classifyIn(inner, c.depth + 1));
      if (best && best.effect !== 'unknown') return { effect: best.effect, because: `in a throw-away container, ${best.because}`, at: verb.i, ...pickExtraCE(best) };
    }
    return changes(`${label} --rm changes state: runs a throw-away container, removed when it exits`, verb.i, UPKEEP);
  }
  if (['run', 'rm', 'rmi', 'stop', 'start', 'kill', 'pause', 'unpause', 'cp', 'up', 'down', 'push', 'update', 'scale', 'deploy', 'rollback', 'remove', 'create', 'rename', 'connect', 'disconnect', 'promote', 'demote', 'init', 'join', 'leave', 'apply', 'play', 'attach'].includes(v)) {
    return changes(`${label} changes state`, verb.i, v === 'kill' ? RESTART : {});
  }
  return unknownVerb(`${c.name} ${group}`.trim(), verb);
};

const SYSTEMCTL_READS = new Set(['status', 'is-active', 'is-enabled', 'is-failed', 'is-system-running', 'show', 'cat', 'list-units', 'list-unit-files', 'list-timers', 'list-dependencies', 'list-sockets', 'list-jobs', 'list-machines', 'get-default', 'show-environment', 'help']);
const SYSTEMCTL_RESTART = new Set(['restart', 'reload', 'try-restart', 'reload-or-restart', 'try-reload-or-restart', 'condrestart', 'force-reload', 'daemon-reload', 'reset-failed', 'kill']);
const systemctl: ToolFn = (c) => {
  const pos = positionals(c.args, VALUED_11);
  const verb = pos[0];
  if (!verb) return reads(`${c.name} with no command lists units`);
  const v = verb.value;
  if (SYSTEMCTL_READS.has(v)) return reads(`${c.name} ${v} only reads`, verb.i);
  if (SYSTEMCTL_RESTART.has(v)) return changes(`${c.name} ${v} changes state: ${v === 'daemon-reload' ? 'reloads unit files' : v === 'kill' ? 'signals a service' : v === 'reset-failed' ? 'clears failed units' : 'restarts or reloads a service'}`, verb.i, RESTART);
  if (['reboot', 'poweroff', 'halt', 'kexec', 'suspend', 'hibernate'].includes(v)) return changes(`${c.name} ${v} changes state: restarts or stops the machine`, verb.i, RESTART);
  if (['start', 'stop', 'enable', 'disable'].includes(v)) return changes(`${c.name} ${v} changes state: ${v}s a service (${v === 'start' ? 'stop' : v === 'stop' ? 'start' : v === 'enable' ? 'disable' : 'enable'} undoes it)`, verb.i, RESTART);
  if (['mask', 'unmask', 'edit', 'set-property', 'isolate', 'set-default', 'revert', 'link', 'preset', 'freeze', 'thaw', 'set-environment', 'unset-environment'].includes(v)) return changes(`${c.name} ${v} changes state`, verb.i);
  return unknownVerb(c.name, verb);
};

const service: ToolFn = (c) => {
  const pos = positionals(c.args);
  if (hasFlag(c.args, '--status-all')) return reads('service --status-all only reads');
  const unit = pos[0];
  const verb = pos[1];
  if (!unit || !verb) return unknown(`service ${unit?.value ?? ''} with no action: its effect is unknown`.replace('  ', ' '), -1);
  const v = verb.value;
  if (v === 'status') return reads('service status only reads', verb.i);
  if (['restart', 'reload', 'force-reload', 'try-restart', 'condrestart'].includes(v)) return changes(`service ${v} changes state: restarts or reloads a service`, verb.i, RESTART);
  if (['start', 'stop'].includes(v)) return changes(`service ${v} changes state: ${v}s a service (${v === 'start' ? 'stop' : 'start'} undoes it)`, verb.i, RESTART);
  return unknownVerb(`service ${unit.value}`, verb);
};

const journalctl: ToolFn = (c) => {
  if (c.args.some((a) => /^--(?:vacuum-|rotate|flush|sync|relinquish-var|setup-keys)/.test(a.value))) return changes('journalctl --vacuum/--rotate changes state: deletes or rotates logs', undefined, LOCAL);
  return reads('journalctl only reads logs');
};

// --- databases ------------------------------------------------------------------------------

/** The effect of SQL text (one or more statements, psql meta-commands included). */
export function classifySql(sql: string, client = 'SQL'): { effect: Effect; because: string; reversible?: false; restartLike?: true; backup?: true } {
  const statements = splitSql(sql);
  if (!statements.length) return { effect: 'unknown', because: `${client} runs no statement OpsReview can see: its effect is unknown` };
  let best: { effect: Effect; because: string; reversible?: false; restartLike?: true } | undefined;
  let irreversible: string | undefined;
  for (const st of statements) {
    const r = sqlStatement(st);
    if (r.reversible === false && !irreversible) irreversible = r.because;
    if (!best || RANK[r.effect] > RANK[best.effect]) best = r;
  }
  const b = best!;
  if (b.effect === 'changes' && irreversible) return { effect: 'changes', because: `${client}: ${irreversible}`, reversible: false };
  return { ...b, because: `${client}: ${b.because}` };
}

function splitSql(sql: string): string[] {
  const out: string[] = [];
  let cur = '';
  const s = sql.replace(/\/\*[\s\S]*?\*\//g, ' ');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '-' && s[i + 1] === '-') {
      while (i < s.length && s[i] !== '\n') i++;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      const e = s.indexOf(ch, i + 1);
      const end = e < 0 ? s.length : e;
      cur += s.slice(i, end + 1);
      i = end;
      continue;
    }
    if (ch === '\\' && (i === 0 || /\n|;|\s/.test(s[i - 1] ?? '')) && /[a-zA-Z!?]/.test(s[i + 1] ?? '')) {
      // psql meta-command: to the end of the line.
      if (cur.trim()) out.push(cur.trim());
      cur = '';
      let j = i;
      while (j < s.length && s[j] !== '\n') j++;
      out.push(s.slice(i, j).trim());
      i = j;
      continue;
    }
    if (ch === ';') {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

const SQL_CHANGE_FUNCS = /\b(?:pg_terminate_backend|pg_cancel_backend|pg_reload_conf|pg_switch_wal|pg_promote|pg_drop_replication_slot|pg_create_(?:physical|logical)_replication_slot|setval|nextval|set_config|lo_unlink|pg_rotate_logfile|pg_wal_replay_(?:pause|resume)|pg_advisory_lock)\s*\(/i;

function sqlStatement(st: string): { effect: Effect; because: string; reversible?: false; restartLike?: true } {
  if (st.startsWith('\\')) {
    const meta = st.split(/\s+/)[0];
    if (/^\\(?:i|ir|include|o|out|w|write|!|g|gexec|gset)$/.test(meta)) return { effect: 'unknown', because: `the psql command ${meta} runs or writes what OpsReview cannot see` };
    if (/^\\copy$/i.test(meta)) return /\bfrom\b/i.test(st) ? { effect: 'changes', because: '\\copy … from loads rows into a table' } : { effect: 'reads', because: '\\copy … to only reads' };
    return { effect: 'reads', because: `the psql command ${meta} only reads` };
  }
  const words = st.replace(/\s+/g, ' ').trim().split(' ');
  const w0 = (words[0] ?? '').toUpperCase().replace(/[^A-Z]/g, '');
  const w1 = (words[1] ?? '').toUpperCase();
  const upper = st.toUpperCase();
  const hasDml = /\b(?:INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM|MERGE\s+INTO)\b/.test(upper);
  switch (w0) {
    case 'SELECT':
      if (SQL_CHANGE_FUNCS.test(st)) {
        const f = SQL_CHANGE_FUNCS.exec(st)![0].replace(/\s*\($/, '');
        if (/drop_replication_slot/.test(f)) return { effect: 'changes', because: `SELECT ${f}() removes a replication slot: clean-up with nothing to roll back`, restartLike: true };
        return /terminate|cancel/.test(f) ? { effect: 'changes', because: `SELECT ${f}() ends sessions`, restartLike: true } : { effect: 'changes', because: `SELECT ${f}() changes server state` };
      }
      if (/\bINTO\s+(?!@|:)\w/.test(upper) && !/\bINTO\s+(?:OUTFILE|DUMPFILE)\b/.test(upper) && /\bFROM\b/.test(upper) && upper.indexOf(' INTO ') < upper.indexOf(' FROM ')) return { effect: 'changes', because: 'SELECT … INTO creates a table' };
      if (/\bFOR\s+(?:UPDATE|SHARE)\b/.test(upper)) return { effect: 'changes', because: 'SELECT … FOR UPDATE locks rows' };
      return { effect: 'reads', because: 'SELECT only reads' };
    case 'SHOW':
    case 'DESCRIBE':
    case 'DESC':
    case 'VALUES':
    case 'TABLE':
    case 'USE':
    case 'BEGIN':
    case 'COMMIT':
    case 'END':
    case 'ROLLBACK':
    case 'START':
    case 'ABORT':
    case 'SAVEPOINT':
    case 'RELEASE':
    case 'PREPARE':
    case 'DECLARE':
    case 'FETCH':
    case 'CLOSE':
    case 'DEALLOCATE':
    case 'LISTEN':
    case 'UNLISTEN':
      return { effect: 'reads', because: `${w0} only reads` };
    case 'EXPLAIN':
      if (/\bANALY[SZ]E\b/.test(upper) && hasDml) return { effect: 'changes', because: 'EXPLAIN ANALYZE runs the statement it explains, which changes rows' };
      return { effect: 'reads', because: 'EXPLAIN only reads' };
    case 'WITH':
      return hasDml ? { effect: 'changes', because: 'WITH … changes rows' } : { effect: 'reads', because: 'WITH … SELECT only reads' };
    case 'SET':
      if (/^(?:GLOBAL|PERSIST|PERSIST_ONLY)$/.test(w1) || /^@@(?:GLOBAL|PERSIST)/.test(w1)) return { effect: 'changes', because: `SET ${w1} changes server settings${/PERSIST/.test(w1) ? ' and keeps them across restarts' : ''}` };
      return { effect: 'reads', because: 'SET changes only this session' };
    case 'DROP':
      return { effect: 'changes', because: `DROP ${w1} drops ${w1 ? `the ${w1.toLowerCase()}` : 'objects'} and its data; this cannot be undone`, reversible: false };
    case 'TRUNCATE':
      return { effect: 'changes', because: 'TRUNCATE deletes every row of a table; this cannot be undone', reversible: false };
    case 'DELETE':
      return { effect: 'changes', because: 'DELETE FROM deletes rows; this cannot be undone', reversible: false };
    case 'INSERT':
    case 'UPDATE':
    case 'MERGE':
    case 'UPSERT':
    case 'REPLACE':
    case 'COPY':
      if (w0 === 'COPY' && (/^COPY\s*\(/.test(upper) || !/\bFROM\b/.test(upper))) return { effect: 'reads', because: 'COPY … TO only reads' };
      return { effect: 'changes', because: `${w0} changes rows` };
    case 'ALTER':
      if (w1 === 'SYSTEM') return { effect: 'changes', because: 'ALTER SYSTEM changes server settings' };
      return { effect: 'changes', because: `ALTER ${w1} changes the schema` };
    case 'CREATE':
    case 'GRANT':
    case 'REVOKE':
    case 'RENAME':
    case 'COMMENT':
    case 'VACUUM':
    case 'ANALYZE':
    case 'ANALYSE':
      return { effect: 'changes', because: `${w0 === 'VACUUM' ? 'VACUUM reclaims dead rows' : 'ANALYZE refreshes planner statistics'}: upkeep with nothing to roll back`, restartLike: true };
    case 'REINDEX':
    case 'CLUSTER':
    case 'REFRESH':
    case 'LOCK':
    case 'FLUSH':
    case 'RESET':
    case 'LOAD':
    case 'OPTIMIZE':
    case 'REPAIR':
    case 'CHECKPOINT':
    case 'NOTIFY':
    case 'SECURITY':
    case 'REASSIGN':
    case 'IMPORT':
    case 'INSTALL':
    case 'UNINSTALL':
    case 'PURGE':
    case 'CHANGE':
    case 'STOP':
    case 'RESET ':
      return { effect: 'changes', because: `${w0}${w1 && /^[A-Z_]+$/.test(w1) ? ' ' + w1 : ''} changes the database` };
    case 'KILL':
      return { effect: 'changes', because: 'KILL ends a session or query', restartLike: true };
    case 'CALL':
    case 'DO':
    case 'EXEC':
    case 'EXECUTE':
    case 'SOURCE':
      return { effect: 'unknown', because: `${w0} runs code OpsReview cannot see: its effect is unknown` };
    default:
      return { effect: 'unknown', because: `${words[0]} is not a statement OpsReview knows: its effect is unknown` };
  }
}

function fromSql(tool: string, sql: string | undefined, at: number | undefined, what: string): Verdict {
  if (sql === undefined) return unknown(`${tool} ${what}: its effect is unknown`, at);
  const r = classifySql(sql, tool);
  return { effect: r.effect, because: r.because, at, reversible: r.reversible, restartLike: r.restartLike };
}

const psql: ToolFn = (c) => {
  const cmds = allFlagValues(c.args, '-c', '--command');
  const file = flagValue(c.args, '-f', '--file');
  if (cmds.length) return fromSql('psql', cmds.join(';\n'), undefined, '');
  if (file && file !== '-') return unknown(`psql runs the SQL of ${file}: its effect is unknown`);
  if (hasFlag(c.args, '-l', '--list')) return reads('psql -l only lists databases');
  if (c.stdin !== undefined) return fromSql('psql', c.stdin, undefined, '');
  if (c.stdinFile) return unknown(`psql runs the SQL of ${c.stdinFile}: its effect is unknown`);
  return unknown('psql with no query visible opens a session: its effect is unknown');
};

const mysql: ToolFn = (c) => {
  const cmds = allFlagValues(c.args, '-e', '--execute');
  const inline = c.args.find((a) => /^-e./.test(a.value));
  if (inline) cmds.push(inline.value.slice(2));
  if (cmds.length) return fromSql(c.name, cmds.join(';\n'), undefined, '');
  if (c.stdin !== undefined) return fromSql(c.name, c.stdin, undefined, '');
  if (c.stdinFile) return unknown(`${c.name} runs the SQL of ${c.stdinFile}: its effect is unknown`);
  return unknown(`${c.name} with no query visible opens a session: its effect is unknown`);
};

const sqlite3: ToolFn = (c) => {
  const pos = positionals(c.args, VALUED_12);
  const sql = pos[1]?.value ?? c.stdin;
  if (hasFlag(c.args, '-readonly')) return reads('sqlite3 -readonly only reads');
  return fromSql('sqlite3', sql, undefined, 'with no query visible opens a session');
};

const cqlsh: ToolFn = (c) => fromSql(c.name, flagValue(c.args, '-e', '--execute') ?? c.stdin, undefined, 'with no query visible opens a session');

const MONGO_CHANGE = /\.(?:insert(?:One|Many)?|update(?:One|Many)?|replaceOne|findOneAnd(?:Update|Replace|Delete)|bulkWrite|save|createIndex(?:es)?|dropIndex(?:es)?|renameCollection|createCollection|createUser|updateUser|dropUser|grantRolesToUser|revokeRolesFromUser|shutdownServer|fsyncLock|fsyncUnlock|setProfilingLevel|killOp|adminCommand|runCommand|stepDown|reconfig|add|remove|freeze|syncFrom|enableSharding|shardCollection|moveChunk|splitAt|setFeatureCompatibilityVersion|compact|repairDatabase)\s*\(/;
const MONGO_IRREVERSIBLE = /\.(?:drop|dropDatabase|deleteOne|deleteMany|remove|findOneAndDelete)\s*\(/;
const MONGO_READ = /\.(?:find|findOne|count|countDocuments|estimatedDocumentCount|aggregate|distinct|stats|getIndexes|getCollectionNames|getCollectionInfos|serverStatus|status|printReplicationInfo|printSecondaryReplicationInfo|isMaster|hello|currentOp|getProfilingStatus|explain|version|hostInfo|conf|printShardingStatus|getUsers|getRoles|listCollections|getSiblingDB|getCollection|getMongo|getName|help|ping|buildInfo)\s*\(|^\s*(?:show|use|db|printjson|print|quit|exit)\b/;

const mongo: ToolFn = (c) => {
  const js = flagValue(c.args, '--eval') ?? c.stdin;
  if (js === undefined) {
    const file = positionals(c.args, VALUED_13).find((p) => /\.js$/.test(p.value));
    return unknown(file ? `${c.name} runs ${file.value}: its effect is unknown` : `${c.name} with no script visible opens a session: its effect is unknown`);
  }
  if (MONGO_IRREVERSIBLE.test(js)) return changes(`${c.name}: ${MONGO_IRREVERSIBLE.exec(js)![0].replace(/^\.|\s*\($/g, '')}() deletes documents or collections; this cannot be undone`, undefined, IRREVERSIBLE);
  if (MONGO_CHANGE.test(js)) {
    const f = MONGO_CHANGE.exec(js)![0].replace(/^\.|\s*\($/g, '');
    return changes(`${c.name}: ${f}() changes state`, undefined, /stepDown|killOp/.test(f) ? RESTART : {});
  }
  if (MONGO_READ.test(js)) return reads(`${c.name}: the script only reads`);
  return unknown(`${c.name} runs a script OpsReview does not know: its effect is unknown`);
};

const REDIS_READS = new Set(['GET', 'MGET', 'KEYS', 'SCAN', 'INFO', 'TTL', 'PTTL', 'TYPE', 'EXISTS', 'STRLEN', 'GETRANGE', 'HGET', 'HGETALL', 'HKEYS', 'HVALS', 'HLEN', 'HMGET', 'HEXISTS', 'HSCAN', 'HSTRLEN', 'LRANGE', 'LLEN', 'LINDEX', 'LPOS', 'SMEMBERS', 'SISMEMBER', 'SMISMEMBER', 'SCARD', 'SSCAN', 'SRANDMEMBER', 'SDIFF', 'SINTER', 'SUNION', 'ZRANGE', 'ZRANGEBYSCORE', 'ZREVRANGEBYSCORE', 'ZRANGEBYLEX', 'ZSCORE', 'ZMSCORE', 'ZCARD', 'ZSCAN', 'ZREVRANGE', 'ZCOUNT', 'ZRANK', 'ZREVRANK', 'XLEN', 'XRANGE', 'XREVRANGE', 'XINFO', 'XPENDING', 'XREAD', 'PING', 'ECHO', 'DBSIZE', 'ROLE', 'TIME', 'LASTSAVE', 'OBJECT', 'PUBSUB', 'SUBSCRIBE', 'PSUBSCRIBE', 'MONITOR', 'LATENCY', 'DUMP', 'GETBIT', 'BITCOUNT', 'BITPOS', 'PFCOUNT', 'GEOPOS', 'GEODIST', 'GEORADIUS_RO', 'GEOSEARCH', 'RANDOMKEY', 'SENTINEL', 'COMMAND', 'HELLO', 'AUTH', 'SELECT', 'READONLY', 'WAIT', 'JSON.GET', 'TS.GET', 'TS.RANGE', 'FT.SEARCH', 'FT.INFO']);
const REDIS_SUB_READS: Record<string, RegExp> = {
  CONFIG: /^GET$/,
  CLIENT: /^(?:LIST|INFO|GETNAME|ID|TRACKINGINFO)$/,
  SLOWLOG: /^(?:GET|LEN)$/,
  MEMORY: /^(?:USAGE|STATS|DOCTOR|MALLOC-STATS|HELP)$/,
  CLUSTER: /^(?:INFO|NODES|SLOTS|SHARDS|MYID|KEYSLOT|COUNTKEYSINSLOT|GETKEYSINSLOT|COUNT-FAILURE-REPORTS|LINKS|REPLICAS|SLAVES)$/,
  SCRIPT: /^EXISTS$/,
  FUNCTION: /^(?:LIST|STATS|DUMP)$/,
  ACL: /^(?:LIST|GETUSER|WHOAMI|CAT|USERS|LOG)$/,
  MODULE: /^LIST$/,
  SENTINEL: /^(?!FAILOVER|SET|REMOVE|MONITOR|RESET|CONFIG\s+SET|FLUSHCONFIG)/,
};
const redisCli: ToolFn = (c) => {
  const pos = positionals(c.args, VALUED_14);
  if (hasFlag(c.args, '--bigkeys', '--memkeys', '--hotkeys', '--stat', '--latency', '--latency-history', '--latency-dist', '--scan', '--intrinsic-latency', '--keystats')) return reads('redis-cli only reads (statistics or a key scan)');
  if (hasFlag(c.args, '--rdb')) return changes('redis-cli --rdb takes a backup', undefined, BACKUP);
  if (hasFlag(c.args, '--eval')) return unknown('redis-cli --eval runs a Lua script: its effect is unknown');
  if (hasFlag(c.args, '--pipe')) return changes('redis-cli --pipe writes commands in bulk');
  if (hasFlag(c.args, '--cluster')) {
    const sub = flagValue(c.args, '--cluster') ?? '';
    return /^(?:check|info|call)$/.test(sub) ? (sub === 'call' ? unknown('redis-cli --cluster call runs a command on every node: its effect is unknown') : reads(`redis-cli --cluster ${sub} only reads`)) : changes(`redis-cli --cluster ${sub} changes the cluster`);
  }
  const cmd = pos[0];
  if (!cmd) {
    if (c.stdin !== undefined) {
      const first = c.stdin.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
      return redisVerdict(first, c.stdin.trim().split(/\s+/)[1]?.toUpperCase() ?? '', undefined);
    }
    return unknown('redis-cli with no command visible opens a session: its effect is unknown');
  }
  return redisVerdict(cmd.value.toUpperCase(), pos[1]?.value.toUpperCase() ?? '', cmd.i, pos[1]?.i);
};

function redisVerdict(cmd: string, sub: string, at: number | undefined, subAt?: number): Verdict {
  if (REDIS_READS.has(cmd) && !(cmd === 'SENTINEL' && sub && !REDIS_SUB_READS.SENTINEL.test(sub))) return reads(`redis-cli ${cmd} only reads`, at);
  if (REDIS_SUB_READS[cmd]) {
    if (REDIS_SUB_READS[cmd].test(sub)) return reads(`redis-cli ${cmd} ${sub} only reads`, subAt ?? at);
    if (cmd === 'CLIENT' && sub === 'KILL') return changes('redis-cli CLIENT KILL changes state: disconnects clients', subAt ?? at, RESTART);
    if (cmd === 'CLUSTER' && sub === 'FAILOVER') return changes('redis-cli CLUSTER FAILOVER changes state: promotes a replica', subAt ?? at);
    return changes(`redis-cli ${cmd} ${sub} changes state`.trim(), subAt ?? at);
  }
  if (cmd === 'FLUSHALL' || cmd === 'FLUSHDB') return changes(`redis-cli ${cmd} changes state: deletes every key; this cannot be undone`, at, IRREVERSIBLE);
  if (['DEL', 'UNLINK', 'GETDEL'].includes(cmd)) return changes(`redis-cli ${cmd} changes state: deletes keys; this cannot be undone`, at, IRREVERSIBLE);
  if (['SAVE', 'BGSAVE'].includes(cmd)) return changes(`redis-cli ${cmd} takes a backup (an RDB snapshot)`, at, BACKUP);
  if (['SHUTDOWN', 'DEBUG'].includes(cmd)) return changes(`redis-cli ${cmd} changes state: stops or stalls the server`, at, RESTART);
  if (['EVAL', 'EVALSHA', 'FCALL', 'MULTI', 'EXEC'].includes(cmd)) return unknown(`redis-cli ${cmd} runs code OpsReview cannot see: its effect is unknown`, at);
  if (/^(?:SET|SETEX|PSETEX|SETNX|SETRANGE|MSET|MSETNX|GETSET|APPEND|INCR|INCRBY|INCRBYFLOAT|DECR|DECRBY|EXPIRE|PEXPIRE|EXPIREAT|PEXPIREAT|PERSIST|RENAME|RENAMENX|MOVE|COPY|RESTORE|MIGRATE|HSET|HSETNX|HMSET|HDEL|HINCRBY|HINCRBYFLOAT|LPUSH|RPUSH|LPUSHX|RPUSHX|LPOP|RPOP|LSET|LREM|LTRIM|LINSERT|LMOVE|RPOPLPUSH|BLPOP|BRPOP|SADD|SREM|SPOP|SMOVE|SDIFFSTORE|SINTERSTORE|SUNIONSTORE|ZADD|ZREM|ZINCRBY|ZPOPMIN|ZPOPMAX|ZREMRANGEBYSCORE|ZREMRANGEBYRANK|ZREMRANGEBYLEX|ZUNIONSTORE|ZINTERSTORE|XADD|XDEL|XTRIM|XGROUP|XACK|XCLAIM|XAUTOCLAIM|SETBIT|BITOP|PFADD|PFMERGE|GEOADD|PUBLISH|SPUBLISH|REPLICAOF|SLAVEOF|FAILOVER|BGREWRITEAOF|SWAPDB|JSON\.SET|JSON\.DEL|TS\.ADD)$/.test(cmd)) {
    return changes(`redis-cli ${cmd} changes state`, at);
  }
  return unknown(`redis-cli ${cmd} is not a command OpsReview knows: its effect is unknown`, at);
}

// --- HTTP -------------------------------------------------------------------------------------

const curl: ToolFn = (c) => {
  const method = flagValue(c.args, '-X', '--request')?.toUpperCase();
  const data = c.args.some((a) => /^(?:-d|--data(?:-\w+)?|-F|--form(?:-string)?|--json|-T|--upload-file)(?:=|$)/.test(a.value) || /^-d./.test(a.value) || /^-F./.test(a.value));
  const head = hasFlag(c.args, '-I', '--head');
  const get = hasFlag(c.args, '-G', '--get');
  const m = method ?? (head ? 'HEAD' : data && !get ? 'POST' : 'GET');
  const output = flagValue(c.args, '-o', '--output');
  const remoteName = c.args.some((a) => a.value === '-O' || a.value === '--remote-name' || a.value === '-J' || /^-[a-zA-Z]*O[a-zA-Z]*$/.test(a.value) && !a.value.startsWith('--'));
  if (/^(?:GET|HEAD|OPTIONS|PROPFIND)$/.test(m)) {
    if ((output && !HARMLESS_TARGETS.test(output)) || remoteName) return changes(`curl ${m} downloads into a local file${output ? ` (${output})` : ''}`, undefined, LOCAL);
    return reads(`curl ${m} only reads`);
  }
  if (/^(?:POST|PUT|PATCH|DELETE|PURGE|MKCOL|MOVE|COPY)$/.test(m)) {
    const values = c.args.map((a) => a.value);
    const url = values.find((x) => /^https?:\/\//.test(x)) ?? values.find((x) => /^(?:\$|\{)/.test(x) && /\//.test(x)) ?? '';
    if (m === 'POST' && /(?:^|[/_-])(?:backups?|snapshots?)(?:$|[/?_-])/i.test(url) && !/(?:^|[/_-])(?:restore|delete|remove|list)/i.test(url)) return changes(`curl POST starts a backup or snapshot`, undefined, BACKUP);
    if (m === 'POST' && /(?:^|[/_-])(?:list|get|show|status|describe|search|msearch|query|q|find|lookup|count)(?:[-_]|$|[/?])/i.test(url.replace(/^https?:\/\/[^/]+/, ''))) return reads(`curl POST to a listing or query endpoint only reads`);
    if (/(?:^|[/_-])(?:delete|remove|purge|prune)[/_-]?(?:old[/_-]?)?(?:backups?|snapshots?)(?:$|[/?_-])/i.test(url) || m === 'DELETE' && /(?:^|[/_-])(?:backups?|snapshots?)(?:$|[/?_-])/i.test(url)) return changes(`curl ${m} deletes a backup or snapshot; this cannot be undone`, undefined, IRREVERSIBLE);
    if (/hooks\.slack\.com|\/webhook|chat\.postMessage|\/_cluster\/reroute|\/_cache\/clear|\/_refresh\b|\/_flush\b|\/-\/reload\b|\/metrics\/job\//.test(url)) return changes(`curl ${m} changes state: sends a message, a retry, a reload or a cache flush: nothing to roll back`, undefined, UPKEEP);
    return changes(`curl ${m} changes state: sends a ${m} request`);
  }
  return unknown(`curl ${m} is not a method OpsReview knows: its effect is unknown`);
};

const wget: ToolFn = (c) => {
  const method = flagValue(c.args, '--method')?.toUpperCase() ?? (hasFlag(c.args, '--post-data', '--post-file', '--body-data', '--body-file') ? 'POST' : 'GET');
  if (/^(?:POST|PUT|PATCH|DELETE)$/.test(method)) return changes(`wget ${method} changes state: sends a ${method} request`);
  const combined = c.args.find((a) => /^-[a-zA-Z]*O/.test(a.value) && !a.value.startsWith('--'));
  const out = flagValue(c.args, '-O', '--output-document') ?? (combined ? combined.value.replace(/^-[a-zA-Z]*?O/, '') || c.args[c.args.indexOf(combined) + 1]?.value : undefined);
  if (hasFlag(c.args, '--spider') || (out !== undefined && HARMLESS_TARGETS.test(out))) return reads(`wget ${method} only reads`);
  return changes(`wget ${method} downloads into a local file${out ? ` (${out})` : ''}`, undefined, LOCAL);
};

const httpie: ToolFn = (c) => {
  const pos = positionals(c.args, VALUED_15);
  let k = 0;
  let method = '';
  if (pos[0] && /^[A-Z]+$/.test(pos[0].value)) {
    method = pos[0].value;
    k = 1;
  }
  const items = pos.slice(k + 1).map((p) => p.value);
  const data = items.some((x) => /^[^:=]*(?::=|=|@)/.test(x) && !/^[^=]*==/.test(x)) || hasFlag(c.args, '-f', '--form', '--raw', '-m', '--multipart');
  const m = method || (data ? 'POST' : 'GET');
  const label = c.name === 'https' || c.name === 'xh' || c.name === 'xhs' ? c.name : 'http';
  if (/^(?:GET|HEAD|OPTIONS)$/.test(m)) return hasFlag(c.args, '-d', '--download') ? changes(`${label} ${m} --download downloads into a local file`, undefined, LOCAL) : reads(`${label} ${m} only reads`);
  if (/^(?:POST|PUT|PATCH|DELETE)$/.test(m)) return changes(`${label} ${m} changes state: sends a ${m} request`, k ? pos[0].i : undefined);
  return unknown(`${label} ${m} is not a method OpsReview knows: its effect is unknown`);
};

// --- configuration management and deploy tools --------------------------------------------------

const ANSIBLE_READ_MODULES = /^(?:(?:ansible\.builtin\.|ansible\.windows\.)?(?:ping|win_ping|setup|gather_facts|debug|stat|slurp|find|assert|fail|wait_for|wait_for_connection|uri|fetch|getent|package_facts|service_facts|command_info|list_files)|.*_(?:info|facts))$/;
const ansible: ToolFn = (c) => {
  if (hasFlag(c.args, '--check', '-C')) return reads('ansible --check only shows what would change');
  if (hasFlag(c.args, '--list-hosts', '--version', '--list')) return reads('ansible --list-hosts only reads');
  const mod = flagValue(c.args, '-m', '--module-name') ?? 'command';
  const a = flagValue(c.args, '-a', '--args');
  const short = mod.replace(/^ansible\.builtin\./, '');
  if (['command', 'shell', 'raw', 'win_shell', 'win_command'].includes(short)) {
    if (a === undefined || c.depth >= MAX_DEPTH) return unknown(`ansible -m ${short} with no command: its effect is unknown`);
    const best = pickStrongest(classifyIn(a, c.depth + 1));
    if (!best) return unknown(`ansible -m ${short} runs a command OpsReview cannot see: its effect is unknown`);
    return { effect: best.effect, because: `${best.because} (on every host, through ansible -m ${short})`, ...pickExtraCE(best) };
  }
  if (ANSIBLE_READ_MODULES.test(mod)) return reads(`ansible -m ${mod} only reads`);
  if (/^(?:reboot|win_reboot)$/.test(short) || (/^(?:service|systemd|systemd_service)$/.test(short) && /state=(?:restarted|reloaded)/.test(a ?? ''))) return changes(`ansible -m ${short} changes state: restarts a service or machine`, undefined, RESTART);
  return changes(`ansible -m ${mod} changes state: the module changes the hosts`);
};

const ansiblePlaybook: ToolFn = (c) => {
  if (hasFlag(c.args, '--check', '-C')) return reads('ansible-playbook --check only shows what would change');
  if (hasFlag(c.args, '--syntax-check', '--list-hosts', '--list-tasks', '--list-tags', '--version')) return reads('ansible-playbook --syntax-check/--list-* only reads');
  return changes('ansible-playbook changes state: runs a playbook against hosts');
};

const git: ToolFn = (c) => {
  const pos = positionals(c.args, VALUED_16);
  const verb = pos[0];
  if (!verb) return noVerb('git');
  const v = verb.value;
  if (v === 'push') return hasFlag(c.args, '--dry-run', '-n') ? reads('git push --dry-run only shows what would be pushed', verb.i) : changes('git push changes state: publishes commits to a remote (a deploy where the repository drives one)', verb.i);
  if (['status', 'log', 'diff', 'show', 'fetch', 'rev-parse', 'ls-files', 'ls-remote', 'blame', 'grep', 'describe', 'shortlog', 'reflog', 'cat-file', 'config', 'remote', 'version', 'help', 'whatchanged', 'show-ref', 'for-each-ref', 'rev-list', 'name-rev', 'cherry', 'range-diff', 'bisect', 'worktree'].includes(v)) {
    if (v === 'config' && positionals(c.args).length > 2 && !hasFlag(c.args, '--get', '--list', '-l', '--get-all')) return changes('git config changes the local git configuration', verb.i, LOCAL);
    if (v === 'remote' && pos[1] && ['add', 'remove', 'rm', 'set-url', 'rename'].includes(pos[1].value)) return changes(`git remote ${pos[1].value} changes the local git configuration`, pos[1].i, LOCAL);
    return reads(`git ${v} only reads`, verb.i);
  }
  if (v === 'branch' || v === 'tag') {
    if (!pos[1] || hasFlag(c.args, '-l', '--list', '-a', '-r', '-v', '-vv', '--show-current', '--contains')) return reads(`git ${v} only lists`, verb.i);
    return changes(`git ${v} changes the local repository`, verb.i, LOCAL);
  }
  return changes(`git ${v} changes the local checkout`, verb.i, LOCAL);
};

const argocd: ToolFn = (c) => {
  const pos = positionals(c.args, VALUED_17);
  const group = pos[0];
  const sub = pos[1];
  if (!group) return noVerb('argocd');
  if (['version', 'context', 'login', 'logout', 'relogin'].includes(group.value)) return reads(`argocd ${group.value} only reads or changes local credentials`, group.i);
  if (!sub) return noVerb(`argocd ${group.value}`);
  if (/^(?:get|list|diff|history|logs|manifests|resources|wait|show|get-resource|ls)$/.test(sub.value)) return reads(`argocd ${group.value} ${sub.value} only reads`, sub.i);
  if (/^(?:sync|set|unset|delete|rollback|create|patch|patch-resource|delete-resource|terminate-op|add|remove|edit|rotate|update|restart|run|actions)$/.test(sub.value)) {
    if (hasFlag(c.args, '--dry-run') || hasFlag(c.args, '--preview-changes') && sub.value === 'sync') return reads(`argocd ${group.value} ${sub.value} --dry-run only shows what would change`, sub.i);
    return changes(`argocd ${group.value} ${sub.value} changes state`, sub.i, sub.value === 'restart' ? RESTART : sub.value === 'rollback' ? ROLLBACK : {});
  }
  return unknownVerb(`argocd ${group.value}`, sub);
};

const flux: ToolFn = (c) => {
  const pos = positionals(c.args, VALUED_18);
  const verb = pos[0];
  if (!verb) return noVerb('flux');
  if (/^(?:get|logs|events|tree|export|check|version|diff|trace|stats|debug|completion)$/.test(verb.value)) return reads(`flux ${verb.value} only reads`, verb.i);
  if (/^(?:reconcile|suspend|resume|create|delete|bootstrap|install|uninstall|push|tag|build)$/.test(verb.value)) return changes(`flux ${verb.value} changes state`, verb.i);
  return unknownVerb('flux', verb);
};

const velero: ToolFn = (c) => {
  const pos = positionals(c.args, VALUED_19);
  const [g, s] = pos;
  if (!g) return noVerb('velero');
  if (g.value === 'backup' && s?.value === 'create') return changes('velero backup create takes a backup', s.i, BACKUP);
  if (/^(?:get|describe|logs|version)$/.test(g.value) || /^(?:get|describe|logs)$/.test(s?.value ?? '')) return reads(`velero ${g.value} ${s?.value ?? ''} only reads`.trim(), s?.i ?? g.i);
  if (g.value === 'restore' && s?.value === 'create') return changes('velero restore create changes state: restores resources from a backup', s.i);
  return changes(`velero ${g.value} ${s?.value ?? ''} changes state`.trim(), s?.i ?? g.i);
};

const nomad: ToolFn = (c) => {
  const pos = positionals(c.args, VALUED_20);
  const [g, s] = pos;
  if (!g) return noVerb('nomad');
  if (/^(?:status|version|monitor|logs)$/.test(g.value) || /^(?:status|inspect|logs|plan|history|list|fs|info|validate)$/.test(s?.value ?? '')) return reads(`nomad ${g.value} ${s?.value ?? ''} only reads`.trim(), s?.i ?? g.i);
  if (s?.value === 'restart') return changes(`nomad ${g.value} restart changes state: restarts tasks`, s.i, RESTART);
  if (/^(?:run|stop|dispatch|revert|promote|scale|drain|eligibility|stop|gc|apply|delete|purge|signal)$/.test(s?.value ?? g.value)) return changes(`nomad ${g.value} ${s?.value ?? ''} changes state`.trim(), s?.i ?? g.i);
  return unknownVerb('nomad', s ?? g);
};

const patronictl: ToolFn = (c) => {
  const pos = positionals(c.args, VALUED_21);
  const verb = pos[0];
  if (!verb) return noVerb('patronictl');
  if (/^(?:list|topology|history|show-config|version|query|dsn)$/.test(verb.value)) return reads(`patronictl ${verb.value} only reads`, verb.i);
  if (/^(?:restart|reload)$/.test(verb.value)) return changes(`patronictl ${verb.value} changes state: restarts members`, verb.i, RESTART);
  if (/^(?:switchover|failover|reinit|edit-config|pause|resume|remove|flush)$/.test(verb.value)) return changes(`patronictl ${verb.value} changes state`, verb.i, verb.value === 'remove' ? IRREVERSIBLE : {});
  return unknownVerb('patronictl', verb);
};

const amtool: ToolFn = (c) => {
  const pos = positionals(c.args, VALUED_22);
  const [g, s] = pos;
  if (!g) return noVerb('amtool');
  if (g.value === 'silence' && s && /^(?:add|expire|import|update)$/.test(s.value)) return changes(`amtool silence ${s.value} changes state: changes silences`, s.i);
  return reads(`amtool ${g.value} ${s?.value ?? ''} only reads`.trim(), s?.i ?? g.i);
};

const makeLike = (what: string): ToolFn => (c) => {
  const target = positionals(c.args, VALUED_23)[0];
  return unknown(`${c.name}${target ? ' ' + target.value : ''} ${what}: its effect is unknown`, target?.i ?? -1);
};

const fileTool = (verb: string, extra: Extra = {}): ToolFn => (c) => changes(`${c.name} changes state: ${verb}`, undefined, { local: true, ...extra });

const sed: ToolFn = (c) => (c.args.some((a) => /^-[a-zA-Z]*i/.test(a.value) || a.value.startsWith('--in-place')) ? changes('sed -i changes state: edits files in place', undefined, LOCAL) : reads('sed only reads (prints the edited text)'));
const tee: ToolFn = (c) => {
  const files = positionals(c.args).filter((p) => !HARMLESS_TARGETS.test(p.value));
  return files.length ? changes(`tee writes ${files[0].value}`, undefined, LOCAL) : reads('tee to standard output only');
};
const find: ToolFn = (c) => {
  if (hasFlag(c.args, '-delete')) return changes('find -delete changes state: deletes files', undefined, LOCAL);
  const ex = c.args.findIndex((a) => /^-(?:exec|execdir|ok|okdir)$/.test(a.value));
  if (ex >= 0 && c.depth < MAX_DEPTH) {
    const end = c.args.findIndex((a, k) => k > ex && (a.value === ';' || a.value === '+' || a.value === '\\;'));
    const inner = c.args.slice(ex + 1, end < 0 ? undefined : end).map((w) => w.value).join(' ');
    const best = pickStrongest(classifyIn(inner, c.depth + 1));
    if (best) return { effect: best.effect, because: `${best.because} (through find -exec)`, ...pickExtraCE(best) };
  }
  return reads('find only reads');
};
const tar: ToolFn = (c) => {
  const mode = c.args.find((a) => !a.value.startsWith('--'))?.value ?? '';
  if (/t/.test(mode) || hasFlag(c.args, '--list')) return reads('tar -t only lists an archive');
  return changes('tar writes files', undefined, LOCAL);
};
const openssl: ToolFn = (c) => {
  const sub = c.args[0]?.value ?? '';
  if (hasFlag(c.args, '-out', '-keyout') || /^(?:genrsa|genpkey|req|ca|rand)$/.test(sub) && hasFlag(c.args, '-out', '-keyout', '-new')) return changes(`openssl ${sub} writes a key or certificate file`, 0, LOCAL);
  return reads(`openssl ${sub} only reads`, c.args.length ? 0 : undefined);
};
const sysctl: ToolFn = (c) => {
  if (!(hasFlag(c.args, '-w', '--write', '-p', '--load', '--system') || c.args.some((a) => /^[\w.]+=/.test(a.value)))) return reads('sysctl only reads');
  // `sysctl -w` sets the running kernel until the next reboot; `-p`/`--system` loads a file someone changed.
  if (hasFlag(c.args, '-p', '--load', '--system')) return changes('sysctl -p changes kernel settings from a configuration file');
  return changes('sysctl -w changes a kernel setting until the next reboot', undefined, UPKEEP);
};
const iptables: ToolFn = (c) => (c.args.some((a) => /^-(?:[ADIRFZNXPE]|-append|-delete|-insert|-replace|-flush|-zero|-new-chain|-delete-chain|-policy|-rename-chain)$/.test(a.value)) ? changes(`${c.name} changes firewall rules`) : reads(`${c.name} -L only lists rules`));
const ip: ToolFn = (c) => {
  // `ip link set eth1 up`: brings a down interface back up; the down state was the fault, nothing to roll back.
  const vals = c.args.map((a) => a.value);
  if (vals[0] === 'link' && vals[1] === 'set' && vals.length <= 4 && vals[vals.length - 1] === 'up') return changes('ip link set … up changes state: brings a network interface back up (nothing to roll back)', 1, RESTART);
  return ipOther(c);
};
const ipOther: ToolFn = (c) => (c.args.some((a) => /^(?:add|del|delete|change|replace|set|flush|append)$/.test(a.value)) ? changes('ip changes network configuration') : reads('ip only shows network configuration'));
const crontab: ToolFn = (c) => (hasFlag(c.args, '-l') ? reads('crontab -l only lists') : changes('crontab changes scheduled jobs'));
const PROJECT_PACKAGE_MANAGERS = new Set(['bundle', 'npm', 'yarn', 'pnpm', 'poetry', 'pipenv', 'uv', 'composer']);
const packageManager: ToolFn = (c) => {
  const verb = positionals(c.args, VALUED_24)[0];
  if (!verb) return noVerb(c.name);
  if (/^(?:list|search|show|info|policy|madison|depends|rdepends|check|outdated|freeze|view|ls|query|whatprovides|repolist|history|audit|config|why|help|version|doctor|cache)$/.test(verb.value)) return reads(`${c.name} ${verb.value} only reads`, verb.i);
  if (/^(?:install|remove|purge|upgrade|update|dist-upgrade|full-upgrade|autoremove|reinstall|downgrade|erase|add|del|uninstall|ci|i|mark|hold|unhold|clean|fix|link|prune|publish)$/.test(verb.value)) {
    if (c.name === 'brew') return changes(`brew ${verb.value} changes installed packages on this machine`, verb.i, LOCAL);
    // A project's package manager writes the checkout (lock file, node_modules, vendor/): git undoes it.
    if (PROJECT_PACKAGE_MANAGERS.has(c.name) && verb.value !== 'publish') return changes(`${c.name} ${verb.value} changes the project's dependencies in this checkout (its lock file, installed modules)`, verb.i, LOCAL);
    const system = /^(?:apt|apt-get|yum|dnf|zypper|apk)$/.test(c.name);
    const pkgs = positionals(c.args, VALUED_24).slice(1).map((p) => p.value);
    // `apt-get update` refreshes the package lists; installing a tool (no version pinned) and
    // purging old packages are upkeep. An upgrade, or a pinned version (`postgresql-13=13.4-1`), changes what runs.
    if (system && (/^(?:update|clean|autoremove)$/.test(verb.value) || /^(?:install|add)$/.test(verb.value) && pkgs.length && !pkgs.some((x) => /[=<>]/.test(x)) || /^(?:purge|remove|erase|del)$/.test(verb.value) && (!pkgs.length || pkgs.every((x) => /^linux-|kernel/.test(x))))) {
      return changes(`${c.name} ${verb.value} changes installed packages: ${verb.value === 'update' ? 'refreshes the package lists' : /^(?:install|add)$/.test(verb.value) ? 'installs a tool' : 'removes old packages'}, nothing to roll back`, verb.i, UPKEEP);
    }
    return changes(`${c.name} ${verb.value} changes installed packages`, verb.i);
  }
  if (['npm', 'yarn', 'pnpm', 'npx', 'bundle', 'poetry', 'pipenv', 'uv'].includes(c.name) && /^(?:run|exec|x|dlx|start|test)$/.test(verb.value)) return unknown(`${c.name} ${verb.value} runs a project script: its effect is unknown`, positionals(c.args)[1]?.i ?? verb.i);
  return unknownVerb(c.name, verb);
};
const kill: ToolFn = (c) => {
  const sig = c.args.find((a) => /^-(?:0|s)$/.test(a.value) || a.value === '-l' || a.value === '-L');
  if (sig?.value === '-0' || sig?.value === '-l' || sig?.value === '-L') return reads(`${c.name} ${sig.value} only checks or lists`);
  return changes(`${c.name} changes state: signals or stops processes`, undefined, RESTART);
};
const growFs = (c: Ctx): Verdict => changes(`${c.name} changes state: grows a file system or volume, which cannot shrink back`, undefined, IRREVERSIBLE);
const wipe = (c: Ctx): Verdict => changes(`${c.name} changes state: rewrites a disk or partition; the data on it cannot be recovered`, undefined, IRREVERSIBLE);
const ctlStatus = (reads_: RegExp, restart: RegExp): ToolFn => (c) => {
  const verb = positionals(c.args, VALUED_25)[0];
  if (!verb) return unknown(`${c.name} with no command opens a session: its effect is unknown`, -1);
  if (reads_.test(verb.value)) return reads(`${c.name} ${verb.value} only reads`, verb.i);
  if (restart.test(verb.value)) return changes(`${c.name} ${verb.value} changes state: restarts processes`, verb.i, RESTART);
  return changes(`${c.name} ${verb.value} changes state`, verb.i);
};
const nginx: ToolFn = (c) => {
  if (hasFlag(c.args, '-t', '-T', '-v', '-V', '-h')) return reads('nginx -t only tests the configuration');
  const s = flagValue(c.args, '-s');
  if (s) return changes(`nginx -s ${s} changes state: ${s === 'reload' || s === 'reopen' ? 'reloads the server' : 'stops the server'}`, undefined, RESTART);
  return unknown('nginx with these options starts a server: its effect is unknown');
};
const dump = (what: string): ToolFn => (c) => reads(`${c.name} only reads: ${what}`, undefined, {});
const restore = (c: Ctx): Verdict => changes(`${c.name} changes state: loads data into a database`);
const timedatectl: ToolFn = (c) => (/^(?:set-|timesync)/.test(c.args[0]?.value ?? '') && c.args[0]?.value !== 'timesync-status' ? changes(`${c.name} ${c.args[0].value} changes state`, 0) : reads(`${c.name} only reads`));
const istioctl: ToolFn = (c) => {
  const v = positionals(c.args, VALUED_26)[0];
  if (!v) return noVerb('istioctl');
  if (/^(?:analyze|proxy-status|ps|proxy-config|pc|x|experimental|version|verify-install|describe|dashboard|dash|bug-report|manifest|profile|validate|precheck|admin|waypoint)$/.test(v.value)) {
    if (v.value === 'manifest' && positionals(c.args)[1]?.value === 'install') return changes('istioctl manifest install changes state: installs Istio', v.i);
    return reads(`istioctl ${v.value} only reads`, v.i);
  }
  if (/^(?:install|upgrade|uninstall|kube-inject|tag|operator)$/.test(v.value)) return changes(`istioctl ${v.value} changes state`, v.i);
  return unknownVerb('istioctl', v);
};
const eksctl: ToolFn = (c) => {
  const v = positionals(c.args, VALUED_27)[0];
  if (!v) return noVerb('eksctl');
  if (/^(?:get|info|version|utils|completion)$/.test(v.value)) return reads(`eksctl ${v.value} only reads`, v.i);
  if (/^(?:create|delete|upgrade|scale|drain|set|unset|update|enable|register|deregister|associate|disassociate)$/.test(v.value)) return changes(`eksctl ${v.value} changes state`, v.i);
  return unknownVerb('eksctl', v);
};
const linkerd: ToolFn = (c) => {
  const v = positionals(c.args, VALUED_28)[0];
  if (!v) return noVerb('linkerd');
  if (/^(?:install|upgrade|uninstall|inject|uninject)$/.test(v.value)) return changes(`linkerd ${v.value} changes state`, v.i);
  return reads(`linkerd ${v.value} only reads`, v.i);
};
const mc: ToolFn = (c) => {
  const v = positionals(c.args)[0];
  if (!v) return noVerb('mc');
  if (/^(?:ls|cat|stat|du|find|tree|head|diff|version|ping|ready|sql)$/.test(v.value) || (v.value === 'admin' && /^(?:info|trace|top|prometheus)$/.test(positionals(c.args)[1]?.value ?? ''))) return reads(`mc ${v.value} only reads`, v.i);
  return changes(`mc ${v.value} changes state`, v.i);
};
const promtool: ToolFn = () => reads('promtool only checks, tests or queries');
const pgBackup: ToolFn = (c) => ({ effect: 'reads', because: `${c.name} only reads: it takes a backup`, backup: true });

/** Tools with their own verdict function. */
const TOOLS: Record<string, ToolFn> = {
  kubectl,
  oc: kubectl,
  k: kubectl,
  kubecolor: kubectl,
  helm,
  helm3: helm,
  terraform,
  tofu: terraform,
  terragrunt: terraform,
  aws,
  gcloud,
  gsutil: gcloud,
  az,
  vault,
  consul,
  etcdctl,
  docker,
  podman: docker,
  nerdctl: docker,
  'docker-compose': docker,
  crictl: docker,
  systemctl,
  service,
  journalctl,
  psql,
  mysql,
  mariadb: mysql,
  sqlite3,
  cqlsh,
  mongo,
  mongosh: mongo,
  'redis-cli': redisCli,
  'valkey-cli': redisCli,
  curl,
  wget,
  http: httpie,
  https: httpie,
  xh: httpie,
  xhs: httpie,
  ansible,
  'ansible-playbook': ansiblePlaybook,
  git,
  argocd,
  flux,
  velero,
  nomad,
  patronictl,
  amtool,
  istioctl,
  eksctl,
  linkerd,
  mc,
  promtool,
  sed,
  tee,
  find,
  tar,
  openssl,
  sysctl,
  iptables,
  ip6tables: iptables,
  nft: iptables,
  ip,
  crontab,
  timedatectl,
  hostnamectl: timedatectl,
  make: makeLike('runs a Makefile target'),
  just: makeLike('runs a justfile recipe'),
  task: makeLike('runs a Taskfile task'),
  npm: packageManager,
  yarn: packageManager,
  pnpm: packageManager,
  npx: makeLike('runs a package binary'),
  python: makeLike('runs a program'),
  python3: makeLike('runs a program'),
  node: makeLike('runs a program'),
  ruby: makeLike('runs a program'),
  perl: (c) => (c.args.some((a) => /^-[a-zA-Z]*i/.test(a.value)) ? changes('perl -i changes state: edits files in place', undefined, LOCAL) : unknown('perl runs a program: its effect is unknown')),
  go: makeLike('builds or runs a program'),
  rake: makeLike('runs a Rake task'),
  bundle: packageManager,
  source: makeLike('runs a script in this shell'),
  '.': makeLike('runs a script in this shell'),
  apt: packageManager,
  'apt-get': packageManager,
  yum: packageManager,
  dnf: packageManager,
  apk: packageManager,
  zypper: packageManager,
  brew: packageManager,
  pip: packageManager,
  pip3: packageManager,
  snap: packageManager,
  gem: packageManager,
  kill,
  pkill: kill,
  killall: kill,
  reboot: (c) => changes(`${c.name} changes state: restarts the machine`, undefined, RESTART),
  shutdown: (c) => (hasFlag(c.args, '-c') ? changes('shutdown -c cancels a shutdown') : changes(`${c.name} changes state: stops or restarts the machine`, undefined, RESTART)),
  halt: (c) => changes(`${c.name} changes state: stops the machine`, undefined, RESTART),
  poweroff: (c) => changes(`${c.name} changes state: stops the machine`, undefined, RESTART),
  rm: fileTool('deletes files'),
  rmdir: fileTool('deletes directories'),
  mv: fileTool('moves files'),
  cp: fileTool('copies files'),
  mkdir: fileTool('creates directories'),
  touch: fileTool('creates or touches files'),
  ln: fileTool('creates links'),
  chmod: fileTool('changes file permissions'),
  chown: fileTool('changes file owners'),
  chgrp: fileTool('changes file groups'),
  truncate: fileTool('truncates files'),
  shred: fileTool('destroys files'),
  install: fileTool('installs files'),
  unzip: (c) => (hasFlag(c.args, '-l', '-v', '-t') ? reads('unzip -l only lists') : changes('unzip writes files', undefined, LOCAL)),
  gzip: fileTool('compresses files'),
  gunzip: fileTool('decompresses files'),
  split: fileTool('writes files'),
  patch: fileTool('patches files'),
  vi: fileTool('opens an editor'),
  vim: fileTool('opens an editor'),
  nano: fileTool('opens an editor'),
  emacs: fileTool('opens an editor'),
  'ssh-keygen': (c) => (hasFlag(c.args, '-l', '-F', '-y') ? reads('ssh-keygen -l only reads') : changes('ssh-keygen writes a key file', undefined, LOCAL)),
  dd: (c) => (c.args.some((a) => /^of=\/dev\//.test(a.value) && !/^of=\/dev\/null$/.test(a.value)) ? wipe(c) : changes('dd changes state: writes blocks to a file or device')),
  rsync: (c) => (hasFlag(c.args, '-n', '--dry-run', '--list-only') ? reads('rsync --dry-run only shows what would change') : changes('rsync changes state: copies files, possibly to another host')),
  scp: (c) => {
    const pos = positionals(c.args, new Set(['-F', '-i', '-P', '-o', '-c', '-l', '-S', '-J']));
    const dest = pos[pos.length - 1]?.value ?? '';
    if (pos.length >= 2 && !/^[^/]*:/.test(dest)) return changes('scp copies files from another host into a local folder', undefined, LOCAL);
    return changes('scp changes state: copies files to another host');
  },
  useradd: fileTool('adds a user'),
  usermod: fileTool('changes a user'),
  userdel: fileTool('deletes a user'),
  passwd: fileTool('changes a password'),
  mount: (c) => (c.args.length ? changes('mount changes state: mounts a file system') : reads('mount with no arguments lists mounts')),
  umount: () => changes('umount changes state: unmounts a file system'),
  swapoff: () => changes('swapoff changes state'),
  swapon: (c) => (hasFlag(c.args, '--show', '-s') ? reads('swapon --show only reads') : changes('swapon changes state')),
  resize2fs: growFs,
  xfs_growfs: growFs,
  growpart: growFs,
  lvextend: growFs,
  lvresize: growFs,
  pvresize: growFs,
  mkfs: wipe,
  'mkfs.ext4': wipe,
  'mkfs.xfs': wipe,
  wipefs: wipe,
  fdisk: (c) => (hasFlag(c.args, '-l') ? reads('fdisk -l only lists partitions') : wipe(c)),
  parted: (c) => (hasFlag(c.args, '-l', '--list') || c.args.some((a) => a.value === 'print') ? reads('parted print only lists partitions') : wipe(c)),
  pg_dump: pgBackup,
  pg_dumpall: pgBackup,
  pg_basebackup: pgBackup,
  mysqldump: pgBackup,
  mongodump: pgBackup,
  pg_restore: restore,
  mongorestore: restore,
  pg_ctl: (c) => (c.args.some((a) => a.value === 'status') ? reads('pg_ctl status only reads') : changes(`pg_ctl ${c.args.find((a) => !a.value.startsWith('-'))?.value ?? ''} changes state: starts, stops, restarts or promotes the server`.replace('  ', ' '), undefined, c.args.some((a) => /^(?:restart|reload)$/.test(a.value)) ? RESTART : {})),
  pg_isready: dump('checks the connection'),
  supervisorctl: ctlStatus(/^(?:status|avail|pid|tail|version|help|maintail)$/, /^(?:restart|reload|signal)$/),
  pm2: ctlStatus(/^(?:list|ls|status|show|describe|logs|monit|info|jlist|prettylist|env)$/, /^(?:restart|reload|gracefulReload|kill)$/),
  nginx,
  apachectl: (c) => (hasFlag(c.args, '-t', '-S', '-M', 'configtest', '-v') || c.args.some((a) => a.value === 'configtest' || a.value === 'status') ? reads('apachectl configtest only reads') : changes('apachectl changes state: restarts or stops the server', undefined, RESTART)),
  'certbot': (c) => (c.args.some((a) => /^(?:certificates|--version|show_account)$/.test(a.value)) || hasFlag(c.args, '--dry-run') ? reads('certbot certificates only reads') : changes('certbot changes state: issues, renews or revokes certificates')),
  'update-ca-certificates': fileTool('changes the trusted certificates'),
  kubectx: () => reads('kubectx only switches the local context'),
  kubens: () => reads('kubens only switches the local namespace'),
  k9s: () => unknown('k9s is an interactive console: what runs in it is unknown'),
  yq: (c) => (c.args.some((a) => /^-[a-zA-Z]*i/.test(a.value) || a.value === '--inplace') ? changes('yq -i changes state: edits files in place', undefined, LOCAL) : reads('yq only reads')),
  tcpdump: (c) => (hasFlag(c.args, '-w') ? changes('tcpdump -w writes a capture file', undefined, LOCAL) : reads('tcpdump only reads traffic')),
  nc: (c) => (hasFlag(c.args, '-z', '-zv', '-vz') ? reads('nc -z only checks a port') : unknown('nc sends data to a port: its effect is unknown')),
  telnet: () => unknown('telnet opens a session: what is sent in it is unknown'),
  kustomize: (c) => (c.args[0]?.value === 'edit' ? changes('kustomize edit changes files', 0, LOCAL) : reads('kustomize build only renders manifests', c.args.length ? 0 : undefined)),
  kubeseal: () => reads('kubeseal only encrypts a secret locally'),
  stern: () => reads('stern only tails logs'),
  cilium: (c) => (/^(?:status|connectivity|version|hubble|observe|config)$/.test(c.args[0]?.value ?? '') && c.args[0]?.value !== 'config' ? reads(`cilium ${c.args[0].value} only reads`, 0) : c.args[0] ? changes(`cilium ${c.args[0].value} changes state`, 0) : noVerb('cilium')),
};

/** Utilities that only read (or print): never a change. */
const READ_ONLY = new Set(
  (
    'cat less more head tail grep egrep fgrep zgrep rg ag ack ls ll la dir echo printf jq gron jless awk gawk mawk cut sort uniq wc tr column diff cmp comm nl fold ' +
    'xxd od hexdump base64 base32 md5sum sha1sum sha256sum sha512sum cksum stat file which whereis type whoami id groups hostname uname uptime date cal printenv pwd df du ' +
    'free vmstat iostat mpstat pidstat sar top htop atop btop ps pgrep pidof pstree lsof ss netstat ifconfig route arp dig nslookup host ping ping6 traceroute tracepath ' +
    'mtr whois curlie dmesg lsblk blkid findmnt getent lscpu lsmem lsmod lspci lsusb nproc loginctl last lastlog w who tree realpath basename dirname readlink strings ' +
    'zcat zless xzcat bzcat dmidecode smartctl nvidia-smi iotop nload iftop strace ltrace perf pv envsubst expr bc tac rev paste join seq sleep true false test [ [[ ' +
    'cd pushd popd export set unset local declare typeset readonly alias unalias read shift exit return wait trap ulimit umask hash history jobs fg bg disown ' +
    'clear reset tput stty sync yes timeout_check getconf locale iconv xmllint fzf bat fd exa eza glances ncdu duf dust procs sysdig kubeval kubeconform ' +
    'conftest hadolint shellcheck tflint tfsec checkov trivy grype syft cosign dive ldd nm objdump readelf gpg sops age openssl-check host dog q drill kdig ' +
    'arping ethtool iwconfig resolvectl nmcli-show systemd-analyze systemd-cgls systemd-cgtop busctl coredumpctl pg_config redis-benchmark-check jwt step-cli ' +
    'man info help apropos whatis command_not_found :'
  ).split(/\s+/).filter(Boolean),
);
