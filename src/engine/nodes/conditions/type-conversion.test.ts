import { describe, expect, it } from 'vitest';
import { convertToType, parseJsonLeniently } from './type-conversion.ts';

describe('convertToType and parseJsonLeniently', () => {
  it('converts like n8n validateFieldType', () => {
    expect(convertToType('12', 'number')).toEqual({ valid: true, value: 12 });
    expect(convertToType('abc', 'number')).toEqual({ valid: false });
    expect(convertToType('TRUE', 'boolean')).toEqual({ valid: true, value: true });
    expect(convertToType('0', 'boolean')).toEqual({ valid: true, value: false });
    expect(convertToType('yes', 'boolean')).toEqual({ valid: false });
    expect(convertToType("['a', 'b']", 'array')).toEqual({ valid: true, value: ['a', 'b'] });
    expect(convertToType('{"a":1}', 'object')).toEqual({ valid: true, value: { a: 1 } });
    expect(convertToType('[1]', 'object')).toEqual({ valid: false });
    expect(convertToType({ a: 1 }, 'string')).toEqual({ valid: true, value: '{"a":1}' });
  });

  it('repairs JavaScript-ish object text', () => {
    expect(parseJsonLeniently("{ name: 'x', count: 2, }")).toEqual({ name: 'x', count: 2 });
    expect(() => parseJsonLeniently('{ not json')).toThrow();
  });
});
