import { LabelLanguage } from '../vocabulary';
import { LabelText, labelTexts } from './labelTexts';
import type { TaxonomyLabel } from './labelTypes';
import { detectableLabelIds } from './detectableLabels';
import type { Taxonomy } from './taxonomy';

export interface Suggestion {
  label: TaxonomyLabel;
  /** The name or alias that matched. */
  matched: string;
  matchedLanguage: LabelLanguage;
}

interface Entry extends LabelText {
  key: string;
}

// NFKC reads full-width letters as ordinary ones; a hyphen as a space, so a label id's prefix
// (hot-d, the id filters accept) completes its English name (hot dog).
const normalise = (text: string) => text.normalize('NFKC').trim().toLowerCase().replace(/[-_]+/g, ' ');
const HAN = /\p{Script=Han}/u;

/**
 * Autocomplete over label names and aliases in both languages, from the taxonomy in memory (it is
 * fixed per version, so no index is needed). Ranking: an exact match, then names before aliases,
 * then a prefix before a match inside a Chinese word, then labels detection can return (horse and
 * house before hoe and hod: a suggestion should find images), then shorter texts (closest to
 * complete), then broader labels.
 */
export class LabelSuggester {
  private readonly entries: Entry[];

  private readonly detectable: Set<string>;

  constructor(taxonomy: Taxonomy, detectable: Set<string> = detectableLabelIds(taxonomy)) {
    this.entries = labelTexts(taxonomy).map((entry) => ({ ...entry, key: normalise(entry.text) }));
    this.detectable = detectable;
  }

  suggest(prefix: string, limit: number): Suggestion[] {
    const wanted = normalise(prefix);
    if (!wanted) return [];
    const best = new Map<string, { score: number; entry: Entry }>();
    for (const entry of this.entries) {
      let score: number;
      if (entry.key === wanted) score = 8;
      else if (entry.key.startsWith(wanted)) score = 4;
      else if (HAN.test(wanted) && entry.key.includes(wanted)) score = 1;
      else if (entry.key.includes(` ${wanted}`))
        score = 2; // a later word of an English name
      else continue;
      if (entry.isName) score += 2;
      if (this.detectable.has(entry.label.id)) score += 0.5;
      const seen = best.get(entry.label.id);
      if (!seen || score > seen.score) best.set(entry.label.id, { score, entry });
    }
    return [...best.values()]
      .sort(
        (a, b) =>
          b.score - a.score ||
          a.entry.text.length - b.entry.text.length ||
          a.entry.label.level - b.entry.label.level ||
          a.entry.label.id.localeCompare(b.entry.label.id),
      )
      .slice(0, limit)
      .map(({ entry }) => ({ label: entry.label, matched: entry.text, matchedLanguage: entry.language }));
  }
}
