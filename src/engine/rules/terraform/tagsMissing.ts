import type { HclBlock, HclExpr, TerraformFile } from '../../parsers/hclAst';
import type { Fix, RuleFinding, TextEdit } from '../../types';
import type { Rule } from '../types';
import type { IndexedFile } from '../../model';
import { isNonProduction } from '../../nonProduction';
import { AWS_TAGGABLE } from './data/awsTaggable';
import {
  attr,
  blocksOf,
  callersOf,
  hclKey,
  indentOf,
  indentUnit,
  isReusableModule,
  isFalseExpr,
  isRootModule,
  labelsRange,
  localModuleCalls,
  moduleScope,
  ModuleScope,
  num,
  posixDir,
  resolveKeys,
  resources,
  str,
  TfContext,
} from './hcl';
import { moduleProviders } from './moduleFacts';

// Cost allocation needs every resource to say whose it is. Keys can come from the resource's own
// `tags`, from `merge()`/locals/variables, and from the AWS provider's `default_tags` — in this
// module's folder or in the root modules that call it. When a value cannot be resolved, the rule
// says nothing rather than guess.

/** Azure resources known to take `tags` (others are checked only when they already have `tags`). */
const AZURE_TAGGABLE = new Set([
  'azurerm_resource_group',
  'azurerm_virtual_network',
  'azurerm_network_security_group',
  'azurerm_network_interface',
  'azurerm_public_ip',
  'azurerm_lb',
  'azurerm_application_gateway',
  'azurerm_linux_virtual_machine',
  'azurerm_windows_virtual_machine',
  'azurerm_virtual_machine',
  'azurerm_linux_virtual_machine_scale_set',
  'azurerm_windows_virtual_machine_scale_set',
  'azurerm_managed_disk',
  'azurerm_storage_account',
  'azurerm_key_vault',
  'azurerm_kubernetes_cluster',
  'azurerm_container_registry',
  'azurerm_postgresql_flexible_server',
  'azurerm_mysql_flexible_server',
  'azurerm_mssql_server',
  'azurerm_mssql_database',
  'azurerm_cosmosdb_account',
  'azurerm_redis_cache',
  'azurerm_service_plan',
  'azurerm_linux_web_app',
  'azurerm_windows_web_app',
  'azurerm_linux_function_app',
  'azurerm_windows_function_app',
  'azurerm_log_analytics_workspace',
  'azurerm_application_insights',
  'azurerm_user_assigned_identity',
  'azurerm_dns_zone',
  'azurerm_private_dns_zone',
  'azurerm_private_endpoint',
  'azurerm_servicebus_namespace',
  'azurerm_eventhub_namespace',
  'azurerm_api_management',
  'azurerm_firewall',
  'azurerm_nat_gateway',
  'azurerm_route_table',
]);

/** Google resources known to take a top-level `labels` argument (Cloud SQL, GKE and Cloud Run v1 put labels elsewhere). */
const GOOGLE_LABELED = new Set([
  'google_compute_instance',
  'google_compute_instance_template',
  'google_compute_disk',
  'google_compute_image',
  'google_compute_snapshot',
  'google_compute_address',
  'google_compute_global_address',
  'google_compute_forwarding_rule',
  'google_storage_bucket',
  'google_pubsub_topic',
  'google_pubsub_subscription',
  'google_bigquery_dataset',
  'google_bigquery_table',
  'google_cloudfunctions_function',
  'google_cloudfunctions2_function',
  'google_cloud_run_v2_service',
  'google_redis_instance',
  'google_spanner_instance',
  'google_kms_crypto_key',
  'google_secret_manager_secret',
  'google_dataproc_cluster',
  'google_filestore_instance',
  'google_artifact_registry_repository',
]);

type Cloud = 'aws' | 'azure' | 'google';

function cloudOf(b: HclBlock): Cloud | undefined {
  const type = b.labels[0];
  if (AWS_TAGGABLE.has(type)) return 'aws';
  if (type.startsWith('azurerm_') && (AZURE_TAGGABLE.has(type) || attr(b, 'tags'))) return 'azure';
  if (type.startsWith('google_') && (GOOGLE_LABELED.has(type) || attr(b, 'labels'))) return 'google';
  return undefined;
}

