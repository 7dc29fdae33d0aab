import { describe, expect, it } from 'vitest';
import type { Item } from '../types.ts';
import { htmlNode } from './html.ts';
import { runNode } from './test-support.ts';

const page = `<html><body>
  <h1>  Prices  </h1>
  <ul class="items">
    <li data-sku="a1"><a href="/a">Apple</a> <span class="price">1.20</span></li>
    <li data-sku="b2"><a href="/b">Banana</a> <span class="price">0.50</span></li>
  </ul>
  <p class="intro">Fresh
     fruit,   every   day <script>track()</script></p>
  <input name="q" value="fruit" />
</body></html>`;

async function run(parameters: Record<string, unknown>, items: Item[] = [{ json: { data: page } }]) {
  return (await runNode(htmlNode, { parameters: parameters as never, items })).result as Item[][];
}

describe('html', () => {
  it('extracts by CSS selector: text (cleaned and trimmed), HTML, attributes, form values, one match or all', async () => {
    const [out] = await run({
      operation: 'extractHtmlContent',
      extractionValues: {
        values: [
          { key: 'title', cssSelector: 'h1' },
          { key: 'names', cssSelector: 'li a', returnArray: true },
          { key: 'links', cssSelector: 'li a', returnValue: 'attribute', attribute: 'href', returnArray: true },
          { key: 'firstItem', cssSelector: 'li', returnValue: 'html' },
          { key: 'intro', cssSelector: 'p.intro', skipSelectors: 'script' },
          { key: 'query', cssSelector: 'input[name=q]', returnValue: 'value' },
          { key: 'missing', cssSelector: '.nope' },
        ],
      },
    });
    expect(out).toEqual([
      {
        json: {
          title: 'Prices',
          names: ['Apple', 'Banana'],
          links: ['/a', '/b'],
          firstItem: '<a href="/a">Apple</a> <span class="price">1.20</span>',
          intro: 'Fresh\nfruit, every day',
          query: 'fruit',
          missing: null,
        },
        pairedItem: { item: 0 },
      },
    ]);
  });

  it('reads the HTML from another property or from binary data, and says when it is not there', async () => {
    const binary = { file: { data: Buffer.from('<b>bold</b>').toString('base64'), mimeType: 'text/html' } };
    const [fromBinary] = await run(
      {
        operation: 'extractHtmlContent',
        sourceData: 'binary',
        dataPropertyName: 'file',
        extractionValues: { values: [{ key: 'b', cssSelector: 'b' }] },
      },
      [{ json: {}, binary }],
    );
    expect(fromBinary![0]!.json).toEqual({ b: 'bold' });
    await expect(run({ operation: 'extractHtmlContent', dataPropertyName: 'body', extractionValues: { values: [] } })).rejects.toThrow(
      /no JSON property called "body"/,
    );
  });

  it('generates HTML per item (the default operation) and converts items into one table, escaping values', async () => {
    const [generated] = await run({ html: '<p>hi</p>' }, [{ json: {} }, { json: {} }]);
    expect(generated!.map((i) => i.json)).toEqual([{ html: '<p>hi</p>' }, { html: '<p>hi</p>' }]);
    const [tabled] = await run({ operation: 'convertToHtmlTable', options: { capitalize: true, tableAttributes: 'class="t"' } }, [
      { json: { name: 'A & B', qty: 2 } },
      { json: { name: '<script>', note: 'x' } },
    ]);
    expect(tabled).toEqual([
      {
        json: {
          table:
            '<table class="t"><thead><tr><th>Name</th><th>Qty</th><th>Note</th></tr></thead><tbody><tr><td>A &amp; B</td><td>2</td><td></td></tr><tr><td>&lt;script&gt;</td><td></td><td>x</td></tr></tbody></table>',
        },
        pairedItem: { item: 0 },
      },
    ]);
  });
});
