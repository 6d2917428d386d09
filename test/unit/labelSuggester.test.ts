import { LabelSuggester } from '../../src/taxonomy/labelSuggester';
import { loadTaxonomy } from '../../src/taxonomy/taxonomy';

const taxonomy = loadTaxonomy();
const suggester = new LabelSuggester(taxonomy);
const ids = (prefix: string, limit = 10) => suggester.suggest(prefix, limit).map((s) => s.label.id);

describe('label suggestions', () => {
  it('puts labels detection can return before rare words of the same prefix', () => {
    expect(ids('ho')).toEqual(expect.arrayContaining(['horse', 'house']));
    expect(ids('ca')).toEqual(expect.arrayContaining(['cat', 'car']));
    expect(ids('ki')).toEqual(expect.arrayContaining(['kite', 'kitchen']));
  });

  it('offers one label per name (狗窝 is the dog house, the dog bed is 狗床)', () => {
    expect(
      suggester
        .suggest('狗窝', 10)
        .filter((s) => s.matched === '狗窝')
        .map((s) => s.label.id),
    ).toEqual(['dog-house']);
    expect(taxonomy.get('dog-bed')!.zhHans).toBe('狗床');
  });

  it('names every label in Chinese characters', () => {
    expect(
      taxonomy
        .list()
        .filter((label) => !/\p{Script=Han}/u.test(label.zhHans))
        .map((label) => label.id),
    ).toEqual([]);
  });
});