export const rule: Rule<TerraformFile> = {
  meta: {
    id: 'terraform/tags-missing',
    description: 'A taggable resource lacks a required cost-allocation tag (AWS/Azure `tags`, Google `labels`).',
    defaultSeverity: 'warning',
    practice: 'cost-allocation',
    kinds: ['terraform'],
    productionOnly: true,
    fixable: true,
    crossFile: true,
    equivalents: [{ tool: 'tflint', id: 'aws_resource_missing_tags' }],
    convention: {
      // The resources whose tags the check could decide (not those passing a caller's tags through).
      subjects: (ctx) => {
        const memo = judgedCount.get(ctx.file);
        if (memo && memo.config === ctx.config) return memo.n;
        rule.check(ctx);
        return judgedCount.get(ctx.file)?.n ?? 0;
      },
      noun: 'taggable resources',
      // Google findings carry their keys as `label:<key>`: labels are their own convention, and
      // the advice names `labels` and `default_labels`, not AWS tags.
      follows: (keys) => {
        const google = keys.every((k) => k.startsWith(LABEL));
        const names = keys.map((k) => `\`${k.startsWith(LABEL) ? k.slice(LABEL.length) : k}\``).join(', ');
        return `carries the ${names} ${google ? 'label' : 'tag'}${keys.length > 1 ? 's' : ''}`;
      },
      adopt: (keys) => {
        const them = keys.length > 1 ? 'them' : 'it';
        const set = 'or set `terraform.requiredTags` in .opsreview.yml to the keys the repository does use.';
        if (keys.every((k) => k.startsWith(LABEL))) return `Add ${them} once in the Google provider's \`default_labels\` or in each resource's \`labels\`, ${set}`;
        if (keys.every((k) => !k.startsWith(LABEL))) return `Add ${them} once in the provider's default tags (AWS \`default_tags\`) or in each resource's \`tags\`, ${set}`;
        return `Add ${them} once in the provider's defaults (AWS \`default_tags\`, Google \`default_labels\`) or in each resource's \`tags\`/\`labels\`, ${set}`;
      },
    },
  },
  check(ctx) {
    judgedCount.set(ctx.file, { config: ctx.config, n: 0 });
    if (ctx.config.terraform.requiredTags.length === 0) return [];
    const repo = repositoryTags(ctx);
    const requiredFor = (cloud: Cloud) => (cloud === 'google' ? repo.labels : repo.required);
    const noteFor = (cloud: Cloud) => learnedNote(cloud === 'google' ? repo.labelsLearned : repo.learned);
    let judged = 0;
    const out: RuleFinding[] = [];
    const dir = posixDir(ctx.file.path);
    const scope = moduleScope(ctx, dir);
    // In a reusable module the tag values come from the caller: a resource that passes the
    // module's tags variable through is right, whatever a caller puts in it (the caller's
    // `module` block gets that finding); a resource that drops the variable is the module's bug.
    const reusable = isReusableModule(ctx, scope);
    const tagVars = tagVariables(scope);
    const defaults = new Map<string, Set<string> | undefined>();
    const providerKeys = (b: HclBlock, cloud: Cloud): Set<string> | undefined => {
      if (cloud === 'azure') return new Set();
      const { name, alias } = providerOf(b, cloud);
      const key = `${name}.${alias ?? ''}`;
      if (!defaults.has(key)) defaults.set(key, providerDefaultKeys(ctx, dir, name, alias, 0));
      return defaults.get(key);
    };
    for (const b of resources(ctx.parsed)) {
      const cloud = cloudOf(b);
      if (!cloud) continue;
      const argName = cloud === 'google' ? 'labels' : 'tags';
      // Tags written some other way (`dynamic "tags"`, autoscaling `tag` blocks) are not ours to judge.
      if (blocksOf(b, 'dynamic').length && blocksOf(b, 'dynamic').some((d) => d.labels[0] === argName || d.labels[0] === 'tag')) continue;
      // Tags managed outside Terraform (`lifecycle { ignore_changes = [tags] }`): by design.
      if (ignoresTags(b, argName)) continue;
      const tagsAttr = attr(b, argName);
      const required = requiredFor(cloud);
      const never = repo.neverTagged.get(b.labels[0]);
      if (reusable && tagVars.size) {
        if (tagsAttr && passedTagVars(tagsAttr.value, scope, tagVars).size) continue;
        if (never) {
          if (never.path === ctx.file.path && never.name === b.labels[1]) out.push(neverTaggedFinding(b, cloud, never, required, noteFor(cloud)));
          continue;
        }
        const dropped = droppedTagsFinding(ctx, b, cloud, tagsAttr, scope, tagVars, providerKeys(b, cloud) ?? new Set(), required);
        if (dropped) out.push(dropped);
        continue;
      }
      const own = tagsAttr ? resolveKeys(ctx, tagsAttr.value, scope) : new Set<string>();
      if (!own) continue;
      const fromProvider = providerKeys(b, cloud);
      if (!fromProvider) continue;
      const missing = required.filter((k) => !own.has(k) && !fromProvider.has(k));
      // A resource type the repository never tags (IAM roles and policies, say) while it tags
      // others: one decision, reported once, on the first of them.
      if (never && missing.length) {
        if (never.path === ctx.file.path && never.name === b.labels[1]) out.push(neverTaggedFinding(b, cloud, never, missing, noteFor(cloud)));
        continue;
      }
      judgedCount.set(ctx.file, { config: ctx.config, n: ++judged });
      if (missing.length === 0) continue;
      const what = cloud === 'google' ? 'label' : 'tag';
      const fix = tagsFix(ctx, b, argName, tagsAttr?.value, missing);
      out.push({
        range: tagsAttr ? tagsAttr.nameRange : labelsRange(b),
        message:
          `${b.labels[0]}.${b.labels[1]} is missing required ${what}${missing.length > 1 ? 's' : ''} ${missing.map((m) => `\`${m}\``).join(', ')}${supplyNote(required, own, fromProvider)}; ` +
          `add ${missing.length > 1 ? 'them' : 'it'} to \`${argName}\`${cloud === 'aws' ? " or to the provider's `default_tags`" : cloud === 'google' ? " or to the provider's `default_labels`" : ''} so its cost and ownership can be traced${noteFor(cloud)}.`,
        fixes: fix ? [fix] : undefined,
        convention: conventionKeys(cloud, missing),
      });
    }
    for (const call of localModuleCalls(ctx)) {
      const f = callerFinding(ctx, call.block, moduleScope(ctx, call.dir), scope, reusable ? tagVars : new Set(), requiredFor);
      // A call is a subject too: when no resource of the repository carries the keys, its
      // finding is the same repository-wide decision as theirs.
      if (f) {
        judgedCount.set(ctx.file, { config: ctx.config, n: ++judged });
        out.push(f);
      }
    }
    return out;
  },
};

