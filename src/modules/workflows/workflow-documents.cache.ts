import { LRUCache } from 'lru-cache';
import { RawJson } from '../../lib/raw-json.ts';
import type { JsonColumns } from './workflows.types.ts';

export type WorkflowDocuments = Record<JsonColumns, RawJson>;

/**
 * A workflow's JSON documents as PostgreSQL's text, kept per process so a list page need not read them again.
 * Correct across instances by construction: the key is the row's versionId and updatedAt, and every write of a
 * document column (workflows.repository update) sets a new version and updatedAt, so a changed workflow is simply
 * a key nobody asks for any more; LRU eviction bounds the memory.
 */
export function createWorkflowDocumentCache(options: { maxBytes: number }) {
  const cache =
    options.maxBytes > 0
      ? new LRUCache<string, WorkflowDocuments>({
          maxSize: options.maxBytes,
          // UTF-16 code units, about what the strings hold in memory.
          sizeCalculation: (docs) => Object.values(docs).reduce((sum, doc) => sum + doc.text.length * 2, 0) || 1,
        })
      : undefined;
  const keyOf = (w: { id: string; versionId: string; updatedAt: Date }) => `${w.id}:${w.versionId}:${w.updatedAt.getTime()}`;
  return {
    enabled: cache !== undefined,
    keyOf,
    get: (key: string) => cache?.get(key),
    /**
     * Keeps the documents compacted: jsonb's text puts a space after every colon and comma, which every later
     * answer would carry; parsing once per version is cheap against sending those bytes on every list.
     */
    set(key: string, docs: WorkflowDocuments) {
      if (!cache) return;
      const compact = (doc: RawJson) => new RawJson(JSON.stringify(JSON.parse(doc.text)));
      cache.set(key, {
        nodes: compact(docs.nodes),
        connections: compact(docs.connections),
        nodeGroups: compact(docs.nodeGroups),
        settings: compact(docs.settings),
        staticData: compact(docs.staticData),
        pinData: compact(docs.pinData),
        meta: compact(docs.meta),
      });
    },
  };
}

export type WorkflowDocumentCache = ReturnType<typeof createWorkflowDocumentCache>;
