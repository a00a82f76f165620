import * as assert from 'node:assert/strict';
import { getNode, getPair, isTrue, nodeRange, parseYaml, seqItems, stringValue, tagOf } from '../../src/engine/parsers/yaml';

describe('yaml parser', () => {
  it('parses multi-document files with source ranges', () => {
    const f = parseYaml('apiVersion: v1\nkind: Service\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n');
    assert.equal(f.errors.length, 0);
    assert.equal(f.docs.length, 2);
    const name = getNode(getNode(f.docs[1].contents, 'metadata'), 'name');
    assert.equal(stringValue(name), 'api');
    assert.deepEqual(nodeRange(f, name), { start: { line: 6, character: 8 }, end: { line: 6, character: 11 } });
    assert.deepEqual(nodeRange(f, getPair(f.docs[1].contents, 'kind')!), { start: { line: 4, character: 0 }, end: { line: 4, character: 4 } });
  });

  it('reports invalid YAML as positioned errors, without throwing', () => {
    const f = parseYaml('a: 1\nb: [unclosed\nc: 3\n');
    assert.ok(f.errors.length > 0);
    assert.equal(f.errors[0].severity, 'error');
    assert.match(f.errors[0].message, /Invalid YAML/);
    assert.ok(f.errors[0].range.start.line >= 1, JSON.stringify(f.errors[0].range));
  });

  it('keeps !vault and !reference tags without errors', () => {
    const f = parseYaml('db_password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162\nscript: !reference [.setup, script]\n');
    assert.equal(f.errors.length, 0);
    assert.equal(tagOf(getNode(f.docs[0].contents, 'db_password')), '!vault');
  });

  it('skips Helm templates that are not YAML before rendering, with an info note', () => {
    const f = parseYaml('apiVersion: apps/v1\nkind: Deployment\n{{- if .Values.enabled }}\nspec:\n  replicas: {{ .Values.replicas }}\n{{- end }}\n  - bad: [\n');
    assert.equal(f.skippedTemplate, true);
    assert.equal(f.docs.length, 0);
    assert.equal(f.errors[0].severity, 'info');
  });

  it('skips a Terraform templatefile source (%{ if } / %{ for } directives) with one info note', () => {
    const f = parseYaml('stages:\n  - plan\n%{~ if files != [] ~}\nvariables:\n%{~ for f in files ~}\n  - ${f}\n%{~ endfor ~}\n%{~ endif ~}\n  bad: [\n');
    assert.equal(f.skippedTemplate, true);
    assert.equal(f.errors.length, 1);
    assert.equal(f.errors[0].severity, 'info');
    assert.match(f.errors[0].message, /%\{/);
  });

  it('reads YAML 1.1 booleans as Ansible does', () => {
    const f = parseYaml('a: yes\nb: "True"\nc: no\nd: true\n');
    const root = f.docs[0].contents;
    assert.deepEqual(['a', 'b', 'c', 'd'].map((k) => isTrue(getNode(root, k))), [true, true, false, true]);
  });

  it('walks sequences', () => {
    const f = parseYaml('- name: one\n- name: two\n');
    assert.deepEqual(seqItems(f.docs[0].contents).map((n) => stringValue(getNode(n, 'name'))), ['one', 'two']);
  });

  it('survives hostile input', () => {
    for (const s of ['', ':', '- - - -', '&a [*a]', 'a: *unknown', '{'.repeat(2000), 'key: "unterminated', '\t- tab']) {
      assert.doesNotThrow(() => parseYaml(s));
    }
  });
});
