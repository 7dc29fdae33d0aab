/**
 * The workflow model: the node, connection and settings shapes that the API validates, the diff engine edits and
 * the engine runs, defined once. Pure (zod only: no Fastify, no database), so every layer can import it; import it
 * from this file, which fixes the order the schemas are registered in (below).
 */

// biome-ignore-all assist/source/organizeImports: evaluation order is registration order, and the OpenAPI document lists components in it (Node, Connections, WorkflowSettings, as before the move)
export { NODE_KEYS, NodeSchema, type OnError, type WorkflowNode } from './nodes.ts';
export { type Connections, ConnectionsSchema, type ConnectionTarget, type StoredConnections } from './connections.ts';
export { SettingsSchema, type WorkflowSettings } from './settings.ts';
