import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../types.ts';
import { itemsOut, runNode } from '../test-support.ts';
import { editImageNode } from './edit-image.ts';

let photo: Item;
beforeAll(async () => {
  const png = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#3366ff' } })
    .png()
    .toBuffer();
  photo = { json: { id: 1 }, binary: { data: { data: png.toString('base64'), mimeType: 'image/png', fileName: 'photo.png' } } };
});

const edit = async (parameters: Record<string, unknown>) =>
  itemsOut((await runNode(editImageNode, { parameters, items: [photo] })).result)[0]!;
const sizeOf = async (item: Item) => sharp(Buffer.from(item.binary!.data!.data, 'base64')).metadata();

describe('Edit Image', () => {
  it('tells an image’s information', async () => {
    const item = await edit({ operation: 'information' });
    expect(item.json).toMatchObject({ id: 1, format: 'png', width: 200, height: 100, channels: 3 });
  });

  it('adds a border, crops, resizes (keeping the aspect ratio or not, by percent) and rotates', async () => {
    expect(await sizeOf(await edit({ borderWidth: 5, borderHeight: 10, borderColor: '#ff0000' }))).toMatchObject({
      width: 210,
      height: 120,
    });
    expect(await sizeOf(await edit({ operation: 'crop', width: 50, height: 40, positionX: 10, positionY: 10 }))).toMatchObject({
      width: 50,
      height: 40,
    });
    expect(await sizeOf(await edit({ operation: 'resize', width: 100, height: 100 }))).toMatchObject({ width: 100, height: 50 });
    expect(await sizeOf(await edit({ operation: 'resize', width: 100, height: 100, resizeOption: 'ignoreAspectRatio' }))).toMatchObject({
      width: 100,
      height: 100,
    });
    expect(await sizeOf(await edit({ operation: 'resize', width: 50, height: 50, resizeOption: 'percent' }))).toMatchObject({
      width: 100,
      height: 50,
    });
    expect(await sizeOf(await edit({ operation: 'rotate', rotate: 90 }))).toMatchObject({ width: 100, height: 200 });
  });

  it('runs several steps in order and converts the format, naming the file after it', async () => {
    const item = await edit({
      operation: 'multiStep',
      operations: {
        operations: [
          { operation: 'crop', width: 100, height: 100 },
          { operation: 'border', borderWidth: 2, borderHeight: 2 },
        ],
      },
      options: { format: 'jpeg', quality: 80 },
    });
    expect(item.binary?.data).toMatchObject({ fileName: 'photo.jpg', mimeType: 'image/jpeg' });
    expect(await sizeOf(item)).toMatchObject({ format: 'jpeg', width: 104, height: 104 });
    await expect(
      runNode(editImageNode, {
        parameters: {},
        items: [{ json: {}, binary: { data: { data: Buffer.from('not an image').toString('base64'), mimeType: 'image/png' } } }],
      }),
    ).rejects.toThrow(/^The file is not an image this node can read/);
  });
});
