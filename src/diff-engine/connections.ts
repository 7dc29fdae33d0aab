import type { Connections, ConnectionTarget } from '../workflow-model/index.ts';
import { OperationError } from './types.ts';

/*
 * A connection map comes from storage or from replaceConnections, and workflows imported from n8n may carry quirks
 * (a slot that is an object, an output that is not an array, an edge without `node`). The helpers here skip what
 * they cannot read instead of throwing a TypeError, and leave it as it was: the invariants report it.
 *
 * Keys are node names and output types, which callers choose: they are read as own properties only and written with
 * defineProperty, so a node named "__proto__" or "constructor" is a key like any other, not Object.prototype.
 */

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An edge the engine can follow: an object with a string `node` (its other fields are the invariants' concern). */
export const isEdge = (v: unknown): v is ConnectionTarget => isObject(v) && typeof v.node === 'string';

/** null, undefined and [] are empty slots (n8n stores both forms); anything else is kept. */
const isEmptySlot = (slot: unknown) => slot === null || slot === undefined || (Array.isArray(slot) && slot.length === 0);

const ownValue = (record: object, key: string): unknown =>
  Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined;

function setOwn(record: object, key: string, value: unknown) {
  Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
}

/** `source`'s outputs when they are an object of output types, else undefined (missing or malformed). */
export function outputsOf(connections: Connections, source: string): Record<string, unknown> | undefined {
  const outputs = ownValue(connections, source);
  return isObject(outputs) ? outputs : undefined;
}

/** The slots of `source`'s output `output` when they are an array, else undefined (missing or malformed). */
export function slotsOf(connections: Connections, source: string, output: string): unknown[] | undefined {
  const outputs = outputsOf(connections, source);
  const slots = outputs && ownValue(outputs, output);
  return Array.isArray(slots) ? slots : undefined;
}

/** Drops empty trailing slots, then empty outputs and sources; inner empty slots stay so IF/Switch indexes hold. */
export function tidy(connections: Connections, source: string) {
  const outputs = outputsOf(connections, source);
  if (!outputs) return;
  for (const [type, slots] of Object.entries(outputs)) {
    if (!Array.isArray(slots)) continue;
    while (slots.length && isEmptySlot(slots[slots.length - 1])) slots.pop();
    if (!slots.length) delete outputs[type];
  }
  if (!Object.keys(outputs).length) delete connections[source];
}

/** Removes every edge matching `match`; returns how many were removed. Malformed parts are never matched. */
export function removeEdges(
  connections: Connections,
  match: (source: string, output: string, index: number, edge: ConnectionTarget) => boolean,
): number {
  let removed = 0;
  for (const source of Object.keys(connections)) {
    const outputs = outputsOf(connections, source);
    if (!outputs) continue;
    for (const [output, slots] of Object.entries(outputs)) {
      if (!Array.isArray(slots)) continue;
      slots.forEach((slot, index) => {
        if (!Array.isArray(slot)) return;
        const kept = slot.filter((edge) => !isEdge(edge) || !match(source, output, index, edge));
        removed += slot.length - kept.length;
        slots[index] = kept;
      });
    }
    tidy(connections, source);
  }
  return removed;
}

/** Adds `edge` to `source`'s slot (output, index), padding the slots before it with empty ones. */
export function addEdge(connections: Connections, source: string, output: string, index: number, edge: ConnectionTarget) {
  const malformed = (what: string, expected: string) =>
    new OperationError(
      'STRUCTURAL_INTEGRITY',
      `Cannot connect from "${source}": ${what} in the stored connections is malformed (${expected}). Fix the connections with replaceConnections first.`,
    );
  if (ownValue(connections, source) === undefined) setOwn(connections, source, {});
  const outputs = outputsOf(connections, source);
  if (!outputs) throw malformed('its entry', 'it must be an object of output types');
  if (ownValue(outputs, output) === undefined) setOwn(outputs, output, []);
  const slots = slotsOf(connections, source, output);
  if (!slots) throw malformed(`output "${output}"`, 'it must be an array of slots');
  const slot = slots[index];
  if (slot !== undefined && slot !== null && !Array.isArray(slot))
    throw malformed(`output "${output}"[${index}]`, 'a slot must be an array or null');
  // The index is bounded (MAX_CONNECTION_INDEX) by the schema and resolveSlot, so this padding stays small.
  while (slots.length <= index) slots.push([]);
  if (!Array.isArray(slots[index])) slots[index] = [];
  (slots[index] as ConnectionTarget[]).push(edge);
}

/** Renames a node everywhere it appears in the connection map (source keys and edge targets, every output type). */
export function renameInConnections(connections: Connections, from: string, to: string) {
  if (Object.hasOwn(connections, from)) {
    setOwn(connections, to, connections[from]);
    delete connections[from];
  }
  for (const source of Object.keys(connections)) {
    for (const slots of Object.values(outputsOf(connections, source) ?? {})) {
      if (!Array.isArray(slots)) continue;
      for (const slot of slots) {
        if (!Array.isArray(slot)) continue;
        for (const edge of slot) if (isEdge(edge) && edge.node === from) edge.node = to;
      }
    }
  }
}
