import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE_NAMES } from '../engine/config/load';
import { mergeIntoConfig, renderConfig } from '../engine/conventions/configText';
import { describeConventions } from '../engine/conventions/detect';
import type { Engine } from '../engine/engine';
import type { Feature } from './context';
import { checked, ConventionsDetected, ConventionsResult, Notifications, Requests, zConventionsParams } from './protocol';

// The detected conventions, shown to the user: a line in the log (the output channel) when they
// are first known or change, a notification the client turns into "Keep as configuration" /
// "Show", and a request giving the `.opsreview.yml` text to write or show (merged into the
// existing file when there is one: its own options and comments stay).

export const conventions: Feature = {
  name: 'conventions',
  register(ctx) {
    const announced = new Map<string, string>(); // folder -> summary announced

    ctx.onDidChange(({ engine }) => {
      // Cheap (a few fields formatted): after every change, so a new alert file or runbook that
      // changes the conventions is announced once more, and nothing else is.
      const summary = describeConventions(engine.conventions);
      if (!summary || announced.get(engine.root) === summary) return;
      announced.set(engine.root, summary);
      ctx.log(`${summary} (${engine.root}; \`opsreview init\` writes them to .opsreview.yml)`);
      const payload: ConventionsDetected = { folder: engine.root, summary, configPath: engine.configPath };
      void ctx.connection.sendNotification(Notifications.conventionsDetected, payload);
    });
    ctx.onDidRemoveFolder((engine) => announced.delete(engine.root));

    ctx.connection.onRequest(
      Requests.conventions,
      ctx.guard('conventions request', undefined as unknown as ConventionsResult, (raw: unknown): ConventionsResult => {
        const { folder } = checked(zConventionsParams, raw, 'conventions params');
        const engine = [...ctx.engines()].find((e) => e.root === folder.replace(/\\/g, '/'));
        if (!engine) throw new Error(`no indexed workspace folder ${folder}`);
        return conventionsConfig(engine);
      }),
    );
  },
};

/** The config text "Keep as configuration" writes and "Show" shows. */
export function conventionsConfig(engine: Engine): ConventionsResult {
  const summary = describeConventions(engine.conventions);
  const existing = engine.configPath ?? CONFIG_FILE_NAMES.map((n) => path.posix.join(engine.root, n)).find((f) => existsSync(f));
  if (existing && existsSync(existing)) {
    let text: string | undefined;
    try {
      text = readFileSync(existing, 'utf8');
    } catch {
      text = undefined;
    }
    // An invalid file applies none of its options; merging into it would hide the problem.
    const merged = text !== undefined && !engine.configErrors.length ? mergeIntoConfig(text, engine.conventions, engine.explicitKeys) : undefined;
    return { folder: engine.root, summary, path: existing, exists: true, text: merged?.text, added: merged?.added ?? [] };
  }
  return { folder: engine.root, summary, path: path.posix.join(engine.root, CONFIG_FILE_NAMES[0]), exists: false, text: renderConfig(engine.conventions, new Date().toISOString().slice(0, 10)), added: [] };
}
