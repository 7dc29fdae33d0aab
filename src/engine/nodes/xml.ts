import { Builder, Parser } from 'xml2js';
import { NodeOperationError, type NodeType } from '../node-types.ts';
import type { Item, JsonObject } from '../types.ts';

/** The most XML one item may carry (xml2js holds the whole document). */
const MAX_XML_CHARS = 32 * 1024 * 1024;

/**
 * n8n's XML node: XML text in `dataPropertyName` becomes the item's JSON (xml2js with n8n's defaults: attributes
 * merged, no arrays for single children), or the item's JSON becomes XML text in that property.
 */
export const xmlNode: NodeType = {
  type: 'n8n-nodes-base.xml',
  typeVersions: [1],
  operations: ['xmlToJson', 'jsonToxml'],
  async execute(ctx) {
    const output: Item[] = [];
    for (const [itemIndex, item] of ctx.items.entries()) {
      const mode = ctx.getParam<string>('mode', itemIndex, 'xmlToJson');
      const property = ctx.getParam<string>('dataPropertyName', itemIndex, 'data');
      const options = ctx.getParam<JsonObject>('options', itemIndex, {});
      if (mode === 'jsonToxml') {
        const builder = new Builder({
          attrkey: String(options.attrkey ?? '$'),
          charkey: String(options.charkey ?? '_'),
          cdata: options.cdata === true,
          headless: options.headless === true,
          ...(options.rootName ? { rootName: String(options.rootName) } : {}),
          allowSurrogateChars: options.allowSurrogateChars === true,
        });
        output.push({ json: { [property]: builder.buildObject(item.json) }, pairedItem: { item: itemIndex } });
        continue;
      }
      const text = item.json[property];
      if (typeof text !== 'string') {
        throw new NodeOperationError(`Item has no JSON property called '${property}'`, { itemIndex });
      }
      if (text.length > MAX_XML_CHARS) throw new NodeOperationError('The XML is larger than 32 MiB', { itemIndex });
      const parser = new Parser({
        async: true,
        attrkey: String(options.attrkey ?? '$'),
        charkey: String(options.charkey ?? '_'),
        explicitArray: options.explicitArray === true,
        explicitRoot: options.explicitRoot !== false,
        ignoreAttrs: options.ignoreAttrs === true,
        mergeAttrs: options.mergeAttrs !== false,
        normalize: options.normalize === true,
        normalizeTags: options.normalizeTags === true,
        trim: options.trim === true,
      });
      try {
        const json = (await parser.parseStringPromise(text)) as JsonObject;
        output.push({ json: json ?? {}, pairedItem: { item: itemIndex } });
      } catch (error) {
        throw new NodeOperationError(`The XML could not be read: ${(error as Error).message.split('\n')[0]}`, { itemIndex });
      }
    }
    return [output];
  },
};
