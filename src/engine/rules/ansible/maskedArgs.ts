import { getPair } from '../../parsers/yaml';
import type { ModuleCall, TaskInfo } from './ansibleUtil';

// Arguments that well-known modules declare `no_log=True` in their own argument spec: Ansible
// replaces their values with VALUE_SPECIFIED_IN_NO_LOG_PARAMETER in task output, `-v` results and
// callback logs, so a task passing them needs no `no_log: true` of its own. Only a module's
// documented parameter is masked: a secret in a `command`/`shell` line, or in `uri`'s `body` or
// `headers`, is printed as written. A loop is not masked either: the item label the callback
// prints is built on the controller from the loop item, secret included.
// An argument's aliases are masked with it (Ansible resolves an alias to the argument before it
// collects the no_log values), so each set lists the argument and its documented aliases.
const MASKED: { module: RegExp; args: ReadonlySet<string>; identifiers?: ReadonlySet<string> }[] = [
  // community.postgresql: login_password in every module's common spec; postgresql_user's `password`.
  { module: /^(?:community\.postgresql\.)?postgresql_\w+$/, args: new Set(['login_password', 'password']) },
  // community.mysql: login_password in the common spec; mysql_user's `password`, mysql_replication's primary/master password.
  { module: /^(?:community\.mysql\.)?mysql_\w+$/, args: new Set(['login_password', 'password', 'primary_password', 'master_password']) },
  // hetzner.hcloud: api_token in every module's common spec (older names `hcloud_*`).
  { module: /^(?:hetzner\.hcloud\.\w+|hcloud_\w+)$/, args: new Set(['api_token']) },
  // linode.cloud: api_token in every module's common spec.
  { module: /^linode\.cloud\.\w+$/, args: new Set(['api_token']) },
  // community.digitalocean: oauth_token (alias api_token) in DigitalOceanHelper's spec.
  { module: /^(?:community\.digitalocean\.)?digital_ocean\w*$/, args: new Set(['oauth_token', 'api_token']) },
  // azure.azcollection: the service principal `secret` and the AD `password` in the common spec.
  { module: /^(?:azure\.azcollection\.)?azure_rm_\w+$/, args: new Set(['secret', 'password']) },
  // ansible.controller / awx.awx (and the older ansible.tower / awx modules): controller_password
  // and controller_oauthtoken (aliases tower_password, tower_oauthtoken) in the common auth spec.
  { module: /^(?:(?:ansible\.controller|awx\.awx|ansible\.tower)\.\w+|tower_\w+)$/, args: new Set(['controller_password', 'controller_oauthtoken', 'tower_password', 'tower_oauthtoken']) },
  // ansible.builtin.user: the (hashed) `password`.
  { module: /^(?:ansible\.(?:builtin|legacy)\.)?user$/, args: new Set(['password']) },
  // ansible.builtin.uri / get_url: url_password (alias `password`) in the shared URL argument spec.
  { module: /^(?:ansible\.(?:builtin|legacy)\.)?(?:uri|get_url)$/, args: new Set(['url_password', 'password']) },
  // amazon.aws / community.aws, and the pre-collection AWS modules (ec2, ec2_*, s3_*, rds*, …):
  // aws_secret_key (aliases secret_key, aws_secret_access_key, ec2_secret_key) and the session
  // token (security_token, aws_session_token, aws_security_token, access_token, ec2_security_token)
  // in the common AWS argument spec.
  {
    module: /^(?:(?:amazon\.aws|community\.aws)\.\w+|ec2(?:_\w+)?|s3(?:_\w+)?|aws_\w+|rds(?:_\w+)?|route53(?:_\w+)?|elb_\w+|elasticache(?:_\w+)?|iam(?:_\w+)?|cloudformation(?:_\w+)?|lambda(?:_\w+)?|sqs_\w+|sns(?:_\w+)?|ecs_\w+|efs(?:_\w+)?|dynamodb_\w+|cloudfront_\w+|kms_\w+|redshift(?:_\w+)?|cloudwatch\w*)$/,
    args: new Set(['aws_secret_key', 'secret_key', 'aws_secret_access_key', 'ec2_secret_key', 'session_token', 'security_token', 'aws_session_token', 'aws_security_token', 'access_token', 'ec2_security_token']),
    // The access key ID (aws_access_key, aliases access_key, aws_access_key_id, ec2_access_key) is
    // not masked and need not be: it names the key (CloudTrail logs it), the secret key is the secret.
    identifiers: new Set(['aws_access_key', 'access_key', 'aws_access_key_id', 'ec2_access_key']),
  },
  // community.mongodb: login_password in every module's common spec; mongodb_user's `password`.
  { module: /^(?:community\.mongodb\.)?mongodb_\w+$/, args: new Set(['login_password', 'password']) },
];

/**
 * Does this module mask this (top-level) argument itself, `no_log=True` in its argument spec (or
 * under one of its aliases), or document it as an identifier that is no secret (AWS's access key ID)?
 */
export function moduleMasks(module: ModuleCall, arg: string): boolean {
  return MASKED.some((m) => m.module.test(module.fullName) && (m.args.has(arg) || m.identifiers?.has(arg) === true));
}

/** Whether the task loops (`loop:`, `with_*:`): the item label Ansible prints is not masked. */
export function taskLoops(t: TaskInfo): boolean {
  if (getPair(t.node, 'loop')) return true;
  return t.node.items.some((p) => {
    const k = (p.key as { value?: unknown } | null)?.value;
    return typeof k === 'string' && k.startsWith('with_');
  });
}
