import { assignOwn, ownValue, readPath, removePath, writePath } from '../field-paths.ts';
import { type NodeContext, NodeOperationError, type NodeType, paired } from '../node-types.ts';
import type { Item, JsonObject } from '../types.ts';
import { convertToType, parseJsonLeniently } from './conditions/type-conversion.ts';

/**
 * n8n-nodes-base.set ("Edit Fields"). Versions 3.x: manual mode (3.3+: `assignments.assignments`; 3.0–3.2:
 * `fields.values` with `stringValue`/`numberValue`/… entries) or raw mode (`jsonOutput`); other input fields
 * are kept per `include` (3.3+ only when `includeOtherFields`). Versions 1–2: `values.{boolean,number,string}`
 * and `keepOnlySet`.
 */

type Include = 'all' | 'none' | 'selected' | 'except';

interface SetOptions {
  dotNotation?: boolean;
  ignoreConversionErrors?: boolean;
  includeBinary?: boolean;
  stripBinary?: boolean;
}

interface ComposeSettings {
  include: Include;
  dotNotation: boolean;
  keepBinary: boolean;
}

const DEFAULT_JSON_OUTPUT = '{\n  "my_field_1": "value",\n  "my_field_2": 1\n}';

// ---------------------------------------------------------------------------------------------------------------
// Field paths: lodash-style (`a.b`, `a[0].b`, `a["b.c"]`) as n8n's Set uses lodash get/set/unset (field-paths.ts
// keeps every walk off prototypes)
// ---------------------------------------------------------------------------------------------------------------

type Container = Record<string, unknown>;

/** n8n's deepCopy: values with a toJSON (Date, Luxon DateTime) become what it returns. */
function copyJson<T>(value: T, seen = new WeakMap<object, unknown>()): T {
  if (value === null || typeof value !== 'object') return value;
  const serializable = value as { toJSON?: () => unknown };
  if (typeof serializable.toJSON === 'function') return serializable.toJSON() as T;
  const copied = seen.get(value);
  if (copied !== undefined) return copied as T;
  if (Array.isArray(value)) {
    const array: unknown[] = [];
    seen.set(value, array);
    for (const entry of value) array.push(copyJson(entry, seen));
    return array as T;
  }
  const object: Container = {};
  seen.set(value, object);
  for (const [key, entry] of Object.entries(value)) assignOwn(object, key, copyJson(entry, seen));
  return object as T;
}

/** Without dot notation a key is literal, except n8n also accepts it wrapped as `['key']` / `["key"]`. */
function literalKey(target: Container, key: string): string {
  if (ownValue(target, key) !== undefined) return key;
  const wrapped = (key.startsWith("['") && key.endsWith("']")) || (key.startsWith('["') && key.endsWith('"]'));
  return wrapped ? key.slice(2, -2) : key;
}

function writeField(target: Container, key: string, value: unknown, dotNotation: boolean): void {
  if (dotNotation) writePath(target, key, value);
  else assignOwn(target, literalKey(target, key), value);
}

function readField(target: Container, key: string, dotNotation: boolean): unknown {
  return dotNotation ? readPath(target, key) : ownValue(target, literalKey(target, key));
}

function removeField(target: Container, key: string, dotNotation: boolean): void {
  if (dotNotation) removePath(target, key);
  else if (Object.hasOwn(target, literalKey(target, key))) delete target[literalKey(target, key)];
}

// ---------------------------------------------------------------------------------------------------------------
// Field values
// ---------------------------------------------------------------------------------------------------------------

/** n8n's getValueDescription: how a value is shown in a type error. */
function describeValue(value: unknown): string {
  if (value === null) return "'null'";
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return `'${String(value)}'`;
}

