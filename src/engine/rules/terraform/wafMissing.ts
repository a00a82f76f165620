import type { HclBlock, HclExpr, TerraformFile } from '../../parsers/hclAst';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { admitsOnlyListedSources } from './restrictedIngress';
import { attr, blocksOf, isTrueExpr, labelsRange, moduleScope, posixDir, resources, str } from './hcl';
import { moduleCalls, moduleResources } from './moduleFacts';

// What faces the internet over HTTP should have a web application firewall in front of it:
// managed rule sets block the common exploits (injection, known-bad inputs, scanners) and rate
// rules absorb floods before they reach the application. Judged within the module: an
// association (or a module call) that references the resource counts, and an association whose
// target cannot be read keeps the rule silent for that resource type.

const ASSOCIATIONS = ['aws_wafv2_web_acl_association', 'aws_wafregional_web_acl_association'];

export const rule: Rule<TerraformFile> = {
  meta: {
    id: 'terraform/waf-missing',
    description: 'An internet-facing application load balancer, CloudFront distribution or API Gateway stage has no WAF web ACL.',
    defaultSeverity: 'info',
    profile: 'all',
    practice: 'network-exposure',
    kinds: ['terraform'],
    crossFile: true,
    productionOnly: true,
    equivalents: [
      { tool: 'checkov', id: 'CKV2_AWS_28' },
      { tool: 'checkov', id: 'CKV_AWS_68' },
      { tool: 'checkov', id: 'CKV2_AWS_29' },
      { tool: 'trivy', id: 'AVD-AWS-0011' },
    ],
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    const file = ctx.parsed;
    const dir = posixDir(ctx.file.path);
    const modules = moduleCalls(ctx, dir);
    const targets = moduleResources(ctx, dir, ASSOCIATIONS, 2).map((b) => attr(b, 'resource_arn')?.value);
    // `resource_arn = var.alb_arn`: it may be any of them.
    const unreadable = targets.some((t) => !t || !/^[a-z0-9_]+\.[\w-]+(\[[^\]]*\])?\.(arn|id)$/.test(t.raw.trim()));
    const protectedBy = (b: HclBlock): boolean => {
      const ref = new RegExp(`^${b.labels[0]}\\.${b.labels[1]}(\\[[^\\]]*\\])?\\.(arn|id)$`);
      if (targets.some((t) => t && ref.test(t.raw.trim()))) return true;
      // Handed to a module (a shared WAF module takes the ARNs it protects).
      const mention = new RegExp(`\\b${b.labels[0]}\\.${b.labels[1]}\\b`);
      return modules.some((m) => m.attributes.some((a) => mention.test(a.value.raw)));
    };
    const name = (b: HclBlock) => `${b.labels[0]}.${b.labels[1]}`;

    for (const b of resources(file, 'aws_lb', 'aws_alb')) {
      const internal = attr(b, 'internal')?.value;
      if (internal && (isTrueExpr(internal) || !isLiteralFalse(internal))) continue;
      const type = attr(b, 'load_balancer_type')?.value;
      if (type && str(type) !== 'application') continue;
      if (unreadable || protectedBy(b)) continue;
      // Its security groups admit only listed networks (office ranges, a VPN, CloudFront's prefix list): not an open endpoint.
      if (admitsOnlyListedSources(ctx, moduleScope(ctx, dir), b)) continue;
      out.push({
        range: labelsRange(b),
        message: `${name(b)} is an internet-facing application load balancer with no WAF web ACL associated in this module: add an aws_wafv2_web_acl (AWS managed rule groups such as AWSManagedRulesCommonRuleSet and a rate-based rule) and an aws_wafv2_web_acl_association with \`resource_arn = ${b.labels[0]}.${b.labels[1]}.arn\`.`,
      });
    }

    for (const b of resources(file, 'aws_cloudfront_distribution')) {
      const acl = attr(b, 'web_acl_id');
      if (acl && !(acl.value.type === 'null' || (acl.value.type === 'string' && acl.value.value === ''))) continue;
      out.push({
        range: acl ? acl.value.range : labelsRange(b),
        message: `${name(b)} has no WAF web ACL (\`web_acl_id\`): add an aws_wafv2_web_acl with \`scope = "CLOUDFRONT"\` (created in us-east-1) and set \`web_acl_id\` to its ARN.`,
      });
    }

    const apis = new Map(moduleResources(ctx, dir, ['aws_api_gateway_rest_api'], 2).map((b) => [b.labels[1], b]));
    for (const b of resources(file, 'aws_api_gateway_stage')) {
      if (unreadable || protectedBy(b)) continue;
      const api = restApiOf(attr(b, 'rest_api_id')?.value, apis);
      // A private API is reached only through a VPC endpoint.
      if (api && isPrivate(api)) continue;
      out.push({
        range: labelsRange(b),
        message: `${name(b)} has no WAF web ACL associated in this module: add an aws_wafv2_web_acl (\`scope = "REGIONAL"\`) and an aws_wafv2_web_acl_association with \`resource_arn = aws_api_gateway_stage.${b.labels[1]}.arn\`.`,
      });
    }
    return out;
  },
};

function isLiteralFalse(e: HclExpr): boolean {
  return (e.type === 'bool' && !e.value) || (e.type === 'string' && e.value === 'false');
}

function restApiOf(e: HclExpr | undefined, apis: Map<string, HclBlock>): HclBlock | undefined {
  const m = e && e.type === 'reference' ? /^aws_api_gateway_rest_api\.([\w-]+)\.id$/.exec(e.path) : null;
  return m ? apis.get(m[1]) : undefined;
}

function isPrivate(api: HclBlock): boolean {
  for (const ec of blocksOf(api, 'endpoint_configuration')) {
    const types = attr(ec, 'types')?.value;
    if (types?.type === 'tuple' && types.items.some((t) => str(t) === 'PRIVATE')) return true;
  }
  return false;
}
