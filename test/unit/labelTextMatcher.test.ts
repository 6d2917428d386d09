import { editDistance, entriesOf, HAN, LabelTextMatcher, rankedMatches, textTokens } from '../../src/taxonomy/labelTextMatcher';
import { loadTaxonomy } from '../../src/taxonomy/taxonomy';

const taxonomy = loadTaxonomy();
const matcher = new LabelTextMatcher(taxonomy);
const ids = (text: string, limit = 50) => matcher.match(text, limit).map((m) => m.id);

describe('free text against label names and aliases', () => {
  it('splits Chinese into characters and other text into lowercase words', () => {
    expect(textTokens('Blue-Sky 小汽车, T恤')).toEqual(['blue', 'sky', '小', '汽', '车', 't', '恤']);
  });

  it('counts typos as Elasticsearch does, a swap of neighbours as one', () => {
    expect(editDistance('automobile', 'automobil', 2)).toBe(1);
    expect(editDistance('chair', 'chiar', 2)).toBe(1);
    expect(editDistance('kitten', 'sitting', 2)).toBe(3);
    expect(editDistance('abc', 'abcdef', 1)).toBe(2);
  });

  it('matches Chinese as a phrase of characters: adjacent and in order', () => {
    expect(ids('汽车')).toEqual(expect.arrayContaining(['motor-vehicle', 'car']));
    expect(ids('车汽')).toEqual([]);
    expect(ids('座椅')).toContain('chair');
    expect(ids('狗')[0]).toBe('dog');
  });

  it('matches English words case-insensitively, every word required, with typo tolerance', () => {
    expect(ids('Dog')[0]).toBe('dog');
    expect(ids('automobil')).toContain('car');
    expect(ids('automobile')).toContain('car');
    expect(ids('motor vehicle')[0]).toBe('motor-vehicle');
    expect(ids('blue sky')[0]).toBe('blue-sky');
    expect(ids('blue zebra')).toEqual([]);
    // Two-letter words must be exact; the first letter must be right.
    expect(ids('xqzv')).toEqual([]);
  });

  it('ranks an exact name first, then names covered less fully, aliases and typos after', () => {
    const sky = matcher.match('sky', 200);
    expect(sky[0]).toEqual({ id: 'sky', score: 1 });
    const blueSky = sky.find((m) => m.id === 'blue-sky')!;
    expect(blueSky.score).toBeLessThan(1);
    const scores = sky.map((m) => m.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('returns nothing for text without words, and at most limit labels', () => {
    expect(matcher.match(' ,.; ', 10)).toEqual([]);
    expect(matcher.match('a', 3).length).toBeLessThanOrEqual(3);
  });

  it('finds what scoring every name and alias finds, though it scores only those that can match', () => {
    const everyEntry = entriesOf(taxonomy);
    const scanned = (text: string) => rankedMatches(textTokens(text), HAN.test(text), everyEntry, 200);
    const labels = taxonomy.list().filter((_, i) => i % 80 === 0);
    const texts = [
      ...labels.flatMap((label) => [label.en, label.zhHans, ...label.aliasesEn.slice(0, 1), ...label.aliasesZhHans.slice(0, 1)]),
      // typos (a letter dropped, two swapped), a first word alone, partial phrases, mixed scripts
      ...labels.map((label) => label.en.slice(0, -1)),
      ...labels.map((label) => label.en.replace(/^(.)(.)(.)/, '$1$3$2')),
      ...labels.map((label) => label.en.split(' ')[0]),
      ...labels.map((label) => label.zhHans.slice(1)),
      'blue sky', 'sky blue', 'T恤', 'a', 'xqzv', '汽车', '车汽',
    ];
    expect(texts.length).toBeGreaterThan(300);
    const differing = texts.filter((text) => JSON.stringify(matcher.match(text, 200)) !== JSON.stringify(scanned(text)));
    expect(differing).toEqual([]);
    expect(texts.filter((text) => matcher.match(text, 200).length > 0).length).toBeGreaterThan(texts.length / 2);
  });
});
