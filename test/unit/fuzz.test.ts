import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { classifyByPath } from '../../src/engine/classify';
import { Engine } from '../../src/engine/engine';
import { parseFile } from '../../src/engine/parsers';
import { parseMarkdown } from '../../src/engine/parsers/markdown';
import { parseTerraform } from '../../src/engine/parsers/terraform';
import { parseYaml } from '../../src/engine/parsers/yaml';
import { LineIndex } from '../../src/engine/text';
import type { Finding, Range } from '../../src/engine/types';
import { writeWorkspace } from './helpers';

// Property-based: random and mutated versions of the sample workspace and the fixtures go to
// every parser and, through the engine, to every rule of the file's kind. Nothing may throw
// (an exception in a rule shows up as opsreview/rule-failed, in a parser as "could not parse")
// and every range, of findings and of their fixes, must lie inside its document.

const REPO = path.join(__dirname, '../../..');

// Fixed seeds keep CI reproducible; OPSREVIEW_FUZZ_SEED / OPSREVIEW_FUZZ_RUNS explore further.
const RUN_SCALE = Number(process.env.OPSREVIEW_FUZZ_RUNS ?? 1);
const seedOr = (fixed: number): number => (process.env.OPSREVIEW_FUZZ_SEED ? Number(process.env.OPSREVIEW_FUZZ_SEED) + fixed : fixed);

/** Seeds: every checked file of the sample workspace and the fixtures, keyed by relative path. */
function seeds(): { rel: string; text: string }[] {
  const out: { rel: string; text: string }[] = [];
  const walk = (dir: string, base: string): void => {
    for (const name of readdirSync(dir)) {
      const abs = path.join(dir, name);
      if (statSync(abs).isDirectory()) walk(abs, base);
      else {
        const rel = path.relative(base, abs).split(path.sep).join('/');
        if (classifyByPath(rel)) out.push({ rel, text: readFileSync(abs, 'utf8') });
      }
    }
  };
  walk(path.join(REPO, 'runbooks'), REPO);
  for (const f of readdirSync(path.join(REPO, 'test/fixtures'))) walk(path.join(REPO, 'test/fixtures', f), path.join(REPO, 'test/fixtures'));
  return out;
}

/** Fragments that stress the grammars: fences, anchors, templates, interpolations, odd bytes. */
const SPECIALS = [
  '---\n', '...\n', '{{', '}}', '{{ x }}', '"${', '${', '}', '{', '[', ']', '*a', '&a ', '<<: *a', '<<EOF\n', 'EOF\n', '#', '# h\n', '[l](x.md#y)', '](', '<a name="x">', '<!-- opsreview-disable-next-line runbook/placeholder -->\n',
  '# opsreview-disable-file terraform/tags-missing\n', '\r', '\r\n', '\t', '\u0000', '\uFEFF', '\uFFFD', '😀', ': ', '- ', '  ', '"', "'", '\\', '|\n', '>-\n', '!Ref ', '!!binary ', '%YAML 1.2\n', '? ',
];

const mutation = fc.record({
  op: fc.constantFrom('insert', 'delete', 'duplicate', 'replace'),
  at: fc.nat(),
  len: fc.nat({ max: 40 }),
  text: fc.oneof(fc.constantFrom(...SPECIALS), fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 8 })),
});

function mutate(text: string, muts: { op: string; at: number; len: number; text: string }[]): string {
  let t = text;
  for (const m of muts) {
    const at = t.length ? m.at % (t.length + 1) : 0;
    const end = Math.min(t.length, at + m.len);
    if (m.op === 'insert') t = t.slice(0, at) + m.text + t.slice(at);
    else if (m.op === 'delete') t = t.slice(0, at) + t.slice(end);
    else if (m.op === 'duplicate') t = t.slice(0, end) + t.slice(at, end) + t.slice(end);
    else t = t.slice(0, at) + m.text + t.slice(end);
  }
  return t;
}

