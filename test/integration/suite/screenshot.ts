import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { harnessDir, report } from './harness';
import { waitFor } from './util';

/**
 * Asks the driver (which holds the browser showing this VS Code) to save a screenshot of the
 * real UI as test-output/<name>.png, and waits until it has. Returns false where no driver
 * is watching (e.g. under @vscode/test-electron).
 */
export async function screenshot(name: string, timeoutMs = 15000): Promise<boolean> {
  const dir = harnessDir();
  if (!dir) return false;
  const req = path.join(dir, `screenshot-${name}.request`);
  const done = path.join(dir, `screenshot-${name}.done`);
  writeFileSync(req, name);
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(done)) {
    if (Date.now() > deadline) throw new Error(`screenshot ${name}: the driver did not answer in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/**
 * Screenshots of what is on screen in each theme, restoring the user's theme after. Dark and
 * light ones named in `docs` are copied to docs/images when OPSREVIEW_UPDATE_DOCS_IMAGES=1 (so a
 * test run leaves the working tree clean); the rest stay in test-output. Returns what it wrote.
 */
export async function themeScreenshots(shots: readonly (readonly [theme: string, name: string])[], docs: readonly string[]): Promise<string[]> {
  const repo = vscode.extensions.getExtension('opsreview.opsreview')!.extensionPath;
  const workbench = vscode.workspace.getConfiguration('workbench');
  const before = workbench.inspect<string>('colorTheme')?.globalValue;
  const written: string[] = [];
  try {
    for (const [theme, name] of shots) {
      await workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
      const kind = theme.includes('Light') ? vscode.ColorThemeKind.Light : theme.includes('High Contrast') ? vscode.ColorThemeKind.HighContrast : vscode.ColorThemeKind.Dark;
      await waitFor(`theme ${theme}`, () => (vscode.window.activeColorTheme.kind === kind ? true : undefined));
      await new Promise((r) => setTimeout(r, 1500)); // webviews re-read the theme's variables
      if (!(await screenshot(name))) continue;
      const shot = path.join(repo, 'test-output', `${name}.png`);
      if (!existsSync(shot)) throw new Error(`${shot} was not written`);
      written.push(shot);
      if (!docs.includes(name) || process.env.OPSREVIEW_UPDATE_DOCS_IMAGES !== '1') {
        report(`screenshot test-output/${name}.png`);
        continue;
      }
      mkdirSync(path.join(repo, 'docs', 'images'), { recursive: true });
      copyFileSync(shot, path.join(repo, 'docs', 'images', `${name}.png`));
      report(`screenshot docs/images/${name}.png`);
    }
  } finally {
    await workbench.update('colorTheme', before, vscode.ConfigurationTarget.Global);
  }
  return written;
}
