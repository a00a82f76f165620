import type { HclAttribute, HclBlock, TerraformFile } from '../../parsers/hclAst';
import type { Fix, RuleFinding } from '../../types';
import type { Rule } from '../types';
import { moduleResources } from './moduleFacts';
import { appendToBlockEdit, attr, blocksOf, isFalseExpr, isReusableModule, isTrueExpr, labelsRange, moduleScope, num, posixDir, resources, str, TfContext } from './hcl';

// Data in transit: listeners, CDNs, caches and web apps that serve or carry plain HTTP. A precise
// list of resources whose argument decides it, each judged only on values written in the file
// (an argument set from a variable is the caller's decision and is not judged).

export const rule: Rule<TerraformFile> = {
  meta: {
    id: 'terraform/tls-missing',
    description: 'A load balancer listener, CDN, cache, search domain or web app serves or carries plain HTTP instead of TLS.',
    defaultSeverity: 'warning',
    practice: 'encryption-in-transit',
    kinds: ['terraform'],
    fixable: true,
    crossFile: true,
    equivalents: [
      { tool: 'checkov', id: 'CKV_AWS_2' },
      { tool: 'checkov', id: 'CKV_AWS_34' },
      { tool: 'checkov', id: 'CKV_AWS_30' },
      { tool: 'checkov', id: 'CKV_AWS_83' },
      { tool: 'checkov', id: 'CKV_AZURE_14' },
      { tool: 'checkov', id: 'CKV_AZURE_3' },
      { tool: 'trivy', id: 'AVD-AWS-0054' },
      { tool: 'trivy', id: 'AVD-AWS-0012' },
      { tool: 'trivy', id: 'AVD-AWS-0051' },
      { tool: 'trivy', id: 'AVD-AWS-0046' },
      { tool: 'trivy', id: 'AVD-AZU-0004' },
      { tool: 'trivy', id: 'AVD-AZU-0008' },
    ],
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    const file = ctx.parsed;
    const dir = posixDir(ctx.file.path);
    const name = (b: HclBlock) => `${b.labels[0]}.${b.labels[1]}`;

    // Load balancer listeners on HTTP that do not redirect to HTTPS.
    for (const b of resources(file, 'aws_lb_listener', 'aws_alb_listener')) {
      const protocol = attr(b, 'protocol');
      const p = str(protocol?.value)?.toUpperCase();
      // Without `protocol` an ALB listener is HTTP; judged only on the usual plain-HTTP port then.
      const http = p === 'HTTP' || (!protocol && !attr(b, 'certificate_arn') && num(attr(b, 'port')?.value) === 80);
      if (!http) continue;
      const actions = blocksOf(b, 'default_action');
      if (actions.length === 0 || actions.some((a) => a.attributes.some((x) => x.value.type !== 'string' && x.name === 'type'))) continue;
      if (actions.some(redirectsToHttps)) continue;
      // A fixed response refuses plain HTTP, unless a listener rule forwards some of it.
      if (actions.every((a) => str(attr(a, 'type')?.value) === 'fixed-response') && !forwardedByRules(moduleResources(ctx, dir, LISTENER_RULES, 2), b)) continue;
      out.push({
        range: protocol ? protocol.value.range : labelsRange(b),
        message: `${name(b)} serves plain HTTP${protocol ? '' : ' (no `protocol`: HTTP on port 80)'}: traffic, cookies and tokens cross the network unencrypted. Make its default action a redirect to HTTPS (\`type = "redirect"\` with \`redirect { protocol = "HTTPS", port = "443", status_code = "HTTP_301" }\`) and serve the application on an HTTPS listener with an ACM certificate.`,
      });
    }

    // CloudFront: viewers allowed on plain HTTP.
    for (const b of resources(file, 'aws_cloudfront_distribution')) {
      for (const behaviour of [...blocksOf(b, 'default_cache_behavior'), ...blocksOf(b, 'ordered_cache_behavior')]) {
        const v = attr(behaviour, 'viewer_protocol_policy');
        if (str(v?.value) !== 'allow-all') continue;
        const path = str(attr(behaviour, 'path_pattern')?.value);
        out.push({
          range: v!.value.range,
          message: `${name(b)} ${path ? `serves '${path}'` : 'serves its default behaviour'} to viewers on plain HTTP (\`viewer_protocol_policy = "allow-all"\`): use \`redirect-to-https\` (or \`https-only\`).`,
          fixes: [{ title: 'Use redirect-to-https', edits: [{ range: v!.value.range, newText: '"redirect-to-https"' }], isPreferred: true }],
        });
      }
    }

    // ElastiCache (Redis/Valkey) replication groups without in-transit encryption.
    for (const b of resources(file, 'aws_elasticache_replication_group')) {
      flagUnlessTrue(ctx, out, b, 'transit_encryption_enabled', 'carries cache traffic (often session data and tokens) unencrypted between clients and nodes', ' Enabling it on an existing group needs Redis 7+ or Valkey and `transit_encryption_mode = "preferred"` first, or a replacement.');
    }

    // OpenSearch / Elasticsearch domains that accept HTTP.
    for (const b of resources(file, 'aws_opensearch_domain', 'aws_elasticsearch_domain')) {
      const opts = blocksOf(b, 'domain_endpoint_options')[0];
      const enforce = opts ? attr(opts, 'enforce_https') : undefined;
      // The provider defaults `enforce_https` to true once the block is written; without the block the domain accepts HTTP.
      if (opts && (!enforce || !isFalseExpr(enforce.value))) continue;
      const fix = enforce
        ? { title: 'Set enforce_https = true', edits: [{ range: enforce.value.range, newText: 'true' }], isPreferred: true }
        : appendFix(ctx, b, ['domain_endpoint_options {', '  enforce_https       = true', '  tls_security_policy = "Policy-Min-TLS-1-2-2019-07"', '}'], 'Add domain_endpoint_options { enforce_https = true }');
      out.push({
        range: enforce ? enforce.value.range : labelsRange(b),
        message: `${name(b)} accepts plain HTTP (${enforce ? '`enforce_https = false`' : 'no `domain_endpoint_options { enforce_https = true }`'}): queries and the documents they return cross the network unencrypted. Require HTTPS with a TLS 1.2 policy.`,
        fixes: fix ? [fix] : undefined,
      });
    }

    // Google: an HTTP proxy whose URL map serves content instead of redirecting to HTTPS.
    for (const b of resources(file, 'google_compute_target_http_proxy')) {
      // A reusable module that makes the HTTP proxy only when its caller asks for HTTP
      // (`count = var.protocol == "HTTP" ? 1 : 0`) leaves the protocol to the caller.
      if (callerChooses(ctx, b)) continue;
      const ref = attr(b, 'url_map')?.value;
      const m = ref?.type === 'reference' ? /^google_compute_url_map\.([\w-]+)\.(id|self_link)$/.exec(ref.path) : null;
      const map = m ? moduleResources(ctx, dir, ['google_compute_url_map'], 2).find((r) => r.labels[1] === m[1]) : undefined;
      // A URL map we cannot see (another module, a variable) is not judged.
      if (!map) continue;
      const redirect = blocksOf(map, 'default_url_redirect')[0];
      if (redirect && isTrueExpr(attr(redirect, 'https_redirect')?.value)) continue;
      out.push({
        range: ref!.range,
        message: `${name(b)} serves google_compute_url_map.${m![1]} on plain HTTP: give the HTTP proxy its own URL map with \`default_url_redirect { https_redirect = true }\` and serve the site through a google_compute_target_https_proxy.`,
      });
    }

    // Azure App Service / Functions: HTTPS not required.
    for (const b of resources(file, 'azurerm_app_service', 'azurerm_linux_web_app', 'azurerm_windows_web_app', 'azurerm_function_app', 'azurerm_linux_function_app', 'azurerm_windows_function_app')) {
      flagUnlessTrue(ctx, out, b, 'https_only', 'accepts plain HTTP requests (the default)', '');
    }
    // Azure storage accounts: HTTPS-only is the default; turning it off is reported.
    for (const b of resources(file, 'azurerm_storage_account')) {
      for (const arg of ['https_traffic_only_enabled', 'enable_https_traffic_only']) {
        const a = attr(b, arg);
        if (!a || !isFalseExpr(a.value)) continue;
        out.push({
          range: a.value.range,
          message: `${name(b)} sets \`${arg} = false\`: blobs, files and SAS tokens can cross the network unencrypted. Remove it (the default is true) or set it to true.`,
          fixes: [{ title: `Set ${arg} = true`, edits: [{ range: a.value.range, newText: 'true' }], isPreferred: true }],
        });
      }
    }
    return out;
  },
};

