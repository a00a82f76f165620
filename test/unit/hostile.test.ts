import * as assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../src/engine/engine';
import type { Finding } from '../../src/engine/types';
import { HOSTILE_CASES, OUTSIDE_MARKER } from '../hostile/corpus';

// Every hostile case must end in a positioned finding or a skip note: never an exception, never
// a hang (a generous per-case timeout bounds it), never a file written, never a byte read from
// outside the checked folder.

/** Every path below `dir` with its size and mtime, symlinks not followed: a write changes it. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const abs = path.join(d, name);
      const st = lstatSync(abs);
      out.set(path.relative(dir, abs), `${st.mode}:${st.size}:${st.mtimeMs}`);
      if (st.isDirectory()) walk(abs);
    }
  };
  walk(dir);
  return out;
}

/** Text from outside any workspace that a followed symlink would leak. */
function outsideSecrets(): string[] {
  const secrets = [OUTSIDE_MARKER];
  try {
    const passwd = readFileSync('/etc/passwd', 'utf8').split('\n')[0];
    if (passwd) secrets.push(passwd.split(':')[0] + ':x:');
  } catch {
    /* not on this platform */
  }
  try {
    const host = readFileSync('/etc/hostname', 'utf8').trim();
    if (host.length > 6) secrets.push(host);
  } catch {
    /* not on this platform */
  }
  secrets.push(`PATH=${process.env.PATH ?? ''}`.slice(0, 40));
  return secrets;
}

function inside(f: Finding, engine: Engine): boolean {
  const file = engine.index.get(f.path);
  if (!file) return f.range.start.line === 0 && f.range.end.line === 0;
  const lines = file.parsed.lines;
  const ok = (p: { line: number; character: number }): boolean => p.line >= 0 && p.line < lines.lineCount && p.character >= 0 && p.character <= lines.line(p.line).length;
  return ok(f.range.start) && ok(f.range.end);
}

describe('hostile inputs', function () {
  const secrets = outsideSecrets();
  for (const c of HOSTILE_CASES) {
    const skipHere = c.posixOnly && process.platform === 'win32';
    (skipHere ? it.skip : it)(c.name, async function () {
      this.timeout(120_000);
      const base = mkdtempSync(path.join(tmpdir(), 'opsreview-hostile-'));
      try {
        const root = path.join(base, 'ws');
        const outside = path.join(base, 'outside');
        c.build(root, outside);
        const before = snapshot(base);

        // `profile: all`: every rule reads the hostile input, and some expected findings are of
        // rules outside the default profile (alert/for-missing).
        const engine = await Engine.create(root, { now: new Date('2026-11-25T00:00:00Z'), profile: 'all' });
        const findings = engine.allFindings();

        assert.deepEqual(snapshot(base), before, 'a file was written or changed');
        if (c.configError) {
          assert.ok(
            engine.configErrors.some((e) => c.configError!.test(e.message)),
            `config errors: ${JSON.stringify(engine.configErrors.map((e) => e.message))}`,
          );
        }
        for (const f of findings) assert.ok(inside(f, engine), `range outside its document: ${JSON.stringify(f)}`);
        const said = JSON.stringify({ findings, skipped: engine.index.skipped, config: engine.configErrors });
        const indexedText = [...engine.index.files()].map((f) => f.parsed.text).join('\n');
        for (const s of secrets) {
          assert.ok(!said.includes(s), `output quotes text from outside the workspace (${s})`);
          assert.ok(!indexedText.includes(s), `the index read text from outside the workspace (${s})`);
        }
        for (const e of c.expect) {
          const abs = path.posix.join(engine.index.root, e.file);
          if (e.skip) {
            const note = engine.index.skipped.find((s) => s.relPath === e.file);
            assert.ok(note, `${e.file}: no skip note (skipped: ${JSON.stringify(engine.index.skipped)})`);
            assert.match(note.reason, e.skip);
            if (note.code !== 'template') assert.equal(engine.index.get(abs), undefined, `${e.file} was skipped but indexed`);
            continue;
          }
          const mine = findings.filter((f) => f.path === abs && f.ruleId === e.ruleId && (!e.message || e.message.test(f.message)));
          assert.ok(
            mine.length > 0,
            `${e.file}: expected ${e.ruleId}${e.message ? ` matching ${e.message}` : ''}; got ${JSON.stringify(findings.filter((f) => f.path === abs).slice(0, 5).map((f) => `${f.ruleId}@${f.range.start.line}: ${f.message}`))}`,
          );
          if (e.line !== undefined) assert.ok(mine.some((f) => f.range.start.line === e.line), `${e.file}: ${e.ruleId} on lines ${mine.map((f) => f.range.start.line)}, expected ${e.line}`);
        }
        for (const rel of c.unnoted ?? []) assert.ok(!engine.index.skipped.some((s) => s.relPath === rel), `${rel} should get no note`);
        for (const rel of c.indexed ?? []) assert.ok(engine.index.get(path.posix.join(engine.index.root, rel)), `${rel} should be indexed`);
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    });
  }
});
