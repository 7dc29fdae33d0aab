import { LRUCache } from 'lru-cache';
import { jsonTextOrNull, RawJson, rawJsonOrNull } from '../../lib/raw-json.ts';
import type { DocumentTexts, JsonColumns, WorkflowRecord } from './workflows.types.ts';

export type WorkflowDocuments = Record<JsonColumns, RawJson>;
export type DocumentValues = Pick<WorkflowRecord, JsonColumns>;

interface Entry {
  texts: WorkflowDocuments;
  /**
   * The same documents as values, deep-frozen, with the xmin of the row this process wrote them to: handed to the
   * next edit without a copy while the row is still that one.
   */
  written?: { values: DocumentValues; rowVersion: string };
}

// Parsed documents take several times their text's memory; the estimate only has to keep the bound honest.
const VALUES_SIZE_FACTOR = 4;

/**
 * The JSON text of each node object the cache has frozen. Edits copy on write (see the diff engine), so a node
 * an edit did not touch is the very object of the version before, and its text need not be produced again.
 */
const nodeTexts = new WeakMap<object, string>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * A workflow's JSON documents, kept per process: as PostgreSQL's text, so a list page need not read them again,
 * and as values, so an edit need not read or parse them again. Correct across instances by construction: the key
 * is the row's versionId and updatedAt, and every write of a document column (workflows.repository update) sets
 * a new version and updatedAt, so a changed workflow is simply a key nobody asks for any more. Edits ask more: the
 * values they take must come from this process's own write of the row as it still is (its xmin), so even a write
 * from outside the server is never overwritten with what the cache held. LRU eviction bounds the memory.
 */
export function createWorkflowDocumentCache(options: { maxBytes: number }) {
  const cache =
    options.maxBytes > 0
      ? new LRUCache<string, Entry>({
          maxSize: options.maxBytes,
          // UTF-16 code units, about what the strings hold in memory, and an estimate for the parsed values.
          sizeCalculation: (entry) =>
            (Object.values(entry.texts).reduce((sum, doc) => sum + doc.text.length * 2, 0) || 1) *
            (entry.written ? 1 + VALUES_SIZE_FACTOR : 1),
        })
      : undefined;
  const keyOf = (w: { id: string; versionId: string; updatedAt: Date }) => `${w.id}:${w.versionId}:${w.updatedAt.getTime()}`;
  return {
    enabled: cache !== undefined,
    keyOf,
    get: (key: string) => cache?.get(key)?.texts,
    /**
     * Keeps the documents compacted: jsonb's text puts a space after every colon and comma, which every later
     * answer would carry; parsing once per version is cheap against sending those bytes on every list.
     */
    set(key: string, docs: WorkflowDocuments) {
      if (!cache) return;
      const compact = (doc: RawJson) => new RawJson(JSON.stringify(JSON.parse(doc.text)));
      cache.set(key, {
        texts: {
          nodes: compact(docs.nodes),
          connections: compact(docs.connections),
          nodeGroups: compact(docs.nodeGroups),
          settings: compact(docs.settings),
          staticData: compact(docs.staticData),
          pinData: compact(docs.pinData),
          meta: compact(docs.meta),
        },
      });
    },
    /**
     * The documents as the JSON text to write. Each node is frozen with its text remembered, so the next edit of
     * this version, which keeps the node objects it does not touch, serializes only the ones it changed.
     */
    serialize(values: DocumentValues): DocumentTexts {
      const nodes = values.nodes.map((node) => {
        const known = nodeTexts.get(node);
        if (known !== undefined) return known;
        const text = JSON.stringify(node);
        if (cache) nodeTexts.set(deepFreeze(node), text);
        return text;
      });
      return {
        nodes: `[${nodes.join(',')}]`,
        connections: jsonTextOrNull(values.connections),
        nodeGroups: jsonTextOrNull(values.nodeGroups),
        settings: jsonTextOrNull(values.settings),
        staticData: jsonTextOrNull(values.staticData),
        pinData: jsonTextOrNull(values.pinData),
        meta: jsonTextOrNull(values.meta),
      };
    },
    /** Documents just written to the row now at `rowVersion`: `texts` is serialize's output for `values`. Freezes them. */
    setWritten(key: string, texts: DocumentTexts, values: DocumentValues, rowVersion: string) {
      if (!cache) return;
      const docs = {} as WorkflowDocuments;
      const kept = {} as Record<JsonColumns, unknown>;
      for (const column of Object.keys(texts) as JsonColumns[]) {
        docs[column] = rawJsonOrNull(texts[column]);
        kept[column] = values[column];
      }
      cache.set(key, { texts: docs, written: { values: deepFreeze(kept as DocumentValues), rowVersion } });
    },
    /**
     * The documents this process wrote, as deep-frozen values (whoever changes them must copy, as edits do), if the
     * row is still at `rowVersion`; otherwise nothing, and the caller reads the row.
     */
    values(key: string, rowVersion: string): DocumentValues | undefined {
      const written = cache?.get(key)?.written;
      return written?.rowVersion === rowVersion ? written.values : undefined;
    },
  };
}

export type WorkflowDocumentCache = ReturnType<typeof createWorkflowDocumentCache>;
