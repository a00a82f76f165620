import type { Engine } from '../engine';
import { inferServices } from './infer';
import type { ServiceModel } from './model';

// The query the language server's features ask (Services view, overview panel, Runbooks tree,
// hovers): one folder's full model (routing and findings), rebuilt only when its index changes.

const cache = new WeakMap<Engine, { generation: number; model: ServiceModel }>();

export function serviceModelOf(engine: Engine): ServiceModel {
  const hit = cache.get(engine);
  if (hit && hit.generation === engine.index.generation) return hit.model;
  const model = inferServices(engine.index, engine.config, { findings: engine.allFindings() });
  cache.set(engine, { generation: engine.index.generation, model });
  return model;
}
