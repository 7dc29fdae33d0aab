import { describe, expect, it } from 'vitest';
import type { Item } from '../types.ts';
import { markdownNode } from './markdown.ts';
import { runNode } from './test-support.ts';

async function run(parameters: Record<string, unknown>, items: Item[] = [{ json: { keep: 1 } }]) {
  return (await runNode(markdownNode, { parameters: parameters as never, items })).result as Item[][];
}

describe('markdown', () => {
  it('turns HTML into Markdown (the default mode) into destinationKey, keeping the item', async () => {
    const [out] = await run({
      html: '<h1>Title</h1><p>Some <strong>bold</strong> and <a href="https://x.io">a link</a>.</p><ul><li>one</li><li>two</li></ul>',
    });
    expect(out).toEqual([
      { json: { keep: 1, data: '# Title\n\nSome **bold** and [a link](https://x.io).\n\n* one\n* two' }, pairedItem: { item: 0 } },
    ]);
    const [dashed] = await run({ html: '<ul><li>a</li></ul>', destinationKey: 'out.md', options: { bulletMarker: '-' } });
    expect(dashed![0]!.json).toEqual({ keep: 1, out: { md: '- a' } });
  });

  it('turns Markdown into HTML with showdown’s options', async () => {
    const [out] = await run({ mode: 'markdownToHtml', markdown: '# Hi\n\n*x* ~~y~~' });
    expect(out![0]!.json.data).toBe('<h1 id="hi">Hi</h1>\n<p><em>x</em> ~~y~~</p>');
    const [struck] = await run({ mode: 'markdownToHtml', markdown: '~~y~~', options: { strikethrough: true, noHeaderId: true } });
    expect(struck![0]!.json.data).toBe('<p><del>y</del></p>');
    await expect(run({ mode: 'rot13' })).rejects.toThrow(/not supported/);
  });
});
