import type { HclBlock, TerraformFile } from '../../parsers/hclAst';
import type { IndexView } from '../../model';
import { posixDir, type TfContext } from './hcl';

// What the module-wide Terraform rules (waf-missing, tls-missing, unencrypted-storage, the provider
// defaults of tags-missing) read from the other files of a module: its resource blocks by type,
// its `module` blocks and its `provider` blocks. Gathered once
// per module folder and index generation, instead of flattening every file of the module for
// every file of it (quadratic in the folder's size). The file being linted is always read from
// its own parse (it may be newer than the index's copy), first, as `moduleScope` orders it.

interface Entry {
  path: string;
  block: HclBlock;
}

interface ModuleFacts {
  /** Resource blocks with at least a type label, by type, in index order. */
  resources: Map<string, Entry[]>;
  modules: Entry[];
  /** `provider` blocks by name, in index order. */
  providers: Map<string, Entry[]>;
}

const NONE: Entry[] = [];
const factsCache = new WeakMap<IndexView, { generation: number; byDir: Map<string, ModuleFacts> }>();

function factsOf(index: IndexView, dir: string): ModuleFacts {
  let cached = index.generation !== undefined ? factsCache.get(index) : undefined;
  if (!cached || cached.generation !== index.generation) {
    cached = { generation: index.generation ?? -1, byDir: new Map() };
    if (index.generation !== undefined) factsCache.set(index, cached);
  }
  let facts = cached.byDir.get(dir);
  if (facts) return facts;
  facts = { resources: new Map(), modules: [], providers: new Map() };
  for (const f of index.inDir(dir)) {
    if (f.kind !== 'terraform' || f.parsed.type !== 'terraform') continue;
    add(facts, f.path, f.parsed);
  }
  cached.byDir.set(dir, facts);
  return facts;
}

function add(facts: ModuleFacts, path: string, file: TerraformFile): void {
  for (const b of file.body.blocks) {
    if (b.type === 'module') facts.modules.push({ path, block: b });
    else if ((b.type === 'resource' || b.type === 'provider') && b.labels.length >= 1) {
      const map = b.type === 'resource' ? facts.resources : facts.providers;
      const list = map.get(b.labels[0]);
      if (list) list.push({ path, block: b });
      else map.set(b.labels[0], [{ path, block: b }]);
    }
  }
}

/** The linted file's own parse, when it belongs to the module of `dir`. */
function own(ctx: TfContext, dir: string): TerraformFile | undefined {
  return posixDir(ctx.file.path) === dir && ctx.file.kind === 'terraform' ? ctx.parsed : undefined;
}

/**
 * Resource blocks of the module in `dir` whose type is one of `types` (with at least `minLabels`
 * labels): the linted file's first, then the other files' in index order. Within one type the
 * order is the module's file order, as flattening `moduleScope(...).files` gives it.
 */
export function moduleResources(ctx: TfContext, dir: string, types: readonly string[], minLabels = 1): HclBlock[] {
  const facts = factsOf(ctx.index, dir);
  const mine = own(ctx, dir);
  const out: HclBlock[] = [];
  for (const type of types) {
    if (mine) for (const b of mine.body.blocks) if (b.type === 'resource' && b.labels.length >= Math.max(1, minLabels) && b.labels[0] === type) out.push(b);
    for (const e of facts.resources.get(type) ?? NONE) if (e.path !== ctx.file.path && e.block.labels.length >= minLabels) out.push(e.block);
  }
  return out;
}

/** The `provider "<name>"` blocks of the module in `dir`, the linted file's first. */
export function moduleProviders(ctx: TfContext, dir: string, name: string): HclBlock[] {
  const facts = factsOf(ctx.index, dir);
  const mine = own(ctx, dir);
  const out: HclBlock[] = mine ? mine.body.blocks.filter((b) => b.type === 'provider' && b.labels[0] === name) : [];
  for (const e of facts.providers.get(name) ?? NONE) if (e.path !== ctx.file.path) out.push(e.block);
  return out;
}

/** The `module` blocks of the module in `dir`, the linted file's first. */
export function moduleCalls(ctx: TfContext, dir: string): HclBlock[] {
  const facts = factsOf(ctx.index, dir);
  const mine = own(ctx, dir);
  const out: HclBlock[] = mine ? mine.body.blocks.filter((b) => b.type === 'module') : [];
  for (const e of facts.modules) if (e.path !== ctx.file.path) out.push(e.block);
  return out;
}
