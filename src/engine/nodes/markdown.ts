import { NodeHtmlMarkdown, type NodeHtmlMarkdownOptions } from 'node-html-markdown';
import showdown from 'showdown';
import { writePath } from '../field-paths.ts';
import { NodeOperationError, type NodeType, paired } from '../node-types.ts';
import type { JsonObject } from '../types.ts';

/** The HTML → Markdown options n8n offers, as node-html-markdown names them (the library n8n uses). */
const HTML_TO_MARKDOWN_OPTIONS = [
  'bulletMarker',
  'codeBlockStyle',
  'codeFence',
  'emDelimiter',
  'strongDelimiter',
  'keepDataImages',
  'maxConsecutiveNewlines',
  'useInlineLinks',
  'useLinkReferenceDefinitions',
] as const;

/** showdown's flags n8n offers for Markdown → HTML (showdown is the library n8n uses). */
const MARKDOWN_TO_HTML_OPTIONS = [
  'completeHTMLDocument',
  'customizedHeaderId',
  'emoji',
  'encodeEmails',
  'excludeTrailingPunctuationFromURLs',
  'ghCodeBlocks',
  'ghCompatibleHeaderId',
  'headerLevelStart',
  'literalMidWordUnderscores',
  'noHeaderId',
  'openLinksInNewWindow',
  'parseImgDimensions',
  'prefixHeaderId',
  'rawHeaderId',
  'rawPrefixHeaderId',
  'simpleLineBreaks',
  'simplifiedAutoLink',
  'splitAdjacentBlockquotes',
  'strikethrough',
  'tables',
  'tablesHeaderId',
  'tasklists',
  'underline',
] as const;

function pick<K extends string>(options: JsonObject, keys: readonly K[]): Partial<Record<K, unknown>> {
  return Object.fromEntries(keys.filter((key) => options[key] !== undefined).map((key) => [key, options[key]])) as Partial<
    Record<K, unknown>
  >;
}

/**
 * n8n's Markdown node (typeVersion 1): HTML to Markdown (the default mode, node-html-markdown) or Markdown to HTML
 * (showdown), with the result written to `destinationKey` (a dot path, default `data`) of a copy of each item.
 */
export const markdownNode: NodeType = {
  type: 'n8n-nodes-base.markdown',
  typeVersions: [1],
  operations: ['htmlToMarkdown', 'markdownToHtml'],
  async execute(ctx) {
    return [
      ctx.items.map((item, itemIndex) => {
        const mode = ctx.getParam<string>('mode', itemIndex, 'htmlToMarkdown');
        const options = ctx.getParam<JsonObject>('options', itemIndex, {}) ?? {};
        const destination = ctx.getParam<string>('destinationKey', itemIndex, 'data') || 'data';
        let result: string;
        if (mode === 'htmlToMarkdown') {
          const html = ctx.getParam<unknown>('html', itemIndex, '');
          result = NodeHtmlMarkdown.translate(
            String(html ?? ''),
            pick(options, HTML_TO_MARKDOWN_OPTIONS) as Partial<NodeHtmlMarkdownOptions>,
          );
        } else if (mode === 'markdownToHtml') {
          const markdown = ctx.getParam<unknown>('markdown', itemIndex, '');
          result = new showdown.Converter(pick(options, MARKDOWN_TO_HTML_OPTIONS) as showdown.ConverterOptions).makeHtml(
            String(markdown ?? ''),
          );
        } else {
          throw new NodeOperationError(`The Markdown mode "${mode}" is not supported (htmlToMarkdown or markdownToHtml)`, { itemIndex });
        }
        const json = structuredClone(item.json) as JsonObject;
        writePath(json, destination, result);
        return paired(json, itemIndex, item.binary);
      }),
    ];
  },
};
