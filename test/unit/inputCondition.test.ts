import { join } from 'node:path';
import sharp from 'sharp';
import { projectRoot } from '../../src/config/projectRoot';
import { decodeImage } from '../../src/detection/imageDecoder';
import { inputConditionOf } from '../../src/detection/inputCondition';
import { readEvalManifests } from '../../scripts/eval/evalManifest';

// Real photos of the evaluation set, whose manifest says (a person judged) which are black-and-white.
const photos = readEvalManifests(join(projectRoot, 'eval'));
const conditionOf = async (data: Buffer) => inputConditionOf(await decodeImage(data));

describe('input condition', () => {
  it('tells black-and-white photos from colour ones as a person did, for ≥ 95 % of the labeled photos', async () => {
    let agree = 0;
    let grayscaleFound = 0;
    for (const photo of photos) {
      const { grayscale } = await conditionOf(await sharp(photo.file).toBuffer());
      if (grayscale === photo.grayscale) agree++;
      if (grayscale && photo.grayscale) grayscaleFound++;
    }
    expect(agree / photos.length).toBeGreaterThanOrEqual(0.95);
    expect(grayscaleFound / photos.filter((p) => p.grayscale).length).toBeGreaterThanOrEqual(0.85);
  });

  it('sees a colour photo made black-and-white as grayscale, and a small one as low resolution', async () => {
    const colour = photos.find((p) => !p.grayscale && p.group === 'scene')!;
    expect(await conditionOf(await sharp(colour.file).toBuffer())).toEqual({ grayscale: false, lowResolution: false });
    expect((await conditionOf(await sharp(colour.file).grayscale().toColourspace('srgb').jpeg().toBuffer())).grayscale).toBe(true);
    expect((await conditionOf(await sharp(colour.file).resize(192).jpeg().toBuffer())).lowResolution).toBe(true);
  });
});