function rangeInside(r: Range, lines: LineIndex): boolean {
  const ok = (p: { line: number; character: number }): boolean =>
    Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line < lines.lineCount && p.character >= 0 && p.character <= lines.line(p.line).length;
  const ordered = r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
  return ok(r.start) && ok(r.end) && ordered;
}

describe('fuzz: parsers and rules on random and mutated input', function () {
  this.timeout(120_000 * RUN_SCALE);
  const all = seeds();
  let engine: Engine;

  before(async () => {
    engine = await Engine.create(await writeWorkspace({}), { now: new Date('2026-11-25T00:00:00Z') });
  });

  it('has seeds of every parser (markdown, YAML, Terraform)', () => {
    const exts = new Set(all.map((s) => path.extname(s.rel)));
    for (const e of ['.md', '.yml', '.tf']) assert.ok(exts.has(e), `no ${e} seed`);
  });

  /** Lints `text` as the file `rel` and checks every invariant. */
  async function check(rel: string, text: string): Promise<void> {
    await engine.update(rel, text);
    const file = engine.index.get(rel);
    if (!file) return; // classified as nothing: not checked, nothing to assert
    const findings: Finding[] = engine.lintFile(file.path);
    for (const f of findings) {
      assert.notEqual(f.ruleId, 'opsreview/rule-failed', `${rel}: ${f.message}\n--- input ---\n${JSON.stringify(text)}`);
      assert.doesNotMatch(f.message, /could not (parse|summarise)/, `${rel}: ${f.message}\n--- input ---\n${JSON.stringify(text)}`);
      assert.ok(rangeInside(f.range, file.parsed.lines), `${rel}: ${f.ruleId} range ${JSON.stringify(f.range)} outside the document\n${JSON.stringify(text)}`);
      for (const fix of f.fixes ?? []) {
        for (const e of fix.edits) {
          // A fix may edit another file (e.g. the runbook a link should point at); check the ones for this file.
          if (e.path && e.path !== file.path) continue;
          assert.ok(rangeInside(e.range, file.parsed.lines), `${rel}: fix of ${f.ruleId} edits outside the document ${JSON.stringify(e.range)}\n${JSON.stringify(text)}`);
        }
      }
    }
  }

  it('mutated seeds: nothing throws, every range inside its document', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...all), fc.array(mutation, { minLength: 1, maxLength: 6 }), async (seed, muts) => {
        await check(seed.rel, mutate(seed.text, muts));
      }),
      { numRuns: 300 * RUN_SCALE, seed: seedOr(20261125) },
    );
  });

  it('random text under every checked name: nothing throws, every range inside its document', async () => {
    const names = ['runbooks/r.md', 'postmortems/p.md', 'terraform/main.tf', 'terraform/x.tfvars', 'alerts/rules.yml', '.github/workflows/ci.yml', '.gitlab-ci.yml', 'k8s/deploy.yaml', 'playbooks/site.yml', 'roles/web/tasks/main.yml', 'inventory/hosts'];
    const text = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.array(fc.constantFrom(...SPECIALS, 'groups:\n', 'rules:\n', '- alert: A\n', 'resource "aws_s3_bucket" "b" {\n', 'hosts: all\n', 'tasks:\n', 'kind: Deployment\n', 'owner: x\n', '## Rollback\n'), { maxLength: 60 }).map((parts) => parts.join('')),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), text, async (rel, t) => {
        await check(rel, t);
      }),
      { numRuns: 300 * RUN_SCALE, seed: seedOr(42) },
    );
  });

  it('the parsers on their own never throw and keep error ranges inside the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (t) => {
        for (const parsed of [parseMarkdown(t), parseYaml(t), parseTerraform(t), parseFile('ansible-inventory', t), parseFile('opsreview-config', t)]) {
          for (const e of parsed.errors) assert.ok(rangeInside(e.range, parsed.lines), `${parsed.type} error ${JSON.stringify(e)} for ${JSON.stringify(t)}`);
        }
      }),
      { numRuns: 400 * RUN_SCALE, seed: seedOr(7) },
    );
  });
});
