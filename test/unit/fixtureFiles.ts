import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

// Tests run from the repository root (npm test, mocha --config .mocharc.json).
export const FIXTURES = path.resolve(process.cwd(), 'test/fixtures');

/** Every file under a fixture folder (`test/fixtures/<dir>`), as relPath -> text. */
export function loadFixture(dir: string): Record<string, string> {
  const root = path.join(FIXTURES, dir);
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const abs = path.join(d, name);
      if (statSync(abs).isDirectory()) walk(abs);
      else out[path.relative(root, abs).split(path.sep).join('/')] = readFileSync(abs, 'utf8');
    }
  };
  walk(root);
  return out;
}
