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

export const textTokens = (text: string): string[] => text.normalize('NFC').toLowerCase().match(TOKEN) ?? [];

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

/** How well one query word matches an entry word: 1 exact, less per typo, 0 not at all (the first letter must be right). */
function wordMatch(query: string, word: string): number {
  if (query === word) return 1;
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

/** How well the query's tokens match one name or alias (0: not at all); `phrase` for text with Chinese characters. */
export function entryScore(query: string[], phrase: boolean, entry: Entry): number {
  const quality = phrase ? (containsPhrase(entry.tokens, query) ? 1 : 0) : wordsQuality(query, entry.tokens);
  return quality === 0 ? 0 : (entry.weight / 2) * quality * Math.min(1, query.length / entry.tokens.length);
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
 * other text needs every word in one name or alias, with Elasticsearch's typo tolerance. A match
 * scores its weight (name 2, alias 1) times how well its words matched times the share of the
 * name the text covers, so "sky" ranks sky before blue sky.
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
    const query = textTokens(text);
    if (query.length === 0) return [];
    const phrase = HAN.test(text);
    return rankedMatches(query, phrase, this.candidates(query, phrase), limit);
  }
}

/** The labels of these entries that match the query, each by its best entry, best first, at most limit. */
export function rankedMatches(query: string[], phrase: boolean, entries: Iterable<Entry>, limit: number): LabelMatch[] {
  const best = new Map<string, number>();
  for (const entry of entries) {
    const score = entryScore(query, phrase, entry);
    if (score > (best.get(entry.labelId) ?? 0)) best.set(entry.labelId, score);
  }
  return [...best]
    .map(([id, score]) => ({ id, score: Math.round(score * 1000) / 1000 }))
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
    .slice(0, limit);
}
