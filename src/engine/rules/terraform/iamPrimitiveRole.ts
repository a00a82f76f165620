import type { HclExpr, TerraformFile } from '../../parsers/hclAst';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { DEPLOYER, googleServiceAccountOf, saysDeployer } from './deployerIdentity';
import { attr, blocksOf, moduleScope, posixDir, resources, str } from './hcl';

// Least privilege beyond AWS policy documents: a Google Cloud service account holding a basic role
// (Owner, Editor: thousands of permissions on every service) or an administration role over IAM
// and the resource hierarchy, and an Azure principal that is Owner, Contributor or User Access
// Administrator of a whole subscription. A workload's identity should hold the predefined roles of
// the services it uses, on the narrowest resource (a bucket, a dataset, a resource group).

/** Google roles that give a service account (and whoever can act as it) the project, folder or organisation. */
const GCP_PRIVILEGED: Record<string, string> = {
  'roles/owner': 'the basic Owner role (every permission, including IAM)',
  'roles/editor': 'the basic Editor role (write access to nearly every service)',
  'roles/resourcemanager.organizationAdmin': 'Organization Administrator (sets IAM on the whole organisation)',
  'roles/resourcemanager.folderAdmin': 'Folder Admin (sets IAM on every project of the folder)',
  'roles/resourcemanager.projectIamAdmin': 'Project IAM Admin (can grant itself any role)',
  'roles/iam.securityAdmin': 'Security Admin (can grant itself any role)',
  'roles/iam.organizationRoleAdmin': 'Organization Role Administrator',
};

const GCP_IAM = /^google_(project|folder|organization)_iam_(member|binding)$/;

