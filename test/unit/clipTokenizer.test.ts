import { resolve } from 'node:path';
import { ClipTokenizer } from '../../src/detection/clipTokenizer';
import { sharedDir } from '../support/sharedData';

const tokenizer = ClipTokenizer.fromFile(resolve(sharedDir, 'models', 'clip-vit-b32-tokenizer', 'tokenizer.json'));

describe("CLIP's BPE tokenizer (the real vocabulary from ../shared)", () => {
  it('encodes as openai/clip-vit-base-patch32 does', () => {
    // Reference ids from Hugging Face's CLIPTokenizer for the same texts.
    expect(tokenizer.encode('a photo of a cat')).toEqual([320, 1125, 539, 320, 2368]);
    expect(tokenizer.encode('A  Photo   of a CAT')).toEqual([320, 1125, 539, 320, 2368]);
  });

  it('splits rare words into known pieces and keeps punctuation', () => {
    const ids = tokenizer.encode('a photo of a tyrannosaurus.');
    expect(ids.length).toBeGreaterThan(5);
    expect(ids.every((id) => id >= 0 && id < 49406)).toBe(true);
  });

  it('frames with start/end and pads with end to 77', () => {
    const ids = tokenizer.tokenize('a cat');
    expect(ids.length).toBe(77);
    expect([...ids.slice(0, 4)].map(Number)).toEqual([49406, 320, 2368, 49407]);
    expect(Number(ids[76])).toBe(49407);
  });

  it('truncates long text to fit the context', () => {
    const ids = tokenizer.tokenize('cat '.repeat(200));
    expect(Number(ids[0])).toBe(49406);
    expect(Number(ids[76])).toBe(49407);
  });
});
