import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Engine } from '../engine/engine';
import { inferServices } from '../engine/services/infer';
import { formatServicesBackstage, formatServicesMarkdown, formatServicesText, modelJson } from '../engine/services/report';
import { folderArg } from './folder';

// `opsreview services [folder]`: every service the files name, with its owners, runbooks,
// alerts and receivers, SLOs, workloads, infrastructure and deploy jobs, and a scorecard.
// Exit codes: 0 answered, 2 usage error.

export const SERVICES_USAGE =
  '  opsreview services [folder] [--config FILE] [--format text|json|markdown|backstage] [--output FILE] [--repo-url URL]\n                                           services inferred from the files, with owners and a scorecard';

const FORMATS = ['text', 'json', 'markdown', 'backstage'];

export async function servicesCommand(args: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      format: { type: 'string', short: 'f', default: 'text' },
      output: { type: 'string', short: 'o' },
      'repo-url': { type: 'string' },
    },
  });
  const format = values.format!;
  if (positionals.length > 1 || !FORMATS.includes(format)) {
    err(`opsreview: usage:\n${SERVICES_USAGE}\n`);
    return 2;
  }
  const root = folderArg(positionals[0], err);
  if (!root) return 2;
  const engine = await Engine.create(root, { configPath: values.config ? path.resolve(values.config) : undefined });
  const model = inferServices(engine.index, engine.config, { findings: engine.allFindings() });
  const text =
    format === 'json'
      ? JSON.stringify(modelJson(model), null, 2) + '\n'
      : format === 'markdown'
        ? formatServicesMarkdown(model)
        : format === 'backstage'
          ? formatServicesBackstage(model, values['repo-url'])
          : formatServicesText(model);
  if (values.output) writeFileSync(path.resolve(values.output), text);
  else out(text);
  return 0;
}
