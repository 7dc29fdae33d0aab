import { z } from 'zod';

/** Where one edge goes: input `index` of connection type `type` (`main`, `ai_tool`, …) on the node named `node`. */
export interface ConnectionTarget {
  node: string;
  type: string;
  index: number;
}

/**
 * The well-formed connection map, `connections[sourceName][type][outputIndex]` → targets (null or []: an empty
 * slot, kept so later output indexes hold). The engine walks this shape (engine/connections.ts builds it from a
 * stored map) and the diff engine edits it.
 */
export type Connections = Record<string, Record<string, (ConnectionTarget[] | null)[]>>;

/**
 * n8n's schema for connections is "an object": `{ [sourceNodeName]: { [connectionType]: Array<Array<{ node,
 * type, index }> | null> } }` by convention, but exported workflows carry other shapes too, and n8n stores them
 * as sent. So does flowgate; the structure checks (workflow-structure.ts) read the well-formed part, and the
 * engine ignores the rest.
 */
export const ConnectionsSchema = z.record(z.string(), z.unknown()).meta({ id: 'Connections' });

/**
 * A connection map as accepted and stored: any object. Every `Connections` is one; the other way round, readers
 * take the well-formed part (forEachEdge, runnableConnections) or tolerate the rest (the diff engine's helpers).
 */
export type StoredConnections = z.output<typeof ConnectionsSchema>;
