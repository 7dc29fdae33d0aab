import { assignOwn, fieldList, ownValue, readField, readPath, writePath } from '../field-paths.ts';
import { NodeOperationError, type NodeType } from '../node-types.ts';
import type { BinaryData, Item, JsonObject } from '../types.ts';

interface FieldToAggregate {
  fieldToAggregate?: string;
  renameField?: boolean;
  outputFieldName?: string;
}

interface IndividualFieldsSettings {
  fields: FieldToAggregate[];
  disableDotNotation: boolean;
  mergeLists: boolean;
  keepMissing: boolean;
}

interface Group {
  values: unknown[];
  indexes: number[];
}

/** Combines many items into one: a list per field (`aggregateIndividualFields`) or all item data in one list. */
export const aggregateNode: NodeType = {
  type: 'n8n-nodes-base.aggregate',
  async execute(ctx) {
    const items = ctx.items;
    const aggregate = ctx.getParam<string>('aggregate', 0, 'aggregateIndividualFields');
    const groupByFields = fieldList(ctx.getParam('options.groupByFields', 0, ''), 'Group By Fields');
    const includeBinaries = ctx.getParam<unknown>('options.includeBinaries', 0, false) === true;
    const keepOnlyUnique = ctx.getParam<unknown>('options.keepOnlyUnique', 0, false) === true;
    const withBinaries = (item: Item, indexes: number[]): Item =>
      includeBinaries
        ? addBinaries(
            item,
            indexes.map((index) => items[index] as Item),
            keepOnlyUnique,
          )
        : item;

    if (aggregate === 'aggregateAllItemData') {
      const destination = String(ctx.getParam('destinationFieldName', 0, 'data'));
      const select = fieldSelector(ctx.getParam<string>('include', 0, 'allFields'), (name, label) =>
        fieldList(ctx.getParam(name, 0, ''), label),
      );
      if (groupByFields.length === 0) {
        const kept = items.map((item, index) => ({ json: select(item.json), index })).filter(({ json }) => json !== undefined);
        const output: Item = {
          json: { [destination]: kept.map(({ json }) => json) },
          pairedItem: kept.map(({ index }) => ({ item: index })),
        };
        return [
          [
            withBinaries(
              output,
              kept.map(({ index }) => index),
            ),
          ],
        ];
      }
      const conflict = groupByFields.find((field) => pathsOverlap(destination, field));
      if (conflict) {
        throw new NodeOperationError(`The destination field '${destination}' conflicts with a Group By field '${conflict}'`, {
          description: 'Please choose a different destination field name or Group By field',
        });
      }
      return [
        groupItems(items, groupByFields).map((group) => {
          const json = groupKeyJson(groupByFields, group.values);
          const selected = group.indexes.map((index) => select((items[index] as Item).json)).filter((entry) => entry !== undefined);
          assignOwn(json, destination, selected);
          return withBinaries({ json, pairedItem: { item: group.indexes[0] as number } }, group.indexes);
        }),
      ];
    }

    const settings: IndividualFieldsSettings = {
      fields: ctx.getParam<FieldToAggregate[]>('fieldsToAggregate.fieldToAggregate', 0, []),
      disableDotNotation: ctx.getParam<unknown>('options.disableDotNotation', 0, false) === true,
      mergeLists: ctx.getParam<unknown>('options.mergeLists', 0, false) === true,
      keepMissing: ctx.getParam<unknown>('options.keepMissing', 0, false) === true,
    };
    if (!Array.isArray(settings.fields) || settings.fields.length === 0) {
      throw new NodeOperationError('No fields specified', { description: 'Please add a field to aggregate' });
    }
    checkOutputNames(settings, groupByFields);
    if (groupByFields.length === 0) {
      const indexes = items.map((_, index) => index);
      const json = aggregateFields(
        items.map((item) => item.json),
        settings,
        {},
      );
      return [[withBinaries({ json, pairedItem: indexes.map((item) => ({ item })) }, indexes)]];
    }
    return [
      groupItems(items, groupByFields).map((group) => {
        const json = aggregateFields(
          group.indexes.map((index) => (items[index] as Item).json),
          settings,
          groupKeyJson(groupByFields, group.values),
        );
        return withBinaries({ json, pairedItem: { item: group.indexes[0] as number } }, group.indexes);
      }),
    ];
  },
};

function outputNameOf(field: FieldToAggregate, disableDotNotation: boolean): string {
  const input = field.fieldToAggregate ?? '';
  if (field.renameField && field.outputFieldName) return field.outputFieldName;
  return !disableDotNotation && input.includes('.') ? (input.split('.').pop() as string) : input;
}

