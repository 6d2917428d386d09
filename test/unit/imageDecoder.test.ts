import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { decodeImage, WORKING_SIDE } from '../../src/detection/imageDecoder';
import { ApiError } from '../../src/api/errors';
import { sharedImage } from '../support/sharedData';

const coffee = readFileSync(sharedImage('photos/coffee.png')); // 600×400 RGB

async function failure(data: Buffer): Promise<ApiError> {
  try {
    await decodeImage(data);
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('decodeImage accepted it');
}

/** A PNG whose header declares any size: what a decompression bomb looks like before decoding. */
function pngClaiming(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(body.length);
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), body]);
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc(typed));
    return Buffer.concat([head, typed, tail]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.alloc(16)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('decoding real images', () => {
  it.each([
    ['jpeg', (s: sharp.Sharp) => s.jpeg()],
    ['png', (s: sharp.Sharp) => s.png()],
    ['webp', (s: sharp.Sharp) => s.webp()],
    ['gif', (s: sharp.Sharp) => s.gif()],
    ['tiff', (s: sharp.Sharp) => s.tiff()],
  ])('reads %s', async (format, encode) => {
    const image = await decodeImage(await encode(sharp(coffee)).toBuffer());
    expect(image).toMatchObject({ format, width: 600, height: 400, rgbWidth: 600, rgbHeight: 400 });
    expect(image.rgb.length).toBe(600 * 400 * 3);
  });

  it('applies EXIF orientation (6: rotate 90°), reporting the upright size', async () => {
    const rotated = await sharp(coffee).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const image = await decodeImage(rotated);
    expect([image.width, image.height, image.rgbWidth, image.rgbHeight]).toEqual([400, 600, 400, 600]);
  });

  it('turns grayscale into 3 channels', async () => {
    const image = await decodeImage(readFileSync(sharedImage('photos/camera.png')));
    expect(image.rgb.length).toBe(image.rgbWidth * image.rgbHeight * 3);
    expect(image.rgb[0]).toBe(image.rgb[1]);
  });

  it('converts CMYK to sRGB with colours close to the original', async () => {
    const cmyk = await sharp(coffee).toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const image = await decodeImage(cmyk);
    const original = await decodeImage(coffee);
    let diff = 0;
    for (let i = 0; i < image.rgb.length; i += 997) diff += Math.abs(image.rgb[i] - original.rgb[i]);
    expect(diff / Math.ceil(image.rgb.length / 997)).toBeLessThan(25);
  });

  it('flattens transparency onto white', async () => {
    const transparent = await sharp({ create: { width: 10, height: 10, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toBuffer();
    const image = await decodeImage(transparent);
    expect([...image.rgb.subarray(0, 3)]).toEqual([255, 255, 255]);
  });

  it('reads only the first frame of an animated GIF', async () => {
    const red = { r: 255, g: 0, b: 0 };
    const frames = await Promise.all(
      [red, { r: 0, g: 0, b: 255 }].map((background) =>
        sharp({ create: { width: 8, height: 8, channels: 3, background } })
          .raw()
          .toBuffer(),
      ),
    );
    const gif = await sharp(Buffer.concat(frames), { raw: { width: 8, height: 16, channels: 3, pageHeight: 8 } as sharp.CreateRaw })
      .gif()
      .toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const image = await decodeImage(gif);
    expect([image.width, image.height]).toEqual([8, 8]);
    expect(image.rgb[0]).toBeGreaterThan(200);
    expect(image.rgb[2]).toBeLessThan(50);
  });

  it('shrinks big images to the working size once, keeping the aspect ratio', async () => {
    const big = await sharp(coffee).resize(3000, 2000).jpeg().toBuffer();
    const image = await decodeImage(big);
    expect([image.width, image.height, image.rgbWidth, image.rgbHeight]).toEqual([
      3000,
      2000,
      WORKING_SIDE,
      Math.round((WORKING_SIDE * 2) / 3),
    ]);
  });
});

describe('refusing bad images cleanly', () => {
  it.each([
    ['an empty file', Buffer.alloc(0), 'InvalidArgument', /empty/],
    ['text', Buffer.from('hello, this is not an image'), 'InvalidArgument', /not an image/],
    ['a truncated JPEG', readFileSync(sharedImage('bad/truncated.jpg')), 'InvalidArgument', /corrupt or truncated/],
    [
      'an SVG',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'),
      'InvalidArgument',
      /svg format are not supported/,
    ],
    ['a side over 30,000 px', pngClaiming(30_001, 10), 'LimitExceeded', /each side may be at most 30000/],
    ['a decompression bomb (256 MP in a tiny file)', pngClaiming(16_000, 16_000), 'LimitExceeded', /250 megapixels/],
    ['a file over 20 MB', Buffer.concat([coffee, Buffer.alloc(20 * 1024 * 1024)]), 'LimitExceeded', /20 MB/],
  ])('%s', async (_label, data, code, message) => {
    const error = await failure(data);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });
});
