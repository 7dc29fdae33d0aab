import sharp, { type FormatEnum, type Metadata, type Sharp } from 'sharp';
import { binaryProperty } from '../../binary-data.ts';
import { type NodeContext, NodeOperationError, type NodeType, supportedOperation } from '../../node-types.ts';
import type { Item, JsonObject } from '../../types.ts';

const OPERATIONS = ['border', 'crop', 'resize', 'rotate', 'blur', 'information', 'multiStep'];
/** Larger images are refused before decoding (a small file can claim billions of pixels). */
const MAX_PIXELS = 100_000_000;
const FORMATS: Record<string, keyof FormatEnum> = {
  bmp: 'png',
  gif: 'gif',
  jpeg: 'jpeg',
  png: 'png',
  tiff: 'tiff',
  webp: 'webp',
  WebP: 'webp',
};

type Step = JsonObject & { operation?: string };

function applyStep(image: Sharp, metadata: Metadata, step: Step, itemIndex: number): Sharp {
  const number = (name: string, fallback: number) => {
    const value = Number(step[name] ?? fallback);
    if (!Number.isFinite(value) || value < 0) throw new NodeOperationError(`"${name}" must be a number of 0 or more`, { itemIndex });
    return Math.round(value);
  };
  switch (step.operation ?? 'border') {
    case 'border': {
      const x = number('borderWidth', 10);
      const y = number('borderHeight', 10);
      return image.extend({ top: y, bottom: y, left: x, right: x, background: String(step.borderColor ?? '#000000') });
    }
    case 'crop':
      return image.extract({
        left: number('positionX', 0),
        top: number('positionY', 0),
        width: number('width', 500),
        height: number('height', 500),
      });
    case 'resize': {
      const width = number('width', 500);
      const height = number('height', 500);
      const option = String(step.resizeOption ?? 'maximumArea');
      if (option === 'percent') {
        return image.resize(
          Math.max(1, Math.round(((metadata.width ?? 0) * width) / 100)),
          Math.max(1, Math.round(((metadata.height ?? 0) * height) / 100)),
          { fit: 'fill' },
        );
      }
      const fit = option === 'ignoreAspectRatio' ? 'fill' : option === 'minimumArea' ? 'outside' : 'inside';
      return image.resize(width, height, {
        fit,
        ...(option === 'onlyIfLarger' ? { withoutEnlargement: true } : {}),
        ...(option === 'onlyIfSmaller' ? { withoutReduction: true } : {}),
      });
    }
    case 'rotate':
      return image.rotate(Number(step.rotate ?? 0), { background: String(step.backgroundColor ?? '#ffffffff') });
    case 'blur':
      return image.blur(Math.max(0.3, Number(step.sigma ?? step.blur ?? 5)));
    default:
      throw new NodeOperationError(`The Edit Image operation "${step.operation}" is not supported by this server`, { itemIndex });
  }
}

/**
 * n8n's Edit Image node with sharp (libvips) in place of GraphicsMagick: border, crop, resize (n8n's resize options),
 * rotate, blur, several of them in one go (multiStep), and the image's information; the result keeps its format or
 * takes `options.format`. Images over 100 megapixels are refused.
 */
export const editImageNode: NodeType = {
  type: 'n8n-nodes-base.editImage',
  typeVersions: [1],
  operations: OPERATIONS,
  async execute(ctx: NodeContext) {
    const output: Item[] = [];
    for (const [itemIndex, item] of ctx.items.entries()) {
      const operation = supportedOperation(
        ctx.getParam<string>('operation', itemIndex, 'border'),
        OPERATIONS,
        (op) => `The Edit Image operation "${op}"`,
      );
      const property = ctx.getParam<string>('dataPropertyName', itemIndex, 'data');
      const file = binaryProperty(item, property, itemIndex);
      const source = await ctx.binary.buffer(file);
      const image = sharp(source, { limitInputPixels: MAX_PIXELS });
      let metadata: Metadata;
      try {
        metadata = await image.metadata();
      } catch (error) {
        throw new NodeOperationError(`The file is not an image this node can read: ${(error as Error).message}`, { itemIndex });
      }
      if (operation === 'information') {
        const { format, width, height, channels, space, hasAlpha, density, orientation } = metadata;
        output.push({
          json: {
            ...item.json,
            format,
            width,
            height,
            channels,
            space,
            hasAlpha,
            density: density ?? null,
            orientation: orientation ?? null,
            size: source.length,
          },
          ...(item.binary ? { binary: item.binary } : {}),
          pairedItem: { item: itemIndex },
        });
        continue;
      }
      const steps: Step[] =
        operation === 'multiStep'
          ? ctx.getParam<Step[]>('operations.operations', itemIndex, [])
          : [{ ...paramsOf(ctx, itemIndex), operation }];
      let edited = image;
      let current = metadata;
      // Each step works on the previous one's result (sharp would otherwise apply them in its own fixed order).
      for (const step of steps) {
        const bytes = await applyStep(edited, current, step, itemIndex)
          .toBuffer()
          .catch((error: Error) => {
            throw new NodeOperationError(`The image could not be edited: ${error.message}`, { itemIndex });
          });
        edited = sharp(bytes, { limitInputPixels: MAX_PIXELS });
        current = await edited.metadata();
      }
      const options = ctx.getParam<JsonObject>('options', itemIndex, {});
      const format = options.format ? FORMATS[String(options.format)] : undefined;
      if (format) edited = edited.toFormat(format, options.quality ? { quality: Number(options.quality) } : {});
      const bytes = await edited.toBuffer().catch((error: Error) => {
        throw new NodeOperationError(`The image could not be edited: ${error.message}`, { itemIndex });
      });
      const extension = format ?? metadata.format ?? 'png';
      const fileName = String(
        options.fileName || file.fileName?.replace(/\.[^.]+$/, `.${extension === 'jpeg' ? 'jpg' : extension}`) || `image.${extension}`,
      );
      const result = await ctx.binary.prepare(bytes, { fileName, mimeType: `image/${extension}` });
      output.push({ json: item.json, binary: { ...item.binary, [property]: result }, pairedItem: { item: itemIndex } });
    }
    return [output];
  },
};

/** The single operation's parameters, resolved for the item. */
function paramsOf(ctx: NodeContext, itemIndex: number): JsonObject {
  const names = [
    'borderWidth',
    'borderHeight',
    'borderColor',
    'width',
    'height',
    'positionX',
    'positionY',
    'resizeOption',
    'rotate',
    'backgroundColor',
    'blur',
    'sigma',
  ];
  return Object.fromEntries(
    names.flatMap((name) => {
      const value = ctx.getParam<unknown>(name, itemIndex, undefined);
      return value === undefined ? [] : [[name, value]];
    }),
  );
}