/** A field's value converted to its declared type (n8n's validateEntry), or a NodeOperationError. */
function convertField(name: string, type: string, value: unknown, itemIndex: number, ignoreErrors: boolean, version: number): unknown {
  if (version >= 3.2 && (value === undefined || value === null)) return null;
  const description = `To fix the error try to change the type for the field "${name}" or activate the option “Ignore Type Conversion Errors” to apply a less strict type validation`;
  let input = value;
  if (type === 'string') {
    if (version > 3 && (value === undefined || value === null)) {
      if (ignoreErrors) return null;
      throw new NodeOperationError(`'${name}' expects a string but we got ${describeValue(value)} [item ${itemIndex}]`, {
        description,
        itemIndex,
      });
    }
    input = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  const result = convertToType(input, type);
  if (result.valid) return result.value ?? null;
  if (ignoreErrors) return input ?? null;
  throw new NodeOperationError(`'${name}' expects a ${type} but we got ${describeValue(input)} [item ${itemIndex}]`, {
    description,
    itemIndex,
  });
}

interface Assignment {
  name?: string;
  value?: unknown;
  type?: string;
}

/** 3.3+: `assignments.assignments: [{ name, value, type }]`. */
function assignedFields(ctx: NodeContext, itemIndex: number, ignoreErrors: boolean, version: number): JsonObject {
  const assignments = ctx.getParam<Assignment[]>('assignments.assignments', itemIndex, []) ?? [];
  const fields: JsonObject = {};
  for (const { name = '', value, type = 'string' } of assignments) {
    assignOwn(fields, name, convertField(name, type, value, itemIndex, ignoreErrors, version));
  }
  return fields;
}

/** What n8n fills into a 3.0–3.2 field entry that does not say (its parameter defaults). */
const FIELD_VALUE_DEFAULTS: Record<string, unknown> = {
  stringValue: '',
  numberValue: '',
  booleanValue: 'true',
  arrayValue: '',
  objectValue: {},
};

/** 3.0–3.2: `fields.values: [{ name, type: 'numberValue', numberValue }]`. */
function fixedCollectionFields(ctx: NodeContext, itemIndex: number, ignoreErrors: boolean, version: number): JsonObject {
  const entries = ctx.getParam<JsonObject[]>('fields.values', itemIndex, []) ?? [];
  const fields: JsonObject = {};
  for (const entry of entries) {
    const name = typeof entry.name === 'string' ? entry.name : '';
    const valueKey = typeof entry.type === 'string' ? entry.type : 'stringValue';
    const value = Object.hasOwn(entry, valueKey) ? entry[valueKey] : FIELD_VALUE_DEFAULTS[valueKey];
    assignOwn(fields, name, convertField(name, valueKey.replace('Value', ''), value, itemIndex, ignoreErrors, version));
  }
  return fields;
}

/** Raw mode: `jsonOutput` as JSON text or an already-parsed object. */
function jsonOutputFields(ctx: NodeContext, itemIndex: number): JsonObject {
  const jsonOutput = ctx.getParam<unknown>('jsonOutput', itemIndex, DEFAULT_JSON_OUTPUT);
  let parsed = jsonOutput;
  if (typeof jsonOutput === 'string') {
    try {
      parsed = parseJsonLeniently(jsonOutput);
    } catch {
      throw new NodeOperationError(`The 'JSON Output' in item ${itemIndex} contains invalid JSON`, { description: jsonOutput, itemIndex });
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new NodeOperationError(`The 'JSON Output' in item ${itemIndex} does not contain a valid JSON object`, { itemIndex });
  }
  return parsed as JsonObject;
}

// ---------------------------------------------------------------------------------------------------------------
// Output items
// ---------------------------------------------------------------------------------------------------------------

function commaList(value: unknown): string[] {
  return String(value ?? '')
    .split(',')
    .map((field) => field.trim())
    .filter((field) => field !== '');
}

function keptInputFields(ctx: NodeContext, input: Item, itemIndex: number, settings: ComposeSettings): JsonObject {
  const { include, dotNotation } = settings;
  switch (include) {
    case 'all':
      return copyJson(input.json);
    case 'none':
      return {};
    case 'selected': {
      const json: JsonObject = {};
      for (const key of commaList(ctx.getParam('includeFields', itemIndex, ''))) {
        const value = readField(input.json, key, dotNotation);
        if (value === undefined) continue;
        // a nested field is kept under its own name, not its path (n8n keeps `b` of `a.b`)
        const keyToSet = dotNotation && key.includes('.') ? (key.split('.').pop() ?? key) : key;
        writeField(json, keyToSet, copyJson(value), dotNotation);
      }
      return json;
    }
    case 'except': {
      const json = copyJson(input.json);
      for (const key of commaList(ctx.getParam('excludeFields', itemIndex, ''))) removeField(json, key, dotNotation);
      return json;
    }
  }
  throw new NodeOperationError(`The include option "${String(include)}" is not known!`, { itemIndex });
}

function composeItem(ctx: NodeContext, input: Item, itemIndex: number, fields: JsonObject, settings: ComposeSettings): Item {
  const json = keptInputFields(ctx, input, itemIndex, settings);
  for (const [key, value] of Object.entries(fields)) writeField(json, key, value, settings.dotNotation);
  const binary = settings.keepBinary && input.binary ? { ...input.binary } : undefined;
  return paired(json, itemIndex, binary);
}

function setItem(ctx: NodeContext, input: Item, itemIndex: number, mode: string): Item {
  const version = ctx.node.typeVersion;
  const options = ctx.getParam<SetOptions>('options', itemIndex, {}) ?? {};
  const include = ctx.getParam<Include>('include', itemIndex, 'all');
  const includeOtherFields = ctx.getParam<unknown>('includeOtherFields', itemIndex, false) === true;
  const effectiveInclude: Include = version >= 3.3 && !includeOtherFields ? 'none' : include;
  const settings: ComposeSettings = {
    include: effectiveInclude,
    dotNotation: options.dotNotation !== false,
    // before 3.4 binary was opt-in (an option that is only there when added); from 3.4 it is kept unless stripped
    keepBinary: version >= 3.4 ? !options.stripBinary && effectiveInclude !== 'none' : options.includeBinary === true,
  };
  const ignoreErrors = options.ignoreConversionErrors === true;
  let fields: JsonObject;
  if (mode === 'raw') fields = jsonOutputFields(ctx, itemIndex);
  else if (mode === 'manual')
    fields =
      version >= 3.3 ? assignedFields(ctx, itemIndex, ignoreErrors, version) : fixedCollectionFields(ctx, itemIndex, ignoreErrors, version);
  else throw new NodeOperationError(`The mode "${mode}" is not known`, { itemIndex });
  return composeItem(ctx, input, itemIndex, fields, settings);
}

// ---------------------------------------------------------------------------------------------------------------
// Versions 1 and 2
// ---------------------------------------------------------------------------------------------------------------

function legacyEntries(ctx: NodeContext, type: string, itemIndex: number): { name: string; value: unknown }[] {
  const entries = ctx.getParam<JsonObject[]>(`values.${type}`, itemIndex, []) ?? [];
  return entries.map((entry) => ({ name: typeof entry.name === 'string' ? entry.name : 'propertyName', value: entry.value }));
}

function legacySetItem(ctx: NodeContext, input: Item, itemIndex: number): Item {
  const keepOnlySet = ctx.getParam<unknown>('keepOnlySet', itemIndex, false) === true;
  const dotNotation = ctx.getParam<unknown>('options.dotNotation', itemIndex, true) !== false;
  const json: JsonObject = keepOnlySet ? {} : copyJson(input.json);
  for (const { name, value } of legacyEntries(ctx, 'boolean', itemIndex)) writeField(json, name, !!value, dotNotation);
  for (const { name, value = 0 } of legacyEntries(ctx, 'number', itemIndex)) {
    const numeric = ctx.node.typeVersion >= 2 && typeof value === 'string' && !Number.isNaN(Number(value));
    writeField(json, name, numeric ? Number(value) : value, dotNotation);
  }
  for (const { name, value = '' } of legacyEntries(ctx, 'string', itemIndex)) writeField(json, name, value, dotNotation);
  const binary = !keepOnlySet && input.binary ? { ...input.binary } : undefined;
  return paired(json, itemIndex, binary);
}

export const setNode: NodeType = {
  type: 'n8n-nodes-base.set',
  async execute(ctx) {
    if (ctx.node.typeVersion < 3) {
      // v1/v2 turn "no input" into one empty item, so a Set at the start of a branch still produces data
      const items = ctx.items.length > 0 ? ctx.items : [{ json: {} }];
      return [items.map((item, itemIndex) => legacySetItem(ctx, item, itemIndex))];
    }
    const mode = ctx.getParam<string>('mode', 0, 'manual');
    const duplicate = ctx.mode === 'manual' && ctx.getParam<unknown>('duplicateItem', 0, false) === true;
    const copies = duplicate ? Math.max(0, Number(ctx.getParam('duplicateCount', 0, 0)) || 0) + 1 : 1;
    const output: Item[] = [];
    for (const [itemIndex, input] of ctx.items.entries()) {
      const item = setItem(ctx, input, itemIndex, mode);
      output.push(item);
      for (let copy = 1; copy < copies; copy++) output.push({ ...item, json: copyJson(item.json) });
    }
    return [output];
  },
};