function redirectsToHttps(a: HclBlock): boolean {
  if (str(attr(a, 'type')?.value) !== 'redirect') return false;
  const r = blocksOf(a, 'redirect')[0];
  const p = attr(r, 'protocol')?.value;
  // `protocol = "#{protocol}"` keeps the request's protocol: not a redirect to HTTPS.
  return !!p && (str(p)?.toUpperCase() === 'HTTPS' || (p.type !== 'string' && p.type !== 'template'));
}

const LISTENER_RULES = ['aws_lb_listener_rule', 'aws_alb_listener_rule'];

/** An `aws_lb_listener_rule` of the module that forwards requests arriving on this listener. */
function forwardedByRules(all: HclBlock[], listener: HclBlock): boolean {
  const ref = new RegExp(`^aws_a?lb_listener\\.${listener.labels[1]}\\.(arn|id)$`);
  return all.some((r) => {
    if (r.labels[0] !== 'aws_lb_listener_rule' && r.labels[0] !== 'aws_alb_listener_rule') return false;
    const l = attr(r, 'listener_arn')?.value;
    if (!l || l.type !== 'reference' || !ref.test(l.path) || listener.labels[0] !== l.path.split('.')[0]) return false;
    return blocksOf(r, 'action').some((a) => !redirectsToHttps(a) && str(attr(a, 'type')?.value) !== 'fixed-response');
  });
}

