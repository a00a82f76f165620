import { isMap, Node, Pair, Scalar, YAMLMap } from 'yaml';
import { getNode, keyName, pairs, YamlFile, YNode } from '../../parsers/yaml';

export { yamlOf } from '../../parsers/yaml';

// The services of a Docker Compose file (`services:` of `compose.yaml`, `docker-compose*.yml`),
// with their positioned nodes, for the compose rule pack.

export interface ComposeService {
  name: string;
  pair: Pair<Scalar, Node>;
  node: YAMLMap<Scalar, Node>;
}

export function composeServices(file: YamlFile): ComposeService[] {
  const out: ComposeService[] = [];
  for (const doc of file.docs) {
    for (const p of pairs(getNode(doc.contents as YNode, 'services'))) {
      if (!isMap(p.value)) continue;
      out.push({ name: keyName(p) ?? '?', pair: p as Pair<Scalar, Node>, node: p.value as YAMLMap<Scalar, Node> });
    }
  }
  return out;
}
