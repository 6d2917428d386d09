import { editDistance, entriesOf, HAN, LabelTextMatcher, rankedMatches, sameWord, textTokens } from '../../src/taxonomy/labelTextMatcher';
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

  it('takes only the best kind of match: a whole name or alias (with English names holding it), else names holding the text, else typos', () => {
    // A whole name first, then the English names holding the word (blue sky, the bald eagle); not car or cap a typo away.
    const sky = matcher.match('sky', 200);
    expect(sky[0]).toEqual({ id: 'sky', score: 1 });
    expect(sky.find((m) => m.id === 'blue-sky')!.score).toBeLessThan(1);
    for (const { id } of sky)
      expect([taxonomy.get(id)!.en, ...taxonomy.get(id)!.aliasesEn].some((name) => textTokens(name).includes('sky'))).toBe(true);
    expect(ids('eagle')).toEqual(expect.arrayContaining(['eagle', 'bald-eagle']));
    expect(ids('cat')[0]).toBe('cat');
    expect(ids('cat')).not.toEqual(expect.arrayContaining(['car']));
    expect(ids('Dog')[0]).toBe('dog');
    // 马 is the horse, not zebra (斑马), toilet (马桶) or mug (马克杯); 猫 is the cat, not the panda (熊猫).
    expect(ids('马')).toEqual(['horse']);
    expect(ids('马')).not.toEqual(expect.arrayContaining(['zebra']));
    expect(ids('猫')).not.toContain('giant-panda');
    // A name shared by several labels finds them all.
    const shared = taxonomy.list().find((label) => taxonomy.list().filter((other) => other.zhHans === label.zhHans).length > 1)!;
    const twins = taxonomy
      .list()
      .filter((label) => label.zhHans === shared.zhHans)
      .map((label) => label.id);
    expect(ids(shared.zhHans)).toEqual(expect.arrayContaining(twins));
    // No whole name: those holding the words, ranked by how much of the name the text covers.
    const blue = matcher.match('blue', 200);
    expect(blue.map((m) => m.id)).toContain('blue-sky');
    const scores = blue.map((m) => m.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // Nothing holds the word: typos.
    expect(ids('automobil')).toContain('car');
    expect(ids('automobil')).not.toContain('cat');
  });

  it('matches a plural as its singular: exactly, and whole names in the plural are not split', () => {
    const pairs = [
      ['dogs', 'dog'],
      ['horses', 'horse'],
      ['boxes', 'box'],
      ['glasses', 'glass'],
      ['buses', 'bus'],
      ['berries', 'berry'],
      ['shoes', 'shoe'],
    ];
    for (const [plural, word] of pairs) expect([sameWord(plural, word), sameWord(word, plural)]).toEqual([true, true]);
    expect([sameWord('cat', 'car'), sameWord('dog', 'dogma'), sameWord('s', '')]).toEqual([false, false, false]);
    expect(ids('horses')[0]).toBe('horse');
    expect(ids('flowers')[0]).toBe('flower');
    expect(ids('mountains')[0]).toBe('mountain');
    expect(matcher.matchAll('hot dogs', 50)[0][0].id).toBe('hot-dog');
    expect(matcher.matchAll('hot dogs', 50)).toHaveLength(1);
  });

  it('reads full-width letters (as Chinese input methods type them) as ordinary ones', () => {
    expect(matcher.match('ｄｏｇ', 50)).toEqual(matcher.match('dog', 50));
    expect(textTokens('ＣＡＴ１')).toEqual(['cat1']);
  });

  it("leaves out words that name nothing on their own: the dog, dog and horse, dog's", () => {
    const firsts = (text: string) => matcher.matchAll(text, 50).map((group) => group[0]?.id);
    expect(firsts('the dog')).toEqual(['dog']);
    expect(firsts("dog's")).toEqual(['dog']);
    expect(firsts('dog and horse')).toEqual(['dog', 'horse']);
  });

  it('requires every part of a text no label names whole: dog and horse, 狗，马', () => {
    expect(matcher.matchAll('blue sky', 50)).toEqual([matcher.match('blue sky', 50)]);
    // dog house is a typo of the whole text away: each word's own label wins.
    expect(matcher.matchAll('dog horse', 50).map((group) => group[0].id)).toEqual(['dog', 'horse']);
    for (const text of ['狗 马', '狗，马', '狗,马'])
      expect(matcher.matchAll(text, 50).map((group) => group[0]?.id)).toEqual(['dog', 'horse']);
    // A part that matches nothing leaves its group empty: then the text matches no image.
    expect(matcher.matchAll('dog xqzv', 50)).toEqual([matcher.match('dog', 25), []]);
    // No words: no label, so no image (text of only spaces is no text, before it gets here).
    expect(matcher.matchAll(' ,.; ', 50)).toEqual([[]]);
    // The parts share the limit; more than four parts read as one text.
    expect(matcher.matchAll('dog horse', 2).map((group) => group.length)).toEqual([1, 1]);
    expect(matcher.matchAll('dog horse cat car tree', 50)).toEqual([matcher.match('dog horse cat car tree', 50)]);
    expect(matcher.matchAll('xqzv', 50)).toEqual([[]]);
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
      'blue sky',
      'sky blue',
      'T恤',
      'a',
      'xqzv',
      '汽车',
      '车汽',
    ];
    expect(texts.length).toBeGreaterThan(300);
    const differing = texts.filter((text) => JSON.stringify(matcher.match(text, 200)) !== JSON.stringify(scanned(text)));
    expect(differing).toEqual([]);
    expect(texts.filter((text) => matcher.match(text, 200).length > 0).length).toBeGreaterThan(texts.length / 2);
  });
});
