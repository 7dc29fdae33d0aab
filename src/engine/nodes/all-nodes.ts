import { createNodeTypeRegistry, CORE_NODES, type NodeTypeRegistry } from './registry.ts';

/** Every node type the server runs: the core set plus the nodes with outside effects (code, HTTP). */
export function createFullNodeTypeRegistry(): NodeTypeRegistry {
  return createNodeTypeRegistry([...CORE_NODES]);
}
