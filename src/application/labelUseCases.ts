import { LabelLanguage } from '../vocabulary';
import { ApiError, invalidArgument, missingParameter, notFound } from '../api/errors';
import { checkPageSize, decodeCursor, encodeCursor } from '../api/paging';
import type { LabelSuggester } from '../taxonomy/labelSuggester';
import type { TaxonomyLabel } from '../taxonomy/labelTypes';
import type { Taxonomy } from '../taxonomy/taxonomy';
import { ConnectionView, connectionOfEdges } from './connection';

export const MAX_SUGGESTIONS = 50;

/** A taxonomy label named in one language (which it keeps, for its parent and path). */
export interface TaxonomyLabelView {
  id: string;
  name: string;
  nameEn: string;
  nameZhHans: string;
  level: number;
  parentId: string | null;
  aliases: string[];
  threshold: number;
  language: LabelLanguage;
}

export interface SuggestionView {
  label: TaxonomyLabelView;
  matched: string;
  matchedLanguage: LabelLanguage;
}

export interface LabelListing {
  language: LabelLanguage;
  level?: number | null;
  parentId?: string | null;
  first?: number | null;
  after?: string | null;
}

export function taxonomyLabelView(label: TaxonomyLabel, language: LabelLanguage): TaxonomyLabelView {
  const english = language === LabelLanguage.EN;
  return {
    id: label.id,
    name: english ? label.en : label.zhHans,
    nameEn: label.en,
    nameZhHans: label.zhHans,
    level: label.level,
    parentId: label.parentId,
    aliases: english ? label.aliasesEn : label.aliasesZhHans,
    threshold: label.threshold,
    language,
  };
}

/** The label taxonomy: browse it, look labels up by id or name, and autocomplete names. */
export class LabelUseCases {
  constructor(
    private readonly taxonomy: Taxonomy,
    private readonly suggester: LabelSuggester,
  ) {}

  get version(): string {
    return this.taxonomy.version;
  }

  /** Categories first, then labels by id; by level and/or parent. */
  list({ language, level, parentId, first, after }: LabelListing): ConnectionView<TaxonomyLabelView> {
    const size = checkPageSize(first);
    if (level !== undefined && level !== null && ![1, 2, 3].includes(level))
      throw invalidArgument(`level must be 1, 2 or 3 (got ${level}).`, 'level');
    if (parentId === '') throw invalidArgument('parentId is empty: give a label id, or leave parentId out.', 'parentId');
    if (parentId && !this.taxonomy.get(parentId)) throw notFound(`No label with id "${parentId}".`);
    const all = this.taxonomy.list({ level, parentId });
    const cursor = decodeCursor(after, ['id'] as const);
    let start = 0;
    if (cursor) {
      const index = all.findIndex((label) => label.id === cursor.id);
      if (index < 0) throw invalidArgument('after is not a cursor of this listing.', 'after');
      start = index + 1;
    }
    const edges = all
      .slice(start, start + size)
      .map((label) => ({ node: taxonomyLabelView(label, language), cursor: encodeCursor({ id: label.id }) }));
    return connectionOfEdges(edges, start + size < all.length, edges.at(-1)?.cursor ?? null, all.length);
  }

  /** One label by id or by name/alias (exactly one of them). */
  find(id: string | null | undefined, name: string | null | undefined, language: LabelLanguage | null | undefined): TaxonomyLabelView {
    const hasId = id !== undefined && id !== null;
    const hasName = name !== undefined && name !== null;
    if (hasId && hasName) throw invalidArgument('Give either id or name, not both.', 'id');
    if (!hasId && !hasName) throw new ApiError('MissingParameter', 'Give id or name.', { field: 'id' });
    const found = id !== undefined && id !== null ? this.taxonomy.get(id) : this.taxonomy.findByName(name ?? '', language ?? undefined);
    if (!found) throw notFound(hasId ? `No label with id "${id}".` : `No label named "${name}".`);
    return taxonomyLabelView(found, language ?? LabelLanguage.ZH_HANS);
  }

  parent(label: TaxonomyLabelView): TaxonomyLabelView | null {
    const parent = label.parentId ? this.taxonomy.get(label.parentId) : undefined;
    return parent ? taxonomyLabelView(parent, label.language) : null;
  }

  /** Ancestors from the level-1 category down to the parent. */
  path(label: TaxonomyLabelView): TaxonomyLabelView[] {
    return [...this.taxonomy.ancestors(label.id)].reverse().map((a) => taxonomyLabelView(a, label.language));
  }

  childrenCount(label: TaxonomyLabelView): number {
    return this.taxonomy.children(label.id).length;
  }

  suggest(prefix: string, language: LabelLanguage, limit: number): SuggestionView[] {
    if (!prefix.trim()) throw missingParameter('prefix');
    if (prefix.length > 100) throw invalidArgument('prefix must be at most 100 characters.', 'prefix');
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SUGGESTIONS)
      throw invalidArgument(`limit must be between 1 and ${MAX_SUGGESTIONS}.`, 'limit');
    return this.suggester.suggest(prefix, limit).map((s) => ({
      label: taxonomyLabelView(s.label, language),
      matched: s.matched,
      matchedLanguage: s.matchedLanguage as LabelLanguage,
    }));
  }
}
