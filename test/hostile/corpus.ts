import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

// The hostile-input corpus: each case builds a small workspace (huge files are generated here,
// not committed) and says what OpsReview must answer for it: a positioned finding or a skip
// note. The unit test (test/unit/hostile.test.ts) runs every case with a generous time bound;
// none may throw, hang, write a file or read outside the workspace.

/** Text that lives outside every test workspace; it must never appear in any output. */
export const OUTSIDE_MARKER = 'OUTSIDE-SECRET-7f3a9c';

export interface Expectation {
  /** Workspace-relative path the answer is about. */
  file: string;
  /** A finding of this rule (with a range inside the file) must be reported for the file... */
  ruleId?: string;
  /** ...or the file must be skipped with a note matching this. */
  skip?: RegExp;
  /** The finding's message must match this too. */
  message?: RegExp;
  /** The finding must start on this line (0-based). */
  line?: number;
}

export interface HostileCase {
  name: string;
  /** Writes the workspace into `root`; `outside` is a folder beside it holding OUTSIDE_MARKER files. */
  build(root: string, outside: string): void;
  expect: Expectation[];
  /** Paths that must get no skip note (not something OpsReview checks). */
  unnoted?: string[];
  /** Files that must be indexed (read) despite the hostile neighbours. */
  indexed?: string[];
  /** Platforms that cannot build the case (FIFOs and symlinks on Windows). */
  posixOnly?: boolean;
  /** Config errors expected (the case is about .opsreview.yml). */
  configError?: RegExp;
}

function write(root: string, rel: string, data: string | Buffer): void {
  const abs = path.join(root, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, data);
}

