import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/config/projectRoot';
import { loadTaxonomy } from '../../src/taxonomy/taxonomy';

interface ClassMap {
  taxonomyVersion: string;
  classes: { index: number; name: string; labelId: string | null; via: string }[];
}

const taxonomy = loadTaxonomy();
const read = (file: string): ClassMap => JSON.parse(readFileSync(join(projectRoot, 'data', 'model-maps', file), 'utf8'));
const coco = read('coco-80.json');
const imagenet = read('imagenet-1k.json');
const lineageOf = (id: string) => [id, ...taxonomy.ancestors(id).map((a) => a.id)];

describe('model class maps', () => {
  it('are built for this taxonomy and name only labels it has', () => {
    for (const map of [coco, imagenet]) {
      expect(map.taxonomyVersion).toBe(taxonomy.version);
      map.classes.forEach((entry, i) => {
        expect(entry.index).toBe(i);
        if (entry.labelId !== null) expect(taxonomy.get(entry.labelId)).toBeDefined();
      });
    }
    expect(coco.classes).toHaveLength(80);
    expect(imagenet.classes).toHaveLength(1000);
  });

  it('maps every COCO class, sensibly', () => {
    expect(coco.classes.every((c) => c.labelId !== null)).toBe(true);
    const label = (name: string) => coco.classes.find((c) => c.name === name)!.labelId!;
    expect(label('person')).toBe('person');
    expect(label('dog')).toBe('dog');
    expect(label('cup')).toBe('cup');
    expect(label('giraffe')).toBe('giraffe');
    expect(label('motorbike')).toBe('motorcycle');
    expect(lineageOf(label('diningtable'))).toContain('furniture');
    expect(lineageOf(label('sofa'))).toContain('furniture');
    expect(lineageOf(label('aeroplane'))).toContain('vehicle');
  });

  it('maps almost every ImageNet class to the nearest sensible label', () => {
    expect(imagenet.classes.filter((c) => c.labelId === null).length).toBeLessThan(20);
    const label = (name: string) => imagenet.classes.find((c) => c.name === name)!.labelId!;
    expect(lineageOf(label('tabby'))).toContain('cat');
    expect(lineageOf(label('Egyptian cat'))).toContain('cat');
    expect(lineageOf(label('espresso'))).toContain('drink');
    expect(['bald-eagle', 'eagle']).toContain(label('bald eagle'));
    // Levels stop at 3: the bald eagle sits beside the eagle, both under bird.
    expect(lineageOf(label('bald eagle'))).toEqual(expect.arrayContaining(['bird', 'animal']));
    expect(lineageOf(label('malamute'))).toContain('dog');
    expect(['missile', 'rocket']).toContain(label('missile'));
  });

  it('sends no ImageNet class to "artifact" (手工艺品, handicraft) or to a broad class the taxonomy has the thing for', () => {
    expect(taxonomy.get('artifact')?.zhHans).toBe('手工艺品');
    expect(imagenet.classes.filter((c) => c.labelId === 'artifact').map((c) => c.name)).toEqual([]);
    const label = (name: string) => imagenet.classes.find((c) => c.name === name)!.labelId!;
    expect(label('television')).toBe('television');
    expect(label('refrigerator')).toBe('fridge');
    expect(label('dining table')).toBe('dinning-table');
    expect(lineageOf(label('harp'))).toContain('musical-instrument');
    expect(lineageOf(label('sunscreen'))).toContain('personal-care');
    // WordNet's wheeled vehicles are containers; a locomotive is a train here.
    expect(label('electric locomotive')).toBe('train');
    expect(lineageOf(label('motor scooter'))).toContain('vehicle');
    expect(label('agaric')).toBe('mushroom');
  });

  it('keeps the senses a class-by-class review found WordNet got wrong', () => {
    const label = (name: string) => imagenet.classes.find((c) => c.name === name)!.labelId!;
    expect(label('brassiere')).toBe('underclothes'); // was bandeau, 束发带 (a hair band)
    expect(label('slide rule')).toBe('ruler'); // was computer
    expect(label('lynx')).toBe('bobcat'); // was catamount, 美洲狮 (a cougar)
    expect(label('teapot')).toBe('tea-pot'); // was pot, 锅 (a cooking pot)
    expect(lineageOf(label('puck'))).not.toContain('symbol'); // was circle, 圆
    expect(lineageOf(label('tabby'))).toEqual(['tabby', 'cat', 'animal']);
  });
});
