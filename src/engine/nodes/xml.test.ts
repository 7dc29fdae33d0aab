import { describe, expect, it } from 'vitest';
import { jsonOf, runNode } from './test-support.ts';
import { xmlNode } from './xml.ts';

describe('XML node', () => {
  it('turns XML into JSON with n8n’s defaults: attributes merged, single children not in lists, the root kept', async () => {
    const xml = '<feed lang="en"><entry id="1"><title>First</title></entry><entry id="2"><title>Second</title></entry><empty/></feed>';
    const { result } = await runNode(xmlNode, { parameters: {}, items: [{ json: { data: xml } }] });
    expect(jsonOf(result)).toEqual([
      {
        feed: {
          lang: 'en',
          entry: [
            { id: '1', title: 'First' },
            { id: '2', title: 'Second' },
          ],
          empty: '',
        },
      },
    ]);
    const explicit = await runNode(xmlNode, {
      parameters: { options: { explicitArray: true, mergeAttrs: false, explicitRoot: false } },
      items: [{ json: { data: '<a x="1"><b>t</b></a>' } }],
    });
    expect(jsonOf(explicit.result)).toEqual([{ $: { x: '1' }, b: ['t'] }]);
  });

  it('turns JSON into XML, and names a missing property and bad XML', async () => {
    const { result } = await runNode(xmlNode, {
      parameters: { mode: 'jsonToxml', options: { headless: true } },
      items: [{ json: { order: { id: 7, item: ['a', 'b'] } } }],
    });
    expect(jsonOf(result)).toEqual([{ data: '<order>\n  <id>7</id>\n  <item>a</item>\n  <item>b</item>\n</order>' }]);
    await expect(runNode(xmlNode, { parameters: {}, items: [{ json: {} }] })).rejects.toThrow("Item has no JSON property called 'data'");
    await expect(runNode(xmlNode, { parameters: {}, items: [{ json: { data: '<a><b></a>' } }] })).rejects.toThrow(
      /^The XML could not be read: /,
    );
  });
});