function link(root: string, rel: string, target: string): void {
  const abs = path.join(root, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  symlinkSync(target, abs);
}

function fifo(root: string, rel: string): void {
  const abs = path.join(root, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  execFileSync('mkfifo', [abs]);
}

const RUNBOOK_HEAD = '---\nowner: sre\nservice: api\ntags: [api]\n---\n# Api down\n\n## Rollback\n\nRevert the deploy.\n\n';

/** YAML whose aliases expand exponentially (each level doubles ten times). */
function billionLaughs(indent = ''): string {
  const lines = [`${indent}a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`];
  const names = 'abcdefghi';
  for (let i = 1; i < names.length; i++) {
    const prev = names[i - 1];
    lines.push(`${indent}${names[i]}: &${names[i]} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  return lines.join('\n') + '\n';
}

/** Block-style nesting `depth` levels deep under `groups:` (an alert-rule file's shape). */
function deepBlockYaml(depth: number): string {
  let out = 'groups:\n  - name: deep\n    rules:\n      - alert: Deep\n        expr: up == 0\n        labels:\n';
  let indent = '          ';
  for (let i = 0; i < depth; i++) {
    out += `${indent}k${i}:\n`;
    indent += ' ';
  }
  return out + `${indent}leaf: 1\n`;
}

export const HOSTILE_CASES: HostileCase[] = [
  {
    name: 'runbook with 100,000 links',
    build(root) {
      const body: string[] = [];
      for (let i = 0; i < 100_000; i++) body.push(i % 2 ? `- [step ${i}](#missing-anchor-${i % 50})` : `- [doc ${i}](missing-${i % 1000}.md)`);
      write(root, '.opsreview.yml', 'maxFileSizeKb: 16384\n');
      write(root, 'runbooks/links.md', RUNBOOK_HEAD + body.join('\n') + '\n');
      write(root, 'runbooks/missing-1x.md', RUNBOOK_HEAD);
    },
    expect: [{ file: 'runbooks/links.md', ruleId: 'runbook/link-broken' }],
  },
  {
    name: 'runbook with 10,000 headings and anchor links to missing ones',
    build(root) {
      const body: string[] = [];
      for (let i = 0; i < 10_000; i++) body.push(`## Step number ${i}\n\nSee [next](#step-number-${i + 1}) and [gone](#no-such-step-${i}).\n`);
      write(root, 'runbooks/headings.md', RUNBOOK_HEAD + body.join('\n'));
    },
    expect: [{ file: 'runbooks/headings.md', ruleId: 'runbook/link-broken', message: /no-such-step/ }],
  },
  {
    name: 'YAML with a long run of {{ and no }}',
    build(root) {
      write(root, 'k8s/templated.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: ' + '{{'.repeat(50_000) + '\n');
    },
    // A template is listed as skipped (its rules cannot run) and kept in the index so links reach it.
    expect: [{ file: 'k8s/templated.yaml', skip: /template/ }],
  },
  {
    name: 'Terraform attribute followed by 100,000 spaces',
    build(root) {
      write(root, 'terraform/spaces.tf', 'x = ' + ' '.repeat(100_000) + '\n');
    },
    expect: [{ file: 'terraform/spaces.tf', ruleId: 'opsreview/parse-error' }],
  },
  {
    name: 'Terraform with thousands of unclosed "${',
    build(root) {
      write(root, 'terraform/interp.tf', 'resource "aws_s3_bucket" "b" {\n  bucket = ' + '"${'.repeat(5_000) + '\n}\n');
    },
    expect: [{ file: 'terraform/interp.tf', ruleId: 'opsreview/parse-error' }],
  },
  {
    name: '.opsreview.yml is a named pipe',
    posixOnly: true,
    build(root) {
      fifo(root, '.opsreview.yml');
      write(root, 'runbooks/ok.md', RUNBOOK_HEAD);
    },
    expect: [],
    configError: /not a regular file/,
  },
  {
    name: '.opsreview.yml is a folder',
    build(root) {
      mkdirSync(path.join(root, '.opsreview.yml'), { recursive: true });
      write(root, 'runbooks/ok.md', RUNBOOK_HEAD);
    },
    expect: [],
    configError: /is a folder/,
  },
  {
    name: '.opsreview.yml is a symlink leading out of the folder',
    posixOnly: true,
    build(root, outside) {
      write(outside, 'config.yml', `${OUTSIDE_MARKER}: 1\n`);
      link(root, '.opsreview.yml', path.join(outside, 'config.yml'));
      write(root, 'runbooks/ok.md', RUNBOOK_HEAD);
    },
    expect: [],
    configError: /outside the checked folder/,
  },
  {
    name: '.opsreview.yml with exponential aliases',
    build(root) {
      write(root, '.opsreview.yml', billionLaughs());
    },
    expect: [],
    configError: /alias/i,
  },
  {
    name: 'runbook frontmatter with exponential aliases',
    build(root) {
      write(root, 'runbooks/laughs.md', '---\n' + billionLaughs() + 'owner: sre\n---\n# Laughs\n');
    },
    expect: [{ file: 'runbooks/laughs.md', ruleId: 'runbook/frontmatter-invalid', message: /alias/i }],
  },
  {
    name: 'alert file with exponential aliases',
    build(root) {
      write(root, 'alerts/laughs.yml', billionLaughs() + 'groups:\n  - name: x\n    rules:\n      - alert: A\n        expr: up == 0\n        labels: *i\n');
    },
    expect: [],
    indexed: ['alerts/laughs.yml'],
  },
  {
    name: 'symlinked files and folders that leave the workspace',
    posixOnly: true,
    build(root, outside) {
      write(outside, 'secret.md', `---\nowner: ${OUTSIDE_MARKER}\n---\n# ${OUTSIDE_MARKER}\n[x](nowhere-${OUTSIDE_MARKER}.md)\n`);
      write(outside, 'dir/runbook.md', `# ${OUTSIDE_MARKER}\n[x](gone-${OUTSIDE_MARKER}.md)\n`);
      write(outside, 'main.tf', `resource "x" "${OUTSIDE_MARKER}" {\n`);
      link(root, 'runbooks/passwd.md', '/etc/passwd');
      link(root, 'terraform/hostname.tf', '/etc/hostname');
      link(root, 'runbooks/environ.md', '/proc/self/environ');
      link(root, 'runbooks/secret.md', path.join(outside, 'secret.md'));
      link(root, 'runbooks/relative.md', '../../' + path.basename(outside) + '/secret.md');
      link(root, 'terraform/outside.tf', path.join(outside, 'main.tf'));
      link(root, 'runbooks/outside-dir', path.join(outside, 'dir'));
      write(root, 'runbooks/real.md', RUNBOOK_HEAD);
      link(root, 'runbooks/alias.md', 'real.md');
      link(root, 'scripts/tool', '/etc/passwd'); // not a checked name: not read, no note
    },
    expect: [
      { file: 'runbooks/passwd.md', skip: /outside/ },
      { file: 'terraform/hostname.tf', skip: /outside/ },
      { file: 'runbooks/environ.md', skip: /outside/ },
      { file: 'runbooks/secret.md', skip: /outside/ },
      { file: 'runbooks/relative.md', skip: /outside/ },
      { file: 'terraform/outside.tf', skip: /outside/ },
      { file: 'runbooks/outside-dir', skip: /outside/ },
    ],
    indexed: ['runbooks/real.md', 'runbooks/alias.md'],
    unnoted: ['scripts/tool'],
  },
  {
    name: 'symlink loops',
    posixOnly: true,
    build(root) {
      link(root, 'runbooks/a.md', 'b.md');
      link(root, 'runbooks/b.md', 'a.md');
      link(root, 'runbooks/loop', '.');
      link(root, 'runbooks/self.md', 'self.md');
      write(root, 'runbooks/ok.md', RUNBOOK_HEAD);
    },
    expect: [
      { file: 'runbooks/a.md', skip: /symlink/ },
      { file: 'runbooks/self.md', skip: /symlink/ },
    ],
    indexed: ['runbooks/ok.md'],
  },
  {
    name: 'named pipes with checked names',
    posixOnly: true,
    build(root) {
      fifo(root, 'runbooks/pipe.md');
      fifo(root, 'terraform/pipe.tf');
      fifo(root, 'alerts/pipe.yml');
      write(root, 'runbooks/ok.md', RUNBOOK_HEAD);
    },
    expect: [
      { file: 'runbooks/pipe.md', skip: /not a regular file/ },
      { file: 'terraform/pipe.tf', skip: /not a regular file/ },
      { file: 'alerts/pipe.yml', skip: /not a regular file/ },
    ],
    indexed: ['runbooks/ok.md'],
  },
  {
    name: 'file over maxFileSizeKb',
    build(root) {
      write(root, '.opsreview.yml', 'maxFileSizeKb: 4\n');
      write(root, 'runbooks/big.md', RUNBOOK_HEAD + 'word '.repeat(2_000));
    },
    expect: [{ file: 'runbooks/big.md', skip: /maxFileSizeKb/ }],
  },
  {
    name: 'alert file nested past 2,000 levels (block style)',
    build(root) {
      write(root, '.opsreview.yml', 'maxFileSizeKb: 16384\n');
      write(root, 'alerts/deep.yml', deepBlockYaml(2_100));
    },
    expect: [{ file: 'alerts/deep.yml', ruleId: 'opsreview/parse-error', message: /nested too deeply/ }],
  },
  {
    name: 'text that makes naive regular expressions backtrack',
    build(root) {
      write(root, '.opsreview.yml', 'maxFileSizeKb: 16384\n');
      // A heading of `<` without `>`, and a runbook full of `---` lines (horizontal rules).
      write(root, 'runbooks/angles.md', RUNBOOK_HEAD + '## ' + '<'.repeat(200_000) + '\n\nSee [x](#nope).\n');
      write(root, 'docs/rules.md', '---\n'.repeat(200_000) + 'owner: x\n');
      write(root, 'runbooks/ids.md', RUNBOOK_HEAD + ' id='.repeat(100_000) + '\n[a](#b)\n');
      // One HTML block holding 60,000 comments (each a possible suppression directive).
      write(root, 'runbooks/comments.md', RUNBOOK_HEAD + '<div>\n' + '<!-- note -->\n'.repeat(60_000) + '</div>\n\n[a](#b)\n');
    },
    expect: [
      { file: 'runbooks/angles.md', ruleId: 'runbook/link-broken' },
      { file: 'runbooks/ids.md', ruleId: 'runbook/link-broken' },
      { file: 'runbooks/comments.md', ruleId: 'runbook/link-broken', line: 60_014 },
    ],
  },
  {
    name: 'deep flow nesting',
    build(root) {
      write(root, 'k8s/flow.yaml', 'apiVersion: v1\nkind: ConfigMap\ndata: ' + '['.repeat(20_000) + ']'.repeat(20_000) + '\n');
      write(root, 'terraform/deep.tf', 'locals {\n  x = ' + '['.repeat(5_000) + ']'.repeat(5_000) + '\n}\n');
      write(root, 'runbooks/quotes.md', RUNBOOK_HEAD + '> '.repeat(5_000) + 'deep\n' + '- '.repeat(5_000) + 'list\n');
    },
    expect: [
      { file: 'k8s/flow.yaml', ruleId: 'opsreview/parse-error' },
      { file: 'terraform/deep.tf', ruleId: 'opsreview/parse-error' },
    ],
    indexed: ['runbooks/quotes.md'],
  },
  {
    name: 'invalid and truncated YAML',
    build(root) {
      write(root, 'alerts/invalid.yml', 'groups:\n  - name: x\n    rules:\n      - alert: [unclosed\n        expr: "up == 0\n');
      write(root, 'alerts/truncated.yml', 'groups:\n  - name: x\n    rules:\n      - alert: A\n        expr: |\n          up ==\n        labels: {severity: ');
      write(root, '.github/workflows/tabs.yml', 'on: push\njobs:\n\tbuild:\n\t\truns-on: x\n');
    },
    expect: [
      { file: 'alerts/invalid.yml', ruleId: 'opsreview/parse-error' },
      { file: 'alerts/truncated.yml', ruleId: 'opsreview/parse-error' },
      { file: '.github/workflows/tabs.yml', ruleId: 'opsreview/parse-error' },
    ],
  },
  {
    name: 'frontmatter without a closing fence',
    build(root) {
      write(root, 'runbooks/open.md', '---\nowner: sre\nservice: api\n# Title\n\nbody\n');
    },
    expect: [{ file: 'runbooks/open.md', ruleId: 'runbook/frontmatter-invalid', line: 0 }],
  },
  {
    name: 'HCL with unbalanced braces and unterminated heredocs',
    build(root) {
      write(root, 'terraform/braces.tf', 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n  tags = {\n    a = "b"\n');
      write(root, 'terraform/extra.tf', 'variable "x" {}\n}\n}\n');
      write(root, 'terraform/heredoc.tf', 'resource "aws_iam_policy" "p" {\n  policy = <<EOF\n{"Statement": []}\n');
    },
    expect: [
      { file: 'terraform/braces.tf', ruleId: 'opsreview/parse-error' },
      { file: 'terraform/extra.tf', ruleId: 'opsreview/parse-error' },
      { file: 'terraform/heredoc.tf', ruleId: 'opsreview/parse-error' },
    ],
  },
  {
    name: 'binary files with checked names',
    build(root) {
      const bin = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x10]);
      write(root, 'runbooks/binary.md', Buffer.concat([Buffer.from('---\nowner: sre\n---\n# x\n'), bin]));
      write(root, 'terraform/binary.tf', bin);
      write(root, 'alerts/binary.yml', Buffer.concat([Buffer.from('groups:\n'), bin]));
    },
    expect: [
      { file: 'runbooks/binary.md', skip: /binary/ },
      { file: 'terraform/binary.tf', skip: /binary/ },
      { file: 'alerts/binary.yml', skip: /binary/ },
    ],
  },
  {
    name: 'invalid UTF-8',
    build(root) {
      write(root, 'runbooks/latin1.md', Buffer.concat([Buffer.from(RUNBOOK_HEAD + 'caf'), Buffer.from([0xe9, 0x20, 0xc3]), Buffer.from('\nmore\n')]));
    },
    expect: [{ file: 'runbooks/latin1.md', ruleId: 'opsreview/parse-error', message: /UTF-8/, line: 11 }],
  },
  {
    name: 'UTF-16 with a byte-order mark',
    build(root) {
      const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(RUNBOOK_HEAD + 'See [x](missing.md).\n', 'utf16le')]);
      write(root, 'runbooks/utf16le.md', le);
      const beText = Buffer.from('groups:\n  - name: x\n    rules:\n      - alert: A\n        expr: up == 0\n', 'utf16le');
      beText.swap16();
      write(root, 'alerts/utf16be.yml', Buffer.concat([Buffer.from([0xfe, 0xff]), beText]));
    },
    // Decoded and checked like any file: the broken link is found on its line.
    expect: [
      { file: 'runbooks/utf16le.md', ruleId: 'runbook/link-broken', line: 11 },
      { file: 'alerts/utf16be.yml', ruleId: 'alert/for-missing' },
    ],
  },
  {
    name: 'CRLF and lone CR line endings',
    build(root) {
      write(root, 'runbooks/crlf.md', (RUNBOOK_HEAD + 'See [x](missing.md).\n').replace(/\n/g, '\r\n'));
      write(root, 'runbooks/cr.md', (RUNBOOK_HEAD + 'See [x](missing.md).\n').replace(/\n/g, '\r'));
      write(root, 'terraform/cr.tf', 'resource "aws_ebs_volume" "b" {\r  size = 10\r}\r');
    },
    expect: [
      { file: 'runbooks/crlf.md', ruleId: 'runbook/link-broken', line: 11 },
      { file: 'runbooks/cr.md', ruleId: 'runbook/link-broken', line: 11 },
      { file: 'terraform/cr.tf', ruleId: 'terraform/unencrypted-storage', line: 0 },
    ],
  },
  {
    name: 'Terraform error nodes with tens of thousands of children',
    build(root) {
      write(root, 'terraform/braces-run.tf', '{'.repeat(64_000));
      write(root, 'terraform/interp-run.tf', '"${'.repeat(20_000));
      write(root, 'terraform/brackets.tf', 'x = ' + '['.repeat(64_000));
    },
    expect: [
      { file: 'terraform/braces-run.tf', ruleId: 'opsreview/parse-error' },
      { file: 'terraform/interp-run.tf', ruleId: 'opsreview/parse-error' },
      { file: 'terraform/brackets.tf', ruleId: 'opsreview/parse-error' },
    ],
  },
  {
    name: 'one 1.5 MB line of Terraform with a raised size limit',
    build(root) {
      write(root, '.opsreview.yml', 'maxFileSizeKb: 8192\n');
      write(root, 'terraform/line.tf', 'locals { x = [' + '"a",'.repeat(375_000) + ']\n');
    },
    expect: [{ file: 'terraform/line.tf', ruleId: 'opsreview/parse-error' }],
  },
  {
    name: 'one 5 MB line of Terraform with a raised size limit',
    build(root) {
      write(root, '.opsreview.yml', 'maxFileSizeKb: 16384\n');
      write(root, 'terraform/line.tf', 'locals { x = [' + '"a",'.repeat(1_250_000) + ']\n');
      write(root, 'terraform/ok.tf', 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n');
    },
    // Over what the Terraform parser handles in bounded memory: skipped with a note, not parsed.
    expect: [{ file: 'terraform/line.tf', skip: /terraform file of \d+ KB, over the 2048 KB/ }],
    indexed: ['terraform/ok.tf'],
  },
  {
    name: 'a 50 MB runbook and a 20 MB Terraform file under a raised maxFileSizeKb',
    build(root) {
      write(root, '.opsreview.yml', 'maxFileSizeKb: 65536\n');
      const para = 'Check the [dashboard](dash.md) and run `kubectl get pods`.\n\n';
      write(root, 'runbooks/huge.md', RUNBOOK_HEAD + para.repeat(Math.ceil(50_000_000 / para.length)));
      write(root, 'terraform/huge.tf', 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n'.repeat(Math.ceil(20_000_000 / 48)));
      write(root, 'runbooks/ok.md', RUNBOOK_HEAD + 'See [x](missing.md).\n');
    },
    expect: [
      { file: 'runbooks/huge.md', skip: /runbook file of \d+ KB, over the 8192 KB/ },
      { file: 'terraform/huge.tf', skip: /terraform file of \d+ KB, over the 2048 KB/ },
      { file: 'runbooks/ok.md', ruleId: 'runbook/link-broken' },
    ],
  },
  {
    name: 'alert runbook_url of 50,000 path segments',
    build(root) {
      const alert = (url: string) => `groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        labels: {severity: critical, owner: sre}\n        annotations:\n          summary: s\n          runbook_url: ${url}\n`;
      // Every suffix of the URL is a candidate workspace path (base URL detection, link resolution).
      write(root, 'alerts/relative.yml', alert('seg/'.repeat(50_000) + 'r.md'));
      write(root, 'alerts/absolute.yml', alert('https://runbooks.example.com/' + 'runbooks/'.repeat(50_000) + 'r.md'));
      write(root, 'runbooks/r.md', RUNBOOK_HEAD);
    },
    expect: [
      { file: 'alerts/relative.yml', ruleId: 'alert/runbook-broken' },
      { file: 'alerts/absolute.yml', ruleId: 'alert/for-missing' },
    ],
  },
];