const LABEL = 'label:';

/** The convention keys of a finding: Google labels are a convention of their own (`label:owner`). */
function conventionKeys(cloud: Cloud, keys: string[]): string[] {
  return cloud === 'google' ? keys.map((k) => LABEL + k) : keys;
}

/** The schema's default keys: when the configuration keeps them, the repository's own keys may replace them. */
const DEFAULT_KEYS = ['owner', 'environment', 'service'];

interface RepositoryTags {
  /** The keys to require: the configured ones, or the repository's own when it never uses those. */
  required: string[];
  /** Set when `required` was learnt from the repository: how many tagged resources, and the configured keys it replaced. */
  learned?: { tagged: number; replaced: string[] };
  /** The same for Google `labels`. */
  labels: string[];
  labelsLearned?: { tagged: number; replaced: string[] };
  /** Resource types (3 or more) fewer than one in five of whose instances carries a required key, while other types do: the first instance of each lacking them. */
  neverTagged: Map<string, { path: string; name: string; count: number; carrying: number }>;
}

const repoCache = new WeakMap<object, { config: object; generation?: number; files: IndexedFile[]; value: RepositoryTags }>();

/**
 * The tag keys of the repository. Each production resource whose tags resolve (its own
 * `tags`/`labels`, locals, variables, provider defaults) counts with the keys it carries. When the
 * configuration keeps the default keys and the repository tags its resources with keys of its own
 * (`business-unit`/`application`/`owner`, `aws_environment`/`Project`, a `context` object) while
 * fewer than one in five of them carries a default key, the keys that most tagged resources carry
 * are required instead: a resource lacking them is an exception to the repository's own
 * convention. Then the resource types none of whose instances carries a required key while others
 * do are each one decision.
 */
