import { labelTexts } from './labelTexts';
import type { Taxonomy } from './taxonomy';

/** A label whose name or alias matches free text, and how well (0..1]. */
export interface LabelMatch {
  id: string;
  score: number;
}

export interface Entry {
  labelId: string;
  tokens: string[];
  /** Names count twice an alias. */
  weight: number;
}

// Han characters one by one (as Elasticsearch's standard analyzer splits them), other letters and digits as words.
const TOKEN = /\p{Script=Han}|(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu;
/** Text with Chinese characters is matched as a phrase. */
export const HAN = /\p{Script=Han}/u;

// NFKC: full-width letters and digits (ｄｏｇ, as Chinese input methods type them) read as dog.
export const textTokens = (text: string): string[] => text.normalize('NFKC').toLowerCase().match(TOKEN) ?? [];

/** English words that name nothing on their own, and what a possessive leaves ("dog's": s). */
const NOT_A_PART = new Set(['a', 'an', 'the', 'and', 'or', 'of', 'with', 'in', 'on', 'at', 'to', 'for', 'by', 's']);

/** Text in more parts than this is not split into parts (matchAll). */
export const MAX_TEXT_PARTS = 4;

/** The parts of a text between spaces and punctuation ("dog horse", "狗，马"), each with words. */
const textParts = (text: string): string[] =>
  text
    .normalize('NFKC')
    .split(/[\s\p{P}\p{S}]+/u)
    .filter((part) => textTokens(part).length > 0);

/** Elasticsearch's fuzziness AUTO: no typo in words of 1-2 letters, one in 3-5, two beyond. */
const typosAllowed = (word: string) => (word.length <= 2 ? 0 : word.length <= 5 ? 1 : 2);

/** Edit distance with adjacent transpositions (as Elasticsearch's fuzzy queries count), or max + 1 when over max. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2] + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length];
}

/** Whether one word is the other's English plural: dogs, horses, boxes, glasses, berries. */
const pluralOf = (plural: string, word: string) =>
  word.length > 1 && (plural === `${word}s` || plural === `${word}es` || (word.endsWith('y') && plural === `${word.slice(0, -1)}ies`));

/**
 * The same word, or a word and its plural: a plural matches its label as exactly as the singular
 * does, not as a typo ("flowers" is the flower, not only the flower bed whose alias says flowers).
 */
export const sameWord = (a: string, b: string) => a === b || pluralOf(a, b) || pluralOf(b, a);

/** How well one query word matches an entry word: 1 exact (or singular and plural), less per typo, 0 not at all (the first letter must be right). */
function wordMatch(query: string, word: string): number {
  if (sameWord(query, word)) return 1;
  const max = typosAllowed(query);
  if (max === 0 || query[0] !== word[0]) return 0;
  const typos = editDistance(query, word, max);
  return typos > max ? 0 : 0.5 / typos;
}

/** Whether the query's characters occur in the entry adjacent and in order (a phrase). */
function containsPhrase(tokens: string[], phrase: string[]): boolean {
  for (let start = 0; start + phrase.length <= tokens.length; start += 1) {
    if (phrase.every((token, i) => tokens[start + i] === token)) return true;
  }
  return false;
}

/** What the matcher reads of a name or alias: its label, its words, its weight. */
export const entriesOf = (taxonomy: Taxonomy): Entry[] =>
  labelTexts(taxonomy)
    .map((t) => ({ labelId: t.label.id, tokens: textTokens(t.text), weight: t.isName ? 2 : 1 }))
    .filter((entry) => entry.tokens.length > 0);

/** The mean word match when every query word matches some word of the entry, else 0. */
function wordsQuality(query: string[], tokens: string[]): number {
  let sum = 0;
  for (const word of query) {
    let best = 0;
    for (const token of tokens) best = Math.max(best, wordMatch(word, token));
    if (best === 0) return 0;
    sum += best;
  }
  return sum / query.length;
}

/**
 * How a name or alias matches: the whole of it (EXACT), containing the text's words exactly or its
 * Chinese phrase (CONTAINS), or only with typos (TYPO). Only the best kind any entry reaches
 * counts (English names that contain the words count beside whole ones): "cat" is the cat and cat
 * food, not also car (a typo away); 马 is the horse, not also 斑马 (zebra) or 马桶 (toilet).
 * Looser kinds count only when nothing matches better.
 */
export enum MatchKind {
  EXACT = 0,
  CONTAINS = 1,
  TYPO = 2,
  NONE = 3,
}

const sameTokens = (a: string[], b: string[]) => a.length === b.length && a.every((token, i) => sameWord(token, b[i]));

/** How well the query's tokens match one name or alias, and how; `phrase` for text with Chinese characters. */
export function entryMatch(query: string[], phrase: boolean, entry: Entry): { kind: MatchKind; score: number } {
  const quality = phrase ? (containsPhrase(entry.tokens, query) ? 1 : 0) : wordsQuality(query, entry.tokens);
  if (quality === 0) return { kind: MatchKind.NONE, score: 0 };
  const kind = sameTokens(query, entry.tokens) ? MatchKind.EXACT : quality === 1 ? MatchKind.CONTAINS : MatchKind.TYPO;
  return { kind, score: (entry.weight / 2) * quality * Math.min(1, query.length / entry.tokens.length) };
}

const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

/**
 * Free text against every label's names and aliases in both languages, in memory: the vocabulary
 * is the taxonomy's, fixed per version, so the image index needs no text fields (which made bulk
 * indexing several times slower) and a search sends Elasticsearch label ids. The matching is what
 * the index did before: text with Chinese characters is a phrase (汽车 matches 小汽车, not 车汽);
 * other text needs every word in one name or alias, with Elasticsearch's typo tolerance; and only
 * the best kind of match counts (MatchKind: a whole name before names containing the text, those
 * before typos). A match scores its weight (name 2, alias 1) times how well its words matched
 * times the share of the name the text covers, so "blue" ranks "blue sky" before longer names holding it.
 *
 * Only the names and aliases that can match are scored: those holding the text's first token (a
 * phrase), or a word within typo reach of its first word, which shares that word's first letter.
 * Scanning all of them cost 0.5-1.2 ms a search.
 */
export class LabelTextMatcher {
  /** The entries holding each token. */
  private readonly entriesByToken = new Map<string, Entry[]>();
  /** Every token, by its first character. */
  private readonly tokensByInitial = new Map<string, string[]>();

  constructor(taxonomy: Taxonomy) {
    for (const entry of entriesOf(taxonomy)) for (const token of new Set(entry.tokens)) push(this.entriesByToken, token, entry);
    for (const token of this.entriesByToken.keys()) push(this.tokensByInitial, token[0], token);
  }

  /** The entries that may match the query (a superset of those that do). */
  private candidates(query: string[], phrase: boolean): Entry[] {
    const [first] = query;
    if (phrase) return this.entriesByToken.get(first) ?? [];
    const near = (this.tokensByInitial.get(first[0]) ?? []).filter((token) => wordMatch(first, token) > 0);
    return [...new Set(near.flatMap((token) => this.entriesByToken.get(token)!))];
  }

  /** The labels the text matches, best first, at most limit (0 when the text has no words). */
  match(text: string, limit: number): LabelMatch[] {
    return this.matchWithKind(text, limit).matches;
  }

  private matchWithKind(text: string, limit: number): RankedMatches {
    const query = textTokens(text);
    if (query.length === 0) return { kind: MatchKind.NONE, matches: [] };
    const phrase = HAN.test(text);
    return bestMatches(query, phrase, this.candidates(query, phrase), limit);
  }

  /**
   * What an image must match for the text, as groups of labels, one of each group: the labels the
   * whole text names or holds; or, when it has several parts ("dog horse", "狗，马") and no name
   * holds it whole (a typo of one, such as dog house, does not count), the labels of each part,
   * every part required, as a photo search finds photos with both. Should a part match nothing,
   * the whole text's typos are all there is. An empty group (text without words, too): no label
   * matched, so no image does.
   */
  matchAll(text: string, limit: number): LabelMatch[][] {
    const whole = this.matchWithKind(text, limit);
    // Words that name nothing on their own ("the dog", "dog and horse", "dog's") are not parts.
    const parts = textParts(text).filter((part) => !NOT_A_PART.has(textTokens(part).join(' ')));
    if (parts.length === 1 && whole.kind > MatchKind.CONTAINS) return [this.match(parts[0], limit)];
    // More parts than MAX_TEXT_PARTS read as one text: each part is a clause of every request.
    if (whole.kind <= MatchKind.CONTAINS || parts.length < 2 || parts.length > MAX_TEXT_PARTS) return [whole.matches];
    // The parts share the limit, so a search sends no more label ids than one text does.
    const groups = parts.map((part) => this.match(part, Math.max(1, Math.floor(limit / parts.length))));
    return groups.every((group) => group.length > 0) || whole.matches.length === 0 ? groups : [whole.matches];
  }
}

interface RankedMatches {
  /** The kind of match they are (NONE when there are none). */
  kind: MatchKind;
  matches: LabelMatch[];
}

/** The labels of these entries that match the query best (see MatchKind), each by its best entry, best first, at most limit. */
function bestMatches(query: string[], phrase: boolean, entries: Iterable<Entry>, limit: number): RankedMatches {
  const byKind = new Map<MatchKind, Map<string, number>>();
  for (const entry of entries) {
    const { kind, score } = entryMatch(query, phrase, entry);
    if (kind === MatchKind.NONE) continue;
    const scores = byKind.get(kind) ?? byKind.set(kind, new Map()).get(kind)!;
    if (score > (scores.get(entry.labelId) ?? 0)) scores.set(entry.labelId, score);
  }
  const kind = Math.min(MatchKind.NONE, ...byKind.keys()) as MatchKind;
  // English words are words: beside the eagle, "eagle" means the bald eagle too. A Chinese phrase
  // inside a longer name is often another word (马 in 斑马, zebra), so only its whole names count.
  const kinds = !phrase && kind === MatchKind.EXACT ? [MatchKind.EXACT, MatchKind.CONTAINS] : [kind];
  const best = new Map<string, number>();
  for (const each of kinds) for (const [id, score] of byKind.get(each) ?? []) best.set(id, Math.max(score, best.get(id) ?? 0));
  const matches = [...best]
    .map(([id, score]) => ({ id, score: Math.round(score * 1000) / 1000 }))
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
    .slice(0, limit);
  return { kind, matches };
}

/** bestMatches' labels. */
export const rankedMatches = (query: string[], phrase: boolean, entries: Iterable<Entry>, limit: number): LabelMatch[] =>
  bestMatches(query, phrase, entries, limit).matches;
