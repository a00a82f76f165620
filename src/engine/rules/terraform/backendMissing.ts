import * as path from 'node:path';
import type { HclBlock, TerraformFile } from '../../parsers/hclAst';
import type { Fix, Range, RuleFinding, TextEdit } from '../../types';
import type { Rule } from '../types';
import { appendToBlockEdit, attr, blocksOf, isReusableModule, isRootModule, isTrueExpr, labelsRange, moduleScope, posixDir, TfContext } from './hcl';

// Terraform state is the record of what a root module manages, and it holds every secret the
// resources were created with. Kept on a laptop (no backend, or `backend "local"`) it is lost
// with the laptop, cannot be shared, and two applies can overwrite each other. A remote backend
// keeps it in one place; locking stops concurrent applies; encryption protects the secrets in it.
// One finding per root module, on the file that configures it.

/** Files that mean Terragrunt runs this module and generates its backend from `remote_state`. */
const TERRAGRUNT_FILES = ['terragrunt.hcl', 'terragrunt.hcl.json', 'root.hcl'];

export const rule: Rule<TerraformFile> = {
  meta: {
    id: 'terraform/backend-missing',
    description: 'A root module with resources keeps its state locally (no remote backend), or its S3 backend has no locking or no encryption.',
    defaultSeverity: 'warning',
    practice: 'data-protection',
    kinds: ['terraform'],
    crossFile: true,
    productionOnly: true,
    fixable: true,
    // Not in the recommended profile: on public repositories none of about 21 judged findings was
    // actionable. A repository without a backend block mostly gets it from elsewhere (an
    // orchestrator that writes it, `-backend-config`, roots users copy and run, a bootstrap stage
    // that starts local by design), which the files alone do not show.
    // A repository none of whose roots declares a backend supplies it another way (an orchestrator
    // that generates it, roots users copy and run): one decision, reported once.
    convention: {
      subjects: (ctx) => {
        const root = judgedRoot(ctx as TfContext);
        return root?.managed && root.files[0].path === ctx.file.path ? 1 : 0;
      },
      noun: 'root modules with resources',
      follows: () => 'configures a remote state backend',
      adopt: () =>
        'If the roots are run by a tool that supplies the backend (Terragrunt, Atmos, a CI wrapper) or are samples users copy, set `terraform/backend-missing: off` under `rules:` in .opsreview.yml; otherwise add a partial `backend` block to each (`terraform init -backend-config` gives the rest).',
    },
  },
  check(ctx) {
    const root = judgedRoot(ctx);
    if (!root) return [];
    const { dir, files } = root;
    const blocks = (type: string) => files.flatMap((f) => f.tf.body.blocks.filter((b) => b.type === type).map((b) => ({ path: f.path, b })));
    const terraformBlocks = blocks('terraform');
    const backends = terraformBlocks.flatMap(({ path: p, b }) => blocksOf(b, 'backend').map((bb) => ({ path: p, b: bb })));
    const cloud = terraformBlocks.some(({ b }) => blocksOf(b, 'cloud').length > 0);
    const remote = backends.find(({ b }) => b.labels[0] && b.labels[0] !== 'local');
    if (cloud) return [];
    if (remote) {
      if (remote.path !== ctx.file.path || remote.b.labels[0] !== 's3') return [];
      return s3Finding(ctx, remote.b);
    }
    // No remote backend (Terragrunt's `remote_state` and a shipped backend template were ruled out above).
    if (!root.managed) return [];
    // Where the finding goes: the `backend "local"`, else the first `terraform {}` block, else the first provider, else the first resource.
    const local = backends[0];
    const anchor =
      (local && { path: local.path, range: labelsRange(local.b) }) ??
      (terraformBlocks[0] && { path: terraformBlocks[0].path, range: terraformBlocks[0].b.typeRange }) ??
      blocks('provider').map(({ path: p, b }) => ({ path: p, range: labelsRange(b) }))[0] ??
      files.flatMap((f) => f.tf.body.blocks.filter((b) => b.type === 'resource' || b.type === 'module').map((b) => ({ path: f.path, range: labelsRange(b) })))[0];
    if (!anchor || anchor.path !== ctx.file.path) return [];
    const clouds = [...new Set(blocks('provider').map(({ b }) => b.labels[0]).filter((p) => p in BACKEND_FOR))];
    const kind = clouds.length === 1 ? BACKEND_FOR[clouds[0]] : undefined;
    const where = local ? 'keeps its state in `backend "local"`' : 'has no `backend` or `cloud` block, so `terraform apply` keeps its state in a local terraform.tfstate';
    const fix = !local && kind ? backendFix(ctx, terraformBlocks.find((t) => t.path === ctx.file.path)?.b, kind) : undefined;
    return [
      {
        range: anchor.range,
        message:
          `Root module ${rel(ctx, dir)} ${where}: state that lives on one machine is lost with it, cannot be shared, and concurrent applies overwrite each other. ` +
          `Configure a remote backend with locking and encryption${kind ? ` (\`backend "${kind}"\`${kind === 's3' ? ' with `use_lockfile = true` and `encrypt = true`' : ''})` : ' (s3, gcs, azurerm) or HCP Terraform (`cloud {}`)'}; a partial block with the rest given to \`terraform init -backend-config\` is enough.`,
        fixes: fix ? [fix] : undefined,
        convention: ['remote-backend'],
      },
    ];
  },
};