function repositoryTags(ctx: TfContext): RepositoryTags {
  const hit = repoCache.get(ctx.index);
  // The same index generation is the same files: no need to list and compare them for every file.
  const generation = ctx.index.generation;
  if (hit && hit.config === ctx.config && generation !== undefined && hit.generation === generation) return hit.value;
  const files = ctx.index.byKind('terraform').filter((f) => f.parsed.type === 'terraform');
  if (hit && hit.config === ctx.config && hit.files.length === files.length && hit.files.every((f, i) => f === files[i])) {
    hit.generation = generation;
    return hit.value;
  }
  const configured = ctx.config.terraform.requiredTags;
  type Seen = { type: string; name: string; path: string; line: number; keys: Set<string>; google: boolean };
  const seen: Seen[] = [];
  const opaque = [0, 0];
  for (const f of files) {
    if (isNonProduction(f, ctx.config)) continue;
    const sub: TfContext = { ...ctx, file: f, parsed: f.parsed as TerraformFile };
    const dir = posixDir(f.path);
    const scope = moduleScope(sub, dir);
    // Resources of a reusable module that pass its tags variable on carry what callers give.
    const tagVars = isReusableModule(sub, scope) ? tagVariables(scope) : new Set<string>();
    const defaults = new Map<string, Set<string> | undefined>();
    for (const b of resources(sub.parsed)) {
      const cloud = cloudOf(b);
      if (!cloud) continue;
      const argName = cloud === 'google' ? 'labels' : 'tags';
      if (blocksOf(b, 'dynamic').some((d) => d.labels[0] === argName || d.labels[0] === 'tag')) continue;
      if (ignoresTags(b, argName)) continue;
      const tagsAttr = attr(b, argName);
      if (tagVars.size && tagsAttr && passedTagVars(tagsAttr.value, scope, tagVars).size) continue;
      const own = tagsAttr ? resolveKeys(sub, tagsAttr.value, scope) : new Set<string>();
      if (!own) {
        // Tagged with what cannot be read: counts among the tagged resources a learnt key must cover.
        opaque[cloud === 'google' ? 1 : 0]++;
        continue;
      }
      let fromProvider: Set<string> | undefined = new Set();
      if (cloud !== 'azure') {
        const { name, alias } = providerOf(b, cloud);
        const key = `${name}.${alias ?? ''}`;
        if (!defaults.has(key)) defaults.set(key, providerDefaultKeys(sub, dir, name, alias, 0));
        fromProvider = defaults.get(key);
      }
      if (!fromProvider) continue;
      seen.push({ type: b.labels[0], name: b.labels[1], path: f.path, line: b.range.start.line, keys: new Set([...own, ...fromProvider]), google: cloud === 'google' });
    }
  }
  // Learnt per kind of key map: AWS/Azure `tags`, Google `labels`.
  const learn = (google: boolean): { required: string[]; learned?: RepositoryTags['learned'] } => {
    const tagged = seen.filter((r) => r.google === google && [...r.keys].some((k) => k.toLowerCase() !== 'name'));
    const sameAsDefault = configured.length === DEFAULT_KEYS.length && configured.every((k, i) => k.toLowerCase() === DEFAULT_KEYS[i]);
    if (!sameAsDefault || tagged.length < 5) return { required: [...configured] };
    const kept = configured.filter((k) => tagged.filter((r) => r.keys.has(k)).length * 5 >= tagged.length);
    if (kept.length === configured.length) return { required: [...configured] };
    const counts = new Map<string, number>();
    for (const r of tagged) for (const k of r.keys) if (k.toLowerCase() !== 'name' && !kept.includes(k)) counts.set(k, (counts.get(k) ?? 0) + 1);
    // A key most of the repository's tagged resources carry (those whose tags cannot be read
    // included), across most of the folders that tag: not one component's operational key (a
    // Patch Manager `patch_group` on one application's instances).
    const folders = (rs: Seen[]) => new Set(rs.map((r) => posixDir(r.path))).size;
    const taggedFolders = folders(tagged);
    const own = [...counts]
      .filter(([k, n]) => n * 2 > tagged.length + opaque[google ? 1 : 0] && folders(tagged.filter((r) => r.keys.has(k))) * 2 >= taggedFolders).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 6).map(([k]) => k);
    if (!own.length) return { required: [...configured] };
    return { required: [...kept, ...own], learned: { tagged: tagged.length, replaced: configured.filter((k) => !kept.includes(k)) } };
  };
  const aws = learn(false);
  const google = learn(true);
  const requiredOf = (r: { google: boolean }) => (r.google ? google.required : aws.required);
  const neverTagged = new Map<string, { path: string; name: string; count: number; carrying: number }>();
  const follows = (r: Seen) => requiredOf(r).some((k) => r.keys.has(k));
  const followers = seen.filter(follows).length;
  if (followers > 0) {
    const byType = new Map<string, Seen[]>();
    for (const r of seen) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
    for (const [type, list] of byType) {
      // (Fewer than one in five: the one IAM role of 25 that carries the keys makes no convention.)
      if (list.length < 3 || list.filter(follows).length * 5 >= list.length) continue;
      const first = list.filter((r) => !follows(r)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line))[0];
      neverTagged.set(type, { path: first.path, name: first.name, count: list.length, carrying: list.filter(follows).length });
    }
  }
  const value: RepositoryTags = { required: aws.required, learned: aws.learned, labels: google.required, labelsLearned: google.learned, neverTagged };
  repoCache.set(ctx.index, { config: ctx.config, generation, files, value });
  return value;
}

