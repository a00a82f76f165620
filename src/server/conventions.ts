import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Connection } from 'vscode-languageserver';
import { CONFIG_FILE_NAMES } from '../engine/config/load';
import { mergeIntoConfig, renderConfig } from '../engine/conventions/configText';
import { describeConventions } from '../engine/conventions/detect';
import type { Engine } from '../engine/engine';
import { checked, ConventionsDetected, ConventionsResult, Notifications, Requests, zConventionsParams } from './protocol';

// The detected conventions, shown to the user: a line in the log (the output channel) whenever
// they are first known or change, a notification the client turns into "Keep as configuration"
// / "Show", and a request giving the `.opsreview.yml` text to write or show (merged into the
// existing file when there is one: its own options and comments stay).

export interface ConventionsFeature {
  /** Call after a folder is indexed and after a change that may have changed its conventions. */
  announce(engine: Engine): void;
}

export function registerConventions(connection: Connection, engineForFolder: (folder: string) => Engine | undefined, log: (msg: string) => void): ConventionsFeature {
  const last = new Map<string, string>(); // folder -> summary announced

  connection.onRequest(Requests.conventions, (raw: unknown): ConventionsResult => {
    const { folder } = checked(zConventionsParams, raw, 'conventions params');
    const engine = engineForFolder(folder.replace(/\\/g, '/'));
    if (!engine) throw new Error(`OpsReview: no indexed workspace folder ${folder}`);
    return conventionsConfig(engine);
  });

  return {
    announce(engine) {
      const summary = describeConventions(engine.conventions);
      if (!summary || last.get(engine.root) === summary) return;
      last.set(engine.root, summary);
      log(`${summary} (${engine.root}; \`opsreview init\` writes them to .opsreview.yml)`);
      const payload: ConventionsDetected = { folder: engine.root, summary, configPath: engine.configPath };
      void connection.sendNotification(Notifications.conventionsDetected, payload);
    },
  };
}

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
