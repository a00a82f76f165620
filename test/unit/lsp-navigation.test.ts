import * as assert from 'node:assert/strict';
import { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageConnection } from 'vscode-jsonrpc/node';
import { applyEdits, writeWorkspace } from './helpers';
import { spawnServer, stopServer } from './lspServer';

// Navigation over stdio, as Neovim or Helix would ask for it: workspace symbols, definitions,
// references, hovers, completions and the link edits of a runbook rename, on a small workspace
// with relative links, a base-URL runbook_url with an anchor, Terraform addresses written in a
// runbook, an Ansible playbook, and links whose targets are missing.

interface Loc {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

const BASE = 'https://git.example.com/ops/blob/main/';

const FILES: Record<string, string> = {
  'alerts/db.yml': [
    'groups:',
    '  - name: db',
    '    rules:',
    '      - alert: DbDown',
    '        expr: up{job="db"} == 0',
    '        labels:',
    '          severity: critical',
    '          owner: dba',
    '        annotations:',
    `          runbook_url: ${BASE}runbooks/db-failover.md#promote-the-replica`,
    '      - alert: DbSlow',
    '        expr: pg_slow_queries > 10',
    '        annotations:',
    '          runbook_url: "../runbooks/db-slow.md"',
    '      - alert: DbGone',
    '        expr: absent(up{job="db"})',
    '        annotations:',
    '          runbook_url: ../runbooks/missing.md',
    '',
  ].join('\n'),
  'runbooks/db-failover.md': [
    '---', // 0
    'title: Database failover',
    'owner: dba',
    'service: billing-db',
    'tags: [db, team:dba]',
    'last_reviewed: 2026-10-01',
    '---',
    '# Database failover', // 7
    '',
    'Promote the replica when the primary is lost.', // 9
    '',
    '## Check the primary', // 11
    '',
    'The primary is aws_db_instance.legacy, in the network of `module.network`.', // 13
    '',
    '```sh', // 15
    'terraform state show aws_db_instance.legacy', // 16
    '```',
    '',
    '## Promote the replica', // 19
    '',
    '<!-- opsreview-disable-next-line runbook/placeholder -->', // 21
    'Run the promotion.',
    '',
  ].join('\n'),
  'runbooks/db-slow.md': [
    '---',
    'owner: dba',
    'service: billing-db',
    'tags: [db, perf]',
    '---',
    '# Slow queries', // 5
    '',
    'If DbDown fires too, follow [the failover](./db-failover.md#check-the-primary).', // 7
    'See also [a ghost](./nope.md).', // 8
    '',
  ].join('\n'),
  'terraform/main.tf': [
    'resource "aws_db_instance" "legacy" {', // 0
    '  engine         = "postgres"',
    '  instance_class = "db.t3.micro"',
    '}',
    '',
    'module "network" {', // 5
    '  source = "./modules/network"', // 6
    '}',
    '',
  ].join('\n'),
  'terraform/modules/network/variables.tf': 'variable "cidr" {}\n',
  'terraform/modules/network/main.tf': 'resource "aws_vpc" "this" {\n  cidr_block = var.cidr\n}\n',
  'ansible/site.yml': ['- hosts: db', '  roles:', '    - postgres', '  tasks:', '    - import_tasks: tasks/extra.yml', ''].join('\n'),
  'ansible/roles/postgres/tasks/main.yml': '- name: Install postgres\n  ansible.builtin.apt:\n    name: postgresql\n    state: present\n',
  'ansible/tasks/extra.yml': '- name: Extra\n  ansible.builtin.debug:\n    msg: hi\n',
  'k8s/payments.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: payments-api\nspec: {}\n',
  '.opsreview.yml': `alerts:\n  runbookBaseUrl: ${BASE}\nrules:\n  runbook/review-stale: off\n  \n`,
};

describe('language server navigation over stdio', function () {
  this.timeout(30000);
  let proc: ChildProcess;
  let conn: MessageConnection;
  let root: string;
  const uri = (rel: string): string => pathToFileURL(path.join(root, rel)).toString();
  const rel = (u: string): string => path.relative(root, new URL(u).pathname).split(path.sep).join('/');
  const pos = (line: number, character: number) => ({ line, character });

  before(async () => {
    root = await writeWorkspace(FILES);
    ({ proc, conn } = spawnServer());
    for (const n of ['textDocument/publishDiagnostics', 'window/logMessage', 'opsreview/indexChanged']) conn.onNotification(n, () => undefined);
    conn.onRequest('client/registerCapability', () => null);
    conn.listen();
    const result = (await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).toString(),
      workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: 'ws' }],
      capabilities: {},
    })) as { capabilities: Record<string, any> };
    assert.ok(result.capabilities.workspaceSymbolProvider);
    assert.ok(result.capabilities.definitionProvider);
    assert.ok(result.capabilities.referencesProvider);
    assert.ok(result.capabilities.completionProvider);
    assert.ok(result.capabilities.workspace.fileOperations.willRename.filters.length);
    conn.sendNotification('initialized', {});
  });

  after(() => stopServer({ proc, conn }));

  const definition = async (file: string, p: { line: number; character: number }): Promise<Loc[]> =>
    (await conn.sendRequest('textDocument/definition', { textDocument: { uri: uri(file) }, position: p })) as Loc[];
  const references = async (file: string, p: { line: number; character: number }): Promise<Loc[]> =>
    (await conn.sendRequest('textDocument/references', { textDocument: { uri: uri(file) }, position: p, context: { includeDeclaration: false } })) as Loc[];
  const hover = async (file: string, p: { line: number; character: number }): Promise<string | undefined> =>
    ((await conn.sendRequest('textDocument/hover', { textDocument: { uri: uri(file) }, position: p })) as { contents: { value: string } } | null)?.contents.value;
  const symbols = async (query: string): Promise<{ name: string; kind: number; containerName?: string; location: Loc }[]> => (await conn.sendRequest('workspace/symbol', { query })) as never;
  const completion = async (file: string, p: { line: number; character: number }): Promise<{ label: string; textEdit: { newText: string } }[]> =>
    (await conn.sendRequest('textDocument/completion', { textDocument: { uri: uri(file) }, position: p })) as never;

  describe('workspace/symbol', () => {
    it('finds a Terraform resource by address, a module, a runbook section, an alert, a role and a Kubernetes object', async () => {
      const tf = await symbols('aws_db_instance.legacy');
      assert.equal(tf[0].name, 'aws_db_instance.legacy');
      assert.equal(rel(tf[0].location.uri), 'terraform/main.tf');
      assert.equal(tf[0].location.range.start.line, 0);
      assert.equal((await symbols('module.netw'))[0].name, 'module.network');
      const section = (await symbols('promote the')).find((s) => s.name === 'Promote the replica');
      assert.ok(section);
      assert.equal(section.containerName, 'Database failover');
      assert.equal(section.location.range.start.line, 19);
      assert.equal((await symbols('DbDown'))[0].name, 'DbDown');
      assert.ok((await symbols('postgres')).some((s) => s.name === 'postgres' && rel(s.location.uri) === 'ansible/roles/postgres/tasks/main.yml'));
      assert.equal((await symbols('deployment/pay'))[0].name, 'Deployment/payments-api');
      assert.ok((await symbols('Database failover')).some((s) => s.name === 'Database failover' && s.location.range.start.line === 7));
    });

    it('ranks a prefix before a word start before a scattered match, shorter first', async () => {
      const names = (await symbols('db')).map((s) => s.name);
      // Prefix matches (DbDown, DbGone, DbSlow) before the word-start match aws_db_instance.legacy.
      const firstNonPrefix = names.findIndex((n) => !n.toLowerCase().startsWith('db'));
      assert.ok(firstNonPrefix > 0, names.join(', '));
      assert.ok(names.slice(firstNonPrefix).every((n) => !n.toLowerCase().startsWith('db')), names.join(', '));
      assert.ok(names.indexOf('aws_db_instance.legacy') < names.indexOf('Database failover') || !names.includes('Database failover'), names.join(', '));
      const scattered = (await symbols('adil')).map((s) => s.name);
      assert.ok(scattered.includes('aws_db_instance.legacy'), scattered.join(', '));
      assert.deepEqual(await symbols('zzqqx'), []);
    });
  });

  describe('textDocument/definition', () => {
    it('follows a runbook_url under alerts.runbookBaseUrl to the runbook, at its anchor', async () => {
      const [loc, ...rest] = await definition('alerts/db.yml', pos(9, 40));
      assert.equal(rest.length, 0);
      assert.equal(rel(loc.uri), 'runbooks/db-failover.md');
      assert.equal(loc.range.start.line, 19, 'the "Promote the replica" heading');
    });

    it('follows a relative (quoted) runbook_url, and gives nothing for a missing runbook', async () => {
      const [loc] = await definition('alerts/db.yml', pos(13, 28));
      assert.equal(rel(loc.uri), 'runbooks/db-slow.md');
      assert.equal(loc.range.start.line, 0);
      assert.deepEqual(await definition('alerts/db.yml', pos(17, 30)), []);
    });

    it('follows a relative markdown link to its heading, and gives nothing for a missing file', async () => {
      const [loc] = await definition('runbooks/db-slow.md', pos(7, 50));
      assert.equal(rel(loc.uri), 'runbooks/db-failover.md');
      assert.equal(loc.range.start.line, 11);
      assert.deepEqual(await definition('runbooks/db-slow.md', pos(8, 22)), []);
    });

    it('goes from a Terraform address in runbook text and in a code block to the resource', async () => {
      for (const p of [pos(13, 20), pos(16, 30)]) {
        const [loc] = await definition('runbooks/db-failover.md', p);
        assert.equal(rel(loc.uri), 'terraform/main.tf');
        assert.equal(loc.range.start.line, 0);
      }
      const [mod] = await definition('runbooks/db-failover.md', pos(13, 62));
      assert.equal(rel(mod.uri), 'terraform/main.tf');
      assert.equal(mod.range.start.line, 5);
      assert.deepEqual(await definition('runbooks/db-failover.md', pos(9, 5)), [], 'plain prose links nowhere');
    });

    it('goes from a module source to the module folder main file', async () => {
      const [loc] = await definition('terraform/main.tf', pos(6, 16));
      assert.equal(rel(loc.uri), 'terraform/modules/network/main.tf');
    });

    it('goes from an Ansible role name and an import_tasks path to their files', async () => {
      const [role] = await definition('ansible/site.yml', pos(2, 8));
      assert.equal(rel(role.uri), 'ansible/roles/postgres/tasks/main.yml');
      const [inc] = await definition('ansible/site.yml', pos(4, 24));
      assert.equal(rel(inc.uri), 'ansible/tasks/extra.yml');
    });
  });

  describe('textDocument/references', () => {
    it('lists the alerts and runbooks that link to a runbook, from anywhere in it', async () => {
      for (const p of [pos(7, 3), pos(22, 2)]) {
        const refs = await references('runbooks/db-failover.md', p);
        assert.deepEqual(refs.map((r) => `${rel(r.uri)}:${r.range.start.line}`).sort(), ['alerts/db.yml:9', 'runbooks/db-slow.md:7']);
      }
    });

    it('lists the runbooks that mention a Terraform resource', async () => {
      const refs = await references('terraform/main.tf', pos(1, 4));
      assert.deepEqual(refs.map((r) => `${rel(r.uri)}:${r.range.start.line}:${r.range.start.character}`), ['runbooks/db-failover.md:13:15', 'runbooks/db-failover.md:16:21']);
    });

    it('lists the runbooks that name an alert', async () => {
      const refs = await references('alerts/db.yml', pos(3, 17));
      assert.deepEqual(refs.map((r) => `${rel(r.uri)}:${r.range.start.line}`), ['runbooks/db-slow.md:7']);
    });
  });

  describe('textDocument/hover', () => {
    it('summarises the runbook behind a runbook_url: title, owner, last review, first lines', async () => {
      const h = await hover('alerts/db.yml', pos(9, 40));
      assert.ok(h);
      assert.match(h, /\*\*Database failover\*\*/);
      assert.match(h, /owner: dba/);
      assert.match(h, /last reviewed: 2026-10-01/);
      assert.match(h, /Promote the replica when the primary is lost\./);
    });

    it('says so when the runbook_url points at no file', async () => {
      assert.match((await hover('alerts/db.yml', pos(17, 30))) ?? '', /No runbook at `runbooks\/missing\.md`/);
    });

    it('shows the first lines of the resource a runbook names', async () => {
      const h = await hover('runbooks/db-failover.md', pos(13, 20));
      assert.ok(h);
      assert.match(h, /```hcl\nresource "aws_db_instance" "legacy" \{\n {2}engine/);
      assert.match(h, /terraform\/main\.tf/);
    });

    it('describes a rule id in a suppression comment and in .opsreview.yml, with its docs link', async () => {
      const inComment = await hover('runbooks/db-failover.md', pos(21, 40));
      assert.match(inComment ?? '', /\*\*runbook\/placeholder\*\*/);
      assert.match(inComment ?? '', /docs\/rules\/runbook\/placeholder\.md/);
      const inConfig = await hover('.opsreview.yml', pos(3, 6));
      assert.match(inConfig ?? '', /runbook\/review-stale/);
      assert.match(inConfig ?? '', /docs\/rules\/runbook\/review-stale\.md/);
    });
  });

  describe('textDocument/completion', () => {
    it('offers the required frontmatter keys a runbook lacks, and known values', async () => {
      const draft = uri('runbooks/draft.md');
      conn.sendNotification('textDocument/didOpen', { textDocument: { uri: draft, languageId: 'markdown', version: 1, text: '---\nowner: \nse\nseverity: \n---\n# Draft\n' } });
      // The index takes the buffer asynchronously: ask until it has.
      let owners: string[] = [];
      for (let i = 0; i < 50 && !owners.includes('dba'); i++) {
        owners = (await completion('runbooks/draft.md', pos(1, 7))).map((c) => c.label);
        if (!owners.includes('dba')) await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(owners.includes('dba'), owners.join(', '));
      const keys = await completion('runbooks/draft.md', pos(2, 2));
      assert.ok(keys.some((k) => k.label === 'service' && k.textEdit.newText === 'service: '));
      assert.ok(keys.some((k) => k.label === 'tags'));
      assert.ok(!keys.some((k) => k.label === 'owner'), 'owner is already there');
      assert.deepEqual((await completion('runbooks/draft.md', pos(3, 10))).map((c) => c.label), ['critical', 'warning', 'info']);
    });

    it('offers services and tags already used in the workspace', async () => {
      // Its own document, so the test passes alone (it used to edit the previous test's draft).
      const draft = uri('runbooks/draft-services.md');
      conn.sendNotification('textDocument/didOpen', { textDocument: { uri: draft, languageId: 'markdown', version: 1, text: '---\nservice: \ntags: [db, \n---\n# Draft\n' } });
      let services: string[] = [];
      for (let i = 0; i < 50 && !services.includes('billing-db'); i++) {
        services = (await completion('runbooks/draft-services.md', pos(1, 9))).map((c) => c.label);
        if (!services.includes('billing-db')) await new Promise((r) => setTimeout(r, 100));
      }
      assert.deepEqual(services, ['billing-db']);
      const tags = (await completion('runbooks/draft-services.md', pos(2, 11))).map((c) => c.label);
      assert.equal(tags[0], 'db', 'the most used tag first');
      assert.ok(tags.includes('team:dba') && tags.includes('perf'), tags.join(', '));
    });

    it('offers rule ids in a suppression comment and under rules: of .opsreview.yml', async () => {
      const inComment = await completion('runbooks/db-failover.md', pos(21, 40));
      assert.ok(inComment.some((c) => c.label === 'runbook/placeholder'));
      assert.ok(inComment.some((c) => c.label === 'terraform/tags-missing'));
      const inConfig = await completion('.opsreview.yml', pos(4, 2));
      assert.ok(inConfig.some((c) => c.label === 'alert/for-missing' && c.textEdit.newText === 'alert/for-missing: '), JSON.stringify(inConfig.slice(0, 3)));
      assert.deepEqual(await completion('terraform/main.tf', pos(1, 4)), []);
    });
  });

  describe('workspace/willRenameFiles', () => {
    it('rewrites the runbook_url (base URL kept, anchor kept) and links that point at a moved runbook, and its own links', async () => {
      const edit = (await conn.sendRequest('workspace/willRenameFiles', {
        files: [{ oldUri: uri('runbooks/db-failover.md'), newUri: uri('runbooks/db/failover.md') }],
      })) as { changes: Record<string, { range: Loc['range']; newText: string }[]> };
      const alert = edit.changes[uri('alerts/db.yml')];
      assert.equal(alert.length, 1);
      const alertText = applyEdits(FILES['alerts/db.yml'], alert);
      assert.match(alertText, new RegExp(`runbook_url: ${BASE.replace(/[./]/g, '\\$&')}runbooks/db/failover\\.md#promote-the-replica`));
      const slow = applyEdits(FILES['runbooks/db-slow.md'], edit.changes[uri('runbooks/db-slow.md')]);
      assert.match(slow, /\[the failover\]\(\.\/db\/failover\.md#check-the-primary\)/);
      assert.match(slow, /\[a ghost\]\(\.\/nope\.md\)/, 'other links stay');
      assert.equal(edit.changes[uri('runbooks/db-failover.md')], undefined, 'the moved runbook has no relative links to adjust');
    });

    it('rewrites the links into a moved folder of runbooks, and leaves links between them alone', async () => {
      const edit = (await conn.sendRequest('workspace/willRenameFiles', {
        files: [{ oldUri: uri('runbooks'), newUri: uri('ops/runbooks') }],
      })) as { changes: Record<string, { range: Loc['range']; newText: string }[]> };
      assert.deepEqual(Object.keys(edit.changes).map(rel).sort(), ['alerts/db.yml', 'runbooks/db-slow.md']);
      // Between moved runbooks nothing changes; a link out of the folder is re-rooted.
      const slow = applyEdits(FILES['runbooks/db-slow.md'], edit.changes[uri('runbooks/db-slow.md')]);
      assert.match(slow, /\(\.\/db-failover\.md#check-the-primary\)/);
      assert.match(slow, /\(\.\.\/\.\.\/runbooks\/nope\.md\)/);
      const alertText = applyEdits(FILES['alerts/db.yml'], edit.changes[uri('alerts/db.yml')]);
      assert.match(alertText, /blob\/main\/ops\/runbooks\/db-failover\.md#promote-the-replica$/m);
      assert.match(alertText, /runbook_url: "\.\.\/ops\/runbooks\/db-slow\.md"/);
      assert.match(alertText, /runbook_url: \.\.\/runbooks\/missing\.md/, 'a link to a file that is not there is left alone');
    });

    it('rewrites a relative runbook_url (quotes kept) and the moved file\'s own relative links', async () => {
      const edit = (await conn.sendRequest('workspace/willRenameFiles', {
        files: [{ oldUri: uri('runbooks/db-slow.md'), newUri: uri('docs/slow.md') }],
      })) as { changes: Record<string, { range: Loc['range']; newText: string }[]> };
      const alertText = applyEdits(FILES['alerts/db.yml'], edit.changes[uri('alerts/db.yml')]);
      assert.match(alertText, /runbook_url: "\.\.\/docs\/slow\.md"/);
      const own = applyEdits(FILES['runbooks/db-slow.md'], edit.changes[uri('runbooks/db-slow.md')]);
      assert.match(own, /\(\.\.\/runbooks\/db-failover\.md#check-the-primary\)/);
      assert.match(own, /\(\.\.\/runbooks\/nope\.md\)/);
    });
  });
});
