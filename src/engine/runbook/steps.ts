import type { MarkdownFile } from '../parsers/markdown';
import type { Range } from '../types';

// Commands that change production (deploys, restarts, migrations, `terraform apply`): the
// runbook/rollback-missing rule asks for a rollback section when a runbook runs one, and the
// runnable-runbook lenses ask for confirmation naming the command before running it.

const FLAGS = String.raw`(?:\s+--?[\w.][\w.-]*(?:[= ](?!-)[^\s]+)?)*`;

/** State-changing commands, each with the label the message uses. */
const CHANGING: { re: RegExp; label: string }[] = [
  { re: new RegExp(String.raw`\bkubectl${FLAGS}\s+(?:apply|delete|scale|patch|replace|create|edit|drain|set\s+(?:image|env|resources)|rollout\s+restart|label|annotate|cordon|taint)\b`), label: 'kubectl' },
  { re: new RegExp(String.raw`\bhelm${FLAGS}\s+(?:install|upgrade|uninstall|delete)\b`), label: 'helm' },
  { re: new RegExp(String.raw`\b(?:terraform|tofu|terragrunt)${FLAGS}\s+(?:apply|destroy|import|state\s+(?:rm|mv))\b`), label: 'terraform' },
  { re: /\bansible-playbook\b(?!.*\s--check\b)(?!.*\s-C\b)/, label: 'ansible-playbook' },
  { re: /\bsystemctl\s+(?:--[\w-]+\s+)*(?:restart|stop|start|reload|disable|enable|mask|kill)\b/, label: 'systemctl' },
  { re: /\bservice\s+[\w@.-]+\s+(?:restart|stop|reload)\b/, label: 'service' },
  { re: /\bflyway\b.*\bmigrate\b/, label: 'flyway migrate' },
  { re: /\balembic\b.*\b(?:upgrade|downgrade)\b/, label: 'alembic' },
  { re: /\b(?:rails|rake|bin\/rails)\s+db:(?:migrate|rollback|schema:load)\b/, label: 'rails db:migrate' },
  { re: /\bmanage\.py\s+migrate\b/, label: 'manage.py migrate' },
  { re: /\bliquibase\b.*\bupdate\b/, label: 'liquibase update' },
  { re: /\bprisma\s+migrate\s+deploy\b/, label: 'prisma migrate deploy' },
  { re: /\b(?:knex\s+migrate:latest|sqitch\s+deploy|dbmate\s+(?:up|migrate)|goose\b.*\bup)\b/, label: 'database migration' },
  { re: /(?:^|[\s$>;&|])migrate\b(?:\s+(?:up|-path|-database|-source)\b)/, label: 'migrate' },
  { re: /\bnpm\s+run\s+(?:db:)?migrate\b|\bmake\s+(?:db-)?migrate\b/, label: 'database migration' },
  { re: /\b(?:ALTER|DROP)\s+(?:TABLE|INDEX|DATABASE|SCHEMA)\b|\bTRUNCATE\s+(?:TABLE\s+)?\w|\bDELETE\s+FROM\b|\bUPDATE\s+\w+\s+SET\b/i, label: 'SQL' },
  { re: /\bargocd\s+app\s+(?:sync|set|delete)\b/, label: 'argocd' },
  { re: /\baws\s+ecs\s+update-service\b|\baws\s+lambda\s+update-function-code\b|\baws\s+autoscaling\s+(?:update|set)-/, label: 'aws' },
  { re: /\bgcloud\s+.*\bdeploy\b|\bdocker\s+(?:service|stack)\s+(?:update|deploy|rm)\b/, label: 'deploy command' },
];

export interface ChangingStep {
  label: string;
  /** The command as matched, and its range in the file. */
  text: string;
  range: Range;
}

/** State-changing commands in code blocks and list items, in file order. */
export function changingSteps(md: MarkdownFile): ChangingStep[] {
  const lineNumbers = new Set<number>();
  for (const b of md.codeBlocks) {
    const fenced = /^\s*(```|~~~)/.test(md.lines.line(b.line));
    const first = fenced ? b.line + 1 : b.line;
    const last = fenced ? b.endLine - 1 : b.endLine;
    for (let n = first; n <= last; n++) lineNumbers.add(n);
  }
  for (const item of md.listItems) lineNumbers.add(item.line);
  const out: ChangingStep[] = [];
  for (const n of [...lineNumbers].sort((a, b) => a - b)) {
    const step = changingStepOfLine(md.lines.line(n), n);
    if (step) out.push(step);
  }
  return out;
}

/** The first state-changing command of one line (numbered `n`), if any. */
export function changingStepOfLine(text: string, n: number): ChangingStep | undefined {
  // A shell comment is not a step (and `# opsreview-disable…` lives there).
  if (/^\s*#/.test(text)) return undefined;
  let best: { label: string; index: number; length: number } | undefined;
  for (const c of CHANGING) {
    const m = c.re.exec(text);
    if (m && (!best || m.index < best.index)) best = { label: c.label, index: m.index, length: m[0].length };
  }
  if (!best) return undefined;
  let start = best.index;
  while (/\s|[$>;&|]/.test(text[start] ?? '') && start < best.index + best.length) start++;
  const end = best.index + best.length;
  return { label: best.label, text: text.slice(start, end), range: { start: { line: n, character: start }, end: { line: n, character: end } } };
}

/** State-changing commands of a piece of shell text (one per line, the first match of each line). */
export function changingCommands(text: string): ChangingStep[] {
  const out: ChangingStep[] = [];
  text.split(/\r?\n|\r/).forEach((line, n) => {
    const step = changingStepOfLine(line, n);
    if (step) out.push(step);
  });
  return out;
}