function learnedNote(learned: RepositoryTags['learned']): string {
  return learned ? ` (the repository's own keys: most of its ${learned.tagged} tagged resources carry them, and few carry ${learned.replaced.map((k) => `\`${k}\``).join(', ')})` : '';
}

function neverTaggedFinding(b: HclBlock, cloud: Cloud, type: { count: number; carrying: number }, missing: string[], note: string): RuleFinding {
  const what = cloud === 'google' ? 'label' : 'tag';
  const argName = cloud === 'google' ? 'labels' : 'tags';
  return {
    range: attr(b, argName)?.nameRange ?? labelsRange(b),
    message:
      `${type.carrying ? `Only ${type.carrying} of the ${type.count}` : `None of the ${type.count}`} ${b.labels[0]} resources in this repository ${type.carrying === 1 ? 'carries' : type.carrying ? 'carry' : 'carries'} the ${missing.map((m) => `\`${m}\``).join(', ')} ${what}${missing.length > 1 ? 's' : ''}${note}, which other resources carry: ` +
      `leaving this type of resource untagged is one decision, reported once here rather than on each. Add ${missing.length > 1 ? 'them' : 'it'} to each one's \`${argName}\`${cloud === 'aws' ? " or to the provider's `default_tags`" : ''} if its cost and ownership must be traced.`,
  };
}

/** How many resources the last check of a file judged (its convention subjects). */
const judgedCount = new WeakMap<object, { config: object; n: number }>();

/** Module variables that carry tags, by the usual names: `tags`, `labels`, `cluster_tags`, `iam_role_tags`… */
const TAG_VARIABLE = /(^|_)(tags|labels)$/;

function tagVariables(scope: ModuleScope): Set<string> {
  return new Set([...scope.variables.keys()].filter((v) => TAG_VARIABLE.test(v)));
}

/** The tag variables an expression passes on (directly, in `merge()`, through locals). */
function passedTagVars(e: HclExpr, scope: ModuleScope, tagVars: ReadonlySet<string>, depth = 0): Set<string> {
  const out = new Set<string>();
  for (const m of e.raw.matchAll(/\b(var|local)\.([A-Za-z_][\w-]*)/g)) {
    if (m[1] === 'var' && tagVars.has(m[2])) out.add(m[2]);
    const local = m[1] === 'local' && depth < 8 ? scope.locals.get(m[2]) : undefined;
    if (local) for (const v of passedTagVars(local, scope, tagVars, depth + 1)) out.add(v);
  }
  return out;
}

function supplyNote(required: string[], own: ReadonlySet<string>, fromProvider: ReadonlySet<string>): string {
  const supplied = required.filter((k) => fromProvider.has(k) && !own.has(k));
  return supplied.length ? ` (provider default_tags supply ${supplied.join(', ')})` : '';
}

/** The variable a resource should apply: `tags` (or `labels`) when the module has it. */
function mainTagVar(tagVars: ReadonlySet<string>, argName: string): string {
  return tagVars.has(argName) ? argName : tagVars.has('tags') ? 'tags' : [...tagVars].sort()[0];
}

/**
 * A resource of a reusable module that does not apply the module's tags variable: callers'
 * tags never reach it. Reported when required keys are then missing (its own literal tags and
 * the provider's default tags, where known, count).
 */
