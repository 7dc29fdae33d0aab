import { DateTime } from 'luxon';
import type { BinaryData, Item, JsonObject } from '../../engine/types.ts';
import { binaryOfReceived, type ReceivedFile } from '../triggers/webhook-body.ts';

/** One field of n8n's `formFields.values`, as workflows store it. */
export interface FormField {
  fieldLabel?: string;
  fieldName?: string;
  fieldType?: string;
  placeholder?: string;
  requiredField?: boolean;
  fieldOptions?: { values?: { option?: string }[] };
  multiselect?: boolean;
  multipleFiles?: boolean;
  acceptFileTypes?: string;
  formatDate?: string;
  fieldValue?: string;
  html?: string;
  elementName?: string;
  defaultValue?: string;
}

/** A submission that is not what the form asks for: the page says so and nothing runs. */
export class FormInputError extends Error {}

/** The fields of a Form Trigger or Form node (n8n: `formFields.values`), with n8n's older type names mapped. */
export function formFieldsOf(parameters: JsonObject): FormField[] {
  const values = (parameters.formFields as { values?: unknown } | undefined)?.values;
  if (!Array.isArray(values)) return [];
  return values
    .filter((field): field is FormField => !!field && typeof field === 'object')
    .map((field) => ({ ...field, fieldType: TYPE_ALIASES[field.fieldType ?? 'text'] ?? field.fieldType ?? 'text' }));
}

const TYPE_ALIASES: Record<string, string> = { string: 'text', select: 'dropdown' };

/** The name a field's value has in the item: its label, or a hidden field's name (n8n's getFieldIdentifier). */
export function fieldKey(field: FormField, index: number): string {
  if (field.fieldType === 'hiddenField') return field.fieldName || field.fieldLabel || `field-${index}`;
  return field.fieldLabel || field.fieldName || `field-${index}`;
}

/** The form's choices for a field with options (dropdown, checkbox, radio). */
export function optionsOf(field: FormField): string[] {
  return (field.fieldOptions?.values ?? []).map((entry) => String(entry?.option ?? '')).filter(Boolean);
}

/**
 * A submission as n8n's form nodes output it: each field under its label (numbers as numbers, lists for
 * multi-choice fields, file fields as `{filename, mimetype, size}`), the files as binary properties named after
 * their label, `submittedAt` and `formMode`. Posted fields are `field-<index>`, as n8n's form posts them.
 */
export function submissionItem(input: {
  fields: FormField[];
  body: Record<string, unknown>;
  files: ReceivedFile[];
  submittedAt: DateTime;
  query?: Record<string, unknown>;
}): Item {
  const json: JsonObject = {};
  const binary: Record<string, BinaryData> = {};
  for (const [index, field] of input.fields.entries()) {
    const key = fieldKey(field, index);
    const posted = input.body[`field-${index}`];
    if (field.fieldType === 'html') {
      if (field.elementName) json[field.elementName] = field.html ?? '';
      continue;
    }
    if (field.fieldType === 'file') {
      const files = input.files.filter((file) => file.field === `field-${index}` && file.size > 0 && file.fileName);
      if (field.requiredField && !files.length) throw new FormInputError(`${key} is required`);
      const described = files.map((file) => ({ filename: file.fileName, mimetype: file.mimeType, size: file.size }));
      json[key] = files.length ? (field.multipleFiles ? described : described[0]!) : null;
      const propertyName = key.replace(/\W/g, '_');
      files.forEach((file, fileIndex) => {
        binary[files.length > 1 || field.multipleFiles ? `${propertyName}_${fileIndex}` : propertyName] = binaryOfReceived(file);
      });
      continue;
    }
    json[key] = fieldValue(field, key, posted);
  }
  json.submittedAt = input.submittedAt.toISO();
  json.formMode = 'production';
  if (input.query && Object.keys(input.query).length) json.formQueryParameters = input.query;
  return Object.keys(binary).length ? { json, binary } : { json };
}

function fieldValue(field: FormField, key: string, posted: unknown): unknown {
  const many = field.fieldType === 'checkbox' || (field.fieldType === 'dropdown' && field.multiselect);
  const values = (Array.isArray(posted) ? posted : posted === undefined ? [] : [posted]).map((v) => String(v));
  const present = values.filter((v) => v !== '');
  if (field.requiredField && !present.length) throw new FormInputError(`${key} is required`);
  if (field.fieldType === 'hiddenField') return values[0] ?? field.fieldValue ?? '';
  if (many) {
    // n8n posts multi-choice values as a JSON list; a plain form posts the field once per choice.
    const list = present.length === 1 && present[0]!.startsWith('[') ? parseList(present[0]!) : present;
    checkChoices(field, key, list);
    return list;
  }
  if (posted === undefined) return null;
  const value = values[0] ?? '';
  if (field.fieldType === 'dropdown' || field.fieldType === 'radio') {
    if (value) checkChoices(field, key, [value]);
    return value;
  }
  if (field.fieldType === 'number') {
    if (value === '') return null;
    const number = Number(value);
    if (!Number.isFinite(number)) throw new FormInputError(`${key} must be a number`);
    return number;
  }
  if (field.fieldType === 'date' && value && field.formatDate) {
    const date = DateTime.fromFormat(value, 'yyyy-MM-dd');
    if (!date.isValid) throw new FormInputError(`${key} must be a date`);
    return date.toFormat(field.formatDate);
  }
  if (field.fieldType === 'text' || field.fieldType === 'email') return value.trim();
  return value;
}

function parseList(text: string): string[] {
  try {
    const parsed = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.map(String) : [text];
  } catch {
    return [text];
  }
}

/** A choice the form did not offer is refused (a hand-made POST cannot smuggle values in). */
function checkChoices(field: FormField, key: string, chosen: string[]): void {
  const offered = new Set(optionsOf(field));
  if (!offered.size) return;
  const stray = chosen.find((value) => !offered.has(value));
  if (stray !== undefined) throw new FormInputError(`${key}: "${stray}" is not one of the choices`);
}