/** Azure built-in roles that control a whole subscription, by name and by role definition id. */
const AZURE_BROAD: { name: string; id: string; what: string }[] = [
  { name: 'Owner', id: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', what: 'full control, including role assignments' },
  { name: 'Contributor', id: 'b24988ac-6180-42a0-ab88-20f7382dd24c', what: 'create and delete every resource' },
  { name: 'User Access Administrator', id: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', what: 'grant any role to anyone' },
];

export const rule: Rule<TerraformFile> = {
  meta: {
    id: 'terraform/iam-primitive-role',
    description: 'A Google Cloud service account is granted a basic role (Owner, Editor) or an IAM/organisation admin role, or an Azure principal is Owner, Contributor or User Access Administrator of a whole subscription.',
    defaultSeverity: 'warning',
    profile: 'all',
    practice: 'least-privilege',
    kinds: ['terraform'],
    subject: 'iam-grant',
    equivalents: [
      { tool: 'checkov', id: 'CKV_GCP_42' },
      { tool: 'trivy', id: 'AVD-GCP-0007' },
    ],
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    const file = ctx.parsed;
    const scope = moduleScope(ctx, posixDir(ctx.file.path));
    /** The deployer service account (Terraform, CI, bootstrap) a member names, if it says it is one. */
    const deployer = (m: string): string | undefined => {
      const sa = googleServiceAccountOf(scope, m);
      if (sa) return saysDeployer(sa) ? `google_service_account.${sa.labels[1]}` : undefined;
      const local = /^serviceAccount:([^@]+)@/.exec(m)?.[1];
      return local && !local.includes('${') && DEPLOYER.test(local) ? shortMember(m) : undefined;
    };
    // One info finding per deployer identity, listing its broad roles (admin by design).
    const deployers = new Map<string, { range: HclExpr['range']; roles: string[] }>();
    const gcp = (where: string, role: HclExpr | undefined, members: string[]): void => {
      const r = str(role);
      const what = r ? GCP_PRIVILEGED[r] : undefined;
      let accounts = members.filter((m) => m.startsWith('serviceAccount:'));
      if (!what || accounts.length === 0) return;
      for (const a of accounts) {
        const d = deployer(a);
        if (!d) continue;
        const seen = deployers.get(d);
        if (seen) seen.roles.push(r!);
        else deployers.set(d, { range: role!.range, roles: [r!] });
      }
      accounts = accounts.filter((a) => !deployer(a));
      if (accounts.length === 0) return;
      out.push({
        range: role!.range,
        message: `${where} grants ${what} to service account${accounts.length > 1 ? 's' : ''} ${accounts.map((a) => `'${shortMember(a)}'`).join(', ')}: whoever runs as ${accounts.length > 1 ? 'them' : 'it'} (a CI job, a VM, a leaked key) controls the ${scopeOf(where)}. Grant the predefined roles of the services the workload uses (e.g. roles/storage.objectAdmin, roles/run.developer), on the narrowest resource.`,
      });
    };
    for (const b of resources(file).filter((x) => GCP_IAM.test(x.labels[0]))) {
      const members = b.labels[0].endsWith('_member') ? [memberText(attr(b, 'member')?.value)] : listText(attr(b, 'members')?.value);
      gcp(`${b.labels[0]}.${b.labels[1]}`, attr(b, 'role')?.value, members.filter((m): m is string => !!m));
    }
    for (const d of file.body.blocks) {
      if (d.type !== 'data' || d.labels[0] !== 'google_iam_policy' || !d.labels[1]) continue;
      for (const binding of blocksOf(d, 'binding')) gcp(`data.google_iam_policy.${d.labels[1]}`, attr(binding, 'role')?.value, listText(attr(binding, 'members')?.value).filter((m): m is string => !!m));
    }
    for (const [identity, d] of deployers) {
      out.push({
        range: d.range,
        severity: 'info',
        message:
          `${identity} is a deployer identity (Terraform, CI or bootstrap) holding ${[...new Set(d.roles)].join(', ')}: administrator by design, so bound it instead of swapping in workload roles: ` +
          `keep it in the projects it manages, restrict who can impersonate it (the workload identity pool's attribute condition on branch or workspace), ` +
          `deny it changes to its own bindings (an IAM deny policy), and give plans a separate read-only (roles/viewer) account.`,
      });
    }
    for (const b of resources(file, 'azurerm_role_assignment')) {
      const byName = attr(b, 'role_definition_name');
      const byId = attr(b, 'role_definition_id');
      const name = str(byName?.value);
      const id = byId ? (byId.value.type === 'string' || byId.value.type === 'template' ? byId.value.value : '') : '';
      const role = AZURE_BROAD.find((r) => (name !== undefined && name.toLowerCase() === r.name.toLowerCase()) || (id && id.toLowerCase().includes(r.id)));
      const scope = attr(b, 'scope')?.value;
      if (!role || !isSubscriptionScope(scope)) continue;
      out.push({
        range: (name !== undefined ? byName! : byId!).value.range,
        message: `azurerm_role_assignment.${b.labels[1]} makes its principal ${role.name} of a whole subscription (${role.what}): a compromised identity can then change or delete everything in it. Assign a narrower built-in role (or a custom role with the actions it needs) on the resource group or resource it works on.`,
      });
    }
    return out;
  },
};

function memberText(e: HclExpr | undefined): string | undefined {
  return e && (e.type === 'string' || e.type === 'template') ? e.value : undefined;
}

function listText(e: HclExpr | undefined): (string | undefined)[] {
  return e?.type === 'tuple' ? e.items.map(memberText) : [];
}

function shortMember(m: string): string {
  return m.length > 70 ? `${m.slice(0, 67)}...` : m;
}

function scopeOf(where: string): string {
  return where.includes('organization') ? 'organisation' : where.includes('folder') ? 'folder' : 'project';
}

/** `/subscriptions/<id>` (literal or templated, nothing after it) or `data.azurerm_subscription.x.id`. */
function isSubscriptionScope(e: HclExpr | undefined): boolean {
  if (!e) return false;
  if (e.type === 'reference') return /^data\.azurerm_subscription\.[\w-]+\.id$/.test(e.path);
  if (e.type === 'string' || e.type === 'template') return /^\/subscriptions\/[^/]+\/?$/.test(e.value.trim());
  return false;
}
