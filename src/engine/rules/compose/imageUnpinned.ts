import { getPair, nodeRange, stringValue, YamlFile } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { composeServices, yamlOf } from './composeUtil';

// As k8s/image-latest for Compose: `image: redis` or `image: redis:latest` says nothing about what
// runs; the next `docker compose pull` may bring a new major version, and going back to
// "yesterday's" stack re-pulls the same moving tag. A service that is built here (`build:`) names
// its own image and is left alone; so are images whose tag is a variable (`${TAG}`).
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'compose/image-unpinned',
    description: 'A Docker Compose service runs an image with no tag or `:latest`, so what runs (and what going back restores) is not fixed.',
    defaultSeverity: 'warning',
    practice: 'supply-chain-pinning',
    kinds: ['compose'],
    productionOnly: true,
  },
  check(ctx) {
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    const out: RuleFinding[] = [];
    for (const s of composeServices(file)) {
      if (getPair(s.node, 'build')) continue;
      const pair = getPair(s.node, 'image');
      const image = stringValue(pair?.value)?.trim();
      if (!pair || !image || /\$\{?|\{\{/.test(image) || image.includes('@')) continue;
      const slash = image.lastIndexOf('/');
      const colon = image.indexOf(':', slash + 1);
      const tag = colon >= 0 ? image.slice(colon + 1) : '';
      if (tag && tag !== 'latest') continue;
      out.push({
        range: nodeRange(file, pair.value),
        message: `Service '${s.name}' runs ${tag ? `'${image}'` : `the untagged image '${image}' (latest)`}: pin a version tag or a digest (\`@sha256:…\`) so every host runs the same image and going back is exact.`,
      });
    }
    return out;
  },
};