function droppedTagsFinding(
  ctx: TfContext,
  b: HclBlock,
  cloud: Cloud,
  tagsAttr: ReturnType<typeof attr>,
  scope: ModuleScope,
  tagVars: ReadonlySet<string>,
  fromProvider: ReadonlySet<string>,
  required: string[],
): RuleFinding | undefined {
  const argName = cloud === 'google' ? 'labels' : 'tags';
  const own = tagsAttr ? resolveKeys(ctx, tagsAttr.value, scope) : new Set<string>();
  if (!own) return undefined;
  const missing = required.filter((k) => !own.has(k) && !fromProvider.has(k));
  if (!missing.length) return undefined;
  const v = mainTagVar(tagVars, argName);
  const what = cloud === 'google' ? 'label' : 'tag';
  const lines = ctx.parsed.lines;
  let fix: Fix | undefined;
  if (tagsAttr) {
    fix = { title: `Merge var.${v} into ${argName}`, isPreferred: true, edits: [{ range: tagsAttr.value.range, newText: `merge(var.${v}, ${tagsAttr.value.raw})` }] };
  } else if (b.closeBrace.start.line !== b.openBrace.start.line && lines.line(b.closeBrace.start.line).trim() === '}') {
    const pos = { line: b.closeBrace.start.line, character: 0 };
    fix = { title: `Set ${argName} = var.${v}`, isPreferred: true, edits: [{ range: { start: pos, end: pos }, newText: `${indentOf(lines, pos.line)}${indentUnit(lines)}${argName} = var.${v}${lines.eol}` }] };
  }
  return {
    range: tagsAttr ? tagsAttr.nameRange : labelsRange(b),
    message:
      `${b.labels[0]}.${b.labels[1]} ${tagsAttr ? `does not apply` : `sets no \`${argName}\` and ignores`} the module's \`var.${v}\`, so the ${what}s callers pass never reach it and it lacks ` +
      `${missing.map((m) => `\`${m}\``).join(', ')}${supplyNote(required, own, fromProvider)}; ${tagsAttr ? `merge \`var.${v}\` into \`${argName}\`` : `set \`${argName} = var.${v}\``}.`,
    fixes: fix ? [fix] : undefined,
  };
}

/**
 * A `module` block whose tags leave the module's resources without required keys. The module's
 * resources pass its tags variable(s) through; with the values this caller gives them (or the
 * variables' defaults), plus the default tags of the provider it hands down, which keys are
 * missing? One finding on the call, naming the variable and the keys.
 */
function callerFinding(ctx: TfContext, call: HclBlock, callee: ModuleScope, scope: ModuleScope, ownTagVars: ReadonlySet<string>, required: (cloud: Cloud) => string[]): RuleFinding | undefined {
  const calleeVars = tagVariables(callee);
  if (!calleeVars.size) return undefined;
  // A call that creates nothing (`create = false`, `count = 0`) tags nothing.
  if (isFalseExpr(attr(call, 'create')?.value) || num(attr(call, 'count')?.value) === 0) return undefined;
  const given = new Map<string, Set<string> | undefined>();
  for (const v of calleeVars) {
    const arg = attr(call, v)?.value;
    const def = attr(callee.variables.get(v), 'default')?.value;
    // A reusable caller passing its own tags variable on: its callers' values decide (and they
    // get the finding on their own module blocks).
    if (arg && passedTagVars(arg, scope, ownTagVars).size) given.set(v, undefined);
    else given.set(v, arg ? resolveKeys(ctx, arg, scope) : def ? resolveKeys(ctx, def, callee) : new Set());
  }
  const missing = new Set<string>();
  const clouds = new Set<Cloud>();
  const affected: string[] = [];
  const usedVars = new Set<string>();
  for (const f of callee.files) {
    for (const b of resources(f)) {
      const cloud = cloudOf(b);
      if (!cloud) continue;
      const tagsAttr = attr(b, cloud === 'google' ? 'labels' : 'tags');
      if (!tagsAttr) continue;
      const used = passedTagVars(tagsAttr.value, callee, calleeVars);
      if (!used.size) continue;
      const keys = resolveKeys(ctx, tagsAttr.value, callee, 0, given);
      if (!keys) continue;
      let fromProvider: Set<string> | undefined = new Set();
      if (cloud !== 'azure') {
        const { name, alias } = providerOf(b, cloud);
        const passed = passedProvider(call, name, alias);
        fromProvider = passed === null ? undefined : providerDefaultKeys(ctx, scope.dir, name, passed, 0);
      }
      if (!fromProvider) continue;
      const lacking = required(cloud).filter((k) => !keys.has(k) && !fromProvider!.has(k));
      if (!lacking.length) continue;
      for (const k of lacking) missing.add(k);
      for (const v of used) usedVars.add(v);
      clouds.add(cloud);
      affected.push(`${b.labels[0]}.${b.labels[1]}`);
    }
  }
  if (!missing.size) return undefined;
  const keys = [...missing];
  const google = clouds.size === 1 && clouds.has('google');
  const v = usedVars.has('tags') ? 'tags' : usedVars.has('labels') ? 'labels' : [...usedVars].sort()[0];
  const arg = attr(call, v);
  const more = affected.length > 1 ? ` and ${affected.length - 1} more` : '';
  const fix = tagsFix(ctx, call, v, arg?.value, keys);
  return {
    range: arg ? arg.nameRange : labelsRange(call),
    message:
      `module.${call.labels[0]} ${arg ? 'passes' : 'does not pass'} \`${v}\`${arg ? ' without' : ', so the module lacks'} required ${google ? 'label' : 'tag'}${keys.length > 1 ? 's' : ''} ${keys.map((k) => `\`${k}\``).join(', ')}; ` +
      `the module applies \`var.${v}\` to its resources (${affected[0]}${more}): add ${keys.length > 1 ? 'them' : 'it'} here or to the provider's ${google ? '`default_labels`' : clouds.has('google') ? 'default tags or labels' : '`default_tags`'} so their cost and ownership can be traced.`,
    fixes: fix ? [fix] : undefined,
    convention: conventionKeys(google ? 'google' : 'aws', keys),
  };
}

