// Where an Ansible role lives and which role a name in a play means. Roles may sit at any depth
// under a `roles/` folder (`roles/<role>/`, grouped `roles/<group>/<role>/`, a collection's
// `ansible_collections/<ns>/<coll>/roles/<role>/`); a play names one by its path under a roles
// path (`role: group/role`), by its collection name (`ns.coll.role`) or by its last segment.

/** The folders a role is made of; the first of them after `roles/` ends the role's own path. */
const ROLE_PARTS = 'tasks|handlers|vars|defaults|meta|files|templates|library|module_utils|lookup_plugins|filter_plugins|molecule|tests';
const ROLE_FILE = new RegExp(`^(.*?/)?roles/((?:[^/]+/)*?[^/]+)/(${ROLE_PARTS})/(.+)$`);

export interface RolePath {
  /** The role's path under its `roles/` folder: `nginx`, or `web/nginx` for a grouped role. */
  name: string;
  /** Workspace-relative folder of the role. */
  dir: string;
  /** `tasks`, `handlers`, `vars`, `defaults`, `meta`, … */
  part: string;
  /** True for the role's entry point, `tasks/main.yml`. */
  isMain: boolean;
  /** `ns.coll.role` for a role of a collection (`ansible_collections/ns/coll/roles/role`). */
  fqcn?: string;
}

/** The role a workspace-relative path belongs to, or undefined outside any role. */
export function roleOfPath(relPath: string): RolePath | undefined {
  const m = ROLE_FILE.exec(relPath);
  if (m) {
    const prefix = m[1] ?? '';
    const coll = /(?:^|\/)ansible_collections\/([^/]+)\/([^/]+)\/$/.exec(prefix);
    return {
      name: m[2],
      dir: `${prefix}roles/${m[2]}`,
      part: m[3],
      isMain: m[3] === 'tasks' && /^main\.ya?ml$/.test(m[4]),
      fqcn: coll && !m[2].includes('/') ? `${coll[1]}.${coll[2]}.${m[2]}` : undefined,
    };
  }
  const loose = /(^|.*\/)roles\/([^/]+)\/(.+)$/.exec(relPath);
  return loose ? { name: loose[2], dir: `${loose[1]}roles/${loose[2]}`, part: '', isMain: false } : undefined;
}

/** The last segment of a role reference (`ns.coll.role` -> `role`, `group/role` -> `role`). */
export function roleShortName(ref: string): string {
  const slash = ref.replace(/\/+$/, '').split('/').pop()!;
  return !ref.includes('/') && slash.split('.').length >= 3 ? slash.split('.').pop()! : slash;
}

/**
 * The folder (workspace-relative) of the role a play names, among the role folders given:
 * the role whose path under a roles path is the name (the nearest to `fromRel` when several
 * roles paths hold one), or the collection role of that name; failing both, the one role whose
 * last segment is the short name, when exactly one has it. Undefined when nothing (or more than
 * one role, ambiguously) matches.
 */
export function resolveRole(ref: string, roleDirs: Iterable<RolePath>, fromRel?: string): string | undefined {
  const name = ref.trim().replace(/\/+$/, '');
  if (!name || name.includes('{{')) return undefined;
  const all = new Map<string, RolePath>();
  for (const r of roleDirs) all.set(r.dir, r);
  const byPath = name.replace(/^(\.\.?\/)+/, '');
  const exact = [...all.values()].filter((r) => r.name === byPath || r.fqcn === name || r.dir === byPath || r.dir.endsWith(`/${byPath}`) && byPath.includes('roles/'));
  if (exact.length) return nearest(exact, fromRel).dir;
  const short = roleShortName(name);
  const byShort = [...all.values()].filter((r) => r.name === short || r.name.endsWith(`/${short}`));
  return byShort.length === 1 ? byShort[0].dir : undefined;
}

function nearest(roles: RolePath[], fromRel: string | undefined): RolePath {
  if (!fromRel || roles.length === 1) return roles[0];
  const shared = (a: string): number => {
    let i = 0;
    while (i < a.length && i < fromRel.length && a[i] === fromRel[i]) i++;
    return i;
  };
  return [...roles].sort((a, b) => shared(b.dir) - shared(a.dir) || a.dir.localeCompare(b.dir))[0];
}