/**
 * The root module this file belongs to, when the rule judges it: not a reusable or published
 * module, not run by Terragrunt (which generates the backend), not a stage that starts with local
 * state by design and ships the backend to copy in (`backend.tf.example` beside it). `files` are
 * the module's files by path (the index's copies, this file's current text).
 */
function judgedRoot(ctx: TfContext): { dir: string; files: { path: string; tf: TerraformFile }[]; managed: boolean } | undefined {
  const dir = posixDir(ctx.file.path);
  const scope = moduleScope(ctx, dir);
  if (!isRootModule(ctx, scope) || isReusableModule(ctx, scope) || publishedModule(ctx, dir, scope.files)) return undefined;
  if (terragruntManaged(ctx, dir) || BACKEND_TEMPLATES.some((n) => ctx.index.exists(`${dir}/${n}`))) return undefined;
  const files = ctx.index
    .inDir(dir)
    .filter((f) => f.kind === 'terraform' && f.path !== ctx.file.path && f.parsed.type === 'terraform')
    .map((f) => ({ path: f.path, tf: f.parsed as TerraformFile }));
  files.push({ path: ctx.file.path, tf: ctx.parsed });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const managed = files.some((f) => f.tf.body.blocks.some((b) => (b.type === 'resource' && b.labels.length >= 2) || b.type === 'module'));
  return { dir, files, managed };
}

/** A backend configuration shipped to be copied in place: the root keeps local state until then, by design. */
const BACKEND_TEMPLATES = ['backend.tf.example', 'backend.tf.sample', 'backend.tf.tmpl', 'backend.tf.template', 'backend.tf.dist', 'backend.tf.j2', 'backend.tf.tpl'];

const BACKEND_FOR: Record<string, string> = { aws: 's3', google: 'gcs', azurerm: 'azurerm' };