/**
 * The provider configuration a resource uses: `provider = aws.replica` -> aws/replica; no
 * `provider` argument -> the default configuration of the resource type's provider.
 */
function providerOf(b: HclBlock, cloud: 'aws' | 'google'): { name: string; alias: string | undefined } {
  const p = attr(b, 'provider')?.value;
  if (p?.type === 'reference') {
    const m = /^([\w-]+)(?:\.([\w-]+))?$/.exec(p.path);
    if (m) return { name: m[1], alias: m[2] };
  }
  return { name: cloud, alias: undefined };
}

/**
 * Keys a provider configuration adds to every resource of module `dir` that uses provider `name`
 * (alias `alias`): AWS `default_tags { tags = … }`, Google `default_labels = …`. Empty when no
 * configuration adds any; undefined when they cannot be known (unresolvable values, a module
 * nobody in the workspace calls, providers passed in a way we do not follow).
 */
function providerDefaultKeys(ctx: TfContext, dir: string, name: string, alias: string | undefined, depth: number): Set<string> | undefined {
  if (depth > 8) return undefined;
  const scope = moduleScope(ctx, dir);
  const providers = moduleProviders(ctx, dir, name);
  const provider = providers.find((p) => str(attr(p, 'alias')?.value) === alias);
  if (provider) return defaultKeysOf(ctx, provider, name, scope);
  // No configuration here: it comes from the modules that call this one.
  const callers = callersOf(ctx, dir);
  if (callers.length === 0) {
    // A root module's default configuration exists implicitly (and adds nothing); a module that
    // nobody in the workspace calls gets its providers from callers we cannot see.
    return alias === undefined && (providers.length > 0 || isRootModule(ctx, scope)) ? new Set() : undefined;
  }
  let out: Set<string> | undefined;
  for (const c of callers) {
    const passed = passedProvider(c.block, name, alias);
    if (passed === null) return undefined;
    const keys = providerDefaultKeys(ctx, c.dir, name, passed, depth + 1);
    if (!keys) return undefined;
    // A key counts only if every caller supplies it.
    out = out ? new Set([...out].filter((k) => keys.has(k))) : keys;
  }
  return out ?? new Set();
}

/**
 * Which of the caller's configurations fills `name` / `name.<alias>` in the called module:
 * an alias, undefined for the caller's default configuration, null when unknown. Without a
 * `providers` argument a module inherits the default configurations (aliases must be passed);
 * with one, only what it lists (Terraform's rules).
 */
function passedProvider(moduleBlock: HclBlock, name: string, alias: string | undefined): string | undefined | null {
  const providers = attr(moduleBlock, 'providers')?.value;
  if (!providers) return alias === undefined ? undefined : null;
  if (providers.type !== 'object') return null;
  const want = alias ? `${name}.${alias}` : name;
  const item = providers.items.find((i) => i.key.replace(/\s+/g, '') === want);
  if (!item || item.value.type !== 'reference') return null;
  if (item.value.path === name) return undefined;
  const m = new RegExp(`^${name.replace(/[-]/g, '\\-')}\\.([\\w-]+)$`).exec(item.value.path);
  return m ? m[1] : null;
}

