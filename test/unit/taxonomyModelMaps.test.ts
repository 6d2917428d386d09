import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/config/projectRoot';
import { loadTaxonomy } from '../../src/taxonomy/taxonomy';

interface ClassMap {
  taxonomyVersion: string;
  classes: { index: number; name: string; labelId: string | null; via: string }[];
  groups?: { id: string; labelId: string; members: string[]; calibrated?: boolean }[];
}

const taxonomy = loadTaxonomy();
const read = (file: string): ClassMap => JSON.parse(readFileSync(join(projectRoot, 'data', 'model-maps', file), 'utf8'));
const coco = read('coco-80.json');
const imagenet = read('imagenet-1k.json');
const places = read('places365.json');
const lineageOf = (id: string) => [id, ...taxonomy.ancestors(id).map((a) => a.id)];

describe('model class maps', () => {
  it('are built for this taxonomy and name only labels it has', () => {
    for (const map of [coco, imagenet, places]) {
      expect(map.taxonomyVersion).toBe(taxonomy.version);
      map.classes.forEach((entry, i) => {
        expect(entry.index).toBe(i);
        if (entry.labelId !== null) expect(taxonomy.get(entry.labelId)).toBeDefined();
      });
    }
    expect(coco.classes).toHaveLength(80);
    expect(imagenet.classes).toHaveLength(1000);
    expect(places.classes).toHaveLength(365);
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

  it('gives ImageNet classes people search for by name a label of their own, under what they are', () => {
    const label = (name: string) => imagenet.classes.find((c) => c.name === name)!.labelId!;
    expect(lineageOf(label('Shih-Tzu'))).toEqual(['shih-tzu', 'dog', 'animal']);
    expect(taxonomy.get('shih-tzu')).toMatchObject({ zhHans: '西施犬', aliasesZhHans: ['西施'] });
    expect(lineageOf(label('Saint Bernard'))).toEqual(['saint-bernard', 'dog', 'animal']);
    expect(lineageOf(label('golf ball'))).toEqual(['golf-ball', 'ball', 'sports-equipment']);
    expect(label('soccer ball')).toBe('football');
    expect(taxonomy.findAllByName('soccer ball').map((l) => l.id)).toEqual(['football']);
    expect(label('parallel bars')).toBe('parallel-bars');
    expect(label('bathing cap')).toBe('swim-cap');
    // A breed that is not one of them stays a dog.
    expect(label('Rhodesian ridgeback')).toBe('dog');
    // Every fine label is named in both languages and comes from the class it was added for.
    for (const entry of imagenet.classes.filter((c) => taxonomy.get(c.labelId ?? '')?.sources?.imagenet)) {
      const fine = taxonomy.get(entry.labelId!)!;
      expect(fine.sources!.imagenet).toEqual([entry.index]);
      expect(fine.zhHans).toMatch(/[\u4e00-\u9fff]/);
      expect(fine.level).toBe(taxonomy.get(fine.parentId!)!.level + 1);
    }
  });

  it('puts the lakeshore under the lake it shows', () => {
    expect(lineageOf('lakeshore')).toEqual(['lakeshore', 'lake', 'natural-landscape']);
  });

  describe('Places365', () => {
    const label = (name: string) => places.classes.find((c) => c.name === name)!.labelId!;
    const categoryOf = (name: string) => lineageOf(label(name)).at(-1);

    it('maps every class to a label named in both languages, with aliases', () => {
      for (const entry of places.classes) {
        expect(entry.labelId).not.toBeNull();
        const mapped = taxonomy.get(entry.labelId!)!;
        expect(mapped.en).not.toBe('');
        expect(mapped.zhHans).toMatch(/[\u4e00-\u9fff]/);
        expect(mapped.aliasesEn.length + mapped.aliasesZhHans.length).toBeGreaterThan(0);
      }
      expect(places.classes.map((c) => c.name).slice(0, 3)).toEqual(['airfield', 'airplane_cabin', 'airport_terminal']);
    });

    it('places venues by what they are for, indoors or out', () => {
      for (const name of [
        'soccer_field',
        'stadium/soccer',
        'basketball_court/indoor',
        'ice_skating_rink/outdoor',
        'swimming_pool/indoor',
        'racecourse',
      ])
        expect(categoryOf(name)).toBe('sports-venue');
      for (const name of [
        'airfield',
        'airport_terminal',
        'train_station/platform',
        'subway_station/platform',
        'harbor',
        'parking_garage/indoor',
        'bus_interior',
      ])
        expect(categoryOf(name)).toBe('transport-facility');
      for (const name of ['bakery/shop', 'shoe_shop', 'supermarket', 'market/outdoor', 'bazaar/indoor', 'shopfront'])
        expect(categoryOf(name)).toBe('shop-and-market');
      for (const name of ['restaurant', 'coffee_shop', 'pub/indoor', 'beer_garden', 'food_court'])
        expect(categoryOf(name)).toBe('food-and-drink-venue');
      for (const name of ['church/indoor', 'church/outdoor', 'mosque/outdoor', 'temple/asia', 'pagoda', 'cemetery', 'catacomb'])
        expect(categoryOf(name)).toBe('religious-site');
      for (const name of [
        'museum/indoor',
        'library/indoor',
        'library/outdoor',
        'movie_theater/indoor',
        'stage/indoor',
        'amusement_park',
        'aquarium',
      ])
        expect(categoryOf(name)).toBe('culture-and-leisure-venue');
      for (const name of ['kitchen', 'bedroom', 'office', 'classroom']) expect(categoryOf(name)).toBe('indoor-scene');
      for (const name of ['street', 'alley', 'crosswalk', 'downtown', 'pasture', 'campus']) expect(categoryOf(name)).toBe('outdoor-scene');
      for (const name of ['beach', 'coast', 'mountain', 'forest/broadleaf', 'waterfall', 'valley'])
        expect(categoryOf(name)).toBe('natural-landscape');
    });

    it('fixes the scenes that sat in the wrong place', () => {
      // library under facility under outdoor scene; stage under scene; campus under field
      expect(lineageOf('library')).toEqual(['library', 'culture-and-leisure-venue']);
      expect(lineageOf('stage')).toEqual(['stage', 'theater', 'culture-and-leisure-venue']);
      expect(lineageOf('campus')).toEqual(['campus', 'outdoor-scene']);
      // a fire hydrant is an object, not an outdoor scene
      const hydrant = coco.classes.find((c) => c.name === 'fire hydrant')!.labelId!;
      expect(lineageOf(hydrant).at(-1)).toBe('tool');
      // the arena classes each have their own label; the football field is not the soccer field in Chinese
      expect(['arena/hockey', 'arena/performance', 'arena/rodeo'].map(label)).toEqual(['hockey-arena', 'performance-arena', 'rodeo-arena']);
      expect(taxonomy.get(label('football_field'))!.zhHans).not.toBe(taxonomy.get(label('soccer_field'))!.zhHans);
    });

    it('groups classes the model spreads one scene over, and splits indoor from outdoor over every class', () => {
      const group = (id: string) => places.groups!.find((g) => g.id === id)!;
      expect(group('street')).toMatchObject({
        labelId: 'street',
        members: expect.arrayContaining(['street', 'crosswalk', 'alley', 'downtown']),
      });
      expect(group('soccer-field').members).toEqual(expect.arrayContaining(['soccer_field', 'stadium/soccer', 'football_field']));
      expect(group('kitchen').members).toEqual(expect.arrayContaining(['kitchen', 'galley', 'wet_bar']));
      const names = new Set(places.classes.map((c) => c.name));
      for (const g of places.groups!) for (const member of g.members) expect(names.has(member)).toBe(true);
      const indoor = group('indoor');
      const outdoor = group('outdoor');
      expect([indoor.labelId, outdoor.labelId, indoor.calibrated, outdoor.calibrated]).toEqual([
        'indoor-scene',
        'outdoor-scene',
        false,
        false,
      ]);
      expect(indoor.members.length + outdoor.members.length).toBe(365);
      expect(new Set([...indoor.members, ...outdoor.members]).size).toBe(365);
      expect(indoor.members).toContain('kitchen');
      expect(outdoor.members).toContain('beach');
    });
  });
});