function flagUnlessTrue(ctx: TfContext, out: RuleFinding[], b: HclBlock, arg: string, what: string, note: string): void {
  const a: HclAttribute | undefined = attr(b, arg);
  if (a && !isFalseExpr(a.value)) return; // true, or decided by an expression
  const fix: Fix | undefined = a ? { title: `Set ${arg} = true`, edits: [{ range: a.value.range, newText: 'true' }], isPreferred: true } : appendFix(ctx, b, [`${arg} = true`], `Set ${arg} = true`);
  out.push({
    range: a ? a.value.range : labelsRange(b),
    message: `${b.labels[0]}.${b.labels[1]} ${a ? `sets \`${arg} = false\`` : `does not set \`${arg}\``}: it ${what}. Set \`${arg} = true\`.${note}`,
    fixes: fix ? [fix] : undefined,
  });
}

function appendFix(ctx: TfContext, b: HclBlock, body: string[], title: string): Fix | undefined {
  const edit = appendToBlockEdit(ctx.parsed.lines, b, body);
  return edit ? { title, edits: [edit], isPreferred: true } : undefined;
}

/** In a reusable module, a resource whose `count`/`for_each` reads a variable exists only when its caller chooses it. */
function callerChooses(ctx: TfContext, b: HclBlock): boolean {
  const gate = attr(b, 'count') ?? attr(b, 'for_each');
  if (!gate || !/\bvar\.[A-Za-z_]/.test(gate.value.raw)) return false;
  return isReusableModule(ctx, moduleScope(ctx, posixDir(ctx.file.path)));
}