/** S3: locking (`use_lockfile` or `dynamodb_table`) and `encrypt = true`, judged when the block is written out in the file (it names the bucket). */
function s3Finding(ctx: TfContext, b: HclBlock): RuleFinding[] {
  // A partial configuration (`backend "s3" {}`) takes the rest from -backend-config: not judged.
  if (!attr(b, 'bucket')) return [];
  const locked = isTrueExpr(attr(b, 'use_lockfile')?.value) || !!attr(b, 'dynamodb_table') || !!attr(b, 'dynamodb_endpoint');
  const encrypt = attr(b, 'encrypt');
  const encrypted = isTrueExpr(encrypt?.value);
  if (locked && encrypted) return [];
  const missing = [!locked ? 'locking (`use_lockfile = true`, or `dynamodb_table` before Terraform 1.10)' : undefined, !encrypted ? 'encryption (`encrypt = true`)' : undefined].filter(Boolean);
  const why = [
    !locked ? 'two applies at once can overwrite each other\'s state' : undefined,
    !encrypted ? 'the state, which holds every secret the resources were created with, is written without the backend\'s server-side encryption and relies on the bucket\'s default (SSE-S3 on buckets since January 2023)' : undefined,
  ].filter(Boolean);
  const edits: TextEdit[] = [];
  if (encrypt && !encrypted) edits.push({ range: encrypt.value.range, newText: 'true' });
  const add = [!locked ? 'use_lockfile = true' : undefined, !encrypt ? 'encrypt = true' : undefined].filter((l): l is string => !!l);
  const append = add.length ? appendToBlockEdit(ctx.parsed.lines, b, add) : undefined;
  if (append) edits.push(append);
  const settings = [!locked ? 'use_lockfile = true' : undefined, !encrypted ? 'encrypt = true' : undefined].filter(Boolean).join(' and ');
  const fix: Fix | undefined = edits.length && (!add.length || append) ? { title: `Set ${settings}`, edits, isPreferred: true } : undefined;
  return [
    {
      range: labelsRange(b),
      message: `The S3 state backend has no ${missing.join(' and no ')}: ${why.join(', and ')}.`,
      fixes: fix ? [fix] : undefined,
      // Encryption alone: S3 encrypts new objects by default now, so the gap is explicitness.
      ...(locked ? { severity: 'info' as const } : {}),
    },
  ];
}

/**
 * A module published for others to call, even though it configures providers: the registry's
 * standard layout (an `examples/` folder beside its .tf files) or `configuration_aliases`
 * (providers its callers pass in). Its callers own the backend.
 */
function publishedModule(ctx: TfContext, dir: string, files: TerraformFile[]): boolean {
  if (ctx.index.exists(`${dir}/examples`)) return true;
  return files.some((f) =>
    f.body.blocks.some((b) => b.type === 'terraform' && blocksOf(b, 'required_providers').some((rp) => rp.attributes.some((a) => a.value.type === 'object' && a.value.items.some((i) => i.key === 'configuration_aliases')))),
  );
}

function terragruntManaged(ctx: TfContext, dir: string): boolean {
  const root = ctx.index.root;
  for (let d = dir; ; d = path.posix.dirname(d)) {
    if (TERRAGRUNT_FILES.some((f) => ctx.index.exists(`${d}/${f}`))) return true;
    if (d === root || !d.startsWith(root) || path.posix.dirname(d) === d) return false;
  }
}

function rel(ctx: TfContext, dir: string): string {
  const r = dir === ctx.index.root ? '.' : dir.startsWith(ctx.index.root + '/') ? dir.slice(ctx.index.root.length + 1) : dir;
  return `'${r}'`;
}

/** A partial backend block (the rest through -backend-config), in the file's `terraform {}` block or a new one at the top. */
function backendFix(ctx: TfContext, tfBlock: HclBlock | undefined, kind: string): Fix | undefined {
  const body: Record<string, string[]> = {
    s3: ['backend "s3" {', '  # bucket, key and region: here or with `terraform init -backend-config=...`', '  use_lockfile = true', '  encrypt      = true', '}'],
    gcs: ['backend "gcs" {', '  # bucket and prefix: here or with `terraform init -backend-config=...`', '}'],
    azurerm: ['backend "azurerm" {', '  # resource_group_name, storage_account_name, container_name and key: here or with `terraform init -backend-config=...`', '}'],
  };
  const lines = body[kind];
  const title = `Add a partial backend "${kind}" block`;
  if (tfBlock) {
    const edit = appendToBlockEdit(ctx.parsed.lines, tfBlock, lines);
    return edit ? { title, edits: [edit] } : undefined;
  }
  const eol = ctx.parsed.lines.eol;
  const text = ['terraform {', ...lines.map((l) => `  ${l}`), '}', '', ''].join(eol);
  const at = { line: 0, character: 0 };
  return { title, edits: [{ range: { start: at, end: at } as Range, newText: text }] };
}
