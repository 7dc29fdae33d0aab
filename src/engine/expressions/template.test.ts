import { describe, expect, it } from 'vitest';
import { isPlainText, parseTemplate } from './template.ts';

describe('parseTemplate', () => {
  it('keeps plain text (with or without the leading =) as one text segment', () => {
    expect(parseTemplate('=hello world')).toEqual(['hello world']);
    expect(parseTemplate('no marker')).toEqual(['no marker']);
    expect(isPlainText(parseTemplate('=hello world'))).toBe(true);
  });

  it('turns a lone block into one trimmed code segment', () => {
    const segments = parseTemplate('={{   $json.n * 2   }}');
    expect(segments).toEqual([['$json.n * 2']]);
    expect(isPlainText(segments)).toBe(false);
  });

  it('splits text and blocks in order, including blocks next to each other', () => {
    expect(parseTemplate('=Hi {{ $json.name }}, you are {{$json.age}}!')).toEqual([
      'Hi ',
      ['$json.name'],
      ', you are ',
      ['$json.age'],
      '!',
    ]);
    expect(parseTemplate('={{ a }}{{ b }}')).toEqual([['a'], ['b']]);
    expect(parseTemplate('=}} then {{ a }}')).toEqual(['}} then ', ['a']]);
  });

  it('drops empty blocks and merges the text around them', () => {
    expect(parseTemplate('={{}}')).toEqual(['']);
    expect(parseTemplate('={{    }}')).toEqual(['']);
    expect(parseTemplate('=a{{ }}b')).toEqual(['ab']);
    expect(isPlainText(parseTemplate('=a{{ }}b'))).toBe(true);
  });

  it('keeps an unclosed {{ as literal text', () => {
    expect(parseTemplate('=price {{ $json.x')).toEqual(['price {{ $json.x']);
    expect(isPlainText(parseTemplate('=price {{ $json.x'))).toBe(true);
    expect(parseTemplate('=a {{ x }} b {{ y')).toEqual(['a ', ['x'], ' b {{ y']);
  });

  it('gives one empty text segment for an empty expression', () => {
    expect(parseTemplate('=')).toEqual(['']);
    expect(parseTemplate('')).toEqual(['']);
    expect(isPlainText(parseTemplate('='))).toBe(true);
  });

  it('returns the same (cached) result for the same expression', () => {
    const expression = '=cached {{ $json.v }}';
    expect(parseTemplate(expression)).toBe(parseTemplate(expression));
    expect(parseTemplate(expression)).toEqual(['cached ', ['$json.v']]);
  });
});
