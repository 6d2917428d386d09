import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { iccDescription, isSrgbProfile } from '../../src/detection/iccProfile';
import { decodeImage, WORKING_SIDE } from '../../src/detection/imageDecoder';
import { sharedImage } from '../support/sharedData';

/** A minimal RGB profile with one v2 'desc' tag: enough to test what the description decides. */
function rgbProfileDescribed(description: string): Buffer {
  const text = Buffer.from(`${description}\0`, 'latin1');
  const tag = Buffer.concat([Buffer.from('desc\0\0\0\0', 'latin1'), Buffer.alloc(4), text]);
  tag.writeUInt32BE(text.length, 8);
  const header = Buffer.alloc(144);
  header.write('RGB ', 16, 'latin1');
  header.writeUInt32BE(1, 128);
  header.write('desc', 132, 'latin1');
  header.writeUInt32BE(144, 136);
  header.writeUInt32BE(tag.length, 140);
  return Buffer.concat([header, tag]);
}

const profileOf = async (image: Buffer) => (await sharp(image).metadata()).icc;
const tagged = (profile: string) =>
  sharp({ create: { width: 4, height: 4, channels: 3, background: { r: 200, g: 100, b: 50 } } })
    .withIccProfile(profile)
    .png()
    .toBuffer();

describe('embedded ICC profiles', () => {
  it('reads the description of v2 (desc) and v4 (mluc) profiles', async () => {
    expect(iccDescription((await profileOf(readFileSync(sharedImage('darknet/dog.jpg'))))!)).toBe('sRGB IEC61966-2.1');
    expect(iccDescription((await profileOf(readFileSync(sharedImage('photos/rocket.jpg'))))!)).toBe('Adobe RGB (1998)');
    expect(iccDescription((await profileOf(await tagged('p3')))!)).toBe('sP3C');
  });

  it('takes only RGB profiles described as sRGB for sRGB', async () => {
    expect(isSrgbProfile(await profileOf(readFileSync(sharedImage('darknet/dog.jpg'))))).toBe(true);
    expect(isSrgbProfile(await profileOf(await tagged('srgb')))).toBe(true);
    expect(isSrgbProfile(await profileOf(readFileSync(sharedImage('photos/rocket.jpg'))))).toBe(false);
    expect(isSrgbProfile(await profileOf(await tagged('p3')))).toBe(false);
    expect(isSrgbProfile(undefined)).toBe(false);
    // Named like sRGB but not one of the standard profiles (a linear one, say): converted.
    expect(iccDescription(rgbProfileDescribed('sRGB linear'))).toBe('sRGB linear');
    expect(isSrgbProfile(rgbProfileDescribed('sRGB linear'))).toBe(false);
    expect(isSrgbProfile(rgbProfileDescribed('sRGB-elle-V4-g10.icc'))).toBe(false);
    expect(isSrgbProfile(rgbProfileDescribed('sRGB IEC61966-2.1'))).toBe(true);
    // Cut short, or a tag table pointing past the end: not trusted, so still converted.
    const srgb = (await profileOf(readFileSync(sharedImage('darknet/dog.jpg'))))!;
    expect(isSrgbProfile(srgb.subarray(0, 200))).toBe(false);
    expect(isSrgbProfile(Buffer.alloc(600))).toBe(false);
  });

  it('decodes an sRGB-tagged photo to exactly the pixels the profile conversion gives', async () => {
    const dog = readFileSync(sharedImage('darknet/dog.jpg'));
    const decoded = await decodeImage(dog);
    const converted = await sharp(dog)
      .rotate()
      .resize({ width: WORKING_SIDE, height: WORKING_SIDE, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer();
    expect(Buffer.from(decoded.rgb).equals(converted)).toBe(true);
  });

  it('still converts other profiles: a Display P3 image decodes to its sRGB colour, not its stored values', async () => {
    const p3 = await tagged('p3');
    const stored = [...(await sharp(p3, { ignoreIcc: true }).raw().toBuffer()).subarray(0, 3)];
    const decoded = [...(await decodeImage(p3)).rgb.subarray(0, 3)];
    expect(stored.some((value, i) => Math.abs(value - [200, 100, 50][i]) > 5)).toBe(true);
    decoded.forEach((value, i) => expect(Math.abs(value - [200, 100, 50][i])).toBeLessThanOrEqual(1));
  });
});