function checkOutputNames(settings: IndividualFieldsSettings, groupByFields: string[]): void {
  const seen = new Set<string>();
  for (const field of settings.fields) {
    const outputName = outputNameOf(field, settings.disableDotNotation);
    // Without grouping n8n compares the names as configured (so `a.x` and `b.x` may share the output `x`).
    const key = groupByFields.length ? outputName : field.renameField ? (field.outputFieldName ?? '') : (field.fieldToAggregate ?? '');
    if (seen.has(key)) {
      throw new NodeOperationError(`The '${key}' output field is used more than once`, {
        description: 'Please make sure each output field name is unique',
      });
    }
    seen.add(key);
    const conflict = groupByFields.find((groupField) => pathsOverlap(outputName, groupField));
    if (conflict) {
      throw new NodeOperationError(`The output field '${outputName}' conflicts with a Group By field '${conflict}'`, {
        description: 'Please rename the aggregated field or choose a different Group By field',
      });
    }
  }
}

function aggregateFields(jsons: JsonObject[], settings: IndividualFieldsSettings, into: JsonObject): JsonObject {
  for (const field of settings.fields) {
    const input = field.fieldToAggregate ?? '';
    if (input === '') continue;
    const list: unknown[] = [];
    for (const json of jsons) {
      let value = readField(json, input, settings.disableDotNotation);
      if (!settings.keepMissing) {
        if (Array.isArray(value)) value = value.filter((entry) => entry !== null);
        else if (value === null || value === undefined) continue;
      }
      if (Array.isArray(value) && settings.mergeLists) list.push(...value);
      else list.push(value ?? null);
    }
    const outputName = outputNameOf(field, settings.disableDotNotation);
    if (settings.disableDotNotation) assignOwn(into, outputName, list);
    else writePath(into, outputName, list);
  }
  return into;
}

/** Picks the fields `include` asks for; an item left with no field is dropped (undefined), as n8n does. */
function fieldSelector(
  include: string,
  listParam: (name: string, label: string) => string[],
): (json: JsonObject) => JsonObject | undefined {
  const included = include === 'specifiedFields' ? listParam('fieldsToInclude', 'Fields To Include') : [];
  const excluded = include === 'allFieldsExcept' ? listParam('fieldsToExclude', 'Fields To Exclude') : [];
  if (included.length === 0 && excluded.length === 0) return (json) => json;
  return (json) => {
    const picked: JsonObject = {};
    for (const [key, value] of Object.entries(json)) {
      if (excluded.includes(key)) continue;
      if (included.length && !included.includes(key)) continue;
      assignOwn(picked, key, value);
    }
    return Object.keys(picked).length ? picked : undefined;
  };
}

function groupItems(items: Item[], groupByFields: string[]): Group[] {
  const groups = new Map<string, Group>();
  items.forEach((item, index) => {
    const values = groupByFields.map((field) => {
      const value = readPath(item.json, field);
      if (typeof value === 'object' && value !== null) {
        throw new NodeOperationError(`Field "${field}" has a non-scalar value which cannot be used for grouping.`, {
          description: 'Only scalar values (string, number, boolean, null) can be used in "Group By Fields".',
        });
      }
      return value;
    });
    const key = JSON.stringify(values);
    const group = groups.get(key) ?? { values, indexes: [] };
    group.indexes.push(index);
    groups.set(key, group);
  });
  return [...groups.values()];
}

function groupKeyJson(groupByFields: string[], values: unknown[]): JsonObject {
  const json: JsonObject = {};
  groupByFields.forEach((field, index) => {
    writePath(json, field, values[index]);
  });
  return json;
}

/** Whether one dot path is the other or an ancestor of it (`user` and `user.name`). */
function pathsOverlap(a: string, b: string): boolean {
  const [shorter, longer] = [a.split('.'), b.split('.')].sort((x, y) => x.length - y.length) as [string[], string[]];
  return shorter.every((segment, index) => segment === longer[index]);
}

/** Binaries of all aggregated items, renaming clashing keys `key_1`, `key_2`… */
function addBinaries(item: Item, sources: Item[], uniqueOnly: boolean): Item {
  const binary: Record<string, BinaryData> = {};
  const seen: BinaryData[] = [];
  for (const source of sources) {
    for (const [key, data] of Object.entries(source.binary ?? {})) {
      if (uniqueOnly) {
        if (seen.some((other) => sameFile(other, data))) continue;
        seen.push(data);
      }
      let name = key;
      for (let suffix = 1; ownValue(binary, name) !== undefined; suffix++) name = `${key}_${suffix}`;
      assignOwn(binary as Record<string, unknown>, name, data);
    }
  }
  return Object.keys(binary).length ? { ...item, binary } : item;
}

function sameFile(a: BinaryData, b: BinaryData): boolean {
  const fileType = (data: BinaryData) => (data as unknown as JsonObject).fileType;
  return a.mimeType === b.mimeType && fileType(a) === fileType(b) && a.fileSize === b.fileSize && a.fileExtension === b.fileExtension;
}