function defaultKeysOf(ctx: TfContext, provider: HclBlock, name: string, scope: ModuleScope): Set<string> | undefined {
  if (name.startsWith('google')) {
    const labels = attr(provider, 'default_labels');
    return labels ? resolveKeys(ctx, labels.value, scope) : new Set();
  }
  const dt = blocksOf(provider, 'default_tags')[0];
  if (!dt) return blocksOf(provider, 'dynamic').some((d) => d.labels[0] === 'default_tags') ? undefined : new Set();
  const tags = attr(dt, 'tags');
  return tags ? resolveKeys(ctx, tags.value, scope) : new Set();
}

/** Adds the missing keys with "TODO" values where the tags are written as a literal object. */
function tagsFix(ctx: TfContext, b: HclBlock, argName: string, value: HclExpr | undefined, missing: string[]): Fix | undefined {
  const lines = ctx.parsed.lines;
  const eol = lines.eol;
  const unit = indentUnit(lines);
  const title = `Add ${argName === 'labels' ? 'label' : 'tag'}${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`;
  if (!value) {
    // `tags = { … }` before the closing brace of the resource.
    const close = b.closeBrace;
    if (close.start.line === b.openBrace.start.line || close.start.character === close.end.character) return undefined;
    const closeLineIndent = indentOf(lines, close.start.line);
    if (lines.line(close.start.line).trim() !== '}') return undefined;
    const inner = closeLineIndent + unit;
    const body = missing.map((k) => `${inner}${unit}${hclKey(k)} = "TODO"${eol}`).join('');
    const pos = { line: close.start.line, character: 0 };
    return { title, edits: [{ range: { start: pos, end: pos }, newText: `${inner}${argName} = {${eol}${body}${inner}}${eol}` }], isPreferred: true };
  }
  let obj: HclExpr | undefined = value;
  if (value.type === 'call' && value.name === 'merge' && value.args.length > 0) obj = value.args[value.args.length - 1];
  if (obj.type === 'object') {
    const edit = insertIntoObject(ctx, obj, missing);
    return edit ? { title, edits: [edit], isPreferred: true } : undefined;
  }
  if (value.type === 'reference') {
    // `tags = local.tags` -> `tags = merge(local.tags, { owner = "TODO" })`
    const items = missing.map((k) => `${hclKey(k)} = "TODO"`).join(', ');
    return { title, edits: [{ range: value.range, newText: `merge(${value.raw}, { ${items} })` }], isPreferred: true };
  }
  return undefined;
}

function insertIntoObject(ctx: TfContext, obj: Extract<HclExpr, { type: 'object' }>, missing: string[]): TextEdit | undefined {
  const lines = ctx.parsed.lines;
  const eol = lines.eol;
  const { start, end } = obj.range;
  if (start.line === end.line) {
    // One line: `{ Name = "x" }` -> `{ Name = "x", owner = "TODO" }`
    const items = missing.map((k) => `${hclKey(k)} = "TODO"`).join(', ');
    if (obj.items.length === 0) return { range: obj.range, newText: `{ ${items} }` };
    const at = obj.items[obj.items.length - 1].range.end;
    return { range: { start: at, end: at }, newText: `, ${items}` };
  }
  // Several lines: a new line per key before the closing brace, indented like the items.
  if (lines.line(end.line).slice(0, end.character - 1).trim() !== '') return undefined;
  const closeIndent = indentOf(lines, end.line);
  const itemIndent = obj.items.length ? indentOf(lines, obj.items[0].range.start.line) : closeIndent + indentUnit(lines);
  const newText = missing.map((k) => `${itemIndent}${hclKey(k)} = "TODO"${eol}`).join('');
  const pos = { line: end.line, character: 0 };
  return { range: { start: pos, end: pos }, newText };
}

/** `lifecycle { ignore_changes = [tags] }` (or `all`): the resource's tags are managed elsewhere by design. */
function ignoresTags(b: HclBlock, argName: string): boolean {
  return blocksOf(b, 'lifecycle').some((l) => {
    const ic = attr(l, 'ignore_changes')?.value;
    if (!ic) return false;
    if (ic.type === 'reference' && ic.path === 'all') return true;
    return new RegExp(`(^|[\\[,\\s"])(${argName}|all)\\b`).test(ic.raw) && !new RegExp(`${argName}\\s*\\[`).test(ic.raw);
  });
}
